"""Saved reports (bookmarks) run as saved: `query_saved_report()` for funnel and retention reports.

Funnel reports go to the classic `/funnels` route (`funnel_id` = the bookmark id, a date window the
caller picks, by default the last 30 days); retention reports to `/retention?bookmark_id=`, which
runs them over their own saved range. Insights and flows reports are not supported yet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from mixpanel_async import validation
from mixpanel_async._generated.operations import query as ops
from mixpanel_async._operation import Request
from mixpanel_async.api.app import entity_id
from mixpanel_async.api.base import Base
from mixpanel_async.exceptions import ParamValidationError, ResponseValidationError
from mixpanel_async.results_schema import SavedReportResult
from mixpanel_async.transport import codec
from mixpanel_async.validation import build

SavedReportKind = Literal["insights", "funnels", "retention", "flows"]
BOOKMARK_TYPES: tuple[SavedReportKind, ...] = ("insights", "funnels", "retention", "flows")
SUPPORTED = ("funnels", "retention")
FUNNEL_WINDOW = dt.timedelta(days=30)
"""The window of a funnel report when the caller gives no or one date (as the seed picks it)."""


def funnel_window(
    from_date: str | None, to_date: str | None, today: dt.date
) -> tuple[dt.date, dt.date]:
    """Both dates given: checked. Neither: the 30 days up to today. Only `to_date`: the 30
    days before it. Only `from_date`: 30 days from it, not past today."""
    first = None if from_date is None else validation.date(from_date, "from_date")
    last = None if to_date is None else validation.date(to_date, "to_date")
    if first is None:
        last = last or today
        first = last - FUNNEL_WINDOW
    elif last is None:
        last = min(first + FUNNEL_WINDOW, today)
    return validation.date_range(first, last)


def _span(keys: list[str]) -> tuple[str, str]:
    ordered = sorted(keys)
    return (ordered[0], ordered[-1]) if ordered else ("", "")


class SavedReportsMixin(Base):
    async def _as_sent(self, request: Request) -> dict[str, Any]:
        """The answer checked against the spec's model, but returned as Mixpanel sent it: the
        seed's `series` keeps every key, `null`s included, which the model would drop."""
        prepared = self._transport.prepare(request)
        _, body, _ = await self._transport.send(prepared)
        self._transport.decode(request.operation, body, prepared)
        data = codec.loads(body)
        if not isinstance(data, dict):
            raise ResponseValidationError(f"{prepared.url} answered with {type(data).__name__}")
        return data

    async def query_saved_report(
        self,
        bookmark_id: int,
        *,
        bookmark_type: SavedReportKind = "insights",
        from_date: str | None = None,
        to_date: str | None = None,
    ) -> SavedReportResult:
        """Run a saved funnel or retention report.

        `bookmark_type="funnels"` asks `/funnels` for the report's steps per date of entry over
        `from_date`..`to_date` (defaults: the last 30 days up to today; with only one date, 30
        days from or up to it). `bookmark_type="retention"` runs the report over its own saved
        range; `from_date`/`to_date` are checked but not sent (as the seed does).
        `from_date`/`to_date` of the result are the first and last date keys of the answer.

        Raises:
            ParamValidationError: a bad `bookmark_id`, `bookmark_type` or date, and for
                `bookmark_type` `"insights"` (the default) and `"flows"`, which are not
                supported yet (before any request).
            QueryError: Mixpanel refused the report (e.g. no such bookmark).
        """
        bookmark_id = entity_id(bookmark_id, "bookmark_id")
        if bookmark_type not in BOOKMARK_TYPES:
            raise ParamValidationError(
                f"bookmark_type must be one of {', '.join(BOOKMARK_TYPES)}, got {bookmark_type!r}",
                param="bookmark_type",
            )
        if bookmark_type not in SUPPORTED:
            raise ParamValidationError(
                f"bookmark_type {bookmark_type!r} is not supported yet", param="bookmark_type"
            )
        if bookmark_type == "funnels":
            first, last = funnel_window(from_date, to_date, dt.date.today())
            funnel = await self._as_sent(
                build(ops.funnel, funnel_id=bookmark_id, from_date=first, to_date=last)
            )
            series: dict[str, Any] = funnel["data"]
            headers = ["$funnel"]
        else:
            for value, name in ((from_date, "from_date"), (to_date, "to_date")):
                if value is not None:
                    validation.date(value, name)
            series = await self._as_sent(build(ops.retention, bookmark_id=bookmark_id))
            headers = ["$retention"]
        start, end = _span(list(series))
        return SavedReportResult(
            bookmark_id=bookmark_id,
            computed_at="",
            from_date=start,
            to_date=end,
            headers=headers,
            series=series,
        )
