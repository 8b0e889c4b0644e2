# Generated from openapi/query.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Literal, TypeAlias

import attrs

TimeUnit: TypeAlias = Literal["minute", "hour", "day", "week", "month"]


HourDayUnit: TypeAlias = Literal["hour", "day"]


RetentionUnit: TypeAlias = Literal["day", "week", "month"]


CountType: TypeAlias = Literal["general", "unique", "average"]


@attrs.frozen(kw_only=True)
class QuerySegmentationData:
    series: list[str]
    values: dict[str, dict[str, float]]


@attrs.frozen(kw_only=True)
class QueryNumericAggregateResponse:
    results: dict[str, float]
    status: str | None = None
    computed_at: str | None = None


@attrs.frozen(kw_only=True)
class QueryFunnelMeta:
    dates: list[str]


@attrs.frozen(kw_only=True)
class QueryFunnelStep:
    count: int
    event: str
    goal: str
    step_conv_ratio: float
    overall_conv_ratio: float
    step_label: str | None = None
    custom_event: bool | None = None
    custom_event_id: int | None = None
    avg_time: int | None = None
    avg_time_from_start: int | None = None


@attrs.frozen(kw_only=True)
class QueryFunnelAnalysis:
    completion: int | None = None
    starting_amount: int | None = None
    steps: int | None = None
    worst: int | None = None


@attrs.frozen(kw_only=True)
class QueryRetentionCohort:
    first: int
    counts: list[int]


@attrs.frozen(kw_only=True)
class QueryFrequencyResponse:
    data: dict[str, list[int] | dict[str, list[int]]]


@attrs.frozen(kw_only=True)
class QueryErrorResponse:
    """Query API error body as Mixpanel sends it (not in Mixpanel's published specs): the failing request path and a message."""

    error: str
    request: str | None = None


@attrs.frozen(kw_only=True)
class QuerySegmentationResponse:
    """The time-series shape shared by `/segmentation`, `/segmentation/numeric`, `/events` and `/events/properties`."""

    data: QuerySegmentationData
    legend_size: int


@attrs.frozen(kw_only=True)
class QueryFunnelDay:
    """Unsegmented: `steps` and `analysis`. Segmented (`on`): `$overall` and one key per segment instead, each a list of `QueryFunnelStep`."""

    steps: list[QueryFunnelStep] | None = None
    analysis: QueryFunnelAnalysis | None = None
    overall: list[QueryFunnelStep] | None = attrs.field(default=None, metadata={"wire": "$overall"})


@attrs.frozen(kw_only=True)
class QueryFunnelResponse:
    meta: QueryFunnelMeta
    data: dict[str, QueryFunnelDay]
