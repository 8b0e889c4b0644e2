"""Where a Parquet export is published: a local path, or an fsspec URL (`s3://`, `gs://`,
`az://`, `memory://`, ...).

Partitions are always written to local disk first, chunk by chunk (`files.PartWriter`), so
memory stays bounded whatever a partition holds. Publishing then differs:

- **Local paths** (and `file://` URLs): the partition directory is renamed into place, which
  is atomic (see `mixpanel_async.bulk.files`).
- **Object stores**: there is no atomic rename, but a single object appears atomically when its
  upload completes (S3 PUT and multipart-complete, GCS and Azure alike). So a partition's parts
  are merged locally into one file, uploaded as `root/day=2024-01-01/part-00000.parquet`, and
  the partition is complete exactly when that object exists: a reader never sees half a
  partition, a re-run skips the partitions already there, and a partition uploaded twice (a
  retried task) is replaced, never doubled. Local staging needs the disk space of the
  partitions in flight. A single-file export (`...parquet`) is assembled locally and uploaded
  at the end, as one object.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import polars as pl
import pyarrow.parquet as pq

from mixpanel_async.bulk import files
from mixpanel_async.exceptions import ParamValidationError

PART_NAME = "part-00000.parquet"
"""The one object of a partition on an object store."""


class Published(Protocol):
    """What an export left at its destination."""

    path: Path | str
    rows: int
    files: list[Path | str]


class Destination(Protocol):
    """One export's destination (created, checked and published through these calls)."""

    staging: files.Target
    """Where partitions are written before they are published."""

    def prepare(self, manifest: str, *, overwrite: bool) -> None:
        """Create or check the destination (same export, or refuse)."""

    def is_complete(self, name: str) -> bool:
        """Whether partition `name` is already published."""

    def commit(self, writer: files.PartWriter, empty: pl.DataFrame) -> None:
        """Publish one written partition."""

    def finish(self, manifest: str) -> tuple[Path | str, int, list[Path | str]]:
        """Bring every file to one schema; return (path, rows, files)."""


