"""Emulator routes for openapi/flags_eval.yaml: the SDK-facing `/flags` (remote evaluation)
and `/flags/definitions` (definitions for local evaluation), over the App API's feature flags.

The project comes from `project_id` (service accounts) or the token; the flags are the ones the
App API stores (`routes/feature_flags.py`), evaluated by `engine/flag_eval.py`. A flag linked to
an experiment reports whether that experiment is running (`is_experiment_active`).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import flag_eval
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.render import json_response
from mixpanel_async.emulator.router import Call, Routes, project_for

routes = Routes()


def served_flags(call: Call) -> list[dict[str, Any]]:
    """The addressed project's flags that SDKs see, with `is_experiment_active` filled in."""
    project = project_for(call, token=call.params["token"])
    flag_table, experiment_table = (project.entities.get(k) for k in ("feature_flag", "experiment"))
    experiments = experiment_table.rows if experiment_table is not None else {}
    out = []
    for flag in flag_table.rows.values() if flag_table is not None else ():
        if not flag_eval.is_served(flag):
            continue
        experiment = experiments.get(flag.get("experiment_id") or "")
        active = None if experiment is None else experiment.get("status") == "active"
        out.append({**flag, "is_experiment_active": active})
    return sorted(out, key=lambda row: str(row.get("key")))


@routes("evaluate_flags")
async def evaluate_flags(call: Call) -> web.Response:
    """GET /flags: the variants one context is assigned, by flag key."""
    context = call.params["context"]
    if not isinstance(context, dict):
        raise EmulatorError(400, errors.FLAG_CONTEXT)
    wanted = call.params.get("flag_key")
    assigned = {}
    for flag in served_flags(call):
        if wanted is not None and flag.get("key") != wanted:
            continue
        variant = flag_eval.evaluate(flag, context)
        if variant is not None:
            assigned[str(flag["key"])] = variant
    return json_response({"code": 200, "flags": assigned})


@routes("get_flag_definitions")
async def get_flag_definitions(call: Call) -> web.Response:
    """GET /flags/definitions: every served flag, for local evaluation."""
    definitions = [flag_eval.definition(flag) for flag in served_flags(call)]
    return json_response({"code": 200, "flags": definitions})
