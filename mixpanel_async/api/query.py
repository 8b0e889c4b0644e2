"""The classic Query API: segmentation (and its numeric, sum and average variants), event and
property counts, funnels, retention and frequency.

Every argument is checked before a request is sent (`ParamValidationError`); what only Mixpanel
can judge (an expression that does not parse, an unknown funnel) comes back as a 400 and is
raised as `QueryError` with Mixpanel's message. An event that never happened is an empty result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, cast

import attrs

from mixpanel_async._operation import LazyModule, Request
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import build

if TYPE_CHECKING:
    from mixpanel_async._generated.operations import query as ops
    from mixpanel_async.results import query as results_query
    from mixpanel_async.results.query import (
        CountType,
        EventCountsResult,
        FrequencyResult,
        FunnelResult,
        HourDayUnit,
        NumericAverageResult,
        NumericBucketResult,
        NumericSumResult,
        PropertyCountsResult,
        RetentionResult,
        RetentionUnit,
        SegmentationResult,
        TimeUnit,
    )
else:
    ops = LazyModule("mixpanel_async._generated.operations.query")
    results_query = LazyModule("mixpanel_async.results.query")

R = TypeVar("R")
_ACCESSORS = ('properties["', 'user["', 'event["')


def normalize_on(on: str) -> str:
    """A bare property name as `properties["name"]`; an expression passes through unchanged."""
    if any(accessor in on for accessor in _ACCESSORS):
        return on
    escaped = on.replace("\\", "\\\\").replace('"', '\\"')
    return f'properties["{escaped}"]'


def _dates(from_date: str | dt.date, to_date: str | dt.date) -> tuple[str, str]:
    start, end = checks.date_range(from_date, to_date)
    return start.isoformat(), end.isoformat()


class _NumericFields(TypedDict):
    event: str
    from_date: str
    to_date: str
    property_expr: str
    unit: HourDayUnit


@attrs.frozen
class _Asked:
    """The checked arguments of one segmentation-style query."""

    event: str
    from_date: str
    to_date: str
    on: str
    """The segment expression as the caller gave it; empty for none."""

    def numeric(self, unit: HourDayUnit) -> _NumericFields:
        """The fields every numeric result shares."""
        return {
            "event": self.event,
            "from_date": self.from_date,
            "to_date": self.to_date,
            "property_expr": self.on,
            "unit": unit,
        }


class QueryMixin(Base):
    """The classic Query API reports."""

    async def _segmented(
        self,
        builder: Callable[..., Request[R]],
        event: str,
        from_date: str | dt.date,
        to_date: str | dt.date,
        on: str | None,
        where: str | None,
        *,
        needs_on: bool = True,
        **more: Any,
    ) -> tuple[_Asked, R]:
        """Check what every segmentation variant takes and ask `builder`'s operation; `more`
        are the variant's own parameters (`unit`, `type`), which the builder checks."""
        asked = _Asked(
            checks.text(event, "event"),
            *_dates(from_date, to_date),
            checks.text(on, "on") if needs_on else checks.optional_text(on, "on") or "",
        )
        request = build(
            builder,
            event=asked.event,
            from_date=asked.from_date,
            to_date=asked.to_date,
            on=normalize_on(asked.on) if asked.on else None,
            where=checks.optional_text(where, "where"),
            **more,
        )
        return asked, await self._transport.call(request)

    async def segmentation(
        self,
        event: str,
        *,
        from_date: str | dt.date,
        to_date: str | dt.date,
        on: str | None = None,
        unit: TimeUnit = "day",
        where: str | None = None,
        type: CountType = "general",
    ) -> SegmentationResult:
        """Counts of one event per `unit`, optionally per segment of `on`.

        Args:
            event: The event.
            from_date: First day, `YYYY-MM-DD` (inclusive, in the project's time zone).
            to_date: Last day (inclusive).
            on: A property name or an expression to segment by.
            unit: `minute`, `hour`, `day`, `week` or `month`.
            where: An expression the events must satisfy.
            type: `general` (events), `unique` (users) or `average` (events per user).

        Raises:
            ParamValidationError: bad arguments (before any request).
            QueryError: Mixpanel refused the query (e.g. an expression that does not parse).
        """
        asked, response = await self._segmented(
            ops.segmentation,
            event,
            from_date,
            to_date,
            on,
            where,
            needs_on=False,
            unit=unit,
            type=type,
        )
        series = results_query.series_of(response.data.values)
        return results_query.SegmentationResult(
            event=asked.event,
            from_date=asked.from_date,
            to_date=asked.to_date,
            unit=unit,
            segment_property=asked.on or None,
            total=sum(v for by_date in series.values() for v in by_date.values()),
            series=series,
        )

    async def segmentation_numeric(
        self,
        event: str,
        *,
        from_date: str | dt.date,
        to_date: str | dt.date,
        on: str,
        unit: HourDayUnit = "day",
        where: str | None = None,
        type: CountType = "general",
    ) -> NumericBucketResult:
        """Counts of one event per `unit`, in numeric ranges of `on` (Mixpanel picks the ranges).

        Raises:
            ParamValidationError: bad arguments (before any request).
            QueryError: Mixpanel refused the query.
        """
        asked, response = await self._segmented(
            ops.segmentation_numeric, event, from_date, to_date, on, where, unit=unit, type=type
        )
        return results_query.NumericBucketResult(
            **asked.numeric(unit), series=results_query.series_of(response.data.values)
        )

    async def segmentation_sum(
        self,
        event: str,
        *,
        from_date: str | dt.date,
        to_date: str | dt.date,
        on: str,
        unit: HourDayUnit = "day",
        where: str | None = None,
    ) -> NumericSumResult:
        """The sum of the numeric expression `on` over one event's occurrences, per `unit`.

        Raises:
            ParamValidationError: bad arguments (before any request).
            QueryError: Mixpanel refused the query.
        """
        asked, response = await self._segmented(
            ops.segmentation_sum, event, from_date, to_date, on, where, unit=unit
        )
        return results_query.NumericSumResult(
            **asked.numeric(unit),
            results=dict(response.results),
            computed_at=response.computed_at,
        )

    async def segmentation_average(
        self,
        event: str,
        *,
        from_date: str | dt.date,
        to_date: str | dt.date,
        on: str,
        unit: HourDayUnit = "day",
        where: str | None = None,
    ) -> NumericAverageResult:
        """The average of the numeric expression `on` over one event's occurrences, per `unit`.

        Raises:
            ParamValidationError: bad arguments (before any request).
            QueryError: Mixpanel refused the query.
        """
        asked, response = await self._segmented(
            ops.segmentation_average, event, from_date, to_date, on, where, unit=unit
        )
        return results_query.NumericAverageResult(
            **asked.numeric(unit), results=dict(response.results)
        )

    async def event_counts(
        self,
        events: list[str],
        *,
        from_date: str | dt.date,
        to_date: str | dt.date,
        type: CountType = "general",
        unit: TimeUnit = "day",
    ) -> EventCountsResult:
        """Counts of several events per `unit`, one series per event.

        Raises:
            ParamValidationError: bad arguments, e.g. `events` a bare string or empty.
            QueryError: Mixpanel refused the query.
        """
        names = checks.names(events, "events")
        first, last = _dates(from_date, to_date)
        response = await self._transport.call(
            build(
                ops.event_counts, event=names, type=type, unit=unit, from_date=first, to_date=last
            )
        )
        return results_query.EventCountsResult(
            events=names,
            from_date=first,
            to_date=last,
            unit=unit,
            type=type,
            series=results_query.series_of(response.data.values),
        )

    async def property_counts(
        self,
        event: str,
        property_name: str,
        *,
        from_date: str | dt.date,
        to_date: str | dt.date,
        type: CountType = "general",
        unit: TimeUnit = "day",
        values: list[str] | None = None,
        limit: int | None = None,
    ) -> PropertyCountsResult:
        """Counts of one event per `unit`, one series per value of `property_name`.

        Args:
            values: Only these values (else the most common ones).
            limit: At most this many values (Mixpanel's default: 255).

        Raises:
            ParamValidationError: bad arguments (before any request).
            QueryError: Mixpanel refused the query.
        """
        event = checks.text(event, "event")
        property_name = checks.text(property_name, "property_name")
        first, last = _dates(from_date, to_date)
        if values is not None:
            values = checks.names(values, "values")
        response = await self._transport.call(
            build(
                ops.property_counts,
                event=event,
                name=property_name,
                values=values,
                type=type,
                unit=unit,
                from_date=first,
                to_date=last,
                limit=limit,
            )
        )
        return results_query.PropertyCountsResult(
            event=event,
            property_name=property_name,
            from_date=first,
            to_date=last,
            unit=unit,
            type=type,
            series=results_query.series_of(response.data.values),
        )

    async def frequency(
        self,
        *,
        from_date: str | dt.date,
        to_date: str | dt.date,
        unit: RetentionUnit = "day",
        addiction_unit: HourDayUnit = "hour",
        event: str | None = None,
        where: str | None = None,
    ) -> FrequencyResult:
        """Per `unit`, how many users were active in at least 1, 2, ... `addiction_unit`s.

        Raises:
            ParamValidationError: bad arguments (before any request).
            QueryError: Mixpanel refused the query.
        """
        first, last = _dates(from_date, to_date)
        event = checks.optional_text(event, "event")
        where = checks.optional_text(where, "where")
        response = await self._transport.call(
            build(
                ops.frequency,
                from_date=first,
                to_date=last,
                unit=unit,
                addiction_unit=addiction_unit,
                event=event,
                where=where,
            )
        )
        return results_query.FrequencyResult(
            event=event,
            from_date=first,
            to_date=last,
            unit=unit,
            addiction_unit=addiction_unit,
            data={
                day: [int(n) for n in counts]
                for day, counts in response.data.items()
                if isinstance(counts, list)  # unsegmented: never sent with `on`
            },
        )

    async def retention(
        self,
        *,
        born_event: str,
        return_event: str,
        from_date: str | dt.date,
        to_date: str | dt.date,
        born_where: str | None = None,
        return_where: str | None = None,
        interval: int = 1,
        interval_count: int = 10,
        unit: RetentionUnit = "day",
    ) -> RetentionResult:
        """First-time retention: users born with `born_event`, returning with `return_event`.

        Args:
            interval: Length of one period in days; when it is not 1, `unit` is not sent
                (Mixpanel takes one or the other).
            interval_count: Number of periods after period 0.
            unit: `day`, `week` or `month` periods.

        Raises:
            ParamValidationError: bad arguments (before any request).
            QueryError: Mixpanel refused the query.
        """
        born_event = checks.text(born_event, "born_event")
        return_event = checks.text(return_event, "return_event")
        first, last = _dates(from_date, to_date)
        born_where = checks.optional_text(born_where, "born_where")
        return_where = checks.optional_text(return_where, "return_where")
        checks.spec_value(ops.RETENTION, "unit", unit)  # also when it is not sent
        response = await self._transport.call(
            build(
                ops.retention,
                from_date=first,
                to_date=last,
                retention_type="birth",
                born_event=born_event,
                event=return_event,
                born_where=born_where,
                where=return_where,
                interval=interval,
                interval_count=interval_count,
                unit=unit if interval == 1 else None,
            )
        )
        cohorts = [
            results_query.CohortInfo(
                date=day,
                size=cohort.first,
                retention=[n / cohort.first if cohort.first else 0.0 for n in cohort.counts],
            )
            for day, cohort in sorted((response or {}).items())
        ]
        return results_query.RetentionResult(
            born_event=born_event,
            return_event=return_event,
            from_date=first,
            to_date=last,
            unit=unit,
            cohorts=cohorts,
        )

    async def funnel(
        self,
        funnel_id: int,
        *,
        from_date: str | dt.date,
        to_date: str | dt.date,
        unit: str | None = None,
        on: str | None = None,
    ) -> FunnelResult:
        """A saved funnel's steps, summed over the dates of entry in the range.

        With `on`, the steps are those over all segments (Mixpanel's `$overall`).

        Raises:
            ParamValidationError: bad arguments (before any request).
            QueryError: Mixpanel refused the query (e.g. an unknown funnel).
        """
        checks.int_range(funnel_id, "funnel_id", 1)
        first, last = _dates(from_date, to_date)
        on = checks.optional_text(on, "on")
        response = await self._transport.call(
            build(
                ops.funnel,
                funnel_id=funnel_id,
                from_date=first,
                to_date=last,
                unit=cast("RetentionUnit | None", unit),  # the builder checks it
                on=normalize_on(on) if on else None,
            )
        )
        days = []
        for day in response.data.values():
            listed = day.steps if day.steps is not None else (day.overall or [])
            days.append([(s.event or s.goal, s.count) for s in listed])
        steps = results_query.funnel_steps(days)
        first_count = steps[0].count if steps else 0
        return results_query.FunnelResult(
            funnel_id=funnel_id,
            funnel_name="",
            from_date=first,
            to_date=last,
            conversion_rate=steps[-1].count / first_count if first_count else 0.0,
            steps=steps,
        )
