"""Feature flags: what the generic entity handlers (`entity_routes.py`) do not cover.

The spec serves list/create/get/replace/delete, archive/restore and the history; here are the
copy, the test users, the account limits and the `enabled_at` stamp. The SDK-facing evaluation
(`/flags`, `/flags/definitions`) is in `flags_eval.py`.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from aiohttp import web

from mixpanel_async.emulator.engine.flag_rules import ruleset_problem
from mixpanel_async.emulator.entities import now_iso
from mixpanel_async.emulator.entity_routes import PREPARE
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import body, entity_id, ok, table_for, table_of
from mixpanel_async.emulator.router import Call, Routes

routes = Routes()
FLAG_LIMIT = 100  # an emulated account's flag allowance
KEPT = ("hash_salt", "experiment_id", "is_experiment_active", "data_group_id")
"""Fields a flag replacement (PUT) keeps when its body leaves them out."""


def prepare(call: Call, fields: dict[str, Any]) -> dict[str, Any]:
    """Check the ruleset by Mixpanel's published rules; give a new flag its own `hash_salt`
    (what SDKs bucket users with) unless the body brings one, and a fresh one on
    `reset_hash_salt`; stamp `enabled_at` when a flag is switched on."""
    if "ruleset" in fields and (problem := ruleset_problem(fields["ruleset"])):
        raise EmulatorError(400, problem)
    creating = (call.op.entity or {}).get("action") == "create"
    if not creating:  # a PUT that leaves out the links and the salt keeps them
        stored = table_for(call).get(entity_id(call))
        fields = {**{k: stored[k] for k in KEPT if k in stored}, **fields}
    if fields.pop("reset_hash_salt", None) or not fields.get("hash_salt"):
        fields = {**fields, "hash_salt": uuid.uuid4().hex}
    if fields.get("status") == "enabled":
        before = None if creating else table_for(call).get(entity_id(call))
        if before is None or before.get("status") != "enabled":
            fields = {**fields, "enabled_at": now_iso()}
    return fields


PREPARE["feature_flag"] = prepare


@routes("duplicate_feature_flag")
async def duplicate_feature_flag(call: Call) -> web.Response:
    """POST /api/app/projects/{project_id}/workspaces/{workspace_id}/feature-
    flags/{flag_id}/duplicate/: copy a feature flag (a new id and key, disabled)."""
    table = table_for(call)
    original = table.get(entity_id(call))
    keys = {row.get("key") for row in table.rows.values()}
    key, n = f"{original['key']}_copy", 1
    while key in keys:  # keys stay unique: `x_copy`, `x_copy_2`, ...
        n += 1
        key = f"{original['key']}_copy_{n}"
    changes = {
        "name": f"Copy of {original['name']}",
        "key": key,
        "status": "disabled",
        "hash_salt": uuid.uuid4().hex,
    }
    return ok(
        table.duplicate(original["id"], {**changes, "is_archived": False, "enabled_at": None})
    )


@routes("set_flag_test_users")
async def set_flag_test_users(call: Call) -> web.Response:
    """PUT /api/app/projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/test-
    users/: pin test users to variants (variant key → distinct id).

    Stored the way Mixpanel serves it to the SDKs, keyed by user: `test.users` maps each
    distinct id to its variant key."""
    table = table_for(call)
    row = table.get(entity_id(call))
    ruleset = copy.deepcopy(row.get("ruleset") or {})
    pinned = (await body(call))["users"]
    ruleset["test"] = {"users": {user: variant for variant, user in pinned.items()}}
    table.patch(row["id"], {"ruleset": ruleset})
    return ok()


@routes("get_flag_limits")
async def get_flag_limits(call: Call) -> web.Response:
    """GET /api/app/projects/{project_id}/feature-flags/limits/: the account's feature flag limit
    and usage."""
    flags = table_of(call, "feature_flag", "uuid").rows.values()
    usage = sum(1 for row in flags if not row.get("is_archived"))
    return ok(
        {
            "limit": FLAG_LIMIT,
            "is_trial": False,
            "current_usage": usage,
            "contract_status": "active",
        }
    )
