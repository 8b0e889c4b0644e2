"""Segmentation, numeric bucketing, sums/averages and event/property counts over a project's
deduplicated event frame. The machinery they share with the funnel, retention, frequency and
insights engines (buckets, cached selections, expressions on rows) is in `engine.rows`.

Frames have the store's schema (`event`, `distinct_id`, `time` in ms, `insert_id`,
`properties` as JSON text) and are sorted by `time`, as `EventStore.deduped()` returns them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import polars as pl

from mixpanel_async.emulator.engine import expressions
from mixpanel_async.emulator.engine.rows import (
    UNDEFINED,
    Buckets,
    Expression,
    Kind,
    Rows,
    evaluate,
    keep_mask,
    label,
    make_buckets,
    number,
    parse_optional,
    select_rows,
)

__all__ = [
    "UNDEFINED",
    "Buckets",
    "Expression",
    "Kind",
    "Rows",
    "Window",
    "aggregate",
    "evaluate",
    "event_counts",
    "keep_mask",
    "label",
    "make_buckets",
    "number",
    "numeric",
    "numeric_ranges",
    "parse_optional",
    "property_counts",
    "segmentation",
    "select_rows",
    "series_values",
]

# --- series ------------------------------------------------------------------------------------


def series_values(
    keys: Sequence[str],
    frame: pl.DataFrame,
    count_type: str,
    limit: int | None = None,
) -> dict[str, dict[str, Any]]:
    """`{segment: {key: amount}}` from a frame of `b` (key index), `s` (segment) and `u`
    (distinct id): every key present (0 when empty), the top `limit` segments by total."""
    amount = {
        "general": pl.len(),
        "unique": pl.col("u").n_unique(),
        "average": pl.len() / pl.col("u").n_unique(),
    }[count_type]
    grouped = frame.group_by("s", "b").agg(amount.alias("v"))
    totals = grouped.group_by("s").agg(pl.col("v").sum()).sort(["v", "s"], descending=[True, False])
    top = totals["s"].to_list()[:limit] if limit is not None else totals["s"].to_list()
    zero: Any = 0.0 if count_type == "average" else 0
    values: dict[str, dict[str, Any]] = {s: dict.fromkeys(keys, zero) for s in top}
    for segment, index, value in grouped.iter_rows():
        if segment in values:
            values[segment][keys[index]] = value
    return values


@attrs.frozen(kw_only=True)
class Window:
    """What the time-series reports share: dates (inclusive, in `timezone`), buckets
    (`unit`, or `interval` days), the `where` filter and the moment `NOW` stands for."""

    from_date: dt.date | str
    to_date: dt.date | str
    timezone: str | None = "UTC"
    unit: str = "day"
    interval: int | None = None
    where: str | None = None
    now: dt.datetime | None = None


Column = Callable[[Rows, dt.datetime], pl.Series]


def _scan(
    frame: pl.DataFrame, window: Window, events: Sequence[str], **columns: Column
) -> tuple[Buckets, pl.DataFrame]:
    """The window's rows of `events` as a frame of `b` (key index), `u` (distinct id) and
    `columns`, filtered by `where`.

    Raises:
        expressions.ExpressionError: for a bad expression.
        ValueError: for too many buckets.
    """
    moment = window.now or dt.datetime.now(dt.UTC)
    w = window
    buckets = make_buckets(w.from_date, w.to_date, w.timezone, w.unit, w.interval)
    rows = select_rows(frame, events, buckets.start_ms, buckets.end_ms)
    data = pl.DataFrame({"b": buckets.index(rows.column("time")), "u": rows.column("distinct_id")})
    data = data.with_columns(make(rows, moment).alias(name) for name, make in columns.items())
    keep = keep_mask(rows, w.where, moment)
    return buckets, data if keep is None else data.filter(keep)


def _answer(buckets: Buckets, values: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"data": {"series": list(buckets.keys), "values": values}, "legend_size": len(values)}


def segmentation(
    frame: pl.DataFrame,
    window: Window,
    *,
    event: str,
    count_type: str = "general",
    on: str | None = None,
    limit: int | None = 60,
) -> dict[str, Any]:
    """`/segmentation`: `{"data": {"series", "values"}, "legend_size"}`, one series named
    after the event, or one per value of `on` (the top `limit` by total)."""
    node = parse_optional(on)

    def segment(rows: Rows, moment: dt.datetime) -> pl.Series:
        if node is None:
            return pl.repeat(event, rows.height, dtype=pl.String, eager=True)
        return evaluate(rows, node, "label", moment)

    buckets, data = _scan(frame, window, [event], s=segment)
    return _answer(buckets, series_values(buckets.keys, data, count_type, limit))


def numeric_ranges(values: pl.Series) -> tuple[pl.Series, list[str]]:
    """(range index per value, range labels) for non-null numbers: equal ranges whose width
    is the power of ten just below the spread (1 when all values are equal)."""
    low, high = float(values.min()), float(values.max())  # type: ignore[arg-type]
    width = 10.0 ** math.floor(math.log10(high - low)) if high > low else 1.0
    places = max(0, -round(math.log10(width)))
    steps = (values / width).round(9).floor().cast(pl.Int64)
    first, last = int(steps.min()), int(steps.max())  # type: ignore[arg-type]
    edges = [f"{(first + i) * width:,.{places}f}" for i in range(last - first + 2)]
    return steps - first, [f"{a} - {b}" for a, b in itertools.pairwise(edges)]


def numeric(
    frame: pl.DataFrame, window: Window, *, event: str, on: str, count_type: str = "general"
) -> dict[str, Any]:
    """`/segmentation/numeric`: one series per numeric range of `on`; events whose `on` is
    not a number are left out."""
    node = expressions.parse(on)
    buckets, data = _scan(
        frame, window, [event], n=lambda rows, moment: evaluate(rows, node, "number", moment)
    )
    data = data.filter(pl.col("n").is_not_null())
    if data.height == 0:
        return _answer(buckets, {})
    index, labels = numeric_ranges(data["n"])
    data = data.with_columns(s=pl.Series(labels, dtype=pl.String).gather(index))
    return _answer(buckets, series_values(buckets.keys, data, count_type))


def aggregate(
    frame: pl.DataFrame, window: Window, *, how: str, event: str, on: str
) -> dict[str, float | int]:
    """`/segmentation/sum` (`how="sum"`) and `/average`: `{key: amount}` for every bucket, a
    not-numeric `on` counting as 0; a whole sum is an int; an empty bucket is 0."""
    node = expressions.parse(on)
    buckets, data = _scan(
        frame, window, [event], n=lambda rows, moment: evaluate(rows, node, "number", moment)
    )
    results: dict[str, float | int] = dict.fromkeys(buckets.keys, 0)
    grouped = data.group_by("b").agg(pl.col("n").fill_null(0.0).sum().alias("sum"), pl.len())
    for index, total, count in grouped.iter_rows():
        amount = float(total) if how == "sum" else float(total) / count
        whole = how == "sum" and amount.is_integer() and abs(amount) < 2**53
        results[buckets.keys[index]] = int(amount) if whole else amount
    return results


def event_counts(
    frame: pl.DataFrame, window: Window, *, events: Sequence[str], count_type: str = "general"
) -> dict[str, Any]:
    """`/events`: one series per requested event that occurred in the window."""
    buckets, data = _scan(frame, window, events, s=lambda rows, _: rows.column("event"))
    return _answer(buckets, series_values(buckets.keys, data, count_type))


def property_counts(
    frame: pl.DataFrame,
    window: Window,
    *,
    event: str,
    name: str,
    count_type: str = "general",
    values: Sequence[str] | None = None,
    limit: int | None = 255,
) -> dict[str, Any]:
    """`/events/properties`: one series per value of property `name` (`undefined` where the
    event lacks it), only `values` when given, else the top `limit`."""
    node = expressions.Property(name)
    buckets, data = _scan(
        frame, window, [event], s=lambda rows, moment: evaluate(rows, node, "label", moment)
    )
    if values is not None:
        data = data.filter(pl.col("s").is_in(pl.Series(list(values), dtype=pl.String).implode()))
    return _answer(buckets, series_values(buckets.keys, data, count_type, limit))
