# Generated from openapi/query.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Literal

from mixpanel_async._operation import (
    Later,
    LazyModule,
    Operation,
    Param,
    Request,
    build,
)

# The family's models are imported on first use (`Later`), not with the operations.
if TYPE_CHECKING:
    from mixpanel_async._generated.models import query as m
else:
    m = LazyModule("mixpanel_async._generated.models.query")

__all__ = [
    "EVENT_COUNTS",
    "event_counts",
    "FREQUENCY",
    "frequency",
    "FUNNEL",
    "funnel",
    "PROPERTY_COUNTS",
    "property_counts",
    "RETENTION",
    "retention",
    "SEGMENTATION",
    "segmentation",
    "SEGMENTATION_AVERAGE",
    "segmentation_average",
    "SEGMENTATION_NUMERIC",
    "segmentation_numeric",
    "SEGMENTATION_SUM",
    "segmentation_sum",
    "OPERATIONS",
]

# GET /events
EVENT_COUNTS = Operation(
    operation_id="event_counts",
    family="query",
    method="GET",
    host="query",
    path="/events",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(name="event", attr="event", location="query", type="array", required=True, json=True),
        Param(
            name="type",
            attr="type",
            location="query",
            type="string",
            required=True,
            enum=("general", "unique", "average"),
        ),
        Param(
            name="unit",
            attr="unit",
            location="query",
            type="string",
            required=True,
            enum=("minute", "hour", "day", "week", "month"),
        ),
        Param(
            name="interval",
            attr="interval",
            location="query",
            type="integer",
            minimum=1,
            maximum=10000,
        ),
        Param(name="from_date", attr="from_date", location="query", type="string", format="date"),
        Param(name="to_date", attr="to_date", location="query", type="string", format="date"),
        Param(
            name="format",
            attr="format",
            location="query",
            type="string",
            enum=("json", "csv"),
            default="json",
        ),
    ),
    body=None,
    response=Later(lambda: m.QuerySegmentationResponse),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Total, unique or average counts of several events over time",
)


def event_counts(
    *,
    event: list[str],
    type: m.CountType,
    unit: m.TimeUnit,
    interval: int | None = None,
    from_date: str | datetime.date | None = None,
    to_date: str | datetime.date | None = None,
    format: Literal["json", "csv"] | None = "json",
) -> Request[m.QuerySegmentationResponse]:
    """GET /events — Total, unique or average counts of several events over time.

    One series per requested event that occurred in the window; events without any occurrence
    (including unknown names) are absent from `values`.
    """
    return build(
        EVENT_COUNTS,
        {
            "event": event,
            "type": type,
            "unit": unit,
            "interval": interval,
            "from_date": from_date,
            "to_date": to_date,
            "format": format,
        },
        None,
    )


# GET /events/properties
PROPERTY_COUNTS = Operation(
    operation_id="property_counts",
    family="query",
    method="GET",
    host="query",
    path="/events/properties",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(name="event", attr="event", location="query", type="string", required=True),
        Param(name="name", attr="name", location="query", type="string", required=True),
        Param(name="values", attr="values", location="query", type="array", json=True),
        Param(
            name="type",
            attr="type",
            location="query",
            type="string",
            required=True,
            enum=("general", "unique", "average"),
        ),
        Param(
            name="unit",
            attr="unit",
            location="query",
            type="string",
            required=True,
            enum=("minute", "hour", "day", "week", "month"),
        ),
        Param(
            name="interval",
            attr="interval",
            location="query",
            type="integer",
            minimum=1,
            maximum=10000,
        ),
        Param(name="from_date", attr="from_date", location="query", type="string", format="date"),
        Param(name="to_date", attr="to_date", location="query", type="string", format="date"),
        Param(
            name="format",
            attr="format",
            location="query",
            type="string",
            enum=("json", "csv"),
            default="json",
        ),
        Param(
            name="limit",
            attr="limit",
            location="query",
            type="integer",
            default=255,
            minimum=1,
            maximum=10000,
        ),
    ),
    body=None,
    response=Later(lambda: m.QuerySegmentationResponse),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Counts of one event over time, per value of one property",
)


