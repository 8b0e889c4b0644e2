"""Insights reports: a bookmark's `sections` (show / time / filter / group) computed over a
project's deduplicated event frame, answered in the shape of Mixpanel's `/insights`:
`{computed_at, date_range: {from_date, to_date}, headers, series, meta}`.

What is computed:
- `show`: event metrics (`behavior.type` `event`; the name `$all_events` stands for every
  event), each with its own `filters` (`filtersDeterminer` all/any) and a `measurement.math`:
  `total` (events; with a `property`, the sum of its numeric values), `unique` (distinct users),
  or, over a numeric `property`, `average`, `median`, `min`, `max`, `p25`, `p75`, `p90`, `p99`
  (linear interpolation between ranks; our guess at Mixpanel's percentile rule), a
  `custom_percentile` (`measurement.percentile`, 0 to 100), `unique_values` (how many distinct
  defined values a property takes, as labels), `cumulative_unique` (distinct users from the
  first date up to each date) and `sessions` (distinct sessions holding the metric's events,
  see `engine.sessions`). Non-numeric values
  are left out of property maths. `perUserAggregation` (`total`, `average`, `min`, `max`)
  first reduces each user's values to one, then the math runs across users. A metric with
  `isHidden` is left out of `series` (and only computed when a formula reads it).
- `formula` entries: arithmetic over the metrics by letter (see `engine.formulas`), named by
  their `name` or else their definition.
- `time`: `between` two dates, `in the last` N days/weeks/months (ending today in the project
  timezone) or `since` a date; `unit` hour, day, week (keyed by its Monday) or month.
- `filter`: event-property filters that every metric's rows must pass (see `engine.filters`).
- `group`: event-property breakdowns. Each adds a level of segment keys below the metric name,
  with a `$overall` rollup (computed on the rows, not summed) at every level; events without
  the property fall under `undefined`.
- `displayOptions.chartType`: line-like charts answer per date, keyed by the local start of each
  bucket as an ISO timestamp with offset; `bar`, `table`, `pie` and `metric` answer one value
  per series under `all`. `analysis` `cumulative` turns each series into running sums over
  its dates, `rolling` into means of the last `rollingWindowSize` dates (fewer at the start).

Counts and sums are zero-filled over every date; a property maths bucket with no values is
left out. People properties, cohorts and frequencies in filters and breakdowns, and cohort
metrics, read per-user values (see `engine.people`). A time comparison
(`displayOptions.timeComparison`) adds, beside each series, the same series over the compared
range, named `<name> (<suffix>)` (`1 week ago`, `from 2024-01-01`, ...: our guess at
Mixpanel's naming) and keyed by that range's own dates. A `histogram` math (with a
`perUserAggregation`) answers users per numeric range of their aggregated value instead of
dates (see `histogram`). Anything else in a report (other maths, a histogram with a breakdown
or in a formula) is a ValueError naming it, which the route answers with a 400; funnel and
retention metrics are computed by `engine.insights_funnels` and
`engine.insights_retention`.
`engine.insights_params` reads the params into a `Report` (re-exported here with `parse`);
this module computes it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import polars as pl

from mixpanel_async.emulator.engine import filters, formulas, people, sessions, user_keys
from mixpanel_async.emulator.engine.events import project_zone
from mixpanel_async.emulator.engine.expressions import Property
from mixpanel_async.emulator.engine.insights_params import (
    ACTIVE_DAYS,
    Metric,
    Report,
    date_range,
    envelope,
    group_property,
    parse,
)
from mixpanel_async.emulator.engine.rows import (
    NO_USERS,
    UNDEFINED,
    USERS,
    Buckets,
    Kind,
    evaluate,
    filter_reads,
    make_buckets,
    prefetch,
    select_rows,
    stamp,
)
from mixpanel_async.emulator.engine.segmentation import numeric_ranges

__all__ = ["OVERALL", "Metric", "Report", "date_range", "group_property", "parse", "run"]

OVERALL = "$overall"
"""The segment key of a breakdown level's rollup."""


# --- computing ---------------------------------------------------------------------------------


