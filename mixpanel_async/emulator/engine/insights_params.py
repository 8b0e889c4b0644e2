"""Insights reports, the params: a bookmark's `sections` and `displayOptions` checked and
turned into a `Report` (what `engine.insights` computes; see there for what is supported).

Anything the emulator does not compute is a ValueError naming it, which the route answers with
a 400.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Mapping
from typing import Any

import attrs
import polars as pl

from mixpanel_async.emulator.engine import custom_columns, filters, formulas, user_keys
from mixpanel_async.emulator.engine.expressions import Node
from mixpanel_async.emulator.engine.params import (
    DAYS_PER_UNIT,
    date,
    in_order,
    listing,
    mapping,
    whole,
)
from mixpanel_async.emulator.engine.retention import add_months

ALL_EVENTS = "$all_events"
UNSUPPORTED = filters.UNSUPPORTED
UNITS = ("hour", "day", "week", "month")
TOTAL_CHARTS = frozenset({"bar", "table", "pie", "metric"})
SERIES_CHARTS = frozenset({"line", "column", "stacked-line", "stacked-column", "area"})
_QUANTILES = {"median": 0.5, "p25": 0.25, "p75": 0.75, "p90": 0.9, "p99": 0.99}
PROPERTY_MATHS = frozenset({"average", "min", "max", "custom_percentile", *_QUANTILES})
COUNT_MATHS = frozenset({"total", "unique", "unique_values", "sessions"})
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
    cohort: str | None = None
    """A cohort metric: the id of the saved cohort whose size it shows."""
    percentile: float = 50.0
    """The percentile (0 to 100) of a `custom_percentile` math."""

    @property
    def zero_filled(self) -> bool:
        """Whether a bucket without events shows 0 (counts) rather than nothing (maths)."""
        return self.math in COUNT_MATHS or self.math in ("cumulative_unique", *ACTIVE_DAYS)

    def per_user_value(self) -> pl.Expr:
        """One user's values (`v`) reduced to one, as `perUserAggregation` says."""
        column = pl.col("v")
        how = {"total": column.sum(), "average": column.mean(), "min": column.min()}
        return how.get(self.per_user or "", column.max()).alias("v")

    def amount(self) -> pl.Expr:
        """The metric's value over a group of rows (`u` users, `v` maths values)."""
        if self.math == "unique":
            return pl.col("u").n_unique()
        if self.math == "sessions":  # `s`: each row's session (see `engine.sessions`)
            return pl.col("s").n_unique()
        if self.math == "unique_values":
            return pl.col("v").n_unique()
        if self.math == "custom_percentile":
            return pl.col("v").quantile(self.percentile / 100, interpolation="linear")
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
    compare: Comparison | None = None
    """A period-over-period comparison: the same report over another range, added beside."""


@attrs.frozen
class Comparison:
    """A time comparison's range and the suffix of its series names."""

    from_date: dt.date
    to_date: dt.date
    suffix: str


_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def comparison(value: Any, first: dt.date, last: dt.date) -> Comparison:
    """`displayOptions.timeComparison` (`{type, value}`) as the range it compares with: the
    report's range moved back one `value` unit (`relative`), or as long as it and starting
    (`absolute-start`) or ending (`absolute-end`) on the `value` date.

    Raises:
        ValueError: an unknown type or unit, a bad date.
    """
    spec = mapping(value, "displayOptions.timeComparison")
    kind, target = spec.get("type"), spec.get("value")
    length = last - first
    if kind == "relative":
        if target in ("day", "week"):
            step = dt.timedelta(days=1 if target == "day" else 7)
            return Comparison(first - step, last - step, f"1 {target} ago")
        if not isinstance(target, str) or target not in _MONTHS:
            raise ValueError(UNSUPPORTED.format(what=f"a time comparison by {target!r}"))
        back = -_MONTHS[target]
        return Comparison(add_months(first, back), add_months(last, back), f"1 {target} ago")
    if kind in ("absolute-start", "absolute-end"):
        day = date(target, "the time comparison's date")
        if kind == "absolute-start":
            return Comparison(day, day + length, f"from {day.isoformat()}")
        return Comparison(day - length, day, f"to {day.isoformat()}")
    raise ValueError(UNSUPPORTED.format(what=f"the time comparison type {kind!r}"))


