"""Emulator routes for openapi/flows.yaml: Flows reports as a Sankey, saved
(`GET /api/query/arb_funnels`) or sent as bookmark JSON (`POST`).

A saved report's bookmark comes from the project's `bookmark` entity table and must be of type
`flows`. The params are checked by `engine.flows.parse_spec` and computed on a worker thread
(polars releases the GIL, so the loop keeps serving): `query_type=flows_sankey` by
`engine.flows.sankey`, `flows_top_paths` and `flows` (trees) by `engine.flow_paths`, over the
events `engine.flow_filters.narrow` keeps (with a snapshot of the project's profiles and
cohorts for cohort and people-property filters). Every
refusal is a 400 in the Query API's error shape, as for an unknown funnel.
`workspace_id` is accepted and does not narrow the data (the emulator has no data views).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import flow_filters, flow_paths
from mixpanel_async.emulator.engine import flows as engine
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import (
    bookmark_params,
    report_body,
    run_engine,
    user_data,
    zone_of,
)
from mixpanel_async.emulator.router import Call, Routes, project_for
from mixpanel_async.emulator.store import ProjectState

routes = Routes()


MODES = {"flows_top_paths": "paths", "flows": "tree"}
"""The query types answered by `engine.flow_paths`, and its mode for each."""


async def _answer(project: ProjectState, params: Any, query_type: str) -> web.Response:
    if query_type != "flows_sankey" and query_type not in MODES:
        raise EmulatorError(400, errors.QUERY_TYPE.format(query_type=query_type))
    zone = zone_of(project)
    now = dt.datetime.now(dt.UTC)
    try:
        spec = engine.parse_spec(params, now.astimezone(zone).date())
    except ValueError as exc:
        raise EmulatorError(400, str(exc)) from None
    frame = project.events.deduped()
    users = user_data(project, spec.from_date, spec.to_date)

    def compute() -> Any:
        traced = frame
        if spec.narrowing.active:
            traced = flow_filters.narrow(frame, spec.narrowing, users, now)
        if query_type == "flows_sankey":
            return engine.sankey(traced, spec, timezone=project.timezone, now=now)
        return flow_paths.answer(
            traced, spec, MODES[query_type], timezone=project.timezone, now=now
        )

    return await run_engine(compute, users)


@routes("saved_flows")
async def saved_flows(call: Call) -> web.Response:
    """GET /api/query/arb_funnels?bookmark_id=&query_type=flows_sankey: the report's Sankey."""
    project = project_for(call)
    params = bookmark_params(project, call.params["bookmark_id"], "flows")
    return await _answer(project, params, call.params["query_type"])


@routes("flows_query")
async def flows_query(call: Call) -> web.Response:
    """POST /api/query/arb_funnels: the body's flows bookmark computed as a saved one."""
    body = await report_body(call)
    project = project_for(call, project_id=body["project_id"])
    return await _answer(project, body["bookmark"], body["query_type"])
