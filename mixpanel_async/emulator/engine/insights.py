"""Insights reports: a bookmark's `sections` (show / time / filter / group) computed over a
project's deduplicated event frame, answered in the shape of Mixpanel's `/insights`:
`{computed_at, date_range: {from_date, to_date}, headers, series, meta}`.

What is computed:
- `show`: event metrics (`behavior.type` `event`; the name `$all_events` stands for every
  event), each with its own `filters` (`filtersDeterminer` all/any) and a `measurement.math`:
  `total` (events; with a `property`, the sum of its numeric values), `unique` (distinct users),
  or, over a numeric `property`, `average`, `median`, `min`, `max`, `p25`, `p75`, `p90`, `p99`
  (linear interpolation between ranks; our guess at Mixpanel's percentile rule), and
  `cumulative_unique` (distinct users from the first date up to each date). Non-numeric values
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
left out. Anything else in a report (funnels or retention metrics, people properties, time
comparison, other maths) is a ValueError naming it, which the route answers with a 400.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import polars as pl

from mixpanel_async.emulator.engine import filters, formulas
from mixpanel_async.emulator.engine.events import project_zone
from mixpanel_async.emulator.engine.expressions import Node, Property
from mixpanel_async.emulator.engine.params import DAYS_PER_UNIT, date, listing, mapping, whole
from mixpanel_async.emulator.engine.rows import (
    Buckets,
    evaluate,
    make_buckets,
    select_rows,
)

ALL_EVENTS = "$all_events"
OVERALL = "$overall"
UNSUPPORTED = filters.UNSUPPORTED
UNITS = ("hour", "day", "week", "month")
TOTAL_CHARTS = frozenset({"bar", "table", "pie", "metric"})
SERIES_CHARTS = frozenset({"line", "column", "stacked-line", "stacked-column", "area"})
_QUANTILES = {"median": 0.5, "p25": 0.25, "p75": 0.75, "p90": 0.9, "p99": 0.99}
PROPERTY_MATHS = frozenset({"average", "min", "max", *_QUANTILES})
COUNT_MATHS = frozenset({"total", "unique"})
PER_USER = frozenset({"total", "average", "min", "max"})
ACTIVE_DAYS = {"dau": 1, "wau": 7, "mau": 28}
"""Active-user maths: users with an event in the trailing window of this many days."""
ANALYSES = ("linear", "cumulative", "rolling")


@attrs.frozen
class Metric:
    """One `show` entry: which events, how they are measured, which of them count."""

    label: str
    event: str | None
    """None: every event."""
    math: str
    prop: str | None
    where: Node | None
    hidden: bool = False
    per_user: str | None = None
    """`perUserAggregation`: each user's values are first reduced to one (sum, mean, min or
    max), then `math` runs across users."""

    @property
    def zero_filled(self) -> bool:
        return self.math in COUNT_MATHS or self.math in ("cumulative_unique", *ACTIVE_DAYS)

    def per_user_value(self) -> pl.Expr:
        column = pl.col("v")
        how = {"total": column.sum(), "average": column.mean(), "min": column.min()}
        return how.get(self.per_user or "", column.max()).alias("v")

    def amount(self) -> pl.Expr:
        if self.math == "unique":
            return pl.col("u").n_unique()
        if self.math == "total":
            return pl.col("v").sum() if self.prop else pl.len()
        if self.math == "average":
            return pl.col("v").mean()
        if self.math in ("min", "max"):
            return getattr(pl.col("v"), self.math)()  # type: ignore[no-any-return]
        return pl.col("v").quantile(_QUANTILES[self.math], interpolation="linear")


@attrs.frozen
class Report:
    """A parsed insights report."""

    metrics: tuple[Metric, ...]
    from_date: dt.date
    to_date: dt.date
    unit: str
    groups: tuple[str, ...]
    where: Node | None
    by_date: bool
    limit: int | None = None
    """At most this many segments per breakdown level (the most frequent first)."""
    formulas: tuple[formulas.Formula, ...] = ()
    analysis: str = "linear"
    """`cumulative` (running sums over dates) or `rolling` (means of the last `rolling`)."""
    rolling: int = 7


def date_range(time_section: Any, today: dt.date) -> tuple[dt.date, dt.date, str]:
    """`(from_date, to_date, unit)` of a report's `sections.time` (default: the last 30 days
    by day).

    Raises:
        ValueError: an unknown range type or unit, bad dates, `from_date` after `to_date`.
    """
    entries = listing(time_section, "sections.time")
    saved = mapping(entries[0] if entries else {"dateRangeType": "in the last"}, "a time entry")
    unit = saved.get("unit", "day")
    if not isinstance(unit, str) or unit not in UNITS:
        raise ValueError(UNSUPPORTED.format(what=f"the time unit {unit!r}"))
    kind = saved.get("dateRangeType", "in the last")
    if kind == "between":
        value = saved.get("value")
        if not (isinstance(value, list) and len(value) == 2):
            raise ValueError(f"a 'between' range needs [from, to], got {value!r}")
        first, last = date(value[0], "from_date"), date(value[1], "to_date")
    elif kind == "since":
        first, last = date(saved.get("value"), "the 'since' date"), today
    elif kind == "in the last":
        window = mapping(saved.get("window") or {"unit": "day", "value": 30}, "window")
        count, span = window.get("value", 30), window.get("unit", "day")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"window.value must be a positive integer, got {count!r}")
        if not isinstance(span, str) or span not in DAYS_PER_UNIT:
            raise ValueError(UNSUPPORTED.format(what=f"a window in {span!r}"))
        first, last = today - dt.timedelta(days=count * DAYS_PER_UNIT[span]), today
    else:
        raise ValueError(UNSUPPORTED.format(what=f"the date range type {kind!r}"))
    if first > last:
        raise ValueError(f"from_date ({first}) must not be after to_date ({last})")
    return first, last, str(unit)


def _metric(item: Any, index: int) -> Metric:
    item = mapping(item, f"sections.show[{index}]")
    if item.get("type", "metric") != "metric":
        raise ValueError(UNSUPPORTED.format(what=f"a {item.get('type')!r} entry in show"))
    behavior = mapping(item.get("behavior"), "behavior")
    if behavior.get("type", "event") != "event":
        raise ValueError(UNSUPPORTED.format(what=f"a {behavior.get('type')!r} metric"))
    name = behavior.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError(f"sections.show[{index}] names no event")
    measurement = mapping(item.get("measurement"), "measurement")
    math = measurement.get("math", "total")
    known = COUNT_MATHS | PROPERTY_MATHS | {"cumulative_unique", *ACTIVE_DAYS}
    if not isinstance(math, str) or math not in known:
        raise ValueError(UNSUPPORTED.format(what=f"the math {math!r}"))
    per_user = measurement.get("perUserAggregation")
    if per_user is not None and (not isinstance(per_user, str) or per_user not in PER_USER):
        raise ValueError(UNSUPPORTED.format(what=f"the per-user aggregation {per_user!r}"))
    prop_spec = measurement.get("property")
    prop = None
    if prop_spec is not None:
        spec = mapping(prop_spec, "measurement.property")
        if spec.get("resourceType", "events") not in ("events", "event"):
            raise ValueError(UNSUPPORTED.format(what="a maths property of people"))
        prop = spec.get("name")
        if not isinstance(prop, str) or not prop:
            raise ValueError("measurement.property names no property")
    if (math in PROPERTY_MATHS or per_user) and prop is None:
        raise ValueError(f"the math {math!r} needs a measurement.property")
    if per_user and math not in PROPERTY_MATHS | {"total"}:
        raise ValueError(f"per-user aggregation does not combine with the math {math!r}")
    if math in ("unique", "cumulative_unique", *ACTIVE_DAYS):
        prop = None  # distinct users; a property plays no part
    where = filters.combine(behavior.get("filters"), behavior.get("filtersDeterminer", "all"))
    return Metric(
        label=name,
        event=None if name == ALL_EVENTS else name,
        math=math,
        prop=prop,
        where=where,
        hidden=bool(item.get("isHidden")),
        per_user=per_user,
    )


def group_property(item: Any) -> str:
    """The event property a `sections.group` entry breaks down by (funnel and retention
    reports read theirs with this too).

    Raises:
        ValueError: not an object, not an event property, a custom or cohort breakdown.
    """
    spec = mapping(item, "a breakdown")
    resource = spec.get("resourceType", "events")
    if resource not in ("events", "event"):
        raise ValueError(
            UNSUPPORTED.format(what=f"a breakdown by a non-event property {resource!r}")
        )
    if spec.get("customBucket") or spec.get("customPropertyId") or spec.get("cohorts"):
        raise ValueError(UNSUPPORTED.format(what="a custom or cohort breakdown"))
    name = spec.get("value", spec.get("propertyName"))
    if not isinstance(name, str) or not name:
        raise ValueError("a breakdown names no property")
    return name


def _labels(metrics: list[Metric]) -> tuple[Metric, ...]:
    """Series names: the event name, numbered when two metrics would share one."""
    seen: dict[str, int] = {}
    out = []
    for metric in metrics:
        seen[metric.label] = seen.get(metric.label, 0) + 1
        if seen[metric.label] > 1:
            metric = attrs.evolve(metric, label=f"{metric.label} ({seen[metric.label]})")
        out.append(metric)
    return tuple(out)


def parse(params: Any, today: dt.date, limit: int | None = None) -> Report:
    """A bookmark's params as a `Report` (`limit`: segments per breakdown level).

    Raises:
        ValueError: malformed params or a feature the emulator does not compute.
    """
    params = mapping(params, "params")
    sections = mapping(params.get("sections"), "sections")
    shown = listing(sections.get("show"), "sections.show")
    if not shown:
        raise ValueError("an insights report needs at least one metric in sections.show")
    is_formula = [isinstance(item, Mapping) and item.get("type") == "formula" for item in shown]
    metrics = _labels([_metric(item, i) for i, item in enumerate(shown) if not is_formula[i]])
    defined = tuple(
        formulas.parse(item.get("definition"), item.get("name"), len(metrics))
        for item, yes in zip(shown, is_formula, strict=True)
        if yes
    )
    if all(metric.hidden for metric in metrics) and not defined:
        raise ValueError("every metric of the report is hidden")
    first, last, unit = date_range(sections.get("time"), today)
    groups = tuple(
        group_property(item) for item in listing(sections.get("group"), "sections.group")
    )
    where = filters.combine(sections.get("filter"), sections.get("filterDeterminer", "all"))
    display = mapping(params.get("displayOptions"), "displayOptions")
    chart = display.get("chartType", "line")
    if not isinstance(chart, str) or chart not in TOTAL_CHARTS | SERIES_CHARTS:
        raise ValueError(UNSUPPORTED.format(what=f"the chart type {chart!r}"))
    analysis = display.get("analysis", "linear")
    if not isinstance(analysis, str) or analysis not in ANALYSES:
        raise ValueError(UNSUPPORTED.format(what=f"{analysis!r} analysis"))
    rolling = display.get("rollingWindowSize", 7)
    if analysis == "rolling":
        rolling = whole(rolling, "displayOptions.rollingWindowSize", 1, 1000)
    if display.get("timeComparison"):
        raise ValueError(UNSUPPORTED.format(what="a time comparison"))
    by_date = chart not in TOTAL_CHARTS
    return Report(
        metrics, first, last, unit, groups, where, by_date, limit, defined, analysis, rolling
    )


# --- computing ---------------------------------------------------------------------------------


def _stamp(key: str, unit: str, zone: dt.tzinfo) -> str:
    """A bucket key as the ISO timestamp (with offset) of the bucket's local start."""
    if unit == "hour":
        local = dt.datetime.strptime(key, "%Y-%m-%d %H:%M:%S")
    else:
        local = dt.datetime.combine(dt.date.fromisoformat(key), dt.time())
    return local.replace(tzinfo=zone).isoformat()


