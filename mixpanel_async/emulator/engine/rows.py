"""The machinery the query engines share: date buckets in a project timezone (from
`engine.buckets`), time-windowed event selections cached per frame, and expressions (`where`,
`on`, report filters) evaluated on every row of a selection.

Frames have the store's schema (`event`, `distinct_id`, `time` in ms, `insert_id`,
`properties` as JSON text) and are sorted by `time`, as `EventStore.deduped()` returns them.
The stored texts lack `time`, `distinct_id` and `$insert_id` (`emulator.event_text`): those
properties are read from the columns.

Reading expressions without decoding every row: the raw JSON text of the top-level keys an
expression references is cut out of every row with vectorised regexes in one parallel pass
(`raw_text.extract`; the last occurrence of a key wins, as in a JSON decoder). That is exact
in a *flat* row (no `[`, `{` or `\\` after the opening brace: strings hold no quotes, so
`"name":` can only be a key); other rows are decoded with orjson one by one. A selection
filtered by event has its texts copied next to one another before they are cut. The expression
is then evaluated once per distinct combination of raw texts, with `expressions.evaluate`, so
mixed types and missing keys follow Mixpanel's rules exactly; when there are too many
combinations and each property has a single JSON type, the expression is compiled to polars
(`expressions.to_polars`) instead. A filter made of string equalities is not cut out at all:
its verdicts come from literal searches of the texts (`engine.literal_match`). Event
selections, raw columns and such verdicts are cached per frame identity (weakly), so repeated
queries skip the scans; the cache is bounded by entries and by bytes (`CACHE_BYTES`,
counted by `footprint`).

Per-user values (people properties, cohort membership, event frequencies) are read like
properties whose names start with `USER_KEY`; their raw JSON text comes from the `UserValues`
in the `USERS` context variable (see `engine.people`), per row by its `distinct_id`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Sequence
from contextvars import ContextVar
from typing import Any, Literal, Protocol

import attrs
import orjson
import polars as pl

from mixpanel_async.emulator.engine import custom_columns, expressions, literal_match
from mixpanel_async.emulator.engine.buckets import MAX_BUCKETS as MAX_BUCKETS
from mixpanel_async.emulator.engine.buckets import Buckets as Buckets
from mixpanel_async.emulator.engine.buckets import make_buckets as make_buckets
from mixpanel_async.emulator.engine.buckets import stamp as stamp
from mixpanel_async.emulator.engine.event_fields import EVENT_TIME, FIELDS, field_texts, time_labels
from mixpanel_async.emulator.engine.frame_cache import cache_bytes as cache_bytes
from mixpanel_async.emulator.engine.frame_cache import cached, hit
from mixpanel_async.emulator.engine.frame_cache import clear_cache as clear_cache
from mixpanel_async.emulator.engine.properties import render_value
from mixpanel_async.emulator.engine.raw_text import extract
from mixpanel_async.emulator.event_text import COLUMN_KEYS, column_key_texts, full_properties
from mixpanel_async.emulator.flat_texts import flat_rows

Kind = Literal["label", "number", "truth"]
UNDEFINED = "undefined"
"""The segment of events whose `on` expression is undefined."""
_MAX_COMBOS = 20_000  # beyond this many distinct raw combinations, try compiling to polars
USER_KEY = "\x00"
"""The first character of a per-user value's name (never an event property's)."""
NO_USERS = "people properties, cohorts and frequencies are not supported by the emulator here"


class UserValues(Protocol):
    """Where per-user values come from (`engine.people.UserData`)."""

    def raw(self, name: str, rows: Rows) -> pl.Series:
        """The JSON text of the value `name` for each row, by its distinct id and time (null:
        undefined)."""
        ...


USERS: ContextVar[UserValues | None] = ContextVar("USERS", default=None)
"""The per-user values of the report being computed (None: the report may read none)."""


def is_user_key(name: str) -> bool:
    """Whether a property name stands for a per-user value."""
    return name.startswith(USER_KEY)


# --- event selections and raw property columns, cached per frame ------------------------------


@attrs.frozen(eq=False)
class Rows:
    """Rows `lo`..`hi` (a time window) of a cached, time-sorted event selection `base`, which
    has the store's columns but `insert_id`, plus `_pos`: the row's position in the frame."""

    base: pl.DataFrame
    lo: int
    hi: int
    scattered: bool = False  # `base` filtered out of a frame: its texts lie scattered
    frame: pl.DataFrame | None = None  # what `base` was selected from

    @property
    def height(self) -> int:
        """How many rows there are."""
        return self.hi - self.lo

    def column(self, name: str) -> pl.Series:
        """One column of the rows, by name."""
        return self.base[name].slice(self.lo, self.height)

    def insert_ids(self, index: pl.Series | None = None) -> pl.Series:
        """The rows' `insert_id`s (those at `index` among them, when given), read from the
        frame (selections leave that column out)."""
        if self.frame is None:
            count = self.height if index is None else index.len()
            return pl.repeat(None, count, dtype=pl.String, eager=True)
        positions = self.column("_pos")
        return self.frame["insert_id"].gather(
            positions if index is None else positions.gather(index)
        )

    def stored(self, index: pl.Series | None = None) -> pl.DataFrame:
        """The rows (those at `index` among them, when given) in the store's schema (for
        `event_text`'s readers)."""
        columns = [self.column(n) for n in ("event", "distinct_id", "time", "properties")]
        if index is not None:
            columns = [c.gather(index) for c in columns]
        return pl.DataFrame([*columns[:3], self.insert_ids(index), columns[3]])


