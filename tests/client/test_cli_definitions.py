"""The seed's `custom-properties`, `custom-events`, `metrics`, `behaviors`, `lookup-tables` and
`business-context` command lines against the emulator: a round trip per group with `mp`'s
option names, a saved metric run by reference (counted here in plain Python), and the
refusals made before any request."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

import mixpanel_async as o
from mixpanel_async import AsyncWorkspace
from mixpanel_async.cli import app
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev

SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z
DAY = 86_400
ROWS = [ev("Purchase" if i % 3 else "Sign Up", f"u{i % 7}", SEP1 + (i % 5) * DAY + i)
        for i in range(60)]  # fmt: skip


@pytest.fixture
def runner(cli_runner: CliRunner) -> CliRunner:
    """The command line against the emulator (`cli_runner` of the conftest)."""
    return cli_runner


def ok(runner: CliRunner, *args: str, stdin: str | None = None) -> str:
    """Run a command that must succeed; its standard output."""
    done = runner.invoke(app, list(args), input=stdin)
    assert done.exit_code == 0, (args, done.output)
    return done.stdout


def js(runner: CliRunner, *args: str, stdin: str | None = None) -> Any:
    """Run a command that must succeed; its JSON output."""
    return orjson.loads(ok(runner, *args, stdin=stdin))


def refused(runner: CliRunner, *args: str, says: str) -> None:
    """The command is refused in one line with exit code 2."""
    done = runner.invoke(app, list(args))
    assert done.exit_code == 2, (args, done.output)
    assert done.stderr.count("\n") == 1, done.stderr
    assert says in done.stderr, done.stderr


def test_custom_properties(runner: CliRunner) -> None:
    made = js(runner, "custom-properties", "create", "--name", "Loud", "--resource-type",
              "events", "--display-formula", 'UPPER(A)', "--composed-properties",
              '{"A": {"value": "plan", "resourceType": "event"}}')  # fmt: skip
    pid = str(made["customPropertyId"])
    assert js(runner, "custom-properties", "get", "--id", pid)["name"] == "Loud"
    changed = js(runner, "custom-properties", "update", "--id", pid, "--name", "Louder",
                 "--is-locked", "--no-is-visible")  # fmt: skip
    assert (changed["name"], changed["isLocked"], changed["isVisible"]) == ("Louder", True, False)
    checked = js(runner, "custom-properties", "validate", "--name", "X", "--resource-type",
                 "events", "--display-formula", "A", "--composed-properties",
                 '{"A": {"value": "plan", "resourceType": "event"}}')  # fmt: skip
    assert isinstance(checked, dict)
    ok(runner, "custom-properties", "delete", "--id", pid)
    assert js(runner, "custom-properties", "list") == []


def test_custom_events_by_id_or_name(runner: CliRunner) -> None:
    made = js(runner, "custom-events", "create", "--name", "Joined", "--alternative", "Sign Up",
              "--alternative", "Register")  # fmt: skip
    assert [a["event"] for a in made["alternatives"]] == ["Sign Up", "Register"]
    listed = js(runner, "custom-events", "list")
    assert [e["name"] for e in listed] == ["Joined"]
    hidden = js(runner, "custom-events", "update", "--name", "Joined", "--hidden",
                "--description", "Either way in")  # fmt: skip
    assert (hidden["hidden"], hidden["description"]) == (True, "Either way in")
    event_id = str(listed[0]["customEventId"])
    shown = js(runner, "custom-events", "update", "--id", event_id, "--no-hidden")
    assert shown["hidden"] is False
    ok(runner, "custom-events", "delete", "--name", "Joined")
    refused(runner, "custom-events", "delete", "--name", "Joined", says="names none; give --id")


def _definition(runner: CliRunner, group: str, saved_id: int, tmp_path: Path) -> Path:
    path = tmp_path / f"{group}-{saved_id}.json"
    path.write_text(ok(runner, group, "get", str(saved_id), "--jq", ".definition"))
    return path


def _per_day(event: str) -> dict[str, int]:
    days = Counter(
        dt.datetime.fromtimestamp(r["properties"]["time"], dt.UTC).date().isoformat()
        for r in ROWS
        if r["event"] == event
    )
    return dict(days)


def test_metrics_round_trip_and_query(
    runner: CliRunner, mixpanel_emulator: Emulator, tmp_path: Path
) -> None:
    mixpanel_emulator.state.default.events.append(rows_of(ROWS))

    async def save() -> int:
        async with AsyncWorkspace(base_url=mixpanel_emulator.url) as ws:
            params = o.CreateMetricParams(name="Buys", definition=o.Metric("Purchase"))
            return (await ws.create_metric(params)).id

    original = asyncio.run(save())
    definition = _definition(runner, "metrics", original, tmp_path)
    copy = js(runner, "metrics", "create", "--name", "Buys (copy)", "--definition-file",
              str(definition), "--description", "copied")  # fmt: skip
    assert (copy["type"], copy["description"]) == ("metric", "copied")
    assert copy["definition"] == orjson.loads(definition.read_bytes())
    from_stdin = js(runner, "metrics", "create", "--name", "Piped", "--definition-file", "-",
                    stdin=definition.read_text())  # fmt: skip
    names = {m["name"] for m in js(runner, "metrics", "list", "--type", "metric")}
    assert names == {"Buys", "Buys (copy)", "Piped"}
    renamed = js(runner, "metrics", "update", str(copy["id"]), "--name", "Buys 2")
    assert renamed["name"] == "Buys 2"
    verified = js(runner, "metrics", "verify", str(original), str(copy["id"]))
    assert sorted(m["verified"] for m in verified) == [True, True]
    assert {m["name"] for m in js(runner, "metrics", "list", "--verified")} == {"Buys", "Buys 2"}

    result = js(runner, "metrics", "query", str(copy["id"]), "--from", "2026-09-01",
                "--to", "2026-09-07", "--jq", ".series")  # fmt: skip
    [series] = result.values()
    assert {k[:10]: v for k, v in series.items() if v} == _per_day("Purchase")

    ok(runner, "metrics", "delete", str(copy["id"]), str(from_stdin["id"]))
    ok(runner, "metrics", "delete", str(original))
    assert js(runner, "metrics", "list") == []


def test_behaviors_round_trip(
    runner: CliRunner, mixpanel_emulator: Emulator, tmp_path: Path
) -> None:
    async def save() -> int:
        async with AsyncWorkspace(base_url=mixpanel_emulator.url) as ws:
            params = o.CreateBehaviorParams(name="Buyers", behavior=o.SimpleBehavior("Purchase"))
            return (await ws.create_behavior(params)).id

    original = asyncio.run(save())
    definition = _definition(runner, "behaviors", original, tmp_path)
    copy = js(runner, "behaviors", "create", "--name", "Buyers (copy)", "--definition-file",
              str(definition))  # fmt: skip
    assert copy["definition"] == orjson.loads(definition.read_bytes())
    assert js(runner, "behaviors", "update", str(copy["id"]), "--verified")["verified"] is True
    kinds = {b["name"] for b in js(runner, "behaviors", "list", "--name-contains", "copy")}
    assert kinds == {"Buyers (copy)"}
    ok(runner, "behaviors", "delete", str(original), str(copy["id"]))
    assert js(runner, "behaviors", "list") == []


def test_lookup_tables_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "plans.csv"
    source.write_text("plan,price\nfree,0\npro,10\n")
    table = js(runner, "lookup-tables", "upload", "--name", "plans", "--file", str(source))
    group = str(table["id"])
    assert [t["name"] for t in js(runner, "lookup-tables", "list")] == ["plans"]
    assert js(runner, "lookup-tables", "update", "--data-group-id", group,
              "--name", "prices")["name"] == "prices"  # fmt: skip
    renamed = js(runner, "lookup-tables", "update-lookup-table", group, "--name", "costs")
    assert renamed["name"] == "costs"  # the generated command builds the model the method wants
    target = tmp_path / "down.csv"
    ok(runner, "lookup-tables", "download", "--data-group-id", group, "--output", str(target))
    assert list(csv.reader(io.StringIO(target.read_text()))) == [
        ["plan", "price"], ["free", "0"], ["pro", "10"]
    ]  # fmt: skip
    rows = js(runner, "lookup-tables", "download", "--data-group-id", group, "--limit", "1")
    assert rows == [{"plan": "free", "price": "0"}]
    assert js(runner, "lookup-tables", "download-url", "--data-group-id", group).startswith("http")
    assert "url" in js(runner, "lookup-tables", "upload-url", "--content-type", "text/csv")
    ok(runner, "lookup-tables", "delete", "--data-group-ids", group)
    assert js(runner, "lookup-tables", "list") == []


def test_business_context(runner: CliRunner, tmp_path: Path) -> None:
    assert js(runner, "business-context", "set", "--content", "# Acme")["content"] == "# Acme"
    page = tmp_path / "context.md"
    page.write_text("# From a file\n")
    assert js(runner, "business-context", "set", "--file", str(page))["content"] == page.read_text()
    piped = js(runner, "business-context", "set", stdin="# Piped\n")
    assert piped["content"] == "# Piped\n"
    assert js(runner, "business-context", "get", "--level", "project")["content"] == "# Piped\n"
    chain = js(runner, "business-context", "chain")
    assert chain["project"]["content"] == "# Piped\n"
    assert js(runner, "business-context", "clear")["is_empty"] is True


def test_refused_before_any_request(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MP_API_BASE_URL", "http://127.0.0.1:9")  # nothing listens: exit 1 if sent
    refused(runner, "metrics", "update", "5", says="nothing to update")
    refused(runner, "metrics", "update", "5", "--kind", "formula", says="--definition-file")
    refused(runner, "metrics", "create", "--name", "X", "--definition-file", "/nonexistent.json",
            says="cannot read")  # fmt: skip
    refused(runner, "metrics", "query", "5", "--unit", "year", says="'year' is not one of")
    refused(runner, "behaviors", "update", "5", says="nothing to update")
    refused(runner, "custom-events", "update", "--hidden", says="--id or --name")
    refused(runner, "custom-events", "delete", "--id", "1", "--name", "x", says="--id or --name")
    refused(runner, "custom-events", "update", "--id", "1", says="nothing to update")
    refused(runner, "lookup-tables", "delete", "--data-group-ids", "1,x", says="separated by")
    refused(runner, "lookup-tables", "upload", "--name", "t", "--file", "/nonexistent.csv",
            says="no such file")  # fmt: skip
    refused(runner, "business-context", "set", "--content", "a", "--file", "b", says="not both")


def test_lexicon_tags_and_audit(runner: CliRunner) -> None:
    made = js(runner, "lexicon", "tags", "create", "--name", "Core")
    assert js(runner, "lexicon", "tags", "list") == [made]
    renamed = js(runner, "lexicon", "tags", "update", "--id", str(made["id"]), "--name", "Kern")
    assert renamed["name"] == "Kern"
    ok(runner, "lexicon", "tags", "delete", "--name", "Kern")
    assert js(runner, "lexicon", "tags", "list") == []
    # Without schemas Mixpanel refuses an audit; the refusal names which audit was asked for.
    for args, route in ((), "/audit/"), (("--events-only",), "/audit-events-only/"):
        done = runner.invoke(app, ["lexicon", "audit", *args])
        assert done.exit_code == 1
        assert route in done.stderr
        assert "no schemas" in done.stderr


def test_the_seeds_other_option_names(runner: CliRunner) -> None:
    made = js(runner, "dashboards", "rca", "--source-id", "7", "--source-data",
              '{"type": "anomaly"}')  # fmt: skip
    assert made["id"] > 0
    for args, says in (
        (["alerts", "history", "41", "--cursor", "abc"], "Alert 41 not found"),
        (["drop-filters", "delete", "--id", "41"], "drop filter 41 not found"),
    ):
        done = runner.invoke(app, args)
        assert done.exit_code == 1, done.output
        assert says in done.stderr
    exported = js(runner, "lexicon", "export", "--types", "All Events and Properties")
    assert isinstance(exported, dict)
