"""Exports into Polars: `export_events`, `stream_event_batches`, `export_profiles`,
`stream_profile_batches`, and the partition fetcher the Parquet writers share.

A date range is cut into partitions (a day by default) that are downloaded concurrently. Each
partition's body is cut into chunks of whole lines as it arrives and every chunk is parsed in
a worker thread while the download goes on, so downloading and parsing overlap within a
partition and across partitions. A partition that fails part-way (a cut connection, a
truncated last line) is fetched again from its start, its partial rows dropped.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from mixpanel_async._operation import JsonLines, LazyModule, Request
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.engage import ProfileFilters, profile_pages, profile_query
from mixpanel_async.bulk.partitions import Partition, PartitionSpec, concurrency_for, ordered, split
from mixpanel_async.bulk.progress import Reporter, report
from mixpanel_async.exceptions import (
    MixpanelConnectionError,
    MixpanelTimeoutError,
    PartitionError,
    RateLimitError,
    ServerError,
)
from mixpanel_async.transport.session import Transport

if TYPE_CHECKING:
    import aiohttp
    import polars as pl

    from mixpanel_async._generated.models import export as export_models
    from mixpanel_async._generated.operations import export as export_ops
    from mixpanel_async.bulk import files, tabular
    from mixpanel_async.bulk import jsonl as bulk_jsonl
    from mixpanel_async.bulk.destinations import Destination
else:
    aiohttp = LazyModule("aiohttp")
    pl = LazyModule("polars")
    export_models = LazyModule("mixpanel_async._generated.models.export")
    export_ops = LazyModule("mixpanel_async._generated.operations.export")
    files = LazyModule("mixpanel_async.bulk.files")
    tabular = LazyModule("mixpanel_async.bulk.tabular")
    bulk_jsonl = LazyModule("mixpanel_async.bulk.jsonl")

CHUNK_BYTES = 4 << 20
"""Bytes of JSON lines parsed at a time: big enough for the parser's threads, small enough that
a day partition is several chunks, so its parsing starts while its download continues."""
PARSES_IN_FLIGHT = 2
"""Chunks of one partition being parsed while its download continues (back-pressure)."""
EVENT_BATCH_ROWS = 100_000
PROFILE_BATCH_ROWS = 10_000
PAGE_PARSES_IN_FLIGHT = 16
"""Engage pages (about 1,000 profiles each) waiting for or in a parse before the page walk
waits for the oldest: enough that the parsers never hold up the requests in flight."""

EventsRequest = Request[JsonLines["export_models.ExportedEvent"]]
"""A request for one partition's events, read as a stream of JSON lines."""
OnFrame = Callable[["pl.DataFrame"], Awaitable[None]]
OnReset = Callable[[], Awaitable[None]]


def _transient() -> tuple[type[BaseException], ...]:
    """What makes a partition's download start again (from its first event)."""
    return (
        bulk_jsonl.TruncatedStream,
        MixpanelConnectionError,
        MixpanelTimeoutError,
        aiohttp.ClientError,
        TimeoutError,
    )


def export_plan(
    from_date: str | dt.date,
    to_date: str | dt.date,
    *,
    events: Sequence[str] | None,
    where: str | None,
    limit: int | None,
    partition: PartitionSpec,
) -> list[tuple[Partition, EventsRequest]]:
    """Validate export arguments and build one request per partition (no I/O).

    Raises:
        ParamValidationError: bad dates, `from_date` after `to_date`, `limit` outside
            1..100000, `events` not a list of names, an empty `where`, a bad `partition`.
    """
    start, end = checks.date_range(from_date, to_date)
    names = checks.names(events, "events") if events is not None else None
    where = checks.optional_text(where, "where")
    return [
        (
            part,
            checks.build(
                export_ops.export_events,
                from_date=part.start,
                to_date=part.end,
                event=names,
                where=where,
                limit=limit,
                time_in_ms=True,
            ),
        )
        for part in split(start, end, partition)
    ]


def export_concurrency(transport: Transport, requested: int | None) -> int:
    """Partitions in flight at once: `requested` (default 8), within the export limit."""
    family = transport.limiters.limits.get(export_ops.EXPORT_EVENTS.rate_limit)
    return concurrency_for(family.concurrency if family else None, requested)


