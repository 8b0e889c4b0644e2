# Generated from openapi/insights.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mixpanel_async._generated.models import insights as m
from mixpanel_async._operation import Body, Operation, Param, Request, build

__all__ = [
    "INSIGHTS_QUERY",
    "insights_query",
    "INSIGHTS_REPORT",
    "insights_report",
    "OPERATIONS",
]

INSIGHTS_REPORT = Operation(
    operation_id="insights_report",
    family="insights",
    method="GET",
    host="query",
    path="/insights",
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
            name="bookmark_id",
            attr="bookmark_id",
            location="query",
            type="integer",
            required=True,
            minimum=1,
        ),
    ),
    body=None,
    response=m.InsightsReport,
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Run a saved Insights report",
)


def insights_report(
    *,
    bookmark_id: int,
) -> Request[m.InsightsReport]:
    """Run a saved Insights report"""
    return build(INSIGHTS_REPORT, {"bookmark_id": bookmark_id}, None)


INSIGHTS_QUERY = Operation(
    operation_id="insights_query",
    family="insights",
    method="POST",
    host="query",
    path="/insights",
    params=(
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
    ),
    body=Body(media_types=("application/json",), model=m.InsightsQueryRequest),
    response=m.InsightsReport,
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Compute an Insights report from its bookmark JSON",
)


def insights_query(
    *,
    body: m.InsightsQueryRequest | Mapping[str, Any],
) -> Request[m.InsightsReport]:
    """Compute an Insights report from its bookmark JSON"""
    return build(INSIGHTS_QUERY, {}, body)


OPERATIONS: dict[str, Operation] = {
    "insights_query": INSIGHTS_QUERY,
    "insights_report": INSIGHTS_REPORT,
}
