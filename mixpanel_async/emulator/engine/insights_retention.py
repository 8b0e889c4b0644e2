"""Retention metrics inside an Insights report (`POST /insights` with a `show` entry whose
`behavior.type` is `retention`, as the peer library's `query_retention` sends): parsed into a
`RetentionReport` and computed over a project's deduplicated event frame.

What is computed, and the emulator's readings where Mixpanel does not document its behaviour:

* Birth: a user's first born event ever (passing the report's, the metric's and the born
  step's filters); they belong to the cohort of its bucket (`sections.time` `unit`: day, week
  keyed by Monday, month) when it lies in the date range.
* Returns: the return event (passing the report's, the metric's and its own filters), the
  birth event itself excluded, at or after the birth. `retentionUnit` (day, week, month) sets
  the intervals: with `retentionAlignmentType` `birth` interval i is the i-th 24-hour day
  (7-day week, calendar month) after the birth moment, as the classic engine counts; with
  `interval_start` it is the i-th calendar day (Monday week, month) after the birth's, in the
  project timezone.
* Intervals 0..N where N spans the date range in retention units (at least 1); a cohort lists
  only the intervals that have begun by now. `retentionCustomBucketSizes` [s1 < s2 < ...]
  groups them into brackets [0, s1), [s1, s2), ... (a guess at Mixpanel's custom brackets):
  a user counts in a bracket when they returned in any interval of it.
* `counts[i]`: users of the cohort who returned in interval (bracket) i; `rates[i]` = counts /
  `first`. `$average`: `first` the sum of the cohort sizes, each count the sum over the cohorts
  where that interval has begun, each rate that sum over their sizes.
* A breakdown (`sections.group`, one event or people property, cohort or frequency; see
  `engine.people`): a user's segment is their birth event's value; `$overall` beside the
  segments, at most `limit` segments (largest cohorts first). Filters may read people
  properties, cohorts and frequencies too.

The answer is Insights' envelope with `series = {"<born> and then <return>": cohorts}` where
`cohorts` is `{<bucket ISO timestamp>: {first, counts, rates}, "$average": {...}}` or, broken
down, `{"$overall": cohorts, segment: cohorts, ...}`. Other maths (`total`, `average`),
unbounded or cumulative counting and time comparison are a ValueError naming them, which the
route answers with a 400.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import polars as pl

from mixpanel_async.emulator.engine import filters, insights_params, user_keys
from mixpanel_async.emulator.engine.events import project_zone
from mixpanel_async.emulator.engine.expressions import Node, Property
from mixpanel_async.emulator.engine.params import DAYS_PER_UNIT, listing, mapping
from mixpanel_async.emulator.engine.retention import add_months
from mixpanel_async.emulator.engine.rows import evaluate, make_buckets, select_rows, stamp

UNSUPPORTED = filters.UNSUPPORTED
OVERALL = "$overall"
AVERAGE = "$average"
DAY_MS = 86_400_000
_EARLIEST = -(2**62)


@attrs.frozen
class RetentionReport:
    """A parsed retention metric and the report around it."""

    born: str
    born_where: Node | None
    returning: str
    where: Node | None
    unit: str
    """The retention interval: day, week or month."""
    aligned: bool
    """`interval_start`: intervals are calendar units rather than elapsed time."""
    brackets: tuple[int, ...]
    groups: tuple[str, ...]
    from_date: dt.date
    to_date: dt.date
    cohort_unit: str
    limit: int | None = None

    @property
    def intervals(self) -> int:
        """The last interval index (intervals run from 0 to this)."""
        span = (self.to_date - self.from_date).days + 1
        return max(1, math.ceil(span / DAYS_PER_UNIT[self.unit]))


def _event(item: Any, index: int, shared: Node | None) -> tuple[str, Node | None]:
    item = mapping(item, f"behaviors[{index}]")
    if item.get("type", "event") != "event":
        raise ValueError(UNSUPPORTED.format(what=f"a {item.get('type')!r} retention event"))
    name = item.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError(f"retention event {index + 1} names no event")
    own = filters.combine(item.get("filters"), item.get("filtersDeterminer", "all"))
    return name, filters.both(shared, own)


def _brackets(value: Any) -> tuple[int, ...]:
    sizes = listing(value, "retentionCustomBucketSizes")
    if not all(type(size) is int and size > 0 for size in sizes):
        raise ValueError("retentionCustomBucketSizes must be positive integers")
    if any(a >= b for a, b in itertools.pairwise(sizes)):
        raise ValueError("retentionCustomBucketSizes must be in ascending order")
    return tuple(sizes)


def parse(params: Any, today: dt.date, limit: int | None = None) -> RetentionReport:
    """A retention bookmark's params as a `RetentionReport`.

    Raises:
        ValueError: malformed params or a feature the emulator does not compute.
    """
    metric = insights_params.behavior_metric(params, "retention")
    sections, behavior, measurement = metric.sections, metric.behavior, metric.measurement
    math_name = measurement.get("math", "retention_rate")
    if math_name not in ("retention_rate", "unique"):
        raise ValueError(UNSUPPORTED.format(what=f"the retention math {math_name!r}"))
    if measurement.get("retentionCumulative"):
        raise ValueError(UNSUPPORTED.format(what="cumulative retention"))
    unbounded = behavior.get("retentionUnboundedMode")
    if unbounded not in (None, "none"):
        raise ValueError(UNSUPPORTED.format(what=f"the unbounded mode {unbounded!r}"))
    unit = behavior.get("retentionUnit") or "week"
    if not isinstance(unit, str) or unit not in DAYS_PER_UNIT:
        raise ValueError(UNSUPPORTED.format(what=f"the retention unit {unit!r}"))
    alignment = behavior.get("retentionAlignmentType", "birth")
    if alignment not in ("birth", "interval_start"):
        raise ValueError(UNSUPPORTED.format(what=f"the retention alignment {alignment!r}"))
    groups = tuple(
        insights_params.group_property(g) for g in listing(sections.get("group"), "group")
    )
    shared = filters.both(metric.where, user_keys.segment_filter(groups))
    items = listing(behavior.get("behaviors"), "the retention metric's behaviors")
    if len(items) != 2:
        raise ValueError("a retention metric needs a born and a return event")
    born, born_where = _event(items[0], 0, shared)
    returning, where = _event(items[1], 1, shared)
    first, last, cohort_unit = insights_params.date_range(sections.get("time"), today)
    if cohort_unit == "hour":
        raise ValueError(UNSUPPORTED.format(what="hourly retention cohorts"))
    if len(groups) > 1:
        raise ValueError(UNSUPPORTED.format(what="more than one breakdown of a retention metric"))
    return RetentionReport(
        born=born,
        born_where=born_where,
        returning=returning,
        where=where,
        unit=unit,
        aligned=alignment == "interval_start",
        brackets=_brackets(behavior.get("retentionCustomBucketSizes")),
        groups=groups,
        from_date=first,
        to_date=last,
        cohort_unit=cohort_unit,
        limit=limit,
    )


# --- computing ---------------------------------------------------------------------------------


def _local(expr: pl.Expr, zone: str) -> pl.Expr:
    """Epoch milliseconds as naive local datetimes of `zone`."""
    utc = pl.from_epoch(expr, time_unit="ms").dt.replace_time_zone("UTC")
    return utc.dt.convert_time_zone(zone).dt.replace_time_zone(None)


def _elapsed(report: RetentionReport, zone: str) -> pl.Expr:
    """Whole retention units from the birth (`tb`) to the return (`t`)."""
    born, back = _local(pl.col("tb"), zone), _local(pl.col("t"), zone)
    if report.aligned:
        if report.unit == "month":
            return (back.dt.year() - born.dt.year()) * 12 + back.dt.month() - born.dt.month()
        days = (back.dt.date() - born.dt.date()).dt.total_days()
        if report.unit == "day":
            return days
        monday = born.dt.date() - pl.duration(days=born.dt.weekday() - 1)
        return (back.dt.date() - monday).dt.total_days() // 7
    if report.unit == "month":
        months = (back.dt.year() - born.dt.year()) * 12 + back.dt.month() - born.dt.month()
        shifted = born.dt.offset_by(pl.format("{}mo", months))
        return pl.when(shifted > back).then(months - 1).otherwise(months)
    return (pl.col("t") - pl.col("tb")) // (DAY_MS * DAYS_PER_UNIT[report.unit])


def pairs(
    frame: pl.DataFrame, report: RetentionReport, timezone: str | None, now: dt.datetime
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(`born`: one row per cohort member `u`, `b` (cohort index), `g0`..; `back`: one row per
    member and interval `i` they returned in)."""
    zone = str(project_zone(timezone))
    buckets = make_buckets(report.from_date, report.to_date, timezone, report.cohort_unit)
    rows = select_rows(frame, [report.born], _EARLIEST, buckets.end_ms)
    columns = {"u": rows.column("distinct_id"), "tb": rows.column("time"),
               "pb": rows.column("_pos")}  # fmt: skip
    for i, name in enumerate(report.groups):
        columns[f"g{i}"] = evaluate(rows, Property(name), "label", now)
    born = pl.DataFrame(columns)
    if report.born_where is not None:
        born = born.filter(evaluate(rows, report.born_where, "truth", now))
    born = born.unique(subset="u", keep="first", maintain_order=True)
    born = born.filter(pl.col("tb") >= buckets.start_ms)
    born = born.with_columns(b=buckets.index(born["tb"]))
    later = select_rows(frame, [report.returning], buckets.start_ms, 2**62)
    back = pl.DataFrame({"u": later.column("distinct_id"), "t": later.column("time"),
                         "p": later.column("_pos")})  # fmt: skip
    if report.where is not None:
        back = back.filter(evaluate(later, report.where, "truth", now))
    back = (
        back.join(born.select("u", "tb", "pb"), on="u", how="inner")
        .filter((pl.col("t") >= pl.col("tb")) & (pl.col("p") != pl.col("pb")))
        .with_columns(i=_elapsed(report, zone).cast(pl.Int64))
    )
    if not report.brackets:
        return born, back.filter(pl.col("i") <= report.intervals).select("u", "i").unique()
    edges = pl.Series([0, *report.brackets], dtype=pl.Int64)
    back = back.filter(pl.col("i") < report.brackets[-1]).select("u", "i")
    bracket = edges.search_sorted(back["i"], side="right").cast(pl.Int64) - 1
    return born, back.with_columns(i=bracket).unique()


