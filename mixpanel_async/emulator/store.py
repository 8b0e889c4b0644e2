"""The emulator's state: projects, each with events (columnar, Polars), profiles and groups.

State lives per app instance (`STATE` app key), never in module globals. Events are appended as
plain Python column lists and compacted into Polars chunks lazily, on the first read after a
write; the exact properties JSON of each event is kept so export returns what was imported.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol

import attrs
import polars as pl

from mixpanel_async.emulator.engine.identity import IdentityMap

EVENT_SCHEMA: dict[str, pl.DataType] = {
    "event": pl.String(),
    "distinct_id": pl.String(),
    "time": pl.Int64(),  # milliseconds since the epoch, UTC
    "insert_id": pl.String(),
    "properties": pl.String(),  # the event's properties as JSON text (time in seconds)
}

COMPACT_EVERY = 250_000

_NO_STAMP = -1  # the ingestion time of rows that came back from disk is not known

_NESTED = r"[\[{\\]"  # an array, an object or an escape after the opening brace


def flat_texts(properties: pl.Expr) -> pl.Expr:
    """Per properties JSON text, whether it is *flat*: no `[`, `{` or `\\` after its opening
    brace, so its strings hold no quotes and a quoted name followed by a colon is a key."""
    return ~properties.str.slice(1).str.contains(_NESTED)


def _flat_column(chunk: pl.DataFrame) -> pl.Series:
    return chunk.select(flat_texts(pl.col("properties"))).to_series()


_FLAT_LOCK = threading.Lock()
_FLAT: dict[int, tuple[weakref.ref[pl.DataFrame], pl.Series]] = {}


def flat_rows(frame: pl.DataFrame) -> pl.Series | None:
    """`flat_texts` of a frame `EventStore.deduped()` returned, computed at ingestion (None
    for any other frame)."""
    with _FLAT_LOCK:
        hit = _FLAT.get(id(frame))
    return hit[1] if hit is not None and hit[0]() is frame else None


def _remember_flat(frame: pl.DataFrame, flat: pl.Series) -> None:
    key = id(frame)

    def forget(_: object) -> None:
        with _FLAT_LOCK:
            _FLAT.pop(key, None)

    with _FLAT_LOCK:
        _FLAT[key] = (weakref.ref(frame, forget), flat)


# An event row as ingestion hands it to the store: (event, distinct_id, time_ms, insert_id, json)
EventRow = tuple[str, str, int, str | None, str]

EventJournal = Callable[[str, Any], None]
"""Told of each change to an event log as it is made: `(kind, data)` (see `emulator.wal`); an
append's data is its rows as five columns."""