def is_remote(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is a URL of a store other than the local disk."""
    if not isinstance(path, str) or "://" not in path:
        return False
    return not path.startswith("file://")


def open_destination(
    path: str | os.PathLike[str],
    layout: str | None,
    *,
    overwrite: bool,
    storage_options: Mapping[str, Any] | None = None,
) -> Destination:
    """The destination for `path`, checked before any request.

    Raises:
        ParamValidationError: an unknown layout or protocol, or a local path that cannot be
            written (see `files.plan_target`).
    """
    if isinstance(path, str) and path.startswith("file://"):
        path = path[len("file://") :]
    if not is_remote(path):
        if storage_options:
            raise ParamValidationError(
                "storage_options applies to URLs such as s3://bucket/path only",
                param="storage_options",
            )
        return LocalDestination(files.plan_target(path, layout, overwrite=overwrite))
    return RemoteDestination(str(path), layout, dict(storage_options or {}))


class LocalDestination:
    """A path on this machine: the layout of `mixpanel_async.bulk.files`."""

    def __init__(self, target: files.Target) -> None:
        self.staging = target

    def prepare(self, manifest: str, *, overwrite: bool) -> None:
        """Create the output directory or check it holds the same export."""
        files.prepare(self.staging, manifest, overwrite=overwrite)

    def is_complete(self, name: str) -> bool:
        """Whether the partition directory exists."""
        return files.is_complete(self.staging.root, name)

    def commit(self, writer: files.PartWriter, empty: pl.DataFrame) -> None:
        """Rename the partition directory into place."""
        writer.commit(empty)

    def finish(self, manifest: str) -> tuple[Path | str, int, list[Path | str]]:
        """Harmonise the parts; for a single file, merge them into it."""
        target = self.staging
        files.cleanup(target)
        parts = files.part_files(target.root)
        if target.file is None:
            _, rows = files.harmonise(parts, manifest)
            return target.root, rows, list(parts)
        rows = files.merge(parts, files.common_schema(parts), target.file)
        shutil.rmtree(target.root, ignore_errors=True)
        return target.file, rows, [target.file]


class RemoteDestination:
    """An fsspec URL: partitions staged on local disk, each published as one object."""

    def __init__(self, url: str, layout: str | None, storage_options: dict[str, Any]) -> None:
        try:
            import fsspec

            self.fs, self.root = fsspec.core.url_to_fs(url, **storage_options)
        except (ImportError, ValueError) as exc:
            raise ParamValidationError(
                f"cannot write to {url}: {exc} (install the 's3' extra, or the fsspec package "
                "for the URL's scheme)",
                param="path",
            ) from None
        self.url = url
        self.storage_options = storage_options
        self.protocol = url.split("://", 1)[0]
        self.root = self.root.rstrip("/")
        if layout is None:
            layout = "file" if url.lower().endswith(".parquet") else "directory"
        if layout not in ("file", "directory"):
            raise ParamValidationError(
                f"layout must be 'file' or 'directory', got {layout!r}", param="layout"
            )
        self.layout = layout
        self._tmp = Path(tempfile.mkdtemp(prefix="mixpanel-export-"))
        local = self._tmp / ("export.parquet" if layout == "file" else "export")
        self.staging = files.plan_target(local, layout, overwrite=True)

    def discard_staging(self) -> None:
        """Remove the local staging directory (a worker's, after its partition)."""
        shutil.rmtree(self._tmp, ignore_errors=True)

    def _url(self, key: str) -> str:
        return f"{self.protocol}://{key}"

    def _partitions(self) -> list[str]:
        if not self.fs.isdir(self.root):
            return []
        return [
            p
            for p in self.fs.ls(self.root, detail=False)
            if p.rstrip("/").rsplit("/", 1)[-1].startswith(("day=", "days=", "profiles"))
        ]

    def _parts(self) -> list[str]:
        return sorted(
            f"{p.rstrip('/')}/{PART_NAME}"
            for p in self._partitions()
            if self.fs.exists(f"{p.rstrip('/')}/{PART_NAME}")
        )

    def prepare_staging(self, manifest: str) -> None:
        """Create the local staging directories (the destination itself is not looked at)."""
        files.prepare(self.staging, manifest, overwrite=True)

    def prepare(self, manifest: str, *, overwrite: bool) -> None:
        """Check the destination (same export, or refuse); `overwrite` removes ours first."""
        self.prepare_staging(manifest)
        if self.layout == "file":
            if self.fs.exists(self.root) and not overwrite:
                raise ParamValidationError(
                    f"{self.url} exists; pass overwrite=True to replace it", param="path"
                )
            return
        if overwrite and self._partitions():
            self.fs.rm(self.root, recursive=True)
        parts = self._parts()
        if parts:
            with self.fs.open(parts[0], "rb") as handle:
                stored = (pq.read_metadata(handle).metadata or {}).get(files.MANIFEST_KEY.encode())
            if stored is None or stored.decode() != manifest:
                raise ParamValidationError(
                    f"{self.url} holds an export made with other filters; use another path or "
                    "pass overwrite=True",
                    param="path",
                )

    def is_complete(self, name: str) -> bool:
        """Whether the partition's object exists (directory layout only)."""
        return self.layout == "directory" and self.fs.exists(f"{self.root}/{name}/{PART_NAME}")

    def commit(self, writer: files.PartWriter, empty: pl.DataFrame) -> None:
        """Merge the partition into one file and upload it as one object (directory layout),
        or keep it staged for the final single file."""
        local_dir = self.staging.root / writer.final.name
        if self.layout == "directory":  # what a failed earlier attempt of it left here
            shutil.rmtree(local_dir, ignore_errors=True)
        writer.commit(empty)
        if self.layout == "file":
            return
        parts = sorted(local_dir.glob(files.PART_GLOB))
        key = f"{self.root}/{writer.final.name}/{PART_NAME}"
        if len(parts) == 1:  # already one file with the manifest: upload it as it is
            self.fs.put_file(str(parts[0]), key)
        else:
            merged = self._tmp / f"{writer.final.name}.parquet"
            files.merge(parts, files.common_schema(parts), merged, metadata=writer.metadata)
            self.fs.put_file(str(merged), key)
            merged.unlink()
        shutil.rmtree(local_dir)

    def finish(self, manifest: str) -> tuple[Path | str, int, list[Path | str]]:
        """Upload the single file, or rewrite the partitions whose schema differs from the
        union of all (download, conform, upload: one object at a time)."""
        try:
            if self.layout == "file":
                target = self.staging
                files.cleanup(target)
                parts = files.part_files(target.root)
                assert target.file is not None
                rows = files.merge(parts, files.common_schema(parts), target.file)
                self.fs.put_file(str(target.file), self.root)
                return self.url, rows, [self.url]
            keys = self._parts()
            _, rows = files.harmonise(
                keys,
                manifest,
                open_file=lambda key: self.fs.open(key, "rb"),
                replace=lambda key, rewritten: self.fs.put_file(str(rewritten), key),
                scratch=lambda key: self._tmp / "harmonise.parquet",
            )
            return self.url, rows, [self._url(k) for k in keys]
        finally:
            shutil.rmtree(self._tmp, ignore_errors=True)
