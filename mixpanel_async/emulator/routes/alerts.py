"""Custom alerts: what the generic entity handlers (`entity_routes.py`) do not cover.

An alert names its report by `bookmark_id`; the answer also carries `bookmark: {id, name, type}`
from the project's saved reports (`valid` is false when there is no such report), and the
alert's `project` and `workspace`.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from aiohttp import web

from mixpanel_async.emulator.entity_routes import PREPARE
from mixpanel_async.emulator.route_helpers import body, ok, table_for, table_of, workspace_of
from mixpanel_async.emulator.router import Call, Routes, project_for

routes = Routes()
ALERT_LIMIT = 50  # an emulated account's alert allowance
SCREENSHOTS = "https://storage.googleapis.com/mixpanel-alert-screenshots/"


def _report(call: Call, bookmark_id: int) -> dict[str, Any] | None:
    return table_of(call, "bookmark").rows.get(bookmark_id)


def prepare(call: Call, fields: dict[str, Any]) -> dict[str, Any]:
    """Resolve `bookmark_id` into `bookmark` and `valid`; stamp project and workspace."""
    fields = dict(fields)
    if "bookmark_id" in fields:
        report = _report(call, fields["bookmark_id"]) or {}
        fields["bookmark"] = {
            "id": fields["bookmark_id"],
            "name": report.get("name"),
            "type": report.get("type"),
        }
        fields["valid"] = bool(report)
    if (call.op.entity or {}).get("action") == "create":
        project = project_for(call)
        workspace = workspace_of(project)
        fields["project"] = {"id": int(project.project_id), "name": project.name}
        fields["workspace"] = {"id": workspace["id"], "name": workspace["name"]}
    return fields


PREPARE["alert"] = prepare


@routes("get_alert_count")
async def get_alert_count(call: Call) -> web.Response:
    """GET /api/app/projects/{project_id}/alerts/custom/alert-count/: how many alerts exist and
    the account's limit."""
    kind = call.request.query.get("type")
    count = sum(
        1
        for row in table_for(call).rows.values()
        if kind is None or row.get("type", "custom") == kind
    )
    return ok(
        {
            "anomaly_alerts_count": count,
            "alert_limit": ALERT_LIMIT,
            "is_below_limit": count < ALERT_LIMIT,
        }
    )


@routes("test_alert")
async def test_alert(call: Call) -> web.Response:
    """POST /api/app/projects/{project_id}/alerts/custom/test/: evaluate an alert definition once
    without saving it."""
    alert = prepare(call, await body(call))
    reason = None if alert["valid"] else f"report {alert['bookmark_id']} not found"
    return ok(
        {
            "valid": alert["valid"],
            "reason": reason,
            "fired": False,
            "bookmark": alert["bookmark"],
            "notified": len(alert["subscriptions"]) if alert["valid"] else 0,
        }
    )


@routes("get_alert_screenshot_url")
async def get_alert_screenshot_url(call: Call) -> web.Response:
    """GET /api/app/projects/{project_id}/alerts/custom/screenshot/: a signed URL for an alert
    notification's screenshot."""
    key = quote(str(call.params["gcs_key"]), safe="/")
    return ok({"signed_url": f"{SCREENSHOTS}{key}?X-Goog-Expires=3600&X-Goog-Signature=emulated"})


def _strings(value: Any) -> set[str]:
    """Every string inside a JSON value (the names a report definition mentions)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*map(_strings, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(_strings, value)) if value else set()
    return set()


def _validation(alert: dict[str, Any] | None, alert_id: int, kind: str, names: set[str]) -> Any:
    result: dict[str, Any] = {"alert_id": alert_id, "alert_name": "", "valid": True, "reason": None}
    if alert is None:
        return {**result, "valid": False, "reason": f"alert {alert_id} not found"}
    result["alert_name"] = alert.get("name", "")
    was = (alert.get("bookmark") or {}).get("type")
    if was and was != kind:
        return {**result, "valid": False, "reason": f"the alert watches a {was} report"}
    keys = (alert.get("condition") or {}).get("keys") or []
    missing = [k.get("value") for k in keys if isinstance(k, dict) and k.get("value") not in names]
    if missing:
        return {**result, "valid": False, "reason": f"the report no longer has {missing[0]!r}"}
    return result


@routes("validate_alerts_for_bookmark")
async def validate_alerts_for_bookmark(call: Call) -> web.Response:
    """POST /api/app/projects/{project_id}/alerts/custom/validate-alerts-for-bookmark/: check
    whether alerts still fit a changed report definition."""
    request = await body(call)
    table = table_for(call)
    names = _strings(request["bookmark_params"])
    checks = [
        _validation(copy.deepcopy(table.rows.get(table.key(i))), i, request["bookmark_type"], names)
        for i in request["alert_ids"]
    ]
    return ok(
        {"alert_validations": checks, "invalid_count": sum(1 for c in checks if not c["valid"])}
    )