def _backoff(transport: Transport, attempt: int) -> float:
    policy = transport.retry
    wait = min(policy.wait_initial * 2.0 ** (attempt - 1), policy.wait_max)
    return wait + random.uniform(0, policy.wait_jitter)


async def _download(
    transport: Transport,
    request: EventsRequest,
    hints: tabular.Hints,
    on_frame: OnFrame,
    chunk_bytes: int,
) -> None:
    """One attempt: stream the body, parse chunks in worker threads as they complete."""
    chunks = tabular.LineChunks(chunk_bytes)
    parsing: deque[asyncio.Future[pl.DataFrame]] = deque()

    def parse(data: list[bytes]) -> None:
        parsing.append(asyncio.ensure_future(asyncio.to_thread(tabular.parse_events, data, hints)))

    try:
        async with transport.stream(request) as response:
            try:
                async for data in response.content.iter_any():
                    chunk = chunks.feed(data)
                    if chunk is None:
                        continue
                    if len(parsing) >= PARSES_IN_FLIGHT:
                        await on_frame(await parsing.popleft())
                    parse(chunk)
            except (aiohttp.ClientPayloadError, aiohttp.ClientConnectionError) as exc:
                raise bulk_jsonl.TruncatedStream(f"the export stream was cut: {exc!r}") from exc
            rest = chunks.finish()
        if rest:
            parse(rest)
        while parsing:
            await on_frame(await parsing.popleft())
    finally:
        for future in parsing:
            future.cancel()


async def fetch_partition(
    transport: Transport,
    part: Partition,
    request: EventsRequest,
    hints: tabular.Hints,
    on_frame: OnFrame,
    on_reset: OnReset,
    chunk_bytes: int | None = None,
) -> None:
    """Fetch one partition, handing its frames (in order) to `on_frame`.

    A failure part-way calls `on_reset` (the consumer drops what it got) and starts the
    partition over, up to the retry policy's attempts; 429 and 5xx before the body starts
    are retried by the transport itself.

    Raises:
        PartitionError: the partition still failed after its retries (the cause chained).
        QueryError: Mixpanel refused the request (e.g. a bad `where`): not worth retrying.
    """
    attempts = max(transport.retry.attempts, 1)
    requests = 0  # HTTP requests sent for this partition, the transport's own retries included
    for attempt in range(1, attempts + 1):
        try:
            await _download(transport, request, hints, on_frame, chunk_bytes or CHUNK_BYTES)
            return
        except _transient() as exc:
            await on_reset()
            requests += _requests_made(exc)
            if attempt >= attempts:
                raise _partition_error(part, requests, exc) from exc
            await asyncio.sleep(_backoff(transport, attempt))
        except (RateLimitError, ServerError) as exc:
            await on_reset()
            raise _partition_error(part, requests + _requests_made(exc), exc) from exc
        except BaseException:
            await on_reset()
            raise


def _requests_made(exc: BaseException) -> int:
    """How many HTTP requests a failed download made: what the transport counted when its own
    retries ran out, else one (a stream cut mid-body)."""
    details = getattr(exc, "details", None)
    counted = details.get("attempts") if isinstance(details, dict) else None
    return counted if isinstance(counted, int) and counted > 0 else 1


def _partition_error(part: Partition, attempts: int, exc: BaseException) -> PartitionError:
    return PartitionError(
        f"export partition {part.label} failed after {attempts} HTTP request(s): {exc}; re-run to "
        "fetch it again (Parquet exports resume from the missing partitions)",
        partition=part.label,
        details={
            "partition": part.label,
            "from_date": part.start.isoformat(),
            "to_date": part.end.isoformat(),
            "attempts": attempts,
        },
    )


async def collect_partition(
    transport: Transport, part: Partition, request: EventsRequest, hints: tabular.Hints
) -> pl.DataFrame:
    """One partition as one frame, in time order."""
    got: list[pl.DataFrame] = []

    async def on_frame(frame: pl.DataFrame) -> None:
        got.append(frame)

    async def on_reset() -> None:
        got.clear()

    await fetch_partition(transport, part, request, hints, on_frame, on_reset)
    return await asyncio.to_thread(_partition_frame, got)


