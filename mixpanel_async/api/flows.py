"""Flows reports: `query_saved_flows()` runs a saved one by bookmark id (`GET /arb_funnels`);
`query_flow()` / `build_flow_params()` / `run_flow_params()` build one from keyword arguments
and send its bookmark JSON (`POST /arb_funnels`), as Sankey, top paths or prefix trees."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Unpack

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import build, entity_id
from mixpanel_async.exceptions import ParamValidationError, QueryError

if TYPE_CHECKING:
    from mixpanel_async._generated.models import flows as models
    from mixpanel_async._generated.operations import flows as ops
    from mixpanel_async.reports import flows as reports
    from mixpanel_async.reports.flow_steps import FlowStep
    from mixpanel_async.reports.flows import FlowMode, FlowQuery
    from mixpanel_async.results import flows as results_flows
    from mixpanel_async.results.flows import FlowQueryResult, FlowsResult
else:
    models = LazyModule("mixpanel_async._generated.models.flows")
    ops = LazyModule("mixpanel_async._generated.operations.flows")
    reports = LazyModule("mixpanel_async.reports.flows")
    results_flows = LazyModule("mixpanel_async.results.flows")


def flow_result(raw: dict[str, Any], params: dict[str, Any], mode: FlowMode) -> FlowQueryResult:
    """A `POST /arb_funnels` answer as a `FlowQueryResult` (an `error` in a 200 answer is a
    `QueryError`, as is an answer with none of the parts a flows report has)."""
    if "error" in raw:
        raise QueryError(f"flows query failed: {raw['error']}", status_code=200, response_body=raw)
    if mode != "tree" and not raw.keys() & {"steps", "flows", "trees", "computed_at", "metadata"}:
        raise QueryError(
            f"the flows answer has none of steps/flows (keys: {sorted(raw)})",
            status_code=200,
            response_body=raw,
        )
    return results_flows.FlowQueryResult(
        computed_at=str(raw.get("computed_at") or ""),
        steps=list(raw.get("steps") or []),
        flows=list(raw.get("flows") or []),
        breakdowns=list(raw.get("breakdowns") or []),
        overall_conversion_rate=float(raw.get("overallConversionRate") or 0.0),
        params=params,
        meta=dict(raw.get("metadata") or {}),
        mode=mode,
        trees=results_flows.trees_of(raw) if mode == "tree" else [],
    )


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
        return results_flows.FlowsResult(
            bookmark_id=bookmark_id,
            computed_at=str(raw.get("computed_at") or ""),
            steps=list(raw.get("steps") or []),
            breakdowns=list(raw.get("breakdowns") or []),
            overall_conversion_rate=float(raw.get("overallConversionRate") or 0.0),
            metadata=dict(raw.get("metadata") or {}),
        )

    def build_flow_params(
        self, event: str | FlowStep | Sequence[str | FlowStep], **options: Unpack[FlowQuery]
    ) -> dict[str, Any]:
        """A flows report's bookmark params, checked, without a request (not awaited).

        Takes `query_flow`'s arguments; see `mixpanel_async.reports.flows.build_flow_params`.

        Raises:
            ParamValidationError: a malformed `FlowStep`, filter or segment entry.
            BookmarkValidationError: the arguments break the flows rules (all listed).
        """
        return reports.build_flow_params(event, **options)

    async def query_flow(
        self, event: str | FlowStep | Sequence[str | FlowStep], **options: Unpack[FlowQuery]
    ) -> FlowQueryResult:
        """Run a flows report built from keyword arguments.

        Args:
            event: The anchor: an event name, a `FlowStep`, or several of them.
            **options: `FlowQuery`'s keywords, with the seed's defaults: `forward` (3) and
                `reverse` (0) steps traced from each anchor that sets none (0–5);
                `from_date`/`to_date` (YYYY-MM-DD; `to_date` defaults to today) or `last`
                days (30); `conversion_window` (7) in `conversion_window_unit`s (`day`,
                `week`, `month`, `session`); `count_type` (`unique`, `total`, `session`);
                `cardinality` (3, events per column before the rest merge, 1–50);
                `collapse_repeated`; `hidden_events`; `mode` (`sankey`, `paths`, `tree`);
                `where` (`Filter`s: one cohort membership at most, the rest all
                required); `data_group_id`; `segments` (property names, `GroupBy`,
                `CohortBreakdown`, `FrequencyBreakdown`); `exclusions` (event names).

        Returns:
            `FlowQueryResult`: `steps`, `flows`, `trees` by mode, with `.df` of that mode,
            `nodes_df`, `edges_df`, `paths_df`, `trees_df`.

        Raises:
            ParamValidationError, BookmarkValidationError: bad arguments (before any request).
            QueryError: Mixpanel refused the report.
        """
        params = reports.build_flow_params(event, **options)
        return await self.run_flow_params(params, mode=options.get("mode", "sankey"))

    async def run_flow_params(
        self,
        params: dict[str, Any],
        *,
        mode: FlowMode | None = None,
        workspace_id: int | None = None,
    ) -> FlowQueryResult:
        """Run flows bookmark params (normally from `build_flow_params`).

        Args:
            params: The flows bookmark, sent as is.
            mode: `sankey`, `paths` or `tree`; None reads it from the params
                (`flows_merge_type`, else `chartType`, else sankey).
            workspace_id: Run under this workspace's data view (wins over a pinned one).

        Raises:
            ParamValidationError: `params` is not a dict, `mode` or `workspace_id` invalid.
            QueryError: Mixpanel refused the report.
        """
        if not isinstance(params, dict):
            raise ParamValidationError("params must be a flows bookmark dict", param="params")
        if mode is not None and mode not in reports.QUERY_TYPE:
            raise ParamValidationError(
                f"mode must be sankey, paths or tree (got {mode!r})", param="mode"
            )
        context = None if workspace_id is None else {
            "workspace_id": entity_id(workspace_id, "workspace_id")
        }  # fmt: skip
        chosen = mode or reports.flow_mode(params)
        body = models.FlowsQueryRequest(
            bookmark=params,
            project_id=int(self.session.project_id),
            query_type=reports.QUERY_TYPE[chosen],
        )
        raw = await self._transport.call_as_sent(ops.flows_query(body=body), context=context)
        return flow_result(raw, params, chosen)
