"""The seed's `replays` commands against recordings stored in the emulator as the browser SDK
stores them: discovery, events, signing (masked unless asked), fetch, analyze, for-user."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from mixpanel_async.cli import app
from mixpanel_async.emulator import Emulator
from tests.client.test_replays import NOW, TODAY, record, rrweb
from tests.helpers import row


@pytest.fixture
def runner(cli_runner: CliRunner, mixpanel_emulator: Emulator) -> CliRunner:
    """Two replays of u1 (announced by `$mp_session_record` events) and one Mixpanel event."""
    asyncio.run(
        record(mixpanel_emulator, "r1", "u1", [rrweb(NOW, 4, True), rrweb(NOW + 50, 2, False)])
    )
    asyncio.run(record(mixpanel_emulator, "r2", "u1", [rrweb(NOW + 9, 3, True)]))
    announced = [
        row("$mp_session_record", "u1", NOW + i, None,
            **{"$mp_replay_id": f"r{i}", "$mp_replay_retention_period": 30})
        for i in (1, 2)
    ]  # fmt: skip
    other = row("Clicked", "u1", NOW + 20, None, **{"$mp_replay_id": "r1", "button": "buy"})
    mixpanel_emulator.state.default.events.append([*announced, other])
    return cli_runner


def js(runner: CliRunner, *args: str) -> Any:
    done = runner.invoke(app, list(args))
    assert done.exit_code == 0, (args, done.output)
    return orjson.loads(done.stdout)


def test_list_events_and_sign(runner: CliRunner) -> None:
    found = js(runner, "replays", "list", "--user", "u1", "--from", TODAY, "--to", TODAY)
    assert sorted(r["replay_id"] for r in found) == ["r1", "r2"]
    named = js(runner, "replays", "list", "--replay-id", "r2")
    assert [r["replay_id"] for r in named] == ["r2"]
    events = js(runner, "replays", "events", "r1", "--properties", "button")
    assert [e["event_name"] for e in events] == ["Clicked"]
    masked = js(runner, "replays", "sign", "r1", "r2")
    assert [s["query_string"] for s in masked] == ["********", "********"]
    shown = runner.invoke(app, ["replays", "sign", "r1", "--reveal-signed-urls"])
    assert "warning" in shown.stderr
    assert orjson.loads(shown.stdout)[0]["query_string"] != "********"
    refused = runner.invoke(app, ["replays", "list", "--user", "u1"])
    assert refused.exit_code == 2
    assert "--from and --to" in refused.stderr


def test_fetch_analyze_and_for_user(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "r1.json"
    fetched = js(runner, "replays", "fetch", "r1", "--output", str(target))
    assert (fetched["rrweb_events"], fetched["start_time"], fetched["end_time"]) == (
        6,
        NOW,
        NOW + 51,
    )
    assert [e["timestamp"] for e in orjson.loads(target.read_bytes())] == [
        NOW, NOW + 1, NOW + 2, NOW + 3, NOW + 50, NOW + 51]  # fmt: skip
    timeline = runner.invoke(app, ["replays", "analyze", "r1"])
    assert timeline.exit_code == 0, timeline.output
    assert timeline.stdout.strip()
    out = tmp_path / "replays"
    rows = js(runner, "replays", "for-user", "u1", "--from", TODAY, "--to", TODAY,
              "--include", "analyze", "--out-dir", str(out))  # fmt: skip
    assert sorted(r["replay_id"] for r in rows) == ["r1", "r2"]
    assert sorted(p.name for p in out.iterdir()) == ["index.json", "r1.md", "r2.md"]
    assert (out / "r1.md").read_text().strip() == timeline.stdout.strip()
