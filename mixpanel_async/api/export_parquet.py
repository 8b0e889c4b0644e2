"""Exports to Parquet: `export_events_to_parquet`, `export_profiles_to_parquet`.

Partitions stream to disk chunk by chunk (see `mixpanel_async.bulk.files` for the layout), so
peak memory is about `concurrency` × two parsed chunks whatever the export's size, and an
interrupted export resumes from the partitions it had not finished.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Unpack

import attrs
import polars as pl

from mixpanel_async.api.base import Base
from mixpanel_async.api.engage import ProfileFilters, profile_query
from mixpanel_async.api.export_frames import (
    EventsRequest,
    export_concurrency,
    export_plan,
    fetch_partition,
    profile_frames,
)
from mixpanel_async.bulk import files, tabular
from mixpanel_async.bulk.partitions import Partition, PartitionSpec, ordered
from mixpanel_async.bulk.progress import report
from mixpanel_async.exceptions import ParamValidationError

CHUNK_BYTES = 8 << 20
"""JSON bytes per part file: smaller than in-memory exports, since here it is what bounds the
memory (about `concurrency` x 3 chunks and their parsed frames)."""
PROFILE_PART_ROWS = 50_000
"""Profiles per part file (pages are gathered up to this before writing)."""


@attrs.frozen
class ParquetExport:
    """What a Parquet export left on disk.

    Attributes:
        path: The file or directory written.
        rows: Rows in the output (all partitions, including ones from an earlier run).
        fetched: Partitions downloaded by this run (labels such as `2024-01-01`).
        skipped: Partitions already complete on disk, not fetched again.
        files: The Parquet files of a directory export (just `path` for a single file).
    """

    path: Path
    rows: int
    fetched: list[str] = attrs.field(factory=list)
    skipped: list[str] = attrs.field(factory=list)
    files: list[Path] = attrs.field(factory=list)


def _finish(target: files.Target, manifest: str) -> ParquetExport:
    """Harmonise the parts; for a single file, merge them into it and drop the staging."""
    files.cleanup(target)
    parts = files.part_files(target.root)
    if target.file is None:
        files.harmonise(parts, manifest)
        return ParquetExport(target.root, files.count_rows(parts), files=parts)
    # One file: the merge brings each part to the common schema as it copies it.
    rows = files.merge(parts, files.common_schema(parts), target.file)
    shutil.rmtree(target.root, ignore_errors=True)
    return ParquetExport(target.file, rows, files=[target.file])


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
    ) -> ParquetExport:
        """Export the events of a date range to Parquet, streaming, resumably.

        With a path ending in `.parquet` (or `layout="file"`) one file is written; otherwise a
        directory with one Hive-style subdirectory per partition (`day=2024-01-01/`). Columns
        as for `export_events`. Re-running after an interruption fetches only the partitions
        that were not complete; a finished single file is replaced only with `overwrite=True`.

        Args:
            path: Output file or directory.
            from_date: First day, inclusive.
            to_date: Last day, inclusive.
            events: Only these event names.
            where: A Mixpanel filter expression.
            partition: Partition size (`"day"`, `"week"`, `"month"`, days, `"none"`).
            layout: `"file"` or `"directory"`; default from the path's suffix.
            concurrency: Partitions in flight at once (default 8); memory grows with it.
            overwrite: Replace an existing file, or start a directory export afresh.
            progress: Show a progress bar on stderr (needs rich).

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
        target = files.plan_target(path, layout, overwrite=overwrite)
        manifest = files.manifest_text(
            {
                "kind": "events",
                "project": self._transport.session.project_id,
                "events": list(events) if events is not None else None,
                "where": where,
                "partition": partition,
            }
        )
        await asyncio.to_thread(files.prepare, target, manifest, overwrite=overwrite)
        todo, skipped = [], []
        for part, request in plan:
            if files.is_complete(target.root, files.partition_dir(part)):
                skipped.append(part.label)
            else:
                todo.append((part, request))
        hints = tabular.Hints()
        transport = self._transport
        empty = tabular.empty_events()

        async def work(item: tuple[Partition, EventsRequest]) -> tuple[str, int]:
            part, request = item
            writer = files.PartWriter(target, files.partition_dir(part), manifest)

            async def on_frame(frame: pl.DataFrame) -> None:
                await asyncio.to_thread(writer.write, frame)

            async def on_reset() -> None:
                await asyncio.to_thread(writer.reset)

            await fetch_partition(transport, part, request, hints, on_frame, on_reset, CHUNK_BYTES)
            await asyncio.to_thread(writer.commit, empty)
            return part.label, writer.rows

        fetched: list[str] = []
        with report(progress, "export events", len(todo), "partitions") as bar:
            async for label, rows in ordered(todo, work, width):
                fetched.append(label)
                bar.advance(1, rows)
        result = await asyncio.to_thread(_finish, target, manifest)
        return attrs.evolve(result, fetched=fetched, skipped=skipped)

    async def export_profiles_to_parquet(
        self,
        path: str | os.PathLike[str],
        *,
        layout: str | None = None,
        concurrency: int | None = None,
        overwrite: bool = False,
        progress: bool = False,
        **filters: Unpack[ProfileFilters],
    ) -> ParquetExport:
        """Export the profiles matching the filters to Parquet, streaming page by page.

        Filters as for `stream_profiles` (`ProfileFilters`); columns as for
        `export_profiles`. A profile query cannot be resumed (its paging session expires), so
        an interrupted export starts over; an existing output is replaced only with
        `overwrite=True`.

        Raises:
            ParamValidationError: bad arguments or an unwritable path, before any request.
        """
        body = profile_query(filters)
        target = files.plan_target(path, layout, overwrite=overwrite)
        if (
            not overwrite
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
        await asyncio.to_thread(files.prepare, target, manifest, overwrite=True)
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
        await asyncio.to_thread(writer.commit, tabular.empty_profiles())
        result = await asyncio.to_thread(_finish, target, manifest)
        return attrs.evolve(result, fetched=["profiles"])
