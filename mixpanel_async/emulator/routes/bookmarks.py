"""Bookmarks (saved reports): what the generic entity handlers (`entity_routes.py`) do not cover.

A report belongs to a dashboard (the v2 API refuses one without `dashboard_id`) and shows on
dashboards as `report` cards (`content_id` = the bookmark id); deleting it takes it off every
dashboard.
"""

from __future__ import annotations

from collections.abc import Collection

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.entity_routes import standard
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import (
    body,
    dashboards_showing,
    entity_id,
    ok,
    table_for,
    table_of,
    without_cards,
)
from mixpanel_async.emulator.router import Call, Routes

routes = Routes()


@routes("create_bookmark")
async def create_bookmark(call: Call) -> web.StreamResponse:
    """POST /api/app/projects/{project_id}/bookmarks: save a report (it belongs to the dashboard
    `dashboard_id`)."""
    dashboard_id = (await body(call)).get("dashboard_id")
    if dashboard_id is None:
        raise EmulatorError(400, errors.NO_DASHBOARD)
    table_of(call, "dashboard").get(dashboard_id)
    return await standard(call)


def unlink(call: Call, bookmark_ids: Collection[int]) -> None:
    """Take the reports off every dashboard that shows them."""
    table = table_of(call, "dashboard")
    for row in list(table.rows.values()):
        before = row.get("layout") or {"rows": []}
        layout = without_cards(before, "report", bookmark_ids)
        if layout != before:
            table.patch(row["id"], {"layout": layout})


@routes("delete_bookmark")
async def delete_bookmark(call: Call) -> web.StreamResponse:
    """DELETE /api/app/projects/{project_id}/bookmarks/{bookmark_id}: delete a saved report (it
    leaves every dashboard too)."""
    response = await standard(call)
    unlink(call, {int(entity_id(call))})
    return response


@routes("bulk_delete_bookmarks")
async def bulk_delete_bookmarks(call: Call) -> web.StreamResponse:
    """POST /api/app/projects/{project_id}/bookmarks/bulk-delete: delete several saved reports."""
    response = await standard(call)
    unlink(call, set((await body(call))["bookmark_ids"]))
    return response


@routes("bookmark_linked_dashboard_ids")
async def bookmark_linked_dashboard_ids(call: Call) -> web.StreamResponse:
    """GET /api/app/projects/{project_id}/bookmarks/{bookmark_id}/linked-dashboard-ids: ids of
    the dashboards a saved report is on."""
    table_for(call).get(entity_id(call))  # 404 for an unknown report
    return ok(dashboards_showing(call, int(call.request.match_info["bookmark_id"])))
