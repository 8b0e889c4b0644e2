"""Hand-written result types (attrs, frozen) with the seed's field names and a cached `.df`.

Query results keep the seed's (`mixpanel_headless.types`) fields and `to_dict()`; their `.df` is
a tidy Polars frame (one row per date and segment, dates typed), computed once and cached.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from mixpanel_async._generated.models.query import CountType as CountType
from mixpanel_async._generated.models.query import HourDayUnit as HourDayUnit
from mixpanel_async._generated.models.query import RetentionUnit as RetentionUnit
from mixpanel_async._generated.models.query import TimeUnit as TimeUnit
from mixpanel_async._operation import LazyModule
from mixpanel_async.results._common import Result, as_dict

if TYPE_CHECKING:
    import polars as pl
else:
    pl = LazyModule("polars")

SubPropertyType = Literal["string", "number", "boolean", "datetime"]


def _date_dtype(keys: Iterable[str]) -> pl.DataType:
    """`Date` for day-or-coarser keys (`2024-01-01`), `Datetime("us")` for finer ones."""
    return pl.Date() if all(len(k) <= 10 for k in keys) else pl.Datetime("us")


def _dates(keys: Sequence[str]) -> pl.Series:
    dtype = _date_dtype(keys)
    text = pl.Series("date", list(keys), dtype=pl.String)
    if dtype == pl.Date:
        return text.str.to_date("%Y-%m-%d", strict=False)
    return text.str.to_datetime(time_unit="us", strict=False)


def _long(
    series: Mapping[str, Mapping[str, float]], name: str, value: str, dtype: pl.DataType
) -> pl.DataFrame:
    """`{segment: {date: value}}` as rows `date, <name>, <value>`, sorted by date, name."""
    dates: list[str] = []
    names: list[str] = []
    values: list[float] = []
    for segment, by_date in series.items():
        for day, number in by_date.items():
            dates.append(day)
            names.append(segment)
            values.append(number)
    frame = pl.DataFrame(
        {
            "date": _dates(dates),
            name: pl.Series(names, dtype=pl.String),
            value: pl.Series(values, dtype=pl.Float64).cast(dtype, strict=False),
        }
    )
    return frame.sort("date", name)


def _per_date(results: Mapping[str, float], value: str) -> pl.DataFrame:
    keys = list(results)
    frame = pl.DataFrame(
        {"date": _dates(keys), value: pl.Series([results[k] for k in keys], dtype=pl.Float64)}
    )
    return frame.sort("date")


def series_of(values: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """Mixpanel's `data.values` (`{segment: {date: number}}`) with dates in order."""
    return {
        str(segment): {day: float(n) for day, n in sorted(by_date.items())}
        for segment, by_date in values.items()
    }


# --- query results -------------------------------------------------------------------------


@attrs.frozen
class SegmentationResult(Result):
    """Events over time, optionally segmented by a property (`on`)."""

    event: str
    from_date: str
    to_date: str
    unit: str
    segment_property: str | None
    total: float
    series: dict[str, dict[str, float]] = attrs.field(factory=dict)

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """Columns `date`, `segment`, `count`."""
        return _long(self.series, "segment", "count", pl.Int64())


@attrs.frozen
class NumericBucketResult(Result):
    """Counts per automatically chosen numeric bucket of a property, over time."""

    event: str
    from_date: str
    to_date: str
    property_expr: str
    unit: str
    series: dict[str, dict[str, float]] = attrs.field(factory=dict)

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """Columns `date`, `bucket`, `count`."""
        return _long(self.series, "bucket", "count", pl.Int64())


