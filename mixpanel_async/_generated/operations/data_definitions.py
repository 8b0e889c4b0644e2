# Generated from openapi/data_definitions.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from mixpanel_async._operation import (
    Later,
    LazyModule,
    Operation,
    Param,
    Request,
    build,
)

# The family's models are imported on first use (`Later`), not with the operations.
if TYPE_CHECKING:
    from mixpanel_async._generated.models import data_definitions as m
else:
    m = LazyModule("mixpanel_async._generated.models.data_definitions")

__all__ = [
    "LIST_EVENT_DEFINITIONS",
    "list_event_definitions",
    "LIST_PER_EVENT_PROPERTIES",
    "list_per_event_properties",
    "LIST_PROPERTY_DEFINITIONS",
    "list_property_definitions",
    "OPERATIONS",
]

# GET /data_definitions/events
LIST_PER_EVENT_PROPERTIES = Operation(
    operation_id="list_per_event_properties",
    family="data_definitions",
    method="GET",
    host="query",
    path="/data_definitions/events",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(
            name="fetch_per_event_properties",
            attr="fetch_per_event_properties",
            location="query",
            type="boolean",
        ),
    ),
    body=None,
    response=Later(lambda: m.DataDefinitionsListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Every event with the properties observed on it (Query API host)",
)


def list_per_event_properties(
    *,
    fetch_per_event_properties: bool | None = None,
) -> Request[list[dict[str, Any]]]:
    """GET /data_definitions/events — Every event with the properties observed on it (Query API host).

    Each `results` row is an event definition with a `properties` list of `{name, type}`
    property rows. Slow on large projects; clients give it the export timeout.
    """
    return build(
        LIST_PER_EVENT_PROPERTIES, {"fetch_per_event_properties": fetch_per_event_properties}, None
    )


# GET /projects/{project_id}/data-definitions/events/
LIST_EVENT_DEFINITIONS = Operation(
    operation_id="list_event_definitions",
    family="data_definitions",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/events/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="name[]", attr="name", location="query", type="array"),
        Param(name="custom_event", attr="custom_event", location="query", type="boolean"),
    ),
    body=None,
    response=Later(lambda: m.DataDefinitionsListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Every event definition of the project's Lexicon, or those of some names",
    scope="maybe",
)


def list_event_definitions(
    *,
    name: list[str] | None = None,
    custom_event: bool | None = None,
) -> Request[list[dict[str, Any]]]:
    """GET /projects/{project_id}/data-definitions/events/ — Every event definition of the project's Lexicon, or those of some names.

    With `name[]` (repeated, one per name) only the definitions of those event names come back,
    in the order asked; names Lexicon does not know are left out.
    """
    return build(LIST_EVENT_DEFINITIONS, {"name": name, "custom_event": custom_event}, None)


# GET /projects/{project_id}/data-definitions/properties/
LIST_PROPERTY_DEFINITIONS = Operation(
    operation_id="list_property_definitions",
    family="data_definitions",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/properties/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="name[]", attr="name", location="query", type="array"),
        Param(
            name="resourceType",
            attr="resource_type",
            location="query",
            type="string",
            enum=("Event", "User"),
            default="Event",
        ),
        Param(name="includeCustom", attr="include_custom", location="query", type="boolean"),
        Param(
            name="includeZeroCounts", attr="include_zero_counts", location="query", type="boolean"
        ),
        Param(name="includeDensity", attr="include_density", location="query", type="boolean"),
    ),
    body=None,
    response=Later(lambda: m.DataDefinitionsListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Every property definition of one resource type",
    scope="maybe",
)


def list_property_definitions(
    *,
    name: list[str] | None = None,
    resource_type: Literal["Event", "User"] | None = "Event",
    include_custom: bool | None = None,
    include_zero_counts: bool | None = None,
    include_density: bool | None = None,
) -> Request[list[dict[str, Any]]]:
    """GET /projects/{project_id}/data-definitions/properties/ — Every property definition of one resource type.

    `resourceType` takes the capitalised values only (Mixpanel rejects `event`). With
    `includeDensity=true` a row carries `densityLocal` (the share of the resource's records that
    have the property) where it was computed. With `name[]` only the definitions of those
    property names come back.
    """
    return build(
        LIST_PROPERTY_DEFINITIONS,
        {
            "name": name,
            "resource_type": resource_type,
            "include_custom": include_custom,
            "include_zero_counts": include_zero_counts,
            "include_density": include_density,
        },
        None,
    )


OPERATIONS: dict[str, Operation] = {
    "list_event_definitions": LIST_EVENT_DEFINITIONS,
    "list_per_event_properties": LIST_PER_EVENT_PROPERTIES,
    "list_property_definitions": LIST_PROPERTY_DEFINITIONS,
}
