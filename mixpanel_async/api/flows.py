"""Saved Flows reports: `query_saved_flows()` runs one by bookmark id (`GET /arb_funnels` with
`query_type=flows_sankey`) and returns its Sankey columns as a `FlowsResult`."""

from __future__ import annotations

from mixpanel_async._generated.operations import flows as ops
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import build, entity_id
from mixpanel_async.results.flows import FlowsResult


class FlowsMixin(Base):
    """Saved Flows reports."""

    async def query_saved_flows(self, bookmark_id: int) -> FlowsResult:
        """Run a saved Flows report as a Sankey.

        Args:
            bookmark_id: The saved flows report (a bookmark of type `flows`).

        Returns:
            `FlowsResult`: `steps` (one column of nodes per position around the anchor),
            `breakdowns`, `overall_conversion_rate`, `metadata`; `.df` has one row per node.

        Raises:
            ParamValidationError: `bookmark_id` is not a positive integer (before any request).
            QueryError: Mixpanel refused the report (no such bookmark, not a flows report,
                settings it cannot compute).
        """
        request = build(ops.saved_flows, bookmark_id=entity_id(bookmark_id, "bookmark_id"))
        raw = await self._transport.call_as_sent(request)
        return FlowsResult(
            bookmark_id=bookmark_id,
            computed_at=str(raw.get("computed_at") or ""),
            steps=list(raw.get("steps") or []),
            breakdowns=list(raw.get("breakdowns") or []),
            overall_conversion_rate=float(raw.get("overallConversionRate") or 0.0),
            metadata=dict(raw.get("metadata") or {}),
        )
