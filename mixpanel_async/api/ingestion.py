"""Ingestion: `import_events` (bulk, `/import`), `import_profiles` (`/engage` `$set`) and
`track` (one live event, `/track`).

Batches are encoded (orjson, then gzip at level 1 for a remote host) in worker threads and sent
`concurrency` at a time: a semaphore bounds the batches in flight, so memory stays bounded
whatever the input's size, and a `TaskGroup` owns the senders. Every event carries a
`$insert_id` (derived from its content when missing), so the transport's retries (429, 5xx, a
lost answer) can never import an event twice.
"""

from __future__ import annotations

import asyncio
import gzip
import itertools
import os
import time
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from mixpanel_async._gc import paused_gc
from mixpanel_async._operation import LazyModule, Request
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.bulk.partitions import concurrency_for
from mixpanel_async.bulk.progress import Reporter, report
from mixpanel_async.exceptions import ConfigError, ParamValidationError, QueryError
from mixpanel_async.transport import codec
from mixpanel_async.transport.session import Transport

if TYPE_CHECKING:
    import polars as pl

    from mixpanel_async._generated.models import ingestion as models
    from mixpanel_async._generated.operations import ingestion as ops
    from mixpanel_async.bulk import records
    from mixpanel_async.bulk.records import Batch, ImportResult, RecordFailure
else:
    pl = LazyModule("polars")
    models = LazyModule("mixpanel_async._generated.models.ingestion")
    ops = LazyModule("mixpanel_async._generated.operations.ingestion")
    records = LazyModule("mixpanel_async.bulk.records")

GZIP_LEVEL = 1
"""Level 1 compresses JSON events about 8x at several hundred MB/s; higher levels cost far
more CPU for a few percent."""
TOKEN_VARIABLES = ("MP_PROJECT_TOKEN", "MIXPANEL_TOKEN")


Prepare = Callable[[Any, int], Any]
Send = Callable[["Batch"], Awaitable[tuple[int, list["RecordFailure"]]]]
MAX_BATCH = 2000
"""Mixpanel takes at most 2000 records per ingestion request (and at most
`bulk.records.MAX_BATCH_BYTES` of JSON)."""


async def _batches(
    source: Any,
    size: int,
    prepare: Prepare,
    check: Prepare | None = None,
    as_they_are: Callable[[Sequence[Any]], bool] | None = None,
) -> AsyncIterator[Batch]:
    """Batches of prepared records. A list is checked whole (with `check`, cheaper than
    `prepare`) before the first batch is handed out, so nothing is sent when any record is
    bad, and then prepared batch by batch while earlier batches are on the wire; a lazy
    iterable is checked batch by batch, each before it is sent. A chunk that `as_they_are`
    passes whole is sent as it is, without checking or preparing its records one by one."""
    whole = as_they_are or (lambda chunk: False)
    if isinstance(source, str | bytes | dict):
        raise ParamValidationError(
            "pass an iterable of records (a list of dicts, a generator, a DataFrame), "
            f"not a {type(source).__name__}",
            param="events",
        )
    if isinstance(source, Sequence):
        check = check or prepare
        plain = []
        with paused_gc():
            for offset in range(0, len(source), size):
                chunk = source[offset : offset + size]
                plain.append(whole(chunk))
                if not plain[-1]:
                    for i, record in enumerate(chunk):
                        check(record, offset + i)
        for offset, sent_whole in zip(range(0, len(source), size), plain, strict=True):
            with paused_gc():
                chunk = source[offset : offset + size]
                if sent_whole:
                    batch = list(chunk)
                else:
                    batch = [prepare(record, offset + i) for i, record in enumerate(chunk)]
            yield records.Batch(offset, batch)
        return
    batch = []
    offset = index = 0
    if isinstance(source, AsyncIterable):
        async for record in source:
            batch.append(prepare(record, index))
            index += 1
            if len(batch) == size:
                yield records.Batch(offset, batch)
                offset, batch = index, []
    elif isinstance(source, Iterable):
        iterator = iter(source)
        while True:
            with paused_gc():
                batch = list(itertools.islice(iterator, size))
                if not whole(batch):
                    batch = [prepare(record, index + i) for i, record in enumerate(batch)]
                index += len(batch)
            if len(batch) < size:
                break
            yield records.Batch(offset, batch)
            offset, batch = index, []
    else:
        raise ParamValidationError(
            f"expected an iterable of records, got {type(source).__name__}", param="events"
        )
    if batch:
        yield records.Batch(offset, batch)


async def _frame_batches(frame: pl.DataFrame, size: int) -> AsyncIterator[Batch]:
    texts = await asyncio.to_thread(records.frame_json, frame)  # checks every row first
    for offset in range(0, texts.len(), size):
        yield records.Batch(offset, texts.slice(offset, size).to_list())


