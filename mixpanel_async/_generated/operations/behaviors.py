# Generated from openapi/behaviors.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import behaviors as m
else:
    m = LazyModule("mixpanel_async._generated.models.behaviors")

__all__ = [
    "CREATE_SAVED_BEHAVIOR",
    "create_saved_behavior",
    "DELETE_SAVED_BEHAVIORS",
    "delete_saved_behaviors",
    "GET_SAVED_BEHAVIOR",
    "get_saved_behavior",
    "LIST_SAVED_BEHAVIORS",
    "list_saved_behaviors",
    "UPDATE_SAVED_BEHAVIOR",
    "update_saved_behavior",
    "OPERATIONS",
]

# GET /projects/{project_id}/behaviors
LIST_SAVED_BEHAVIORS = Operation(
    operation_id="list_saved_behaviors",
    family="behaviors",
    method="GET",
    host="app",
    path="/projects/{project_id}/behaviors",
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
    response=Later(lambda: m.SavedBehaviorMapResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Every saved behavior of the project, by id (unpaginated)",
    scope="project",
)


def list_saved_behaviors() -> Request[dict[str, m.SavedBehaviorRow]]:
    """GET /projects/{project_id}/behaviors — Every saved behavior of the project, by id (unpaginated)."""
    return build(LIST_SAVED_BEHAVIORS, {}, None)


# POST /projects/{project_id}/behaviors
CREATE_SAVED_BEHAVIOR = Operation(
    operation_id="create_saved_behavior",
    family="behaviors",
    method="POST",
    host="app",
    path="/projects/{project_id}/behaviors",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateSavedBehaviorBody)),
    response=Later(lambda: m.SavedBehaviorMapResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Save a new behavior; the answer holds it alone",
    scope="project",
)


def create_saved_behavior(
    *,
    body: m.CreateSavedBehaviorBody | Mapping[str, Any],
) -> Request[dict[str, m.SavedBehaviorRow]]:
    """POST /projects/{project_id}/behaviors — Save a new behavior; the answer holds it alone."""
    return build(CREATE_SAVED_BEHAVIOR, {}, body)


# DELETE /projects/{project_id}/behaviors
DELETE_SAVED_BEHAVIORS = Operation(
    operation_id="delete_saved_behaviors",
    family="behaviors",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/behaviors",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.DeleteSavedBehaviorsBody)),
    response=Later(lambda: m.SavedBehaviorOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete saved behaviors by id",
    scope="project",
)


def delete_saved_behaviors(
    *,
    body: m.DeleteSavedBehaviorsBody | Mapping[str, Any],
) -> Request[object]:
    """DELETE /projects/{project_id}/behaviors — Delete saved behaviors by id."""
    return build(DELETE_SAVED_BEHAVIORS, {}, body)


# GET /projects/{project_id}/behaviors/{behavior_id}
GET_SAVED_BEHAVIOR = Operation(
    operation_id="get_saved_behavior",
    family="behaviors",
    method="GET",
    host="app",
    path="/projects/{project_id}/behaviors/{behavior_id}",
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
            name="behavior_id",
            attr="behavior_id",
            location="path",
            type="integer",
            required=True,
            minimum=1,
        ),
    ),
    body=None,
    response=Later(lambda: m.SavedBehaviorMapResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="One saved behavior (a one-entry map)",
    scope="project",
)


def get_saved_behavior(
    *,
    behavior_id: int,
) -> Request[dict[str, m.SavedBehaviorRow]]:
    """GET /projects/{project_id}/behaviors/{behavior_id} — One saved behavior (a one-entry map)."""
    return build(GET_SAVED_BEHAVIOR, {"behavior_id": behavior_id}, None)


# PATCH /projects/{project_id}/behaviors/{behavior_id}
UPDATE_SAVED_BEHAVIOR = Operation(
    operation_id="update_saved_behavior",
    family="behaviors",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/behaviors/{behavior_id}",
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
            name="behavior_id",
            attr="behavior_id",
            location="path",
            type="integer",
            required=True,
            minimum=1,
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateSavedBehaviorBody)),
    response=Later(lambda: m.SavedBehaviorMapResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Change some fields of a saved behavior",
    scope="project",
)


def update_saved_behavior(
    *,
    behavior_id: int,
    body: m.UpdateSavedBehaviorBody | Mapping[str, Any],
) -> Request[dict[str, m.SavedBehaviorRow]]:
    """PATCH /projects/{project_id}/behaviors/{behavior_id} — Change some fields of a saved behavior."""
    return build(UPDATE_SAVED_BEHAVIOR, {"behavior_id": behavior_id}, body)


OPERATIONS: dict[str, Operation] = {
    "create_saved_behavior": CREATE_SAVED_BEHAVIOR,
    "delete_saved_behaviors": DELETE_SAVED_BEHAVIORS,
    "get_saved_behavior": GET_SAVED_BEHAVIOR,
    "list_saved_behaviors": LIST_SAVED_BEHAVIORS,
    "update_saved_behavior": UPDATE_SAVED_BEHAVIOR,
}
