"""Emulator routes for openapi/discovery.yaml: event names, top events, an event's top
properties, a property's top values, saved funnels and saved cohorts (Query API host).

Everything is computed from the project's deduplicated events by `engine.properties`; the
handlers only validate, pick the window and render Mixpanel's shapes. The property scans read
every row's JSON (about a second per million events), so they run on a worker thread, where
polars releases the GIL, and the loop keeps serving other requests meanwhile.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import events as ev
from mixpanel_async.emulator.engine import properties as props
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.lexicon_store import hidden_properties, visible
from mixpanel_async.emulator.render import json_response
from mixpanel_async.emulator.route_helpers import cohort_summary, zone_of
from mixpanel_async.emulator.router import Call, Routes, project_for

routes = Routes()

NAMES_WINDOW_DAYS = 31
"""`/events/names` without dates: "the most common events over the last 31 days"."""
NAMES_LIMIT_MAX = 5000
"""Mixpanel's ceiling for `/events/names`; larger limits are silently clamped."""
EARLIEST_YEAR = 2000


def _date(call: Call, name: str) -> dt.date | None:
    """A validated `YYYY-MM-DD` parameter (the router checked the format) or None."""
    text = call.params.get(name)
    if text is None:
        return None
    day = dt.date.fromisoformat(str(text))
    if day.year < EARLIEST_YEAR:
        raise EmulatorError(400, errors.BAD_YEAR)
    return day


@routes("list_event_names")
async def list_event_names(call: Call) -> web.Response:
    """GET /api/query/events/names: the most common event names of a window, alphabetically.

    Without dates the window is the last 31 days ending today (project timezone); with only
    `to_date` it is the 31 days ending then; with only `from_date` it runs until today.
    """
    project = project_for(call)
    zone = zone_of(project)
    today = dt.datetime.now(zone).date()
    from_date, to_date = _date(call, "from_date"), _date(call, "to_date")
    if to_date is None:
        to_date = today
    if from_date is None:
        from_date = to_date - dt.timedelta(days=NAMES_WINDOW_DAYS - 1)
    if from_date > to_date:
        raise errors.date_order(from_date, to_date)
    start_ms, end_ms = ev.day_window_ms(from_date, to_date, project.timezone)
    limit = min(int(call.params["limit"]), NAMES_LIMIT_MAX)
    names = props.event_names(
        visible(project, project.events.deduped()), start_ms, end_ms, limit, call.params["type"]
    )
    return json_response(names)


@routes("list_top_events")
async def list_top_events(call: Call) -> web.Response:
    """GET /api/query/events/top: today's top events with the normalized change since
    yesterday, `{"events": [{"amount", "event", "percent_change"}], "type"}`."""
    project = project_for(call)
    zone = zone_of(project)
    now = time.time()
    today = dt.datetime.fromtimestamp(now, zone).date()
    today_start, _ = ev.day_window_ms(today, today, project.timezone)
    yesterday = today - dt.timedelta(days=1)
    yesterday_start, _ = ev.day_window_ms(yesterday, yesterday, project.timezone)
    analysis = call.params["type"]
    top = props.top_events(
        visible(project, project.events.deduped()),
        int(now * 1000),
        int(call.params["limit"]),
        analysis,
        today_start_ms=today_start,
        yesterday_start_ms=yesterday_start,
    )
    return json_response({"events": top, "type": analysis})


@routes("list_event_properties_top")
async def list_event_properties_top(call: Call) -> web.Response:
    """GET /api/query/events/properties/top: `{property: {"count": n}}` for one event, the
    most common first; an event the project never received is a 400."""
    project = project_for(call)
    event = str(call.params["event"])
    frame = project.events.deduped()
    if not bool((frame["event"] == event).any()):
        raise EmulatorError(400, errors.UNKNOWN_EVENT.format(event=event))
    hidden, limit = hidden_properties(project), int(call.params["limit"])
    counts = await asyncio.to_thread(props.property_counts, frame, event, limit + len(hidden))
    shown = [(name, n) for name, n in counts.items() if name not in hidden][:limit]
    return json_response({name: {"count": n} for name, n in shown})


@routes("list_property_values")
async def list_property_values(call: Call) -> web.Response:
    """GET /api/query/events/properties/values: the most common values of a property (of one
    event, or of every event when `event` is omitted), as strings."""
    project = project_for(call)
    event = call.params.get("event")
    values = await asyncio.to_thread(
        props.property_values,
        project.events.deduped(),
        str(call.params["name"]),
        None if event is None else str(event),
        int(call.params["limit"]),
    )
    return json_response(values)


@routes("list_funnels")
async def list_funnels(call: Call) -> web.Response:
    """GET /api/query/funnels/list: `[{"funnel_id", "name"}]` of the saved funnels."""
    project = project_for(call)
    return json_response(
        [{"funnel_id": int(f["funnel_id"]), "name": str(f["name"])} for f in project.funnels]
    )


@routes("list_cohorts")
async def list_cohorts(call: Call) -> web.Response:
    """POST /api/query/cohorts/list: every saved cohort with its size."""
    project = project_for(call)
    return json_response([cohort_summary(project, c) for c in project.cohorts])