def _imported_key() -> str:
    """Where an import answer says how many records it stored."""
    return codec.wire_name(models.ImportResponse, "num_records_imported")


def _failures(body: Any, batch: Batch) -> tuple[int, list[RecordFailure]] | None:
    """Imported count and failures from a 400 that lists failed records (None otherwise)."""
    failed_key = codec.wire_name(models.ImportErrorResponse, "failed_records")
    if not isinstance(body, dict) or not isinstance(body.get(failed_key), list):
        return None
    listed = codec.structure(body[failed_key], list[models.ImportFailedRecord])
    failures = [
        records.RecordFailure(
            index=batch.offset + item.index,
            message=item.message,
            insert_id=item.insert_id or item.published_insert_id,
            field=item.field,
        )
        for item in listed
    ]
    imported = body.get(_imported_key())
    if not isinstance(imported, int):
        imported = len(batch.records) - len(failures)
    return imported, failures


async def _post(
    transport: Transport, request: Request[object], batch: Batch, compressed: bool
) -> tuple[int, list[RecordFailure], Any]:
    prepared = transport.prepare(request)
    if compressed:
        headers = {**prepared.headers, "Content-Encoding": "gzip"}
        prepared = attrs.evolve(prepared, headers=headers)
    try:
        _, raw, _ = await transport.send(prepared)
    except QueryError as exc:
        parsed = _failures(exc.response_body, batch) if exc.status_code == 400 else None
        if parsed is None:
            raise
        return parsed[0], parsed[1], None
    return len(batch.records), [], codec.loads(raw) if raw.strip() else None


async def _run(
    batches: AsyncIterator[Batch], send: Send, width: int, bar: Reporter
) -> ImportResult:
    """Send batches `width` at a time (a semaphore bounds those in flight)."""
    slots = asyncio.Semaphore(width)
    sent = imported = count = 0
    failed: list[RecordFailure] = []

    async def one(batch: Batch) -> None:
        nonlocal imported
        try:
            stored, failures = await send(batch)
        finally:
            slots.release()
        imported += stored
        failed.extend(failures)
        bar.advance(1, len(batch.records))

    try:
        async with asyncio.TaskGroup() as group:
            async for batch in batches:
                await slots.acquire()
                sent += len(batch.records)
                count += 1
                group.create_task(one(batch))
    except BaseExceptionGroup as errors:
        # Callers expect the library's typed errors, not a group: raise the first one.
        first: BaseException = errors
        while isinstance(first, BaseExceptionGroup):
            first = first.exceptions[0]
        raise first from None
    failed.sort(key=lambda f: f.index)
    return records.ImportResult(sent=sent, imported=imported, failed=tuple(failed), batches=count)


