# Generated from openapi/flows.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal

import attrs


@attrs.frozen(kw_only=True)
class FlowsQueryRequest:
    bookmark: dict[str, Any]
    project_id: int | str
    query_type: Literal["flows_sankey", "flows_top_paths", "flows"]


@attrs.frozen(kw_only=True)
class FlowsEdge:
    """A transition from a node to a node of the next column."""

    event: str
    total_count: str = attrs.field(metadata={"wire": "totalCount"})
    step: int | None = None
    type: str | None = None


@attrs.frozen(kw_only=True)
class FlowsErrorResponse:
    """Query API error body (the failing request path and a message)."""

    error: str
    request: str | None = None


@attrs.frozen(kw_only=True)
class FlowsNode:
    """An event (or a drop-off, or the merged rarer events) at one position."""

    event: str
    type: str
    total_count: str = attrs.field(metadata={"wire": "totalCount"})
    anchor_type: str | None = attrs.field(default=None, metadata={"wire": "anchorType"})
    is_custom_event: bool | None = attrs.field(default=None, metadata={"wire": "isCustomEvent"})
    conversion_rate_change: float | None = attrs.field(
        default=None, metadata={"wire": "conversionRateChange"}
    )
    edges: list[FlowsEdge] | None = None


@attrs.frozen(kw_only=True)
class FlowsColumn:
    """The nodes at one position of the flow."""

    nodes: list[FlowsNode]


@attrs.frozen(kw_only=True)
class FlowsReport:
    """A Flows report: Sankey columns (`flows_sankey`), top paths (`flows_top_paths`) or prefix trees (`flows`); a part the query type does not compute may be absent."""

    computed_at: str | None = None
    steps: list[FlowsColumn] | None = None
    flows: list[dict[str, Any]] | None = None
    breakdowns: list[dict[str, Any]] | None = None
    overall_conversion_rate: float | None = attrs.field(
        default=None, metadata={"wire": "overallConversionRate"}
    )
    metadata: dict[str, Any] | None = None
    trees: list[dict[str, Any]] | None = None
