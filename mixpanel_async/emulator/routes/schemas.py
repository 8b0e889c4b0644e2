"""Emulator routes for openapi/schemas.yaml: schema registry writes, schema enforcement and the
data audit.

The registry is the project's `lexicon_schema` entity table (rows `{id, entityType, name,
version, schemaJson}`, id `"<entityType>:<name>"`), the same rows `routes/lexicon.py` lists, so
what is written here is what `list_schema_registry` and `lexicon_schemas` read. Enforcement and
audit logic is in `engine/enforcement.py` and `engine/audit.py`; their guessed semantics are
documented there.

Guessed here (Mixpanel documents the shapes, not these rules):

* Entity types are `event`, `custom_event` and `profile`; a schema is a JSON object whose
  `properties`, when present, map names to objects whose `type` is a JSON Schema type name
  (or a list of them). Anything else is a 400 naming the entity.
* `create_schema` replaces a stored schema, keeping stored `metadata` keys the new one lacks
  (Mixpanel documents this merge); `update_schema` merges recursively (a `null` value removes
  a key) and is a 404 when nothing is stored. A schema without `version` gets today's date.
* Bulk create with `truncate` deletes the stored schemas of `entityType` first (of every type
  when the body names none); it answers `{added, deleted}`. Bulk update answers one
  `{entityType, name, status: ok|error, error}` per entry and applies the valid ones.
* Deletes answer `{"delete_count": n}` (0 when nothing matched, never a 404).
* Enforcement mutations answer the configuration as stored; `PUT` creates one when none
  exists; `DELETE` answers the configuration it removed.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import audit, enforcement
from mixpanel_async.emulator.entities import CREATOR, Table, now_iso
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import body, ok, table_of
from mixpanel_async.emulator.router import Call, Routes, project_for

routes = Routes()

TABLE = "lexicon_schema"
ENTITY_TYPES = ("event", "custom_event", "profile")
JSON_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
USER = {"id": CREATOR["creator_id"], "name": CREATOR["creator_name"],
        "email": CREATOR["creator_email"]}  # fmt: skip

# --- the registry --------------------------------------------------------------------------------


def _registry(call: Call) -> Table:
    return table_of(call, TABLE, "str")


def _key(entity_type: str, name: str) -> str:
    return f"{entity_type}:{name}"


def _schema_problem(schema: Any) -> str | None:
    if not isinstance(schema, Mapping):
        return "the schema must be a JSON object"
    props = schema.get("properties")
    if props is None:
        return None
    if not isinstance(props, Mapping):
        return "properties must be an object"
    for name, spec in props.items():
        if not isinstance(spec, Mapping):
            return f"property {name!r} must be an object"
        kinds = spec.get("type")
        listed = kinds if isinstance(kinds, list) else [kinds]
        if kinds is not None and not all(k in JSON_TYPES for k in listed):
            return f"property {name!r} has an unknown type {kinds!r}"
    return None


def _checked(entity_type: Any, name: Any, schema: Any) -> None:
    if entity_type not in ENTITY_TYPES:
        raise EmulatorError(400, errors.BAD_SCHEMA_ENTITY_TYPE.format(
            entity_type=entity_type, allowed=", ".join(ENTITY_TYPES)))  # fmt: skip
    if not isinstance(name, str) or not name.strip():
        raise EmulatorError(400, errors.EMPTY_FIELD.format(field="name"))
    why = _schema_problem(schema)
    if why is not None:
        raise EmulatorError(400, errors.BAD_SCHEMA.format(entity_type=entity_type, name=name,
                                                          why=why))  # fmt: skip


def _entry(entity_type: str, name: str, schema: Mapping[str, Any], version: Any) -> dict[str, Any]:
    return {
        "id": _key(entity_type, name),
        "entityType": entity_type,
        "name": name,
        "version": version or dt.date.today().isoformat(),
        "schemaJson": copy.deepcopy(dict(schema)),
    }


def _public(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "id"}


def merged(base: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    """`change` merged into `base` recursively; a `None` in `change` removes the key."""
    out = dict(base)
    for key, value in change.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _take(table: Table, entity_type: str, name: str) -> dict[str, Any] | None:
    """Remove and return the stored schema of (type, name), whatever key it was stored under
    (rows put in by other code may use their own)."""
    for key, row in list(table.rows.items()):
        if (row.get("entityType"), row.get("name")) == (entity_type, name):
            del table.rows[key]
            return row
    return None


def _put(table: Table, entity_type: str, name: str, schema: Mapping[str, Any],
         version: Any = None) -> dict[str, Any]:  # fmt: skip
    """Store a schema (replacing one), keeping stored metadata keys the new one lacks."""
    old = _take(table, entity_type, name)
    if old is not None and isinstance(old["schemaJson"].get("metadata"), Mapping):
        schema = {**schema, "metadata": merged(old["schemaJson"]["metadata"],
                                               schema.get("metadata") or {})}  # fmt: skip
    row = _entry(entity_type, name, schema, version)
    table.rows[row["id"]] = row
    return row


def _patch(table: Table, entity_type: str, name: str, change: Mapping[str, Any]) -> dict[str, Any]:
    old = next((r for r in table.rows.values()
                if (r.get("entityType"), r.get("name")) == (entity_type, name)), None)  # fmt: skip
    if old is None:
        raise EmulatorError(404, errors.NO_SCHEMA.format(entity_type=entity_type, name=name))
    schema = merged(old["schemaJson"], change)
    _checked(entity_type, name, schema)
    _take(table, entity_type, name)
    row = _entry(entity_type, name, schema, old.get("version"))
    table.rows[row["id"]] = row
    return row


def _delete(table: Table, keep: Any) -> web.Response:
    doomed = [k for k, row in table.rows.items() if not keep(row)]
    for k in doomed:
        del table.rows[k]
    return ok({"delete_count": len(doomed)})


def _path(call: Call) -> tuple[str, str]:
    return call.params["entity_type"], call.params["entity_name"]


@routes("create_schema")
async def create_schema(call: Call) -> web.StreamResponse:
    """POST .../schemas/{entity_type}/{entity_name}: create or replace one schema."""
    entity_type, name = _path(call)
    schema = await body(call)
    _checked(entity_type, name, schema)
    return ok(_public(_put(_registry(call), entity_type, name, schema)))


@routes("update_schema")
async def update_schema(call: Call) -> web.StreamResponse:
    """PATCH .../schemas/{entity_type}/{entity_name}: merge into one stored schema."""
    entity_type, name = _path(call)
    change = await body(call)
    return ok(_public(_patch(_registry(call), entity_type, name, change)))


@routes("delete_schema")
async def delete_schema(call: Call) -> web.StreamResponse:
    """DELETE .../schemas/{entity_type}/{entity_name}: delete one schema."""
    entity_type, name = _path(call)
    return _delete(_registry(call), lambda r: (r["entityType"], r["name"]) != (entity_type, name))


@routes("delete_schemas_of_type")
async def delete_schemas_of_type(call: Call) -> web.StreamResponse:
    """DELETE .../schemas/{entity_type}: delete every schema of one type (or one, by
    `entity_name`)."""
    entity_type, name = call.params["entity_type"], call.params.get("entity_name")
    return _delete(
        _registry(call),
        lambda r: r["entityType"] != entity_type or (name is not None and r["name"] != name),
    )


@routes("delete_all_schemas")
async def delete_all_schemas(call: Call) -> web.StreamResponse:
    """DELETE .../schemas: delete every schema."""
    return _delete(_registry(call), lambda r: False)


def _entries(fields: Mapping[str, Any]) -> list[dict[str, Any]]:
    entries = fields.get("entries")
    if not isinstance(entries, list):
        raise EmulatorError(400, errors.BAD_BODY.format(problems="entries must be a list"))
    return entries


@routes("create_schemas_bulk")
async def create_schemas_bulk(call: Call) -> web.StreamResponse:
    """POST .../schemas: create or replace many schemas (all or none)."""
    fields = await body(call)
    entries = _entries(fields)
    for e in entries:
        _checked(e.get("entityType"), e.get("name"), e.get("schemaJson"))
    table = _registry(call)
    deleted = 0
    if fields.get("truncate"):
        kind = fields.get("entityType")
        doomed = [k for k, r in table.rows.items() if kind in (None, r["entityType"])]
        for k in doomed:
            del table.rows[k]
        deleted = len(doomed)
    for e in entries:
        _put(table, e["entityType"], e["name"], e["schemaJson"], e.get("version"))
    return ok({"added": len(entries), "deleted": deleted})


@routes("update_schemas_bulk")
async def update_schemas_bulk(call: Call) -> web.StreamResponse:
    """PATCH .../schemas: merge many fragments, one result per entry."""
    table = _registry(call)
    results = []
    for e in _entries(await body(call)):
        outcome = {"entityType": e.get("entityType"), "name": e.get("name"), "status": "ok"}
        try:
            _patch(table, str(e.get("entityType")), str(e.get("name")), e.get("schemaJson") or {})
        except EmulatorError as exc:
            outcome.update(status="error", error=exc.message)
        results.append(outcome)
    return ok(results)


# --- enforcement ---------------------------------------------------------------------------------


def _config(call: Call, status: int = 404) -> dict[str, Any]:
    config = enforcement.config_of(project_for(call))
    if config is None:
        raise EmulatorError(status, errors.NO_ENFORCEMENT)
    return config


def _rule(value: Any) -> str:
    if value not in enforcement.RULES:
        allowed = ", ".join(enforcement.RULES)
        raise EmulatorError(400, errors.BAD_RULE.format(rule=value, allowed=allowed))
    return str(value)


def _names(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise EmulatorError(400, errors.BAD_BODY.format(problems=f"{field} must list names"))
    return list(value)


def _touched(config: dict[str, Any]) -> dict[str, Any]:
    config.update(lastModified=now_iso(), lastModifiedBy=dict(USER))
    return config


@routes("get_schema_enforcement")
async def get_schema_enforcement(call: Call) -> web.StreamResponse:
    """GET .../data-definitions/schema/: the configuration, or the fields asked for."""
    config = _config(call)
    if "fields" not in call.params:
        return ok(config)
    wanted = [f.strip() for f in call.params["fields"].split(",") if f.strip()]
    unknown = [f for f in wanted if f not in config]
    if unknown:
        raise EmulatorError(400, errors.BAD_ENFORCEMENT_FIELDS.format(
            fields=", ".join(unknown), allowed=", ".join(sorted(config))))  # fmt: skip
    return ok({f: config[f] for f in wanted})


@routes("init_schema_enforcement")
async def init_schema_enforcement(call: Call) -> web.StreamResponse:
    """POST .../data-definitions/schema/: start enforcing a plan."""
    rule = _rule((await body(call)).get("ruleEvent"))
    project = project_for(call)
    if enforcement.config_of(project) is not None:
        raise EmulatorError(400, errors.ENFORCEMENT_EXISTS)
    schemas = list(_registry(call).rows.values())
    frame = project.events.deduped()
    today = dt.datetime.now(dt.UTC).date()
    config = await asyncio.to_thread(
        enforcement.initial_config, rule, schemas, frame, today, USER, now_iso()
    )
    project.entities[enforcement.KEY] = config
    return ok(config)


@routes("update_schema_enforcement")
async def update_schema_enforcement(call: Call) -> web.StreamResponse:
    """PATCH .../data-definitions/schema/: change the rule or recipients, plan more."""
    fields = await body(call)
    config = _config(call, 400)
    if fields.get("ruleEvent") is not None:
        config["ruleEvent"] = _rule(fields["ruleEvent"])
    if fields.get("notificationEmails") is not None:
        config["notificationEmails"] = _names(fields["notificationEmails"], "notificationEmails")
    props = fields.get("properties") or {}
    if not isinstance(props, Mapping):
        raise EmulatorError(400, errors.BAD_BODY.format(problems="properties must be an object"))
    enforcement.add_to_plan(
        config,
        _names(fields.get("events") or [], "events"),
        {event: _names(names, f"properties.{event}") for event, names in props.items()},
    )
    return ok(_touched(config))


def _entries_named(value: Any, field: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(
        isinstance(v, Mapping) and isinstance(v.get("name"), str) for v in value
    ):
        raise EmulatorError(400, errors.BAD_BODY.format(problems=f"{field} entries need a name"))
    return [dict(v) for v in value]


@routes("replace_schema_enforcement")
async def replace_schema_enforcement(call: Call) -> web.StreamResponse:
    """PUT .../data-definitions/schema/: replace the whole configuration."""
    fields = await body(call)
    project = project_for(call)
    old = enforcement.config_of(project) or {"id": 1, "initializedBy": dict(USER)}
    config = {
        **old,
        "ruleEvent": _rule(fields["ruleEvent"]),
        "notificationEmails": _names(fields["notificationEmails"], "notificationEmails"),
        "events": _entries_named(fields["events"], "events"),
        "commonProperties": _entries_named(fields["commonProperties"], "commonProperties"),
        "userProperties": _entries_named(fields["userProperties"], "userProperties"),
        "state": "planned",
    }
    if fields.get("schemaId") is not None:
        config["schemaId"] = fields["schemaId"]
    project.entities[enforcement.KEY] = _touched(config)
    return ok(config)


@routes("delete_schema_enforcement")
async def delete_schema_enforcement(call: Call) -> web.StreamResponse:
    """DELETE .../data-definitions/schema/: stop enforcing."""
    config = _config(call)
    del project_for(call).entities[enforcement.KEY]
    return ok(config)


# --- the audit -----------------------------------------------------------------------------------


async def _audit(call: Call, *, events_only: bool) -> web.StreamResponse:
    schemas = list(_registry(call).rows.values())
    if not schemas:
        raise EmulatorError(400, errors.NO_SCHEMAS)
    frame = project_for(call).events.deduped()
    found = await asyncio.to_thread(audit.audit, frame, schemas, events_only=events_only)
    return ok([found, {"computed_at": now_iso()}])


@routes("run_audit")
async def run_audit(call: Call) -> web.StreamResponse:
    """GET .../data-definitions/audit/: events and properties against the registry."""
    return await _audit(call, events_only=False)


@routes("run_audit_events_only")
async def run_audit_events_only(call: Call) -> web.StreamResponse:
    """GET .../data-definitions/audit-events-only/: event names against the registry."""
    return await _audit(call, events_only=True)