def property_counts(
    *,
    event: str,
    name: str,
    values: list[str] | None = None,
    type: m.CountType,
    unit: m.TimeUnit,
    interval: int | None = None,
    from_date: str | datetime.date | None = None,
    to_date: str | datetime.date | None = None,
    format: Literal["json", "csv"] | None = "json",
    limit: int | None = 255,
) -> Request[m.QuerySegmentationResponse]:
    """GET /events/properties — Counts of one event over time, per value of one property.

    One series per property value (as a string; `undefined` for events without the property),
    the top `limit` by total, or exactly the listed `values`.
    """
    return build(
        PROPERTY_COUNTS,
        {
            "event": event,
            "name": name,
            "values": values,
            "type": type,
            "unit": unit,
            "interval": interval,
            "from_date": from_date,
            "to_date": to_date,
            "format": format,
            "limit": limit,
        },
        None,
    )


# GET /funnels
FUNNEL = Operation(
    operation_id="funnel",
    family="query",
    method="GET",
    host="query",
    path="/funnels",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(name="funnel_id", attr="funnel_id", location="query", type="integer", required=True),
        Param(
            name="from_date",
            attr="from_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
        Param(
            name="to_date",
            attr="to_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
        Param(name="length", attr="length", location="query", type="integer", minimum=1),
        Param(
            name="length_unit",
            attr="length_unit",
            location="query",
            type="string",
            enum=("day", "hour", "minute", "second"),
        ),
        Param(name="interval", attr="interval", location="query", type="integer", minimum=1),
        Param(
            name="unit", attr="unit", location="query", type="string", enum=("day", "week", "month")
        ),
        Param(name="on", attr="on", location="query", type="string"),
        Param(name="where", attr="where", location="query", type="string"),
        Param(
            name="limit",
            attr="limit",
            location="query",
            type="integer",
            default=255,
            minimum=1,
            maximum=10000,
        ),
    ),
    body=None,
    response=Later(lambda: m.QueryFunnelResponse),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Conversion through a saved funnel, per date of entry",
)


def funnel(
    *,
    funnel_id: int,
    from_date: str | datetime.date,
    to_date: str | datetime.date,
    length: int | None = None,
    length_unit: Literal["day", "hour", "minute", "second"] | None = None,
    interval: int | None = None,
    unit: m.RetentionUnit | None = None,
    on: str | None = None,
    where: str | None = None,
    limit: int | None = 255,
) -> Request[m.QueryFunnelResponse]:
    """GET /funnels — Conversion through a saved funnel, per date of entry.

    Each user enters once, at their first step-1 event in the window (Mixpanel's unique
    counting); later steps are the first occurrence of each step's event after the previous step
    (loose order), within `length` `length_unit`s of entering, looking past `to_date`. `data` is
    keyed by the date bucket of entry. With `on`, each date holds `$overall` and one key per
    segment (the expression's value on the entering event), each a plain list of steps.
    """
    return build(
        FUNNEL,
        {
            "funnel_id": funnel_id,
            "from_date": from_date,
            "to_date": to_date,
            "length": length,
            "length_unit": length_unit,
            "interval": interval,
            "unit": unit,
            "on": on,
            "where": where,
            "limit": limit,
        },
        None,
    )


# GET /retention
RETENTION = Operation(
    operation_id="retention",
    family="query",
    method="GET",
    host="query",
    path="/retention",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(name="bookmark_id", attr="bookmark_id", location="query", type="integer", minimum=1),
        Param(name="from_date", attr="from_date", location="query", type="string", format="date"),
        Param(name="to_date", attr="to_date", location="query", type="string", format="date"),
        Param(
            name="retention_type",
            attr="retention_type",
            location="query",
            type="string",
            enum=("birth", "compounded"),
            default="birth",
        ),
        Param(name="born_event", attr="born_event", location="query", type="string"),
        Param(name="event", attr="event", location="query", type="string"),
        Param(name="born_where", attr="born_where", location="query", type="string"),
        Param(name="where", attr="where", location="query", type="string"),
        Param(
            name="interval", attr="interval", location="query", type="integer", default=1, minimum=1
        ),
        Param(
            name="interval_count",
            attr="interval_count",
            location="query",
            type="integer",
            default=1,
            minimum=0,
            maximum=1000,
        ),
        Param(
            name="unit",
            attr="unit",
            location="query",
            type="string",
            enum=("day", "week", "month"),
            default="day",
        ),
        Param(
            name="unbounded_retention",
            attr="unbounded_retention",
            location="query",
            type="boolean",
            default=False,
        ),
        Param(name="on", attr="on", location="query", type="string"),
        Param(
            name="limit",
            attr="limit",
            location="query",
            type="integer",
            default=255,
            minimum=1,
            maximum=10000,
        ),
    ),
    body=None,
    response=Later(lambda: dict[str, m.QueryRetentionCohort]),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Cohort retention (first-time or recurring)",
)


