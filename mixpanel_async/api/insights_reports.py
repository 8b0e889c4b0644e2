"""Typed funnel and retention queries, as the seed's `Workspace` has them:
`build_funnel_params()` / `build_retention_params()` (bookmark JSON, no I/O),
`run_funnel_params()` / `run_retention_params()` (run bookmark JSON) and `query_funnel()` /
`query_retention()` (both).

Both kinds are one metric of an Insights bookmark, POSTed to `/insights` like `query()`, under
the same Query API limits (5 in flight and 60 an hour against Mixpanel; callers queue).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Unpack

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.api.insights_query import check_run_args, post_bookmark

if TYPE_CHECKING:
    from mixpanel_async.reports import funnels as reports_funnels
    from mixpanel_async.reports import retention as reports_retention
    from mixpanel_async.reports.behaviors import FunnelStep
    from mixpanel_async.reports.funnels import FunnelQuery
    from mixpanel_async.reports.metrics import RetentionEvent
    from mixpanel_async.reports.retention import RetentionQuery
    from mixpanel_async.results import insights_funnels as results_insights_funnels
    from mixpanel_async.results.insights_funnels import FunnelQueryResult, RetentionQueryResult
else:
    reports_funnels = LazyModule("mixpanel_async.reports.funnels")
    reports_retention = LazyModule("mixpanel_async.reports.retention")
    results_insights_funnels = LazyModule("mixpanel_async.results.insights_funnels")


class InsightsReportsMixin(Base):
    """Funnel and retention queries from typed arguments or from bookmark JSON."""

    def build_funnel_params(
        self, steps: list[str | FunnelStep], **options: Unpack[FunnelQuery]
    ) -> dict[str, Any]:
        """The funnel bookmark params `query_funnel()` would run, without running them (pure).

        Arguments as `query_funnel()`. Raises `BookmarkValidationError` naming every bad
        argument.
        """
        return reports_funnels.funnel_params(steps, **options)

    async def run_funnel_params(
        self, params: dict[str, Any], *, limit: int | None = None, workspace_id: int | None = None
    ) -> FunnelQueryResult:
        """Run funnel bookmark params (normally from `build_funnel_params()`, perhaps edited).

        Arguments and errors as `run_params()`.
        """
        check_run_args(params, limit, workspace_id)
        answer = await post_bookmark(self, params, limit, workspace_id, "Funnel")
        return results_insights_funnels.FunnelQueryResult.from_answer(answer, params)

    async def query_funnel(
        self, steps: list[str | FunnelStep], **options: Unpack[FunnelQuery]
    ) -> FunnelQueryResult:
        """Run a typed funnel query.

        Args:
            steps: At least 2 (at most 100) steps: event names or `FunnelStep` (own label,
                filters, order).
            conversion_window: How long users have to finish, in `conversion_window_unit`
                (default 14).
            conversion_window_unit: second, minute, hour, day (default), week, month, session.
            order: `loose` (in order, other events between; default) or `any`.
            from_date: First day (YYYY-MM-DD); with it the window is `from_date`..`to_date`.
            to_date: Last day (default today); needs `from_date`.
            last: Otherwise the window is the last `last` days (default 30).
            unit: Bucket size of trends: hour, day (default), week, month, quarter.
            math: What is measured (default `conversion_rate_unique`); `average`, `median`,
                `min`, `max` and the percentiles aggregate `math_property`.
            math_property: The numeric property a property math aggregates.
            group_by: Breakdowns: property names, `GroupBy`, `CohortBreakdown`.
            where: Conditions every step's events must meet.
            exclusions: Events that disqualify a user between steps (names or `Exclusion`).
            holding_constant: Up to 3 properties that must keep one value across the steps.
            mode: `steps` (default), `trends` or `table`.
            reentry_mode: How users enter the funnel again: default, basic, aggressive,
                optimized (None: Mixpanel's default).
            time_comparison: Compare with an earlier period.
            data_group_id: Query a data group (group analytics).

        Returns:
            The steps (`steps_data`, `overall_conversion_rate`) and a `.df` of one row per step.

        Raises:
            BookmarkValidationError: a bad argument (every one is named; before any request).
            ParamValidationError: a malformed building block.
            QueryError: Mixpanel refused the query.
        """
        params = self.build_funnel_params(steps, **options)
        return await self.run_funnel_params(params)

    def build_retention_params(
        self,
        born_event: str | RetentionEvent,
        return_event: str | RetentionEvent,
        **options: Unpack[RetentionQuery],
    ) -> dict[str, Any]:
        """The retention bookmark params `query_retention()` would run, without running them
        (pure).

        Arguments as `query_retention()`. Raises `BookmarkValidationError` naming every bad
        argument.
        """
        return reports_retention.retention_params(born_event, return_event, **options)

    async def run_retention_params(
        self, params: dict[str, Any], *, limit: int | None = None, workspace_id: int | None = None
    ) -> RetentionQueryResult:
        """Run retention bookmark params (normally from `build_retention_params()`).

        Arguments and errors as `run_params()`; also `QueryError` for an answer of more than
        one metric.
        """
        check_run_args(params, limit, workspace_id)
        answer = await post_bookmark(self, params, limit, workspace_id, "Retention")
        return results_insights_funnels.RetentionQueryResult.from_answer(answer, params)

    async def query_retention(
        self,
        born_event: str | RetentionEvent,
        return_event: str | RetentionEvent,
        **options: Unpack[RetentionQuery],
    ) -> RetentionQueryResult:
        """Run a typed retention query.

        Args:
            born_event: The event that puts a user in a cohort (a name or `RetentionEvent`).
            return_event: The event that counts as coming back.
            retention_unit: Bucket length: day, week (default) or month.
            alignment: Buckets from each user's birth (`birth`, default) or from the start
                of the period (`interval_start`).
            bucket_sizes: Custom buckets: strictly ascending positive integers (at most 730).
            from_date: First day (YYYY-MM-DD); with it the window is `from_date`..`to_date`.
            to_date: Last day (default today); needs `from_date`.
            last: Otherwise the window is the last `last` days (default 30).
            unit: Cohort size: day (default), week or month.
            math: `retention_rate` (default), `unique`, `total` or `average`.
            group_by: Breakdowns: property names and `GroupBy`, or `CohortBreakdown` (not
                both kinds).
            where: Conditions the events must meet.
            mode: `curve` (default), `trends` or `table`.
            unbounded_mode: none, carry_back, carry_forward, consecutive_forward (None:
                Mixpanel's default).
            retention_cumulative: Count users who came back in a bucket or any later one.
            time_comparison: Compare with an earlier period.
            data_group_id: Query a data group (group analytics).

        Returns:
            The cohorts (and per segment for a breakdown) and a `.df` of one row per cohort
            and bucket.

        Raises:
            BookmarkValidationError: a bad argument (every one is named; before any request).
            ParamValidationError: a malformed building block.
            QueryError: Mixpanel refused the query.
        """
        params = self.build_retention_params(born_event, return_event, **options)
        return await self.run_retention_params(params)