def _partition_frame(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """A partition's chunk frames as one frame in time order (run in a worker thread)."""
    return tabular.sort_by_time(tabular.concat(frames, tabular.empty_events()))


async def profile_frames(
    transport: Transport, body: dict[str, Any], concurrency: int | None, bar: Reporter
) -> AsyncIterator[pl.DataFrame]:
    """One frame per engage page, in page order; pages parse in worker threads while the
    next ones download.

    A page goes to a parser as soon as it arrives, and parsed frames are passed on whenever
    they are ready, so the requests keep flowing while pages parse; the page walk waits on a
    parse only once `PAGE_PARSES_IN_FLIGHT` pages are waiting for theirs. The readers' one-time
    set-up (`tabular.warm_up_profiles`) runs while the first page is on its way.
    """
    hints = tabular.Hints()
    parsing: deque[asyncio.Future[pl.DataFrame]] = deque()
    warm = asyncio.ensure_future(asyncio.to_thread(tabular.warm_up_profiles))
    try:
        async for page in profile_pages(transport, body, concurrency):
            parsing.append(
                asyncio.ensure_future(asyncio.to_thread(tabular.parse_profiles, page, hints))
            )
            while parsing and (parsing[0].done() or len(parsing) > PAGE_PARSES_IN_FLIGHT):
                frame = await parsing.popleft()
                bar.advance(1, frame.height)
                yield frame
        await warm
        while parsing:
            frame = await parsing.popleft()
            bar.advance(1, frame.height)
            yield frame
    finally:
        warm.cancel()
        for future in parsing:
            future.cancel()


class EventExport(TypedDict, total=False):
    """The options of `export_events` and `stream_event_batches`.

    Attributes:
        events: Only these event names.
        where: A Mixpanel filter expression rows must satisfy.
        limit: At most this many events (1..100000). Mixpanel applies a limit per request,
            so each partition asks for `limit` and the result keeps the first `limit` rows in
            partition order.
        partition: `"day"` (the default), `"week"`, `"month"`, a number of days, or `"none"`:
            the date range is fetched as partitions of this size, concurrently.
        concurrency: Partitions in flight at once (default 8, within the export limit).
        progress: Show a progress bar on stderr (needs rich).
    """

    events: Sequence[str] | None
    where: str | None
    limit: int | None
    partition: PartitionSpec
    concurrency: int | None
    progress: bool


class ExportFramesMixin(Base):
    """Exports as Polars frames."""

    async def _partition_frames(
        self, from_date: str | dt.date, to_date: str | dt.date, options: EventExport
    ) -> AsyncIterator[pl.DataFrame]:
        """Every partition's events as one frame in time order, partitions in order."""
        unknown = sorted(options.keys() - EventExport.__optional_keys__)
        if unknown:
            raise TypeError(f"got an unexpected keyword argument {unknown[0]!r}")
        limit = options.get("limit")
        plan = export_plan(
            from_date,
            to_date,
            events=options.get("events"),
            where=options.get("where"),
            limit=limit,
            partition=options.get("partition", "day"),
        )
        width = export_concurrency(self._transport, options.get("concurrency"))
        hints = tabular.Hints()
        transport = self._transport

        async def work(item: tuple[Partition, EventsRequest]) -> pl.DataFrame:
            return await collect_partition(transport, item[0], item[1], hints)

        remaining = limit
        with report(
            options.get("progress", False), "export events", len(plan), "partitions"
        ) as bar:
            async for frame in ordered(plan, work, width):
                if remaining is not None:
                    frame = frame.head(remaining)
                    remaining -= frame.height
                bar.advance(1, frame.height)
                yield frame
                if remaining == 0:
                    return

    async def export_events(
        self, from_date: str | dt.date, to_date: str | dt.date, **options: Unpack[EventExport]
    ) -> pl.DataFrame:
        """Export the events of a date range (both ends inclusive) as one Polars frame.

        Columns: `event`, `distinct_id`, `time` (`Datetime("ms", "UTC")`), `insert_id` (null
        when the event has none) and `properties`, a struct of every other property with its
        JSON type (see the README on schemas across partitions). Rows are in time order.

        Args:
            from_date: First day, `YYYY-MM-DD` or a date.
            to_date: Last day, inclusive.
            **options: `events`, `where`, `limit`, `partition`, `concurrency`, `progress`
                (see `EventExport`).

        Raises:
            ParamValidationError: bad arguments, before any request.
            PartitionError: a partition still failed after its retries.
            QueryError: Mixpanel refused the query (e.g. a bad `where`).
        """
        got = [frame async for frame in self._partition_frames(from_date, to_date, options)]
        return tabular.concat(got, tabular.empty_events())

    async def stream_event_batches(
        self,
        from_date: str | dt.date,
        to_date: str | dt.date,
        *,
        batch_size: int = EVENT_BATCH_ROWS,
        **options: Unpack[EventExport],
    ) -> AsyncIterator[pl.DataFrame]:
        """Export events as frames of at most `batch_size` rows, in time order.

        Arguments as for `export_events`. Each batch comes from one partition and has that
        partition's schema (`pl.concat(batches, how="diagonal_relaxed")` joins them; or use
        `export_events`). At most `concurrency` partitions are held at once.

        Raises:
            ParamValidationError: bad arguments, before any request.
            PartitionError: a partition still failed after its retries.
        """
        checks.int_range(batch_size, "batch_size", 1)
        async for frame in self._partition_frames(from_date, to_date, options):
            for batch in tabular.batches(frame, batch_size):
                yield batch

    async def stream_profile_batches(
        self,
        *,
        concurrency: int | None = None,
        batch_size: int = PROFILE_BATCH_ROWS,
        progress: bool = False,
        **filters: Unpack[ProfileFilters],
    ) -> AsyncIterator[pl.DataFrame]:
        """Export profiles as frames of about `batch_size` rows (whole pages), in page order.

        Filters as for `stream_profiles` (`ProfileFilters`). Columns: `distinct_id`,
        `last_seen` (`Datetime("ms", "UTC")`, from `$last_seen`) and `properties` (a struct
        of the rest). Pages after the first are fetched `concurrency` at a time.

        Raises:
            ParamValidationError: conflicting options or a bad `batch_size`, before any request.
        """
        checks.int_range(batch_size, "batch_size", 1)
        body = profile_query(filters)
        if body is None:
            return
        pending: list[pl.DataFrame] = []
        rows = 0
        with report(progress, "export profiles", None, "pages") as bar:
            async for frame in profile_frames(self._transport, body, concurrency, bar):
                pending.append(frame)
                rows += frame.height
                if rows >= batch_size:
                    yield tabular.concat(pending, tabular.empty_profiles())
                    pending, rows = [], 0
        if pending:
            yield tabular.concat(pending, tabular.empty_profiles())

    async def export_profiles(
        self,
        *,
        concurrency: int | None = None,
        progress: bool = False,
        **filters: Unpack[ProfileFilters],
    ) -> pl.DataFrame:
        """Export the profiles matching the filters (as for `stream_profiles`) as one frame.

        Columns: `distinct_id`, `last_seen` (`Datetime("ms", "UTC")`) and `properties`.

        Raises:
            ParamValidationError: conflicting options, before any request.
        """
        got = [
            frame
            async for frame in self.stream_profile_batches(
                concurrency=concurrency, batch_size=1 << 62, progress=progress, **filters
            )
        ]
        return tabular.concat(got, tabular.empty_profiles())


async def export_partition(
    transport: Transport,
    dest: Destination,
    item: tuple[Partition, EventsRequest],
    manifest: str,
    hints: tabular.Hints | None = None,
    chunk_bytes: int | None = None,
) -> tuple[str, int]:
    """Fetch one partition into local staging, then publish it; returns (label, rows).
    `hints` carries what earlier partitions taught the parser about column types;
    `chunk_bytes` is the JSON bytes per part file."""
    part, request = item
    writer = files.PartWriter(dest.staging, files.partition_dir(part), manifest)

    async def on_frame(frame: pl.DataFrame) -> None:
        await asyncio.to_thread(writer.write, frame)

    async def on_reset() -> None:
        await asyncio.to_thread(writer.reset)

    await fetch_partition(
        transport, part, request, hints or tabular.Hints(), on_frame, on_reset, chunk_bytes
    )
    await asyncio.to_thread(dest.commit, writer, tabular.empty_events())
    return part.label, writer.rows
