"""The command groups (`dashboards`, `alerts`, ..., `query`, `inspect`, `api`) through the real
entry point against the emulator: every group's help, a create/list/delete round trip per App
API group, each output format, the escape hatch, one-line errors with their exit codes."""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import polars as pl
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from mixpanel_async._generated.operations import ALL
from mixpanel_async.cli import app
from mixpanel_async.cli.registry import REGROUP
from mixpanel_async.emulator import Emulator

REPORT = {
    "sections": {"show": [{"type": "metric"}], "time": [{"unit": "day"}]},
    "displayOptions": {"chartType": "line"},
}
CONDITION = {"keys": [{"header": "Sign Up", "value": "Sign Up"}], "op": "<", "value": 100}


@pytest.fixture
def runner(cli_runner: CliRunner) -> CliRunner:
    """The command line against the emulator (`cli_runner` of the conftest)."""
    return cli_runner


def ok(runner: CliRunner, *args: str) -> str:
    """Run a command that must succeed; its standard output."""
    done = runner.invoke(app, list(args))
    assert done.exit_code == 0, (args, done.output)
    return done.stdout


def js(runner: CliRunner, *args: str) -> Any:
    """Run a command that must succeed; its JSON output."""
    return orjson.loads(ok(runner, *args))


def groups() -> dict[str, Any]:
    root = get_command(app)
    return dict(root.commands)  # type: ignore[attr-defined]


def test_every_group_and_command_has_help(runner: CliRunner) -> None:
    seen = 0
    for name, group in groups().items():
        done = runner.invoke(app, [name, "--help"])
        assert done.exit_code == 0, (name, done.output)
        commands = getattr(group, "commands", {})
        for sub, command in commands.items():
            assert command.help, (name, sub)
            seen += 1
        if commands:  # one rendered per group (the rest share the same construction)
            first = sorted(commands)[0]
            assert runner.invoke(app, [name, first, "--help"]).exit_code == 0, (name, first)
    assert seen > len(ALL)


def test_every_app_family_has_a_group_covering_its_operations() -> None:
    found = groups()
    families = {op.family for op in ALL.values() if op.host == "app"}
    names = {"account": "me"}
    everything = " ".join(
        cmd.help or ""
        for group in found.values()
        for cmd in getattr(group, "commands", {}).values()
    )
    for family in families:
        wanted = {op.operation_id for op in ALL.values() if op.family == family}
        if family in REGROUP:  # spread over the seed's groups (e.g. lexicon, drop-filters)
            assert all(f"Operation {op_id}:" in everything for op_id in wanted), family
            continue
        group = found[names.get(family, family.replace("_", "-"))]
        helps = " ".join(cmd.help or "" for cmd in group.commands.values())
        assert all(f"Operation {op_id}:" in helps for op_id in wanted), family


def test_seed_group_names() -> None:
    found = groups()
    seed_groups = "query inspect accounts dashboards reports cohorts flags alerts annotations"
    seed_groups += " webhooks lexicon schemas experiments project workspace"
    for name in seed_groups.split():
        assert name in found, name
    query = found["query"].commands
    for command in ("segmentation", "funnel", "retention", "frequency", "event-counts",
                    "property-counts", "segmentation-numeric", "query", "query-funnel",
                    "query-retention", "query-flow", "query-user", "saved-report"):  # fmt: skip
        assert command in query, command
    inspect = found["inspect"].commands
    for command in ("events", "properties", "values", "property-values", "top-events",
                    "funnels", "cohorts", "lexicon-schemas"):  # fmt: skip
        assert command in inspect, command


ROUND_TRIPS = [
    ("dashboards", {"title": "Q1 Metrics"}, "title"),
    ("annotations", {"date": "2026-02-01", "description": "Outage"}, "description"),
    ("cohorts", {"name": "Power Users"}, "name"),
    ("experiments", {"name": "Pricing"}, "name"),
    ("flags", {"name": "Beta", "key": "beta"}, "name"),
    ("webhooks", {"name": "Pipeline", "url": "http://example.org/hook"}, "name"),
]


@pytest.mark.parametrize(("group", "body", "field"), ROUND_TRIPS)
def test_create_list_delete(
    runner: CliRunner, tmp_path: Path, group: str, body: dict[str, Any], field: str
) -> None:
    source = tmp_path / "body.json"
    source.write_bytes(orjson.dumps(body))
    created = js(runner, group, "create", "--body", f"@{source}")
    assert created[field] == body[field]
    ident = str(created["id"])
    listed = js(runner, group, "list")
    assert [str(item["id"]) for item in listed] == [ident]
    ok(runner, group, "delete", ident)
    assert js(runner, group, "list") == []