MAX_WINDOW = 3660
"""The most units an "in the last" window may span (the flows parser's bound too)."""


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
        count = whole(count, "window.value", 1, MAX_WINDOW)
        if not isinstance(span, str) or span not in DAYS_PER_UNIT:
            raise ValueError(UNSUPPORTED.format(what=f"a window in {span!r}"))
        first, last = today - dt.timedelta(days=count * DAYS_PER_UNIT[span]), today
    else:
        raise ValueError(UNSUPPORTED.format(what=f"the date range type {kind!r}"))
    first, last = in_order(first, last)
    return first, last, str(unit)


def _metric(item: Any, index: int) -> Metric:
    item = mapping(item, f"sections.show[{index}]")
    if item.get("type", "metric") != "metric":
        raise ValueError(UNSUPPORTED.format(what=f"a {item.get('type')!r} entry in show"))
    behavior = mapping(item.get("behavior"), "behavior")
    if behavior.get("type") == "cohort":
        return _cohort_metric(item, behavior)
    simple = behavior.get("type") == "simple"
    if simple:  # several events as one: their union, labelled by the behavior's name
        behavior = custom_columns.simple_as_event(behavior)
    if behavior.get("type", "event") != "event":
        raise ValueError(UNSUPPORTED.format(what=f"a {behavior.get('type')!r} metric"))
    name = behavior.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError(f"sections.show[{index}] names no event")
    measurement = mapping(item.get("measurement"), "measurement")
    math = measurement.get("math", "total")
    known = COUNT_MATHS | PROPERTY_MATHS | {"cumulative_unique", "histogram", *ACTIVE_DAYS}
    if not isinstance(math, str) or math not in known:
        raise ValueError(UNSUPPORTED.format(what=f"the math {math!r}"))
    per_user = measurement.get("perUserAggregation")
    if per_user is not None and (not isinstance(per_user, str) or per_user not in PER_USER):
        raise ValueError(UNSUPPORTED.format(what=f"the per-user aggregation {per_user!r}"))
    prop_spec = measurement.get("property")
    prop = None
    if prop_spec is not None:
        spec = mapping(prop_spec, "measurement.property")
        resource = spec.get("resourceType", "events")
        if resource not in ("events", "event", *user_keys.PEOPLE_RESOURCES):
            raise ValueError(UNSUPPORTED.format(what=f"a maths property of {resource}"))
        prop = spec.get("name")
        if not isinstance(prop, str) or not prop:
            raise ValueError("measurement.property names no property")
        if resource in user_keys.PEOPLE_RESOURCES:
            prop = user_keys.key(user_keys.PEOPLE, prop)
    if (math in PROPERTY_MATHS or per_user or math in ("unique_values", "histogram")) and (
        prop is None
    ):
        raise ValueError(f"the math {math!r} needs a measurement.property")
    if math == "histogram" and per_user is None:
        raise ValueError("the math 'histogram' needs a measurement.perUserAggregation")
    if per_user and math not in PROPERTY_MATHS | {"total", "histogram"}:
        raise ValueError(f"per-user aggregation does not combine with the math {math!r}")
    if math in ("unique", "sessions", "cumulative_unique", *ACTIVE_DAYS):
        prop = None  # distinct users or sessions; a property plays no part
    percentile = measurement.get("percentile", 50) if math == "custom_percentile" else 50
    if isinstance(percentile, bool) or not isinstance(percentile, int | float):
        raise ValueError(f"measurement.percentile must be a number, got {percentile!r}")
    if not 0 <= percentile <= 100:
        raise ValueError(f"measurement.percentile must be from 0 to 100, got {percentile!r}")
    where = filters.combine(behavior.get("filters"), behavior.get("filtersDeterminer", "all"))
    return Metric(
        label=str(behavior["label"]) if simple else name,
        event=None if name == ALL_EVENTS else name,
        math=math,
        prop=prop,
        where=where,
        hidden=bool(item.get("isHidden")),
        per_user=per_user,
        percentile=float(percentile),
    )


def _cohort_metric(item: Mapping[str, Any], behavior: Mapping[str, Any]) -> Metric:
    """A cohort metric (the size of a saved cohort, as of now, on every date)."""
    if behavior.get("raw_cohort") is not None:
        raise ValueError(UNSUPPORTED.format(what="an inline cohort definition"))
    cohort_id = behavior.get("id")
    if isinstance(cohort_id, bool) or not isinstance(cohort_id, int | str) or not cohort_id:
        raise ValueError(f"a cohort metric names no saved cohort id, got {cohort_id!r}")
    if behavior.get("filters"):
        raise ValueError(UNSUPPORTED.format(what="a cohort metric with filters"))
    math = mapping(item.get("measurement"), "measurement").get("math", "unique")
    if math != "unique":
        raise ValueError(UNSUPPORTED.format(what=f"the cohort math {math!r}"))
    name = behavior.get("name")
    return Metric(
        label=name if isinstance(name, str) else "",
        event=None,
        math="unique",
        prop=None,
        where=None,
        hidden=bool(item.get("isHidden")),
        cohort=str(cohort_id),
    )


