"""Saved reports (bookmarks) run as saved: `query_saved_report()`.

Insights reports go to `/insights?bookmark_id=`, flows reports to `/arb_funnels` (a Sankey),
funnel reports to the classic `/funnels` route (`funnel_id` = the bookmark id, a date window the
caller picks, by default the last 30 days), retention reports to `/retention?bookmark_id=`.
Insights and retention reports run over their saved range, so `from_date`/`to_date` are checked
but not sent, as the seed does.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal, get_args

from mixpanel_async._operation import LazyModule
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import build, entity_id
from mixpanel_async.exceptions import ParamValidationError

if TYPE_CHECKING:
    from mixpanel_async._generated.operations import flows as flows_ops
    from mixpanel_async._generated.operations import insights as insights_ops
    from mixpanel_async._generated.operations import query as ops
    from mixpanel_async.results import insights as results_insights
    from mixpanel_async.results.insights import SavedReportResult
else:
    flows_ops = LazyModule("mixpanel_async._generated.operations.flows")
    insights_ops = LazyModule("mixpanel_async._generated.operations.insights")
    ops = LazyModule("mixpanel_async._generated.operations.query")
    results_insights = LazyModule("mixpanel_async.results.insights")

SavedReportKind = Literal["insights", "funnels", "retention", "flows"]
BOOKMARK_TYPES: tuple[SavedReportKind, ...] = get_args(SavedReportKind)
FLOWS_SERIES = ("steps", "breakdowns", "overallConversionRate")
"""What a flows report's `series` holds (the seed's choice), as Mixpanel names it."""
FUNNEL_WINDOW = dt.timedelta(days=30)
"""The window of a funnel report when the caller gives no or one date (as the seed picks it)."""


def funnel_window(
    from_date: str | None, to_date: str | None, today: dt.date
) -> tuple[dt.date, dt.date]:
    """Both dates given: checked. Neither: the 30 days up to today. Only `to_date`: the 30
    days before it. Only `from_date`: 30 days from it, not past today."""
    first = None if from_date is None else checks.date(from_date, "from_date")
    last = None if to_date is None else checks.date(to_date, "to_date")
    if first is None:
        last = last or today
        first = last - FUNNEL_WINDOW
    elif last is None:
        last = min(first + FUNNEL_WINDOW, today)
    return checks.date_range(first, last)


def _span(keys: list[str]) -> tuple[str, str]:
    ordered = sorted(keys)
    return (ordered[0], ordered[-1]) if ordered else ("", "")


class InsightsMixin(Base):
    """Saved reports run as saved."""

    async def query_saved_report(
        self,
        bookmark_id: int,
        *,
        bookmark_type: SavedReportKind = "insights",
        from_date: str | None = None,
        to_date: str | None = None,
    ) -> SavedReportResult:
        """Run a saved report as saved, by its bookmark id.

        `bookmark_type="insights"` (the default) asks `/insights` for the report's series over
        its saved range: `series` is `{metric: {date: value}}` (with breakdowns, a level of
        segments with `$overall` rollups in between) and `headers` names those levels.
        `"flows"` runs a saved Flows report as a Sankey (`series` holds its `steps`,
        `breakdowns` and `overallConversionRate`; no dates). `"funnels"` asks `/funnels` for
        the report's steps per date of entry over `from_date`..`to_date` (defaults: the last
        30 days up to today; with only one date, 30 days from or up to it). `"retention"`
        runs the report over its own saved range. For insights, retention and flows reports
        `from_date`/`to_date` are checked but not sent (as the seed does); the result's dates
        are the report's window (insights), the first and last date keys of the answer
        (funnels, retention), or empty (flows).

        Raises:
            ParamValidationError: a bad `bookmark_id`, `bookmark_type` or date (before any
                request).
            QueryError: Mixpanel refused the report (e.g. no such bookmark, or not one of
                `bookmark_type`).
        """
        bookmark_id = entity_id(bookmark_id, "bookmark_id")
        if bookmark_type not in BOOKMARK_TYPES:
            raise ParamValidationError(
                f"bookmark_type must be one of {', '.join(BOOKMARK_TYPES)}, got {bookmark_type!r}",
                param="bookmark_type",
            )
        if bookmark_type == "funnels":
            first, last = funnel_window(from_date, to_date, dt.date.today())
            funnel = await self._transport.call_as_sent(
                build(ops.funnel, funnel_id=bookmark_id, from_date=first, to_date=last)
            )
            return _by_dates(bookmark_id, funnel["data"], "$funnel")
        for value, name in ((from_date, "from_date"), (to_date, "to_date")):
            if value is not None:
                checks.date(value, name)
        if bookmark_type == "retention":
            retention = await self._transport.call_as_sent(
                build(ops.retention, bookmark_id=bookmark_id)
            )
            return _by_dates(bookmark_id, retention, "$retention")
        if bookmark_type == "flows":
            flows = await self._transport.call_as_sent(
                build(flows_ops.saved_flows, bookmark_id=bookmark_id)
            )
            return results_insights.SavedReportResult(
                bookmark_id=bookmark_id,
                computed_at=str(flows.get("computed_at") or ""),
                from_date="",
                to_date="",
                headers=["$flows"],
                series={key: flows.get(key) for key in FLOWS_SERIES},
            )
        report = await self._transport.call_as_sent(
            build(insights_ops.insights_report, bookmark_id=bookmark_id)
        )
        window = report.get("date_range") or {}
        return results_insights.SavedReportResult(
            bookmark_id=bookmark_id,
            computed_at=str(report.get("computed_at", "")),
            from_date=str(window.get("from_date", "")),
            to_date=str(window.get("to_date", "")),
            headers=list(report.get("headers") or []),
            series=dict(report.get("series") or {}),
        )


def _by_dates(bookmark_id: int, series: dict[str, Any], header: str) -> SavedReportResult:
    """A funnel or retention answer keyed by date, spanning its first to its last date."""
    start, end = _span(list(series))
    return results_insights.SavedReportResult(
        bookmark_id=bookmark_id,
        computed_at="",
        from_date=start,
        to_date=end,
        headers=[header],
        series=series,
    )
