"""Ingestion against the emulator: `import_events` from dicts, generators, async iterables
and frames; deterministic `$insert_id`s so that a retried batch cannot double-count; the
failures Mixpanel reports; `import_profiles`; `track`; bad input refused before sending."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import polars as pl
import pytest
from aiohttp import web

from mixpanel_async import AsyncWorkspace, ParamValidationError
from mixpanel_async.bulk.records import MAX_BATCH_BYTES, Batch, insert_id, split_for_size
from mixpanel_async.emulator import Emulator
from tests.helpers import FAST, serving

START = int(dt.datetime(2024, 7, 1, tzinfo=dt.UTC).timestamp())
RANGE = ("2024-07-01", "2024-07-03")


def make(n: int, *, with_ids: bool = True) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        props: dict[str, Any] = {"time": START + i * 20, "distinct_id": f"u{i % 31}", "i": i}
        if with_ids:
            props["$insert_id"] = f"imp-{i}"
        out.append({"event": ("Open", "Click")[i % 2], "properties": props})
    return out


@pytest.fixture
def ws(fast_workspace: AsyncWorkspace) -> AsyncWorkspace:
    return fast_workspace


def stored(emu: Emulator) -> pl.DataFrame:
    """Every row the emulator stored, duplicates included (queries deduplicate them)."""
    return emu.state.default.events.frame()


def deduplicated(exported: pl.DataFrame) -> pl.DataFrame:
    """An export without duplicates: Mixpanel's advice, since raw export keeps them."""
    return exported.unique(subset=["event", "distinct_id", "time", "insert_id"])


async def test_import_a_list(mixpanel_emulator: Emulator, ws: AsyncWorkspace) -> None:
    result = await ws.import_events(make(4500), batch_size=1000, concurrency=3)
    assert (result.sent, result.imported, result.batches, result.failed) == (4500, 4500, 5, ())
    assert result.ok
    frame = await ws.export_events(*RANGE)
    assert sorted(frame["insert_id"].to_list()) == sorted(f"imp-{i}" for i in range(4500))


async def test_generated_ids_are_deterministic(
    mixpanel_emulator: Emulator, ws: AsyncWorkspace
) -> None:
    events = make(300, with_ids=False)
    before = [dict(e, properties=dict(e["properties"])) for e in events]
    await ws.import_events(events)
    assert events == before  # the caller's dicts are not modified
    ids = stored(mixpanel_emulator)["insert_id"].to_list()
    assert sorted(ids) == sorted(insert_id(e) for e in events)
    assert all(len(i) == 32 for i in ids)
    await ws.import_events(iter(events))  # the same events again: the same ids
    assert stored(mixpanel_emulator).height == 600
    exported = await ws.export_events(*RANGE)
    assert exported.height == 600  # raw export keeps both copies...
    assert deduplicated(exported).height == 300  # ... which are the same events


