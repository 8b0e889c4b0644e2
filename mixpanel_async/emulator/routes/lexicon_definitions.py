"""Emulator routes for openapi/lexicon_definitions.yaml: Lexicon definition updates and deletes,
tags, history, tracking metadata, the Lexicon export and drop filters.

State and its rules live in `lexicon_store` (definitions, tags) and `engine.drop_filters` (what
a filter matches; the ingestion hook); this module parses and answers. Guessed semantics are
listed in those two modules. The Lexicon export answers the definitions themselves (Mixpanel
may mail them instead): `{"events", "eventProperties"}` for "All Events and Properties" and
`{"userProperties"}` for "All User Profile Properties".
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiohttp import web

from mixpanel_async.emulator import lexicon_store as lex
from mixpanel_async.emulator.engine import data_definitions as dd
from mixpanel_async.emulator.engine import drop_filters
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import body, ok
from mixpanel_async.emulator.router import Call, Routes, project_for
from mixpanel_async.emulator.routes import custom_events
from mixpanel_async.emulator.store import ProjectState

routes = Routes()


def _fields(entry: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    return {k: entry[k] for k in allowed if k in entry and entry[k] is not None}


async def _events(project: ProjectState) -> list[dict[str, Any]]:
    return await asyncio.to_thread(lex.derived_events, project)


async def _properties(project: ProjectState) -> dict[str, list[dict[str, Any]]]:
    return {
        kind: await asyncio.to_thread(lex.derived_properties, project, kind)
        for kind in ("Event", "User")
    }


# --- definitions -------------------------------------------------------------------------------


@routes("patch_event_definitions")
async def patch_event_definitions(call: Call) -> web.StreamResponse:
    """PATCH .../data-definitions/events/: update one event definition or several."""
    project = project_for(call)
    data = await body(call)
    if data.get("customEventId") is not None:
        return custom_events.update_definition(call, data)
    derived = await _events(project)
    if data.get("events") is not None:
        updates: list[tuple[str | int, dict[str, Any]]] = []
        for n, entry in enumerate(data["events"]):
            ref = entry.get("name") or entry.get("id")
            if ref is None:
                what = lex.BULK_ENTRY.format(
                    field="events", index=n, what="event", keys="name or id"
                )
                raise EmulatorError(400, what)
            updates.append((ref, _fields(entry, lex.EVENT_FIELDS)))
        return ok(lex.update_events(project, derived, updates))
    if not data.get("name"):
        raise EmulatorError(
            400, lex.BULK_ENTRY.format(field="body", index=0, what="event", keys="name")
        )
    return ok(
        lex.update_events(project, derived, [(data["name"], _fields(data, lex.EVENT_FIELDS))])[0]
    )


@routes("delete_event_definition")
async def delete_event_definition(call: Call) -> web.StreamResponse:
    """DELETE .../data-definitions/events/: delete one event definition (named in the body)."""
    project = project_for(call)
    data = await body(call)
    if data.get("customEventId") is not None:
        return custom_events.delete_definition(call, data)
    if not data.get("name"):
        raise EmulatorError(
            400, lex.BULK_ENTRY.format(field="body", index=0, what="event", keys="name")
        )
    lex.delete_event(project, await _events(project), data["name"])
    return ok({})


@routes("patch_property_definitions")
async def patch_property_definitions(call: Call) -> web.StreamResponse:
    """PATCH .../data-definitions/properties/: update one property definition or several."""
    project = project_for(call)
    data = await body(call)
    derived = await _properties(project)
    if data.get("properties") is not None:
        updates = [
            (entry["resourceType"], entry["name"], _fields(entry, lex.PROPERTY_FIELDS))
            for entry in data["properties"]
        ]
        return ok(lex.update_properties(project, derived, updates))
    if not data.get("name"):
        raise EmulatorError(
            400, lex.BULK_ENTRY.format(field="body", index=0, what="property", keys="name")
        )
    single = (data.get("resourceType"), data["name"], _fields(data, lex.PROPERTY_FIELDS))
    return ok(lex.update_properties(project, derived, [single])[0])


@routes("get_tracking_metadata")
async def get_tracking_metadata(call: Call) -> web.StreamResponse:
    """GET .../data-definitions/events/tracking-metadata/: how one event is tracked."""
    project = project_for(call)
    name = call.params["event_name"]
    frame = project.events.deduped()
    now_ms = time.time_ns() // 1_000_000
    meta = await asyncio.to_thread(dd.tracking_metadata, frame, name, now_ms)
    if meta is None:
        raise EmulatorError(404, lex.UNKNOWN_EVENT.format(name=name))
    return ok(meta)


def _history_of(
    project: ProjectState, kind: str, key: dict[str, Any], known: bool, missing: str
) -> list[dict[str, Any]]:
    tab = lex.table(project, kind)
    row = next((r for r in tab.rows.values() if all(r.get(k) == v for k, v in key.items())), None)
    if row is None and not known:
        raise EmulatorError(404, missing)
    return [] if row is None else lex.history(tab, row["id"])


@routes("get_event_history")
async def get_event_history(call: Call) -> web.StreamResponse:
    """GET .../data-definitions/events/{event_name}/history/: an event definition's changes."""
    project = project_for(call)
    name = call.params["event_name"]
    known = any(d["name"] == name for d in await _events(project))
    missing = lex.UNKNOWN_EVENT.format(name=name)
    return ok(_history_of(project, drop_filters.EVENTS, {"name": name}, known, missing))


