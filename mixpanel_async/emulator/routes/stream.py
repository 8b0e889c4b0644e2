"""Emulator routes for openapi/stream.yaml: the activity feed (`POST /stream/bookmark`).

The body is checked against the spec's model, the bookmark's date range becomes a window of
whole days in the project's time zone, and `engine.activity` cuts the page. Bad input is a 400 in
the Query API's error shape.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import activity
from mixpanel_async.emulator.engine.events import day_window_ms, project_zone
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.render import json_response
from mixpanel_async.emulator.route_helpers import body
from mixpanel_async.emulator.router import Call, Routes, project_for

routes = Routes()


def _window(date_range: dict[str, Any], timezone: str) -> tuple[int, int]:
    """`[start, end)` in Unix ms for `between`, `since` (until today) or `relative_after`."""
    kind = date_range["type"]
    today = dt.datetime.now(project_zone(timezone)).date()

    def day(field: str) -> dt.date:
        if field not in date_range:
            raise EmulatorError(400, errors.RANGE_NEEDS.format(type=kind, field=field))
        return dt.date.fromisoformat(str(date_range[field]))

    if kind == "between":
        first, last = day("from"), day("to")
        if first > last:
            raise errors.date_order(first, last)
        return day_window_ms(first, last, timezone)
    if kind == "since":
        return day_window_ms(day("from"), today, timezone)
    days = int((date_range.get("window") or {}).get("value", 30))
    return day_window_ms(today - dt.timedelta(days=days), today, timezone)


@routes("stream_bookmark")
async def stream_bookmark(call: Call) -> web.StreamResponse:
    """One page of the users' events, with the cursor of the next (older) page."""
    fields = await body(call)
    project = project_for(call, project_id=fields["project_id"])
    if fields.get("include_events") and fields.get("exclude_events"):
        raise EmulatorError(400, errors.EXCLUSIVE)
    if fields.get("search_properties") is not None and fields.get("search") is None:
        raise EmulatorError(400, errors.SEARCH_NEEDED)
    try:
        start, end = _window(fields["bookmark"]["dateRange"], project.timezone)
    except (ValueError, TypeError, OverflowError) as exc:  # (a window past the first date)
        raise EmulatorError(400, errors.BAD_DATE_RANGE.format(exc=exc)) from None
    frame = project.events.deduped()
    profiles = dict(project.profiles)

    def compute() -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        return activity.feed(
            frame,
            fields["distinct_ids"],
            start,
            end,
            limit=fields.get("limit"),
            include_events=fields.get("include_events"),
            exclude_events=fields.get("exclude_events"),
            sentinel_event=fields.get("sentinel_event"),
            paging_window=fields.get("paging_window"),
            search=fields.get("search"),
            search_properties=fields.get("search_properties"),
            profiles=profiles,
        )

    try:
        events, sentinel = await asyncio.to_thread(compute)
    except activity.FeedError as exc:
        raise EmulatorError(400, str(exc)) from None
    return json_response(
        {"status": "ok", "results": {"events": events, "sentinel_event": sentinel}}
    )


@routes("stream_query")
async def stream_query(call: Call) -> web.StreamResponse:
    """GET /stream/query: the users' events of a window of whole days, oldest first."""
    project = project_for(call)
    ids = call.params["distinct_ids"]
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise EmulatorError(400, errors.NOT_A_LIST.format(name="distinct_ids"))
    first = dt.date.fromisoformat(str(call.params["from_date"]))
    last = dt.date.fromisoformat(str(call.params["to_date"]))
    if first > last:
        raise errors.date_order(first, last)
    try:
        start, end = day_window_ms(first, last, project.timezone)
    except (ValueError, OverflowError) as exc:
        raise EmulatorError(400, errors.BAD_DATE_RANGE.format(exc=exc)) from None
    frame = project.events.deduped()
    events, _ = await asyncio.to_thread(activity.feed, frame, ids, start, end)
    return json_response({"status": "ok", "results": {"events": events}})