def _rows(
    frame: pl.DataFrame,
    metric: Metric,
    report: Report,
    buckets: Buckets,
    timezone: str | None,
    moment: dt.datetime,
) -> pl.DataFrame:
    """The metric's rows as `b` (bucket index), `u` (user), `v` (maths value), `g0`.. (groups);
    `moment` is what `NOW` stands for in filters."""
    events = None if metric.event is None else [metric.event]
    span = ACTIVE_DAYS.get(metric.math, 0)
    if span:  # each report day looks back `span` days: read from `span - 1` days earlier
        lookback = report.from_date - dt.timedelta(days=span - 1)
        days = make_buckets(lookback, report.to_date, timezone, "day")
        rows = select_rows(frame, events, days.start_ms, days.end_ms)
        index = days.index(rows.column("time"))
    else:
        rows = select_rows(frame, events, buckets.start_ms, buckets.end_ms)
        index = buckets.index(rows.column("time"))
    where = filters.both(report.where, metric.where)
    wanted = {*report.groups, *([metric.prop] if metric.prop else [])}
    prefetch(rows, wanted | filter_reads(where))
    columns: dict[str, pl.Series] = {"b": index, "u": rows.column("distinct_id")}
    if metric.math == "sessions":
        columns["s"] = sessions.ids(frame).gather(rows.column("_pos"))
    if metric.prop is not None:
        kind: Kind = "label" if metric.math == "unique_values" else "number"
        columns["v"] = evaluate(rows, Property(metric.prop), kind, moment)
    for i, name in enumerate(report.groups):
        columns[f"g{i}"] = evaluate(rows, Property(name), "label", moment)
    data = pl.DataFrame(columns)
    if where is not None:
        data = data.filter(evaluate(rows, where, "truth", moment))
    if metric.math == "unique_values":
        data = data.filter(pl.col("v") != UNDEFINED)
    elif metric.prop is not None and metric.math != "unique":
        data = data.filter(pl.col("v").is_not_null())
    return _active_days(data, span, report, buckets, timezone) if span else data


def _active_days(
    data: pl.DataFrame, span: int, report: Report, buckets: Buckets, timezone: str | None
) -> pl.DataFrame:
    """Rows keyed by day (`b` a lookback day index) as one row per user and report day `t`
    they are active on (an event in the `span` days up to `t`), with `b` the report bucket of
    `t` and `n` the number of days in that bucket (to average the days of a bucket)."""
    report_days = (report.to_date - report.from_date).days + 1
    starts = [
        int(dt.datetime.combine(report.from_date + dt.timedelta(days=i), dt.time(),
                                project_zone(timezone)).timestamp() * 1000)
        for i in range(report_days)
    ]  # fmt: skip
    bucket_of_day = buckets.index(pl.Series(starts, dtype=pl.Int64))
    days = pl.DataFrame({"t": range(report_days), "b": bucket_of_day})
    days = days.with_columns(n=pl.len().over("b"), all_days=pl.lit(report_days))
    groups = [name for name in data.columns if name.startswith("g")]
    pairs = data.select(pl.col("b").cast(pl.Int64), "u", *groups).unique()  # signed: b - span
    active = (
        pairs.with_columns(t=pl.int_ranges(pl.col("b") - (span - 1), pl.col("b") + 1))
        .explode("t")
        .drop("b")
        .filter(pl.col("t").is_between(0, report_days - 1))
        .unique()
    )
    return active.join(days, on="t")


