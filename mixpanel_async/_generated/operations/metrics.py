# Generated from openapi/metrics.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import metrics as m
else:
    m = LazyModule("mixpanel_async._generated.models.metrics")

__all__ = [
    "BULK_UPDATE_SAVED_METRICS",
    "bulk_update_saved_metrics",
    "CREATE_SAVED_METRIC",
    "create_saved_metric",
    "DELETE_SAVED_METRICS",
    "delete_saved_metrics",
    "GET_SAVED_METRIC",
    "get_saved_metric",
    "LIST_SAVED_METRICS",
    "list_saved_metrics",
    "UPDATE_SAVED_METRIC",
    "update_saved_metric",
    "OPERATIONS",
]

# GET /projects/{project_id}/metrics
LIST_SAVED_METRICS = Operation(
    operation_id="list_saved_metrics",
    family="metrics",
    method="GET",
    host="app",
    path="/projects/{project_id}/metrics",
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
    body=None,
    response=Later(lambda: m.SavedMetricMapResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Every saved metric of the project, by id (unpaginated)",
    scope="project",
)


def list_saved_metrics() -> Request[dict[str, m.SavedMetricRow]]:
    """GET /projects/{project_id}/metrics — Every saved metric of the project, by id (unpaginated)."""
    return build(LIST_SAVED_METRICS, {}, None)


# POST /projects/{project_id}/metrics
CREATE_SAVED_METRIC = Operation(
    operation_id="create_saved_metric",
    family="metrics",
    method="POST",
    host="app",
    path="/projects/{project_id}/metrics",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateSavedMetricBody)),
    response=Later(lambda: m.SavedMetricMapResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Save a new metric; the answer holds it alone",
    scope="project",
)


def create_saved_metric(
    *,
    body: m.CreateSavedMetricBody | Mapping[str, Any],
) -> Request[dict[str, m.SavedMetricRow]]:
    """POST /projects/{project_id}/metrics — Save a new metric; the answer holds it alone."""
    return build(CREATE_SAVED_METRIC, {}, body)


# PATCH /projects/{project_id}/metrics
BULK_UPDATE_SAVED_METRICS = Operation(
    operation_id="bulk_update_saved_metrics",
    family="metrics",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/metrics",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.BulkUpdateSavedMetricBody)),
    response=Later(lambda: m.SavedMetricMapResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Change several saved metrics; the answer holds the changed ones",
    scope="project",
)


def bulk_update_saved_metrics(
    *,
    body: m.BulkUpdateSavedMetricBody | Mapping[str, Any],
) -> Request[dict[str, m.SavedMetricRow]]:
    """PATCH /projects/{project_id}/metrics — Change several saved metrics; the answer holds the changed ones."""
    return build(BULK_UPDATE_SAVED_METRICS, {}, body)


# DELETE /projects/{project_id}/metrics
DELETE_SAVED_METRICS = Operation(
    operation_id="delete_saved_metrics",
    family="metrics",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/metrics",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.DeleteSavedMetricsBody)),
    response=Later(lambda: m.SavedMetricOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete saved metrics by id",
    scope="project",
)


def delete_saved_metrics(
    *,
    body: m.DeleteSavedMetricsBody | Mapping[str, Any],
) -> Request[object]:
    """DELETE /projects/{project_id}/metrics — Delete saved metrics by id."""
    return build(DELETE_SAVED_METRICS, {}, body)


# GET /projects/{project_id}/metrics/{metric_id}
GET_SAVED_METRIC = Operation(
    operation_id="get_saved_metric",
    family="metrics",
    method="GET",
    host="app",
    path="/projects/{project_id}/metrics/{metric_id}",
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
            name="metric_id",
            attr="metric_id",
            location="path",
            type="integer",
            required=True,
            minimum=1,
        ),
    ),
    body=None,
    response=Later(lambda: m.SavedMetricMapResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="One saved metric (a one-entry map)",
    scope="project",
)


def get_saved_metric(
    *,
    metric_id: int,
) -> Request[dict[str, m.SavedMetricRow]]:
    """GET /projects/{project_id}/metrics/{metric_id} — One saved metric (a one-entry map)."""
    return build(GET_SAVED_METRIC, {"metric_id": metric_id}, None)


# PATCH /projects/{project_id}/metrics/{metric_id}
UPDATE_SAVED_METRIC = Operation(
    operation_id="update_saved_metric",
    family="metrics",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/metrics/{metric_id}",
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
            name="metric_id",
            attr="metric_id",
            location="path",
            type="integer",
            required=True,
            minimum=1,
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateSavedMetricBody)),
    response=Later(lambda: m.SavedMetricMapResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Change some fields of a saved metric",
    scope="project",
)


def update_saved_metric(
    *,
    metric_id: int,
    body: m.UpdateSavedMetricBody | Mapping[str, Any],
) -> Request[dict[str, m.SavedMetricRow]]:
    """PATCH /projects/{project_id}/metrics/{metric_id} — Change some fields of a saved metric."""
    return build(UPDATE_SAVED_METRIC, {"metric_id": metric_id}, body)


OPERATIONS: dict[str, Operation] = {
    "bulk_update_saved_metrics": BULK_UPDATE_SAVED_METRICS,
    "create_saved_metric": CREATE_SAVED_METRIC,
    "delete_saved_metrics": DELETE_SAVED_METRICS,
    "get_saved_metric": GET_SAVED_METRIC,
    "list_saved_metrics": LIST_SAVED_METRICS,
    "update_saved_metric": UPDATE_SAVED_METRIC,
}
