"""Classic retention (`/retention`) over a project's deduplicated event frame.

`birth` ("first time"): a user's birth is their first `born_event` ever (matching
`born_where`); they belong to the cohort of its date bucket when that lies in the window.
`compounded` ("recurring"): each bucket's cohort is the users who did the return event in it,
each born at their first such event there (a user may be in many cohorts).

`counts[i]` is how many of a cohort did the return event (`event`, every event when omitted,
matching `where`; the birth event itself excluded) in interval `i` after their own birth time.
An interval is `interval` `unit`s: fixed 24-hour days and 7-day weeks, as Mixpanel documents
("each user gets 24 hours in each interval"), or calendar months. There are
`interval_count + 1` intervals, the 0th included, cut where an interval would start after
`now`. `unbounded` counts a user in every interval up to their last return.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import polars as pl

from mixpanel_async.emulator.engine.events import project_zone
from mixpanel_async.emulator.engine.rows import (
    Expression,
    evaluate,
    keep_mask,
    make_buckets,
    parse_optional,
    select_rows,
)

DAY_MS = 86_400_000
UNIT_MS = {"day": DAY_MS, "week": 7 * DAY_MS}
_EARLIEST = -(2**62)


def _local(expr: pl.Expr, zone: str) -> pl.Expr:
    """Epoch milliseconds as naive local datetimes of `zone`."""
    utc = pl.from_epoch(expr, time_unit="ms").dt.replace_time_zone("UTC")
    return utc.dt.convert_time_zone(zone).dt.replace_time_zone(None)


def _months_between(born: pl.Expr, later: pl.Expr) -> pl.Expr:
    """Whole calendar months from `born` to `later` (naive datetimes, `later >= born`)."""
    months = (later.dt.year() - born.dt.year()) * 12 + later.dt.month() - born.dt.month()
    shifted = born.dt.offset_by(pl.format("{}mo", months))
    return pl.when(shifted > later).then(months - 1).otherwise(months)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, clamped to the end of a shorter month."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    first_next = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return dt.date(year, month + 1, min(day.day, (first_next - dt.timedelta(days=1)).day))


def retention(
    frame: pl.DataFrame,
    *,
    from_date: dt.date | str,
    to_date: dt.date | str,
    timezone: str | None = "UTC",
    retention_type: str = "birth",
    born_event: str | None = None,
    event: str | None = None,
    born_where: Expression | None = None,
    where: Expression | None = None,
    interval: int = 1,
    interval_count: int = 1,
    unit: str = "day",
    unbounded: bool = False,
    on: Expression | None = None,
    limit: int = 255,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """`/retention`: `{date: {"first": n, "counts": [...]}}`, or with `on`
    `{segment: {date: {...}}}` (segments by the return event's value, top `limit` by returns).

    Raises:
        ValueError: for `birth` without `born_event`, or a bad unit/interval.
        expressions.ExpressionError: for a bad expression.
    """
    if retention_type == "birth" and not born_event:
        raise ValueError("born_event is required when retention_type is birth")
    if unit not in ("day", "week", "month") or interval < 1 or interval_count < 0:
        raise ValueError("unit must be day, week or month, with interval >= 1")
    moment = now or dt.datetime.now(dt.UTC)
    zone = str(project_zone(timezone))
    first_day = dt.date.fromisoformat(str(from_date))
    buckets = make_buckets(from_date, to_date, timezone, unit)
    returning = None if event is None else [event]

    if retention_type == "birth":
        assert born_event is not None
        rows = select_rows(frame, [born_event], _EARLIEST, buckets.end_ms)
        born = pl.DataFrame(
            {"u": rows.column("distinct_id"), "tb": rows.column("time"), "pb": rows.column("_pos")}
        )
        mask = keep_mask(rows, born_where, moment)
        born = born.filter(mask) if mask is not None else born
        born = born.unique(subset="u", keep="first", maintain_order=True)
        born = born.filter(pl.col("tb") >= buckets.start_ms)
    else:
        rows = select_rows(frame, returning, buckets.start_ms, buckets.end_ms)
        born = pl.DataFrame(
            {"u": rows.column("distinct_id"), "tb": rows.column("time"), "pb": rows.column("_pos")}
        )
        mask = keep_mask(rows, where, moment)
        born = born.filter(mask) if mask is not None else born
    born = born.with_columns(b=buckets.index(born["tb"]))
    born = born.unique(subset=["u", "b"], keep="first", maintain_order=True)

    step_ms = UNIT_MS.get(unit, 31 * DAY_MS) * interval
    later = select_rows(
        frame, returning, buckets.start_ms, buckets.end_ms + (interval_count + 1) * step_ms
    )
    back = pl.DataFrame(
        {"u": later.column("distinct_id"), "t": later.column("time"), "p": later.column("_pos")}
    )
    on_node = parse_optional(on)
    if on_node is not None:
        back = back.with_columns(s=evaluate(later, on_node, "label", moment))
    mask = keep_mask(later, where, moment)
    back = back.filter(mask) if mask is not None else back
    pairs = back.join(born, on="u", how="inner").filter(
        (pl.col("t") >= pl.col("tb")) & (pl.col("p") != pl.col("pb"))
    )
    if unit == "month":
        elapsed = _months_between(_local(pl.col("tb"), zone), _local(pl.col("t"), zone))
        pairs = pairs.with_columns(i=elapsed // interval)
    else:
        pairs = pairs.with_columns(i=(pl.col("t") - pl.col("tb")) // step_ms)
    pairs = pairs.filter(pl.col("i") <= interval_count)

    sizes = dict(born.group_by("b").len().iter_rows())
    segments = ["s"] if on_node is not None else []
    if unbounded:  # count each user once, at their last interval; summed from the right below
        pairs = pairs.group_by(["u", "b", *segments]).agg(pl.col("i").max())
    grouped = pairs.group_by(["b", *segments, "i"]).agg(pl.col("u").n_unique())
    cells: dict[tuple[Any, ...], int] = {tuple(r[:-1]): int(r[-1]) for r in grouped.iter_rows()}
    tz = project_zone(timezone)

    def started(index: int) -> int:
        """How many intervals of cohort `index` have begun by `now`."""
        start = max(dt.date.fromisoformat(buckets.keys[index]), first_day)
        for i in range(interval_count + 1):
            if unit == "month":
                day = add_months(start, i * interval)
                begins = dt.datetime.combine(day, dt.time(), tzinfo=tz)
            else:
                begins = dt.datetime.combine(start, dt.time(), tzinfo=tz)
                begins += dt.timedelta(milliseconds=i * step_ms)
            if begins > moment:
                return i
        return interval_count + 1

    def cohort(index: int, segment: tuple[str, ...]) -> dict[str, Any]:
        counts = [cells.get((index, *segment, i), 0) for i in range(interval_count + 1)]
        if unbounded:
            counts = list(itertools.accumulate(reversed(counts)))[::-1]
        return {"first": int(sizes.get(index, 0)), "counts": counts[: started(index)]}

    if on_node is None:
        return {key: cohort(i, ()) for i, key in enumerate(buckets.keys)}
    totals: dict[str, int] = {}
    for (_, segment, _), n in cells.items():
        totals[segment] = totals.get(segment, 0) + n
    top = sorted(totals, key=lambda s: (-totals[s], s))[:limit]
    return {s: {key: cohort(i, (s,)) for i, key in enumerate(buckets.keys)} for s in top}