def _begun(report: RetentionReport, cohort: str, zone: dt.tzinfo, now: dt.datetime) -> int:
    """How many intervals (brackets) of the cohort starting `cohort` have begun by `now`."""
    start = max(dt.date.fromisoformat(cohort), report.from_date)
    starts = [0, *report.brackets[:-1]] if report.brackets else range(report.intervals + 1)
    count = 0
    for offset in starts:
        if report.unit == "month":
            day = add_months(start, offset)
        else:
            day = start + dt.timedelta(days=offset * DAYS_PER_UNIT[report.unit])
        if dt.datetime.combine(day, dt.time(), zone) > now:
            break
        count += 1
    return count


def _cohorts(
    sizes: Mapping[int, int],
    cells: Mapping[tuple[int, int], int],
    stamps: Sequence[str],
    lengths: Sequence[int],
) -> dict[str, Any]:
    """`{stamp: {first, counts, rates}, "$average": {...}}` of one segment's cohorts."""
    out: dict[str, Any] = {}
    totals: list[int] = []
    bases: list[int] = []
    for b, label in enumerate(stamps):
        first = int(sizes.get(b, 0))
        counts = [int(cells.get((b, i), 0)) for i in range(lengths[b])]
        rates = [n / first if first else 0.0 for n in counts]
        out[label] = {"first": first, "counts": counts, "rates": rates}
        for i, n in enumerate(counts):
            if i == len(totals):
                totals.append(0)
                bases.append(0)
            totals[i] += n
            bases[i] += first
    everyone = sum(int(n) for n in sizes.values())
    out[AVERAGE] = {
        "first": everyone,
        "counts": totals,
        "rates": [n / base if base else 0.0 for n, base in zip(totals, bases, strict=True)],
    }
    return out