@attrs.frozen
class NumericSumResult(Result):
    """The sum of a numeric property per period."""

    event: str
    from_date: str
    to_date: str
    property_expr: str
    unit: str
    results: dict[str, float] = attrs.field(factory=dict)
    computed_at: str | None = None

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """Columns `date`, `sum`."""
        return _per_date(self.results, "sum")

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data (`computed_at` only when Mixpanel sent it)."""
        out = as_dict(self)
        if self.computed_at is None:
            del out["computed_at"]
        return out


@attrs.frozen
class NumericAverageResult(Result):
    """The average of a numeric property per period."""

    event: str
    from_date: str
    to_date: str
    property_expr: str
    unit: str
    results: dict[str, float] = attrs.field(factory=dict)

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """Columns `date`, `average`."""
        return _per_date(self.results, "average")


@attrs.frozen
class EventCountsResult(Result):
    """Counts of several events over time."""

    events: list[str]
    from_date: str
    to_date: str
    unit: str
    type: str
    series: dict[str, dict[str, float]] = attrs.field(factory=dict)

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """Columns `date`, `event`, `count`."""
        return _long(self.series, "event", "count", pl.Int64())


@attrs.frozen
class PropertyCountsResult(Result):
    """Counts of an event per value of a property, over time."""

    event: str
    property_name: str
    from_date: str
    to_date: str
    unit: str
    type: str
    series: dict[str, dict[str, float]] = attrs.field(factory=dict)

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """Columns `date`, `value`, `count`."""
        return _long(self.series, "value", "count", pl.Int64())


@attrs.frozen
class FrequencyResult(Result):
    """How many users did something in N periods (Mixpanel's addiction report)."""

    event: str | None
    from_date: str
    to_date: str
    unit: str
    addiction_unit: str
    data: dict[str, list[int]] = attrs.field(factory=dict)

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """Columns `date`, `period` (1 = at least one period), `count`."""
        dates: list[str] = []
        periods: list[int] = []
        counts: list[int] = []
        for day, values in self.data.items():
            for period, count in enumerate(values, start=1):
                dates.append(day)
                periods.append(period)
                counts.append(count)
        frame = pl.DataFrame(
            {
                "date": _dates(dates),
                "period": pl.Series(periods, dtype=pl.Int64),
                "count": pl.Series(counts, dtype=pl.Int64),
            }
        )
        return frame.sort("date", "period")


@attrs.frozen
class CohortInfo(Result):
    """One retention cohort: its birth date, size and retention per period (0.0 to 1.0)."""

    date: str
    size: int
    retention: list[float] = attrs.field(factory=list)


@attrs.frozen
class RetentionResult(Result):
    """First-time retention by cohort."""

    born_event: str
    return_event: str
    from_date: str
    to_date: str
    unit: str
    cohorts: list[CohortInfo] = attrs.field(factory=list)

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """Columns `cohort_date`, `cohort_size`, `period` (from 0), `retention`."""
        dates: list[str] = []
        sizes: list[int] = []
        periods: list[int] = []
        rates: list[float] = []
        for cohort in self.cohorts:
            for period, rate in enumerate(cohort.retention):
                dates.append(cohort.date)
                sizes.append(cohort.size)
                periods.append(period)
                rates.append(rate)
        return pl.DataFrame(
            {
                "cohort_date": pl.Series(dates, dtype=pl.String).str.to_date(
                    "%Y-%m-%d", strict=False
                ),
                "cohort_size": pl.Series(sizes, dtype=pl.Int64),
                "period": pl.Series(periods, dtype=pl.Int64),
                "retention": pl.Series(rates, dtype=pl.Float64),
            }
        )


@attrs.frozen
class FunnelResultStep(Result):
    """One funnel step: its event, how many reached it, and the conversion from the step
    before (1.0 for the first)."""

    event: str
    count: int
    conversion_rate: float


def funnel_steps(days: Sequence[Sequence[tuple[str | None, int]]]) -> list[FunnelResultStep]:
    """Per-day step lists `[(event, count), ...]` summed into one list of steps."""
    names: list[str] = []
    totals: list[int] = []
    for steps in days:
        for index, (name, count) in enumerate(steps):
            if index == len(totals):
                names.append(name or "")
                totals.append(0)
            elif not names[index] and name:
                names[index] = name
            totals[index] += int(count)
    out: list[FunnelResultStep] = []
    for index, (name, count) in enumerate(zip(names, totals, strict=True)):
        before = totals[index - 1] if index else count
        rate = 1.0 if index == 0 else (count / before if before else 0.0)
        out.append(FunnelResultStep(event=name, count=count, conversion_rate=rate))
    return out


@attrs.frozen
class FunnelResult(Result):
    """A saved funnel's steps over a date range."""

    funnel_id: int
    funnel_name: str
    from_date: str
    to_date: str
    conversion_rate: float
    steps: list[FunnelResultStep] = attrs.field(factory=list)

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """Columns `step` (from 1), `event`, `count`, `conversion_rate`."""
        return pl.DataFrame(
            {
                "step": pl.Series(range(1, len(self.steps) + 1), dtype=pl.Int64),
                "event": pl.Series([s.event for s in self.steps], dtype=pl.String),
                "count": pl.Series([s.count for s in self.steps], dtype=pl.Int64),
                "conversion_rate": pl.Series(
                    [s.conversion_rate for s in self.steps], dtype=pl.Float64
                ),
            }
        )


# --- discovery -----------------------------------------------------------------------------


@attrs.frozen
class FunnelInfo(Result):
    """A saved funnel."""

    funnel_id: int
    name: str


@attrs.frozen
class SavedCohort(Result):
    """A saved cohort."""

    id: int
    name: str
    count: int
    description: str
    created: str
    is_visible: bool


@attrs.frozen
class SubPropertyInfo(Result):
    """A key inside the objects of a list-of-objects property, with samples."""

    name: str
    type: SubPropertyType
    sample_values: tuple[str | int | float | bool, ...]

    def to_dict(self) -> dict[str, Any]:
        """The sub-property as plain data."""
        return {"name": self.name, "type": self.type, "sample_values": list(self.sample_values)}


@attrs.frozen
class TopEvent(Result):
    """Today's activity of one event and its change since yesterday."""

    event: str
    count: int
    percent_change: float


# --- activity feed -------------------------------------------------------------------------
