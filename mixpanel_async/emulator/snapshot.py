"""The Parquet snapshot of a `--data-dir`: its layout, how a copy of the state is taken and
written (atomically, as a whole), read back, and the directory's lock.

    MANIFEST.json                  {"format": 1, "snapshot": "snapshot-000003", "wal": 3}
    snapshot-000003/<project_id>/  events.parquet, profiles.parquet, meta.json
    LOCK                           held by the one emulator using the directory

The events file is the raw event log (duplicates included, so dedup stays a read-time rule);
`meta.json` holds the timezone, cohorts, funnels, groups and App API entities. A snapshot is
written to a temporary directory, synced, renamed, and only then named by the manifest (replaced
atomically); what it supersedes is deleted afterwards, so a crash at any point leaves the
previous manifest, snapshot and logs intact.
"""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from mixpanel_async.emulator import wal
from mixpanel_async.emulator.entities import Table
from mixpanel_async.emulator.store import EVENT_SCHEMA, ProjectState, State
from mixpanel_async.emulator.wal import PersistenceError

MANIFEST = "MANIFEST.json"
LOCK = "LOCK"
FORMAT = 1


# --- snapshots ---------------------------------------------------------------------------------


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, write: Callable[[Path], Any]) -> None:
    write(path)
    with path.open("rb") as f:
        os.fsync(f.fileno())


def meta_of(project: ProjectState, *, groups: bool = True) -> dict[str, Any]:
    """A project's state besides events and profiles, as JSON-ready data."""
    meta: dict[str, Any] = {
        "timezone": project.timezone,
        "cohorts": project.cohorts,
        "funnels": project.funnels,
        "entities": _entities(project),
    }
    if groups:
        meta["groups"] = [[k, g, v] for (k, g), v in project.groups.items()]
    return meta


def _entities(project: ProjectState) -> dict[str, Any]:
    """App API tables as JSON (tables backed by another list, like cohorts, are saved there)."""
    out: dict[str, Any] = {}
    for kind, value in project.entities.items():
        if isinstance(value, Table):
            if isinstance(value.rows, dict):
                out[kind] = {
                    "table": True,
                    "id_type": value.id_type,
                    "rows": list(value.rows.values()),
                    "history": [[k, v] for k, v in value.history.items()],
                }
        else:
            out[kind] = {"table": False, "value": value}
    return out


def restore_meta(project: ProjectState, meta: dict[str, Any]) -> None:
    """Put a `meta_of` image back into a project (groups only when the image has them)."""
    project.timezone = meta.get("timezone", project.timezone)
    project.cohorts = meta.get("cohorts", [])
    project.funnels = meta.get("funnels", [])
    if "groups" in meta:
        project.groups = {(k, g): v for k, g, v in meta["groups"]}
    project.entities.clear()
    for kind, item in meta.get("entities", {}).items():
        if not item.get("table"):
            project.entities[kind] = item.get("value")
            continue
        table = Table(kind, item.get("id_type", "int"))
        table.rows.update({row["id"]: row for row in item.get("rows", [])})
        table.history.update(dict(item.get("history", [])))
        project.entities[kind] = table


Image = tuple[str, pl.DataFrame, list[str], list[str], bytes]


def capture(state: State) -> list[Image]:
    """A copy of every project's state to write as a snapshot (taken in one synchronous step;
    event frames are immutable, the rest is serialised here)."""
    images = []
    for project in state:
        dump = orjson.dumps
        profiles = list(project.profiles.items())
        images.append(
            (
                project.project_id,
                project.events.frame(),
                [did for did, _ in profiles],
                [dump(props).decode() for _, props in profiles],
                orjson.dumps(meta_of(project)),
            )
        )
    return images


def write_snapshot(root: Path, generation: int, images: list[Image]) -> None:
    """Write a snapshot directory, make it current, and delete what it supersedes."""
    name = f"snapshot-{generation:06d}"
    tmp = root / (name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for project_id, events, ids, texts, meta in images:
        folder = tmp / project_id
        folder.mkdir(parents=True)
        _write_synced(folder / "events.parquet", events.write_parquet)
        profiles = pl.DataFrame(
            {"distinct_id": ids, "properties": texts},
            schema={"distinct_id": pl.String, "properties": pl.String},
        )
        _write_synced(folder / "profiles.parquet", profiles.write_parquet)
        _write_synced(folder / "meta.json", functools.partial(Path.write_bytes, data=meta))
        _fsync_dir(folder)
    tmp.mkdir(parents=True, exist_ok=True)
    _fsync_dir(tmp)
    shutil.rmtree(root / name, ignore_errors=True)
    os.replace(tmp, root / name)
    manifest = orjson.dumps({"format": FORMAT, "snapshot": name, "wal": generation})
    _write_synced(root / (MANIFEST + ".tmp"), lambda p: p.write_bytes(manifest))
    os.replace(root / (MANIFEST + ".tmp"), root / MANIFEST)
    _fsync_dir(root)
    for path in root.iterdir():  # superseded snapshots, logs, and the layout before the log
        superseded = path.name.startswith("snapshot-") and path.name != name
        legacy = path.name.isdigit() and (path / "events.parquet").exists()
        if path.is_dir() and (superseded or legacy):
            shutil.rmtree(path, ignore_errors=True)
    for gen, path in wal.segments(root):
        if gen < generation:
            path.unlink(missing_ok=True)


def lock_directory(path: Path) -> int:
    """Hold an exclusive lock on `path` (created if need be): one process per directory."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PersistenceError(path, f"cannot be opened ({exc})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise PersistenceError(path.parent, "in use by another emulator process") from None
    return fd


def reading(path: Path, read: Callable[[Path], Any]) -> Any:
    """`read(path)`, any failure turned into a `PersistenceError` naming the file."""
    try:
        return read(path)
    except Exception as exc:  # any reader's failure: one line naming the file
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise PersistenceError(path, f"unreadable ({type(exc).__name__}: {reason})") from None


def _load_project(project: ProjectState, folder: Path) -> None:
    if (folder / "events.parquet").exists():
        events = reading(folder / "events.parquet", pl.read_parquet)
        if set(events.columns) != set(EVENT_SCHEMA):
            raise PersistenceError(folder / "events.parquet", "not an event log (columns differ)")
        project.events.replace(events)
    if (folder / "profiles.parquet").exists():
        frame = reading(folder / "profiles.parquet", pl.read_parquet)
        project.profiles = reading(
            folder / "profiles.parquet",
            lambda _: {
                did: orjson.loads(props)
                for did, props in zip(frame["distinct_id"], frame["properties"], strict=True)
            },
        )
    if (folder / "meta.json").exists():
        meta = reading(folder / "meta.json", lambda p: orjson.loads(p.read_bytes()))
        reading(folder / "meta.json", lambda _: restore_meta(project, meta))


def load_folders(state: State, root: Path) -> None:
    """Read every project folder under `root` into the declared project of that id."""
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name.isdigit()):
        project = state.by_id(folder.name)
        if project is not None:
            _load_project(project, folder)
