"""The activity feed: some users' raw events, newest first, paged backwards by a cursor.

Backed by the Query API's stream/bookmark endpoint, which names the project and the workspace in
its JSON body (the workspace always: it is resolved when none is pinned) and reads its window
from the bookmark's date range, built here from `from_date`/`to_date` as the peer builds it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import LazyModule
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import build
from mixpanel_async.exceptions import ParamValidationError

if TYPE_CHECKING:
    from mixpanel_async._generated.models import stream as models
    from mixpanel_async._generated.operations import stream as ops
    from mixpanel_async.results import stream as results_stream
    from mixpanel_async.results.stream import ActivityFeedResult, UserEvent
else:
    models = LazyModule("mixpanel_async._generated.models.stream")
    ops = LazyModule("mixpanel_async._generated.operations.stream")
    results_stream = LazyModule("mixpanel_async.results.stream")

FEED_LIMIT_MAX = 15_000
"""Mixpanel's ceiling on events per page."""
PAGING_WINDOW_MAX = 30
DEFAULT_WINDOW_DAYS = 30
"""With no dates, or only `to_date`, the feed covers 30 days."""


def date_range(from_date: str | None, to_date: str | None) -> models.StreamDateRange:
    """The bookmark's `dateRange`: between, since, or the last 30 days (checked dates)."""
    first = None if from_date is None else checks.date(from_date, "from_date")
    last = None if to_date is None else checks.date(to_date, "to_date")
    if first is not None and last is not None:
        checks.date_range(first, last)
        return models.StreamDateRange(
            type="between", from_date=first.isoformat(), to_date=last.isoformat()
        )
    if first is not None:
        return models.StreamDateRange(type="since", from_date=first.isoformat())
    if last is not None:
        start = last - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
        return models.StreamDateRange(
            type="between", from_date=start.isoformat(), to_date=last.isoformat()
        )
    return models.StreamDateRange(
        type="relative_after", window=models.StreamDateWindow(unit="day", value=DEFAULT_WINDOW_DAYS)
    )


def _dicts(value: Any, name: str) -> list[dict[str, Any]]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, dict) for v in value):
        raise ParamValidationError(f"{name} must be a list of dicts, got {value!r}", param=name)
    return [dict(v) for v in value]


def _user_event(event: models.StreamEvent) -> UserEvent:
    at = event.properties.get("time")
    if isinstance(at, bool) or not isinstance(at, int | float):
        raise ValueError(f"event {event.event!r} has no numeric 'time' property")
    return results_stream.UserEvent(
        event=event.event,
        time=dt.datetime.fromtimestamp(at, tz=dt.UTC),
        properties=dict(event.properties),
    )


class StreamMixin(Base):
    """Users' activity feeds."""

    async def activity_feed(
        self,
        distinct_ids: list[str],
        *,
        from_date: str | None = None,
        to_date: str | None = None,
        limit: int | None = None,
        include_events: list[str] | None = None,
        exclude_events: list[str] | None = None,
        sentinel_event: dict[str, Any] | None = None,
        paging_window: int | None = None,
        search: str | None = None,
        search_properties: list[dict[str, Any]] | None = None,
        use_custom_events: bool = False,
    ) -> ActivityFeedResult:
        """The users' events; with `limit`, the newest first, and `sentinel_event` on the result
        pages back to older ones.

        Args:
            distinct_ids: The users.
            from_date: First day (`YYYY-MM-DD`); alone, the feed runs until today.
            to_date: Last day; alone, the feed covers the 30 days before it.
            limit: At most this many events (1 to 15000).
            include_events: Only these events (not with `exclude_events`).
            exclude_events: All but these events (not with `include_events`).
            sentinel_event: A previous result's `sentinel_event`, for the next page.
            paging_window: Days (1 to 30) each page scans.
            search: Full-text search over the events.
            search_properties: Restrict `search` to these properties
                (`{"value": name, "resourceType": "event" | "user"}` each).
            use_custom_events: Label events that match a custom event.

        Raises:
            ParamValidationError: bad arguments (before any request).
            WorkspaceScopeError: no workspace could be resolved.
            QueryError: Mixpanel refused the query.
        """
        users = checks.names(distinct_ids, "distinct_ids")
        window = date_range(from_date, to_date)
        if limit is not None:
            checks.int_range(limit, "limit", 1, FEED_LIMIT_MAX)
        if include_events and exclude_events:
            raise ParamValidationError(
                "include_events and exclude_events are mutually exclusive", param="include_events"
            )
        include = None if not include_events else checks.names(include_events, "include_events")
        exclude = None if not exclude_events else checks.names(exclude_events, "exclude_events")
        if sentinel_event is not None and not isinstance(sentinel_event, dict):
            raise ParamValidationError(
                f"sentinel_event must be a dict, got {sentinel_event!r}", param="sentinel_event"
            )
        if paging_window is not None:
            checks.int_range(paging_window, "paging_window", 1, PAGING_WINDOW_MAX)
        checks.optional_text(search, "search")
        if search_properties is not None:
            if search is None:
                raise ParamValidationError(
                    "search_properties requires a search string", param="search_properties"
                )
            search_properties = _dicts(search_properties, "search_properties")
        checks.flag(use_custom_events, "use_custom_events")
        body = models.ActivityFeedParams(
            project_id=int(self.session.project_id),
            workspace_id=await self.resolve_workspace_id(),
            bookmark=models.StreamBookmark(date_range=window, entries=[]),
            distinct_ids=users,
            mode="raw",
            limit=limit,
            include_events=include,
            exclude_events=exclude,
            sentinel_event=sentinel_event,
            paging_window=paging_window,
            search=search,
            search_properties=search_properties,
            use_custom_events=True if use_custom_events else None,
        )
        response = await self._transport.call(build(ops.stream_bookmark, body=body))
        return results_stream.ActivityFeedResult(
            distinct_ids=users,
            from_date=from_date,
            to_date=to_date,
            events=[_user_event(e) for e in response.results.events],
            sentinel_event=response.results.sentinel_event,
        )
