"""The emulator's state: projects, each with events (columnar, Polars), profiles and groups.

State lives per app instance (`STATE` app key), never in module globals. Events are appended as
plain Python column lists and compacted into Polars chunks lazily, on the first read after a
write; the properties JSON of each event is kept so export returns what was imported.

The stored shape of an event (`EVENT_SCHEMA`): `event`, `distinct_id` (text), `time` (ms),
`insert_id` (the `$insert_id`, or null) and `properties`: the event's properties as compact JSON
*without* the keys those columns already hold (`time`, `distinct_id`, `$insert_id`) when they
lead the object, which would otherwise be a third of the text; one or two whitespace
characters after the opening brace tell the order they came in, and a text starting `{"`
holds the whole object. `emulator.event_text` makes the stored text and gives the whole object
back, exactly, key order included. `event` and `distinct_id` are held dictionary-encoded
(Polars categoricals, 4 bytes a row, with categories of the store's own), and read back as text.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple, Protocol

import attrs
import polars as pl

from mixpanel_async.emulator.engine.identity import IdentityMap
from mixpanel_async.emulator.event_text import EventRow as EventRow  # ingestion's rows
from mixpanel_async.emulator.event_text import stored_form, stored_rows
from mixpanel_async.emulator.flat_texts import flat_column, flat_texts, remember_flat

EVENT_SCHEMA: dict[str, pl.DataType] = {
    "event": pl.String(),
    "distinct_id": pl.String(),
    "time": pl.Int64(),  # milliseconds since the epoch, UTC
    "insert_id": pl.String(),
    "properties": pl.String(),  # the other properties as JSON text (see the module docstring)
}

COMPACT_EVERY = 250_000
FRAME_ROWS = 4096
"""Appended rows are collected as Python lists and become a small columnar frame once this
many are pending (or on the next read); frames are folded into a chunk every `COMPACT_EVERY`."""

_NO_STAMP = -1  # the ingestion time of rows that came back from disk is not known


EventJournal = Callable[[str, Any], None]
"""Told of each change to an event log as it is made: `(kind, data)` (see `emulator.wal`); an
append's data is its rows as five columns."""


