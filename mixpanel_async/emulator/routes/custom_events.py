"""Emulator routes for openapi/custom_events.yaml, and the custom-event side of the Lexicon's
event definitions (`data-definitions/events/` with `custom_event=true` / `customEventId`, whose
handlers in `data_definitions.py` and `lexicon_definitions.py` call in here).

A custom event is stored as `{id, name, alternatives: [{event}], ...Lexicon fields}` in the
project's `custom_event` table; queries see it through `engine.custom_events`.
Guessed semantics: names are unique per project; an alternative may name an event never seen
yet (Mixpanel's UI allows that too); the Lexicon entry of a custom event has the custom event's
id as both `id` and `customEventId`; a custom event is not listed among the plain event
definitions.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.entities import Table
from mixpanel_async.emulator.entity_routes import check_unique
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import ok, table_of
from mixpanel_async.emulator.router import Call, Routes

routes = Routes()
KIND = "custom_event"
LEXICON_FIELDS = ("hidden", "dropped", "merged", "verified", "tags", "displayName", "description")


def custom_events(call: Call) -> Table:
    """The addressed project's custom events."""
    return table_of(call, KIND)


def _alternatives(raw: Any) -> list[dict[str, str]]:
    try:
        items = orjson.loads(raw) if isinstance(raw, str | bytes) else raw
    except orjson.JSONDecodeError as exc:
        raise EmulatorError(400, errors.BAD_ALTERNATIVES.format(why=exc)) from None
    if not isinstance(items, list) or not items:
        raise EmulatorError(400, errors.BAD_ALTERNATIVES.format(why="not a non-empty list"))
    out = []
    for item in items:
        name = item.get("event") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise EmulatorError(400, errors.BAD_ALTERNATIVES.format(why=f"bad entry {item!r}"))
        out.append({"event": name})
    return out


def definition(row: dict[str, Any]) -> dict[str, Any]:
    """A custom event as a Lexicon event definition."""
    return {
        "id": row["id"],
        "name": row["name"],
        "customEventId": row["id"],
        "displayName": row.get("displayName"),
        "description": row.get("description"),
        "hidden": row.get("hidden", False),
        "dropped": row.get("dropped", False),
        "merged": row.get("merged", False),
        "verified": row.get("verified", False),
        "tags": row.get("tags", []),
        "alternatives": row["alternatives"],
        "createdUtc": row.get("created"),
        "modifiedUtc": row.get("modified"),
    }


def _known(table: Table, custom_event_id: Any) -> Any:
    key = table.key(custom_event_id)
    if key not in table.rows:
        raise EmulatorError(404, errors.UNKNOWN_CUSTOM_EVENT.format(id=custom_event_id))
    return key


def list_definitions(call: Call) -> web.Response:
    """GET .../data-definitions/events/?custom_event=true: the custom events as definitions."""
    return ok([definition(row) for row in custom_events(call).rows.values()])


def update_definition(call: Call, data: dict[str, Any]) -> web.Response:
    """PATCH .../data-definitions/events/ with `customEventId`: change its Lexicon fields."""
    table = custom_events(call)
    key = _known(table, data["customEventId"])
    fields = {k: data[k] for k in LEXICON_FIELDS if data.get(k) is not None}
    return ok(definition(table.patch(key, fields)))


def delete_definition(call: Call, data: dict[str, Any]) -> web.Response:
    """DELETE .../data-definitions/events/ with `customEventId`: delete the custom event."""
    table = custom_events(call)
    table.delete([_known(table, data["customEventId"])])
    return ok({})


@routes("create_custom_event")
async def create_custom_event(call: Call) -> web.Response:
    """POST .../custom_events/: create a custom event from a form (`name`, `alternatives`)."""
    fields = await call.fields()
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip():
        raise EmulatorError(400, errors.EMPTY_FIELD.format(field="name"))
    alternatives = _alternatives(fields.get("alternatives"))
    table = custom_events(call)
    try:
        check_unique(table, {"name": name}, ["name"])
    except EmulatorError:
        raise EmulatorError(400, errors.CUSTOM_EVENT_NAME_TAKEN.format(name=name)) from None
    row = table.insert({"name": name, "alternatives": alternatives})
    return ok({"custom_event": {k: row[k] for k in ("id", "name", "alternatives")}})
