# Generated from openapi/anomalies.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import anomalies as m
else:
    m = LazyModule("mixpanel_async._generated.models.anomalies")

__all__ = [
    "BULK_UPDATE_ANOMALIES",
    "bulk_update_anomalies",
    "LIST_DATA_VOLUME_ANOMALIES",
    "list_data_volume_anomalies",
    "UPDATE_ANOMALY",
    "update_anomaly",
    "OPERATIONS",
]

# GET /projects/{project_id}/data-definitions/data-volume-anomalies/
LIST_DATA_VOLUME_ANOMALIES = Operation(
    operation_id="list_data_volume_anomalies",
    family="anomalies",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/data-volume-anomalies/",
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
            name="status",
            attr="status",
            location="query",
            type="string",
            enum=("open", "dismissed"),
        ),
        Param(name="limit", attr="limit", location="query", type="integer", minimum=1),
        Param(name="event_id", attr="event_id", location="query", type="integer"),
        Param(name="prop_id", attr="prop_id", location="query", type="integer"),
        Param(
            name="include_property_anomalies",
            attr="include_property_anomalies",
            location="query",
            type="string",
        ),
        Param(
            name="include_metric_anomalies",
            attr="include_metric_anomalies",
            location="query",
            type="string",
        ),
    ),
    body=None,
    response=Later(lambda: m.AnomaliesListEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="The detected anomalies, newest first, optionally filtered",
    scope="maybe",
)


def list_data_volume_anomalies(
    *,
    status: m.AnomalyStatus | None = None,
    limit: int | None = None,
    event_id: int | None = None,
    prop_id: int | None = None,
    include_property_anomalies: str | None = None,
    include_metric_anomalies: str | None = None,
) -> Request[m.AnomaliesList]:
    """GET /projects/{project_id}/data-definitions/data-volume-anomalies/ — The detected anomalies, newest first, optionally filtered.

    Filters are free-form query parameters (`status`, `limit`, `event_id`, `prop_id`,
    `include_property_anomalies`, `include_metric_anomalies`), passed through as given.
    """
    return build(
        LIST_DATA_VOLUME_ANOMALIES,
        {
            "status": status,
            "limit": limit,
            "event_id": event_id,
            "prop_id": prop_id,
            "include_property_anomalies": include_property_anomalies,
            "include_metric_anomalies": include_metric_anomalies,
        },
        None,
    )


# PATCH /projects/{project_id}/data-definitions/data-volume-anomalies/
UPDATE_ANOMALY = Operation(
    operation_id="update_anomaly",
    family="anomalies",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/data-definitions/data-volume-anomalies/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateAnomalyParams)),
    response=Later(lambda: m.AnomaliesRawResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Set one anomaly's status",
    scope="maybe",
)


def update_anomaly(
    *,
    body: m.UpdateAnomalyParams | Mapping[str, Any],
) -> Request[dict[str, Any]]:
    """PATCH /projects/{project_id}/data-definitions/data-volume-anomalies/ — Set one anomaly's status."""
    return build(UPDATE_ANOMALY, {}, body)


# PATCH /projects/{project_id}/data-definitions/data-volume-anomalies/bulk/
BULK_UPDATE_ANOMALIES = Operation(
    operation_id="bulk_update_anomalies",
    family="anomalies",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/data-definitions/data-volume-anomalies/bulk/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.BulkUpdateAnomalyParams)),
    response=Later(lambda: m.AnomaliesRawResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Set the status of many anomalies",
    scope="maybe",
)


def bulk_update_anomalies(
    *,
    body: m.BulkUpdateAnomalyParams | Mapping[str, Any],
) -> Request[dict[str, Any]]:
    """PATCH /projects/{project_id}/data-definitions/data-volume-anomalies/bulk/ — Set the status of many anomalies."""
    return build(BULK_UPDATE_ANOMALIES, {}, body)


OPERATIONS: dict[str, Operation] = {
    "bulk_update_anomalies": BULK_UPDATE_ANOMALIES,
    "list_data_volume_anomalies": LIST_DATA_VOLUME_ANOMALIES,
    "update_anomaly": UPDATE_ANOMALY,
}
