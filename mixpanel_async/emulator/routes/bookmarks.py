"""Bookmarks (saved reports): what the generic entity handlers (`routes/app.py`) do not cover.

A report belongs to a dashboard (the v2 API refuses one without `dashboard_id`) and shows on
dashboards as `report` cards (`content_id` = the bookmark id); deleting it takes it off every
dashboard.
"""

from __future__ import annotations

import copy
from collections.abc import Collection

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.router import Call, Routes
from mixpanel_async.emulator.routes import dashboards
from mixpanel_async.emulator.routes.app import body, entity_id, standard, table_for

routes = Routes()


@routes("create_bookmark")
async def create_bookmark(call: Call) -> web.StreamResponse:
    dashboard_id = (await body(call)).get("dashboard_id")
    if dashboard_id is None:
        raise EmulatorError(400, errors.NO_DASHBOARD)
    dashboards.dashboards_of(call).get(dashboard_id)
    return await standard(call)


def unlink(call: Call, bookmark_ids: Collection[int]) -> None:
    """Take the reports off every dashboard that shows them."""
    table = dashboards.dashboards_of(call)
    for row in list(table.rows.values()):
        before = row.get("layout") or {"rows": []}
        layout = copy.deepcopy(before)
        for r in layout["rows"]:
            r["contents"] = [
                c
                for c in r["contents"]
                if not (c.get("content_type") == "report" and c.get("content_id") in bookmark_ids)
            ]
        layout["rows"] = [r for r in layout["rows"] if r["contents"]]
        if layout != before:
            table.patch(row["id"], {"layout": layout})


@routes("delete_bookmark")
async def delete_bookmark(call: Call) -> web.StreamResponse:
    response = await standard(call)
    unlink(call, {int(entity_id(call))})
    return response


@routes("bulk_delete_bookmarks")
async def bulk_delete_bookmarks(call: Call) -> web.StreamResponse:
    response = await standard(call)
    unlink(call, set((await body(call))["bookmark_ids"]))
    return response


@routes("bookmark_linked_dashboard_ids")
async def bookmark_linked_dashboard_ids(call: Call) -> web.StreamResponse:
    table_for(call).get(entity_id(call))  # 404 for an unknown report
    return await dashboards.get_bookmark_dashboard_ids(call)
