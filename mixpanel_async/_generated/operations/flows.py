# Generated from openapi/flows.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

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
    from mixpanel_async._generated.models import flows as m
else:
    m = LazyModule("mixpanel_async._generated.models.flows")

__all__ = [
    "FLOWS_QUERY",
    "flows_query",
    "SAVED_FLOWS",
    "saved_flows",
    "OPERATIONS",
]

# GET /arb_funnels
SAVED_FLOWS = Operation(
    operation_id="saved_flows",
    family="flows",
    method="GET",
    host="query",
    path="/arb_funnels",
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
        Param(
            name="query_type",
            attr="query_type",
            location="query",
            type="string",
            required=True,
            enum=("flows_sankey", "flows_top_paths", "flows"),
            default="flows_sankey",
        ),
    ),
    body=None,
    response=Later(lambda: m.FlowsReport),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Run a saved Flows report",
)


def saved_flows(
    *,
    bookmark_id: int,
    query_type: Literal["flows_sankey", "flows_top_paths", "flows"] | None = "flows_sankey",
) -> Request[m.FlowsReport]:
    """GET /arb_funnels — Run a saved Flows report.

    The report runs as saved: its anchor event, forward and reverse step counts, date range (in
    the project's timezone), conversion window, count type, hidden events and cardinality.
    `query_type` picks the visualisation; `flows_sankey` answers the Sankey columns below.
    """
    return build(SAVED_FLOWS, {"bookmark_id": bookmark_id, "query_type": query_type}, None)


# POST /arb_funnels
FLOWS_QUERY = Operation(
    operation_id="flows_query",
    family="flows",
    method="POST",
    host="query",
    path="/arb_funnels",
    params=(
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.FlowsQueryRequest)),
    response=Later(lambda: m.FlowsReport),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Compute a Flows report from its bookmark JSON",
)


def flows_query(
    *,
    body: m.FlowsQueryRequest | Mapping[str, Any],
) -> Request[m.FlowsReport]:
    """POST /arb_funnels — Compute a Flows report from its bookmark JSON.

    The body's `bookmark` is a flows report's params (as `build_flow_params` writes them),
    computed as a saved flows report is; `query_type` picks the visualisation (`flows_sankey`).
    What the peer library's `query_flow()` / `run_flow_params()` send; not in Mixpanel's
    published specs.
    """
    return build(FLOWS_QUERY, {}, body)


OPERATIONS: dict[str, Operation] = {
    "flows_query": FLOWS_QUERY,
    "saved_flows": SAVED_FLOWS,
}