def select_rows(
    frame: pl.DataFrame, events: Sequence[str] | None, start_ms: int, end_ms: int
) -> Rows:
    """The rows of `events` (every event when None) with `start_ms <= time < end_ms`."""
    names = None if events is None else tuple(sorted(set(events)))
    custom = custom_columns.custom_events(names or ())  # their alternatives key the cache too

    def compute() -> pl.DataFrame:
        base = frame.select("event", "distinct_id", "time", "properties").with_row_index("_pos")
        flat = flat_rows(frame)
        if flat is not None:  # known since ingestion: `extract` need not scan for it
            base = base.with_columns(flat.alias("_flat"))
        if names is None:
            return base
        if custom:
            return custom_columns.select_events(base, names, custom)
        if len(names) == 1:  # an equality test is several times cheaper than `is_in`
            return base.filter(pl.col("event") == names[0])
        return base.filter(pl.col("event").is_in(pl.Series(names, dtype=pl.String).implode()))

    key = ("events", names, *((k, *v) for k, v in custom.items()))
    base: pl.DataFrame = cached(frame, key, compute)
    times = base["time"]
    lo = int(times.search_sorted(start_ms, side="left"))
    hi = int(times.search_sorted(end_ms, side="left"))
    return Rows(base, lo, max(hi, lo), scattered=names is not None, frame=frame)


def _texts(rows: Rows, whole: bool = True) -> pl.DataFrame:
    """The selection (or, unless `whole`, the window) to cut raw columns from. A filtered
    selection's string column still points into the whole frame's buffers, and scanning rows
    scattered there costs several times copying them next to one another first (cached)."""
    if not whole:
        part = rows.base.slice(rows.lo, rows.height)
        return _compacted(part) if rows.scattered else part
    if not rows.scattered:
        return rows.base
    texts: pl.DataFrame = cached(rows.base, ("texts",), lambda: _compacted(rows.base))
    return texts


def _compacted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.Series("properties", frame["properties"].to_arrow()))


def _cacheable(rows: Rows) -> bool:
    """Whether raw columns are cut over the whole selection (and cached): when the window
    covers at least half of it."""
    return rows.height * 2 >= rows.base.height


def prefetch(rows: Rows, names: Collection[str]) -> None:
    """Cut the raw columns of several properties in one parallel pass and cache them, so the
    evaluations that follow find them (a no-op for a window too small to cache)."""
    if not _cacheable(rows):
        return
    missing = sorted(
        name
        for name in set(names)
        if not is_user_key(name)
        and name not in COLUMN_KEYS
        and hit(rows.base, ("raw", name)) is None
    )
    if len(missing) < 2:
        return
    for name, pair in extract(_texts(rows), missing).items():
        cached(rows.base, ("raw", name), _constant(pair))


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _raw(rows: Rows, name: str) -> tuple[pl.Series, pl.Series]:
    """The raw column of one property over the window (see `raw_text.extract`, `_cacheable`)."""
    if custom_columns.owns(name):
        return custom_columns.raw(rows, name, _raw)
    if name in FIELDS:
        text = field_texts(name, rows.column("time"), rows.column("distinct_id"))
        return text, pl.repeat(True, rows.height, eager=True)
    if name in COLUMN_KEYS:  # not in the stored texts: read from the columns
        return column_key_texts(name, rows.stored())
    if is_user_key(name):
        users = USERS.get()
        if users is None:
            raise ValueError(NO_USERS)
        return users.raw(name, rows), pl.repeat(True, rows.height, eager=True)
    if not _cacheable(rows):
        return extract(_texts(rows, whole=False), [name])[name]
    raw, ok = cached(rows.base, ("raw", name), lambda: extract(_texts(rows), [name])[name])
    return raw.slice(rows.lo, rows.height), ok.slice(rows.lo, rows.height)


