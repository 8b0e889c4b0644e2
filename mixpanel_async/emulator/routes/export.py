"""Emulator routes for openapi/export.yaml: raw event export as streamed JSON lines.

Everything that can fail is checked before the response starts (dates, `event`, the `where`
expression and its evaluation), so a bad request is a 400 in the export error shape and never
a 200 with half a body. The body is then written in chunks built by `engine.events`.
"""

from __future__ import annotations

import asyncio
import zlib
from collections import deque
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import polars as pl
from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import events as ev
from mixpanel_async.emulator.engine import expressions
from mixpanel_async.emulator.faults import write_stream
from mixpanel_async.emulator.router import Call, Routes, project_for

routes = Routes()

CHUNK_ROWS = 16_384
"""Rows per written chunk: big enough to amortise the per-chunk cost, small enough to keep the
memory of one chunk in the low megabytes."""

READ_AHEAD = 2
"""Chunks of one response built ahead of the one being written (bounds its memory)."""

GZIP_LEVEL = 1
"""Fast compression: at level 1 zlib keeps up with the line builder on another core (the
default level 6 is 3x slower), and typical JSON lines still shrink more than 10x."""

Body = bytes | memoryview
"""A piece of the body as it is written."""

# One JSON object per line, served as Mixpanel's export host labels it.
CONTENT_TYPE = "application/x-ndjson"


def _event_names(call: Call) -> list[str] | None:
    names: Any = call.params.get("event")
    if names is None:
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise errors.bad_param("event", errors.EVENTS_NOT_NAMES)
    return names


def _where(call: Call) -> expressions.Node | None:
    text = call.params.get("where")
    if text is None or not str(text).strip():
        return None
    try:
        return expressions.parse(text)
    except expressions.ExpressionError as exc:
        raise errors.bad_expression("where", exc) from None


async def _mask(
    frame: pl.DataFrame, names: list[str] | None, node: expressions.Node | None, limit: int | None
) -> pl.Series | None:
    """Which rows to export (None: all). Kept as a mask rather than a filtered copy so the
    rows are only ever copied one chunk at a time. `where` is evaluated chunk by chunk, on
    the rows the event filter keeps, yielding to the loop in between; with a `limit`, rows
    past the limit-th match are not evaluated at all."""
    events = ev.event_mask(frame, names) if names else None
    if node is None:
        return events
    parts: list[pl.Series] = []
    found = 0
    now = datetime.now(UTC)  # one NOW for the whole request
    for offset in range(0, frame.height, CHUNK_ROWS):
        chunk = frame.slice(offset, CHUNK_ROWS)
        part = pl.repeat(False, chunk.height, dtype=pl.Boolean, eager=True)
        if limit is None or found < limit:
            picked = None if events is None else events.slice(offset, CHUNK_ROWS)
            candidates = chunk if picked is None else chunk.filter(picked)
            try:
                matched = ev.where_mask(candidates, node, now=now)
            except expressions.ExpressionError as exc:
                raise errors.bad_expression("where", exc) from None
            part = matched if picked is None else part.scatter(picked.arg_true(), matched)
            found += int(matched.sum())
            await asyncio.sleep(0)
        parts.append(part)
    return pl.concat(parts) if parts else pl.Series("keep", [], dtype=pl.Boolean)


def _upto_limit(
    frame: pl.DataFrame, mask: pl.Series | None, limit: int | None
) -> tuple[pl.DataFrame, pl.Series | None]:
    """The frame (and mask) cut just after the `limit`-th exported row (zero-copy slices), so
    that every chunk can be built on its own."""
    if limit is None:
        return frame, mask
    if mask is None:
        return frame.head(max(limit, 0)), None
    kept = mask.arg_true()
    if kept.len() <= limit:
        return frame, mask
    end = int(kept[limit - 1]) + 1 if limit > 0 else 0
    return frame.head(end), mask.head(end)


def _chunk_lines(
    frame: pl.DataFrame, mask: pl.Series | None, offset: int, time_in_ms: bool, plan: ev.ExportPlan
) -> Body:
    """The export lines of rows `offset .. offset + CHUNK_ROWS` (run in a worker thread)."""
    chunk = frame.slice(offset, CHUNK_ROWS)
    if mask is not None:
        chunk = chunk.filter(mask.slice(offset, CHUNK_ROWS))
    return ev.export_lines(chunk, time_in_ms=time_in_ms, plan=plan)


async def _lines(
    frame: pl.DataFrame,
    mask: pl.Series | None,
    limit: int | None,
    time_in_ms: bool,
    plan: ev.ExportPlan,
) -> AsyncIterator[Body]:
    """The body's chunks, built in worker threads (Polars releases the GIL) up to
    `READ_AHEAD` chunks ahead of the writer, so the loop only writes and concurrent exports
    build on every core."""
    frame, mask = _upto_limit(frame, mask, limit)
    loop = asyncio.get_running_loop()
    building: deque[asyncio.Future[Body]] = deque()
    try:
        for offset in range(0, frame.height, CHUNK_ROWS):
            building.append(
                loop.run_in_executor(None, _chunk_lines, frame, mask, offset, time_in_ms, plan)
            )
            if len(building) > READ_AHEAD and (out := await building.popleft()):
                yield out
        while building:
            if out := await building.popleft():
                yield out
    finally:
        for future in building:
            future.cancel()


async def _gzipped(chunks: AsyncIterator[Body]) -> AsyncIterator[Body]:
    """Gzip a chunk stream, compressing chunk k on a worker thread while chunk k+1 is built
    (zlib and polars both release the GIL, so the two overlap)."""
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    loop = asyncio.get_running_loop()
    pending: asyncio.Future[bytes] | None = None  # compressed: always bytes
    async for chunk in chunks:
        if pending is not None and (out := await pending):
            yield out
        pending = loop.run_in_executor(None, compressor.compress, chunk)
    if pending is not None and (out := await pending):
        yield out
    yield compressor.flush()


@routes("export_events")
async def export_events(call: Call) -> web.StreamResponse:
    """GET /api/2.0/export: the project's events of the date range as stored (duplicates
    included: deduplication is a query-time rule), one JSON object per line, oldest first."""
    params = call.params
    from_date, to_date = params["from_date"], params["to_date"]
    if from_date > to_date:  # ISO dates compare correctly as text
        raise errors.date_order(from_date, to_date)
    names = _event_names(call)
    node = _where(call)
    limit: int | None = params.get("limit")
    time_in_ms = bool(params.get("time_in_ms", False))
    project = project_for(call)
    try:
        start_ms, end_ms = ev.day_window_ms(from_date, to_date, project.timezone)
    except ValueError as exc:
        raise errors.bad_timezone(exc) from None

    everything = project.events.everything()
    plan = await asyncio.to_thread(ev.export_plan, everything)
    frame = ev.window(everything, start_ms, end_ms)
    mask = await _mask(frame, names, node, limit)

    response = web.StreamResponse(status=200)
    response.content_type = CONTENT_TYPE
    response.charset = "utf-8"
    # The CORS middleware cannot add its header to a response that is already streaming.
    response.headers["Access-Control-Allow-Origin"] = "*"
    body = _lines(frame, mask, limit, time_in_ms, plan)
    # Compressed here rather than with `enable_compression()` to pick a fast level and to
    # overlap compression with building; `cut_after` faults then count bytes on the wire.
    if "gzip" in call.request.headers.get("Accept-Encoding", "").lower():
        response.headers["Content-Encoding"] = "gzip"
        body = _gzipped(body)
    await response.prepare(call.request)
    return await write_stream(call.request, response, body)
