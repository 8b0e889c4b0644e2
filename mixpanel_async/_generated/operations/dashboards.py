# Generated from openapi/dashboards.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import (
    Body,
    Later,
    LazyModule,
    Operation,
    Param,
    Request,
    build,
)

# The family's models are imported on first use (`Later`), not with the operations.
if TYPE_CHECKING:
    from mixpanel_async._generated.models import dashboards as m
else:
    m = LazyModule("mixpanel_async._generated.models.dashboards")

__all__ = [
    "BULK_DELETE_DASHBOARDS",
    "bulk_delete_dashboards",
    "CREATE_BLUEPRINT",
    "create_blueprint",
    "CREATE_DASHBOARD",
    "create_dashboard",
    "CREATE_RCA_DASHBOARD",
    "create_rca_dashboard",
    "DELETE_DASHBOARD",
    "delete_dashboard",
    "FAVORITE_DASHBOARD",
    "favorite_dashboard",
    "FINALIZE_BLUEPRINT",
    "finalize_blueprint",
    "GET_BLUEPRINT_CONFIG",
    "get_blueprint_config",
    "GET_BOOKMARK_DASHBOARD_IDS",
    "get_bookmark_dashboard_ids",
    "GET_DASHBOARD",
    "get_dashboard",
    "GET_DASHBOARD_ERF",
    "get_dashboard_erf",
    "LIST_BLUEPRINT_TEMPLATES",
    "list_blueprint_templates",
    "LIST_DASHBOARDS",
    "list_dashboards",
    "PIN_DASHBOARD",
    "pin_dashboard",
    "UNFAVORITE_DASHBOARD",
    "unfavorite_dashboard",
    "UNPIN_DASHBOARD",
    "unpin_dashboard",
    "UPDATE_BLUEPRINT_COHORTS",
    "update_blueprint_cohorts",
    "UPDATE_DASHBOARD",
    "update_dashboard",
    "UPDATE_REPORT_LINK",
    "update_report_link",
    "UPDATE_TEXT_CARD",
    "update_text_card",
    "OPERATIONS",
]

# GET /projects/{project_id}/dashboards
LIST_DASHBOARDS = Operation(
    operation_id="list_dashboards",
    family="dashboards",
    method="GET",
    host="app",
    path="/projects/{project_id}/dashboards",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="ids", attr="ids", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.DashboardListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="List dashboards",
    scope="maybe",
    entity={"kind": "dashboard", "action": "list"},
)


def list_dashboards(
    *,
    ids: str | None = None,
) -> Request[list[m.Dashboard]]:
    """GET /projects/{project_id}/dashboards — List dashboards."""
    return build(LIST_DASHBOARDS, {"ids": ids}, None)


# POST /projects/{project_id}/dashboards
CREATE_DASHBOARD = Operation(
    operation_id="create_dashboard",
    family="dashboards",
    method="POST",
    host="app",
    path="/projects/{project_id}/dashboards",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateDashboardParams)),
    response=Later(lambda: m.DashboardResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create a dashboard",
    scope="maybe",
    entity={"kind": "dashboard", "action": "create", "id": "int"},
)


def create_dashboard(
    *,
    body: m.CreateDashboardParams | Mapping[str, Any],
) -> Request[m.Dashboard]:
    """POST /projects/{project_id}/dashboards — Create a dashboard."""
    return build(CREATE_DASHBOARD, {}, body)


# POST /projects/{project_id}/dashboards/blueprints
CREATE_BLUEPRINT = Operation(
    operation_id="create_blueprint",
    family="dashboards",
    method="POST",
    host="app",
    path="/projects/{project_id}/dashboards/blueprints",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateBlueprintParams)),
    response=Later(lambda: m.DashboardResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create a dashboard from a blueprint template",
    scope="maybe",
)


def create_blueprint(
    *,
    body: m.CreateBlueprintParams | Mapping[str, Any],
) -> Request[m.Dashboard]:
    """POST /projects/{project_id}/dashboards/blueprints — Create a dashboard from a blueprint template."""
    return build(CREATE_BLUEPRINT, {}, body)