def test_reports_and_alerts_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    dash = js(runner, "dashboards", "create", "--body", '{"title": "Reports"}')["id"]
    report = {"name": "Signups", "bookmark_type": "insights", "params": REPORT}
    bookmark = js(runner, "reports", "create", "--body", orjson.dumps(
        {**report, "dashboard_id": dash}).decode())  # fmt: skip
    assert [b["id"] for b in js(runner, "reports", "list")] == [bookmark["id"]]

    spec = tmp_path / "a.json"
    spec.write_bytes(orjson.dumps({
        "bookmark_id": bookmark["id"], "name": "Signups drop", "condition": CONDITION,
        "frequency": 86400, "paused": False,
        "subscriptions": [{"type": "email", "value": "team@example.com"}],
    }))  # fmt: skip
    alert = js(runner, "alerts", "create", "--body", f"@{spec}")
    assert js(runner, "alerts", "list", "--jq", "map(.id)") == [alert["id"]]
    assert js(runner, "alerts", "count", "--jq", ".anomaly_alerts_count // .count // 1")
    ok(runner, "alerts", "delete", str(alert["id"]))
    ok(runner, "reports", "delete", str(bookmark["id"]))
    assert js(runner, "alerts", "list") == []
    assert js(runner, "reports", "list") == []


def test_schemas_and_deletions(runner: CliRunner) -> None:
    schema = '{"properties": {"amount": {"type": "number"}}}'
    ok(runner, "schemas", "create", "--entity-type", "event", "--entity-name", "Purchase",
       "--schema-json", schema)  # fmt: skip
    names = js(runner, "schemas", "list", "--jq", "[.[] | .name]")
    assert names == ["Purchase"]
    ok(runner, "schemas", "delete", "--entity-type", "event", "--entity-name", "Purchase")
    assert js(runner, "schemas", "list") == []

    body = '{"event_name": "Login", "from_date": "2024-04-02", "to_date": "2024-04-03"}'
    made = js(runner, "deletions", "create-request", "--body", body)
    ident = str(made[0]["id"])
    cancelled = js(runner, "deletions", "cancel-request", ident)
    assert [(str(r["id"]), r["status"]) for r in cancelled] == [(ident, "Cancelled")]
    listed = js(runner, "deletions", "list-requests", "--jq", "map(.status)")
    assert listed == ["Cancelled"]


def test_output_formats(runner: CliRunner, tmp_path: Path) -> None:
    for title in ("Alpha", "Beta"):
        ok(runner, "dashboards", "create", "--body", orjson.dumps({"title": title}).decode())
    lines = ok(runner, "dashboards", "list", "--format", "jsonl").splitlines()
    assert [orjson.loads(line)["title"] for line in lines] == ["Alpha", "Beta"]
    rows = list(csv.DictReader(io.StringIO(ok(runner, "dashboards", "list", "-f", "csv"))))
    assert [r["title"] for r in rows] == ["Alpha", "Beta"]
    table = ok(runner, "dashboards", "list", "-f", "table")
    assert "Alpha" in table
    assert "Beta" in table
    assert "title" in table
    out = tmp_path / "d.parquet"
    ok(runner, "dashboards", "list", "-f", "parquet", "--out", str(out))
    assert pl.read_parquet(out)["title"].to_list() == ["Alpha", "Beta"]
    assert ok(runner, "dashboards", "list", "--jq", ".[].title").split() == ['"Alpha"', '"Beta"']
    filtered = ok(runner, "dashboards", "list", "-f", "jsonl", "--jq", ".[] | {title}")
    assert filtered.splitlines() == ['{"title":"Alpha"}', '{"title":"Beta"}']


