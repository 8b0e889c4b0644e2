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
  day; a week is 7 days, a month 30), at most 90 days; or one `session` (see
  `engine.sessions`): every later step must lie in the session of the entering event.
* Session counting (`conversion_rate_session`, which needs the session window): each session
  enters once, at its first step-1 event in the date range, and the counts are sessions.
  Exclusions and total counting do not combine with a session window (refused).
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
guess), which both clients pass over when they read the steps. Anything else (other maths,
re-entry modes, several sessions as a window) is a ValueError naming it, which the route
answers with a 400.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from mixpanel_async.emulator.engine import funnels, insights, insights_params, sessions, user_keys
from mixpanel_async.emulator.engine.events import project_zone
from mixpanel_async.emulator.engine.expressions import Property, referenced_properties
from mixpanel_async.emulator.engine.insights_funnel_params import (
    Exclusion,
    FunnelReport,
    Step,
)
from mixpanel_async.emulator.engine.insights_funnel_params import parse as parse  # re-exported
from mixpanel_async.emulator.engine.rows import (
    Buckets,
    evaluate,
    make_buckets,
    prefetch,
    select_rows,
    stamp,
)

OVERALL = "$overall"
METRICS = ("count", "step_conv_ratio", "overall_conv_ratio", "avg_time", "avg_time_from_start")

# --- computing ---------------------------------------------------------------------------------


def _candidates(
    frame: pl.DataFrame,
    step: Step,
    start_ms: int,
    end_ms: int,
    labels: Mapping[str, str],
    now: dt.datetime,
    report: FunnelReport,
) -> pl.DataFrame:
    """A step's events in the window as `u`, `t`, `p` and a column per `labels` entry (column
    name → the property whose value labels it). In a session window `h_s` holds each event's
    session (held constant like a property); counting sessions, `u` names the user's session."""
    rows = select_rows(frame, [step.event], start_ms, end_ms)
    where = referenced_properties(step.where) if step.where is not None else set()
    prefetch(rows, {*labels.values(), *where})
    columns = {"u": rows.column("distinct_id"), "t": rows.column("time"), "p": rows.column("_pos")}
    for column, name in labels.items():
        columns[column] = evaluate(rows, Property(name), "label", now)
    if report.in_session:
        columns["h_s"] = sessions.ids(frame).gather(columns["p"])
        if report.per_session:
            columns["u"] = columns["u"] + "\x00" + columns["h_s"].cast(pl.String)
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
    entries = _candidates(frame, report.steps[0], start_ms, end_ms, held | segments, now, report)
    later = [
        _candidates(frame, step, start_ms, end_ms + report.window_ms, held, now, report)
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
    return users.drop(list(held)).drop("h_s", strict=False)


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
