# Generated from openapi/annotations.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

import datetime
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
    from mixpanel_async._generated.models import annotations as m
else:
    m = LazyModule("mixpanel_async._generated.models.annotations")

__all__ = [
    "CREATE_ANNOTATION",
    "create_annotation",
    "CREATE_ANNOTATION_TAG",
    "create_annotation_tag",
    "DELETE_ANNOTATION",
    "delete_annotation",
    "GET_ANNOTATION",
    "get_annotation",
    "LIST_ANNOTATION_TAGS",
    "list_annotation_tags",
    "LIST_ANNOTATIONS",
    "list_annotations",
    "UPDATE_ANNOTATION",
    "update_annotation",
    "OPERATIONS",
]

# GET /projects/{project_id}/annotations/
LIST_ANNOTATIONS = Operation(
    operation_id="list_annotations",
    family="annotations",
    method="GET",
    host="app",
    path="/projects/{project_id}/annotations/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="fromDate", attr="from_date", location="query", type="string", format="date"),
        Param(name="toDate", attr="to_date", location="query", type="string", format="date"),
        Param(name="tags", attr="tags", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.AnnotationListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="List annotations, optionally of a date window or with some tags",
    scope="maybe",
    entity={"kind": "annotation", "action": "list_window"},
)


def list_annotations(
    *,
    from_date: str | datetime.date | None = None,
    to_date: str | datetime.date | None = None,
    tags: str | None = None,
) -> Request[list[m.Annotation]]:
    """GET /projects/{project_id}/annotations/ — List annotations, optionally of a date window or with some tags."""
    return build(LIST_ANNOTATIONS, {"from_date": from_date, "to_date": to_date, "tags": tags}, None)


# POST /projects/{project_id}/annotations/
CREATE_ANNOTATION = Operation(
    operation_id="create_annotation",
    family="annotations",
    method="POST",
    host="app",
    path="/projects/{project_id}/annotations/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateAnnotationParams)),
    response=Later(lambda: m.AnnotationResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create an annotation",
    scope="maybe",
    entity={
        "kind": "annotation",
        "action": "create",
        "id": "int",
        "defaults": {"project_id": "$project_id"},
    },
)


def create_annotation(
    *,
    body: m.CreateAnnotationParams | Mapping[str, Any],
) -> Request[m.Annotation]:
    """POST /projects/{project_id}/annotations/ — Create an annotation."""
    return build(CREATE_ANNOTATION, {}, body)


# GET /projects/{project_id}/annotations/tags/
LIST_ANNOTATION_TAGS = Operation(
    operation_id="list_annotation_tags",
    family="annotations",
    method="GET",
    host="app",
    path="/projects/{project_id}/annotations/tags/",
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
    response=Later(lambda: list[m.AnnotationTag]),
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="List annotation tags",
    scope="maybe",
    entity={"kind": "annotation_tag", "action": "list"},
)


def list_annotation_tags() -> Request[list[m.AnnotationTag]]:
    """GET /projects/{project_id}/annotations/tags/ — List annotation tags."""
    return build(LIST_ANNOTATION_TAGS, {}, None)


# POST /projects/{project_id}/annotations/tags/
CREATE_ANNOTATION_TAG = Operation(
    operation_id="create_annotation_tag",
    family="annotations",
    method="POST",
    host="app",
    path="/projects/{project_id}/annotations/tags/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateAnnotationTagParams)),
    response=Later(lambda: m.AnnotationTag),
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create an annotation tag",
    scope="maybe",
    entity={
        "kind": "annotation_tag",
        "action": "create",
        "id": "int",
        "unique": ["name"],
        "defaults": {"project_id": "$project_id"},
    },
)


def create_annotation_tag(
    *,
    body: m.CreateAnnotationTagParams | Mapping[str, Any],
) -> Request[m.AnnotationTag]:
    """POST /projects/{project_id}/annotations/tags/ — Create an annotation tag."""
    return build(CREATE_ANNOTATION_TAG, {}, body)


# GET /projects/{project_id}/annotations/{annotation_id}/
GET_ANNOTATION = Operation(
    operation_id="get_annotation",
    family="annotations",
    method="GET",
    host="app",
    path="/projects/{project_id}/annotations/{annotation_id}/",
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
            name="annotation_id",
            attr="annotation_id",
            location="path",
            type="integer",
            required=True,
        ),
    ),
    body=None,
    response=Later(lambda: m.AnnotationResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Get one annotation",
    scope="maybe",
    entity={"kind": "annotation", "action": "get"},
)


def get_annotation(
    *,
    annotation_id: int,
) -> Request[m.Annotation]:
    """GET /projects/{project_id}/annotations/{annotation_id}/ — Get one annotation."""
    return build(GET_ANNOTATION, {"annotation_id": annotation_id}, None)


# PATCH /projects/{project_id}/annotations/{annotation_id}/
UPDATE_ANNOTATION = Operation(
    operation_id="update_annotation",
    family="annotations",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/annotations/{annotation_id}/",
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
            name="annotation_id",
            attr="annotation_id",
            location="path",
            type="integer",
            required=True,
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateAnnotationParams)),
    response=Later(lambda: m.AnnotationResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Change an annotation's description or tags (its date is fixed)",
    scope="maybe",
    entity={"kind": "annotation", "action": "update"},
)


def update_annotation(
    *,
    annotation_id: int,
    body: m.UpdateAnnotationParams | Mapping[str, Any],
) -> Request[m.Annotation]:
    """PATCH /projects/{project_id}/annotations/{annotation_id}/ — Change an annotation's description or tags (its date is fixed)."""
    return build(UPDATE_ANNOTATION, {"annotation_id": annotation_id}, body)


# DELETE /projects/{project_id}/annotations/{annotation_id}/
DELETE_ANNOTATION = Operation(
    operation_id="delete_annotation",
    family="annotations",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/annotations/{annotation_id}/",
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
            name="annotation_id",
            attr="annotation_id",
            location="path",
            type="integer",
            required=True,
        ),
    ),
    body=None,
    response=Later(lambda: m.AnnotationDeleteResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete an annotation",
    scope="maybe",
    entity={"kind": "annotation", "action": "delete_echo"},
)


def delete_annotation(
    *,
    annotation_id: int,
) -> Request[m.AnnotationDeleted | None]:
    """DELETE /projects/{project_id}/annotations/{annotation_id}/ — Delete an annotation."""
    return build(DELETE_ANNOTATION, {"annotation_id": annotation_id}, None)


OPERATIONS: dict[str, Operation] = {
    "create_annotation": CREATE_ANNOTATION,
    "create_annotation_tag": CREATE_ANNOTATION_TAG,
    "delete_annotation": DELETE_ANNOTATION,
    "get_annotation": GET_ANNOTATION,
    "list_annotation_tags": LIST_ANNOTATION_TAGS,
    "list_annotations": LIST_ANNOTATIONS,
    "update_annotation": UPDATE_ANNOTATION,
}
