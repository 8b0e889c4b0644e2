"""`export events --out x.ndjson` honours `--partition`, `--concurrency` and `--progress`: the
same events in time order whatever the partitioning, bad values refused before any request."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from mixpanel_async.cli import app
from mixpanel_async.emulator import Emulator

START = int(dt.datetime(2024, 8, 1, tzinfo=dt.UTC).timestamp())
HOURS = 24 * 10  # ten days, one event an hour


@pytest.fixture
def runner(
    mixpanel_emulator: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> CliRunner:
    monkeypatch.setenv("MP_API_BASE_URL", mixpanel_emulator.url)
    source = tmp_path / "in.ndjson"
    source.write_bytes(b"".join(
        orjson.dumps({"event": "E", "properties": {
            "time": START + 3600 * i, "distinct_id": f"u{i % 7}", "$insert_id": f"e{i}"}}) + b"\n"
        for i in range(HOURS)
    ))  # fmt: skip
    done = CliRunner().invoke(app, ["import", "events", str(source), "--no-progress"])
    assert done.exit_code == 0, done.output
    return CliRunner()


@pytest.mark.parametrize(
    ("partition", "concurrency"),
    [("day", "1"), ("day", "4"), ("week", "2"), ("3", "8"), ("none", "1")],
)
def test_partitions_keep_every_event_in_order(
    runner: CliRunner, tmp_path: Path, partition: str, concurrency: str
) -> None:
    out = tmp_path / "out.ndjson"
    args = ["export", "events", "--from", "2024-08-01", "--to", "2024-08-10", "--out", str(out),
            "--partition", partition, "--concurrency", concurrency, "--progress"]  # fmt: skip
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    assert f"{HOURS:,} events" in done.stdout
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["properties"]["$insert_id"] for r in records] == [f"e{i}" for i in range(HOURS)]


def test_bad_values_are_refused_before_any_request(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.ndjson"
    base = ["export", "events", "--from", "2024-08-01", "--to", "2024-08-02", "--out", str(out)]
    for extra in (["--partition", "fortnight"], ["--concurrency", "0"]):
        done = runner.invoke(app, [*base, *extra])
        assert done.exit_code == 2, done.output
        assert done.stderr.startswith("error: ")
    assert not out.exists()
    out.write_text("keep")
    done = runner.invoke(app, base)
    assert done.exit_code == 2
    assert "--overwrite" in done.stderr
    assert "overwrite=True" not in done.stderr
    assert out.read_text() == "keep"


def test_parquet_refusal_names_the_option(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "events.parquet"
    target.write_text("mine")
    args = ["export", "events", "--from", "2024-08-01", "--to", "2024-08-02", "--out", str(target)]
    done = runner.invoke(app, args)
    assert done.exit_code == 2, done.output
    assert "use --overwrite" in done.stderr
    assert "overwrite=True" not in done.stderr
    assert target.read_text() == "mine"
