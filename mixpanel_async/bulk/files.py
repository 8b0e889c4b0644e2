"""Parquet output on disk: partition directories written atomically, one schema at the end.

Layout of a partitioned export (`root/`), in the Hive style most readers understand:

    root/day=2024-01-01/part-00000.parquet
    root/day=2024-01-02/part-00000.parquet   (`days=2024-01-01..2024-01-07/` for wider ones)

A partition is written under a hidden sibling work directory (`.root.inprogress/`) and renamed
into `root/` only once all of it is on disk, so a partition directory that exists is complete
(that is what lets a re-run fetch only the missing partitions) and a reader of `root/` never
sees a partial one. Each file carries the export's filters in its Parquet key-value metadata,
so resuming with other filters is refused rather than mixed in. Files are written chunk by chunk
(a part per parsed chunk), so memory stays bounded whatever a partition holds. When everything
is there, files whose schema differs from the union of all schemas are rewritten to it one at a
time (`harmonise`), so that any reader sees one schema; a single-file export is then streamed
from those parts into one file (`merge`), one part in memory at a time. Everything here is
blocking file I/O: callers run it in worker threads.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, Any, Literal, TypeVar

import attrs
import orjson
import polars as pl
import pyarrow.parquet as pq

from mixpanel_async.bulk import tabular
from mixpanel_async.bulk.partitions import Partition
from mixpanel_async.exceptions import ParamValidationError

Layout = Literal["file", "directory"]
MANIFEST_KEY = "mixpanel_async.export"
TMP_PREFIX = ".tmp-"
PART_GLOB = "part-*.parquet"
F = TypeVar("F")
"""A file harmonise works on: a local path, or an object store key."""


@attrs.frozen
class Target:
    """Where an export goes: `root` holds the partition directories; `file` is the single
    output file when the layout is `file` (then `root` is a hidden staging directory)."""

    root: Path
    file: Path | None = None

    @property
    def work(self) -> Path:
        """Where partitions are written before they are complete."""
        return self.root.with_name(f".{self.root.name.lstrip('.')}.inprogress")


def plan_target(path: str | os.PathLike[str], layout: str | None, *, overwrite: bool) -> Target:
    """Check that `path` can be written (before any request) and decide the layout.

    `layout=None` picks `file` when the path ends in `.parquet`, else `directory`.

    Raises:
        ParamValidationError: an unknown layout, a parent directory that is missing or not
            writable, a file where a directory is wanted (or the reverse), or an existing
            single file without `overwrite=True`.
    """
    out = Path(path).expanduser()
    if layout is None:
        layout = "file" if out.suffix.lower() == ".parquet" else "directory"
    if layout not in ("file", "directory"):
        raise ParamValidationError(
            f"layout must be 'file' or 'directory', got {layout!r}", param="layout"
        )
    parent = out.absolute().parent
    if not parent.is_dir():
        raise ParamValidationError(f"{parent} does not exist; create it first", param="path")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ParamValidationError(f"{parent} is not writable", param="path")
    if layout == "directory":
        if out.exists() and not out.is_dir():
            raise ParamValidationError(
                f"{out} is a file; pass a directory path (or layout='file')", param="path"
            )
        if out.is_dir() and not os.access(out, os.W_OK | os.X_OK):
            raise ParamValidationError(f"{out} is not writable", param="path")
        if overwrite and out.is_dir():
            _check_ours(out)
        return Target(out)
    if out.is_dir():
        raise ParamValidationError(
            f"{out} is a directory; pass a file path (or layout='directory')", param="path"
        )
    if out.exists() and not overwrite:
        raise ParamValidationError(f"{out} exists; pass overwrite=True to replace it", param="path")
    return Target(parent / f".{out.name}.parts", out)


def _check_ours(root: Path) -> None:
    foreign = [p.name for p in root.iterdir() if not _is_partition(p)]
    if foreign:
        raise ParamValidationError(
            f"{root} holds files that are not part of an export ({', '.join(foreign[:3])}); "
            "use another path",
            param="path",
        )


def _is_partition(path: Path) -> bool:
    return path.is_dir() and path.name.startswith(("day=", "days=", "profiles"))


def manifest_text(manifest: Mapping[str, Any]) -> str:
    """The manifest as canonical JSON text (sorted keys), to compare runs."""
    return orjson.dumps(dict(manifest), option=orjson.OPT_SORT_KEYS).decode()


def prepare(target: Target, manifest: str, *, overwrite: bool) -> None:
    """Create the output directory, or check that an existing one holds the same export.

    Raises:
        ParamValidationError: an existing directory holds another export (other filters) or
            files that are not ours.
    """
    root = target.root
    if overwrite and root.exists():
        _check_ours(root)
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    _check_ours(root)
    done = part_files(root)
    if done:
        stored = (pq.read_metadata(done[0]).metadata or {}).get(MANIFEST_KEY.encode())
        if stored is None or stored.decode() != manifest:
            raise ParamValidationError(
                f"{root} holds an export made with other filters; use another path or pass "
                "overwrite=True",
                param="path",
            )
    # Whatever an interrupted run left in the work directory is incomplete by definition.
    shutil.rmtree(target.work, ignore_errors=True)
    target.work.mkdir(parents=True)


def cleanup(target: Target) -> None:
    """Remove the hidden work directory of an export."""
    shutil.rmtree(target.work, ignore_errors=True)


def partition_dir(part: Partition) -> str:
    """`day=2024-01-01`, or `days=2024-01-01..2024-01-07` for a partition of several days."""
    return f"day={part.label}" if part.days == 1 else f"days={part.label}"


def is_complete(root: Path, name: str) -> bool:
    """Whether partition `name` was published under `root` (so a re-run skips it)."""
    return (root / name).is_dir()


class PartWriter:
    """Writes one partition's frames as numbered part files, then publishes them atomically."""

    def __init__(self, target: Target, name: str, manifest: str) -> None:
        self.final = target.root / name
        self.tmp = target.work / f"{name}-{secrets.token_hex(4)}"
        self.metadata = {MANIFEST_KEY: manifest}
        self.parts = 0
        self.rows = 0

    def write(self, frame: pl.DataFrame) -> None:
        """Write one frame as the partition's next part file (in the work directory)."""
        if frame.height == 0 and self.parts:
            return
        self.tmp.mkdir(parents=True, exist_ok=True)
        path = self.tmp / f"part-{self.parts:05d}.parquet"
        storable(frame).write_parquet(path, metadata=self.metadata)
        self.parts += 1
        self.rows += frame.height

    def reset(self) -> None:
        """Drop what was written (the partition starts over)."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.parts = self.rows = 0

    def commit(self, empty: pl.DataFrame) -> None:
        """Publish the partition; an empty one still gets a file, so it counts as done."""
        if not self.parts:
            self.write(empty)
        os.replace(self.tmp, self.final)


def storable(frame: pl.DataFrame) -> pl.DataFrame:
    """Parquet cannot hold a struct without fields: leave such a column out."""
    empty = [
        name
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Struct) and not dtype.fields
    ]
    return frame.drop(empty) if empty else frame


def part_files(root: Path) -> list[Path]:
    """The published part files, in partition order (ISO dates sort in time order)."""
    return sorted(
        path
        for directory in root.iterdir()
        if _is_partition(directory)
        for path in directory.glob(PART_GLOB)
    )


def _schema(path: Path) -> dict[str, pl.DataType]:
    return dict(pl.read_parquet_schema(path))


def common_schema(files: Iterable[Path]) -> dict[str, pl.DataType]:
    """The union of the files' schemas (read from their footers)."""
    return tabular.unified_schema(_schema(p) for p in files)


