"""The standard App API entity actions: every operation whose spec declares a standard
`x-mixpanel-entity` action is served from here, with no family code (`routes/__init__.py`
registers these first; a family module's own handler for an operation wins).

Actions: `list` (optional `ids` / `include_archived` query filters, and `match: [name]`: rows
whose field equals the query parameter of that name), `create` (body validated against the spec's
model; unique fields from `unique: [...]`; `defaults: {field: value}`), `get`, `update` (PATCH
merge), `replace` (PUT), `delete`, `bulk_delete` (ids in body field `field`), `bulk_update`
(entries in body field `field`), `set` (one field to `value`, or `values: {field: value}`),
`history` (newest first; cursor pages when the operation has `x-mixpanel-paging: {style: cursor}`,
numbered pages `{events: [[<columns>...]], count}` with `{style: page}` and `columns: [...]`).
A `replace` replaces the fields its body model declares; server-managed ones (ids) stay.

Values `$now` (the current time), `$project_id` (the addressed project's id) and `$workspace_id`
(the path's workspace, else the project's own) are filled in.
Other options: `write_only: [field]` (accepted, never stored or echoed: passwords, API versions),
`reply: [field]` (create/update answer only these fields), `store: <attr>` (the rows live in that
list of `ProjectState`, which other routes read too, e.g. `cohorts`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
from aiohttp import web

from mixpanel_async._generated.operations import ALL
from mixpanel_async._operation import Operation
from mixpanel_async.emulator import errors
from mixpanel_async.emulator.entities import Table, enveloped, now_iso, writable
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.render import json_response
from mixpanel_async.emulator.route_helpers import (
    body,
    cursor_page,
    entity_id,
    numbered_page,
    ok,
    table_for,
)
from mixpanel_async.emulator.router import Call, Handler, project_for

STANDARD = {"list", "create", "get", "update", "replace", "delete", "bulk_delete", "bulk_update",
            "set", "history"}  # fmt: skip
PREPARE: dict[str, Callable[[Call, dict[str, Any]], dict[str, Any]]] = {}
"""Family hooks by entity kind: turn a validated create/update body into the fields to store
(e.g. annotation tag ids into tag objects). Registered by the family's route module."""


def value_of(call: Call, value: Any) -> Any:
    """A spec value with `$now` / `$project_id` filled in."""
    if value == "$now":
        return now_iso()
    if value == "$project_id":
        return int(project_for(call).project_id)
    if value == "$workspace_id":  # every emulated project's one workspace has the project's id
        return int(call.request.match_info.get("workspace_id") or project_for(call).project_id)
    return value


def _prepared(call: Call, fields: dict[str, Any]) -> dict[str, Any]:
    hook = PREPARE.get(str((call.op.entity or {}).get("kind")))
    return fields if hook is None else hook(call, fields)


def reply(row: dict[str, Any], spec: Mapping[str, Any]) -> dict[str, Any]:
    """What a create/update answers: the row, or only the spec's `reply` fields."""
    return {k: row.get(k) for k in spec["reply"]} if "reply" in spec else row


def check_unique(
    table: Table, fields: Mapping[str, Any], unique: list[str], skip: Any = None
) -> None:
    """A 400 when a row other than `skip` already holds one of the `unique` fields' values."""
    for name in unique:
        if name in fields and any(
            row.get(name) == fields[name] and key != skip for key, row in table.rows.items()
        ):
            raise EmulatorError(
                400, errors.DUPLICATE.format(kind=table.kind, name=name, value=fields[name])
            )


def _ids_filter(call: Call) -> set[str] | None:
    raw = call.request.query.get("ids")
    return {part.strip() for part in raw.split(",") if part.strip()} if raw else None


def answer(call: Call, results: Any) -> web.Response:
    """`results` as the operation's spec answers it: in the App API envelope, or bare when the
    spec's 200 is not an envelope (Mixpanel's annotation-tag endpoints)."""
    wrap = call.op.unwrap is not None or enveloped(call.op.response)
    return ok(results) if wrap else json_response(results)


async def _list(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    wanted = _ids_filter(call)
    archived = call.request.query.get("include_archived") in ("true", "1")
    match = {n: call.request.query[n] for n in spec.get("match", ()) if n in call.request.query}
    rows = [
        row
        for key, row in table.rows.items()  # creation order
        if (wanted is None or str(key) in wanted)
        and (archived or not row.get("is_archived"))
        and all(str(row.get(n)) == v for n, v in match.items())
    ]
    return answer(call, rows)


async def _create(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    fields = _prepared(call, await body(call))
    check_unique(table, fields, list(spec.get("unique", [])))
    defaults = {k: value_of(call, v) for k, v in dict(spec.get("defaults", {})).items()}
    return answer(call, reply(table.insert({**defaults, **fields}), spec))


async def _get(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    return answer(call, table.get(entity_id(call)))


async def _update(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    key = table.key(entity_id(call))
    table.get(key)
    fields = _prepared(call, await body(call))
    check_unique(table, fields, list(spec.get("unique", [])), skip=key)
    replace = _replaced(call) if spec["action"] == "replace" else False
    return answer(call, reply(table.patch(key, fields, replace=replace), spec))


def _replaced(call: Call) -> frozenset[str] | bool:
    """The fields a PUT replaces: those its body model declares (server-managed ones such as
    `project_id` stay); all of them when the operation has no body model."""
    model = call.op.body.model if call.op.body is not None else None
    if model is None or not attrs.has(model):
        return True
    return frozenset(f.metadata.get("wire", f.name) for f in attrs.fields(model))


async def _delete(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    table.delete([entity_id(call)])
    return web.Response(status=204)


async def _bulk_delete(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    ids = (await body(call)).get(str(spec["field"]))
    if not isinstance(ids, list) or not ids:
        raise EmulatorError(400, errors.BAD_ID_LIST.format(field=spec["field"]))
    table.delete(ids)
    return ok()


async def _bulk_update(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    entries = (await body(call)).get(str(spec["field"]))
    if not isinstance(entries, list) or not all(isinstance(e, dict) and "id" in e for e in entries):
        raise EmulatorError(400, errors.BAD_ENTRIES.format(field=spec["field"]))
    for entry in entries:  # all must exist before any is changed
        table.get(entry["id"])
    updated = [table.patch(e["id"], writable(e, None)) for e in entries]
    return ok(updated)


async def _set(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    values = dict(spec["values"]) if "values" in spec else {str(spec["field"]): spec.get("value")}
    return ok(table.patch(entity_id(call), {k: value_of(call, v) for k, v in values.items()}))


async def _history(call: Call, table: Table, spec: Mapping[str, Any]) -> web.Response:
    key = table.key(entity_id(call))
    if key not in table.rows and key not in table.history:
        table.get(key)
    events = list(reversed(table.history.get(key, [])))
    style = (call.op.paging or {}).get("style")
    if style == "page":
        return ok(numbered_page(call, events, list(spec["columns"])))
    if style != "cursor":
        return ok(events)
    return ok(cursor_page(call, events))


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


async def standard(call: Call) -> web.StreamResponse:
    """Serve `call` with its spec's standard action: for a family handler that only adds a
    check before it or a side effect after it."""
    return await _handler(call.op)(call)


def generic_routes() -> dict[str, Handler]:
    """A handler for every operation with a standard entity action."""
    return {
        op_id: _handler(op)
        for op_id, op in ALL.items()
        if op.entity and op.entity.get("action") in STANDARD
    }
