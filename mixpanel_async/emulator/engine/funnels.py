"""Classic funnels (`/funnels`) over a project's deduplicated event frame.

Mixpanel's unique counting: a user enters once, at their first step-1 event in the window, and
the conversion window starts there (a later step-1 event does not restart it). Each further
step is the first occurrence of its event after the previous step (loose order: other events
may come between), no later than `length` after entering; events after `to_date` count, so a
late entry can still convert. Rows are ordered by time, then by arrival, so a step at the same
second as the previous one counts when it arrived later. `where` filters the events of every
step and `step_where` (saved reports' per-step filters) those of one step; `on` segments users
by its value on the entering event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import polars as pl

from mixpanel_async.emulator.engine import expressions
from mixpanel_async.emulator.engine.rows import (
    Expression,
    Rows,
    evaluate,
    make_buckets,
    parse_optional,
    select_rows,
)

UNIT_MS = {"second": 1000, "minute": 60_000, "hour": 3_600_000, "day": 86_400_000}
OVERALL = "$overall"
MAX_LENGTH_MS = 90 * UNIT_MS["day"]
"""Mixpanel: the conversion window "may not be greater than 90 days"."""


def window_ms(length: int, length_unit: str) -> int:
    """The conversion window in milliseconds.

    Raises:
        ValueError: for an unknown unit, a window that is not positive or one over 90 days.
    """
    if length_unit not in UNIT_MS:
        raise ValueError(f"length_unit must be one of {', '.join(UNIT_MS)}")
    span = length * UNIT_MS[length_unit]
    if span <= 0 or span > MAX_LENGTH_MS:
        raise ValueError("the conversion window must be positive and at most 90 days")
    return span


def _candidates(rows: Rows, keep: pl.Series | None) -> pl.DataFrame:
    data = pl.DataFrame(
        {"u": rows.column("distinct_id"), "t": rows.column("time"), "p": rows.column("_pos")}
    )
    return data if keep is None else data.filter(keep)


def _journeys(
    frame: pl.DataFrame,
    steps: Sequence[str],
    start_ms: int,
    end_ms: int,
    span_ms: int,
    where: Expression | None,
    on: Expression | None,
    now: dt.datetime,
    step_where: Sequence[expressions.Node | None] = (),
) -> pl.DataFrame:
    """One row per entering user: `u`, `s` (segment), `t0` and `t1`.. (null once they stop)."""
    where_node, on_node = parse_optional(where), parse_optional(on)
    filters = [where_node] * len(steps)
    for k, extra in enumerate(step_where):
        if extra is not None:
            filters[k] = (
                extra if where_node is None else expressions.Binary("and", where_node, extra)
            )

    def keep(rows: Rows, k: int) -> pl.Series | None:
        node = filters[k]
        return None if node is None else evaluate(rows, node, "truth", now)

    rows = select_rows(frame, [steps[0]], start_ms, end_ms)
    entries = pl.DataFrame(
        {"u": rows.column("distinct_id"), "t": rows.column("time"), "p": rows.column("_pos")}
    ).with_columns(s=evaluate(rows, on_node, "label", now) if on_node is not None else pl.lit(""))
    mask = keep(rows, 0)
    if mask is not None:
        entries = entries.filter(mask)
    # Rows are in position order, so the first row of each user is their entry.
    entries = entries.unique(subset="u", keep="first", maintain_order=True)
    users = entries.select("u", "s", pl.col("t").alias("t0"))
    state = entries.select("u", pl.col("t").alias("t0"), pl.col("p").alias("pp"))
    for k in range(1, len(steps)):
        later = select_rows(frame, [steps[k]], start_ms, end_ms + span_ms)
        hits = (
            _candidates(later, keep(later, k))
            .join(state, on="u", how="inner")
            .filter((pl.col("p") > pl.col("pp")) & (pl.col("t") <= pl.col("t0") + span_ms))
            .sort("p")
            .unique(subset="u", keep="first", maintain_order=True)
        )
        users = users.join(
            hits.select("u", pl.col("t").alias(f"t{k}")), on="u", how="left", maintain_order="left"
        )
        state = hits.select("u", "t0", pl.col("p").alias("pp"))
    return users


def _step_list(steps: Sequence[str], stats: dict[str, Any]) -> list[dict[str, Any]]:
    """Mixpanel's step objects from one group's counts (`c<k>`) and mean durations in ms
    (`d<k>` from the previous step, `f<k>` from the first)."""
    out: list[dict[str, Any]] = []
    first = int(stats["c0"])
    previous = first
    for k, name in enumerate(steps):
        count = int(stats[f"c{k}"])
        step_ratio = count / previous if previous else 0.0  # the first step: 1, or 0 if empty
        timed = k > 0 and count > 0
        out.append(
            {
                "count": count,
                "avg_time": round(stats[f"d{k}"] / 1000) if timed else None,
                "avg_time_from_start": round(stats[f"f{k}"] / 1000) if timed else None,
                "step_conv_ratio": step_ratio,
                "overall_conv_ratio": count / first if first else 0.0,
                "goal": name,
                "event": name,
            }
        )
        previous = count
    return out


def _analysis(step_list: list[dict[str, Any]]) -> dict[str, int]:
    ratios = [s["step_conv_ratio"] for s in step_list]
    worst = min(range(1, len(ratios)), key=lambda k: ratios[k]) if len(ratios) > 1 else 0
    return {
        "completion": step_list[-1]["count"],
        "starting_amount": step_list[0]["count"],
        "steps": len(step_list),
        "worst": worst,
    }


def funnel(
    frame: pl.DataFrame,
    *,
    steps: Sequence[str],
    from_date: dt.date | str,
    to_date: dt.date | str,
    timezone: str | None = "UTC",
    length: int = 30,
    length_unit: str = "day",
    unit: str | None = None,
    interval: int | None = None,
    on: Expression | None = None,
    where: Expression | None = None,
    step_where: Sequence[expressions.Node | None] = (),
    limit: int = 255,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """`/funnels`: `{"meta": {"dates"}, "data": {date: {"steps", "analysis"}}}`, or with `on`
    `{date: {"$overall": [steps], segment: [steps]}}` for the top `limit` segments by entries.

    Raises:
        ValueError: for an empty funnel, a bad window or too many buckets.
        expressions.ExpressionError: for a bad `on` or `where`.
    """
    if not steps:
        raise ValueError("the funnel has no steps")
    moment = now or dt.datetime.now(dt.UTC)
    span = window_ms(length, length_unit)
    buckets = make_buckets(from_date, to_date, timezone, unit or "day", interval)
    users = _journeys(
        frame, steps, buckets.start_ms, buckets.end_ms, span, where, on, moment, step_where
    )
    users = users.with_columns(b=buckets.index(users["t0"]))
    stats = [pl.len().alias("c0")]
    for k in range(1, len(steps)):
        stats += [
            pl.col(f"t{k}").count().alias(f"c{k}"),
            (pl.col(f"t{k}") - pl.col(f"t{k - 1}")).mean().alias(f"d{k}"),
            (pl.col(f"t{k}") - pl.col("t0")).mean().alias(f"f{k}"),
        ]
    empty = {"c0": 0, **{f"c{k}": 0 for k in range(1, len(steps))}}
    overall = {r["b"]: r for r in users.group_by("b").agg(stats).iter_rows(named=True)}
    data: dict[str, Any] = {}
    if on is None:
        for i, key in enumerate(buckets.keys):
            listed = _step_list(steps, overall.get(i, empty))
            data[key] = {"steps": listed, "analysis": _analysis(listed)}
        return {"meta": {"dates": list(buckets.keys)}, "data": data}
    ranked = users.group_by("s").len().sort(["len", "s"], descending=[True, False])["s"].to_list()
    top = ranked[:limit]
    grouped = users.filter(pl.col("s").is_in(pl.Series(top, dtype=pl.String).implode()))
    by_segment = {
        (r["b"], r["s"]): r for r in grouped.group_by("b", "s").agg(stats).iter_rows(named=True)
    }
    for i, key in enumerate(buckets.keys):
        day: dict[str, Any] = {OVERALL: _step_list(steps, overall.get(i, empty))}
        for segment in top:
            day[segment] = _step_list(steps, by_segment.get((i, segment), empty))
        data[key] = day
    return {"meta": {"dates": list(buckets.keys)}, "data": data}
