# Generated from openapi/alerts.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import alerts as m
else:
    m = LazyModule("mixpanel_async._generated.models.alerts")

__all__ = [
    "BULK_DELETE_ALERTS",
    "bulk_delete_alerts",
    "CREATE_ALERT",
    "create_alert",
    "DELETE_ALERT",
    "delete_alert",
    "GET_ALERT",
    "get_alert",
    "GET_ALERT_COUNT",
    "get_alert_count",
    "GET_ALERT_HISTORY",
    "get_alert_history",
    "GET_ALERT_SCREENSHOT_URL",
    "get_alert_screenshot_url",
    "LIST_ALERTS",
    "list_alerts",
    "TEST_ALERT",
    "test_alert",
    "UPDATE_ALERT",
    "update_alert",
    "VALIDATE_ALERTS_FOR_BOOKMARK",
    "validate_alerts_for_bookmark",
    "OPERATIONS",
]

# GET /projects/{project_id}/alerts/custom/
LIST_ALERTS = Operation(
    operation_id="list_alerts",
    family="alerts",
    method="GET",
    host="app",
    path="/projects/{project_id}/alerts/custom/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="bookmark_id", attr="bookmark_id", location="query", type="integer"),
        Param(name="skip_user_filter", attr="skip_user_filter", location="query", type="boolean"),
    ),
    body=None,
    response=Later(lambda: m.CustomAlertListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="List custom alerts, optionally only those of one report",
    scope="maybe",
    entity={"kind": "alert", "action": "list", "match": ["bookmark_id"]},
)


def list_alerts(
    *,
    bookmark_id: int | None = None,
    skip_user_filter: bool | None = None,
) -> Request[list[m.CustomAlert]]:
    """GET /projects/{project_id}/alerts/custom/ — List custom alerts, optionally only those of one report."""
    return build(
        LIST_ALERTS, {"bookmark_id": bookmark_id, "skip_user_filter": skip_user_filter}, None
    )


# POST /projects/{project_id}/alerts/custom/
CREATE_ALERT = Operation(
    operation_id="create_alert",
    family="alerts",
    method="POST",
    host="app",
    path="/projects/{project_id}/alerts/custom/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateAlertParams)),
    response=Later(lambda: m.CustomAlertResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create a custom alert on a saved report",
    scope="maybe",
    entity={
        "kind": "alert",
        "action": "create",
        "id": "int",
        "defaults": {
            "notification_windows": None,
            "last_checked": None,
            "last_fired": None,
            "results": None,
            "creator": {
                "id": 1,
                "first_name": "Emulator",
                "last_name": "User",
                "email": "emulator@example.com",
            },
        },
    },
)


def create_alert(
    *,
    body: m.CreateAlertParams | Mapping[str, Any],
) -> Request[m.CustomAlert]:
    """POST /projects/{project_id}/alerts/custom/ — Create a custom alert on a saved report."""
    return build(CREATE_ALERT, {}, body)


# GET /projects/{project_id}/alerts/custom/alert-count/
GET_ALERT_COUNT = Operation(
    operation_id="get_alert_count",
    family="alerts",
    method="GET",
    host="app",
    path="/projects/{project_id}/alerts/custom/alert-count/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="type", attr="type", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.AlertCountResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="How many alerts exist and the account's limit",
    scope="maybe",
    entity={"kind": "alert", "action": "count"},
)


def get_alert_count(
    *,
    type: str | None = None,
) -> Request[m.AlertCount]:
    """GET /projects/{project_id}/alerts/custom/alert-count/ — How many alerts exist and the account's limit."""
    return build(GET_ALERT_COUNT, {"type": type}, None)


# POST /projects/{project_id}/alerts/custom/bulk-delete/
BULK_DELETE_ALERTS = Operation(
    operation_id="bulk_delete_alerts",
    family="alerts",
    method="POST",
    host="app",
    path="/projects/{project_id}/alerts/custom/bulk-delete/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.BulkDeleteAlertsParams)),
    response=Later(lambda: m.AlertOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete several custom alerts",
    scope="maybe",
    entity={"kind": "alert", "action": "bulk_delete", "field": "alert_ids"},
)


def bulk_delete_alerts(
    *,
    body: m.BulkDeleteAlertsParams | Mapping[str, Any],
) -> Request[object]:
    """POST /projects/{project_id}/alerts/custom/bulk-delete/ — Delete several custom alerts."""
    return build(BULK_DELETE_ALERTS, {}, body)


# GET /projects/{project_id}/alerts/custom/screenshot/
GET_ALERT_SCREENSHOT_URL = Operation(
    operation_id="get_alert_screenshot_url",
    family="alerts",
    method="GET",
    host="app",
    path="/projects/{project_id}/alerts/custom/screenshot/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="gcs_key", attr="gcs_key", location="query", type="string", required=True),
    ),
    body=None,
    response=Later(lambda: m.AlertScreenshotEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="A signed URL for an alert notification's screenshot",
    scope="maybe",
)


def get_alert_screenshot_url(
    *,
    gcs_key: str,
) -> Request[m.AlertScreenshotResponse]:
    """GET /projects/{project_id}/alerts/custom/screenshot/ — A signed URL for an alert notification's screenshot."""
    return build(GET_ALERT_SCREENSHOT_URL, {"gcs_key": gcs_key}, None)


# POST /projects/{project_id}/alerts/custom/test/
TEST_ALERT = Operation(
    operation_id="test_alert",
    family="alerts",
    method="POST",
    host="app",
    path="/projects/{project_id}/alerts/custom/test/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateAlertParams)),
    response=Later(lambda: m.AlertTestResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Evaluate an alert definition once without saving it",
    scope="maybe",
    entity={"kind": "alert", "action": "test"},
)


def test_alert(
    *,
    body: m.CreateAlertParams | Mapping[str, Any],
) -> Request[dict[str, Any]]:
    """POST /projects/{project_id}/alerts/custom/test/ — Evaluate an alert definition once without saving it."""
    return build(TEST_ALERT, {}, body)


# POST /projects/{project_id}/alerts/custom/validate-alerts-for-bookmark/
VALIDATE_ALERTS_FOR_BOOKMARK = Operation(
    operation_id="validate_alerts_for_bookmark",
    family="alerts",
    method="POST",
    host="app",
    path="/projects/{project_id}/alerts/custom/validate-alerts-for-bookmark/",
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
        media_types=("application/json",), model=Later(lambda: m.ValidateAlertsForBookmarkParams)
    ),
    response=Later(lambda: m.ValidateAlertsForBookmarkEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Check whether alerts still fit a changed report definition",
    scope="maybe",
    entity={"kind": "alert", "action": "validate"},
)


def validate_alerts_for_bookmark(
    *,
    body: m.ValidateAlertsForBookmarkParams | Mapping[str, Any],
) -> Request[m.ValidateAlertsForBookmarkResponse]:
    """POST /projects/{project_id}/alerts/custom/validate-alerts-for-bookmark/ — Check whether alerts still fit a changed report definition."""
    return build(VALIDATE_ALERTS_FOR_BOOKMARK, {}, body)


# GET /projects/{project_id}/alerts/custom/{alert_id}/
GET_ALERT = Operation(
    operation_id="get_alert",
    family="alerts",
    method="GET",
    host="app",
    path="/projects/{project_id}/alerts/custom/{alert_id}/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="alert_id", attr="alert_id", location="path", type="integer", required=True),
    ),
    body=None,
    response=Later(lambda: m.CustomAlertResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Get one custom alert",
    scope="maybe",
    entity={"kind": "alert", "action": "get"},
)


def get_alert(
    *,
    alert_id: int,
) -> Request[m.CustomAlert]:
    """GET /projects/{project_id}/alerts/custom/{alert_id}/ — Get one custom alert."""
    return build(GET_ALERT, {"alert_id": alert_id}, None)


# PATCH /projects/{project_id}/alerts/custom/{alert_id}/
UPDATE_ALERT = Operation(
    operation_id="update_alert",
    family="alerts",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/alerts/custom/{alert_id}/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="alert_id", attr="alert_id", location="path", type="integer", required=True),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateAlertParams)),
    response=Later(lambda: m.CustomAlertResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Update a custom alert (partial)",
    scope="maybe",
    entity={"kind": "alert", "action": "update"},
)


def update_alert(
    *,
    alert_id: int,
    body: m.UpdateAlertParams | Mapping[str, Any],
) -> Request[m.CustomAlert]:
    """PATCH /projects/{project_id}/alerts/custom/{alert_id}/ — Update a custom alert (partial)."""
    return build(UPDATE_ALERT, {"alert_id": alert_id}, body)


# DELETE /projects/{project_id}/alerts/custom/{alert_id}/
DELETE_ALERT = Operation(
    operation_id="delete_alert",
    family="alerts",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/alerts/custom/{alert_id}/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="alert_id", attr="alert_id", location="path", type="integer", required=True),
    ),
    body=None,
    response=Later(lambda: m.AlertOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete a custom alert",
    scope="maybe",
    entity={"kind": "alert", "action": "delete"},
)


