"""Emulator routes for openapi/data_definitions.yaml: Lexicon event and property definitions (App
API) and the per-event properties gather (Query API), all derived from the stored events and
profiles by `engine.data_definitions`, with ids and users' changes laid over them by
`lexicon_store` (`name[]` picks definitions by name); the JSON scans run on a worker thread."""

from __future__ import annotations

import asyncio

from aiohttp import web

from mixpanel_async.emulator import lexicon_store as lex
from mixpanel_async.emulator.engine import data_definitions as dd
from mixpanel_async.emulator.render import json_response
from mixpanel_async.emulator.route_helpers import ok
from mixpanel_async.emulator.router import Call, Routes, project_for
from mixpanel_async.emulator.routes import custom_events

routes = Routes()


@routes("list_event_definitions")
async def list_event_definitions(call: Call) -> web.StreamResponse:
    """GET /api/app/projects/{project_id}/data-definitions/events/: every event definition of the
    project's Lexicon, or those named by `name[]` (the custom events with `custom_event`)."""
    if call.params.get("custom_event"):
        return custom_events.list_definitions(call)
    project = project_for(call)
    derived = await asyncio.to_thread(lex.derived_events, project)
    return ok(lex.event_definitions(project, derived, call.params.get("name")))


@routes("list_property_definitions")
async def list_property_definitions(call: Call) -> web.StreamResponse:
    """GET /api/app/projects/{project_id}/data-definitions/properties/: every property definition
    of one resource type, or those named by `name[]`."""
    project = project_for(call)
    density = bool(call.params.get("include_density", False))
    resource = call.params.get("resource_type", "Event")
    derived = await asyncio.to_thread(lex.derived_properties, project, resource, density=density)
    return ok(lex.property_definitions(project, derived, call.params.get("name")))


@routes("list_per_event_properties")
async def list_per_event_properties(call: Call) -> web.StreamResponse:
    """GET /api/query/data_definitions/events: every event with the properties observed on it
    (Query API host)."""
    frame = project_for(call).events.deduped()
    rows = await asyncio.to_thread(dd.per_event_properties, frame)
    deleted = lex.events_marked(project_for(call), "deleted")
    rows = [row for row in rows if row["name"] not in deleted]  # as the event definitions
    if not call.params.get("fetch_per_event_properties", False):
        # Without the flag Mixpanel lists the event definitions alone.
        rows = [{"name": row["name"]} for row in rows]
    return json_response({"status": "ok", "results": rows})