def _tree(
    data: pl.DataFrame,
    metric: Metric,
    depth: int,
    dates: Sequence[str] | None,
    limit: int | None = None,
) -> Any:
    """`{date: value}` (or `{"all": value}` when `dates` is None) with `depth` levels of
    segments above it and a `$overall` rollup at each level; segments in order of events."""
    keys = list(dates) if dates is not None else ["all"]
    fill: Any = 0 if metric.zero_filled else None
    root: dict[str, Any] = {}

    def leaf(path: Sequence[str]) -> dict[str, Any]:
        node = root
        for segment in path:
            node = node.setdefault(segment, {})
        if len(path) < depth:
            node = node.setdefault(OVERALL, {})
        if not node and fill is not None:
            node.update(dict.fromkeys(keys, fill))
        return node

    leaf(())
    when = ["b"] if dates is not None else []
    for level in range(depth + 1):
        by = [f"g{i}" for i in range(level)]
        grouped = _amounts(data, metric, [*by, *when])
        if by:
            sizes = data.group_by(by).agg(pl.len().alias("n"))
            if limit is not None:
                sizes = sizes.sort(["n", *by], descending=[True, *[False] * level]).head(limit)
            grouped = grouped.join(sizes, on=by).sort(
                ["n", *by, *when], descending=[True, *[False] * (level + len(when))]
            )
        elif when:
            grouped = grouped.sort("b")
        for row in grouped.iter_rows(named=True):
            if row["x"] is not None:
                path = tuple(str(row[name]) for name in by)
                leaf(path)[keys[row["b"]] if when else "all"] = row["x"]
    return root


def _amounts(data: pl.DataFrame, metric: Metric, by: list[str]) -> pl.DataFrame:
    """The metric's value (`x`) per group of `by` (one row when `by` is empty). For
    `cumulative_unique` over dates, the users first seen in each bucket (summed up later)."""
    if metric.math == "cumulative_unique":
        if "b" not in by:
            amount = pl.col("u").n_unique()
            return (
                data.group_by(by).agg(amount.alias("x")) if by else data.select(amount.alias("x"))
            )
        segments = [name for name in by if name != "b"]
        data = data.group_by([*segments, "u"]).agg(pl.col("b").min())
        return data.group_by(by).agg(pl.len().alias("x"))
    if metric.math in ACTIVE_DAYS:  # users per day, averaged over the days of each group
        per_day = data.group_by([*by, "t"]).agg(
            pl.col("u").n_unique().alias("x"), pl.col("n").first(), pl.col("all_days").first()
        )
        days = pl.col("n").first() if "b" in by else pl.col("all_days").first()
        amount = (pl.col("x").sum() / days.cast(pl.Float64)).alias("x")
        return per_day.group_by(by).agg(amount) if by else per_day.select(amount)
    if metric.per_user:
        # Sorted so that the sums below add the users up in one order: float addition is not
        # associative, and the same report must give the same digits every time.
        data = data.group_by([*by, "u"]).agg(metric.per_user_value()).sort([*by, "u"])
    if not by:
        return data.select(metric.amount().alias("x"))
    return data.group_by(by).agg(metric.amount().alias("x"))


def histogram(data: pl.DataFrame, metric: Metric, report: Report) -> dict[str, int]:
    """A `histogram` metric over the whole range: each user's values reduced to one by the
    metric's `perUserAggregation`, then the users counted per numeric range of that value, keyed
    by the range's label (`"0 - 10"`, ascending; the ranges `/segmentation/numeric` draws: equal
    widths, the power of ten just below the spread). Our guess at Mixpanel's shape, which is not
    published; breakdowns and formulas over a histogram are refused."""
    if report.groups:
        raise ValueError(filters.UNSUPPORTED.format(what="a histogram with a breakdown"))
    per_user = data.group_by("u").agg(metric.per_user_value()).drop_nulls("v")
    if per_user.height == 0:
        return {}
    index, labels = numeric_ranges(per_user["v"].cast(pl.Float64))
    counts = index.value_counts(name="n").sort(index.name)
    return {labels[i]: n for i, n in counts.iter_rows()}


def _leaves(tree: dict[str, Any], change: Callable[[list[Any]], list[Any]]) -> None:
    """Apply `change` to the values of every `{date: value}` leaf of a series tree, in order."""
    if not any(isinstance(value, dict) for value in tree.values()):
        tree.update(zip(tree, change(list(tree.values())), strict=True))
        return
    for child in tree.values():
        if isinstance(child, dict):
            _leaves(child, change)


def _running_sum(values: list[Any]) -> list[Any]:
    return list(itertools.accumulate(values))


