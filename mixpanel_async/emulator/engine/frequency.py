"""Frequency, or addiction (`/retention/addiction`), over a project's deduplicated event frame.

For each day `d` of the window, Mixpanel's reference: "On 2012-01-02, 495 users did the event
during at least 1 hour out of the next 24 hour period (the period specified by `unit`); 204
users did the event during at least 2 hours." So each date covers the `unit` that starts at
its local midnight (a day, 7 days, or up to the same day of the next month), which may run past
`to_date`; a user's activity is the number of distinct local clock hours (or days) of it in
which they did the event; `counts[k]` is the number of users active in at least `k + 1` of
them, one entry per hour (or day) of the period.

With `on` (Mixpanel documents `on` and `limit` here without the answer's shape), `data` is keyed
by segment first, then by date, as `/retention` answers a segmented query: a segment is the
expression's value on each event, and a user's activity in it counts the slots in which they
did the event with that value. The top `limit` segments by users active are kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from mixpanel_async.emulator.engine.events import day_window_ms, project_zone
from mixpanel_async.emulator.engine.retention import add_months
from mixpanel_async.emulator.engine.rows import evaluate, keep_mask, parse_optional, select_rows

SLOT = {"hour": "1h", "day": "1d"}


def period_end(day: dt.date, unit: str) -> dt.date:
    """The first day after the `unit` that starts on `day`."""
    if unit == "day":
        return day + dt.timedelta(days=1)
    if unit == "week":
        return day + dt.timedelta(days=7)
    if unit == "month":
        return add_months(day, 1)
    raise ValueError(f"unit must be day, week or month, got {unit!r}")


def frequency(
    frame: pl.DataFrame,
    *,
    from_date: dt.date | str,
    to_date: dt.date | str,
    timezone: str | None = "UTC",
    unit: str = "day",
    addiction_unit: str = "hour",
    event: str | None = None,
    where: str | None = None,
    on: str | None = None,
    limit: int = 255,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """`/retention/addiction`: `{"data": {date: [users active in >= 1, 2, ... slots]}}`, or
    with `on` `{"data": {segment: {date: [...]}}}` for the top `limit` segments.

    Raises:
        ValueError: for a bad unit or addiction unit.
        expressions.ExpressionError: for a bad `where`.
    """
    if addiction_unit not in SLOT:
        raise ValueError(f"addiction_unit must be hour or day, got {addiction_unit!r}")
    first = dt.date.fromisoformat(str(from_date))
    last = dt.date.fromisoformat(str(to_date))
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    ends = [period_end(day, unit) for day in days]
    start_ms, _ = day_window_ms(first, first, timezone)
    _, end_ms = day_window_ms(ends[-1], ends[-1], timezone)
    rows = select_rows(frame, None if event is None else [event], start_ms, end_ms)
    zone = str(project_zone(timezone))
    local = (
        pl.from_epoch(rows.column("time"), time_unit="ms")
        .dt.replace_time_zone("UTC")
        .dt.convert_time_zone(zone)
        .dt.replace_time_zone(None)
    )
    moment = now or dt.datetime.now(dt.UTC)
    data = pl.DataFrame(
        {"u": rows.column("distinct_id"), "t": rows.column("time"), "slot": local}
    ).with_columns(pl.col("slot").dt.truncate(SLOT[addiction_unit]))
    node = parse_optional(on)
    if node is not None:
        data = data.with_columns(s=evaluate(rows, node, "label", moment))
    mask = keep_mask(rows, where, moment)
    if mask is not None:
        data = data.filter(mask)
    times = data["t"]
    by_segment: dict[str | None, dict[str, list[int]]] = {}
    for day, end in zip(days, ends, strict=True):
        begin_ms, _ = day_window_ms(day, day, timezone)
        _, stop_ms = day_window_ms(end - dt.timedelta(days=1), end - dt.timedelta(days=1), timezone)
        lo = int(times.search_sorted(begin_ms, side="left"))
        hi = int(times.search_sorted(stop_ms, side="left"))
        slots = (end - day).days * (24 if addiction_unit == "hour" else 1)
        keys = ["u"] if node is None else ["s", "u"]
        active = data.slice(lo, hi - lo).group_by(keys).agg(pl.col("slot").n_unique().alias("n"))
        if node is None:
            active = active.with_columns(s=pl.lit(None, dtype=pl.String))
        found = active.group_by("s", "n").len()
        histograms: dict[str | None, dict[int, int]] = {}
        for segment, n, users in found.iter_rows():
            histograms.setdefault(segment, {})[n] = users
        for segment in set(by_segment) | set(histograms) | ({None} if node is None else set()):
            series = by_segment.setdefault(segment, {})
            series[day.isoformat()] = _at_least(histograms.get(segment, {}), slots)
    if node is None:
        return {"data": by_segment[None]}
    for series in by_segment.values():  # a segment first seen later still has every date
        for day, end in zip(days, ends, strict=True):
            slots = (end - day).days * (24 if addiction_unit == "hour" else 1)
            series.setdefault(day.isoformat(), [0] * slots)
    totals = {s: sum(c[0] for c in v.values() if c) for s, v in by_segment.items()}
    top = sorted(totals, key=lambda s: (-totals[s], str(s)))[:limit]
    return {"data": {str(s): dict(sorted(by_segment[s].items())) for s in top}}


def _at_least(histogram: dict[int, int], slots: int) -> list[int]:
    """`counts[k]`: users active in at least `k + 1` of the period's `slots` slots."""
    counts, running = [0] * slots, 0
    for k in range(max(histogram, default=0), 0, -1):
        running += histogram.get(k, 0)
        if k <= slots:
            counts[k - 1] = running
    return counts