def _open_local(path: Path) -> IO[bytes]:
    return open(path, "rb")


def _replace_local(path: Path, rewritten: Path) -> None:
    os.replace(rewritten, path)


def _scratch_local(path: Path) -> Path:
    return path.with_name(f"{TMP_PREFIX}{path.name}")


def harmonise(
    files: Iterable[F],
    manifest: str,
    *,
    open_file: Callable[[F], AbstractContextManager[IO[bytes]]] = _open_local,  # type: ignore[assignment]
    replace: Callable[[F, Path], None] = _replace_local,  # type: ignore[assignment]
    scratch: Callable[[F], Path] = _scratch_local,  # type: ignore[assignment]
) -> tuple[dict[str, pl.DataType], int]:
    """Rewrite the files whose schema differs from the union of all (one file at a time).

    Each file is opened once for its footer (schema and rows). A file to rewrite is read
    through `open_file`, brought to the union schema, written to the local path `scratch`
    names and put in its place by `replace` (the defaults: files on this disk, replaced by a
    rename; an object store passes its own open and upload).

    Returns:
        The common schema and the rows of all the files.
    """
    items = list(files)
    schemas = []
    rows = 0
    for item in items:
        with open_file(item) as handle:
            schemas.append(dict(pl.read_parquet_schema(handle)))
            handle.seek(0)
            rows += pq.ParquetFile(handle).metadata.num_rows
    target = tabular.unified_schema(schemas)
    for item, schema in zip(items, schemas, strict=True):
        if schema == target:
            continue
        with open_file(item) as handle:
            frame = pl.read_parquet(handle).select(tabular.conform_exprs(schema, target))
        rewritten = scratch(item)
        try:
            frame.write_parquet(rewritten, metadata={MANIFEST_KEY: manifest})
            replace(item, rewritten)
        finally:
            rewritten.unlink(missing_ok=True)
    return target, rows


def merge(
    files: Iterable[Path],
    target: dict[str, pl.DataType],
    out: Path,
    *,
    metadata: dict[str, str] | None = None,
) -> int:
    """Stream the part files into one file, atomically, each brought to the common schema on
    the way (Polars' streaming engine: a few row groups in memory at a time); returns its
    rows. `metadata` goes into the file's key-value metadata."""
    paths = list(files)
    tmp = out.with_name(f"{TMP_PREFIX}{out.name}-{secrets.token_hex(4)}")
    try:
        if paths:
            scans = [
                pl.scan_parquet(path).select(tabular.conform_exprs(_schema(path), target))
                for path in paths
            ]
            pl.concat(scans, how="vertical").sink_parquet(tmp, metadata=metadata)
        else:  # nothing at all: an empty file with the common columns
            pl.DataFrame(schema=target).write_parquet(tmp, metadata=metadata)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return count_rows([out])


def count_rows(files: Iterable[Path]) -> int:
    """Rows in parquet files, from their footers."""
    return sum(pq.ParquetFile(path).metadata.num_rows for path in files)