def test_query_and_inspect(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "events.json"
    source.write_bytes(orjson.dumps([
        {"event": "Signup", "properties": {"time": 1722470400 + i * 3600, "$insert_id": f"i{i}",
                                           "distinct_id": f"u{i % 3}", "plan": "pro"}}
        for i in range(5)
    ]))  # fmt: skip
    ok(runner, "import", "events", str(source), "--no-progress")
    assert "Signup" in js(runner, "inspect", "events")
    assert js(runner, "inspect", "properties", "-e", "Signup", "--jq", 'index("plan") != null')
    args = ["query", "segmentation", "-e", "Signup", "--from", "2024-08-01", "--to", "2024-08-01"]
    frame = pl.read_csv(io.StringIO(ok(runner, *args, "-f", "csv")))
    assert frame["count"].sum() == 5  # five events, all on 2024-08-01 (UTC)
    unique = js(runner, *args, "--type", "unique")
    assert sum(unique["series"]["Signup"].values()) == 3
    counts = js(runner, "query", "event-counts", "-e", "Signup", "--from", "2024-08-01",
                "--to", "2024-08-02", "--jq", ".series.Signup")  # fmt: skip
    assert counts == {"2024-08-01": 5, "2024-08-02": 0}


def test_escape_hatch(runner: CliRunner) -> None:
    listing = ok(runner, "api")
    assert all(op_id in listing for op_id in ALL)
    created = js(runner, "api", "create_dashboard", "--body", '{"title": "Raw"}')
    got = js(runner, "api", "get_dashboard", "--param", f"dashboard_id={created['id']}")
    assert got["title"] == "Raw"
    assert js(runner, "api", "list-dashboards", "--jq", "map(.title)") == ["Raw"]
    bad = runner.invoke(app, ["api", "get_dashboard", "--param", "dashboard_id=x"])
    assert bad.exit_code == 2
    assert "must be an integer" in bad.output
    unknown = runner.invoke(app, ["api", "no_such_operation"])
    assert unknown.exit_code == 2


def test_errors_are_one_line_with_exit_codes(runner: CliRunner, monkeypatch: Any) -> None:
    missing = runner.invoke(app, ["dashboards", "get", "999"])
    assert missing.exit_code == 1
    assert missing.stderr.count("\n") == 1
    assert missing.stderr.startswith("error: ")
    bad = runner.invoke(app, ["query", "segmentation", "-e", "E", "--from", "2024-08-03",
                              "--to", "2024-08-01"])  # fmt: skip
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: ")
    for args in (
        ["dashboards", "list", "--jq", ".", "-f", "table"],
        ["dashboards", "list", "--jq", "map("],
        ["dashboards", "create", "--body", "@/nonexistent/body.json"],
        ["dashboards", "create", "--body", "{not json"],
    ):
        refused = runner.invoke(app, args)
        assert refused.exit_code == 2, (args, refused.output)
        assert refused.stderr.count("\n") == 1
    monkeypatch.delenv("MP_API_BASE_URL")
    unconfigured = runner.invoke(app, ["inspect", "events"])
    assert unconfigured.exit_code == 3
    assert unconfigured.stderr.count("\n") == 1
    assert "account add" in unconfigured.stderr
    assert "=" not in unconfigured.stderr


def test_subprocess_smoke(mixpanel_emulator: Emulator, tmp_path: Path) -> None:
    env = {**os.environ, "MP_API_BASE_URL": mixpanel_emulator.url,
           "MP_CONFIG_PATH": str(tmp_path / "none.toml")}  # fmt: skip
    script = Path(sys.executable).with_name("mixpanel-async")
    created = subprocess.run(
        [str(script), "annotations", "create", "--body",
         '{"date": "2026-01-02", "description": "Launch"}'],
        env=env, capture_output=True, check=True,
    )  # fmt: skip
    assert orjson.loads(created.stdout)["description"] == "Launch"
    listed = subprocess.run(
        [str(script), "annotations", "list", "-f", "csv"], env=env, capture_output=True, check=True
    )
    assert b"Launch" in listed.stdout


def test_shell_completion(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("mixpanel-async")

    def complete(words: str) -> list[str]:
        env = {**os.environ, "_MIXPANEL_ASYNC_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - 1)}  # fmt: skip
        done = subprocess.run([str(script)], env=env, capture_output=True, check=True)
        return done.stdout.decode().split()

    assert complete("mixpanel-async dashb") == ["dashboards"]
    assert complete("mixpanel-async api list_dash") == ["list_dashboards"]


def test_a_busy_port_is_one_line(runner: CliRunner) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = runner.invoke(app, ["emulator", "--port", str(port)])
    assert done.exit_code == 1
    assert done.stderr.count("\n") == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.output


def test_body_fields_as_options(runner: CliRunner) -> None:
    made = js(runner, "dashboards", "create", "--title", "Fields", "--private",
              "--body", '{"title": "ignored", "description": "kept"}')  # fmt: skip
    assert (made["title"], made["description"], made["is_private"]) == ("Fields", "kept", True)
    flag = js(runner, "flags", "create", "--name", "Beta", "--key", "beta", "--tags", "a",
              "--tags", "b")  # fmt: skip
    assert (flag["key"], flag["tags"]) == ("beta", ["a", "b"])
    replace = runner.invoke(app, ["flags", "update", str(flag["id"]), "--name", "Beta 2"])
    assert replace.exit_code == 2  # a flag update replaces it whole: say what is missing
    assert "--status" in replace.stderr
    assert "--ruleset" in replace.stderr
    updated = js(runner, "dashboards", "update", str(made["id"]), "--no-private")
    assert (updated["title"], updated["is_private"]) == ("Fields", False)
    missing = runner.invoke(app, ["dashboards", "create", "--description", "no title"])
    assert missing.exit_code == 2
    assert "title" in missing.stderr
    assert js(runner, "reports", "list", "--type", "insights") == []
