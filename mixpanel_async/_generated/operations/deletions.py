# Generated from openapi/deletions.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import deletions as m
else:
    m = LazyModule("mixpanel_async._generated.models.deletions")

__all__ = [
    "CANCEL_DELETION_REQUEST",
    "cancel_deletion_request",
    "CREATE_DELETION_REQUEST",
    "create_deletion_request",
    "LIST_DELETION_REQUESTS",
    "list_deletion_requests",
    "PREVIEW_DELETION_FILTERS",
    "preview_deletion_filters",
    "OPERATIONS",
]

# GET /projects/{project_id}/data-definitions/events/deletion-requests/
LIST_DELETION_REQUESTS = Operation(
    operation_id="list_deletion_requests",
    family="deletions",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/events/deletion-requests/",
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
    response=Later(lambda: m.DeletionRequestsEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Every event deletion request, newest first",
    scope="maybe",
)


def list_deletion_requests() -> Request[list[m.EventDeletionRequest]]:
    """GET /projects/{project_id}/data-definitions/events/deletion-requests/ — Every event deletion request, newest first."""
    return build(LIST_DELETION_REQUESTS, {}, None)


# POST /projects/{project_id}/data-definitions/events/deletion-requests/
CREATE_DELETION_REQUEST = Operation(
    operation_id="create_deletion_request",
    family="deletions",
    method="POST",
    host="app",
    path="/projects/{project_id}/data-definitions/events/deletion-requests/",
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
        media_types=("application/json",), model=Later(lambda: m.CreateDeletionRequestParams)
    ),
    response=Later(lambda: m.DeletionRequestsEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Ask for the events of one name over a date range to be deleted",
    scope="maybe",
)


def create_deletion_request(
    *,
    body: m.CreateDeletionRequestParams | Mapping[str, Any],
) -> Request[list[m.EventDeletionRequest]]:
    """POST /projects/{project_id}/data-definitions/events/deletion-requests/ — Ask for the events of one name over a date range to be deleted."""
    return build(CREATE_DELETION_REQUEST, {}, body)


# DELETE /projects/{project_id}/data-definitions/events/deletion-requests/
CANCEL_DELETION_REQUEST = Operation(
    operation_id="cancel_deletion_request",
    family="deletions",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/data-definitions/events/deletion-requests/",
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
        media_types=("application/json",), model=Later(lambda: m.CancelDeletionRequestParams)
    ),
    response=Later(lambda: m.DeletionRequestsEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Cancel a deletion request that has not started",
    scope="maybe",
)


def cancel_deletion_request(
    *,
    body: m.CancelDeletionRequestParams | Mapping[str, Any],
) -> Request[list[m.EventDeletionRequest]]:
    """DELETE /projects/{project_id}/data-definitions/events/deletion-requests/ — Cancel a deletion request that has not started."""
    return build(CANCEL_DELETION_REQUEST, {}, body)


# POST /projects/{project_id}/data-definitions/events/deletion-requests/preview-filters/
PREVIEW_DELETION_FILTERS = Operation(
    operation_id="preview_deletion_filters",
    family="deletions",
    method="POST",
    host="app",
    path="/projects/{project_id}/data-definitions/events/deletion-requests/preview-filters/",
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
        media_types=("application/json",), model=Later(lambda: m.PreviewDeletionFiltersParams)
    ),
    response=Later(lambda: m.DeletionPreviewEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="The normalized filters of a would-be request, each with how many events it matches",
    scope="maybe",
)


def preview_deletion_filters(
    *,
    body: m.PreviewDeletionFiltersParams | Mapping[str, Any],
) -> Request[list[dict[str, Any]]]:
    """POST /projects/{project_id}/data-definitions/events/deletion-requests/preview-filters/ — The normalized filters of a would-be request, each with how many events it matches."""
    return build(PREVIEW_DELETION_FILTERS, {}, body)


OPERATIONS: dict[str, Operation] = {
    "cancel_deletion_request": CANCEL_DELETION_REQUEST,
    "create_deletion_request": CREATE_DELETION_REQUEST,
    "list_deletion_requests": LIST_DELETION_REQUESTS,
    "preview_deletion_filters": PREVIEW_DELETION_FILTERS,
}
