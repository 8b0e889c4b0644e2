"""The write-ahead log behind `--data-dir`: every change is on disk before it is acknowledged.

A log file (`wal-<generation>.log`) starts with an 8-byte magic and holds records, each
`<u32 length><u32 crc32>` (little-endian, the checksum of what follows) and then `length` bytes:
`<u32 n>`, `n` bytes of JSON `[kind, project_id, data]`, and an optional binary attachment (event
rows keep their properties JSON texts there, unescaped: a third of the cost of JSON-encoding
them). Kinds are generic: replay looks the kind up in `APPLIERS`, so a new kind of change only
registers its applier (`@applier("kind")`). Records are after-images or
appends, so applying one twice where that could happen (a meta image logged after a checkpoint
already holds it) changes nothing; event appends are logged in the same step as the append itself.

Changes are buffered as they are made (`record`, `touch`) and written by `commit`, which every
request awaits before its answer goes out (`journal_middleware`). What `commit` waits for is the
fsync policy:

- `always`: fsync before answering; concurrent requests share one fsync (group commit);
- `interval` (the default): answer once the record is written (it then survives the process
  being killed, `kill -9` included) and fsync every `fsync_interval` seconds (an operating-system
  crash loses at most that much);
- `never`: leave flushing to the operating system.

A torn final record (the process died mid-write) is dropped with a warning; any other damage is
a `PersistenceError` naming the file, and the emulator refuses to start.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from mixpanel_async.emulator.store import ProjectState, State

log = logging.getLogger("mixpanel_async.emulator")

MAGIC = b"MPWAL01\n"
_HEAD = struct.Struct("<II")
_JSON_LENGTH = struct.Struct("<I")
FSYNC_POLICIES = ("always", "interval", "never")

Applier = Callable[[State, ProjectState | None, Any, bytes], None]
"""`(state, project or None for state-wide records, data, attachment)`."""
APPLIERS: dict[str, Applier] = {}
"""How each kind of record is applied to the state on replay."""


class PersistenceError(Exception):
    """A data file that cannot be read; `str()` is one line naming the file."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path


def applier(kind: str) -> Callable[[Applier], Applier]:
    """Register how records of `kind` are applied on replay."""

    def register(fn: Applier) -> Applier:
        APPLIERS[kind] = fn
        return fn

    return register


def segment_path(root: Path, generation: int) -> Path:
    """The log file of one generation."""
    return root / f"wal-{generation:06d}.log"


def segments(root: Path) -> list[tuple[int, Path]]:
    """Every log file under `root` as (generation, path), oldest first."""
    out = []
    for path in root.glob("wal-*.log"):
        digits = path.stem.removeprefix("wal-")
        if digits.isdigit():
            out.append((int(digits), path))
    return sorted(out)


def encode(kind: str, project_id: str | None, data: Any, attachment: bytes = b"") -> bytes:
    """One framed record."""
    head = orjson.dumps([kind, project_id, data])
    payload = b"".join((_JSON_LENGTH.pack(len(head)), head, attachment))
    return _HEAD.pack(len(payload), zlib.crc32(payload)) + payload


