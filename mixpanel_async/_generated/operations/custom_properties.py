# Generated from openapi/custom_properties.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import custom_properties as m
else:
    m = LazyModule("mixpanel_async._generated.models.custom_properties")

__all__ = [
    "CREATE_CUSTOM_PROPERTY",
    "create_custom_property",
    "DELETE_CUSTOM_PROPERTY",
    "delete_custom_property",
    "GET_CUSTOM_PROPERTY",
    "get_custom_property",
    "LIST_CUSTOM_PROPERTIES",
    "list_custom_properties",
    "UPDATE_CUSTOM_PROPERTY",
    "update_custom_property",
    "VALIDATE_CUSTOM_PROPERTY",
    "validate_custom_property",
    "OPERATIONS",
]

# GET /projects/{project_id}/custom_properties/
LIST_CUSTOM_PROPERTIES = Operation(
    operation_id="list_custom_properties",
    family="custom_properties",
    method="GET",
    host="app",
    path="/projects/{project_id}/custom_properties/",
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
    response=Later(lambda: m.CustomPropertyListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="List the project's custom properties",
    scope="maybe",
    entity={"kind": "custom_property", "action": "list"},
)


def list_custom_properties() -> Request[list[m.CustomProperty]]:
    """GET /projects/{project_id}/custom_properties/ — List the project's custom properties."""
    return build(LIST_CUSTOM_PROPERTIES, {}, None)


# POST /projects/{project_id}/custom_properties/
CREATE_CUSTOM_PROPERTY = Operation(
    operation_id="create_custom_property",
    family="custom_properties",
    method="POST",
    host="app",
    path="/projects/{project_id}/custom_properties/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateCustomPropertyParams)),
    response=Later(lambda: m.CustomPropertyResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create a custom property",
    scope="maybe",
    entity={"kind": "custom_property", "action": "create_custom_property"},
)


def create_custom_property(
    *,
    body: m.CreateCustomPropertyParams | Mapping[str, Any],
) -> Request[m.CustomProperty]:
    """POST /projects/{project_id}/custom_properties/ — Create a custom property."""
    return build(CREATE_CUSTOM_PROPERTY, {}, body)


# POST /projects/{project_id}/custom_properties/validate/
VALIDATE_CUSTOM_PROPERTY = Operation(
    operation_id="validate_custom_property",
    family="custom_properties",
    method="POST",
    host="app",
    path="/projects/{project_id}/custom_properties/validate/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateCustomPropertyParams)),
    response=Later(lambda: m.CustomPropertyValidationResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Check a custom property definition without storing it",
    scope="maybe",
)


def validate_custom_property(
    *,
    body: m.CreateCustomPropertyParams | Mapping[str, Any],
) -> Request[dict[str, Any]]:
    """POST /projects/{project_id}/custom_properties/validate/ — Check a custom property definition without storing it.

    `results` is `{valid: true, propertyType, references}` when the formula parses; a formula
    that does not parse is a 400 naming `displayFormula`.
    """
    return build(VALIDATE_CUSTOM_PROPERTY, {}, body)


# GET /projects/{project_id}/custom_properties/{property_id}/
GET_CUSTOM_PROPERTY = Operation(
    operation_id="get_custom_property",
    family="custom_properties",
    method="GET",
    host="app",
    path="/projects/{project_id}/custom_properties/{property_id}/",
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
            name="property_id", attr="property_id", location="path", type="string", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.CustomPropertyResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Get one custom property",
    scope="maybe",
    entity={"kind": "custom_property", "action": "get"},
)


def get_custom_property(
    *,
    property_id: str,
) -> Request[m.CustomProperty]:
    """GET /projects/{project_id}/custom_properties/{property_id}/ — Get one custom property."""
    return build(GET_CUSTOM_PROPERTY, {"property_id": property_id}, None)


# PUT /projects/{project_id}/custom_properties/{property_id}/
UPDATE_CUSTOM_PROPERTY = Operation(
    operation_id="update_custom_property",
    family="custom_properties",
    method="PUT",
    host="app",
    path="/projects/{project_id}/custom_properties/{property_id}/",
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
            name="property_id", attr="property_id", location="path", type="string", required=True
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateCustomPropertyParams)),
    response=Later(lambda: m.CustomPropertyResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Change a custom property (its resource type and data group are fixed)",
    scope="maybe",
    entity={"kind": "custom_property", "action": "update"},
)


def update_custom_property(
    *,
    property_id: str,
    body: m.UpdateCustomPropertyParams | Mapping[str, Any],
) -> Request[m.CustomProperty]:
    """PUT /projects/{project_id}/custom_properties/{property_id}/ — Change a custom property (its resource type and data group are fixed)."""
    return build(UPDATE_CUSTOM_PROPERTY, {"property_id": property_id}, body)


# DELETE /projects/{project_id}/custom_properties/{property_id}/
DELETE_CUSTOM_PROPERTY = Operation(
    operation_id="delete_custom_property",
    family="custom_properties",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/custom_properties/{property_id}/",
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
            name="property_id", attr="property_id", location="path", type="string", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.CustomPropertyOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete a custom property",
    scope="maybe",
    entity={"kind": "custom_property", "action": "delete"},
)


def delete_custom_property(
    *,
    property_id: str,
) -> Request[object]:
    """DELETE /projects/{project_id}/custom_properties/{property_id}/ — Delete a custom property."""
    return build(DELETE_CUSTOM_PROPERTY, {"property_id": property_id}, None)


OPERATIONS: dict[str, Operation] = {
    "create_custom_property": CREATE_CUSTOM_PROPERTY,
    "delete_custom_property": DELETE_CUSTOM_PROPERTY,
    "get_custom_property": GET_CUSTOM_PROPERTY,
    "list_custom_properties": LIST_CUSTOM_PROPERTIES,
    "update_custom_property": UPDATE_CUSTOM_PROPERTY,
    "validate_custom_property": VALIDATE_CUSTOM_PROPERTY,
}