def delete_alert(
    *,
    alert_id: int,
) -> Request[object]:
    """DELETE /projects/{project_id}/alerts/custom/{alert_id}/ — Delete a custom alert."""
    return build(DELETE_ALERT, {"alert_id": alert_id}, None)


# GET /projects/{project_id}/alerts/custom/{alert_id}/history/
GET_ALERT_HISTORY = Operation(
    operation_id="get_alert_history",
    family="alerts",
    method="GET",
    host="app",
    path="/projects/{project_id}/alerts/custom/{alert_id}/history/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="alert_id", attr="alert_id", location="path", type="integer", required=True),
        Param(name="page_size", attr="page_size", location="query", type="integer", minimum=1),
        Param(name="next_cursor", attr="next_cursor", location="query", type="string"),
        Param(name="previous_cursor", attr="previous_cursor", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.AlertHistoryEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging={"style": "cursor"},
    summary="The change log of an alert, newest first, by cursor",
    scope="maybe",
    entity={"kind": "alert", "action": "history"},
)


def get_alert_history(
    *,
    alert_id: int,
    page_size: int | None = None,
    next_cursor: str | None = None,
    previous_cursor: str | None = None,
) -> Request[m.AlertHistoryResponse]:
    """GET /projects/{project_id}/alerts/custom/{alert_id}/history/ — The change log of an alert, newest first, by cursor."""
    return build(
        GET_ALERT_HISTORY,
        {
            "alert_id": alert_id,
            "page_size": page_size,
            "next_cursor": next_cursor,
            "previous_cursor": previous_cursor,
        },
        None,
    )


OPERATIONS: dict[str, Operation] = {
    "bulk_delete_alerts": BULK_DELETE_ALERTS,
    "create_alert": CREATE_ALERT,
    "delete_alert": DELETE_ALERT,
    "get_alert": GET_ALERT,
    "get_alert_count": GET_ALERT_COUNT,
    "get_alert_history": GET_ALERT_HISTORY,
    "get_alert_screenshot_url": GET_ALERT_SCREENSHOT_URL,
    "list_alerts": LIST_ALERTS,
    "test_alert": TEST_ALERT,
    "update_alert": UPDATE_ALERT,
    "validate_alerts_for_bookmark": VALIDATE_ALERTS_FOR_BOOKMARK,
}