def retention(
    *,
    bookmark_id: int | None = None,
    from_date: str | datetime.date | None = None,
    to_date: str | datetime.date | None = None,
    retention_type: Literal["birth", "compounded"] | None = "birth",
    born_event: str | None = None,
    event: str | None = None,
    born_where: str | None = None,
    where: str | None = None,
    interval: int | None = 1,
    interval_count: int | None = 1,
    unit: m.RetentionUnit | None = "day",
    unbounded_retention: bool | None = False,
    on: str | None = None,
    limit: int | None = 255,
) -> Request[dict[str, m.QueryRetentionCohort]]:
    """GET /retention — Cohort retention (first-time or recurring).

    `birth`: a user's cohort is the bucket of their first `born_event` ever (matching
    `born_where`), kept when it falls in the window. `compounded`: each bucket's cohort is the
    users who did `event` in it, born at their first such event there. `counts[i]` is how many
    of the cohort did `event` (any event if omitted; matching `where`; not the birth event
    itself) in interval `i` after their own birth, an interval being `interval` `unit`s;
    `interval_count + 1` intervals (the 0th included), fewer for intervals that have not begun
    yet. With `on`, the answer is keyed by segment first (the expression's value on the return
    event), then by date. With `bookmark_id`, a saved retention report is run as saved (its
    events, unit and date range) and every other parameter is ignored; without it `from_date`
    and `to_date` are required.
    """
    return build(
        RETENTION,
        {
            "bookmark_id": bookmark_id,
            "from_date": from_date,
            "to_date": to_date,
            "retention_type": retention_type,
            "born_event": born_event,
            "event": event,
            "born_where": born_where,
            "where": where,
            "interval": interval,
            "interval_count": interval_count,
            "unit": unit,
            "unbounded_retention": unbounded_retention,
            "on": on,
            "limit": limit,
        },
        None,
    )