class Resolver(Protocol):
    """What rewrites read frames' `distinct_id`s to canonical ones (`engine.identity`)."""

    version: int

    def resolve(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` with each `distinct_id` replaced by its cluster's canonical id."""


class EventStore:
    """An append-only event log with Mixpanel's dedup applied on read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._chunks: list[pl.DataFrame] = []
        self._flats: list[pl.Series] = []  # `flat_texts` of each chunk, computed as it is made
        self._pending: tuple[list[Any], ...] = ([], [], [], [], [])
        self._version = 0
        self._deduped: tuple[tuple[int, int], pl.DataFrame] | None = None
        self._everything: tuple[tuple[int, int], pl.DataFrame] | None = None
        self._count = 0
        # Row count after each append and its wall-clock time: `mp_processing_time_ms`.
        self._batch_ends: list[int] = []
        self._batch_ms: list[int] = []
        self.resolver: Resolver | None = None
        """Applied to every read frame (`deduped`, `everything`) when set."""
        self.journal: EventJournal | None = None
        """Told of every append, clear, replace and removal (set by `--data-dir`; None: not
        durable)."""

    def append(self, rows: Iterable[EventRow]) -> int:
        """Add rows (already validated); returns how many were added."""
        batch = rows if isinstance(rows, list) else list(rows)
        if not batch:
            return 0
        with self._lock:
            # Transpose once and extend each column: ingestion's hot path, ~10x a per-row loop.
            columns = tuple(zip(*batch, strict=True))
            for col, values in zip(self._pending, columns, strict=True):
                col.extend(values)
            if self.journal is not None:  # under the lock: the log's order is the store's
                self.journal("events", columns)
            self._version += 1
            self._count += len(batch)
            self._batch_ends.append(self._count)
            self._batch_ms.append(time.time_ns() // 1_000_000)
            # Python strings cost ~4x their Polars form: fold pending rows into a columnar chunk
            # well before they add up, so memory stays bounded under sustained ingestion.
            if len(self._pending[0]) >= COMPACT_EVERY:
                self._compact()
        return len(batch)

    def _compact(self) -> None:
        if not self._pending[0]:
            return
        frame = pl.DataFrame(
            dict(zip(EVENT_SCHEMA, self._pending, strict=True)), schema=EVENT_SCHEMA
        )
        self._pending = ([], [], [], [], [])
        self._chunks.append(frame)
        self._flats.append(_flat_column(frame))
        if len(self._chunks) > 16:
            self._merge()

    def _merge(self) -> None:
        self._chunks = [pl.concat(self._chunks, rechunk=True)]
        self._flats = [pl.concat(self._flats, rechunk=True)]

    def frame(self) -> pl.DataFrame:
        """Every stored row in ingestion order (duplicates included)."""
        with self._lock:
            self._compact()
            if not self._chunks:
                return pl.DataFrame(schema=EVENT_SCHEMA)
            if len(self._chunks) > 1:
                self._merge()
            return self._chunks[0]

    def _read_version(self) -> tuple[int, int]:
        resolver = self.resolver
        return (self._version, -1 if resolver is None else resolver.version)

    def _resolved(self, frame: pl.DataFrame) -> pl.DataFrame:
        return frame if self.resolver is None else self.resolver.resolve(frame)

    def everything(self) -> pl.DataFrame:
        """Every stored row, duplicates included (raw export), identities resolved, sorted by
        time (ingestion order within a millisecond), with `mp_processing_time_ms`: when the
        row's batch was stored (the emulator's clock)."""
        frame = self.frame()
        with self._lock:
            version = self._read_version()
            if self._everything is not None and self._everything[0] == version:
                return self._everything[1]
            ends = pl.Series(self._batch_ends, dtype=pl.Int64)
            stamps = pl.Series(self._batch_ms, dtype=pl.Int64)
        keyed = frame.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("_seq"))
        batch = ends.search_sorted(keyed["_seq"], side="right")
        stamp = pl.Series("mp_processing_time_ms", stamps.gather(batch), dtype=pl.Int64)
        # Rows of a replaced log (persistence, deletion) have no stamp: their own time stands in.
        keyed = keyed.with_columns(stamp).with_columns(
            pl.when(pl.col(stamp.name) == _NO_STAMP)
            .then(pl.col("time"))
            .otherwise(pl.col(stamp.name))
            .alias(stamp.name)
        )
        result = self._resolved(keyed.sort(["time", "_seq"]).drop("_seq")).rechunk()
        with self._lock:
            if self._read_version() == version:
                self._everything = (version, result)
        return result

    def deduped(self) -> pl.DataFrame:
        """Rows as Mixpanel serves them: one per (event, distinct_id, second, $insert_id), the
        last ingested winning; rows without `$insert_id` are never merged. Sorted by time."""
        frame = self.frame()
        with self._lock:
            if self._deduped is not None and self._deduped[0] == self._read_version():
                return self._deduped[1]
            version = self._read_version()
            flats = list(self._flats) if self._chunks and self._chunks[0] is frame else []
        keyed = frame.with_row_index("_seq")
        if self.resolver is not None:
            before = keyed["properties"]
            keyed = self.resolver.resolve(keyed)
            changed = (keyed["properties"] != before).arg_true()
            if len(flats) == 1 and changed.len():  # rewritten texts: their flatness anew
                fixed = keyed[changed].select(flat_texts(pl.col("properties"))).to_series()
                flats = [flats[0].scatter(changed, fixed)]
        with_id = keyed.filter(pl.col("insert_id").is_not_null())
        without = keyed.filter(pl.col("insert_id").is_null())
        with_id = (
            with_id.with_columns((pl.col("time") // 1000).alias("_sec"))
            .unique(
                subset=["event", "distinct_id", "_sec", "insert_id"],
                keep="last",
                maintain_order=True,
            )
            .drop("_sec")
        )
        ordered = pl.concat([with_id, without]).sort(["time", "_seq"])
        result = ordered.drop("_seq").rechunk()
        if len(flats) == 1:
            _remember_flat(result, flats[0].gather(ordered["_seq"]))
        with self._lock:
            if self._read_version() == version:
                self._deduped = (version, result)
        return result

    def clear(self) -> None:
        """Drop every event."""
        with self._lock:
            self._chunks = []
            self._flats = []
            self._pending = ([], [], [], [], [])
            self._version += 1
            self._deduped = None
            self._everything = None
            self._count = 0
            self._batch_ends, self._batch_ms = [], []
            if self.journal is not None:
                self.journal("events_clear", None)

    def replace(self, frame: pl.DataFrame) -> None:
        """Swap the whole log (used by deletion and persistence)."""
        with self._lock:
            self._chunks = [frame.select(list(EVENT_SCHEMA)).cast(EVENT_SCHEMA)]  # type: ignore[arg-type]
            self._flats = [_flat_column(self._chunks[0])]
            self._pending = ([], [], [], [], [])
            self._version += 1
            self._deduped = None
            self._everything = None
            self._count = self._chunks[0].height
            self._batch_ends, self._batch_ms = [self._count], [_NO_STAMP]
            if self.journal is not None:
                self.journal("events_replace", self._chunks[0].rows())

    def remove(self, doomed: pl.Series) -> int:
        """Delete the rows a boolean mask over `frame()` marks (rows appended since it was
        taken are kept); how many went. Every deletion of stored events (deletion requests)
        goes through here, so a write-ahead log can record it as one operation."""
        with self._lock:
            self._compact()
            if len(self._chunks) > 1:
                self._merge()
            if not self._chunks or not doomed.any():
                return 0
            current = self._chunks[0]
            keep = pl.concat(
                [
                    ~doomed.cast(pl.Boolean),
                    pl.repeat(True, current.height - len(doomed), eager=True),
                ]
            )
            kept = current.filter(keep)
            self._chunks = [kept]
            self._flats = [_flat_column(kept)]
            self._version += 1
            self._deduped = None
            if self.journal is not None:  # the removed rows' positions in the log
                self.journal("events_remove", (~keep).arg_true().to_list())
            return current.height - kept.height

    def __len__(self) -> int:
        with self._lock:
            return sum(c.height for c in self._chunks) + len(self._pending[0])


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


class JournaledDict(dict[Any, Any]):
    """A dict that reports each key it changes (a project's profiles or groups under
    `--data-dir`): `on_change(key)` after the key is set or removed, `on_clear()` after `clear`."""

    def __init__(
        self,
        data: Mapping[Any, Any],
        on_change: Callable[[Any], None],
        on_clear: Callable[[], None],
    ) -> None:
        super().__init__(data)
        self._on_change, self._on_clear = on_change, on_clear

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self._on_change(key)

    def __delitem__(self, key: Any) -> None:
        super().__delitem__(key)
        self._on_change(key)

    def pop(self, key: Any, *default: Any) -> Any:
        """Remove `key` and return its value (`default` when absent)."""
        value = super().pop(key, *default)
        self._on_change(key)
        return value

    def popitem(self) -> tuple[Any, Any]:
        """Remove and return the last item."""
        key, value = super().popitem()
        self._on_change(key)
        return key, value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        """The value of `key`, set to `default` first when absent."""
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Set every item of a mapping (or pairs) and of `kwargs`."""
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def clear(self) -> None:
        """Remove every item."""
        super().clear()
        self._on_clear()

    def __ior__(self, other: Any) -> JournaledDict:  # type: ignore[misc]
        self.update(other)
        return self
