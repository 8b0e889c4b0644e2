# Generated from openapi/engage.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal

import attrs


@attrs.frozen(kw_only=True)
class FilterByCohort:
    """JSON text; `{"id": <cohort id>}` for a saved cohort or `{"raw_cohort": {...}}` for an inline one."""

    id: int | str | None = None
    raw_cohort: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class EngageQueryRequest:
    """Fields marked as JSON text travel as a JSON-encoded string (in the form and in the JSON body alike); their schema describes the decoded value."""

    project_id: int | None = None
    where: str | None = None
    session_id: str | None = None
    page: int | None = 0
    output_properties: list[str] | None = None
    distinct_id: str | None = None
    distinct_ids: list[str] | None = None
    filter_by_cohort: FilterByCohort | None = None
    data_group_id: str | None = None
    behaviors: list[dict[str, Any]] | None = None
    as_of_timestamp: int | None = None
    include_all_users: bool | None = True
    sort_key: str | None = None
    sort_order: Literal["ascending", "descending"] | None = None
    search: str | None = None
    limit: int | None = None


@attrs.frozen(kw_only=True)
class EngageProfile:
    distinct_id: str = attrs.field(metadata={"wire": "$distinct_id"})
    properties: dict[str, Any] = attrs.field(metadata={"wire": "$properties"})


@attrs.frozen(kw_only=True)
class FilterByCohort1:
    """JSON text; `{"id": <cohort id>}` or `{"raw_cohort": {...}}`."""

    id: int | str | None = None
    raw_cohort: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class EngageStatsRequest:
    action: str
    project_id: int | None = None
    selector: str | None = None
    filter_by_cohort: FilterByCohort1 | None = None
    segment_by_cohorts: dict[str, bool] | None = None
    data_group_id: str | None = None
    as_of_timestamp: int | None = None
    include_all_users: bool | None = True


@attrs.frozen(kw_only=True)
class EngageStatsResponse:
    results: float | dict[str, Any]
    status: str
    computed_at: str | None = None


@attrs.frozen(kw_only=True)
class EngageErrorResponse:
    """Query API error body as Mixpanel sends it (not in Mixpanel's published specs)."""

    error: str
    request: str | None = None


@attrs.frozen(kw_only=True)
class EngageQueryResponse:
    results: list[EngageProfile]
    page: int
    status: str
    session_id: str | None = None
    page_size: int | None = None
    total: int | None = None
    computed_at: str | None = None
