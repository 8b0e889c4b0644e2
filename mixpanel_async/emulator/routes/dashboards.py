"""Dashboards: what the generic entity handlers (`entity_routes.py`) do not cover.

A dashboard's `layout.rows[].contents[]` holds its cards: reports (`content_type: report`,
`content_id` = the bookmark id) and text cards (`content_type: text`, `markdown`).
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import (
    body,
    dashboards_showing,
    full_layout,
    ok,
    table_for,
    table_of,
    without_cards,
)
from mixpanel_async.emulator.router import Call, Routes, project_for

routes = Routes()

BLUEPRINTS = {
    "product_overview": {"title_key": "Product overview", "description_key": "Core usage",
                         "alternative_description_key": None, "number_of_reports": 6},
    "growth": {"title_key": "Growth", "description_key": "Acquisition and retention",
               "alternative_description_key": None, "number_of_reports": 5},
}  # fmt: skip
_card_ids = itertools.count(1)


def _card(params: dict[str, Any]) -> dict[str, Any]:
    content_params = dict(params.get("content_params") or {})
    card: dict[str, Any] = {
        "id": next(_card_ids),
        "content_type": params.get("content_type"),
        "content_params": content_params,
    }
    if params.get("content_type") == "report":
        content_id = content_params.get("source_bookmark_id", params.get("content_id"))
        if content_id is not None:  # (the spec's content_id is an integer or absent)
            card["content_id"] = content_id
    if params.get("content_type") == "text":
        card["markdown"] = content_params.get("markdown", params.get("markdown", ""))
    return card


def _layout(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "rows": [
            {"id": f"row-{n}", "contents": [_card(c) for c in row.get("contents", [])]}
            for n, row in enumerate(rows, 1)
        ]
    }


def _apply_content(row: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    layout: dict[str, Any] = full_layout(row.get("layout"))
    action, kind = change.get("action"), change.get("content_type")
    if action == "create":
        layout["rows"].append({"id": f"row-{len(layout['rows']) + 1}", "contents": [_card(change)]})
    elif action == "delete":
        target = change.get("content_id")
        before = sum(len(r["contents"]) for r in layout["rows"])
        layout = without_cards(layout, kind, [target])
        if before == sum(len(r["contents"]) for r in layout["rows"]):
            raise EmulatorError(
                404,
                errors.NOT_ON_DASHBOARD.format(
                    kind=kind, content_id=target, dashboard_id=row["id"]
                ),
            )
    else:
        raise EmulatorError(400, errors.BAD_CONTENT_ACTION.format(action=action))
    return layout


@routes("create_dashboard")
async def create_dashboard(call: Call) -> web.Response:
    """POST /api/app/projects/{project_id}/dashboards: create a dashboard."""
    fields = await body(call)
    table = table_for(call)
    rows = fields.pop("rows", None)
    source = fields.pop("duplicate", None)
    if source is not None:
        original = copy.deepcopy(table.get(source))
        fields = {
            **{k: v for k, v in original.items() if k not in ("id", "created", "modified")},
            **fields,
        }
    if rows is not None:
        fields["layout"] = _layout(rows)
    fields["layout"] = full_layout(fields.get("layout"))
    fields.setdefault("is_favorited", False)
    fields.setdefault("pinned_date", None)
    return ok(table.insert(fields))


@routes("update_dashboard")
async def update_dashboard(call: Call) -> web.Response:
    """PATCH /api/app/projects/{project_id}/dashboards/{dashboard_id}: update a dashboard
    (partial); also adds and removes content."""
    table = table_for(call)
    row = table.get(call.request.match_info["dashboard_id"])
    fields = await body(call)
    change = fields.pop("content", None)
    if change is not None:
        fields["layout"] = _apply_content(row, change)
    elif "layout" in fields:
        fields["layout"] = full_layout(fields["layout"])
    return ok(table.patch(row["id"], fields))


@routes("list_blueprint_templates")
async def list_blueprint_templates(call: Call) -> web.Response:
    """GET /api/app/projects/{project_id}/dashboards/blueprints-all: list dashboard blueprint
    templates."""
    return ok({"templates": copy.deepcopy(BLUEPRINTS)})


async def _create_from(call: Call, title: str, **extra: Any) -> web.Response:
    return ok(
        table_of(call, "dashboard").insert(
            {"title": title, "layout": {"rows": []}, "is_favorited": False, **extra}
        )
    )


@routes("create_blueprint")
async def create_blueprint(call: Call) -> web.Response:
    """POST /api/app/projects/{project_id}/dashboards/blueprints: create a dashboard from a
    blueprint template."""
    template = (await body(call))["template_type"]
    if template not in BLUEPRINTS:
        raise EmulatorError(400, errors.UNKNOWN_BLUEPRINT.format(template=template))
    return await _create_from(
        call,
        str(BLUEPRINTS[template]["title_key"]),
        template_type=template,
        generation_type="blueprint",
    )


@routes("finalize_blueprint")
async def finalize_blueprint(call: Call) -> web.Response:
    """POST /api/app/projects/{project_id}/dashboards/blueprints/finish: finish a blueprint
    dashboard with the chosen cards."""
    fields = await body(call)
    table = table_of(call, "dashboard")
    row = table.get(fields["dashboard_id"])
    if not row.get("template_type"):
        raise EmulatorError(400, errors.NOT_A_BLUEPRINT.format(dashboard_id=row["id"]))
    rows = [
        {
            "contents": [
                {
                    "content_type": "report",
                    "content_params": {"source_bookmark_id": card["bookmark_id"]},
                }
                if card["type"] == "report"
                else {
                    "content_type": "text",
                    "content_params": {"markdown": card.get("markdown") or ""},
                }
            ]
        }
        for card in fields["cards"]
    ]
    return ok(table.patch(row["id"], {"layout": _layout(rows)}))


@routes("create_rca_dashboard")
async def create_rca_dashboard(call: Call) -> web.Response:
    """POST /api/app/projects/{project_id}/dashboards/rca: create a root-cause-analysis
    dashboard."""
    fields = await body(call)
    return await _create_from(
        call, "Root cause analysis", generation_type="rca", rca_source_id=fields["rca_source_id"]
    )


@routes("get_blueprint_config")
async def get_blueprint_config(call: Call) -> web.Response:
    """GET /api/app/projects/{project_id}/dashboards/{dashboard_id}/blueprint-config: the
    variables of a blueprint dashboard."""
    row = table_of(call, "dashboard").get(call.request.match_info["dashboard_id"])
    if not row.get("template_type"):
        raise EmulatorError(400, errors.NOT_A_BLUEPRINT.format(dashboard_id=row["id"]))
    return ok({"variables": {"template_type": row["template_type"]}})


@routes("update_blueprint_cohorts")
async def update_blueprint_cohorts(call: Call) -> web.Response:
    """PUT /api/app/projects/{project_id}/dashboards/blueprints/cohorts: set the cohorts
    blueprint dashboards use."""
    project_for(call).entities["blueprint_cohorts"] = (await body(call))["cohorts"]
    return ok()


@routes("get_bookmark_dashboard_ids")
async def get_bookmark_dashboard_ids(call: Call) -> web.Response:
    """GET /api/app/projects/{project_id}/dashboards/bookmarks/{bookmark_id}/dashboard-ids: ids
    of the dashboards that contain a report."""
    return ok(dashboards_showing(call, int(call.request.match_info["bookmark_id"])))


@routes("get_dashboard_erf")
async def get_dashboard_erf(call: Call) -> web.Response:
    """GET /api/app/projects/{project_id}/dashboards/{dashboard_id}/erf: experiment-results data
    of a dashboard."""
    row = table_of(call, "dashboard").get(call.request.match_info["dashboard_id"])
    return ok({"dashboard_id": row["id"], "experiments": []})


def _find_card(row: dict[str, Any], card_id: int, kind: str) -> dict[str, Any]:
    row["layout"] = full_layout(row.get("layout"))  # `row` is the caller's copy
    for r in row["layout"]["rows"]:
        for card in r["contents"]:
            if card.get("id") == card_id and card.get("content_type") == kind:
                return card  # type: ignore[no-any-return]
    raise EmulatorError(
        404, errors.CARD_NOT_ON_DASHBOARD.format(kind=kind, card_id=card_id, dashboard_id=row["id"])
    )


async def _update_card(call: Call, path_name: str, kind: str) -> web.Response:
    table = table_of(call, "dashboard")
    row = copy.deepcopy(table.get(call.request.match_info["dashboard_id"]))
    fields = await body(call)
    try:
        card_id = int(call.request.match_info[path_name])
    except ValueError:
        raise EmulatorError(400, errors.BAD_PATH_ID.format(name=path_name)) from None
    _find_card(row, card_id, kind).update(fields)
    table.patch(row["id"], {"layout": row["layout"]})
    return ok()


@routes("update_text_card")
async def update_text_card(call: Call) -> web.Response:
    """PATCH /api/app/projects/{project_id}/dashboards/{dashboard_id}/text-cards/{text_card_id}:
    update a text card of a dashboard."""
    return await _update_card(call, "text_card_id", "text")


@routes("update_report_link")
async def update_report_link(call: Call) -> web.Response:
    """PATCH /api/app/projects/{project_id}/dashboards/{dashboard_id}/report-
    links/{report_link_id}: update a report link card of a dashboard."""
    return await _update_card(call, "report_link_id", "report")
