"""`mixpanel-async export ...` / `import ...` against the emulator (which runs on its own
thread, so the commands' own event loops can reach it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import polars as pl
import pytest
from typer.testing import CliRunner

from mixpanel_async.cli import app
from mixpanel_async.emulator import Emulator

START = int(dt.datetime(2024, 8, 1, tzinfo=dt.UTC).timestamp())


def lines(n: int) -> bytes:
    return b"".join(
        orjson.dumps(
            {"event": "E", "properties": {"time": START + 60 * i, "distinct_id": f"u{i}",
                                          "$insert_id": f"c-{i}", "i": i}}
        ) + b"\n"
        for i in range(n)
    )  # fmt: skip


@pytest.fixture
def runner(mixpanel_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MP_API_BASE_URL", mixpanel_emulator.url)
    return CliRunner()


def test_import_then_export(runner: CliRunner, mixpanel_emulator: Emulator, tmp_path: Path) -> None:
    source = tmp_path / "events.ndjson"
    source.write_bytes(lines(3000))
    done = runner.invoke(app, ["import", "events", str(source), "--no-progress"])
    assert done.exit_code == 0, done.output
    assert "3,000 of 3,000 events imported" in done.output

    out = tmp_path / "events.parquet"
    args = ["export", "events", "--from", "2024-08-01", "--to", "2024-08-03", "--out", str(out)]
    done = runner.invoke(app, [*args, "--no-progress"])
    assert done.exit_code == 0, done.output
    frame = pl.read_parquet(out)
    assert frame.height == 3000
    assert frame["insert_id"].to_list() == [f"c-{i}" for i in range(3000)]

    jsonl = tmp_path / "events.jsonl"
    args[-1] = str(jsonl)
    assert runner.invoke(app, args).exit_code == 0
    assert jsonl.read_bytes().count(b"\n") == 3000

    # Parquet goes back in as it came out: nothing new (the same $insert_ids).
    again = runner.invoke(app, ["import", "events", str(out), "--no-progress"])
    assert again.exit_code == 0, again.output
    assert len(mixpanel_emulator.events()) == 3000


def test_profiles(runner: CliRunner, mixpanel_emulator: Emulator, tmp_path: Path) -> None:
    source = tmp_path / "people.json"
    people = [{"$distinct_id": f"p{i}", "$set": {"n": i}} for i in range(1500)]
    source.write_bytes(orjson.dumps(people))
    done = runner.invoke(app, ["import", "profiles", str(source)])
    assert done.exit_code == 0, done.output
    out = tmp_path / "people"
    done = runner.invoke(app, ["export", "profiles", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert pl.read_parquet(out, hive_partitioning=False).height == 1500


def test_bad_input(runner: CliRunner, tmp_path: Path) -> None:
    base = ["export", "events", "--from", "2024-08-03", "--to", "2024-08-01"]
    done = runner.invoke(app, [*base, "--out", str(tmp_path / "e.parquet")])
    assert done.exit_code == 2
    assert "after" in done.output
    done = runner.invoke(app, [*base, "--out", str(tmp_path / "e.xlsx")])
    assert done.exit_code == 2
    assert "unknown format" in done.output
    bad = tmp_path / "bad.ndjson"
    bad.write_bytes(b'{"event": "E"}\n')
    done = runner.invoke(app, ["import", "events", str(bad)])
    assert done.exit_code == 2
    assert "event 0" in done.output


def test_version(runner: CliRunner) -> None:
    from mixpanel_async import __version__

    done = runner.invoke(app, ["--version"])
    assert done.exit_code == 0
    assert done.output.strip() == f"mixpanel-async {__version__}"