@pytest.fixture
async def lossy(mixpanel_emulator: Emulator) -> AsyncIterator[str]:
    """A proxy in front of the emulator that loses the answer to the first `/import` after the
    emulator has stored the batch, answering 503 instead: the ambiguous failure a retry must
    survive."""
    lost: list[str] = []

    async def forward(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        headers = {
            k: v
            for k, v in request.headers.items()
            if k in ("Authorization", "Content-Type", "Content-Encoding")
        }
        async with (
            aiohttp.ClientSession() as http,
            http.request(
                request.method,
                mixpanel_emulator.url + request.path_qs,
                data=body,
                headers=headers,
            ) as answer,
        ):
            payload = await answer.read()
            status, kind = answer.status, answer.content_type
        if request.path == "/import" and not lost:
            lost.append(request.path)
            return web.Response(status=503, text="upstream went away")
        return web.Response(status=status, body=payload, content_type=kind)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    async with serving(app) as url:
        yield url


async def test_a_retried_batch_is_not_counted_twice(
    mixpanel_emulator: Emulator, lossy: str
) -> None:
    # The first batch is stored but its answer is lost; the transport sends it again. The
    # generated $insert_ids are the same both times, so deduplication keeps each once.
    async with AsyncWorkspace(base_url=lossy, project="1", retry=FAST) as ws:
        result = await ws.import_events(make(500, with_ids=False))
        assert result.imported == 500
        assert stored(mixpanel_emulator).height == 1000  # the batch arrived twice
        frame = deduplicated(await ws.export_events(*RANGE))
    assert frame.height == 500
    assert frame["insert_id"].n_unique() == 500


async def test_server_errors_are_retried(mixpanel_emulator: Emulator, ws: AsyncWorkspace) -> None:
    mixpanel_emulator.add_fault(operation="import_events", status=503, count=2)
    mixpanel_emulator.add_fault(operation="import_events", status=429, retry_after=0.01)
    result = await ws.import_events(make(3000), batch_size=500)
    assert result.imported == 3000
    assert stored(mixpanel_emulator).height == 3000


async def test_reported_failures_carry_input_indexes(
    mixpanel_emulator: Emulator, ws: AsyncWorkspace
) -> None:
    events = make(2500)
    events[2100]["properties"]["time"] = 12  # before 1971: Mixpanel refuses it
    result = await ws.import_events(events, batch_size=1000)
    assert result.sent == 2500
    assert result.imported == 2499
    assert [f.index for f in result.failed] == [2100]
    assert result.failed[0].insert_id == "imp-2100"
    assert "time" in result.failed[0].message
    assert result.df["index"].to_list() == [2100]
    assert not result.ok


async def test_non_strict_drops_silently(mixpanel_emulator: Emulator, ws: AsyncWorkspace) -> None:
    events = make(10)
    events[3]["properties"]["time"] = 12
    result = await ws.import_events(events, strict=False)
    assert (result.sent, result.imported, result.failed) == (10, 9, ())


async def test_generators_and_async_iterables(ws: AsyncWorkspace) -> None:
    def gen() -> Iterator[dict[str, Any]]:
        yield from make(2100)

    async def agen() -> AsyncIterator[dict[str, Any]]:
        for event in make(2100):
            yield event

    first = await ws.import_events(gen(), batch_size=700)
    assert (first.imported, first.batches) == (2100, 3)
    second = await ws.import_events(agen())
    assert (second.imported, second.batches) == (2100, 2)
    assert deduplicated(await ws.export_events(*RANGE)).height == 2100


async def test_normalised_dicts_round_trip(mixpanel_emulator: Emulator, ws: AsyncWorkspace) -> None:
    await ws.import_events(make(50))
    exported = [e async for e in ws.stream_events(from_date=RANGE[0], to_date=RANGE[1])]
    mixpanel_emulator.reset()
    await ws.import_events(exported)
    again = [e async for e in ws.stream_events(from_date=RANGE[0], to_date=RANGE[1])]
    assert again == exported


async def test_frames_round_trip(mixpanel_emulator: Emulator, ws: AsyncWorkspace) -> None:
    events = make(3000)
    events[5]["properties"]["extra"] = {"nested": [1, 2]}
    await ws.import_events(events)
    frame = await ws.export_events(*RANGE)
    raw = [e async for e in ws.stream_events(from_date=RANGE[0], to_date=RANGE[1], raw=True)]
    mixpanel_emulator.reset()
    result = await ws.import_events(frame, batch_size=1000)
    assert (result.imported, result.batches) == (3000, 3)
    back = [e async for e in ws.stream_events(from_date=RANGE[0], to_date=RANGE[1], raw=True)]
    # Nulls the frame needed for its columns are not sent: the events come back as they were.
    assert back == raw


async def test_flat_frames(mixpanel_emulator: Emulator, ws: AsyncWorkspace) -> None:
    frame = pl.DataFrame(
        {
            "event": ["Open", "Open", "Click"],
            "distinct_id": ["a", "b", "c"],
            "time": [dt.datetime(2024, 7, 1, 10, tzinfo=dt.UTC)] * 3,
            "plan": ["pro", None, "free"],
            "n": [1, 2, None],
        }
    )
    result = await ws.import_events(frame)
    assert result.imported == 3
    got = {e["properties"]["distinct_id"]: e["properties"] for e in mixpanel_emulator.events()}
    assert got["a"]["plan"] == "pro"
    assert got["a"]["n"] == 1
    assert "plan" not in got["b"]
    assert "n" not in got["c"]
    assert got["a"]["time"] == int(dt.datetime(2024, 7, 1, 10, tzinfo=dt.UTC).timestamp())
    assert len({e["$insert_id"] for e in got.values()}) == 3


async def test_profiles(mixpanel_emulator: Emulator, ws: AsyncWorkspace) -> None:
    people = [{"distinct_id": f"p{i}", "properties": {"n": i, "gone": None}} for i in range(2500)]
    result = await ws.import_profiles(people, concurrency=2)
    assert (result.sent, result.imported, result.batches) == (2500, 2500, 2)
    stored_profiles = mixpanel_emulator.state.default.profiles
    assert stored_profiles["p7"] == {"n": 7}
    frame = await ws.export_profiles()
    mixpanel_emulator.reset()
    await ws.import_profiles(frame)
    back = await ws.export_profiles()  # batches land in any order: compare sorted
    assert back.sort("distinct_id").equals(frame.sort("distinct_id"))
    await ws.import_profiles([{"$distinct_id": "p1", "$set": {"vip": True}}])
    assert mixpanel_emulator.state.default.profiles["p1"]["vip"] is True


async def test_track(mixpanel_emulator: Emulator, ws: AsyncWorkspace) -> None:
    await ws.track("Signed In", {"plan": "pro"}, distinct_id="alice")
    (event,) = mixpanel_emulator.events()
    assert event["event"] == "Signed In"
    props = event["properties"]
    assert (props["distinct_id"], props["plan"]) == ("alice", "pro")
    assert abs(props["time"] - dt.datetime.now(dt.UTC).timestamp()) < 60
    assert "token" not in props
    assert props["$insert_id"]


@pytest.mark.parametrize(
    ("events", "match"),
    [
        (["not a dict"], "event 5: must be a dict"),
        ([{"properties": {}}], "event 5: needs 'event'"),
        ([{"event": "", "properties": {}}], "non-empty"),
        ([{"event": "E", "properties": []}], "must be a dict"),
        ([{"event": "E", "properties": {"distinct_id": "a"}}], "time is required"),
        ([{"event": "E", "properties": {"time": "soon", "distinct_id": "a"}}], "time must be"),
        ([{"event": "E", "properties": {"time": 1, "distinct_id": None}}], "distinct_id"),
        (
            [{"event": "E", "properties": {"time": 1, "distinct_id": "a", "$insert_id": "a b"}}],
            "insert_id",
        ),
        ({"event": "E", "properties": {}}, "iterable of records"),
        ("events.json", "iterable of records"),
        (pl.DataFrame({"event": ["E"]}), "columns event, distinct_id and time"),
        (pl.DataFrame({"event": ["E"], "distinct_id": [None], "time": [1]}), "distinct_id is null"),
    ],
)
async def test_malformed_events_fail_before_any_request(
    unreachable: AsyncWorkspace, events: Any, match: str
) -> None:
    good = make(5)
    payload = [*good, *events] if isinstance(events, list) else events
    with pytest.raises(ParamValidationError, match=match):
        await unreachable.import_events(payload)


async def test_bad_options_fail_before_any_request(unreachable: AsyncWorkspace) -> None:
    with pytest.raises(ParamValidationError, match="batch_size"):
        await unreachable.import_events(make(1), batch_size=2001)
    with pytest.raises(ParamValidationError, match="concurrency"):
        await unreachable.import_events(make(1), concurrency=0)
    with pytest.raises(ParamValidationError, match="profile 0"):
        await unreachable.import_profiles([{"properties": {}}])
    with pytest.raises(ParamValidationError, match="event"):
        await unreachable.track("", distinct_id="a")


def test_batches_are_split_under_ten_megabytes() -> None:
    big = [{"event": "E", "properties": {"blob": "x" * 700_000, "i": i}} for i in range(40)]
    parts = list(split_for_size(Batch(100, big)))
    assert all(len(body) <= MAX_BATCH_BYTES for _, body in parts)
    assert [p.offset for p, _ in parts] == sorted(p.offset for p, _ in parts)
    assert sum(len(p.records) for p, _ in parts) == 40
    assert parts[0][0].offset == 100
