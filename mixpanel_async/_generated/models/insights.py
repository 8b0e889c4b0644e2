# Generated from openapi/insights.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class InsightsQueryLimits:
    limit: int | None = 3000


@attrs.frozen(kw_only=True)
class InsightsQueryRequest:
    bookmark: dict[str, Any]
    project_id: int | str
    query_limits: InsightsQueryLimits | None = attrs.field(
        default=None, metadata={"wire": "queryLimits"}
    )


@attrs.frozen(kw_only=True)
class InsightsErrorResponse:
    error: str
    request: str | None = None


@attrs.frozen(kw_only=True)
class InsightsDateRange:
    from_date: str
    to_date: str


@attrs.frozen(kw_only=True)
class InsightsMeta:
    sampling_factor: float | None = None
    is_cached: bool | None = None
    computation_time: float | None = None
    query_id: str | None = None


@attrs.frozen(kw_only=True)
class InsightsReport:
    computed_at: str
    date_range: InsightsDateRange
    headers: list[str]
    series: dict[str, Any]
    meta: InsightsMeta | None = None