def read(path: Path) -> tuple[list[Any], int, bool]:
    """The records of a log file, the offset where the good ones end, and whether a torn
    final record follows them. Raises `PersistenceError` for any other damage."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PersistenceError(path, f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) < len(MAGIC):
        if MAGIC.startswith(raw):
            return [], 0, bool(raw)  # died while writing the header
        raise PersistenceError(path, "not a write-ahead log (bad header)")
    if not raw.startswith(MAGIC):
        raise PersistenceError(path, "not a write-ahead log (bad header)")
    records: list[Any] = []
    at = len(MAGIC)
    while at < len(raw):
        if len(raw) - at < _HEAD.size:
            return records, at, True
        length, crc = _HEAD.unpack_from(raw, at)
        start, end = at + _HEAD.size, at + _HEAD.size + length
        if end > len(raw):
            return records, at, True
        payload = raw[start:end]
        if zlib.crc32(payload) != crc:
            if end == len(raw):
                return records, at, True
            raise PersistenceError(path, f"checksum mismatch in the record at byte {at}")
        try:
            (head_length,) = _JSON_LENGTH.unpack_from(payload)
            record = orjson.loads(payload[_JSON_LENGTH.size : _JSON_LENGTH.size + head_length])
        except (struct.error, orjson.JSONDecodeError):
            raise PersistenceError(path, f"unreadable record at byte {at}") from None
        if not (isinstance(record, list) and len(record) == 3 and isinstance(record[0], str)):
            raise PersistenceError(path, f"malformed record at byte {at}")
        records.append((*record, payload[_JSON_LENGTH.size + head_length :]))
        at = end
    return records, at, False


def replay(state: State, path: Path, *, final: bool = True) -> int:
    """Apply a log file's records to `state`; returns how many were applied. A torn tail of the
    `final` (newest) file is cut off with a warning; older files were synced whole, so there it
    is damage."""
    records, good_end, torn = read(path)
    if torn and not final:
        raise PersistenceError(path, "truncated (an older log file must be complete)")
    if torn:
        log.warning("%s: dropped a torn final record (the emulator stopped mid-write)", path)
        with path.open("r+b") as f:
            f.truncate(max(good_end, len(MAGIC)) if good_end else 0)
    for at, (kind, project_id, data, attachment) in enumerate(records):
        apply = APPLIERS.get(kind)
        if apply is None:
            raise PersistenceError(path, f"record {at} has an unknown kind {kind!r}")
        project = None if project_id is None else state.by_id(project_id)
        if project_id is not None and project is None:
            continue  # a project no longer declared, as the snapshot loader skips it
        try:
            apply(state, project, data, attachment)
        except (TypeError, ValueError, KeyError, IndexError) as exc:
            raise PersistenceError(path, f"record {at} ({kind}) cannot be applied: {exc}") from None
    return len(records)


def check_fsync(policy: str) -> None:
    """A `ValueError` for an fsync policy that is not one of `FSYNC_POLICIES`."""
    if policy not in FSYNC_POLICIES:
        raise ValueError(f"fsync must be one of {', '.join(FSYNC_POLICIES)}, not {policy!r}")


class WriteAheadLog:
    """The open log of a durable state: buffers changes, writes and syncs them on `commit`."""

    def __init__(
        self,
        root: Path,
        generation: int,
        *,
        fsync: str = "interval",
        fsync_interval: float = 1.0,
    ) -> None:
        check_fsync(fsync)
        self.root, self.fsync, self.fsync_interval = root, fsync, fsync_interval
        self.generation = generation
        self._fd = self._open(generation)
        self._buffer: list[tuple[str, str | None, Any, bytes]] = []
        self._resolvers: dict[tuple[str, str], Callable[[Any], Any]] = {}
        self.written = 0
        """Bytes written since opening (across generations): the log sequence number."""
        self.synced = 0
        """Bytes known to be on stable storage."""
        self.segment_bytes = 0
        """Bytes in the current generation's file."""
        self._sync_lock = asyncio.Lock()
        # fsyncs get their own thread: a pool busy with heavy reports must not hold up commits
        self._syncer = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="wal-fsync")

    def _open(self, generation: int) -> int:
        path = segment_path(self.root, generation)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        if os.fstat(fd).st_size == 0:
            os.write(fd, MAGIC)
            os.fsync(fd)
        return fd

    # -- buffering (synchronous, in the same step as the change) -------------------------------
    def record(self, kind: str, project_id: str | None, data: Any, attachment: bytes = b"") -> None:
        """Buffer one change."""
        self._buffer.append((kind, project_id, data, attachment))

    def touch(self, kind: str, project_id: str, key: Any, resolve: Callable[[Any], Any]) -> None:
        """Buffer that `key` of a keyed collection changed; its value is read by `resolve(key)`
        when the buffer is written (consecutive touches share one record)."""
        last = self._buffer[-1] if self._buffer else None
        if last is not None and last[0] == kind and last[1] == project_id:
            last[2].add(key)
            return
        self._resolvers[(kind, project_id)] = resolve
        self._buffer.append((kind, project_id, {key}, b""))

    @property
    def pending(self) -> bool:
        """Whether changes wait to be written."""
        return bool(self._buffer)

    # -- writing ------------------------------------------------------------------------------
    def flush(self) -> int:
        """Write the buffered changes; returns the log sequence number they end at."""
        if not self._buffer:
            return self.written
        buffer, self._buffer = self._buffer, []
        parts = []
        for kind, project_id, data, attachment in buffer:
            if isinstance(data, set):
                resolve = self._resolvers[(kind, str(project_id))]
                data = [[key, resolve(key)] for key in data]
            parts.append(encode(kind, project_id, data, attachment))
        blob = b"".join(parts)
        view = memoryview(blob)
        while view:
            view = view[os.write(self._fd, view) :]
        self.written += len(blob)
        self.segment_bytes += len(blob)
        return self.written

    async def commit(self) -> None:
        """Write the buffered changes and wait as long as the fsync policy asks."""
        lsn = self.flush()
        if self.fsync != "always" or self.synced >= lsn:
            return
        async with self._sync_lock:  # whoever waited here is likely covered by the last fsync
            if self.synced >= lsn:
                return
            target = self.written
            await self._fsync()
            self.synced = max(self.synced, target)

    async def _fsync(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._syncer, os.fsync, self._fd)

    async def sync_forever(self) -> None:
        """The `interval` policy's background fsync (a task; cancel it to stop)."""
        while True:
            await asyncio.sleep(self.fsync_interval)
            if self.synced < self.written:
                async with self._sync_lock:
                    target = self.written
                    await self._fsync()
                    self.synced = max(self.synced, target)

    async def rotate(self) -> int:
        """Write and sync what is buffered, then continue in a new generation's file; returns
        the new generation (every change before it is in older files). Once the file is
        switched nothing awaits, so the caller's next synchronous step sees exactly the state
        the older files hold."""
        async with self._sync_lock:  # no fsync of the old file may still be under way
            self.flush()
            os.fsync(self._fd)
            self.synced = self.written
            os.close(self._fd)
            self.generation += 1
            self._fd = self._open(self.generation)
            self.segment_bytes = 0
            return self.generation

    async def close(self) -> None:
        """Write and sync what is buffered and close the file."""
        async with self._sync_lock:
            self.flush()
            os.fsync(self._fd)
            self.synced = self.written
            os.close(self._fd)
        self._syncer.shutdown()