# GET /projects/{project_id}/dashboards/blueprints-all
LIST_BLUEPRINT_TEMPLATES = Operation(
    operation_id="list_blueprint_templates",
    family="dashboards",
    method="GET",
    host="app",
    path="/projects/{project_id}/dashboards/blueprints-all",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="include_reports",
            attr="include_reports",
            location="query",
            type="boolean",
            default=False,
        ),
    ),
    body=None,
    response=Later(lambda: m.BlueprintTemplatesResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="List dashboard blueprint templates",
    scope="maybe",
)


def list_blueprint_templates(
    *,
    include_reports: bool | None = False,
) -> Request[m.Results | None]:
    """GET /projects/{project_id}/dashboards/blueprints-all — List dashboard blueprint templates."""
    return build(LIST_BLUEPRINT_TEMPLATES, {"include_reports": include_reports}, None)


# PUT /projects/{project_id}/dashboards/blueprints/cohorts
UPDATE_BLUEPRINT_COHORTS = Operation(
    operation_id="update_blueprint_cohorts",
    family="dashboards",
    method="PUT",
    host="app",
    path="/projects/{project_id}/dashboards/blueprints/cohorts",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=Body(
        media_types=("application/json",), model=Later(lambda: m.UpdateBlueprintCohortsParams)
    ),
    response=Later(lambda: m.DashboardOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Set the cohorts blueprint dashboards use",
    scope="maybe",
)


def update_blueprint_cohorts(
    *,
    body: m.UpdateBlueprintCohortsParams | Mapping[str, Any],
) -> Request[object]:
    """PUT /projects/{project_id}/dashboards/blueprints/cohorts — Set the cohorts blueprint dashboards use."""
    return build(UPDATE_BLUEPRINT_COHORTS, {}, body)


# POST /projects/{project_id}/dashboards/blueprints/finish
FINALIZE_BLUEPRINT = Operation(
    operation_id="finalize_blueprint",
    family="dashboards",
    method="POST",
    host="app",
    path="/projects/{project_id}/dashboards/blueprints/finish",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.BlueprintFinishParams)),
    response=Later(lambda: m.DashboardResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Finish a blueprint dashboard with the chosen cards",
    scope="maybe",
)


def finalize_blueprint(
    *,
    body: m.BlueprintFinishParams | Mapping[str, Any],
) -> Request[m.Dashboard]:
    """POST /projects/{project_id}/dashboards/blueprints/finish — Finish a blueprint dashboard with the chosen cards."""
    return build(FINALIZE_BLUEPRINT, {}, body)


# GET /projects/{project_id}/dashboards/bookmarks/{bookmark_id}/dashboard-ids
GET_BOOKMARK_DASHBOARD_IDS = Operation(
    operation_id="get_bookmark_dashboard_ids",
    family="dashboards",
    method="GET",
    host="app",
    path="/projects/{project_id}/dashboards/bookmarks/{bookmark_id}/dashboard-ids",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="bookmark_id", attr="bookmark_id", location="path", type="integer", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.DashboardIdsResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Ids of the dashboards that contain a report",
    scope="maybe",
)


def get_bookmark_dashboard_ids(
    *,
    bookmark_id: int,
) -> Request[list[int]]:
    """GET /projects/{project_id}/dashboards/bookmarks/{bookmark_id}/dashboard-ids — Ids of the dashboards that contain a report."""
    return build(GET_BOOKMARK_DASHBOARD_IDS, {"bookmark_id": bookmark_id}, None)


# POST /projects/{project_id}/dashboards/bulk-delete
BULK_DELETE_DASHBOARDS = Operation(
    operation_id="bulk_delete_dashboards",
    family="dashboards",
    method="POST",
    host="app",
    path="/projects/{project_id}/dashboards/bulk-delete",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.BulkDeleteDashboardsParams)),
    response=Later(lambda: m.DashboardOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete several dashboards",
    scope="maybe",
    entity={"kind": "dashboard", "action": "bulk_delete", "field": "dashboard_ids"},
)