# --- evaluating an expression per row ----------------------------------------------------------


def label(value: Any) -> str:
    """A value as a segment name: `undefined`, `true`/`false`, numbers in shortest form."""
    if value is None:
        return UNDEFINED
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    text = render_value(value)
    return UNDEFINED if text is None else text


def number(value: Any) -> float | None:
    """A numeric result as a float; anything else (booleans included) is None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


_CONVERT: dict[str, tuple[Callable[[Any], Any], pl.DataType]] = {
    "label": (label, pl.String()),
    "number": (number, pl.Float64()),
    "truth": (lambda v: v is True, pl.Boolean()),
}


def evaluate(rows: Rows, node: expressions.Node, kind: Kind, now: dt.datetime) -> pl.Series:
    """The expression on every row of `rows`, as a segment label, a number or a `where`
    verdict (`kind`); equal to `expressions.evaluate` on each row's decoded properties.

    Raises:
        expressions.ExpressionError: when evaluation fails (e.g. `and` on a string).
    """
    convert, dtype = _CONVERT[kind]
    if kind == "label" and getattr(node, "name", None) == EVENT_TIME:
        return time_labels(rows.column("time"))
    names = sorted(expressions.referenced_properties(node))
    if not names:
        value = convert(expressions.evaluate(node, {}, now=now))
        return pl.repeat(value, rows.height, dtype=dtype, eager=True)
    raws: dict[str, pl.Series] = {}
    test = literal_match.compile_test(node, _plain) if kind == "truth" else None
    if test is not None:
        verdicts, exact = _literal_verdicts(rows, node, test)
        return _decode_inexact(rows, node, kind, now, names, raws, exact, verdicts)
    prefetch(rows, names)
    ok = pl.repeat(True, rows.height, eager=True)
    for i, name in enumerate(names):
        raw, exact = _raw(rows, name)
        raws[f"k{i}"], ok = raw, ok & exact
    by_event = "$event_name" in names
    if by_event:
        raws["event"] = rows.column("event")
    keys = pl.DataFrame(raws)
    readable = keys if ok.all() else keys.filter(ok)
    # One column (the usual case): its distinct texts, each row mapped to its result by value;
    # cheaper than a unique frame joined back.
    single = keys.width == 1
    combos = readable.to_series().unique().to_frame() if single else readable.unique()
    out = None
    if combos.height > _MAX_COMBOS and not by_event:
        out = _compiled(keys, names, node, kind, now)
    if out is None:

        def one(combo: tuple[Any, ...]) -> Any:
            props = {n: orjson.loads(r) for n, r in zip(names, combo, strict=False) if r}
            event = combo[-1] if by_event else None
            return convert(expressions.evaluate(node, props, event=event, now=now))

        results = pl.Series("_v", [one(c) for c in combos.iter_rows()], dtype=dtype)
        if single:  # rows not in `combos` are inexact ones, decoded below
            out = keys.to_series().replace_strict(
                combos.to_series(), results, default=None, return_dtype=dtype
            )
        else:
            combos = combos.with_columns(results)
            joined = keys.join(
                combos, on=list(raws), how="left", nulls_equal=True, maintain_order="left"
            )
            out = joined["_v"]
    return _decode_inexact(rows, node, kind, now, names, raws, ok, out)


def filter_reads(node: expressions.Node | None) -> set[str]:
    """The properties whose raw columns a filter's evaluation cuts (none when it is read by
    literal searches; see `engine.literal_match`): what to `prefetch` for it."""
    if node is None or literal_match.compile_test(node, _plain) is not None:
        return set()
    return expressions.referenced_properties(node)


def _plain(name: str) -> bool:
    """Whether a property is read from the stored JSON text alone."""
    return not (
        is_user_key(name) or name in FIELDS or name in COLUMN_KEYS or custom_columns.owns(name)
    ) and (name != "$event_name")


def _literal_verdicts(
    rows: Rows, node: expressions.Node, test: literal_match.Test
) -> tuple[pl.Series, pl.Series]:
    """A string-equality filter's (verdict, exact) per row, by literal searches (cached over
    the whole selection like raw columns)."""
    if not _cacheable(rows):
        return literal_match.verdicts(_texts(rows, whole=False), test)
    verdict, exact = cached(
        rows.base, ("literal", node), lambda: literal_match.verdicts(_texts(rows), test)
    )
    return verdict.slice(rows.lo, rows.height), exact.slice(rows.lo, rows.height)


def _decode_inexact(
    rows: Rows,
    node: expressions.Node,
    kind: Kind,
    now: dt.datetime,
    names: list[str],
    raws: dict[str, pl.Series],
    ok: pl.Series,
    out: pl.Series,
) -> pl.Series:
    """`out` with the rows that are not `ok` (read inexactly) evaluated on decoded JSON."""
    convert, dtype = _CONVERT[kind]
    slow = (~ok).arg_true()  # rows the regex cannot read: decode them
    if slow.len():
        own = [is_user_key(n) or n in FIELDS or custom_columns.owns(n) for n in names]
        per_user = [(name, raws[f"k{i}"].gather(slow)) for i, name in enumerate(names)
                     if own[i]]  # fmt: skip
        values = []
        got = rows.stored(slow)  # only those rows: an id each, not the window's
        columns = ("event", "properties", "time", "distinct_id", "insert_id")
        for j, (e, p, ms, did, iid) in enumerate(got.select(columns).iter_rows()):
            props = full_properties(p, ms, did, iid)
            props.update((name, orjson.loads(r[j]) if r[j] else None) for name, r in per_user)
            values.append(convert(expressions.evaluate(node, props, event=e, now=now)))
        out = out.scatter(slow, pl.Series(values, dtype=dtype))
    return out


def _compiled(
    keys: pl.DataFrame, names: list[str], node: expressions.Node, kind: Kind, now: dt.datetime
) -> pl.Series | None:
    """The expression compiled to polars over typed columns, when every property holds one
    JSON type (nulls aside) and the result converts without Python; else None."""
    columns: dict[str, pl.Series] = {}
    for i, name in enumerate(names):
        raw = keys[f"k{i}"]
        raw = pl.select(pl.when(raw != "null").then(raw)).to_series()
        heads = set(raw.str.slice(0, 1).drop_nulls().unique().to_list())
        if heads <= set("-0123456789"):
            if kind == "label":  # 5 and 5.0 would print alike in polars, not in evaluate()
                return None
            columns[name] = raw.cast(pl.Float64, strict=False)
        elif heads == {'"'}:
            columns[name] = raw.str.strip_prefix('"').str.strip_suffix('"')
        elif heads <= {"t", "f"}:
            columns[name] = raw == "true"
        else:
            return None
    frame = pl.DataFrame(columns)
    try:
        expr = expressions.to_polars(node, pl.col, schema=frame.schema, now=now)
        result = frame.select(expr.alias("v")).to_series()
    except (expressions.ExpressionError, pl.exceptions.PolarsError):
        return None
    if kind == "number":
        if result.dtype.is_numeric():
            return result.cast(pl.Float64).fill_nan(None)
        return pl.repeat(None, len(result), dtype=pl.Float64, eager=True)
    if kind == "truth":
        if result.dtype == pl.Boolean:
            return result.fill_null(False)
        return pl.repeat(False, len(result), eager=True)
    if result.dtype == pl.String:
        return result.fill_null(UNDEFINED)
    return None


Expression = str | expressions.Node
"""An expression as text, or already a tree (saved reports build their filters as trees)."""


def parse_optional(text: Expression | None) -> expressions.Node | None:
    """`expressions.parse(text)`, None for a missing or blank expression; a tree as it is."""
    if text is None or isinstance(text, str):
        return expressions.parse(text) if text and text.strip() else None
    return text


def keep_mask(rows: Rows, where: Expression | None, now: dt.datetime) -> pl.Series | None:
    """Which rows pass `where` (None: all of them)."""
    node = parse_optional(where)
    return None if node is None else evaluate(rows, node, "truth", now)