def _rows(
    frame: pl.DataFrame, metric: Metric, report: Report, buckets: Buckets, timezone: str | None
) -> pl.DataFrame:
    """The metric's rows as `b` (bucket index), `u` (user), `v` (maths value), `g0`.. (groups)."""
    moment = dt.datetime.now(dt.UTC)
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
    columns: dict[str, pl.Series] = {"b": index, "u": rows.column("distinct_id")}
    if metric.prop is not None:
        columns["v"] = evaluate(rows, Property(metric.prop), "number", moment)
    for i, name in enumerate(report.groups):
        columns[f"g{i}"] = evaluate(rows, Property(name), "label", moment)
    data = pl.DataFrame(columns)
    where = filters.both(report.where, metric.where)
    if where is not None:
        data = data.filter(evaluate(rows, where, "truth", moment))
    if metric.prop is not None and metric.math != "unique":
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
        data = data.group_by([*by, "u"]).agg(metric.per_user_value())
    if not by:
        return data.select(metric.amount().alias("x"))
    return data.group_by(by).agg(metric.amount().alias("x"))


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
    zone = project_zone(timezone)
    buckets = make_buckets(report.from_date, report.to_date, timezone, report.unit)
    dates = [_stamp(k, report.unit, zone) for k in buckets.keys] if report.by_date else None
    series: dict[str, Any] = {}
    needed = {letter for formula in report.formulas for letter in formula.letters}
    by_letter: dict[str, Any] = {}
    for letter, metric in zip(formulas.LETTERS, report.metrics, strict=False):
        if metric.hidden and letter not in needed:
            continue
        data = _rows(frame, metric, report, buckets, timezone)
        tree = _tree(data, metric, len(report.groups), dates, report.limit)
        if dates is not None and metric.math == "cumulative_unique":
            _leaves(tree, _running_sum)
        by_letter[letter] = tree
        if not metric.hidden:
            series[metric.label] = by_letter[letter]
    for formula in report.formulas:
        series[formula.label] = formulas.compute(formula, by_letter)
    if dates is not None and report.analysis != "linear":
        change = _running_sum if report.analysis == "cumulative" else _rolling(report.rolling)
        for tree in series.values():
            _leaves(tree, change)
    start = dt.datetime.combine(report.from_date, dt.time(), zone)
    end = dt.datetime.combine(report.to_date, dt.time(23, 59, 59, 999000), zone)
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return {
        "computed_at": moment.isoformat(),
        "date_range": {"from_date": start.isoformat(), "to_date": end.isoformat()},
        "headers": ["$event", *report.groups],
        "series": series,
        "meta": {
            "sampling_factor": 1.0,
            "is_cached": False,
            "computation_time": round((time.perf_counter() - started) * 1000, 3),
            "query_id": uuid.uuid4().hex,
        },
    }
