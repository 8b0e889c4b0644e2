"""Saved metrics and saved behaviours (openapi/metrics.yaml, openapi/behaviors.yaml).

Both families store rows in the project's entity tables (`saved_metric`, `saved_behavior`)
and answer every read and write with a map keyed by id, as Mixpanel does: one entry for a
get, a create or a single update. Rows carry the permission flags Mixpanel computes per
caller; the emulator's caller may do everything, so `can_view`, `can_update_basic` and
`can_share` are true unless a row in the store says otherwise (a test may seed one); a write
never sets them. Setting `owned_by: {id}` records that user as owner; `verified: true`
stamps `last_verified`. A delete of an unknown id is a 404 and deletes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiohttp import web

from mixpanel_async.emulator.entities import CREATOR, Table, now_iso
from mixpanel_async.emulator.route_helpers import body, entity_id, ok, table_of
from mixpanel_async.emulator.router import Call, Routes

routes = Routes()

_USER = {"id": CREATOR["creator_id"], "name": CREATOR["creator_name"],
         "email": CREATOR["creator_email"]}  # fmt: skip
_PERMISSIONS = {"can_view": True, "can_update_basic": True, "can_share": True}
_KINDS = {"metric": "saved_metric", "behavior": "saved_behavior"}


def _table(call: Call, kind: str) -> Table:
    return table_of(call, _KINDS[kind])


def _render(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row as Mixpanel answers it (the creator as `created_by`)."""
    shown = {k: v for k, v in row.items() if k not in CREATOR}
    return {**_PERMISSIONS, **shown, "created_by": _USER}


def _answer(rows: Iterable[dict[str, Any]]) -> web.Response:
    return ok({str(r["id"]): _render(r) for r in rows})


def _changes(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Body fields as stored: an owner id expanded, a verification stamped."""
    changes = {k: v for k, v in fields.items() if k != "id" and k not in _PERMISSIONS}
    if kind == "metric" and isinstance(changes.get("owned_by"), dict):
        changes["owned_by"] = {**_USER, "id": changes["owned_by"].get("id")}
    if changes.get("verified") is True:
        changes["last_verified"], changes["last_verified_by"] = now_iso(), _USER
    return changes


async def _list(call: Call, kind: str) -> web.Response:
    return _answer(_table(call, kind).rows.values())


async def _get(call: Call, kind: str) -> web.Response:
    return _answer([_table(call, kind).get(entity_id(call))])


async def _create(call: Call, kind: str) -> web.Response:
    defaults: dict[str, Any] = {"description": "", "verified": False, "is_visible": True,
                                "is_locked": False}  # fmt: skip
    if kind == "metric":
        defaults.update(owned_by=None, contacts=[], warehouse_source_id=None)
    fields = await body(call)
    return _answer([_table(call, kind).insert({**defaults, **_changes(kind, fields)})])


async def _update(call: Call, kind: str) -> web.Response:
    fields = _changes(kind, await body(call))
    return _answer([_table(call, kind).patch(entity_id(call), fields)])


async def _delete(call: Call, kind: str, field: str) -> web.Response:
    _table(call, kind).delete(item["id"] for item in (await body(call))[field])
    return ok({})


@routes("list_saved_metrics")
async def list_metrics(call: Call) -> web.Response:
    """GET metrics: every saved metric, by id."""
    return await _list(call, "metric")


@routes("get_saved_metric")
async def get_metric(call: Call) -> web.Response:
    """GET metrics/{id}: one saved metric."""
    return await _get(call, "metric")


@routes("create_saved_metric")
async def create_metric(call: Call) -> web.Response:
    """POST metrics: store a new saved metric."""
    return await _create(call, "metric")


@routes("update_saved_metric")
async def update_metric(call: Call) -> web.Response:
    """PATCH metrics/{id}: merge fields into a saved metric."""
    return await _update(call, "metric")


@routes("bulk_update_saved_metrics")
async def bulk_update_metrics(call: Call) -> web.Response:
    """PATCH metrics: merge fields into several saved metrics. Ids that name no metric of the
    project are skipped, as Mixpanel does; the others are all checked before any is changed."""
    table = _table(call, "metric")
    found = [e for e in (await body(call))["metrics"] if table.key(e["id"]) in table.rows]
    planned = [(e["id"], _changes("metric", e)) for e in found]
    for entity, changes in planned:
        table.check({**table.get(entity), **changes}, changes)
    return _answer([table.patch(entity, changes) for entity, changes in planned])


@routes("delete_saved_metrics")
async def delete_metrics(call: Call) -> web.Response:
    """DELETE metrics: delete the saved metrics named in the body."""
    return await _delete(call, "metric", "metrics")


@routes("list_saved_behaviors")
async def list_behaviors(call: Call) -> web.Response:
    """GET behaviors: every saved behaviour, by id."""
    return await _list(call, "behavior")


@routes("get_saved_behavior")
async def get_behavior(call: Call) -> web.Response:
    """GET behaviors/{id}: one saved behaviour."""
    return await _get(call, "behavior")


@routes("create_saved_behavior")
async def create_behavior(call: Call) -> web.Response:
    """POST behaviors: store a new saved behaviour."""
    return await _create(call, "behavior")


@routes("update_saved_behavior")
async def update_behavior(call: Call) -> web.Response:
    """PATCH behaviors/{id}: merge fields into a saved behaviour."""
    return await _update(call, "behavior")


@routes("delete_saved_behaviors")
async def delete_behaviors(call: Call) -> web.Response:
    """DELETE behaviors: delete the saved behaviours named in the body."""
    return await _delete(call, "behavior", "behaviors")
