"""Event exports into Polars frames (`export_events`, `stream_event_batches`) against the
emulator over loopback: schemas, values, partitions, time order, filters, and arguments refused
before any request. Profiles (engage) are in test_engage.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import polars as pl
import pytest

from mixpanel_async import AsyncWorkspace, ParamValidationError
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def ev(
    name: str, user: str, at_: str, insert_id: str | None = None, **props: Any
) -> dict[str, Any]:
    properties: dict[str, Any] = {"time": int(at(at_).timestamp()), "distinct_id": user, **props}
    if insert_id is not None:
        properties["$insert_id"] = insert_id
    return {"event": name, "properties": properties}


# Three days whose property types disagree: `n` is an integer, then a float, then missing;
# `tag` is text on one day and a number on another; `meta` an object, then text.
EVENTS = [
    ev("Sign Up", "alice", "2024-03-01T09:00:00", "a1", n=1, tag="x", meta={"k": 1},
       seen="2024-03-01T09:00:00"),
    ev("Page", "bob", "2024-03-01T10:00:00", "a2", n=2, tags=["a", "b"], event="shadow"),
    ev("Page", "alice", "2024-03-02T08:00:00", "b1", n=2.5, tag=7, meta="plain"),
    ev("Buy", "carol", "2024-03-02T23:59:59", None, amount=9.5),
    ev("Page", "dave", "2024-03-03T00:00:00", "c1", flag=True),
    ev("Page", "erin", "2024-02-29T23:59:59", "z0"),  # the day before the range
]  # fmt: skip
RANGE = ("2024-03-01", "2024-03-03")


@pytest.fixture
def emu(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(EVENTS))
    return mixpanel_emulator


@pytest.fixture
def ws(emu: Emulator, mixpanel_workspace: AsyncWorkspace) -> AsyncWorkspace:
    return mixpanel_workspace


async def test_frame_columns_types_and_values(ws: AsyncWorkspace) -> None:
    df = await ws.export_events(*RANGE)
    assert df.columns == ["event", "distinct_id", "time", "insert_id", "properties"]
    assert df.schema["time"] == pl.Datetime("ms", "UTC")
    assert df["event"].to_list() == ["Sign Up", "Page", "Page", "Buy", "Page"]
    assert df["distinct_id"].to_list() == ["alice", "bob", "alice", "carol", "dave"]
    assert df["insert_id"].to_list() == ["a1", "a2", "b1", None, "c1"]
    assert df["time"].to_list() == [
        at(t)
        for t in (
            "2024-03-01T09:00:00",
            "2024-03-01T10:00:00",
            "2024-03-02T08:00:00",
            "2024-03-02T23:59:59",
            "2024-03-03T00:00:00",
        )
    ]
    props = df.schema["properties"]
    assert isinstance(props, pl.Struct)
    fields = {f.name: f.dtype for f in props.fields}
    # An integer one day and a float the next widens to Float64; absent is null.
    assert fields["n"] == pl.Float64
    assert df["properties"].struct.field("n").to_list() == [1.0, 2.0, 2.5, None, None]
    # Text one day and a number another: kept as text, losing nothing.
    assert fields["tag"] == pl.String
    assert df["properties"].struct.field("tag").to_list() == ["x", None, "7", None, None]
    # An object one day and text the next: the object becomes its JSON text.
    assert df["properties"].struct.field("meta").to_list()[:3] == ['{"k":1}', None, "plain"]
    # ISO-looking strings stay the text they were (no timestamp guessing).
    assert df["properties"].struct.field("seen").to_list()[0] == "2024-03-01T09:00:00"
    assert fields["tags"] == pl.List(pl.String)
    assert fields["flag"] == pl.Boolean
    # A property called `event` lives in the struct, not over the `event` column.
    assert df["properties"].struct.field("event").to_list()[1] == "shadow"
    assert "time" not in fields
    assert "distinct_id" not in fields
    assert "$insert_id" not in fields


async def test_time_keeps_milliseconds(emu: Emulator, ws: AsyncWorkspace) -> None:
    ms = int(at("2024-03-05T12:00:00").timestamp() * 1000) + 123
    props = f'{{"time": {ms // 1000}, "distinct_id": "m"}}'
    emu.state.default.events.append([("Tick", "m", ms, None, props)])
    df = await ws.export_events("2024-03-05", "2024-03-05")
    assert df["time"].to_list() == [at("2024-03-05T12:00:00.123")]


async def test_partition_sizes_agree(ws: AsyncWorkspace) -> None:
    def canonical(frame: pl.DataFrame) -> list[dict[str, Any]]:
        # A value in a field of conflicting types is kept as JSON text, whose spacing depends
        # on which parser met the conflict: compare it decoded.
        rows = frame.to_dicts()
        for row in rows:
            meta = row["properties"]["meta"]
            row["properties"]["meta"] = orjson.loads(meta) if meta and meta[0] == "{" else meta
        return rows

    by_day = await ws.export_events(*RANGE)
    for partition in ("week", "month", 2, "none", None):
        other = await ws.export_events(*RANGE, partition=partition, concurrency=2)
        assert other.schema == by_day.schema, partition
        assert canonical(other) == canonical(by_day), partition


async def test_many_partitions_exact_counts_and_order(emu: Emulator, ws: AsyncWorkspace) -> None:
    start = at("2024-01-01T00:00:00")
    events = [
        ev("E", f"u{i % 7}", (start + dt.timedelta(minutes=37 * i)).isoformat()[:19], f"i{i}", i=i)
        for i in range(5000)
    ]
    emu.state.default.events.append(rows_of(events))
    df = await ws.export_events("2024-01-01", "2024-05-31", events=["E"], concurrency=3)
    assert df.height == 5000
    assert df["insert_id"].n_unique() == 5000
    assert df["time"].is_sorted()
    assert df["properties"].struct.field("i").to_list() == list(range(5000))


async def test_filters_and_limit(ws: AsyncWorkspace) -> None:
    pages = await ws.export_events(*RANGE, events=["Page"])
    assert pages["distinct_id"].to_list() == ["bob", "alice", "dave"]
    where = await ws.export_events(*RANGE, where='properties["n"] > 1')
    assert where["insert_id"].to_list() == ["a2", "b1"]
    first = await ws.export_events(*RANGE, limit=3)
    assert first["insert_id"].to_list() == ["a1", "a2", "b1"]
    none = await ws.export_events("2023-01-01", "2023-01-02")
    assert none.height == 0
    assert none.columns == ["event", "distinct_id", "time", "insert_id", "properties"]


async def test_stream_event_batches(ws: AsyncWorkspace) -> None:
    batches = [b async for b in ws.stream_event_batches(*RANGE, batch_size=1)]
    assert [b.height for b in batches] == [1, 1, 1, 1, 1]
    joined = pl.concat(batches, how="diagonal_relaxed")
    assert joined["insert_id"].to_list() == ["a1", "a2", "b1", None, "c1"]
    whole = [b async for b in ws.stream_event_batches(*RANGE, partition="none")]
    assert len(whole) == 1
    assert whole[0].height == 5


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"from_date": "2024-13-01", "to_date": "2024-12-31"}, "not a valid date"),
        ({"from_date": "2024/01/01", "to_date": "2024-01-02"}, "date"),
        ({"from_date": "2024-02-01", "to_date": "2024-01-01"}, "after"),
        ({"from_date": "2024-01-01", "to_date": "2024-01-02", "limit": 0}, "limit"),
        ({"from_date": "2024-01-01", "to_date": "2024-01-02", "events": "Page"}, "list"),
        ({"from_date": "2024-01-01", "to_date": "2024-01-02", "partition": "hour"}, "partition"),
        ({"from_date": "2024-01-01", "to_date": "2024-01-02", "concurrency": 0}, "concurrency"),
        ({"from_date": "2024-01-01", "to_date": "2024-01-02", "where": " "}, "where"),
    ],
)
async def test_bad_arguments_fail_before_any_request(
    unreachable: AsyncWorkspace, kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(ParamValidationError, match=match):
        await unreachable.export_events(**kwargs)
    with pytest.raises(ParamValidationError, match=match):
        async for _ in unreachable.stream_event_batches(**kwargs):
            pass


async def test_progress_bars(ws: AsyncWorkspace, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("rich")
    df = await ws.export_events(*RANGE, progress=True)
    assert df.height == 5
    assert (await ws.export_profiles(progress=True)).height == 0
    assert "export events" in capsys.readouterr().err