def run(
    frame: pl.DataFrame,
    report: RetentionReport,
    timezone: str | None = "UTC",
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The retention report computed: Insights' `{computed_at, date_range, headers, series,
    meta}`.

    Raises:
        expressions.ExpressionError: a filter fails to evaluate.
    """
    started = time.perf_counter()
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    zone = project_zone(timezone)
    buckets = make_buckets(report.from_date, report.to_date, timezone, report.cohort_unit)
    stamps = [stamp(key, report.cohort_unit, zone) for key in buckets.keys]
    lengths = [_begun(report, key, zone, moment) for key in buckets.keys]
    born, back = pairs(frame, report, timezone, moment)
    back = back.join(born.drop("tb", "pb"), on="u", how="inner")

    def cohorts(members: pl.DataFrame, returns: pl.DataFrame) -> dict[str, Any]:
        sizes = dict(members.group_by("b").len().iter_rows())
        grouped = returns.group_by("b", "i").agg(pl.col("u").n_unique())
        cells = {(b, i): n for b, i, n in grouped.iter_rows()}
        return _cohorts(sizes, cells, stamps, lengths)

    if not report.groups:
        tree = cohorts(born, back)
    else:
        tree = {OVERALL: cohorts(born, back)}
        ranked = born.group_by("g0").len().sort(["len", "g0"], descending=[True, False])
        if report.limit is not None:
            ranked = ranked.head(report.limit)
        for segment in ranked["g0"].to_list():
            match = pl.col("g0") == segment
            tree[segment] = cohorts(born.filter(match), back.filter(match))
    series = {f"{report.born} and then {report.returning}": tree}
    headers = ["$retention", *map(user_keys.header, report.groups)]
    return insights_params.envelope(
        report.from_date, report.to_date, zone, moment, started, headers, series
    )
