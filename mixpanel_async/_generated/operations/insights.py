# Generated from openapi/insights.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import (
    Body,
    Later,
    LazyModule,
    Operation,
    Param,
    Request,
    build,
)

# The family's models are imported on first use (`Later`), not with the operations.
if TYPE_CHECKING:
    from mixpanel_async._generated.models import insights as m
else:
    m = LazyModule("mixpanel_async._generated.models.insights")

__all__ = [
    "INSIGHTS_QUERY",
    "insights_query",
    "INSIGHTS_REPORT",
    "insights_report",
    "OPERATIONS",
]

# GET /insights
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
    response=Later(lambda: m.InsightsReport),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Run a saved Insights report",
)


def insights_report(
    *,
    bookmark_id: int,
) -> Request[m.InsightsReport]:
    """GET /insights — Run a saved Insights report.

    `series` maps each shown metric (named after its event) to `{date: value}`, dates being the
    ISO timestamps (with the project's UTC offset) at which each bucket starts; a report charted
    as a bar, table, pie or single metric answers `{"all": value}` instead. Each breakdown adds
    a level of segment keys below the metric name, with an `$overall` rollup at every level.
    `headers` names the levels: `$event`, then each breakdown property. `date_range` is the
    report's window, from its first to its last instant.
    """
    return build(INSIGHTS_REPORT, {"bookmark_id": bookmark_id}, None)


# POST /insights
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.InsightsQueryRequest)),
    response=Later(lambda: m.InsightsReport),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Compute an Insights report from its bookmark JSON",
)


def insights_query(
    *,
    body: m.InsightsQueryRequest | Mapping[str, Any],
) -> Request[m.InsightsReport]:
    """POST /insights — Compute an Insights report from its bookmark JSON.

    The body's `bookmark` is a report's params (`sections`, `displayOptions`), computed as a
    saved report is; `queryLimits.limit` caps the segments of each breakdown level (the most
    frequent first). The project is named in the body.
    """
    return build(INSIGHTS_QUERY, {}, body)


OPERATIONS: dict[str, Operation] = {
    "insights_query": INSIGHTS_QUERY,
    "insights_report": INSIGHTS_REPORT,
}
