"""Emulator route for openapi/flows.yaml: `GET /api/query/arb_funnels`, a saved Flows report.

The bookmark comes from the project's `bookmark` entity table and must be of type `flows`; its
params are checked by `engine.flows.parse_spec` and computed by `engine.flows.sankey` on a
worker thread (polars releases the GIL, so the loop keeps serving). Only `query_type=flows_sankey`
is computed; every refusal is a 400 in the Query API's error shape, as for an unknown funnel.
`workspace_id` is accepted and does not narrow the data (the emulator has no data views).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from mixpanel_async.emulator.engine import flows as engine
from mixpanel_async.emulator.engine.events import project_zone
from mixpanel_async.emulator.entities import tables
from mixpanel_async.emulator.render import EmulatorError, json_response
from mixpanel_async.emulator.router import Call, Routes, project_for
from mixpanel_async.emulator.routes.saved_reports import UNKNOWN_BOOKMARK
from mixpanel_async.emulator.store import ProjectState

routes = Routes()

NOT_FLOWS = "bookmark {bookmark_id} is not a saved flows report"
"""Worded as `engine.saved_reports.NOT_KIND` words it for funnels and retention."""
QUERY_TYPE = "query_type {query_type!r} is not supported by the emulator (only flows_sankey)"


def _params(project: ProjectState, bookmark_id: int) -> Any:
    """The params of a saved flows report; a 400 for an unknown or non-flows bookmark."""
    row = tables(project.entities, "bookmark").rows.get(bookmark_id)
    if row is None:
        raise EmulatorError(400, UNKNOWN_BOOKMARK.format(bookmark_id=bookmark_id))
    if row.get("type") != "flows":
        raise EmulatorError(400, NOT_FLOWS.format(bookmark_id=bookmark_id))
    params = row.get("params")
    return params if isinstance(params, Mapping) else None


@routes("saved_flows")
async def saved_flows(call: Call) -> web.Response:
    """GET /api/query/arb_funnels?bookmark_id=&query_type=flows_sankey: the report's Sankey."""
    query_type = call.params["query_type"]
    if query_type != "flows_sankey":
        raise EmulatorError(400, QUERY_TYPE.format(query_type=query_type))
    project = project_for(call)
    params = _params(project, int(call.params["bookmark_id"]))
    try:
        zone = project_zone(project.timezone)
    except ValueError as exc:
        raise EmulatorError(400, f"project timezone: {exc}") from None
    now = dt.datetime.now(dt.UTC)
    try:
        spec = engine.parse_spec(params, now.astimezone(zone).date())
    except ValueError as exc:
        raise EmulatorError(400, str(exc)) from None
    frame = project.events.deduped()
    result = await asyncio.to_thread(engine.sankey, frame, spec, timezone=project.timezone, now=now)
    return json_response(result)
