"""`--data-dir`: a Parquet snapshot plus a write-ahead log, so acknowledged writes survive a kill.

Layout: the snapshot (`emulator.snapshot`: `MANIFEST.json`, `snapshot-<generation>/`, `LOCK`) and
the logs written since it (`wal-<generation>.log`, see `emulator.wal`). On start the
snapshot is loaded and every log file from the manifest's generation on is replayed. A checkpoint
(every `checkpoint_interval` seconds while there are changes, when the log passes
`checkpoint_bytes`, and on shutdown) switches to a new log file, writes a new snapshot directory
from a copy of the state taken at that instant, then replaces the manifest atomically and deletes
what it supersedes; a crash at any point leaves the previous manifest, snapshot and logs intact.
A folder per project directly under the data directory (the layout before the log) is still read.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson
import polars as pl
from aiohttp import web

from mixpanel_async._generated.operations import ALL
from mixpanel_async.emulator import wal
from mixpanel_async.emulator.journaled import JournaledDict
from mixpanel_async.emulator.snapshot import (
    FORMAT,
    LOCK,
    MANIFEST,
    capture,
    load_folders,
    lock_directory,
    meta_of,
    reading,
    restore_meta,
    write_snapshot,
)
from mixpanel_async.emulator.store import (
    EVENT_SCHEMA,
    ProjectState,
    State,
)
from mixpanel_async.emulator.wal import PersistenceError, applier

log = logging.getLogger("mixpanel_async.emulator")


def load(state: State, root: Path) -> int:
    """Read the snapshot and replay the logs into `state`; returns the generation new changes
    go to. Raises `PersistenceError` (one line naming the file) for a damaged file."""
    if not root.exists():
        return 1
    first = 0
    manifest = root / MANIFEST
    if manifest.exists():
        data = reading(manifest, lambda p: orjson.loads(p.read_bytes()))
        if not (isinstance(data, dict) and data.get("format") == FORMAT):
            raise PersistenceError(manifest, "not a manifest of this version")
        first = int(data.get("wal", 0))
        if data.get("snapshot"):
            folder = root / str(data["snapshot"])
            if not folder.is_dir():
                raise PersistenceError(folder, "the snapshot the manifest names is missing")
            load_folders(state, folder)
    else:
        load_folders(state, root)  # the layout before the log
    logs = [(gen, path) for gen, path in wal.segments(root) if gen >= first]
    for i, (_, path) in enumerate(logs):
        wal.replay(state, path, final=i == len(logs) - 1)
    for project in state:  # ID merge clusters are learnt from the log as it now stands
        project.identity.rebuild(project.events.frame())
    return logs[-1][0] + 1 if logs else max(first, 1)


def save(state: State, root: Path) -> None:
    """Write `state` as a fresh snapshot (no log running), superseding what `root` held."""
    root.mkdir(parents=True, exist_ok=True)
    generation = max([g for g, _ in wal.segments(root)] + [0]) + 1
    write_snapshot(root, generation, capture(state))


# --- replay ------------------------------------------------------------------------------------


def _project(project: ProjectState | None) -> ProjectState:
    if project is None:
        raise ValueError("the record names no project")
    return project


def pack_rows(columns: tuple[tuple[Any, ...], ...]) -> tuple[list[Any], bytes]:
    """Event rows (as their five columns) as an `events` record: the short columns and the
    lengths of the properties texts as JSON data, the texts concatenated as the attachment."""
    events, distinct_ids, times, insert_ids, texts = columns
    data = [events, distinct_ids, times, insert_ids, list(map(len, texts))]
    return data, "".join(texts).encode("utf-8", "surrogatepass")


@applier("events")
def _events(state: State, project: ProjectState | None, data: Any, blob: bytes) -> None:
    events, distinct_ids, times, insert_ids, lengths = data
    text = blob.decode("utf-8", "surrogatepass")
    ends = list(itertools.accumulate(lengths))
    if len(events) != len(lengths) or (ends[-1] if ends else 0) != len(text):
        raise ValueError("the properties texts do not match their lengths")
    texts = [text[end - n : end] for n, end in zip(lengths, ends, strict=True)]
    rows = list(zip(events, distinct_ids, times, insert_ids, texts, strict=True))
    _project(project).events.append(rows)  # (older logs hold whole texts: append converts)


@applier("events_clear")
def _events_clear(state: State, project: ProjectState | None, data: Any, blob: bytes) -> None:
    _project(project).events.clear()


@applier("events_replace")
def _events_replace(state: State, project: ProjectState | None, data: Any, blob: bytes) -> None:
    frame = pl.DataFrame(data, schema=EVENT_SCHEMA, orient="row")
    _project(project).events.replace(frame)


@applier("events_remove")
def _events_remove(state: State, project: ProjectState | None, data: Any, blob: bytes) -> None:
    if not (isinstance(data, list) and all(type(i) is int and i >= 0 for i in data)):
        raise ValueError("an events_remove record holds row positions")
    if data:
        doomed = pl.Series([False] * (max(data) + 1)).scatter(data, True)
        _project(project).events.remove(doomed)


@applier("profiles")
def _profiles(state: State, project: ProjectState | None, data: Any, blob: bytes) -> None:
    profiles = _project(project).profiles
    for did, props in data:
        if props is None:
            profiles.pop(did, None)
        else:
            profiles[did] = props


@applier("profiles_clear")
def _profiles_clear(state: State, project: ProjectState | None, data: Any, blob: bytes) -> None:
    _project(project).profiles.clear()


@applier("groups")
def _groups(state: State, project: ProjectState | None, data: Any, blob: bytes) -> None:
    groups = _project(project).groups
    for (key, group_id), props in data:
        if props is None:
            groups.pop((key, group_id), None)
        else:
            groups[(key, group_id)] = props


@applier("groups_clear")
def _groups_clear(state: State, project: ProjectState | None, data: Any, blob: bytes) -> None:
    _project(project).groups.clear()


@applier("meta")
def _meta(state: State, project: ProjectState | None, data: Any, blob: bytes) -> None:
    restore_meta(_project(project), data)


@applier("reset")
def _reset(state: State, project: ProjectState | None, data: Any, blob: bytes) -> None:
    state.reset()


# --- the running log ---------------------------------------------------------------------------


class Durability:
    """A state kept under a data directory: read by `load`, logged from `attach` on, compacted
    into snapshots by checkpoints, saved by `close`."""

    def __init__(
        self,
        state: State,
        root: Path,
        *,
        fsync: str = "interval",
        fsync_interval: float = 1.0,
        checkpoint_interval: float = 300.0,
        checkpoint_bytes: int = 256 * 1024 * 1024,
    ) -> None:
        wal.check_fsync(fsync)
        if not checkpoint_interval > 0:
            raise ValueError(f"checkpoint_interval must be positive, not {checkpoint_interval!r}")
        self.state, self.root = state, root
        self.fsync, self.fsync_interval = fsync, fsync_interval
        self.checkpoint_interval, self.checkpoint_bytes = checkpoint_interval, checkpoint_bytes
        self.log: wal.WriteAheadLog | None = None
        self._meta_seen: dict[str, bytes] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._checkpoint_lock = asyncio.Lock()
        self._background: set[asyncio.Task[None]] = set()
        self._generation = 1
        self._lock_fd: int | None = None

    def load(self) -> None:
        """Take the directory's lock, read the snapshot and replay the logs
        (`PersistenceError` when a file is damaged or another process holds the directory)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PersistenceError(self.root, f"cannot be used as a directory ({exc})") from None
        self._lock_fd = lock_directory(self.root / LOCK)
        try:
            self._generation = load(self.state, self.root)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        """Let another process use the directory."""
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing drops the lock
            self._lock_fd = None

    def attach(self) -> None:
        """Start logging every change to the state."""
        log_ = self.log = wal.WriteAheadLog(
            self.root, self._generation, fsync=self.fsync, fsync_interval=self.fsync_interval
        )
        self.state.journal = log_
        for project in self.state:
            self._attach_project(log_, project)

    def _attach_project(self, log_: wal.WriteAheadLog, project: ProjectState) -> None:
        pid = project.project_id

        def on_events(kind: str, data: Any) -> None:
            if kind == "events":
                log_.record(kind, pid, *pack_rows(data))
            else:
                log_.record(kind, pid, data)

        def profile(key: Any) -> Any:
            return project.profiles.get(key)

        def group(key: Any) -> Any:
            return project.groups.get(key)

        project.events.journal = on_events
        project.profiles = JournaledDict(
            project.profiles,
            lambda k: log_.touch("profiles", pid, k, profile),
            lambda: log_.record("profiles_clear", pid, None),
        )
        project.groups = JournaledDict(
            project.groups,
            lambda k: log_.touch("groups", pid, k, group),
            lambda: log_.record("groups_clear", pid, None),
        )
        self._meta_seen[pid] = orjson.dumps(meta_of(project, groups=False))

    async def start(self) -> None:
        """Start the background fsync and checkpoint tasks."""
        if self.fsync == "interval" and self.log is not None:
            self._tasks.append(asyncio.create_task(self.log.sync_forever()))
        self._tasks.append(asyncio.create_task(self._checkpoint_forever()))

    async def _checkpoint_forever(self) -> None:
        while True:
            await asyncio.sleep(self.checkpoint_interval)
            if self.log is not None and self.log.segment_bytes > 0:
                await self._checkpoint_logged()

    async def _checkpoint_logged(self) -> None:
        try:
            await self.checkpoint()
        except Exception:  # the previous snapshot and the logs stay valid; try again later
            log.exception("checkpoint of %s failed", self.root)

    def _log_meta(self) -> None:
        assert self.log is not None
        for project in self.state:
            image = orjson.dumps(meta_of(project, groups=False))
            if image != self._meta_seen.get(project.project_id):
                self._meta_seen[project.project_id] = image
                self.log.record("meta", project.project_id, orjson.Fragment(image))

    async def commit(self, *, check_meta: bool) -> None:
        """Log what changed and wait as the fsync policy asks (before a request is answered);
        `check_meta` also compares the App API state with what was last logged."""
        if self.log is None:
            return
        if check_meta:
            self._log_meta()
        if self.log.pending:
            await self.log.commit()
            big = self.log.segment_bytes > self.checkpoint_bytes
            if big and not self._checkpoint_lock.locked():
                task = asyncio.create_task(self._checkpoint_logged())
                self._background.add(task)
                task.add_done_callback(self._background.discard)

    async def checkpoint(self) -> None:
        """Compact the log into a new snapshot (written off the event loop)."""
        async with self._checkpoint_lock:
            if self.log is None:
                return
            self._log_meta()
            generation = await self.log.rotate()
            images = capture(self.state)  # no await since the switch: the older logs' state
            await asyncio.to_thread(write_snapshot, self.root, generation, images)

    async def close(self) -> None:
        """Stop the background tasks, checkpoint once more and close the log."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        async with self._checkpoint_lock:  # after any checkpoint under way
            if self.log is not None:
                self._log_meta()
                generation = await self.log.rotate()
                write_snapshot(self.root, generation, capture(self.state))
                await self.log.close()
                self.log = None
        self.release()


DURABLE: web.AppKey[Durability] = web.AppKey("durable", Durability)


@web.middleware
async def journal_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Under `--data-dir`, log every change a request made before it is answered."""
    durable = request.app.get(DURABLE)
    if durable is None:
        return await handler(request)
    try:
        return await handler(request)
    finally:
        operation = getattr(request.match_info.route.handler, "operation_id", None)
        host = ALL[operation].host if operation is not None else None
        # Event and profile writes are logged as they happen; App API state is compared after
        # any write, and after App API reads too (Lexicon gives a definition its id on a read).
        writes = request.method not in ("GET", "HEAD")
        await durable.commit(check_meta=host != "ingestion" and (writes or host == "app"))
