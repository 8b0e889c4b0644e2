"""Parquet exports: round trips (one file, a partitioned directory), one schema across
partitions whose types disagree, resuming after an interruption, and paths refused before any
request."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq
import pytest

from mixpanel_async import AsyncWorkspace, ParamValidationError, PartitionError, RetryPolicy
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from mixpanel_async.pytest_plugin import fast_retry_policy

FIRST = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
RANGE = ("2024-06-01", "2024-06-06")


def events() -> list[dict[str, Any]]:
    out = []
    for i in range(600):
        day = i // 100
        props: dict[str, Any] = {
            "time": int((FIRST + dt.timedelta(seconds=864 * i)).timestamp()),
            "distinct_id": f"u{i % 13}",
            "$insert_id": f"p-{i}",
            "i": i,
        }
        # Types that differ by day: an int, then a float; text, then a number; sometimes none.
        props["amount"] = i if day % 2 == 0 else i + 0.25
        if day != 3:
            props["plan"] = "pro" if day != 4 else 42
        if day == 5:
            props["cart"] = {"items": i % 4}
        out.append({"event": ("View", "Buy")[i % 2], "properties": props})
    return out


@pytest.fixture
def emu(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(events()))
    return mixpanel_emulator


@pytest.fixture
def retry_policy() -> RetryPolicy:
    """Two attempts: a partition cut twice has failed (see the resume tests)."""
    return fast_retry_policy(attempts=2)


@pytest.fixture
def ws(emu: Emulator, fast_workspace: AsyncWorkspace) -> AsyncWorkspace:
    return fast_workspace


def listing(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir())


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    """An empty directory for outputs (the suite puts HOME under `tmp_path`)."""
    out = tmp_path / "out"
    out.mkdir()
    return out


async def test_single_file_round_trip(ws: AsyncWorkspace, tmp: Path) -> None:
    frame = await ws.export_events(*RANGE)
    result = await ws.export_events_to_parquet(tmp / "events.parquet", *RANGE)
    assert result.path == tmp / "events.parquet"
    assert result.rows == 600
    assert result.fetched == [f"2024-06-0{d}" for d in range(1, 7)]
    back = pl.read_parquet(result.path)
    assert back.schema == frame.schema
    assert back.equals(frame)
    # Nothing is left behind but the file.
    assert listing(tmp) == ["events.parquet"]


async def test_directory_round_trip_one_schema(ws: AsyncWorkspace, tmp: Path) -> None:
    frame = await ws.export_events(*RANGE)
    out = tmp / "events"
    result = await ws.export_events_to_parquet(out, *RANGE, concurrency=3)
    assert listing(out) == [f"day=2024-06-0{d}" for d in range(1, 7)]
    assert result.rows == 600
    schemas = {str(pq.read_schema(f)) for f in result.files}
    assert len(schemas) == 1  # every file rewritten to the union, so any reader agrees
    plain = pl.read_parquet(out, hive_partitioning=False)
    assert plain.equals(frame)
    hive = pl.read_parquet(out)  # the Hive key becomes a column
    assert hive.height == 600
    assert "day" in hive.columns
    props = dict(frame.schema["properties"].to_schema())  # type: ignore[union-attr]
    assert props["amount"] == pl.Float64
    assert props["plan"] == pl.String


async def test_rerun_fetches_only_missing_partitions(ws: AsyncWorkspace, tmp: Path) -> None:
    out = tmp / "events"
    first = await ws.export_events_to_parquet(out, "2024-06-01", "2024-06-03")
    assert first.fetched == ["2024-06-01", "2024-06-02", "2024-06-03"]
    again = await ws.export_events_to_parquet(out, *RANGE)
    assert again.skipped == ["2024-06-01", "2024-06-02", "2024-06-03"]
    assert again.fetched == ["2024-06-04", "2024-06-05", "2024-06-06"]
    assert pl.read_parquet(out, hive_partitioning=False).equals(await ws.export_events(*RANGE))
    done = await ws.export_events_to_parquet(out, *RANGE)
    assert done.fetched == []
    assert len(done.skipped) == 6


async def test_resume_after_a_failed_partition(
    emu: Emulator, ws: AsyncWorkspace, tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "mixpanel_async.api.export_parquet.CHUNK_BYTES", 4_000
    )  # several parts each
    out = tmp / "events.parquet"
    # The second partition is cut on every attempt (concurrency 1: partitions in order).
    emu.add_fault(operation="export_events", count=1, latency=0)
    emu.add_fault(operation="export_events", cut_after=3_000, count=2)
    with pytest.raises(PartitionError, match="2024-06-02"):
        await ws.export_events_to_parquet(out, *RANGE, concurrency=1)
    assert not out.exists()
    staging = tmp / ".events.parquet.parts"
    assert listing(staging) == ["day=2024-06-01"]
    emu.clear_faults()
    result = await ws.export_events_to_parquet(out, *RANGE, concurrency=2)
    assert result.skipped == ["2024-06-01"]
    assert result.fetched == [f"2024-06-0{d}" for d in range(2, 7)]
    assert pl.read_parquet(out).equals(await ws.export_events(*RANGE))
    assert listing(tmp) == ["events.parquet"]


async def test_an_interrupted_partition_is_never_taken_as_complete(
    emu: Emulator, ws: AsyncWorkspace, tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mixpanel_async.api.export_parquet.CHUNK_BYTES", 4_000)
    out = tmp / "events"
    emu.add_fault(operation="export_events", latency=5.0, count=1)  # the first one hangs
    task = asyncio.ensure_future(ws.export_events_to_parquet(out, *RANGE, concurrency=3))
    await asyncio.sleep(1.0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    done = listing(out)
    assert "day=2024-06-01" not in done  # it was still downloading
    for name in done:  # whatever is there is whole
        day = name.removeprefix("day=")
        part = pl.read_parquet(out / name, hive_partitioning=False)
        assert part.height == 100, day
    emu.clear_faults()
    result = await ws.export_events_to_parquet(out, *RANGE)
    assert "2024-06-01" in result.fetched
    assert sorted(result.fetched + result.skipped) == [f"2024-06-0{d}" for d in range(1, 7)]
    assert pl.read_parquet(out, hive_partitioning=False).equals(await ws.export_events(*RANGE))


async def test_other_filters_do_not_resume(ws: AsyncWorkspace, tmp: Path) -> None:
    out = tmp / "events"
    await ws.export_events_to_parquet(out, "2024-06-01", "2024-06-02")
    with pytest.raises(ParamValidationError, match="other filters"):
        await ws.export_events_to_parquet(out, *RANGE, events=["Buy"])
    result = await ws.export_events_to_parquet(out, *RANGE, events=["Buy"], overwrite=True)
    assert result.rows == 300


async def test_existing_file_needs_overwrite(ws: AsyncWorkspace, tmp: Path) -> None:
    path = tmp / "events.parquet"
    await ws.export_events_to_parquet(path, "2024-06-01", "2024-06-01")
    with pytest.raises(ParamValidationError, match="overwrite=True"):
        await ws.export_events_to_parquet(path, *RANGE)
    result = await ws.export_events_to_parquet(path, *RANGE, overwrite=True)
    assert result.rows == 600


async def test_profiles_round_trip(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace, tmp: Path
) -> None:
    for i in range(1234):
        mixpanel_emulator.state.default.profiles[f"p{i}"] = {"n": i, "plan": ("a", "b")[i % 2]}
    ws = mixpanel_workspace
    frame = await ws.export_profiles()
    one = await ws.export_profiles_to_parquet(tmp / "people.parquet")
    assert one.rows == 1234
    assert pl.read_parquet(one.path).equals(frame)
    directory = await ws.export_profiles_to_parquet(tmp / "people")
    assert pl.read_parquet(directory.path, hive_partitioning=False).equals(frame)
    with pytest.raises(ParamValidationError, match="not empty"):
        await ws.export_profiles_to_parquet(tmp / "people")


@pytest.mark.parametrize(
    ("path", "kwargs", "match"),
    [
        ("missing/dir/events.parquet", {}, "does not exist"),
        ("events.parquet", {"layout": "zip"}, "layout"),
        ("events", {"from_date": "2024-02-01", "to_date": "2024-01-01"}, "after"),
        ("events", {"partition": "year"}, "partition"),
    ],
)
async def test_refused_before_any_request(
    unreachable: AsyncWorkspace, tmp: Path, path: str, kwargs: dict[str, Any], match: str
) -> None:
    args = {"from_date": "2024-01-01", "to_date": "2024-01-02", **kwargs}
    with pytest.raises(ParamValidationError, match=match):
        await unreachable.export_events_to_parquet(tmp / path, **args)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
async def test_unwritable_directory(unreachable: AsyncWorkspace, tmp: Path) -> None:
    locked = tmp / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(ParamValidationError, match="not writable"):
        await unreachable.export_events_to_parquet(locked / "e.parquet", "2024-01-01", "2024-01-01")


async def test_a_file_where_a_directory_is_wanted(unreachable: AsyncWorkspace, tmp: Path) -> None:
    (tmp / "events").write_text("not a directory")
    with pytest.raises(ParamValidationError, match="is a file"):
        await unreachable.export_events_to_parquet(tmp / "events", "2024-01-01", "2024-01-01")
    (tmp / "stuff").mkdir()
    (tmp / "stuff" / "notes.txt").write_text("mine")
    with pytest.raises(ParamValidationError, match="not part of an export"):
        await unreachable.export_events_to_parquet(tmp / "stuff", "2024-01-01", "2024-01-01")
