"""Emulator routes for openapi/insights.yaml: Insights reports, saved (`GET /insights`) or
sent as bookmark JSON (`POST /insights`).

A saved report comes from the project's `bookmark` table and must be an `insights` report.
A report whose metric is a funnel or a retention behavior goes to `engine.insights_funnels` or
`engine.insights_retention`, any other to `engine.insights`; each parses the params (anything it
cannot compute is a 400 naming it) and computes the series over the deduplicated events, off
the event loop, with a snapshot of the project's profiles and cohorts for the per-user values
(people properties, cohorts, frequencies; see `engine.people`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import (
    custom_columns,
    insights,
    insights_funnels,
    insights_params,
    people,
)
from mixpanel_async.emulator.engine import insights_retention as retention
from mixpanel_async.emulator.engine.events import project_zone
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import bookmark_params, report_body, run_engine
from mixpanel_async.emulator.router import Call, Routes, project_for
from mixpanel_async.emulator.store import ProjectState

routes = Routes()
DEFAULT_LIMIT = 3000
"""Segments per breakdown level when the request sets no `queryLimits.limit` (as the peer)."""
MAX_LIMIT = 50_000


async def _answer(project: ProjectState, params: Any, limit: int | None) -> web.Response:
    params = custom_columns.resolve_bookmark(params)
    kind = insights_params.report_kind(params)
    zone = project.timezone
    frame = project.events.deduped()
    engine: Callable[..., Any]
    try:
        today = dt.datetime.now(project_zone(zone)).date()
        if kind == "funnel":
            report: Any = insights_funnels.parse(params, today, limit)
            engine = insights_funnels.run
        elif kind == "retention":
            report = retention.parse(params, today, limit)
            engine = retention.run
        else:
            report = insights.parse(params, today, limit)
            engine = insights.run
    except ValueError as exc:
        raise EmulatorError(400, str(exc)) from None
    users = people.UserData.of(
        report, dict(project.profiles), list(project.cohorts), frame, zone, today
    )

    def compute() -> Any:
        with people.provided(users):
            return engine(frame, report, zone)

    return await run_engine(compute)


@routes("insights_report")
async def insights_report(call: Call) -> web.Response:
    """The saved report's `{computed_at, date_range, headers, series, meta}`."""
    project = project_for(call)
    params = bookmark_params(project, call.params["bookmark_id"], "insights")
    return await _answer(project, params, None)


@routes("insights_query")
async def insights_query(call: Call) -> web.Response:
    """The body's bookmark computed as a saved report would be."""
    body = await report_body(call)
    project = project_for(call, project_id=body["project_id"])
    limit = (body.get("queryLimits") or {}).get("limit", DEFAULT_LIMIT)
    if type(limit) is not int or not 1 <= limit <= MAX_LIMIT:
        raise EmulatorError(400, errors.BAD_LIMIT.format(max_limit=MAX_LIMIT))
    return await _answer(project, body["bookmark"], limit)
