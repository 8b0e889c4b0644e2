"""Generic App API handlers: every operation whose spec declares a standard
`x-mixpanel-entity` action is served from here, with no family code.

Actions: `list` (optional `ids` / `include_archived` query filters), `create` (body validated
against the spec's model; unique fields from `unique: [...]`), `get`, `update` (PATCH merge),
`replace` (PUT), `delete`, `bulk_delete` (ids in body field `field`), `bulk_update` (entries in
body field `field`), `set` (one field to `value`; `$now` = the current time), `history`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from mixpanel_async._generated.operations import ALL
from mixpanel_async._operation import Operation
from mixpanel_async.emulator.entities import Table, now_iso, tables, validate_body
from mixpanel_async.emulator.render import EmulatorError, json_response
from mixpanel_async.emulator.router import Call, Handler, project_for

STANDARD = {"list", "create", "get", "update", "replace", "delete", "bulk_delete", "bulk_update",
            "set", "history"}  # fmt: skip


def ok(results: Any = None) -> web.Response:
    """The App API envelope."""
    body: dict[str, Any] = {"status": "ok"}
    if results is not None:
        body["results"] = results
    return json_response(body)


def table_for(call: Call) -> Table:
    """The entity table an operation works on, in the addressed project."""
    entity = call.op.entity or {}
    project = project_for(call)
    return tables(project.entities, str(entity["kind"]), str(entity.get("id", "int")))


def entity_id(call: Call) -> Any:
    """The entity id from the path: the one path parameter that is not the project/workspace."""
    for p in call.op.path_params:
        if p.context is None:
            return call.request.match_info[p.name]
    raise EmulatorError(400, "no entity id in the path")


async def body(call: Call) -> dict[str, Any]:
    """The JSON body validated against the operation's body model (an empty body is `{}`)."""
    raw = await call.body_bytes()
    data = await call.json() if raw.strip() else {}
    model = call.op.body.model if call.op.body is not None else None
    return validate_body(data, model)


def check_unique(
    table: Table, fields: Mapping[str, Any], unique: list[str], skip: Any = None
) -> None:
    for name in unique:
        if name in fields and any(
            row.get(name) == fields[name] and key != skip for key, row in table.rows.items()
        ):
            raise EmulatorError(400, f"a {table.kind} with {name} {fields[name]!r} already exists")


def _ids_filter(call: Call) -> set[str] | None:
    raw = call.request.query.get("ids")
    return {part.strip() for part in raw.split(",") if part.strip()} if raw else None


async def _list(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    wanted = _ids_filter(call)
    archived = call.request.query.get("include_archived") in ("true", "1")
    rows = [
        row
        for key, row in sorted(table.rows.items(), key=lambda kv: str(kv[0]))
        if (wanted is None or str(key) in wanted) and (archived or not row.get("is_archived"))
    ]
    return ok(rows)


async def _create(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    fields = await body(call)
    check_unique(table, fields, list(spec.get("unique", [])))
    return ok(table.insert({**dict(spec.get("defaults", {})), **fields}))


async def _get(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    return ok(table.get(entity_id(call)))


async def _update(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    key = table.key(entity_id(call))
    table.get(key)
    fields = await body(call)
    check_unique(table, fields, list(spec.get("unique", [])), skip=key)
    return ok(table.patch(key, fields, replace=spec["action"] == "replace"))


async def _delete(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    table.delete([entity_id(call)])
    return web.Response(status=204)


async def _bulk_delete(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    ids = (await body(call)).get(str(spec["field"]))
    if not isinstance(ids, list) or not ids:
        raise EmulatorError(400, f"{spec['field']} must be a non-empty list of ids")
    table.delete(ids)
    return ok()


async def _bulk_update(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    entries = (await body(call)).get(str(spec["field"]))
    if not isinstance(entries, list) or not all(isinstance(e, dict) and "id" in e for e in entries):
        raise EmulatorError(400, f"{spec['field']} must be a list of objects with an id")
    for entry in entries:  # all must exist before any is changed
        table.get(entry["id"])
    updated = [table.patch(e["id"], {k: v for k, v in e.items() if k != "id"}) for e in entries]
    return ok(updated)


async def _set(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    value = now_iso() if spec.get("value") == "$now" else spec.get("value")
    return ok(table.patch(entity_id(call), {str(spec["field"]): value}))


async def _history(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    key = table.key(entity_id(call))
    if key not in table.rows and key not in table.history:
        table.get(key)
    events = list(reversed(table.history.get(key, [])))
    return ok(events)


_ACTIONS = {
    "list": _list, "create": _create, "get": _get, "update": _update, "replace": _update,
    "delete": _delete, "bulk_delete": _bulk_delete, "bulk_update": _bulk_update, "set": _set,
    "history": _history,
}  # fmt: skip


def _handler(op: Operation) -> Handler:
    spec = dict(op.entity or {})
    action = _ACTIONS[str(spec["action"])]

    async def handle(call: Call) -> web.StreamResponse:
        return await action(call, table_for(call), spec)

    return handle


def generic_routes() -> dict[str, Handler]:
    """A handler for every operation with a standard entity action."""
    return {
        op_id: _handler(op)
        for op_id, op in ALL.items()
        if op.entity and op.entity.get("action") in STANDARD
    }
