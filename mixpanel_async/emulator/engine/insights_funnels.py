"""Funnel metrics inside an Insights report (`POST /insights` with a `show` entry whose
`behavior.type` is `funnel`, as the peer library's `query_funnel` sends): parsed into a
`FunnelReport` and computed over a project's deduplicated event frame.

What is computed, and the emulator's readings where Mixpanel does not document its behaviour:

* Unique counting (`measurement.math` `conversion_rate_unique`, the default, or `unique`; the
  answer is the same counts): a user enters once, at their first step-1 event in the date range
  that passes the filters; the conversion window starts there.
* Total counting (`total` or `conversion_rate_total`): every pass through the funnel counts. A
  user passes again at their first step-1 event after the previous pass ended: at its last
  step when it converted, else when its conversion window closed (our reading of Mixpanel's
  re-entry). Exclusions remove only the pass they break.
* Loose order: each further step is the first occurrence of its event after the previous step
  (later in time, or at the same time but arrived later) and within the window. Any order
  (`funnelOrder` `any`): step 1 still enters the funnel (a guess); each later step is the first
  occurrence of its event after the entry within the window, and a user reaches step k once
  every step 2..k has happened, at the latest of their times. Steps of an any-order funnel
  must name different events.
* Conversion window: `conversionWindowDuration` `conversionWindowUnit` (second, minute, hour,
  day; a week is 7 days, a month 30), at most 90 days.
* Filters: the report's (`sections.filter`) and the metric's (`behavior.filter`) apply to every
  step; a step's own `filters` to it.
* Exclusions (`behavior.exclusions`, loose order only): `{event, steps: {from, to}}` (1-based
  steps) removes a user from the whole funnel when the event happens after their step `from`
  and before their step `to` (before the end of their window when they never reach it).
* Holding a property constant (`behavior.aggregateBy`, event properties): every later step
  must carry the entering event's value of each property (undefined matches undefined). A
  people property is as of now, the same on every event, so holding it constant changes
  nothing.
* Breakdowns (`sections.group`: event or people properties, cohorts, frequencies; see
  `engine.people`): a user's segment is the entering event's value; each level adds a
  `$overall` rollup; at most `limit` segments per level (most entries first). Filters may read
  people properties, cohorts and frequencies too.

The answer is Insights' envelope with `series = {name: node}` where `name` is
"<first step> through <last step>". A node is `{"$overall": node, segment: node, ...}` per
breakdown level, down to the metrics: `{count, step_conv_ratio, overall_conv_ratio, avg_time,
avg_time_from_start}`, each `{"1. <event>": {"all": value}, ...}`. With a line-like chart
(trends) the metrics sit under each bucket's ISO timestamp (users by their entry bucket).
Average times are in whole seconds, null for the first step and for a step nobody reached.
A time comparison (`displayOptions.timeComparison`) adds the funnel computed over the compared
range as a second series, "<name> (<suffix>)" (as event metrics have it; the shape is our
guess), which both clients pass over when they read the steps. Anything else (other maths, a
session window, re-entry modes) is a ValueError naming it, which the route answers with a 400.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import polars as pl

from mixpanel_async.emulator.engine import filters, funnels, insights, insights_params, user_keys
from mixpanel_async.emulator.engine.events import project_zone
from mixpanel_async.emulator.engine.expressions import Node, Property, referenced_properties
from mixpanel_async.emulator.engine.params import DAYS_PER_UNIT, listing, mapping, whole
from mixpanel_async.emulator.engine.rows import (
    Buckets,
    evaluate,
    make_buckets,
    prefetch,
    select_rows,
    stamp,
)

UNSUPPORTED = filters.UNSUPPORTED
OVERALL = "$overall"
METRICS = ("count", "step_conv_ratio", "overall_conv_ratio", "avg_time", "avg_time_from_start")
UNIQUE_MATHS = frozenset({"conversion_rate_unique", "unique"})
TOTAL_MATHS = frozenset({"conversion_rate_total", "total"})


@attrs.frozen
class Step:
    """One funnel step: its event and the filter its events must pass (report's included)."""

    event: str
    where: Node | None


@attrs.frozen
class Exclusion:
    """An event that must not happen between two steps (0-based `first` < `last`)."""

    event: str
    first: int
    last: int


@attrs.frozen
class FunnelReport:
    """A parsed funnel metric and the report around it."""

    name: str
    steps: tuple[Step, ...]
    any_order: bool
    window_ms: int
    exclusions: tuple[Exclusion, ...]
    hold: tuple[str, ...]
    groups: tuple[str, ...]
    from_date: dt.date
    to_date: dt.date
    unit: str
    by_date: bool
    limit: int | None = None
    totals: bool = False
    """Count every pass through the funnel (see `journeys`), not every user once."""
    compare: insights_params.Comparison | None = None
    """`displayOptions.timeComparison`: the range the funnel is also computed over."""


# --- parsing -----------------------------------------------------------------------------------


def _window(behavior: Mapping[str, Any]) -> int:
    duration = behavior.get("conversionWindowDuration")
    length = 14 if duration is None else whole(duration, "conversionWindowDuration", 1, 366)
    unit = behavior.get("conversionWindowUnit") or "day"
    if unit == "session":
        raise ValueError(UNSUPPORTED.format(what="a session conversion window"))
    if not isinstance(unit, str):
        raise ValueError(f"conversionWindowUnit must be a string, got {unit!r}")
    if unit in ("week", "month"):
        length, unit = length * DAYS_PER_UNIT[unit], "day"
    return funnels.window_ms(length, unit)


def _order(behavior: Mapping[str, Any], items: list[Any]) -> bool:
    """Whether the funnel is any-order (every step must agree with the funnel's order)."""
    order = behavior.get("funnelOrder", "loose")
    if order not in ("loose", "any"):
        raise ValueError(UNSUPPORTED.format(what=f"the funnel order {order!r}"))
    for item in items:
        if isinstance(item, Mapping) and item.get("funnelOrder", order) != order:
            raise ValueError(UNSUPPORTED.format(what="steps with different orders"))
    return bool(order == "any")


def _steps(behavior: Mapping[str, Any], shared: Node | None) -> tuple[Step, ...]:
    items = listing(behavior.get("behaviors"), "the funnel metric's behaviors")
    steps = []
    for i, item in enumerate(items):
        item = mapping(item, f"behaviors[{i}]")
        if item.get("type", "event") != "event":
            raise ValueError(UNSUPPORTED.format(what=f"a {item.get('type')!r} funnel step"))
        name = item.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError(f"funnel step {i + 1} names no event")
        own = filters.combine(item.get("filters"), item.get("filtersDeterminer", "all"))
        steps.append(Step(name, filters.both(shared, own)))
    if len(steps) < 2:
        raise ValueError("a funnel metric needs at least two steps")
    return tuple(steps)


def _exclusions(behavior: Mapping[str, Any], count: int) -> tuple[Exclusion, ...]:
    out = []
    for i, item in enumerate(listing(behavior.get("exclusions"), "exclusions")):
        item = mapping(item, f"exclusions[{i}]")
        event = item.get("event")
        if not isinstance(event, str) or not event:
            raise ValueError(f"exclusions[{i}] names no event")
        span = mapping(item.get("steps"), f"exclusions[{i}].steps")
        first = whole(span.get("from", 1), f"exclusions[{i}].steps.from", 1, count)
        last = whole(span.get("to", count), f"exclusions[{i}].steps.to", 1, count)
        if first >= last:
            raise ValueError(f"exclusions[{i}].steps.from must come before steps.to")
        out.append(Exclusion(event, first - 1, last - 1))
    return tuple(out)


def _hold(behavior: Mapping[str, Any]) -> tuple[str, ...]:
    names = []
    for i, item in enumerate(listing(behavior.get("aggregateBy"), "aggregateBy")):
        item = mapping(item, f"aggregateBy[{i}]")
        resource = item.get("resourceType", "events")
        if resource not in ("events", "event", *user_keys.PEOPLE_RESOURCES):
            raise ValueError(UNSUPPORTED.format(what=f"holding a {resource} property constant"))
        name = item.get("value")
        if not isinstance(name, str) or not name:
            raise ValueError(f"aggregateBy[{i}] names no property")
        if resource in ("events", "event"):  # a people property is the same on every event
            names.append(name)
    return tuple(names)


def parse(params: Any, today: dt.date, limit: int | None = None) -> FunnelReport:
    """A funnel bookmark's params as a `FunnelReport`.

    Raises:
        ValueError: malformed params or a feature the emulator does not compute.
    """
    metric = insights_params.behavior_metric(params, "funnel")
    sections, behavior, measurement = metric.sections, metric.behavior, metric.measurement
    math = measurement.get("math", "conversion_rate_unique")
    if not isinstance(math, str) or math not in UNIQUE_MATHS | TOTAL_MATHS:
        raise ValueError(UNSUPPORTED.format(what=f"the funnel math {math!r}"))
    if measurement.get("stepIndex") is not None:
        raise ValueError(UNSUPPORTED.format(what="a funnel measured at one step (stepIndex)"))
    reentry = behavior.get("funnelReentryMode")
    if reentry not in (None, "default"):
        raise ValueError(UNSUPPORTED.format(what=f"the funnel re-entry mode {reentry!r}"))
    chart = metric.display.get("chartType", "funnel-steps")
    if not isinstance(chart, str):
        raise ValueError(f"displayOptions.chartType must be a string, got {chart!r}")
    groups = tuple(
        insights_params.group_property(g) for g in listing(sections.get("group"), "group")
    )
    shared = filters.both(metric.where, user_keys.segment_filter(groups))
    any_order = _order(behavior, listing(behavior.get("behaviors"), "behaviors"))
    steps = _steps(behavior, shared)
    exclusions = _exclusions(behavior, len(steps))
    if any_order and exclusions:
        raise ValueError(UNSUPPORTED.format(what="an exclusion in an any-order funnel"))
    if any_order and len({s.event for s in steps[1:]}) < len(steps) - 1:
        raise ValueError(UNSUPPORTED.format(what="an any-order funnel repeating an event"))
    first, last, unit = insights_params.date_range(sections.get("time"), today)
    compare = metric.display.get("timeComparison")
    return FunnelReport(
        name=f"{steps[0].event} through {steps[-1].event}",
        steps=steps,
        any_order=any_order,
        window_ms=_window(behavior),
        exclusions=exclusions,
        hold=_hold(behavior),
        groups=groups,
        from_date=first,
        to_date=last,
        unit=unit,
        by_date=chart in insights_params.SERIES_CHARTS,
        limit=limit,
        totals=math in TOTAL_MATHS,
        compare=insights_params.comparison(compare, first, last) if compare else None,
    )


# --- computing ---------------------------------------------------------------------------------


def _candidates(
    frame: pl.DataFrame,
    step: Step,
    start_ms: int,
    end_ms: int,
    labels: Mapping[str, str],
    now: dt.datetime,
) -> pl.DataFrame:
    """A step's events in the window as `u`, `t`, `p` and a column per `labels` entry (column
    name → the property whose value labels it)."""
    rows = select_rows(frame, [step.event], start_ms, end_ms)
    where = referenced_properties(step.where) if step.where is not None else set()
    prefetch(rows, {*labels.values(), *where})
    columns = {"u": rows.column("distinct_id"), "t": rows.column("time"), "p": rows.column("_pos")}
    for column, name in labels.items():
        columns[column] = evaluate(rows, Property(name), "label", now)
    data = pl.DataFrame(columns)
    if step.where is not None:
        data = data.filter(evaluate(rows, step.where, "truth", now))
    return data


def _first(hits: pl.DataFrame) -> pl.DataFrame:
    """Each user's earliest row (by position)."""
    return hits.sort("p").unique(subset="u", keep="first", maintain_order=True)


def journeys(
    frame: pl.DataFrame, report: FunnelReport, start_ms: int, end_ms: int, now: dt.datetime
) -> pl.DataFrame:
    """One row per entering user (per pass through the funnel with `totals`): `u`, `a` (the
    pass, from 0), `g0`.. (segments), `t0`, `p0`, and `t<k>`/`p<k>` for each later step (null
    once they stop).

    With `totals` a user passes again at their first step-1 event after their previous pass
    ended: at its last step when it converted, else when its window closed (our reading of
    Mixpanel's re-entry for total counting)."""
    held = {f"h{i}": name for i, name in enumerate(report.hold)}
    segments = {f"g{i}": name for i, name in enumerate(report.groups)}
    entries = _candidates(frame, report.steps[0], start_ms, end_ms, held | segments, now)
    later = [
        _candidates(frame, step, start_ms, end_ms + report.window_ms, held, now)
        for step in report.steps[1:]
    ]
    passes = [_follow(_first(entries).with_columns(a=pl.lit(0)), later, report)]
    pool = entries
    while report.totals:
        users = passes[-1]
        converted = pl.col(f"t{len(report.steps) - 1}").is_not_null()
        last = pl.max_horizontal([pl.col(f"p{k}") for k in range(1, len(report.steps))])
        ended = users.select(
            "u",
            pe=pl.when(converted).then(last).otherwise(pl.col("p0")),
            te=pl.when(converted).then(None).otherwise(pl.col("t0") + report.window_ms),
        )
        pool = (
            pool.join(ended, on="u", how="inner")
            .filter(
                (pl.col("p") > pl.col("pe"))
                & (pl.col("te").is_null() | (pl.col("t") > pl.col("te")))
            )
            .drop("pe", "te")
        )
        if pool.is_empty():
            break
        attempt = pl.lit(len(passes))
        passes.append(_follow(_first(pool).with_columns(a=attempt), later, report))
    users = pl.concat(passes) if len(passes) > 1 else passes[0]
    for exclusion in report.exclusions:
        users = _exclude(frame, users, exclusion, start_ms, end_ms + report.window_ms, report)
    return users.drop(list(held))


def _follow(users: pl.DataFrame, later: list[pl.DataFrame], report: FunnelReport) -> pl.DataFrame:
    """Entries (`u`, `a`, `t`, `p`, holds, segments) with the later steps each reached."""
    holds = [name for name in users.columns if name.startswith("h")]
    span = report.window_ms
    users = users.rename({"t": "t0", "p": "p0"})
    state = users.select("u", "t0", pl.col("p0").alias("pp"), *holds)
    for k, candidates in enumerate(later, start=1):
        hits = _first(
            candidates.join(state, on=["u", *holds], how="inner").filter(
                (pl.col("p") > pl.col("pp")) & (pl.col("t") <= pl.col("t0") + span)
            )
        )
        users = users.join(
            hits.select("u", pl.col("t").alias(f"t{k}"), pl.col("p").alias(f"p{k}")),
            on="u",
            how="left",
            maintain_order="left",
        )
        if not report.any_order:
            state = hits.select("u", "t0", pl.col("p").alias("pp"), *holds)
    if report.any_order:
        users = _reached_in_any_order(users, len(report.steps))
    return users


def _reached_in_any_order(users: pl.DataFrame, count: int) -> pl.DataFrame:
    """Step k reached once steps 2..k all happened: its time the latest of theirs."""
    reached = {}
    for k in range(1, count):
        done = pl.all_horizontal([pl.col(f"t{j}").is_not_null() for j in range(1, k + 1)])
        latest = pl.max_horizontal([pl.col(f"t{j}") for j in range(1, k + 1)])
        reached[f"t{k}"] = pl.when(done).then(latest)
    return users.with_columns(**reached)


def _exclude(
    frame: pl.DataFrame,
    users: pl.DataFrame,
    exclusion: Exclusion,
    start_ms: int,
    end_ms: int,
    report: FunnelReport,
) -> pl.DataFrame:
    """`users` without the passes in which the excluded event happened between its two steps
    (`t_end`: when the pass's window closes)."""
    rows = select_rows(frame, [exclusion.event], start_ms, end_ms)
    events = pl.DataFrame({"u": rows.column("distinct_id"), "t": rows.column("time"),
                           "p": rows.column("_pos")})  # fmt: skip
    after, before = pl.col(f"p{exclusion.first}"), pl.col(f"p{exclusion.last}")
    inside = (
        after.is_not_null()
        & (pl.col("p") > after)
        & pl.when(before.is_not_null())
        .then(pl.col("p") < before)
        .otherwise(pl.col("t") <= pl.col("t_end"))
    )
    t_end = (pl.col("t0") + report.window_ms).alias("t_end")
    steps = users.select("u", "a", t_end, after, before)
    broken = events.join(steps, on="u", how="inner").filter(inside).select("u", "a").unique()
    return users.join(broken, on=["u", "a"], how="anti", maintain_order="left")


def _stats(count: int) -> list[pl.Expr]:
    """Per group: entries `c0`, `c<k>` reaching step k, and mean ms from the previous step
    (`d<k>`) and from the entry (`f<k>`)."""
    out = [pl.len().alias("c0")]
    for k in range(1, count):
        out += [
            pl.col(f"t{k}").count().alias(f"c{k}"),
            (pl.col(f"t{k}") - pl.col(f"t{k - 1}")).mean().alias(f"d{k}"),
            (pl.col(f"t{k}") - pl.col("t0")).mean().alias(f"f{k}"),
        ]
    return out


def _metrics(names: Sequence[str], stats: Mapping[str, Any] | None) -> dict[str, Any]:
    """Insights' metric-keyed funnel answer for one group's stats (zeros when None)."""
    listed = funnels._step_list(names, dict(stats or {f"c{k}": 0 for k in range(len(names))}))
    out: dict[str, Any] = {metric: {} for metric in METRICS}
    for k, step in enumerate(listed):
        key = f"{k + 1}. {names[k]}"
        for metric in METRICS:
            out[metric][key] = {"all": step[metric]}
    return out


def _node(root: dict[str, Any], path: Sequence[str], depth: int) -> dict[str, Any]:
    node = root
    for segment in path:
        node = node.setdefault(segment, {})
    return node.setdefault(OVERALL, {}) if len(path) < depth else node


def _tree(
    users: pl.DataFrame, report: FunnelReport, stamps: Sequence[str] | None
) -> dict[str, Any]:
    names = [step.event for step in report.steps]
    depth = len(report.groups)
    stats = _stats(len(names))
    root: dict[str, Any] = {}
    when = ["b"] if stamps is not None else []
    for level in range(depth + 1):
        by = [f"g{i}" for i in range(level)]
        if by:
            sizes = users.group_by(by).agg(pl.len().alias("n"))
            sizes = sizes.sort(["n", *by], descending=[True, *[False] * level])
            if report.limit is not None:
                sizes = sizes.head(report.limit)
            order = {tuple(r[:-1]): i for i, r in enumerate(sizes.iter_rows())}
            paths = list(order)
        else:
            paths = [()]
        grouped = users.group_by([*by, *when]).agg(stats) if by or when else None
        found: dict[tuple[Any, ...], dict[str, Any]] = {}
        if grouped is None:
            found[()] = users.select(stats).row(0, named=True)
        else:
            for row in grouped.iter_rows(named=True):
                found[tuple(row[name] for name in [*by, *when])] = row
        for path in paths:
            node = _node(root, [str(segment) for segment in path], depth)
            if stamps is None:
                node.update(_metrics(names, found.get(path)))
                continue
            for i, key in enumerate(stamps):
                node[key] = _metrics(names, found.get((*path, i)))
    return root


def run(
    frame: pl.DataFrame,
    report: FunnelReport,
    timezone: str | None = "UTC",
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The funnel report computed: Insights' `{computed_at, date_range, headers, series, meta}`.

    Raises:
        expressions.ExpressionError: a filter fails to evaluate.
        ValueError: too many buckets.
    """
    started = time.perf_counter()
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    zone = project_zone(timezone)
    buckets: Buckets = make_buckets(report.from_date, report.to_date, timezone, report.unit)
    users = journeys(frame, report, buckets.start_ms, buckets.end_ms, moment)
    users = users.with_columns(b=buckets.index(users["t0"]))
    stamps = None
    if report.by_date:
        stamps = [stamp(key, report.unit, zone) for key in buckets.keys]
    series = {report.name: _tree(users, report, stamps)}
    if report.compare is not None:
        series.update(insights.compared(frame, report, run, timezone, now))
    headers = ["$funnel", *map(user_keys.header, report.groups)]
    return insights_params.envelope(
        report.from_date, report.to_date, zone, moment, started, headers, series
    )