def bulk_delete_dashboards(
    *,
    body: m.BulkDeleteDashboardsParams | Mapping[str, Any],
) -> Request[object]:
    """POST /projects/{project_id}/dashboards/bulk-delete — Delete several dashboards."""
    return build(BULK_DELETE_DASHBOARDS, {}, body)


# POST /projects/{project_id}/dashboards/rca
CREATE_RCA_DASHBOARD = Operation(
    operation_id="create_rca_dashboard",
    family="dashboards",
    method="POST",
    host="app",
    path="/projects/{project_id}/dashboards/rca",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateRcaDashboardParams)),
    response=Later(lambda: m.DashboardResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create a root-cause-analysis dashboard",
    scope="maybe",
)


def create_rca_dashboard(
    *,
    body: m.CreateRcaDashboardParams | Mapping[str, Any],
) -> Request[m.Dashboard]:
    """POST /projects/{project_id}/dashboards/rca — Create a root-cause-analysis dashboard."""
    return build(CREATE_RCA_DASHBOARD, {}, body)


# GET /projects/{project_id}/dashboards/{dashboard_id}
GET_DASHBOARD = Operation(
    operation_id="get_dashboard",
    family="dashboards",
    method="GET",
    host="app",
    path="/projects/{project_id}/dashboards/{dashboard_id}",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="dashboard_id", attr="dashboard_id", location="path", type="integer", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.DashboardResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Get one dashboard",
    scope="maybe",
    entity={"kind": "dashboard", "action": "get"},
)


def get_dashboard(
    *,
    dashboard_id: int,
) -> Request[m.Dashboard]:
    """GET /projects/{project_id}/dashboards/{dashboard_id} — Get one dashboard."""
    return build(GET_DASHBOARD, {"dashboard_id": dashboard_id}, None)


# PATCH /projects/{project_id}/dashboards/{dashboard_id}
UPDATE_DASHBOARD = Operation(
    operation_id="update_dashboard",
    family="dashboards",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/dashboards/{dashboard_id}",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="dashboard_id", attr="dashboard_id", location="path", type="integer", required=True
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateDashboardParams)),
    response=Later(lambda: m.DashboardResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Update a dashboard (partial); also adds and removes content",
    scope="maybe",
    entity={"kind": "dashboard", "action": "update"},
)


def update_dashboard(
    *,
    dashboard_id: int,
    body: m.UpdateDashboardParams | Mapping[str, Any],
) -> Request[m.Dashboard]:
    """PATCH /projects/{project_id}/dashboards/{dashboard_id} — Update a dashboard (partial); also adds and removes content."""
    return build(UPDATE_DASHBOARD, {"dashboard_id": dashboard_id}, body)


# DELETE /projects/{project_id}/dashboards/{dashboard_id}
DELETE_DASHBOARD = Operation(
    operation_id="delete_dashboard",
    family="dashboards",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/dashboards/{dashboard_id}",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="dashboard_id", attr="dashboard_id", location="path", type="integer", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.DashboardOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete a dashboard",
    scope="maybe",
    entity={"kind": "dashboard", "action": "delete"},
)


def delete_dashboard(
    *,
    dashboard_id: int,
) -> Request[object]:
    """DELETE /projects/{project_id}/dashboards/{dashboard_id} — Delete a dashboard."""
    return build(DELETE_DASHBOARD, {"dashboard_id": dashboard_id}, None)


# GET /projects/{project_id}/dashboards/{dashboard_id}/blueprint-config
GET_BLUEPRINT_CONFIG = Operation(
    operation_id="get_blueprint_config",
    family="dashboards",
    method="GET",
    host="app",
    path="/projects/{project_id}/dashboards/{dashboard_id}/blueprint-config",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="dashboard_id", attr="dashboard_id", location="path", type="integer", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.BlueprintConfigResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="The variables of a blueprint dashboard",
    scope="maybe",
)


