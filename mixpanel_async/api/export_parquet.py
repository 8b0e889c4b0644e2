"""Exports to Parquet: `export_events_to_parquet`, `export_profiles_to_parquet`.

Partitions stream to disk chunk by chunk (see `mixpanel_async.bulk.files` for the layout), so
peak memory is about `concurrency` × two parsed chunks whatever the export's size, and an
interrupted export resumes from the partitions it had not finished.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.api.engage import ProfileFilters, profile_query
from mixpanel_async.api.export_frames import (
    export_concurrency,
    export_partition,
    export_plan,
    profile_frames,
)
from mixpanel_async.bulk.partitions import PartitionSpec, ordered
from mixpanel_async.bulk.progress import report
from mixpanel_async.exceptions import ParamValidationError

if TYPE_CHECKING:
    import polars as pl

    from mixpanel_async.bulk import destinations as bulk_destinations
    from mixpanel_async.bulk import files, tabular
    from mixpanel_async.bulk.destinations import Destination
else:
    pl = LazyModule("polars")
    files = LazyModule("mixpanel_async.bulk.files")
    tabular = LazyModule("mixpanel_async.bulk.tabular")
    bulk_destinations = LazyModule("mixpanel_async.bulk.destinations")

CHUNK_BYTES = 8 << 20
"""JSON bytes per part file: smaller than in-memory exports, since here it is what bounds the
memory (about `concurrency` x 3 chunks and their parsed frames)."""
PROFILE_PART_ROWS = 50_000
"""Profiles per part file (pages are gathered up to this before writing)."""


@attrs.frozen
class ParquetExport:
    """What a Parquet export left at its destination.

    Attributes:
        path: The file or directory written (a URL such as `s3://bucket/events` for an object
            store).
        rows: Rows in the output (all partitions, including ones from an earlier run).
        fetched: Partitions downloaded by this run (labels such as `2024-01-01`).
        skipped: Partitions already complete at the destination, not fetched again.
        files: The Parquet files of a directory export (just `path` for a single file).
    """

    path: Path | str
    rows: int
    fetched: list[str] = attrs.field(factory=list)
    skipped: list[str] = attrs.field(factory=list)
    files: list[Path | str] = attrs.field(factory=list)


def _finish(dest: Destination, manifest: str) -> ParquetExport:
    """Publish the last pieces and bring the files to one schema."""
    path, rows, written = dest.finish(manifest)
    return ParquetExport(path, rows, files=written)


class ExportParquetMixin(Base):
    """Exports written to Parquet files."""

    async def export_events_to_parquet(
        self,
        path: str | os.PathLike[str],
        from_date: str | dt.date,
        to_date: str | dt.date,
        *,
        events: Sequence[str] | None = None,
        where: str | None = None,
        partition: PartitionSpec = "day",
        layout: str | None = None,
        concurrency: int | None = None,
        overwrite: bool = False,
        progress: bool = False,
        storage_options: Mapping[str, Any] | None = None,
        dask_client: Any = None,
    ) -> ParquetExport:
        """Export the events of a date range to Parquet, streaming, resumably.

        With a path ending in `.parquet` (or `layout="file"`) one file is written; otherwise a
        directory with one Hive-style subdirectory per partition (`day=2024-01-01/`). Columns
        as for `export_events`. Re-running after an interruption fetches only the partitions
        that were not complete; a finished single file is replaced only with `overwrite=True`.

        Args:
            path: Output file or directory: a local path, or an fsspec URL such as
                `s3://bucket/events` (published partition by partition, each as one object:
                see `mixpanel_async.bulk.destinations`).
            from_date: First day, inclusive.
            to_date: Last day, inclusive.
            events: Only these event names.
            where: A Mixpanel filter expression.
            partition: Partition size (`"day"`, `"week"`, `"month"`, days, `"none"`).
            layout: `"file"` or `"directory"`; default from the path's suffix.
            concurrency: Partitions in flight at once (default 8); memory grows with it.
            overwrite: Replace an existing file, or start a directory export afresh.
            progress: Show a progress bar on stderr (needs rich).
            storage_options: Options of the URL's filesystem (e.g. `{"key": ..., "secret": ...,
                "endpoint_url": ...}` for S3).
            dask_client: A `distributed.Client`: the partitions become tasks on its cluster,
                each worker writing its partitions straight to the destination (which every
                worker must reach: an object store, or a shared disk); Mixpanel's export limits
                hold across the whole cluster (see `mixpanel_async.bulk.cluster`).

        Returns:
            What was written, with the partitions fetched and skipped.

        Raises:
            ParamValidationError: bad arguments or an unwritable path, before any request.
            PartitionError: a partition failed after its retries (re-run to resume).
        """
        plan = export_plan(
            from_date, to_date, events=events, where=where, limit=None, partition=partition
        )
        width = export_concurrency(self._transport, concurrency)
        dest = bulk_destinations.open_destination(
            path, layout, overwrite=overwrite, storage_options=storage_options
        )
        manifest = files.manifest_text(
            {
                "kind": "events",
                "project": self._transport.session.project_id,
                "events": list(events) if events is not None else None,
                "where": where,
                "partition": partition,
            }
        )
        await asyncio.to_thread(dest.prepare, manifest, overwrite=overwrite)
        todo, skipped = [], []
        for part, request in plan:
            if await asyncio.to_thread(dest.is_complete, files.partition_dir(part)):
                skipped.append(part.label)
            else:
                todo.append((part, request))
        source: AsyncIterator[tuple[str, int]]
        if dask_client is not None:
            from mixpanel_async.bulk import cluster

            source = cluster.export_partitions(
                dask_client, self._transport, dest, todo, manifest, CHUNK_BYTES
            )
        else:
            transport, hints = self._transport, tabular.Hints()
            source = ordered(
                todo,
                lambda item: export_partition(transport, dest, item, manifest, hints, CHUNK_BYTES),
                width,
            )
        fetched: list[str] = []
        with report(progress, "export events", len(todo), "partitions") as bar:
            async for label, rows in source:
                fetched.append(label)
                bar.advance(1, rows)
        result = await asyncio.to_thread(_finish, dest, manifest)
        return attrs.evolve(result, fetched=fetched, skipped=skipped)

    async def export_profiles_to_parquet(
        self,
        path: str | os.PathLike[str],
        *,
        layout: str | None = None,
        concurrency: int | None = None,
        overwrite: bool = False,
        progress: bool = False,
        storage_options: Mapping[str, Any] | None = None,
        **filters: Unpack[ProfileFilters],
    ) -> ParquetExport:
        """Export the profiles matching the filters to Parquet, streaming page by page.

        Filters as for `stream_profiles` (`ProfileFilters`); columns as for
        `export_profiles`. `path` may be an fsspec URL (`s3://bucket/profiles.parquet`) with
        `storage_options`, as for `export_events_to_parquet`. A profile query cannot be
        resumed (its paging session expires), so an interrupted export starts over; an
        existing output is replaced only with `overwrite=True`.

        Raises:
            ParamValidationError: bad arguments or an unwritable path, before any request.
        """
        body = profile_query(filters)
        dest = bulk_destinations.open_destination(
            path, layout, overwrite=overwrite, storage_options=storage_options
        )
        target = dest.staging
        if (
            isinstance(dest, bulk_destinations.LocalDestination)
            and not overwrite
            and target.file is None
            and target.root.is_dir()
            and any(target.root.iterdir())
        ):
            raise ParamValidationError(
                f"{target.root} is not empty; pass overwrite=True to replace it",
                param="path",
            )
        manifest = files.manifest_text(
            {"kind": "profiles", "project": self._transport.session.project_id}
        )
        await asyncio.to_thread(dest.prepare, manifest, overwrite=True)
        writer = files.PartWriter(target, "profiles", manifest)
        try:
            if body is not None:
                with report(progress, "export profiles", None, "pages") as bar:
                    pending: list[pl.DataFrame] = []
                    async for frame in profile_frames(self._transport, body, concurrency, bar):
                        pending.append(frame)
                        if sum(f.height for f in pending) >= PROFILE_PART_ROWS:
                            await asyncio.to_thread(writer.write, tabular.concat(pending))
                            pending = []
                    if pending:
                        await asyncio.to_thread(writer.write, tabular.concat(pending))
        except BaseException:
            await asyncio.to_thread(writer.reset)
            raise
        await asyncio.to_thread(dest.commit, writer, tabular.empty_profiles())
        result = await asyncio.to_thread(_finish, dest, manifest)
        return attrs.evolve(result, fetched=["profiles"])
