"""Partitioned exports under injected faults: 429 with Retry-After, 503, connections cut
mid-stream, a truncated last line. Every case ends with the exact events, none lost or doubled,
or with a `PartitionError` naming the partition once the retries are spent."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from aiohttp import web

from mixpanel_async import (
    AsyncWorkspace,
    PartitionError,
    QueryError,
    ServerError,
)
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import FAST, serving

DAYS = 5
PER_DAY = 2000
FIRST = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
RANGE = ("2024-05-01", "2024-05-05")


def events() -> list[dict[str, Any]]:
    out = []
    for i in range(DAYS * PER_DAY):
        when = FIRST + dt.timedelta(seconds=i * 86400 // PER_DAY)
        props = {
            "time": int(when.timestamp()),
            "distinct_id": f"u{i % 97}",
            "$insert_id": f"e-{i}",
            "i": i,
            "note": "x" * (i % 50),
        }
        out.append({"event": "Tick", "properties": props})
    return out


@pytest.fixture
def emu(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(events()))
    return mixpanel_emulator


@pytest.fixture
def ws(emu: Emulator, fast_workspace: AsyncWorkspace) -> AsyncWorkspace:
    """Three attempts (`FAST`), as the error messages below count them."""
    return fast_workspace


def assert_exact(frame: Any) -> None:
    assert frame.height == DAYS * PER_DAY
    assert frame["insert_id"].to_list() == [f"e-{i}" for i in range(DAYS * PER_DAY)]


async def test_no_faults(ws: AsyncWorkspace) -> None:
    assert_exact(await ws.export_events(*RANGE))


async def test_503_is_retried(emu: Emulator, ws: AsyncWorkspace) -> None:
    emu.add_fault(operation="export_events", status=503, count=2)
    assert_exact(await ws.export_events(*RANGE))


async def test_429_with_retry_after_is_retried(emu: Emulator, ws: AsyncWorkspace) -> None:
    emu.add_fault(operation="export_events", status=429, count=3, retry_after=0.01)
    assert_exact(await ws.export_events(*RANGE, concurrency=2))


@pytest.mark.parametrize("cut_after", [1, 50_000, 200_000])
@pytest.mark.parametrize("chunk_bytes", [16 << 20, 20_000])
async def test_cut_mid_stream_restarts_the_partition(
    emu: Emulator,
    ws: AsyncWorkspace,
    cut_after: int,
    chunk_bytes: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With small chunks, rows before the cut have been parsed and handed on: they must go.
    monkeypatch.setattr("mixpanel_async.api.export_frames.CHUNK_BYTES", chunk_bytes)
    emu.add_fault(operation="export_events", cut_after=cut_after, count=2)
    assert_exact(await ws.export_events(*RANGE, concurrency=2))


async def test_cut_partitions_in_batches_too(emu: Emulator, ws: AsyncWorkspace) -> None:
    emu.add_fault(operation="export_events", cut_after=100_000, count=2)
    frames = [b async for b in ws.stream_event_batches(*RANGE, batch_size=700)]
    assert max(f.height for f in frames) <= 700
    ids = [i for f in frames for i in f["insert_id"].to_list()]
    assert ids == [f"e-{i}" for i in range(DAYS * PER_DAY)]


async def test_cut_every_time_names_the_partition(emu: Emulator, ws: AsyncWorkspace) -> None:
    emu.add_fault(operation="export_events", cut_after=10_000, count=100)
    with pytest.raises(PartitionError) as info:
        await ws.export_events(*RANGE, concurrency=1)
    error = info.value
    assert error.partition == "2024-05-01"
    assert "2024-05-01" in str(error)
    assert "3 HTTP request" in str(error)
    assert error.details["from_date"] == "2024-05-01"


async def test_server_errors_after_retries_name_the_partition(
    emu: Emulator, ws: AsyncWorkspace
) -> None:
    emu.add_fault(operation="export_events", status=503, count=100)
    with pytest.raises(PartitionError, match="2024-05-01") as info:
        await ws.export_events(*RANGE, concurrency=1)
    assert isinstance(info.value.__cause__, ServerError)


async def test_a_refused_query_is_not_a_partition_error(ws: AsyncWorkspace) -> None:
    with pytest.raises(QueryError):
        await ws.export_events(*RANGE, where='properties["i"] = 1')


# --- a truncated last line, on an otherwise well-formed response ---------------------------


@pytest.fixture
async def truncating() -> AsyncIterator[tuple[str, list[int]]]:
    """A bare export endpoint whose first answer loses the end of its last line while the
    HTTP response itself is complete (as a proxy that cut it would send it)."""
    body = b"".join(
        orjson.dumps({"event": "E", "properties": {"time": 1714521600 + i, "distinct_id": "u",
                                                    "$insert_id": f"t-{i}"}}) + b"\n"
        for i in range(1000)
    )  # fmt: skip
    calls: list[int] = []

    async def export(request: web.Request) -> web.Response:
        calls.append(1)
        if len(calls) == 1:
            return web.Response(body=body[: len(body) - 7], content_type="text/plain")
        return web.Response(body=body, content_type="text/plain")

    app = web.Application()
    app.router.add_get("/api/2.0/export", export)
    async with serving(app) as url:
        yield url, calls


async def test_truncated_last_line_triggers_a_retry(truncating: tuple[str, list[int]]) -> None:
    url, calls = truncating
    async with AsyncWorkspace(base_url=url, project="1", retry=FAST) as ws:
        frame = await ws.export_events("2024-05-01", "2024-05-01")
    assert len(calls) == 2
    assert frame["insert_id"].to_list() == [f"t-{i}" for i in range(1000)]


def test_line_chunks_refuse_a_truncated_tail() -> None:
    from mixpanel_async.bulk.jsonl import TruncatedStream
    from mixpanel_async.bulk.tabular import LineChunks

    chunks = LineChunks(10)
    assert chunks.feed(b'{"a":1}\n{"a":') == [b'{"a":1}\n']
    with pytest.raises(TruncatedStream):
        chunks.finish()
    whole = LineChunks(1 << 20)
    assert whole.feed(b'{"a":1}\n{"a":2}') is None
    assert (
        b"".join(whole.finish()) == b'{"a":1}\n{"a":2}'
    )  # a last line without newline that parses
