"""Emulator route for openapi/insights.yaml: saved Insights reports (`GET /insights`).

The bookmark comes from the project's `bookmark` table and must be an `insights` report;
`engine.insights` parses its params (anything it cannot compute is a 400 naming it) and
computes the series over the deduplicated events, off the event loop.
"""

from __future__ import annotations

import datetime as dt

from aiohttp import web

from mixpanel_async.emulator.engine import insights
from mixpanel_async.emulator.engine.events import project_zone
from mixpanel_async.emulator.render import EmulatorError
from mixpanel_async.emulator.router import Call, Routes, project_for
from mixpanel_async.emulator.routes.query import _run
from mixpanel_async.emulator.routes.saved_reports import bookmark_params

routes = Routes()


@routes("insights_report")
async def insights_report(call: Call) -> web.Response:
    """The saved report's `{computed_at, date_range, headers, series, meta}`."""
    project = project_for(call)
    params = bookmark_params(project, call.params["bookmark_id"], "insights")
    try:
        today = dt.datetime.now(project_zone(project.timezone)).date()
        report = insights.parse(params, today)
    except ValueError as exc:
        raise EmulatorError(400, str(exc)) from None
    frame = project.events.deduped()
    return await _run(lambda: insights.run(frame, report, project.timezone))