def get_blueprint_config(
    *,
    dashboard_id: int,
) -> Request[m.BlueprintConfig]:
    """GET /projects/{project_id}/dashboards/{dashboard_id}/blueprint-config — The variables of a blueprint dashboard."""
    return build(GET_BLUEPRINT_CONFIG, {"dashboard_id": dashboard_id}, None)


# GET /projects/{project_id}/dashboards/{dashboard_id}/erf
GET_DASHBOARD_ERF = Operation(
    operation_id="get_dashboard_erf",
    family="dashboards",
    method="GET",
    host="app",
    path="/projects/{project_id}/dashboards/{dashboard_id}/erf",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="dashboard_id", attr="dashboard_id", location="path", type="integer", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.DashboardErfResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Experiment-results data of a dashboard",
    scope="maybe",
)


def get_dashboard_erf(
    *,
    dashboard_id: int,
) -> Request[dict[str, Any]]:
    """GET /projects/{project_id}/dashboards/{dashboard_id}/erf — Experiment-results data of a dashboard."""
    return build(GET_DASHBOARD_ERF, {"dashboard_id": dashboard_id}, None)


# POST /projects/{project_id}/dashboards/{dashboard_id}/favorites
FAVORITE_DASHBOARD = Operation(
    operation_id="favorite_dashboard",
    family="dashboards",
    method="POST",
    host="app",
    path="/projects/{project_id}/dashboards/{dashboard_id}/favorites",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="dashboard_id", attr="dashboard_id", location="path", type="integer", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.DashboardOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Mark a dashboard as a favorite of the current user",
    scope="maybe",
    entity={"kind": "dashboard", "action": "set", "field": "is_favorited", "value": True},
)


def favorite_dashboard(
    *,
    dashboard_id: int,
) -> Request[object]:
    """POST /projects/{project_id}/dashboards/{dashboard_id}/favorites — Mark a dashboard as a favorite of the current user."""
    return build(FAVORITE_DASHBOARD, {"dashboard_id": dashboard_id}, None)


# DELETE /projects/{project_id}/dashboards/{dashboard_id}/favorites
UNFAVORITE_DASHBOARD = Operation(
    operation_id="unfavorite_dashboard",
    family="dashboards",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/dashboards/{dashboard_id}/favorites",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="dashboard_id", attr="dashboard_id", location="path", type="integer", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.DashboardOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Remove a dashboard from the current user's favorites",
    scope="maybe",
    entity={"kind": "dashboard", "action": "set", "field": "is_favorited", "value": False},
)


def unfavorite_dashboard(
    *,
    dashboard_id: int,
) -> Request[object]:
    """DELETE /projects/{project_id}/dashboards/{dashboard_id}/favorites — Remove a dashboard from the current user's favorites."""
    return build(UNFAVORITE_DASHBOARD, {"dashboard_id": dashboard_id}, None)


# POST /projects/{project_id}/dashboards/{dashboard_id}/pin
PIN_DASHBOARD = Operation(
    operation_id="pin_dashboard",
    family="dashboards",
    method="POST",
    host="app",
    path="/projects/{project_id}/dashboards/{dashboard_id}/pin",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="dashboard_id", attr="dashboard_id", location="path", type="integer", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.DashboardOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Pin a dashboard",
    scope="maybe",
    entity={"kind": "dashboard", "action": "set", "field": "pinned_date", "value": "$now"},
)


def pin_dashboard(
    *,
    dashboard_id: int,
) -> Request[object]:
    """POST /projects/{project_id}/dashboards/{dashboard_id}/pin — Pin a dashboard."""
    return build(PIN_DASHBOARD, {"dashboard_id": dashboard_id}, None)


# DELETE /projects/{project_id}/dashboards/{dashboard_id}/pin
UNPIN_DASHBOARD = Operation(
    operation_id="unpin_dashboard",
    family="dashboards",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/dashboards/{dashboard_id}/pin",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="dashboard_id", attr="dashboard_id", location="path", type="integer", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.DashboardOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Unpin a dashboard",
    scope="maybe",
    entity={"kind": "dashboard", "action": "set", "field": "pinned_date", "value": None},
)


