# Generated from openapi/cohorts.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import cohorts as m
else:
    m = LazyModule("mixpanel_async._generated.models.cohorts")

__all__ = [
    "BULK_DELETE_COHORTS",
    "bulk_delete_cohorts",
    "BULK_UPDATE_COHORTS",
    "bulk_update_cohorts",
    "CREATE_COHORT",
    "create_cohort",
    "DELETE_COHORT",
    "delete_cohort",
    "GET_COHORT",
    "get_cohort",
    "LIST_COHORTS_FULL",
    "list_cohorts_full",
    "UPDATE_COHORT",
    "update_cohort",
    "OPERATIONS",
]

# GET /projects/{project_id}/cohorts
LIST_COHORTS_FULL = Operation(
    operation_id="list_cohorts_full",
    family="cohorts",
    method="GET",
    host="app",
    path="/projects/{project_id}/cohorts",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="data_group_id", attr="data_group_id", location="query", type="string"),
        Param(name="ids", attr="ids", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.CohortListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="List cohorts with their full detail",
    scope="maybe",
    entity={"kind": "cohort", "store": "cohorts", "action": "list", "match": ["data_group_id"]},
)


def list_cohorts_full(
    *,
    data_group_id: str | None = None,
    ids: str | None = None,
) -> Request[list[m.Cohort]]:
    """GET /projects/{project_id}/cohorts — List cohorts with their full detail."""
    return build(LIST_COHORTS_FULL, {"data_group_id": data_group_id, "ids": ids}, None)


# POST /projects/{project_id}/cohorts
CREATE_COHORT = Operation(
    operation_id="create_cohort",
    family="cohorts",
    method="POST",
    host="app",
    path="/projects/{project_id}/cohorts",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateCohortParams)),
    response=Later(lambda: m.CohortResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create a cohort",
    scope="maybe",
    entity={
        "kind": "cohort",
        "store": "cohorts",
        "action": "create",
        "id": "int",
        "defaults": {
            "count": 0,
            "is_visible": True,
            "is_locked": False,
            "verified": False,
            "referenced_directly_by": [],
            "active_integrations": [],
        },
    },
)


def create_cohort(
    *,
    body: m.CreateCohortParams | Mapping[str, Any],
) -> Request[m.Cohort]:
    """POST /projects/{project_id}/cohorts — Create a cohort."""
    return build(CREATE_COHORT, {}, body)


# POST /projects/{project_id}/cohorts/bulk-delete
BULK_DELETE_COHORTS = Operation(
    operation_id="bulk_delete_cohorts",
    family="cohorts",
    method="POST",
    host="app",
    path="/projects/{project_id}/cohorts/bulk-delete",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.BulkDeleteCohortsParams)),
    response=Later(lambda: m.CohortOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete several cohorts",
    scope="maybe",
    entity={"kind": "cohort", "store": "cohorts", "action": "bulk_delete", "field": "cohort_ids"},
)


def bulk_delete_cohorts(
    *,
    body: m.BulkDeleteCohortsParams | Mapping[str, Any],
) -> Request[object]:
    """POST /projects/{project_id}/cohorts/bulk-delete — Delete several cohorts."""
    return build(BULK_DELETE_COHORTS, {}, body)


# POST /projects/{project_id}/cohorts/bulk-update
BULK_UPDATE_COHORTS = Operation(
    operation_id="bulk_update_cohorts",
    family="cohorts",
    method="POST",
    host="app",
    path="/projects/{project_id}/cohorts/bulk-update",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.BulkUpdateCohortsParams)),
    response=Later(lambda: m.CohortOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Update several cohorts",
    scope="maybe",
    entity={"kind": "cohort", "store": "cohorts", "action": "bulk_update", "field": "cohorts"},
)


def bulk_update_cohorts(
    *,
    body: m.BulkUpdateCohortsParams | Mapping[str, Any],
) -> Request[object]:
    """POST /projects/{project_id}/cohorts/bulk-update — Update several cohorts."""
    return build(BULK_UPDATE_COHORTS, {}, body)


# GET /projects/{project_id}/cohorts/{cohort_id}
GET_COHORT = Operation(
    operation_id="get_cohort",
    family="cohorts",
    method="GET",
    host="app",
    path="/projects/{project_id}/cohorts/{cohort_id}",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="cohort_id", attr="cohort_id", location="path", type="integer", required=True),
    ),
    body=None,
    response=Later(lambda: m.CohortResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Get one cohort",
    scope="maybe",
    entity={"kind": "cohort", "store": "cohorts", "action": "get"},
)


def get_cohort(
    *,
    cohort_id: int,
) -> Request[m.Cohort]:
    """GET /projects/{project_id}/cohorts/{cohort_id} — Get one cohort."""
    return build(GET_COHORT, {"cohort_id": cohort_id}, None)


# PATCH /projects/{project_id}/cohorts/{cohort_id}
UPDATE_COHORT = Operation(
    operation_id="update_cohort",
    family="cohorts",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/cohorts/{cohort_id}",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="cohort_id", attr="cohort_id", location="path", type="integer", required=True),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateCohortParams)),
    response=Later(lambda: m.CohortResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Update a cohort (partial)",
    scope="maybe",
    entity={"kind": "cohort", "store": "cohorts", "action": "update"},
)


def update_cohort(
    *,
    cohort_id: int,
    body: m.UpdateCohortParams | Mapping[str, Any],
) -> Request[m.Cohort]:
    """PATCH /projects/{project_id}/cohorts/{cohort_id} — Update a cohort (partial)."""
    return build(UPDATE_COHORT, {"cohort_id": cohort_id}, body)


# DELETE /projects/{project_id}/cohorts/{cohort_id}
DELETE_COHORT = Operation(
    operation_id="delete_cohort",
    family="cohorts",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/cohorts/{cohort_id}",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="cohort_id", attr="cohort_id", location="path", type="integer", required=True),
    ),
    body=None,
    response=Later(lambda: m.CohortOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete a cohort",
    scope="maybe",
    entity={"kind": "cohort", "store": "cohorts", "action": "delete"},
)


def delete_cohort(
    *,
    cohort_id: int,
) -> Request[object]:
    """DELETE /projects/{project_id}/cohorts/{cohort_id} — Delete a cohort."""
    return build(DELETE_COHORT, {"cohort_id": cohort_id}, None)


OPERATIONS: dict[str, Operation] = {
    "bulk_delete_cohorts": BULK_DELETE_COHORTS,
    "bulk_update_cohorts": BULK_UPDATE_COHORTS,
    "create_cohort": CREATE_COHORT,
    "delete_cohort": DELETE_COHORT,
    "get_cohort": GET_COHORT,
    "list_cohorts_full": LIST_COHORTS_FULL,
    "update_cohort": UPDATE_COHORT,
}
