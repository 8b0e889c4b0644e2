"""Emulator routes for openapi/deletions.yaml: event deletion requests.

Requests live in the project's `event_deletion_request` entity table. Their state machine (a
guess: Mixpanel documents the states, not their timing) advances on reads of the list, so tests
can walk it without waiting:

    Submitted --(next list)--> Processing --(next list)--> Completed (the events are deleted)
    Submitted --(cancel)--> Cancelled (nothing is deleted)

Only a `Submitted` request can be cancelled (400 otherwise). The deletion itself removes the
matching events (`engine/deletions.py`: event name, day range in the project's timezone,
property filters) through `EventStore.remove`, the store's one deleting method, and records
`deletedEventsCount` (events as queries counted them). Profiles are never touched: this API
deletes events. Creating and cancelling answer the whole list (not advanced by that answer).
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import deletions
from mixpanel_async.emulator.entities import CREATOR, Table, now_iso
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import body, ok, table_of, zone_of
from mixpanel_async.emulator.router import Call, Routes, project_for
from mixpanel_async.emulator.store import ProjectState

routes = Routes()

TABLE = "event_deletion_request"
NEXT = {"Submitted": "Processing", "Processing": "Completed"}
USER = {"id": CREATOR["creator_id"], "name": CREATOR["creator_name"],
        "email": CREATOR["creator_email"]}  # fmt: skip


def _table(call: Call) -> Table:
    return table_of(call, TABLE)


def _listing(table: Table) -> web.Response:
    return ok(sorted(table.rows.values(), key=lambda r: r["id"], reverse=True))


def _execute(project: ProjectState, request: dict[str, Any]) -> int:
    """Delete what a request matches; how many events (as queries see them) went."""
    zone = zone_of(project)
    event, filters, (start, end) = deletions.parse(request, zone)
    seen = deletions.matching(project.events.deduped(), event, start, end, filters)[-1]
    stored = deletions.matching(project.events.frame(), event, start, end, filters)[-1]
    project.events.remove(stored)
    return int(seen.sum())


@routes("list_deletion_requests")
async def list_deletion_requests(call: Call) -> web.StreamResponse:
    """GET .../deletion-requests/: every request, each advanced one state."""
    project = project_for(call)
    table = _table(call)
    for row in table.rows.values():
        step = NEXT.get(row["status"])
        if step == "Completed":
            row["deletedEventsCount"] = _execute(project, row)
        if step is not None:
            row["status"] = step
    return _listing(table)


@routes("create_deletion_request")
async def create_deletion_request(call: Call) -> web.StreamResponse:
    """POST .../deletion-requests/: file a request (checked now, executed later)."""
    fields = await body(call)
    deletions.parse(fields, zone_of(project_for(call)))
    table = _table(call)
    row = {
        "id": table.new_id(),
        "displayName": fields["eventName"],
        "eventName": fields["eventName"],
        "fromDate": fields["fromDate"],
        "toDate": fields["toDate"],
        "filters": fields.get("filters") or [],
        "status": "Submitted",
        "deletedEventsCount": 0,
        "created": now_iso(),
        "requestingUser": dict(USER),
    }
    table.rows[row["id"]] = row
    return _listing(table)


@routes("cancel_deletion_request")
async def cancel_deletion_request(call: Call) -> web.StreamResponse:
    """DELETE .../deletion-requests/: cancel a request that has not started."""
    request_id = (await body(call))["id"]
    table = _table(call)
    row = table.rows.get(request_id) if isinstance(request_id, int) else None
    if row is None:
        raise EmulatorError(400, errors.NO_DELETION_REQUEST.format(request_id=request_id))
    if row["status"] != "Submitted":
        raise EmulatorError(400, errors.NOT_CANCELLABLE.format(
            request_id=request_id, status=row["status"]))  # fmt: skip
    row["status"] = "Cancelled"
    return _listing(table)


@routes("preview_deletion_filters")
async def preview_deletion_filters(call: Call) -> web.StreamResponse:
    """POST .../deletion-requests/preview-filters/: what a request would match (no effect)."""
    fields = await body(call)
    project = project_for(call)
    frame = project.events.deduped()
    return ok(await asyncio.to_thread(deletions.preview, frame, fields, zone_of(project)))
