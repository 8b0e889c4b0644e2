"""Emulator routes for openapi/lexicon.yaml: Lexicon schemas, read-only.

Event schemas are derived from the stored events (`engine.lexicon`), with what users set on
their Lexicon event definitions (`lexicon_store.with_definitions`); schemas stored in the
project's `lexicon_schema` entity table (rows `{entityType, name, schemaJson}`) are served too and
win over derived ones of the same type and name.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import lexicon
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.lexicon_store import with_definitions
from mixpanel_async.emulator.route_helpers import ok, table_of
from mixpanel_async.emulator.router import Call, Routes, project_for

routes = Routes()

TABLE = "lexicon_schema"


async def _schemas(call: Call) -> list[dict[str, Any]]:
    project = project_for(call)
    frame = project.events.deduped()
    derived = with_definitions(project, await asyncio.to_thread(lexicon.event_schemas, frame))
    stored = list(table_of(call, TABLE, "str").rows.values())
    merged = {(s["entityType"], s["name"]): s for s in [*derived, *stored]}
    return [merged[k] for k in sorted(merged)]


@routes("list_lexicon_schemas")
async def list_lexicon_schemas(call: Call) -> web.StreamResponse:
    """GET /api/app/projects/{project_id}/schemas: every Lexicon schema of the project."""
    return ok(await _schemas(call))


@routes("get_lexicon_schemas_of_type")
async def get_lexicon_schemas_of_type(call: Call) -> web.StreamResponse:
    """GET /api/app/projects/{project_id}/schemas/{entity_type}: the schemas of one entity type,
    or one schema (by `entity_name`)."""
    entity_type = call.params["entity_type"]
    mine = [s for s in await _schemas(call) if s["entityType"] == entity_type]
    name = call.params.get("entity_name")
    if name is None:
        return ok(mine)
    return ok(_named(mine, entity_type, name))


def _named(schemas: list[dict[str, Any]], entity_type: str, name: str) -> Any:
    """The schemaJson of the schema called `name` (a 404 when there is none)."""
    for schema in schemas:
        if schema["name"] == name:
            return schema["schemaJson"]
    raise EmulatorError(404, errors.NO_SCHEMA.format(entity_type=entity_type, name=name))


@routes("get_lexicon_schema")
async def get_lexicon_schema(call: Call) -> web.StreamResponse:
    """GET /api/app/projects/{project_id}/schemas/{entity_type}/{entity_name}: one schemaJson."""
    entity_type, name = call.params["entity_type"], call.params["entity_name"]
    mine = [s for s in await _schemas(call) if s["entityType"] == entity_type]
    return ok(_named(mine, entity_type, name))