def group_property(item: Any) -> str:
    """The event property a `sections.group` entry breaks down by (funnel and retention
    reports read theirs with this too).

    Raises:
        ValueError: not an object, not an event property, a custom or cohort breakdown.
    """
    spec = mapping(item, "a breakdown")
    per_user = user_keys.group_key(spec)
    if per_user is not None:
        return per_user
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


@attrs.frozen
class Behavior:
    """The one funnel or retention metric of a report, with the parts of the report around it."""

    sections: Mapping[str, Any]
    behavior: Mapping[str, Any]
    measurement: Mapping[str, Any]
    display: Mapping[str, Any]
    where: Node | None
    """The report's and the metric's own filters, which every event of the metric passes."""


def behavior_metric(params: Any, kind: str) -> Behavior:
    """A funnel or retention report's one metric (`kind`), checked for what the emulator cannot
    combine with it (a formula; a time comparison of retention, whose answer both clients read
    as one series only).

    Raises:
        ValueError: malformed params, several metrics, or such a feature.
    """
    params = mapping(params, "params")
    sections = mapping(params.get("sections"), "sections")
    shown = listing(sections.get("show"), "sections.show")
    if len(shown) != 1:
        raise ValueError(f"a {kind} report needs exactly one metric in sections.show")
    item = mapping(shown[0], "sections.show[0]")
    behavior = mapping(item.get("behavior"), "behavior")
    display = mapping(params.get("displayOptions"), "displayOptions")
    if display.get("timeComparison") and kind != "funnel":
        raise ValueError(UNSUPPORTED.format(what=f"a time comparison of a {kind} metric"))
    if listing(sections.get("formula"), "sections.formula"):
        raise ValueError(UNSUPPORTED.format(what=f"a formula over a {kind} metric"))
    where = filters.both(
        filters.combine(sections.get("filter"), sections.get("filterDeterminer", "all")),
        filters.combine(behavior.get("filter")),
    )
    measurement = mapping(item.get("measurement"), "measurement")
    return Behavior(sections, behavior, measurement, display, where)


def envelope(
    first: dt.date,
    last: dt.date,
    zone: dt.tzinfo,
    moment: dt.datetime,
    started: float,
    headers: list[str],
    series: Any,
) -> dict[str, Any]:
    """Insights' answer around a computed `series`: `{computed_at, date_range, headers, series,
    meta}` (`started`: the `time.perf_counter()` reading when the computation began)."""
    start = dt.datetime.combine(first, dt.time(), zone)
    end = dt.datetime.combine(last, dt.time(23, 59, 59, 999000), zone)
    return {
        "computed_at": moment.isoformat(),
        "date_range": {"from_date": start.isoformat(), "to_date": end.isoformat()},
        "headers": headers,
        "series": series,
        "meta": {
            "sampling_factor": 1.0,
            "is_cached": False,
            "computation_time": round((time.perf_counter() - started) * 1000, 3),
            "query_id": uuid.uuid4().hex,
        },
    }


def report_kind(params: Any) -> str:
    """`funnel` or `retention` when a report's `show` holds a metric of that behavior type
    (those reports are computed by their own engines), else `insights`."""
    sections = params.get("sections") if isinstance(params, Mapping) else None
    shown = sections.get("show") if isinstance(sections, Mapping) else None
    for item in shown if isinstance(shown, list) else []:
        behavior = item.get("behavior") if isinstance(item, Mapping) else None
        kind = behavior.get("type") if isinstance(behavior, Mapping) else None
        if kind in ("funnel", "retention"):
            return str(kind)
    return "insights"


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
    if any(metric.cohort for metric in metrics) and (where is not None or groups):
        raise ValueError(UNSUPPORTED.format(what="a cohort metric with filters or breakdowns"))
    where = filters.both(where, user_keys.segment_filter(groups))
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
    compare = None
    if display.get("timeComparison"):
        compare = comparison(display["timeComparison"], first, last)
    by_date = chart not in TOTAL_CHARTS
    return Report(
        metrics, first, last, unit, groups, where, by_date, limit, defined, analysis, rolling,
        compare,
    )  # fmt: skip