def unpin_dashboard(
    *,
    dashboard_id: int,
) -> Request[object]:
    """DELETE /projects/{project_id}/dashboards/{dashboard_id}/pin — Unpin a dashboard."""
    return build(UNPIN_DASHBOARD, {"dashboard_id": dashboard_id}, None)


# PATCH /projects/{project_id}/dashboards/{dashboard_id}/report-links/{report_link_id}
UPDATE_REPORT_LINK = Operation(
    operation_id="update_report_link",
    family="dashboards",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/dashboards/{dashboard_id}/report-links/{report_link_id}",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="dashboard_id", attr="dashboard_id", location="path", type="integer", required=True
        ),
        Param(
            name="report_link_id",
            attr="report_link_id",
            location="path",
            type="integer",
            required=True,
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateReportLinkParams)),
    response=Later(lambda: m.DashboardOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Update a report link card of a dashboard",
    scope="maybe",
)


def update_report_link(
    *,
    dashboard_id: int,
    report_link_id: int,
    body: m.UpdateReportLinkParams | Mapping[str, Any],
) -> Request[object]:
    """PATCH /projects/{project_id}/dashboards/{dashboard_id}/report-links/{report_link_id} — Update a report link card of a dashboard."""
    return build(
        UPDATE_REPORT_LINK, {"dashboard_id": dashboard_id, "report_link_id": report_link_id}, body
    )


# PATCH /projects/{project_id}/dashboards/{dashboard_id}/text-cards/{text_card_id}
UPDATE_TEXT_CARD = Operation(
    operation_id="update_text_card",
    family="dashboards",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/dashboards/{dashboard_id}/text-cards/{text_card_id}",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="dashboard_id", attr="dashboard_id", location="path", type="integer", required=True
        ),
        Param(
            name="text_card_id", attr="text_card_id", location="path", type="integer", required=True
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateTextCardParams)),
    response=Later(lambda: m.DashboardOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Update a text card of a dashboard",
    scope="maybe",
)


def update_text_card(
    *,
    dashboard_id: int,
    text_card_id: int,
    body: m.UpdateTextCardParams | Mapping[str, Any],
) -> Request[object]:
    """PATCH /projects/{project_id}/dashboards/{dashboard_id}/text-cards/{text_card_id} — Update a text card of a dashboard."""
    return build(
        UPDATE_TEXT_CARD, {"dashboard_id": dashboard_id, "text_card_id": text_card_id}, body
    )


OPERATIONS: dict[str, Operation] = {
    "bulk_delete_dashboards": BULK_DELETE_DASHBOARDS,
    "create_blueprint": CREATE_BLUEPRINT,
    "create_dashboard": CREATE_DASHBOARD,
    "create_rca_dashboard": CREATE_RCA_DASHBOARD,
    "delete_dashboard": DELETE_DASHBOARD,
    "favorite_dashboard": FAVORITE_DASHBOARD,
    "finalize_blueprint": FINALIZE_BLUEPRINT,
    "get_blueprint_config": GET_BLUEPRINT_CONFIG,
    "get_bookmark_dashboard_ids": GET_BOOKMARK_DASHBOARD_IDS,
    "get_dashboard": GET_DASHBOARD,
    "get_dashboard_erf": GET_DASHBOARD_ERF,
    "list_blueprint_templates": LIST_BLUEPRINT_TEMPLATES,
    "list_dashboards": LIST_DASHBOARDS,
    "pin_dashboard": PIN_DASHBOARD,
    "unfavorite_dashboard": UNFAVORITE_DASHBOARD,
    "unpin_dashboard": UNPIN_DASHBOARD,
    "update_blueprint_cohorts": UPDATE_BLUEPRINT_COHORTS,
    "update_dashboard": UPDATE_DASHBOARD,
    "update_report_link": UPDATE_REPORT_LINK,
    "update_text_card": UPDATE_TEXT_CARD,
}
