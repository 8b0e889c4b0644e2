"""Pure helpers over event frames: day windows in a project timezone, `where` masks and the
JSON lines that raw export writes.

Frames have the store's schema (`event`, `distinct_id`, `time` in ms, `insert_id`,
`properties` as JSON text) and, as `EventStore.deduped()` returns them, are sorted by `time`.
The query engine reuses these helpers, so nothing here knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson
import polars as pl

from mixpanel_async.emulator.engine import expressions
from mixpanel_async.emulator.engine.frame_cache import cached
from mixpanel_async.emulator.event_text import (
    COLUMN_KEYS,
    PlainForm,
    full_texts,
    plain_form,
    plain_pieces,
)

__all__ = [
    "ExportPlan",
    "chunks",
    "day_window_ms",
    "event_mask",
    "export_lines",
    "export_plan",
    "project_zone",
    "where_mask",
    "window",
]

# The column `EventStore.everything()` adds, and the property export writes it as.
_PROCESSED = "mp_processing_time_ms"

# A top-level `time` holding a number, as the store's JSON convention writes it.


def project_zone(name: str | None) -> ZoneInfo:
    """The `ZoneInfo` of a project timezone name (UTC when unset).

    Raises:
        ValueError: for a name the tz database does not know.
    """
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone {name!r}") from None


def day_window_ms(
    from_date: dt.date | str, to_date: dt.date | str, timezone: str | None = "UTC"
) -> tuple[int, int]:
    """The half-open interval `[start, end)` in Unix milliseconds covering whole days.

    `start` is midnight at the start of `from_date` and `end` midnight after `to_date`, both in
    `timezone`; so both dates are inclusive, as Mixpanel reads them. Days around a DST change
    are 23 or 25 hours long, which is why this goes through the tz database rather than adding
    86 400 s per day.
    """
    first = dt.date.fromisoformat(from_date) if isinstance(from_date, str) else from_date
    last = dt.date.fromisoformat(to_date) if isinstance(to_date, str) else to_date
    tz = project_zone(timezone)
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return int(start.timestamp() * 1000), int(end.timestamp() * 1000)


def window(frame: pl.DataFrame, start_ms: int, end_ms: int) -> pl.DataFrame:
    """Rows with `start_ms <= time < end_ms` of a time-sorted frame (a zero-copy slice)."""
    times = frame["time"]
    lo = int(times.search_sorted(start_ms, side="left"))
    hi = int(times.search_sorted(end_ms, side="left"))
    return frame.slice(lo, max(hi - lo, 0))


def event_mask(frame: pl.DataFrame, names: Sequence[str]) -> pl.Series:
    """Which rows have one of the event names `names`."""
    return frame["event"].is_in(pl.Series(list(names), dtype=pl.String).implode())


def where_mask(
    frame: pl.DataFrame, node: expressions.Node, *, now: dt.datetime | None = None
) -> pl.Series:
    """Which rows satisfy a `where` expression, with the results of evaluating it on each
    row's decoded properties. Only a result of exactly `true` keeps a row, as in Mixpanel.

    Evaluating row by row costs a JSON decode and a tree walk per row, so flat rows (no nested
    value and no escape sequence, which is most of them) take a shortcut with the same result:
    the raw JSON text of each property the expression reads is cut out with a regex (exact in
    a flat object, see `_raw_value`), and the expression is evaluated once per distinct
    combination of those texts. Other rows are decoded one by one.

    Raises:
        expressions.ExpressionError: when evaluation fails (e.g. `and` on a string).
    """
    now = now or dt.datetime.now(dt.UTC)
    names = sorted(expressions.referenced_properties(node))
    if not set(COLUMN_KEYS).isdisjoint(names):  # keys kept out of the stored texts
        frame = frame.with_columns(full_texts(frame))
    by_event = "$event_name" in names
    if not names:
        value = expressions.evaluate(node, {}, now=now) is True
        return pl.Series("keep", [value] * frame.height, dtype=pl.Boolean)
    props = pl.col("properties")
    flat = ~props.str.slice(1).str.contains(r"[\[{\\]")
    raws: list[pl.Expr] = []
    for i, name in enumerate(names):
        pattern = _raw_value(name)
        flat = flat & (props.str.count_matches(pattern) <= 1)  # a repeated key: decode the row
        raws.append(props.str.extract(pattern, 1).alias(f"k{i}"))
    keys = [f"k{i}" for i in range(len(names))] + (["event"] if by_event else [])
    parts = frame.select(pl.col("event"), *raws, flat.alias("_flat")).with_row_index("_row")
    fast = parts.filter(pl.col("_flat"))
    combos = fast.select(keys).unique(maintain_order=True)
    if combos.height * 2 > fast.height:
        # Mostly distinct values (ids, timestamps): the shortcut saves nothing.
        return pl.Series("keep", _where_rows(frame, node, now), dtype=pl.Boolean)
    verdicts = []
    for combo in combos.iter_rows():
        decoded = {n: orjson.loads(raw) for n, raw in zip(names, combo, strict=False) if raw}
        event = combo[-1] if by_event else None
        verdicts.append(expressions.evaluate(node, decoded, event=event, now=now) is True)
    combos = combos.with_columns(pl.Series("_keep", verdicts, dtype=pl.Boolean))
    fast = fast.join(combos, on=keys, how="left", nulls_equal=True, maintain_order="left")
    keep = pl.Series("keep", [False] * frame.height, dtype=pl.Boolean)
    if fast.height:
        keep = keep.scatter(fast["_row"], fast["_keep"])
    slow = parts.filter(~pl.col("_flat"))["_row"]
    if slow.len():
        rows = frame[slow]
        keep = keep.scatter(slow, _where_rows(rows, node, now))
    return keep


def _raw_value(name: str) -> str:
    """A regex whose group 1 is the raw JSON text of top-level key `name` in a flat object.

    In a flat object (no `[`, `{` or `\\` after the opening brace) strings hold no quotes,
    so every `"name":` after `{` or `,` is a top-level key and a string value runs to the
    next quote; other values run to the next `,`, `}` or space. Keys that need escaping in
    JSON never occur in a flat object, so the row falls back to decoding.
    """
    literal = "".join(c if c.isalnum() or c == "_" else f"\\x{{{ord(c):X}}}" for c in name)
    return r'[{,]\s*"' + literal + r'"\s*:\s*("[^"]*"|[^,}\s]+)'


def _where_rows(frame: pl.DataFrame, node: expressions.Node, now: dt.datetime) -> list[bool]:
    evaluate = expressions.evaluate
    loads = orjson.loads
    return [
        evaluate(node, loads(p), event=e, now=now) is True
        for e, p in zip(frame["event"].to_list(), frame["properties"].to_list(), strict=True)
    ]


def chunks(frame: pl.DataFrame, size: int) -> Iterator[pl.DataFrame]:
    """Consecutive zero-copy slices of at most `size` rows."""
    for offset in range(0, frame.height, size):
        yield frame.slice(offset, size)


class ExportPlan(NamedTuple):
    """What export needs to know of a whole stored frame, found once while that frame lives
    (`frame_cache`) rather than once per chunk."""

    form: PlainForm | None
    """The stored form every row shares (None: each chunk looks at its own rows)."""
    own_stamp: bool
    """Whether some stored text holds `mp_processing_time_ms` itself."""


def export_plan(frame: pl.DataFrame) -> ExportPlan:
    """The `ExportPlan` of a frame in the store's schema (cached with the frame)."""
    plan: ExportPlan = cached(
        frame,
        ("export_plan",),
        lambda: ExportPlan(plain_form(frame), bool(_own_stamps(frame).any())),
    )
    return plan