@routes("get_property_history")
async def get_property_history(call: Call) -> web.StreamResponse:
    """GET .../data-definitions/properties/{property_name}/history/: a property definition's
    changes."""
    project = project_for(call)
    name, entity = call.params["property_name"], call.params["entity_type"]
    resource = lex.RESOURCE_OF_ENTITY.get(entity.lower())
    if resource is None:
        allowed = ", ".join(sorted(lex.RESOURCE_OF_ENTITY))
        raise EmulatorError(400, lex.BAD_ENTITY_TYPE.format(allowed=allowed, value=entity))
    derived = await asyncio.to_thread(lex.derived_properties, project, resource)
    known = any(d["name"] == name for d in derived)
    missing = lex.UNKNOWN_PROPERTY.format(resource=resource, name=name)
    key = {"resourceType": resource, "name": name}
    return ok(_history_of(project, drop_filters.PROPERTIES, key, known, missing))


@routes("export_lexicon")
async def export_lexicon(call: Call) -> web.StreamResponse:
    """GET .../data-definitions/export/: the Lexicon's definitions of the kinds asked."""
    project = project_for(call)
    kinds = call.params["export_type"]
    if not isinstance(kinds, list) or not all(k in lex.EXPORT_TYPES for k in kinds):
        allowed = ", ".join(lex.EXPORT_TYPES)
        raise EmulatorError(400, lex.BAD_EXPORT_TYPE.format(allowed=allowed, value=kinds))
    out: dict[str, Any] = {}
    if "All Events and Properties" in kinds:
        out["events"] = lex.event_definitions(project, await _events(project))
        props = await asyncio.to_thread(lex.derived_properties, project, "Event")
        out["eventProperties"] = lex.property_definitions(project, props)
    if "All User Profile Properties" in kinds:
        props = await asyncio.to_thread(lex.derived_properties, project, "User")
        out["userProperties"] = lex.property_definitions(project, props)
    return ok(out)


# --- tags --------------------------------------------------------------------------------------


@routes("list_lexicon_tags")
async def list_lexicon_tags(call: Call) -> web.StreamResponse:
    """GET .../data-definitions/tags/: every Lexicon tag."""
    return ok(lex.list_tags(project_for(call)))


@routes("post_lexicon_tag")
async def post_lexicon_tag(call: Call) -> web.StreamResponse:
    """POST .../data-definitions/tags/: create a tag, or (`delete: true`) delete one by name."""
    project = project_for(call)
    data = await body(call)
    if data.get("delete"):
        lex.delete_tag(project, data["name"])
        return ok({})
    return ok(lex.create_tag(project, data["name"]))


@routes("update_lexicon_tag")
async def update_lexicon_tag(call: Call) -> web.StreamResponse:
    """PATCH .../data-definitions/tags/{tag_id}/: rename a tag."""
    project = project_for(call)
    data = await body(call)
    return ok(lex.rename_tag(project, call.params["tag_id"], data.get("name")))


# --- drop filters ------------------------------------------------------------------------------


def _conditions(raw: Any) -> list[dict[str, Any]]:
    try:
        return drop_filters.conditions(raw)
    except ValueError as exc:
        raise EmulatorError(400, lex.BAD_FILTERS.format(why=exc)) from None


@routes("list_drop_filters")
async def list_drop_filters(call: Call) -> web.StreamResponse:
    """GET .../data-definitions/events/drop-filters/: every drop filter."""
    return ok(lex.list_filters(project_for(call)))


@routes("create_drop_filter")
async def create_drop_filter(call: Call) -> web.StreamResponse:
    """POST .../data-definitions/events/drop-filters/: a new (active) drop filter."""
    project = project_for(call)
    data = await body(call)
    conditions = _conditions(data["filters"])
    tab = lex.table(project, drop_filters.FILTERS)
    if len(tab.rows) >= drop_filters.FILTER_LIMIT:
        raise EmulatorError(400, lex.FILTER_LIMIT.format(limit=drop_filters.FILTER_LIMIT))
    name = data["event_name"]
    tab.insert({"eventName": name, "displayName": name, "filters": conditions, "active": True})
    return ok(lex.list_filters(project))


@routes("update_drop_filter")
async def update_drop_filter(call: Call) -> web.StreamResponse:
    """PATCH .../data-definitions/events/drop-filters/: change a drop filter."""
    project = project_for(call)
    data = await body(call)
    lex.filter_row(project, data["id"])
    changes: dict[str, Any] = {}
    if data.get("event_name") is not None:
        changes["eventName"] = changes["displayName"] = data["event_name"]
    if data.get("filters") is not None:
        changes["filters"] = _conditions(data["filters"])
    if data.get("active") is not None:
        changes["active"] = data["active"]
    lex.table(project, drop_filters.FILTERS).patch(data["id"], changes)
    return ok(lex.list_filters(project))


@routes("delete_drop_filter")
async def delete_drop_filter(call: Call) -> web.StreamResponse:
    """DELETE .../data-definitions/events/drop-filters/: delete a drop filter."""
    project = project_for(call)
    data = await body(call)
    lex.filter_row(project, data["id"])
    lex.table(project, drop_filters.FILTERS).delete([data["id"]])
    return ok(lex.list_filters(project))


@routes("get_drop_filter_limits")
async def get_drop_filter_limits(call: Call) -> web.StreamResponse:
    """GET .../data-definitions/events/drop-filters/limits/: how many filters a project may
    have."""
    project_for(call)
    return ok({"filterLimit": drop_filters.FILTER_LIMIT})