# GET /retention/addiction
FREQUENCY = Operation(
    operation_id="frequency",
    family="query",
    method="GET",
    host="query",
    path="/retention/addiction",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(
            name="from_date",
            attr="from_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
        Param(
            name="to_date",
            attr="to_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
        Param(
            name="unit",
            attr="unit",
            location="query",
            type="string",
            required=True,
            enum=("day", "week", "month"),
        ),
        Param(
            name="addiction_unit",
            attr="addiction_unit",
            location="query",
            type="string",
            required=True,
            enum=("hour", "day"),
        ),
        Param(name="event", attr="event", location="query", type="string"),
        Param(name="where", attr="where", location="query", type="string"),
        Param(name="on", attr="on", location="query", type="string"),
        Param(
            name="limit",
            attr="limit",
            location="query",
            type="integer",
            default=255,
            minimum=1,
            maximum=10000,
        ),
    ),
    body=None,
    response=Later(lambda: m.QueryFrequencyResponse),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="How many hours or days users were active, per date",
)


def frequency(
    *,
    from_date: str | datetime.date,
    to_date: str | datetime.date,
    unit: m.RetentionUnit,
    addiction_unit: m.HourDayUnit,
    event: str | None = None,
    where: str | None = None,
    on: str | None = None,
    limit: int | None = 255,
) -> Request[m.QueryFrequencyResponse]:
    """GET /retention/addiction — How many hours or days users were active, per date.

    For each day of the window: of the users who did the event during the `unit` starting that
    day (which may run past `to_date`), how many did it in at least 1, 2, ... distinct
    `addiction_unit`s of it (local clock hours or days). With `on` (Mixpanel documents `on` and
    `limit` here without the answer's shape), `data` is keyed by segment first (the expression's
    value on each event), then by date, as `/retention` answers a segmented query; the top
    `limit` segments by users active are kept.
    """
    return build(
        FREQUENCY,
        {
            "from_date": from_date,
            "to_date": to_date,
            "unit": unit,
            "addiction_unit": addiction_unit,
            "event": event,
            "where": where,
            "on": on,
            "limit": limit,
        },
        None,
    )


# GET /segmentation
SEGMENTATION = Operation(
    operation_id="segmentation",
    family="query",
    method="GET",
    host="query",
    path="/segmentation",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(name="event", attr="event", location="query", type="string", required=True),
        Param(
            name="from_date",
            attr="from_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
        Param(
            name="to_date",
            attr="to_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
        Param(name="on", attr="on", location="query", type="string"),
        Param(name="where", attr="where", location="query", type="string"),
        Param(
            name="unit",
            attr="unit",
            location="query",
            type="string",
            enum=("minute", "hour", "day", "week", "month"),
            default="day",
        ),
        Param(name="interval", attr="interval", location="query", type="integer", minimum=1),
        Param(
            name="limit",
            attr="limit",
            location="query",
            type="integer",
            default=60,
            minimum=1,
            maximum=10000,
        ),
        Param(
            name="type",
            attr="type",
            location="query",
            type="string",
            enum=("general", "unique", "average"),
            default="general",
        ),
        Param(
            name="format",
            attr="format",
            location="query",
            type="string",
            enum=("json", "csv"),
            default="json",
        ),
    ),
    body=None,
    response=Later(lambda: m.QuerySegmentationResponse),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Counts of one event over time, optionally segmented by an expression",
)


def segmentation(
    *,
    event: str,
    from_date: str | datetime.date,
    to_date: str | datetime.date,
    on: str | None = None,
    where: str | None = None,
    unit: m.TimeUnit | None = "day",
    interval: int | None = None,
    limit: int | None = 60,
    type: m.CountType | None = "general",
    format: Literal["json", "csv"] | None = "json",
) -> Request[m.QuerySegmentationResponse]:
    """GET /segmentation — Counts of one event over time, optionally segmented by an expression.

    Without `on` the single series is named after the event; with `on` each distinct value of
    the expression is a series, events where it is undefined under `undefined`, the top `limit`
    series by total kept. An event with no matching events in the window answers an empty
    `values` (and `legend_size` 0), as Mixpanel does for an unknown event.
    """
    return build(
        SEGMENTATION,
        {
            "event": event,
            "from_date": from_date,
            "to_date": to_date,
            "on": on,
            "where": where,
            "unit": unit,
            "interval": interval,
            "limit": limit,
            "type": type,
            "format": format,
        },
        None,
    )


# GET /segmentation/average
SEGMENTATION_AVERAGE = Operation(
    operation_id="segmentation_average",
    family="query",
    method="GET",
    host="query",
    path="/segmentation/average",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(name="event", attr="event", location="query", type="string", required=True),
        Param(
            name="from_date",
            attr="from_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
        Param(
            name="to_date",
            attr="to_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
        Param(name="on", attr="on", location="query", type="string", required=True),
        Param(
            name="unit",
            attr="unit",
            location="query",
            type="string",
            enum=("hour", "day"),
            default="day",
        ),
        Param(name="where", attr="where", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.QueryNumericAggregateResponse),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Average of a numeric expression over one event's occurrences, per time bucket",
)


def segmentation_average(
    *,
    event: str,
    from_date: str | datetime.date,
    to_date: str | datetime.date,
    on: str,
    unit: m.HourDayUnit | None = "day",
    where: str | None = None,
) -> Request[m.QueryNumericAggregateResponse]:
    """GET /segmentation/average — Average of a numeric expression over one event's occurrences, per time bucket.

    The mean over the bucket's events, a not-numeric result counting as 0 (Mixpanel assumes
    0.0); 0 for a bucket without events.
    """
    return build(
        SEGMENTATION_AVERAGE,
        {
            "event": event,
            "from_date": from_date,
            "to_date": to_date,
            "on": on,
            "unit": unit,
            "where": where,
        },
        None,
    )


# GET /segmentation/numeric
SEGMENTATION_NUMERIC = Operation(
    operation_id="segmentation_numeric",
    family="query",
    method="GET",
    host="query",
    path="/segmentation/numeric",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(name="event", attr="event", location="query", type="string", required=True),
        Param(
            name="from_date",
            attr="from_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
        Param(
            name="to_date",
            attr="to_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
        Param(name="on", attr="on", location="query", type="string", required=True),
        Param(
            name="unit",
            attr="unit",
            location="query",
            type="string",
            enum=("hour", "day"),
            default="day",
        ),
        Param(name="where", attr="where", location="query", type="string"),
        Param(
            name="type",
            attr="type",
            location="query",
            type="string",
            enum=("general", "unique", "average"),
            default="general",
        ),
    ),
    body=None,
    response=Later(lambda: m.QuerySegmentationResponse),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Counts of one event over time, in numeric ranges of an expression",
)


def segmentation_numeric(
    *,
    event: str,
    from_date: str | datetime.date,
    to_date: str | datetime.date,
    on: str,
    unit: m.HourDayUnit | None = "day",
    where: str | None = None,
    type: m.CountType | None = "general",
) -> Request[m.QuerySegmentationResponse]:
    """GET /segmentation/numeric — Counts of one event over time, in numeric ranges of an expression.

    Each series is a range `"<low> - <high>"` (numbers with thousands separators, e.g. `2,000 -
    2,100`). Ranges are equal-width, aligned to a multiple of their width; the emulator picks
    the width as the power of ten just below the spread of the values (so between 1 and 11
    ranges). Events whose expression is not a number are left out.
    """
    return build(
        SEGMENTATION_NUMERIC,
        {
            "event": event,
            "from_date": from_date,
            "to_date": to_date,
            "on": on,
            "unit": unit,
            "where": where,
            "type": type,
        },
        None,
    )


# GET /segmentation/sum
SEGMENTATION_SUM = Operation(
    operation_id="segmentation_sum",
    family="query",
    method="GET",
    host="query",
    path="/segmentation/sum",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(name="event", attr="event", location="query", type="string", required=True),
        Param(
            name="from_date",
            attr="from_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
        Param(
            name="to_date",
            attr="to_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
        Param(name="on", attr="on", location="query", type="string", required=True),
        Param(
            name="unit",
            attr="unit",
            location="query",
            type="string",
            enum=("hour", "day"),
            default="day",
        ),
        Param(name="where", attr="where", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.QueryNumericAggregateResponse),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Sum of a numeric expression over one event's occurrences, per time bucket",
)


def segmentation_sum(
    *,
    event: str,
    from_date: str | datetime.date,
    to_date: str | datetime.date,
    on: str,
    unit: m.HourDayUnit | None = "day",
    where: str | None = None,
) -> Request[m.QueryNumericAggregateResponse]:
    """GET /segmentation/sum — Sum of a numeric expression over one event's occurrences, per time bucket.

    An event whose expression is not numeric adds 0 (Mixpanel assumes 0.0).
    """
    return build(
        SEGMENTATION_SUM,
        {
            "event": event,
            "from_date": from_date,
            "to_date": to_date,
            "on": on,
            "unit": unit,
            "where": where,
        },
        None,
    )


OPERATIONS: dict[str, Operation] = {
    "event_counts": EVENT_COUNTS,
    "frequency": FREQUENCY,
    "funnel": FUNNEL,
    "property_counts": PROPERTY_COUNTS,
    "retention": RETENTION,
    "segmentation": SEGMENTATION,
    "segmentation_average": SEGMENTATION_AVERAGE,
    "segmentation_numeric": SEGMENTATION_NUMERIC,
    "segmentation_sum": SEGMENTATION_SUM,
}
