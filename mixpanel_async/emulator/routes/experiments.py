"""Experiments: the lifecycle, the copy and the ERF list (the rest is generic).

draft → active (launch) → concluded (conclude) → success | fail (decide). Any other transition,
through the lifecycle endpoints or a PATCH of `status`, is a 400 with the App API error body.
"""

from __future__ import annotations

import copy
from typing import Any

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.entities import now_iso
from mixpanel_async.emulator.entity_routes import PREPARE
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import body, entity_id, ok, table_for
from mixpanel_async.emulator.router import Call, Routes

routes = Routes()
NEXT = {"draft": {"active"}, "active": {"concluded"}, "concluded": {"success", "fail"}}
ERF_FIELDS = ("id", "name", "status", "start_date", "end_date", "variants", "metrics", "settings")


def check(row: dict[str, Any], target: str, verb: str, *, stay: bool = False) -> None:
    """Raise the App API's 400 unless `target` follows the row's status (or is it, if `stay`)."""
    status = row.get("status") or "draft"
    if not (stay and target == status) and target not in NEXT.get(status, set()):
        raise EmulatorError(
            400, errors.BAD_TRANSITION.format(verb=verb, experiment_id=row["id"], status=status)
        )


def prepare(call: Call, fields: dict[str, Any]) -> dict[str, Any]:
    """A PATCH may move `status` only along the lifecycle."""
    if "status" in fields and (call.op.entity or {}).get("action") == "update":
        row = table_for(call).get(entity_id(call))
        check(row, str(fields["status"]), "set the status of", stay=True)
    return fields


PREPARE["experiment"] = prepare


async def _move(call: Call, target: str, verb: str, **fields: Any) -> web.Response:
    table = table_for(call)
    row = table.get(entity_id(call))
    check(row, target, verb)
    return ok(table.patch(row["id"], {"status": target, **fields}))


@routes("launch_experiment")
async def launch_experiment(call: Call) -> web.Response:
    """PUT /api/app/projects/{project_id}/experiments/{experiment_id}/launch: start a draft
    experiment (draft → active)."""
    return await _move(call, "active", "launch", start_date=now_iso())


@routes("conclude_experiment")
async def conclude_experiment(call: Call) -> web.Response:
    """PUT /api/app/projects/{project_id}/experiments/{experiment_id}/force_conclude: stop a
    running experiment (active → concluded)."""
    end = (await body(call)).get("end_date") or now_iso()
    return await _move(call, "concluded", "conclude", end_date=end)


@routes("decide_experiment")
async def decide_experiment(call: Call) -> web.Response:
    """PATCH /api/app/projects/{project_id}/experiments/{experiment_id}/decide: record the
    decision on a concluded experiment (concluded → success | fail)."""
    decision = await body(call)
    target = "success" if decision["success"] else "fail"
    return await _move(call, target, "decide", decision=decision)


@routes("duplicate_experiment")
async def duplicate_experiment(call: Call) -> web.Response:
    """POST /api/app/projects/{project_id}/experiments/{experiment_id}/duplicate: copy an
    experiment under a new name (the copy is a draft)."""
    name = (await body(call))["name"]
    fresh = dict.fromkeys(
        ("start_date", "end_date", "exposures_cache", "results_cache", "decision")
    )
    changes = {**fresh, "name": name, "status": "draft", "is_archived": False}
    return ok(table_for(call).duplicate(entity_id(call), changes))


@routes("list_erf_experiments")
async def list_erf_experiments(call: Call) -> web.Response:
    """GET /api/app/projects/{project_id}/experiments/erf/: experiments in the Experiment Results
    Framework's format."""
    rows = [row for row in table_for(call).rows.values() if not row.get("is_archived")]
    return ok([{k: copy.deepcopy(row.get(k)) for k in ERF_FIELDS} for row in rows])