def _own_stamps(frame: pl.DataFrame) -> pl.Series:
    """Which rows' texts hold `mp_processing_time_ms` themselves."""
    return frame["properties"].str.contains(f'"{_PROCESSED}":', literal=True)


def export_lines(
    frame: pl.DataFrame, *, time_in_ms: bool = False, plan: ExportPlan | None = None
) -> bytes | memoryview:
    """The raw-export body of `frame`: one `{"event":..,"properties":..}` line per row.

    The properties are what was imported: `time`, `distinct_id` and `$insert_id` first (from
    the columns), then the stored JSON's keys in their order. With `time_in_ms`, `time` is in
    milliseconds; a `mp_processing_time_ms` column, when the frame has one, is added as that
    property. Built with vectorised string operations: rows in the common stored form with one
    concatenation each (`event_text.plain_pieces`), others through `event_text.full_texts`.
    `plan`, when given, is the `export_plan` of a frame `frame` is part of.

    The lines are handed out as the text buffer of the Arrow array Polars builds them into,
    without joining them into a second copy.
    """
    if frame.height == 0:
        return b""
    form = None if plan is None else plan.form
    pieces = plain_pieces(frame, time_in_ms=time_in_ms, form=form)
    if pieces is None:  # rare: built whole first, then closed below
        frame = frame.with_columns(full_texts(frame, time_in_ms=time_in_ms))
        pieces = [pl.col("properties").str.head(-1)]
    tail = [*pieces, pl.lit("}}\n")]
    if _PROCESSED in frame.columns:
        # Spliced in before the closing brace, as flat pieces of the one concatenation (a
        # nested concatenation or a when/then per row cost 3x the whole line): a text that
        # already holds the property keeps it and gets none added.
        stamp = pl.col(_PROCESSED).cast(pl.String)
        tail = [*pieces, pl.lit(f',"{_PROCESSED}":'), stamp, pl.lit("}}\n")]
        if plan is None or plan.own_stamp:
            present = _own_stamps(frame)
            if present.any():  # rare: the slower per-row choice
                kept = pl.concat_str([*pieces, pl.lit("}}\n")])
                tail = [pl.when(present).then(kept).otherwise(pl.concat_str(tail))]
    line = pl.concat_str([*_event_pieces(frame["event"]), *tail]).alias("line")
    lines = frame.select(line).to_series().to_arrow()  # large_string: one buffer, in order
    if lines.null_count:  # cannot happen (no piece is null): joined the slow way, nulls dropped
        return "".join(lines.drop_null().to_pylist()).encode()
    _, offsets, data = lines.buffers()
    bounds = memoryview(offsets).cast("q")  # int64 offsets, as large_string has them
    return memoryview(data).cast("B")[bounds[lines.offset] : bounds[lines.offset + len(lines)]]


def _event_pieces(events: pl.Series) -> list[pl.Expr]:
    """The line's pieces up to the properties' opening brace: the event names as JSON."""
    names = events.unique().cast(pl.String)
    encoded = [orjson.dumps(n).decode() for n in names.to_list()]
    if all(len(e) == len(n) + 2 for e, n in zip(encoded, names.to_list(), strict=True)):
        # No name needs escaping (the usual case): written as is between quotes.
        return [pl.lit('{"event":"'), pl.col("event").cast(pl.String), pl.lit('","properties":')]
    as_json = (
        pl.col("event")
        .cast(pl.String)
        .replace_strict(names, pl.Series(encoded, dtype=pl.String), return_dtype=pl.String)
    )
    return [pl.lit('{"event":'), as_json, pl.lit(',"properties":')]
