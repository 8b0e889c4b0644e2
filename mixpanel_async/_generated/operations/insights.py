# Generated from openapi/insights.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from mixpanel_async._generated.models import insights as m
from mixpanel_async._operation import Operation, Param, Request, build

__all__ = [
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
) -> Request:
    """Run a saved Insights report"""
    return build(INSIGHTS_REPORT, {"bookmark_id": bookmark_id}, None)


OPERATIONS: dict[str, Operation] = {
    "insights_report": INSIGHTS_REPORT,
}
