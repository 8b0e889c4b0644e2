"""Typed Insights queries: `build_params()` (bookmark JSON, no I/O), `run_params()` (run
bookmark JSON) and `query()` (both), as the seed's `Workspace` has them.

`run_params()` POSTs the bookmark to `/insights` (the generated `insights_query` operation,
limited as a Query API call: at most 5 in flight and 60 an hour against Mixpanel, so any number
of concurrent queries queue instead of failing).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Unpack

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import build, entity_id
from mixpanel_async.exceptions import ParamValidationError, QueryError

if TYPE_CHECKING:
    from mixpanel_async._generated.operations import insights as insights_ops
    from mixpanel_async.reports import insights as reports_insights
    from mixpanel_async.reports.insights import Events, InsightsQuery
    from mixpanel_async.results import insights_query as results_insights_query
    from mixpanel_async.results.insights_query import QueryResult
else:
    insights_ops = LazyModule("mixpanel_async._generated.operations.insights")
    reports_insights = LazyModule("mixpanel_async.reports.insights")
    results_insights_query = LazyModule("mixpanel_async.results.insights_query")

DEFAULT_LIMIT = 3000
"""Segments per breakdown level when the caller sets no `limit` (as Mixpanel's UI)."""


class InsightsQueryMixin(Base):
    """Insights queries from typed arguments or from bookmark JSON."""

    async def run_params(
        self, params: dict[str, Any], *, limit: int | None = None, workspace_id: int | None = None
    ) -> QueryResult:
        """Run Insights bookmark params (normally from `build_params()`, perhaps edited).

        Args:
            params: The bookmark (`sections`, `displayOptions`), sent as the request's
                `bookmark`.
            limit: Segments per breakdown level, 1..50000 (None: Mixpanel's 3000).
            workspace_id: Run under this workspace's data view (wins over the pinned one).

        Raises:
            ParamValidationError: `params` is not a dict, or a bad `limit`/`workspace_id`
                (before any request).
            QueryError: Mixpanel refused the bookmark.
        """
        check_run_args(params, limit, workspace_id)
        return results_insights_query.QueryResult.from_answer(
            await post_bookmark(self, params, limit, workspace_id), params
        )

    def build_params(self, events: Events, **options: Unpack[InsightsQuery]) -> dict[str, Any]:
        """The Insights bookmark params `query()` would run, without running them (pure).

        Arguments as `query()`. Raises `BookmarkValidationError` naming every bad argument.
        """
        return reports_insights.insights_params(events, **options)

    async def query(self, events: Events, **options: Unpack[InsightsQuery]) -> QueryResult:
        """Run a typed Insights query.

        Args:
            events: An event name, `Metric`, `CohortMetric`, `FunnelMetric`,
                `RetentionMetric`, a saved metric (`MetricRef`, `SavedMetric`) or a `Formula`,
                or a list of them (formulas are shown after the metrics they combine; a
                `Formula` with its own `metrics` needs no other series).
            from_date: First day (YYYY-MM-DD); with it the window is `from_date`..`to_date`.
            to_date: Last day (default today); needs `from_date`.
            last: Otherwise the window is the last `last` days (default 30).
            unit: Bucket size: hour, day (default), week, month, quarter.
            math: How plain event names are aggregated (default `total`).
            math_property: The property `math` aggregates (average, sum, percentiles, ...).
            per_user: Aggregate per user first (total, average, min, max, unique_values).
            percentile_value: The percentile of `math="percentile"` (e.g. 95).
            group_by: Breakdowns: property names, `GroupBy`, `CohortBreakdown`,
                `FrequencyBreakdown`.
            where: Conditions: `Filter`, `FrequencyFilter`, or a list of them (all must hold).
            formula: A formula over the metrics by position (`"B / A"`); not with `Formula`
                items in `events`.
            formula_label: The formula's display name.
            rolling: A rolling average over this many periods (not with `cumulative`).
            cumulative: Running totals.
            mode: `timeseries` (default), `total` or `table`.
            time_comparison: Compare with an earlier period (`TimeComparison.relative("week")`).
            data_group_id: Query a data group (group analytics).

        Returns:
            The series, with a tidy `.df` (date, event, one column per breakdown, count).

        Raises:
            BookmarkValidationError: a bad argument (every one is named; before any request).
            ParamValidationError: a malformed building block.
            QueryError: Mixpanel refused the query.
        """
        params = self.build_params(events, **options)
        return await self.run_params(params)


async def post_bookmark(
    api: Base, params: dict[str, Any], limit: int | None, workspace_id: int | None,
    kind: str = "Insights",
) -> dict[str, Any]:  # fmt: skip
    """POST `params` to `/insights` (as a Query API call); Mixpanel's answer, or `QueryError`
    for an answer that carries an `error` (even with status 200) or no `series`."""
    body = {
        "bookmark": params,
        "project_id": int(api.session.project_id),
        "queryLimits": {"limit": DEFAULT_LIMIT if limit is None else limit},
    }
    request = build(insights_ops.insights_query, body=body)
    context = None if workspace_id is None else {"workspace_id": workspace_id}
    prepared = api._transport.prepare(request, context=context)
    _, raw, _ = await api._transport.send(prepared)
    answer = _json_object(raw)
    if "error" in answer:
        raise QueryError(f"{kind} query failed: {answer['error']}", status_code=200)
    if not isinstance(answer.get("series"), dict):
        raise QueryError(f"{kind} answer has no series (keys: {sorted(answer)})", status_code=200)
    return answer


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        raise QueryError("Insights answer is not JSON", status_code=200) from None
    if not isinstance(data, dict):
        raise QueryError("Insights answer is not a JSON object", status_code=200)
    return data


def check_run_args(params: Any, limit: Any, workspace_id: Any) -> None:
    """`params` is a dict, `limit` 1..50000 or None, `workspace_id` an id or None."""
    if not isinstance(params, dict):
        raise ParamValidationError(
            f"params must be a bookmark dict, got {type(params).__name__}", param="params"
        )
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 50_000
    ):
        raise ParamValidationError(
            f"limit must be an integer 1..50000, got {limit!r}", param="limit"
        )
    if workspace_id is not None:
        entity_id(workspace_id, "workspace_id")