class Resolver(Protocol):
    """What rewrites read frames' `distinct_id`s to canonical ones (`engine.identity`)."""

    version: int

    def resolve(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` with each `distinct_id` replaced by its cluster's canonical id."""


class _Chunk(NamedTuple):
    """Stored rows (EVENT_SCHEMA), their ingestion numbers and their `flat_texts`."""

    frame: pl.DataFrame
    seq: pl.Series
    flat: pl.Series


_SEQ = pl.UInt32  # ingestion numbers: 4 bytes a row


def _empty_chunk() -> _Chunk:
    return _Chunk(
        pl.DataFrame(schema=EVENT_SCHEMA),
        pl.Series("_seq", [], dtype=_SEQ),
        pl.Series("properties", [], dtype=pl.Boolean),
    )


def _frame_of(columns: tuple[Any, ...]) -> pl.DataFrame:
    """Rows given as five columns (EVENT_SCHEMA's order) as a frame."""
    return pl.DataFrame(dict(zip(EVENT_SCHEMA, columns, strict=True)), schema=EVENT_SCHEMA)


def _new_codes() -> pl.Categorical:
    """A categorical type with categories of its own (dropped with the store's rows)."""
    return pl.Categorical(pl.Categories.random())


def _decoded(frame: pl.DataFrame) -> pl.DataFrame:
    """A stored frame with `event` and `distinct_id` as text (EVENT_SCHEMA)."""
    return frame.cast({"event": pl.String, "distinct_id": pl.String})


def _numbered(frame: pl.DataFrame, start: int) -> _Chunk:
    seq = pl.int_range(start, start + frame.height, dtype=_SEQ, eager=True).alias("_seq")
    return _Chunk(frame, seq, flat_column(frame))


class EventStore:
    """An append-only event log with Mixpanel's dedup applied on read.

    The rows are held once, as one Polars frame sorted by time (ingestion order within a
    millisecond), and readers share its buffers rather than each keeping a sorted copy:
    `deduped()` is that very frame when no `$insert_id` repeats, and `everything()` adds one
    integer column to it. Each row keeps its ingestion number, which gives back ingestion order
    (`frame()`), the winner among duplicates and the batch that stored it
    (`mp_processing_time_ms`). Appends collect in Python lists, become columnar chunks every
    `COMPACT_EVERY` rows and are sorted into the frame on the next read.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._codes = _new_codes()  # what `event` and `distinct_id` are held as
        self._chunks: list[_Chunk] = []  # one sorted chunk after `_merge`
        self._sorted = True  # whether `_chunks` is one chunk in (time, ingestion) order
        self._pending: tuple[list[Any], ...] = ([], [], [], [], [])
        self._pending_frames: list[pl.DataFrame] = []  # large appends, already columnar
        self._framed = 0  # rows in `_pending_frames`
        self._version = 0
        self._deduped: tuple[tuple[int, int], pl.DataFrame] | None = None
        self._everything: tuple[tuple[int, int], pl.DataFrame] | None = None
        self._count = 0  # rows ever appended: the next row's ingestion number
        # Ingestion number after each append and its wall-clock time: `mp_processing_time_ms`.
        self._batch_ends: list[int] = []
        self._batch_ms: list[int] = []
        self.resolver: Resolver | None = None
        """Applied to every read frame (`deduped`, `everything`) when set."""
        self.journal: EventJournal | None = None
        """Told of every append, clear, replace and removal (set by `--data-dir`; None: not
        durable)."""

    def append(self, rows: Iterable[EventRow], *, stored: bool = False) -> int:
        """Add rows (already validated); returns how many were added. A text holding the whole
        properties object is put in the stored form (`event_text.stored_rows`) unless `stored`
        says every text already is (ingestion's hot path)."""
        batch = rows if isinstance(rows, list) else list(rows)
        if not batch:
            return 0
        if not stored:
            batch = stored_rows(batch)
        with self._lock:
            # Transpose once: ingestion's hot path, ~10x a per-row loop.
            columns = tuple(zip(*batch, strict=True))
            for col, values in zip(self._pending, columns, strict=True):
                col.extend(values)
            if len(self._pending[0]) >= FRAME_ROWS:
                # Converted while the strings are fresh in the CPU's caches: about half the
                # cost of converting them later among a quarter-million others.
                self._fold_lists()
            if self.journal is not None:  # under the lock: the log's order is the store's
                self.journal("events", columns)
            self._version += 1
            self._count += len(batch)
            self._batch_ends.append(self._count)
            self._batch_ms.append(time.time_ns() // 1_000_000)
            # Fold pending rows into one sorted-on-read chunk every so often, so that neither
            # Python strings (~4x their Polars form) nor small frames pile up.
            if self._pending_rows() >= COMPACT_EVERY:
                self._compact()
        return len(batch)

    def _pending_rows(self) -> int:
        return len(self._pending[0]) + self._framed

    def _fold_lists(self) -> None:
        if self._pending[0]:
            self._framed += len(self._pending[0])
            self._pending_frames.append(_frame_of(self._pending))
            self._pending = ([], [], [], [], [])

    def _compact(self) -> None:
        pending = self._pending_rows()
        if not pending:
            return
        self._fold_lists()
        frames, self._pending_frames, self._framed = self._pending_frames, [], 0
        frame = frames[0] if len(frames) == 1 else pl.concat(frames, rechunk=True)
        frame = frame.cast(self._encoded())
        self._chunks.append(_numbered(frame, self._count - pending))
        self._sorted = False

    def _merge(self) -> _Chunk:
        """The stored rows as one chunk sorted by (time, ingestion number) (under the lock).

        Concatenating copies only the 16-byte string views, and the gather that sorts a
        single-chunk frame shares the text buffers, so the texts are never copied."""
        self._compact()
        if self._sorted:
            return self._chunks[0] if self._chunks else _empty_chunk()
        chunks = self._chunks
        frame = pl.concat([c.frame for c in chunks], rechunk=True)
        seq = pl.concat([c.seq for c in chunks], rechunk=True)
        flat = pl.concat([c.flat for c in chunks], rechunk=True)
        if not frame["time"].is_sorted():
            # Stable: rows of one millisecond stay in ingestion (= concatenation) order.
            order = frame.select(pl.arg_sort_by("time", maintain_order=True)).to_series()
            frame, seq, flat = frame[order], seq.gather(order), flat.gather(order)
        merged = _Chunk(frame, seq, flat)
        self._chunks, self._sorted = [merged], True
        return merged

    def _encoded(self) -> dict[Any, pl.DataType]:
        return {"event": self._codes, "distinct_id": self._codes}

    def frame(self) -> pl.DataFrame:
        """Every stored row in ingestion order (duplicates included; identities unresolved)."""
        with self._lock:
            merged = self._merge()
        frame = _decoded(merged.frame)
        if merged.seq.is_sorted():
            return frame
        return frame[merged.seq.arg_sort()]

    def _read_version(self) -> tuple[int, int]:
        resolver = self.resolver
        return (self._version, -1 if resolver is None else resolver.version)

    def _resolved(self, frame: pl.DataFrame) -> pl.DataFrame:
        return frame if self.resolver is None else self.resolver.resolve(frame)

    def everything(self) -> pl.DataFrame:
        """Every stored row, duplicates included (raw export), identities resolved, sorted by
        time (ingestion order within a millisecond), with `mp_processing_time_ms`: when the
        row's batch was stored (the emulator's clock). `event` and `distinct_id` are left
        categorical here (export reads them chunk by chunk), so exporting copies no column."""
        with self._lock:
            version = self._read_version()
            if self._everything is not None and self._everything[0] == version:
                return self._everything[1]
            merged = self._merge()
            ends = pl.Series(self._batch_ends, dtype=_SEQ)
            stamps = pl.Series(self._batch_ms, dtype=pl.Int64)
        frame = merged.frame
        stamp = stamps.gather(ends.search_sorted(merged.seq, side="right"))
        # Rows of a replaced log (persistence, deletion) have no stamp: their own time stands in.
        stamp = stamp.zip_with(stamp != _NO_STAMP, frame["time"]).alias("mp_processing_time_ms")
        result = self._resolved(frame.with_columns(stamp))
        with self._lock:
            if self._read_version() == version:
                self._everything = (version, result)
        return result

    def deduped(self) -> pl.DataFrame:
        """Rows as Mixpanel serves them: one per (event, distinct_id, second, $insert_id), the
        last ingested winning; rows without `$insert_id` are never merged. Sorted by time."""
        with self._lock:
            version = self._read_version()
            if self._deduped is not None and self._deduped[0] == version:
                return self._deduped[1]
            merged = self._merge()
        frame, flat = _decoded(merged.frame), merged.flat
        resolved = self._resolved(frame)
        if resolved is not frame:
            changed = (resolved["properties"] != frame["properties"]).arg_true()
            if changed.len():  # rewritten texts: their flatness anew
                fixed = resolved[changed].select(flat_texts(pl.col("properties"))).to_series()
                flat = flat.scatter(changed, fixed)
        ids = resolved["insert_id"]
        if ids.n_unique() < ids.len() - max(ids.null_count() - 1, 0):
            # Some $insert_id repeats (counting is ~4x cheaper than marking): only rows whose
            # hash repeats can merge, and the exact keys decide among those few.
            repeated = ids.hash().is_duplicated() & ids.is_not_null()
            keys = ["event", "distinct_id", "_sec", "insert_id"]
            seq = merged.seq
            rivals = resolved.select(
                "event", "distinct_id", (pl.col("time") // 1000).alias("_sec"), "insert_id", seq
            ).filter(repeated)
            losers = rivals.filter(pl.col("_seq") != pl.col("_seq").max().over(keys))["_seq"]
            keep = ~seq.is_in(losers.implode())
            resolved, flat = resolved.filter(keep), flat.filter(keep)
        remember_flat(resolved, flat)
        with self._lock:
            if self._read_version() == version:
                self._deduped = (version, resolved)
        return resolved

    def _start_afresh(self) -> None:
        """Forget the rows and all derived from them (under the lock): new categories, no
        pending rows, cached reads out of date. The caller sets the chunks and the count."""
        self._codes = _new_codes()
        self._pending = ([], [], [], [], [])
        self._pending_frames, self._framed = [], 0
        self._version += 1
        self._deduped = None
        self._everything = None

    def clear(self) -> None:
        """Drop every event."""
        with self._lock:
            self._start_afresh()
            self._chunks, self._sorted = [], True
            self._count = 0
            self._batch_ends, self._batch_ms = [], []
            if self.journal is not None:
                self.journal("events_clear", None)

    def replace(self, frame: pl.DataFrame) -> None:
        """Swap the whole log for `frame`'s rows, taken in ingestion order (used by deletion
        and persistence)."""
        rows = stored_form(frame.select(list(EVENT_SCHEMA)).cast(EVENT_SCHEMA))  # type: ignore[arg-type]
        with self._lock:
            if self.journal is not None:
                self.journal("events_replace", rows.rows())
            self._start_afresh()  # every row is encoded anew: unused categories are forgotten
            rows = rows.cast(self._encoded())
            self._chunks, self._sorted = [_numbered(rows, 0)], False
            self._count = rows.height
            self._batch_ends, self._batch_ms = [self._count], [_NO_STAMP]

    def remove(self, doomed: pl.Series) -> int:
        """Delete the rows a boolean mask over `frame()` marks (rows appended since it was
        taken are kept); how many went. Every deletion of stored events (deletion requests)
        goes through here, so a write-ahead log can record it as one operation."""
        with self._lock:
            merged = self._merge()
            if not doomed.any():
                return 0
            mask = doomed.cast(pl.Boolean).head(merged.frame.height)
            # `frame()`'s i-th row is the one with the i-th smallest ingestion number.
            gone = merged.seq.sort().head(mask.len()).filter(mask)
            keep = ~merged.seq.is_in(gone.implode())
            self._chunks = [
                _Chunk(merged.frame.filter(keep), *(s.filter(keep) for s in merged[1:]))
            ]
            self._version += 1
            self._deduped = None
            self._everything = None
            if self.journal is not None:  # the removed rows' positions in the log
                self.journal("events_remove", mask.arg_true().to_list())
            return len(gone)

    def __len__(self) -> int:
        with self._lock:
            return sum(c.frame.height for c in self._chunks) + self._pending_rows()


@attrs.define
class ProjectState:
    """One project's data."""

    project_id: str
    token: str | None = None
    secret: str | None = None
    timezone: str = "UTC"
    name: str = "Emulated Project"
    events: EventStore = attrs.field(factory=EventStore)
    profiles: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    groups: dict[tuple[str, str], dict[str, Any]] = attrs.field(factory=dict)
    cohorts: list[dict[str, Any]] = attrs.field(factory=list)
    funnels: list[dict[str, Any]] = attrs.field(factory=list)
    entities: dict[str, Any] = attrs.field(factory=dict)
    """App API entity tables by kind (see `emulator.entities`)."""
    identity: IdentityMap = attrs.field(factory=IdentityMap)
    """Identity clusters (ID merge), applied to every read of `events`."""
    replays: dict[str, Any] = attrs.field(factory=dict)
    """Session recordings by replay id (`routes.replays.Recording`; not persisted)."""

    def __attrs_post_init__(self) -> None:
        self.events.resolver = self.identity

    def reset(self) -> None:
        """Forget the project's events, profiles, groups, cohorts, funnels and entities."""
        self.events.clear()
        self.profiles.clear()
        self.groups.clear()
        self.cohorts.clear()
        self.funnels.clear()
        self.entities.clear()
        self.identity.clear()
        self.replays.clear()


DEFAULT_PROJECT_ID = "1"


@attrs.frozen
class ProjectSpec:
    """A declared project: `--project ID[:TOKEN[:SECRET]]`."""

    project_id: str
    token: str | None = None
    secret: str | None = None

    @classmethod
    def parse(cls, text: str) -> ProjectSpec:
        """A project from `ID[:TOKEN[:SECRET]]` text (the `--project` option)."""
        parts = text.split(":")
        if not parts[0].isdigit() or len(parts) > 3:
            raise ValueError(
                f"--project expects ID[:TOKEN[:SECRET]] with a numeric ID, got {text!r}"
            )
        return cls(parts[0], *(p or None for p in parts[1:]))


class State:
    """Everything the emulator holds.

    *Open* (no projects declared): one project; every token and project id lands in it.
    *Configured*: each declared project isolated; unknown tokens or ids are rejected.
    """

    def __init__(
        self,
        projects: Iterable[ProjectSpec] = (),
        *,
        strict_auth: bool = False,
        service_accounts: Mapping[str, str] | None = None,
    ) -> None:
        specs = list(projects)
        self.open = not specs
        self.strict_auth = strict_auth
        self.service_accounts = dict(service_accounts or {})
        if self.open:
            specs = [ProjectSpec(DEFAULT_PROJECT_ID)]
        self.projects: dict[str, ProjectState] = {
            s.project_id: ProjectState(s.project_id, s.token, s.secret) for s in specs
        }
        self._by_token = {p.token: p for p in self.projects.values() if p.token}
        self.extras: dict[str, Any] = {}
        self.journal: StateJournal | None = None
        """Told of state-wide changes (resets) when `--data-dir` makes the state durable."""

    @property
    def default(self) -> ProjectState:
        """The project requests address when they name none (the first declared)."""
        return next(iter(self.projects.values()))

    def by_id(self, project_id: str | int | None) -> ProjectState | None:
        """The project for an id (any id in open mode; None when unknown)."""
        if self.open:
            return self.default
        if project_id is None:
            return None
        return self.projects.get(str(project_id))

    def by_token(self, token: str | None) -> ProjectState | None:
        """The project with that token, if any."""
        if self.open:
            return self.default
        if token is None:
            return None
        return self._by_token.get(token)

    def by_secret(self, secret: str | None) -> ProjectState | None:
        """The project whose API secret this is (legacy auth)."""
        if self.open:
            return self.default
        return next((p for p in self.projects.values() if secret and p.secret == secret), None)

    def __iter__(self) -> Iterator[ProjectState]:
        return iter(self.projects.values())

    def reset(self) -> None:
        """Reset every project (they stay declared) and drop what routes keep across requests."""
        if self.journal is not None:
            self.journal.record("reset", None, None)
        for project in self:
            project.reset()
        self.extras.clear()


class StateJournal(Protocol):
    """What `State` tells of its changes (implemented by `emulator.wal.WriteAheadLog`)."""

    def record(self, kind: str, project_id: str | None, data: Any) -> None:
        """Log one change of `kind` (in `project_id`, or state-wide when None)."""