def _rolling(size: int) -> Callable[[list[Any]], list[Any]]:
    def mean_of_last(values: list[Any]) -> list[Any]:
        return [
            sum(values[max(0, i + 1 - size) : i + 1]) / min(size, i + 1) for i in range(len(values))
        ]

    return mean_of_last


def _cohort_size(metric: Metric, dates: Sequence[str] | None) -> tuple[Metric, dict[str, Any]]:
    """A cohort metric's series (its members now, on every date) and its label (the metric's
    name, else the cohort's)."""
    data = USERS.get()
    if not isinstance(data, people.UserData):
        raise ValueError(NO_USERS)
    size = len(data.members(metric.cohort))
    label = metric.label or str(data.cohort(metric.cohort).get("name", metric.cohort))
    return attrs.evolve(metric, label=label), dict.fromkeys(dates or ["all"], size)


def compared(
    frame: pl.DataFrame,
    report: Any,
    engine: Callable[..., dict[str, Any]],
    timezone: str | None,
    now: dt.datetime | None,
) -> dict[str, Any]:
    """The series of a time comparison: `engine` run on `report` (an event or funnel report
    with a `compare` range) over the compared range, each series named `<name> (<suffix>)`
    and keyed by the compared range's own dates."""
    compare = report.compare
    assert compare is not None
    other = attrs.evolve(report, from_date=compare.from_date, to_date=compare.to_date,
                         compare=None)  # fmt: skip
    data = USERS.get()
    shifted = data
    if isinstance(data, people.UserData):  # frequencies count in the compared range
        shifted = attrs.evolve(data, first=compare.from_date, last=compare.to_date)
    token = USERS.set(shifted)
    try:
        series = engine(frame, other, timezone, now)["series"]
    finally:
        USERS.reset(token)
    return {f"{name} ({compare.suffix})": tree for name, tree in series.items()}


def run(
    frame: pl.DataFrame,
    report: Report,
    timezone: str | None = "UTC",
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The report computed: Mixpanel's `/insights` answer.

    Raises:
        expressions.ExpressionError: a filter fails to evaluate.
        ValueError: too many buckets.
    """
    started = time.perf_counter()
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    zone = project_zone(timezone)
    buckets = make_buckets(report.from_date, report.to_date, timezone, report.unit)
    dates = [stamp(k, report.unit, zone) for k in buckets.keys] if report.by_date else None
    series: dict[str, Any] = {}
    histograms: set[str] = set()
    needed = {letter for formula in report.formulas for letter in formula.letters}
    by_letter: dict[str, Any] = {}
    for letter, metric in zip(formulas.LETTERS, report.metrics, strict=False):
        if metric.hidden and letter not in needed:
            continue
        if metric.cohort is not None:
            metric, tree = _cohort_size(metric, dates)
            by_letter[letter] = tree
            if not metric.hidden:
                series[metric.label] = tree
            continue
        data = _rows(frame, metric, report, buckets, timezone, moment)
        if metric.math == "histogram":
            if letter in needed:
                raise ValueError(filters.UNSUPPORTED.format(what="a formula over a histogram"))
            tree = histogram(data, metric, report)
            histograms.add(metric.label)
        else:
            tree = _tree(data, metric, len(report.groups), dates, report.limit)
        if dates is not None and metric.math == "cumulative_unique":
            _leaves(tree, _running_sum)
        by_letter[letter] = tree
        if not metric.hidden:
            series[metric.label] = by_letter[letter]
    for formula in report.formulas:
        series[formula.label] = formulas.compute(formula, by_letter)
    if report.compare is not None:
        series.update(compared(frame, report, run, timezone, now))
    if dates is not None and report.analysis != "linear":
        change = _running_sum if report.analysis == "cumulative" else _rolling(report.rolling)
        for name, tree in series.items():
            if name not in histograms:  # a distribution's ranges are not a time line
                _leaves(tree, change)
    headers = ["$event", *map(user_keys.header, report.groups)]
    return envelope(report.from_date, report.to_date, zone, moment, started, headers, series)