class IngestionMixin(Base):
    """Sending data to Mixpanel."""

    def _width(self, concurrency: int | None) -> int:
        family = self._transport.limiters.limits.get(ops.IMPORT_EVENTS.rate_limit)
        return concurrency_for(family.concurrency if family else None, concurrency)

    def _project_token(self, token: str | None) -> str:
        for value in (token, *(os.environ.get(name) for name in TOKEN_VARIABLES)):
            if value:
                return value
        if self._transport.hosts.local:
            return "emulator"  # the emulator in open mode accepts any token
        raise ConfigError("this call needs the project token: pass token= or set MP_PROJECT_TOKEN")

    async def import_events(
        self,
        events: Iterable[Any] | AsyncIterable[Any] | pl.DataFrame,
        *,
        batch_size: int = MAX_BATCH,
        concurrency: int | None = None,
        strict: bool = True,
        progress: bool = False,
    ) -> ImportResult:
        """Import events (historical ones included) through `/import`, in concurrent batches.

        Args:
            events: Mixpanel-format dicts (`{"event": ..., "properties": {"time",
                "distinct_id", ...}}`), the normalised dicts `stream_events` yields, or a
                Polars frame (as `export_events` returns; other columns become properties,
                nulls are left out). A sync or async iterable, or a list.
            batch_size: Events per request (at most 2000; batches over 10 MB are split).
            concurrency: Requests in flight at once (default 8, within the ingestion limit).
            strict: Ask Mixpanel to validate each event and report the invalid ones (they are
                returned in `failed`; the valid ones of the batch are still stored).
            progress: Show a progress bar on stderr (needs rich).

        Returns:
            Counts sent and imported, and the failures Mixpanel reported.

        Raises:
            ParamValidationError: a malformed event, before it is sent (for a list or a frame,
                before anything is sent).
            AuthenticationError: the credentials were refused.
        """
        checks.int_range(batch_size, "batch_size", 1, MAX_BATCH)
        width = self._width(concurrency)
        transport = self._transport
        compressed = not transport.hosts.local

        async def send(batch: Batch) -> tuple[int, list[RecordFailure]]:
            total_stored, total_failed = 0, []
            parts = await asyncio.to_thread(_encode, batch, compressed)
            for part, body in parts:
                request = ops.import_events(strict=1 if strict else 0, body=body)
                stored, failures, answer = await _post(transport, request, part, compressed)
                if isinstance(answer, dict) and isinstance(answer.get(_imported_key()), int):
                    stored = answer[_imported_key()]
                total_stored += stored
                total_failed.extend(failures)
            return total_stored, total_failed

        if isinstance(events, pl.DataFrame):
            source = _frame_batches(events, batch_size)
        else:
            source = _batches(
                events, batch_size, records.event, records.check, records.sent_as_they_are
            )
        with report(progress, "import events", None, "batches") as bar:
            return await _run(source, send, width, bar)

    async def import_profiles(
        self,
        profiles: Iterable[Any] | AsyncIterable[Any] | pl.DataFrame,
        *,
        batch_size: int = MAX_BATCH,
        concurrency: int | None = None,
        token: str | None = None,
        progress: bool = False,
    ) -> ImportResult:
        """Set user profiles through `/engage`, in concurrent batches of `$set` updates.

        Args:
            profiles: Engage update dicts (`{"$distinct_id", "$set": {...}}`, or any other
                operation), exported profiles (`{"$distinct_id", "$properties"}` or the
                normalised `{"distinct_id", "properties"}`), or a frame with a `distinct_id`
                column (as `export_profiles` returns). Exported profiles keep `$last_seen`.
            batch_size: Updates per request (at most 2000).
            concurrency: Requests in flight at once.
            token: The project token (default: `MP_PROJECT_TOKEN`; any token for the emulator).
            progress: Show a progress bar on stderr (needs rich).

        Raises:
            ParamValidationError: a malformed profile, before it is sent.
            ConfigError: no project token.
        """
        checks.int_range(batch_size, "batch_size", 1, MAX_BATCH)
        width = self._width(concurrency)
        project_token = self._project_token(token)
        transport = self._transport

        profile = records.profile  # looked up once, not per record

        def prepare(record: Any, index: int) -> dict[str, Any]:
            return profile(record, index, project_token)

        async def send(batch: Batch) -> tuple[int, list[RecordFailure]]:
            text = await asyncio.to_thread(lambda: records.encode(batch.records).decode())
            form = models.ProfileUpdateFormRequest
            body = {codec.wire_name(form, "data"): text, codec.wire_name(form, "verbose"): 1}
            request = ops.engage_profiles(strict=1, verbose=1, body=body)
            stored, failures, _ = await _post(transport, request, batch, False)
            return stored, failures

        source: Any = profiles
        if isinstance(profiles, pl.DataFrame):
            source = records.frame_profiles(profiles)
        with report(progress, "import profiles", None, "batches") as bar:
            return await _run(_batches(source, batch_size, prepare), send, width, bar)

    async def track(
        self,
        event: str,
        properties: dict[str, Any] | None = None,
        *,
        distinct_id: str,
        token: str | None = None,
    ) -> None:
        """Send one live event through `/track` (time: now, unless `properties` has one).

        Raises:
            ParamValidationError: an empty event name, a non-dict `properties`, a bad
                `distinct_id` (before any request).
            QueryError: Mixpanel refused the event.
        """
        name = checks.text(event, "event")
        if properties is not None and not isinstance(properties, dict):
            raise ParamValidationError(
                f"properties must be a dict, got {type(properties).__name__}", param="properties"
            )
        did = checks.text(distinct_id, "distinct_id")
        props: dict[str, Any] = {
            records.TIME: int(time.time() * 1000),
            **(properties or {}),
            records.TRACK_TOKEN: self._project_token(token),
            records.DISTINCT_ID: did,
        }
        wire = records.event({records.EVENT: name, records.PROPERTIES: props}, 0)
        request = ops.track_events(
            verbose=1,
            body={
                codec.wire_name(models.TrackFormRequest, "data"): codec.dumps([wire]).decode(),
                codec.wire_name(models.TrackFormRequest, "verbose"): 1,
            },
        )
        answer = await self._transport.call(request)
        if isinstance(answer, models.VerboseResponse) and answer.status != 1:
            raise QueryError(
                f"Mixpanel refused the event: {answer.error or 'no reason given'}",
                status_code=200,
                response_body=answer.error,
            )


def _encode(batch: Batch, compressed: bool) -> list[tuple[Batch, bytes]]:
    """The batch as request bodies (split under 10 MB), gzipped when `compressed`."""
    out = []
    for part, body in records.split_for_size(batch):
        out.append((part, gzip.compress(body, GZIP_LEVEL) if compressed else body))
    return out
