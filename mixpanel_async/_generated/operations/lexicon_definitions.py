# Generated from openapi/lexicon_definitions.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import lexicon_definitions as m
else:
    m = LazyModule("mixpanel_async._generated.models.lexicon_definitions")

__all__ = [
    "CREATE_DROP_FILTER",
    "create_drop_filter",
    "DELETE_DROP_FILTER",
    "delete_drop_filter",
    "DELETE_EVENT_DEFINITION",
    "delete_event_definition",
    "EXPORT_LEXICON",
    "export_lexicon",
    "GET_DROP_FILTER_LIMITS",
    "get_drop_filter_limits",
    "GET_EVENT_HISTORY",
    "get_event_history",
    "GET_PROPERTY_HISTORY",
    "get_property_history",
    "GET_TRACKING_METADATA",
    "get_tracking_metadata",
    "LIST_DROP_FILTERS",
    "list_drop_filters",
    "LIST_LEXICON_TAGS",
    "list_lexicon_tags",
    "PATCH_EVENT_DEFINITIONS",
    "patch_event_definitions",
    "PATCH_PROPERTY_DEFINITIONS",
    "patch_property_definitions",
    "POST_LEXICON_TAG",
    "post_lexicon_tag",
    "UPDATE_DROP_FILTER",
    "update_drop_filter",
    "UPDATE_LEXICON_TAG",
    "update_lexicon_tag",
    "OPERATIONS",
]

# PATCH /projects/{project_id}/data-definitions/events/
PATCH_EVENT_DEFINITIONS = Operation(
    operation_id="patch_event_definitions",
    family="lexicon_definitions",
    method="PATCH",
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
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.EventDefinitionsPatch)),
    response=Later(lambda: m.LexiconAnyResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Update one event definition (`name` + fields) or several (`events`)",
    scope="maybe",
)


def patch_event_definitions(
    *,
    body: m.EventDefinitionsPatch | Mapping[str, Any],
) -> Request[object]:
    """PATCH /projects/{project_id}/data-definitions/events/ — Update one event definition (`name` + fields) or several (`events`).

    With `name`, `results` is the updated definition; with `events`, the list of updated
    definitions (each entry names its event by `name` or `id`).
    """
    return build(PATCH_EVENT_DEFINITIONS, {}, body)


# DELETE /projects/{project_id}/data-definitions/events/
DELETE_EVENT_DEFINITION = Operation(
    operation_id="delete_event_definition",
    family="lexicon_definitions",
    method="DELETE",
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
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.DeleteEventDefinitionBody)),
    response=Later(lambda: m.LexiconAnyResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete one event definition (named in the body)",
    scope="maybe",
)


def delete_event_definition(
    *,
    body: m.DeleteEventDefinitionBody | Mapping[str, Any],
) -> Request[object]:
    """DELETE /projects/{project_id}/data-definitions/events/ — Delete one event definition (named in the body)."""
    return build(DELETE_EVENT_DEFINITION, {}, body)


# GET /projects/{project_id}/data-definitions/events/drop-filters/
LIST_DROP_FILTERS = Operation(
    operation_id="list_drop_filters",
    family="lexicon_definitions",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/events/drop-filters/",
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
    response=Later(lambda: m.DropFilterListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Every drop filter of the project",
    scope="maybe",
)


def list_drop_filters() -> Request[list[m.DropFilter]]:
    """GET /projects/{project_id}/data-definitions/events/drop-filters/ — Every drop filter of the project."""
    return build(LIST_DROP_FILTERS, {}, None)


# POST /projects/{project_id}/data-definitions/events/drop-filters/
CREATE_DROP_FILTER = Operation(
    operation_id="create_drop_filter",
    family="lexicon_definitions",
    method="POST",
    host="app",
    path="/projects/{project_id}/data-definitions/events/drop-filters/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateDropFilterParams)),
    response=Later(lambda: m.DropFilterListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create a drop filter; answers every drop filter",
    scope="maybe",
)


def create_drop_filter(
    *,
    body: m.CreateDropFilterParams | Mapping[str, Any],
) -> Request[list[m.DropFilter]]:
    """POST /projects/{project_id}/data-definitions/events/drop-filters/ — Create a drop filter; answers every drop filter."""
    return build(CREATE_DROP_FILTER, {}, body)


# PATCH /projects/{project_id}/data-definitions/events/drop-filters/
UPDATE_DROP_FILTER = Operation(
    operation_id="update_drop_filter",
    family="lexicon_definitions",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/data-definitions/events/drop-filters/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateDropFilterParams)),
    response=Later(lambda: m.DropFilterListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Change a drop filter (its id in the body); answers every drop filter",
    scope="maybe",
)


def update_drop_filter(
    *,
    body: m.UpdateDropFilterParams | Mapping[str, Any],
) -> Request[list[m.DropFilter]]:
    """PATCH /projects/{project_id}/data-definitions/events/drop-filters/ — Change a drop filter (its id in the body); answers every drop filter."""
    return build(UPDATE_DROP_FILTER, {}, body)


# DELETE /projects/{project_id}/data-definitions/events/drop-filters/
DELETE_DROP_FILTER = Operation(
    operation_id="delete_drop_filter",
    family="lexicon_definitions",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/data-definitions/events/drop-filters/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.DeleteDropFilterBody)),
    response=Later(lambda: m.DropFilterListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete a drop filter (its id in the body); answers the remaining ones",
    scope="maybe",
)


def delete_drop_filter(
    *,
    body: m.DeleteDropFilterBody | Mapping[str, Any],
) -> Request[list[m.DropFilter]]:
    """DELETE /projects/{project_id}/data-definitions/events/drop-filters/ — Delete a drop filter (its id in the body); answers the remaining ones."""
    return build(DELETE_DROP_FILTER, {}, body)


# GET /projects/{project_id}/data-definitions/events/drop-filters/limits/
GET_DROP_FILTER_LIMITS = Operation(
    operation_id="get_drop_filter_limits",
    family="lexicon_definitions",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/events/drop-filters/limits/",
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
    response=Later(lambda: m.DropFilterLimitsEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="How many drop filters the project may have",
    scope="maybe",
)


def get_drop_filter_limits() -> Request[m.DropFilterLimitsResponse]:
    """GET /projects/{project_id}/data-definitions/events/drop-filters/limits/ — How many drop filters the project may have."""
    return build(GET_DROP_FILTER_LIMITS, {}, None)


# GET /projects/{project_id}/data-definitions/events/tracking-metadata/
GET_TRACKING_METADATA = Operation(
    operation_id="get_tracking_metadata",
    family="lexicon_definitions",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/events/tracking-metadata/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="event_name", attr="event_name", location="query", type="string", required=True),
    ),
    body=None,
    response=Later(lambda: m.LexiconObjectResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="How one event is tracked (volume, first and last seen, libraries, platforms)",
    scope="maybe",
)


def get_tracking_metadata(
    *,
    event_name: str,
) -> Request[dict[str, Any]]:
    """GET /projects/{project_id}/data-definitions/events/tracking-metadata/ — How one event is tracked (volume, first and last seen, libraries, platforms)."""
    return build(GET_TRACKING_METADATA, {"event_name": event_name}, None)


# GET /projects/{project_id}/data-definitions/events/{event_name}/history/
GET_EVENT_HISTORY = Operation(
    operation_id="get_event_history",
    family="lexicon_definitions",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/events/{event_name}/history/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="event_name", attr="event_name", location="path", type="string", required=True),
    ),
    body=None,
    response=Later(lambda: m.LexiconHistoryResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Every change made to one event definition, oldest first",
    scope="maybe",
)


def get_event_history(
    *,
    event_name: str,
) -> Request[list[dict[str, Any]]]:
    """GET /projects/{project_id}/data-definitions/events/{event_name}/history/ — Every change made to one event definition, oldest first."""
    return build(GET_EVENT_HISTORY, {"event_name": event_name}, None)


# GET /projects/{project_id}/data-definitions/export/
EXPORT_LEXICON = Operation(
    operation_id="export_lexicon",
    family="lexicon_definitions",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/export/",
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
            name="export_type",
            attr="export_type",
            location="query",
            type="array",
            required=True,
            json=True,
        ),
    ),
    body=None,
    response=Later(lambda: m.LexiconAnyResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Export the Lexicon's definitions of some kinds",
    scope="maybe",
)


def export_lexicon(
    *,
    export_type: list[m.LexiconExportType],
) -> Request[object]:
    """GET /projects/{project_id}/data-definitions/export/ — Export the Lexicon's definitions of some kinds.

    `export_type` is a JSON list of kinds. Mixpanel may answer a message (the export is mailed)
    instead of the definitions; clients read that as a pending export.
    """
    return build(EXPORT_LEXICON, {"export_type": export_type}, None)


# PATCH /projects/{project_id}/data-definitions/properties/
PATCH_PROPERTY_DEFINITIONS = Operation(
    operation_id="patch_property_definitions",
    family="lexicon_definitions",
    method="PATCH",
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
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.PropertyDefinitionsPatch)),
    response=Later(lambda: m.LexiconAnyResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Update one property definition (`name` + fields) or several (`properties`)",
    scope="maybe",
)


def patch_property_definitions(
    *,
    body: m.PropertyDefinitionsPatch | Mapping[str, Any],
) -> Request[object]:
    """PATCH /projects/{project_id}/data-definitions/properties/ — Update one property definition (`name` + fields) or several (`properties`).

    With `name`, `results` is the updated definition; with `properties`, the list of updated
    definitions (each entry names its property by `name` and `resourceType`).
    """
    return build(PATCH_PROPERTY_DEFINITIONS, {}, body)


# GET /projects/{project_id}/data-definitions/properties/{property_name}/history/
GET_PROPERTY_HISTORY = Operation(
    operation_id="get_property_history",
    family="lexicon_definitions",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/properties/{property_name}/history/",
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
            name="property_name",
            attr="property_name",
            location="path",
            type="string",
            required=True,
        ),
        Param(
            name="entity_type", attr="entity_type", location="query", type="string", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.LexiconHistoryResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Every change made to one property definition, oldest first",
    scope="maybe",
)


def get_property_history(
    *,
    property_name: str,
    entity_type: str,
) -> Request[list[dict[str, Any]]]:
    """GET /projects/{project_id}/data-definitions/properties/{property_name}/history/ — Every change made to one property definition, oldest first."""
    return build(
        GET_PROPERTY_HISTORY, {"property_name": property_name, "entity_type": entity_type}, None
    )


# GET /projects/{project_id}/data-definitions/tags/
LIST_LEXICON_TAGS = Operation(
    operation_id="list_lexicon_tags",
    family="lexicon_definitions",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/tags/",
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
    response=Later(lambda: m.LexiconAnyResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Every Lexicon tag of the project",
    scope="maybe",
)


def list_lexicon_tags() -> Request[object]:
    """GET /projects/{project_id}/data-definitions/tags/ — Every Lexicon tag of the project.

    `results` lists `{id, name}` objects; Mixpanel has also been seen to answer bare tag names
    (clients read those as id 0).
    """
    return build(LIST_LEXICON_TAGS, {}, None)


# POST /projects/{project_id}/data-definitions/tags/
POST_LEXICON_TAG = Operation(
    operation_id="post_lexicon_tag",
    family="lexicon_definitions",
    method="POST",
    host="app",
    path="/projects/{project_id}/data-definitions/tags/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.LexiconTagPost)),
    response=Later(lambda: m.LexiconAnyResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create a tag (`name`), or delete one by name (`name` with `delete` true)",
    scope="maybe",
)


def post_lexicon_tag(
    *,
    body: m.LexiconTagPost | Mapping[str, Any],
) -> Request[object]:
    """POST /projects/{project_id}/data-definitions/tags/ — Create a tag (`name`), or delete one by name (`name` with `delete` true)."""
    return build(POST_LEXICON_TAG, {}, body)


# PATCH /projects/{project_id}/data-definitions/tags/{tag_id}/
UPDATE_LEXICON_TAG = Operation(
    operation_id="update_lexicon_tag",
    family="lexicon_definitions",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/data-definitions/tags/{tag_id}/",
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
            name="tag_id", attr="tag_id", location="path", type="integer", required=True, minimum=1
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateTagParams)),
    response=Later(lambda: m.LexiconTagResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Rename a tag",
    scope="maybe",
)


def update_lexicon_tag(
    *,
    tag_id: int,
    body: m.UpdateTagParams | Mapping[str, Any],
) -> Request[m.LexiconTag]:
    """PATCH /projects/{project_id}/data-definitions/tags/{tag_id}/ — Rename a tag."""
    return build(UPDATE_LEXICON_TAG, {"tag_id": tag_id}, body)


OPERATIONS: dict[str, Operation] = {
    "create_drop_filter": CREATE_DROP_FILTER,
    "delete_drop_filter": DELETE_DROP_FILTER,
    "delete_event_definition": DELETE_EVENT_DEFINITION,
    "export_lexicon": EXPORT_LEXICON,
    "get_drop_filter_limits": GET_DROP_FILTER_LIMITS,
    "get_event_history": GET_EVENT_HISTORY,
    "get_property_history": GET_PROPERTY_HISTORY,
    "get_tracking_metadata": GET_TRACKING_METADATA,
    "list_drop_filters": LIST_DROP_FILTERS,
    "list_lexicon_tags": LIST_LEXICON_TAGS,
    "patch_event_definitions": PATCH_EVENT_DEFINITIONS,
    "patch_property_definitions": PATCH_PROPERTY_DEFINITIONS,
    "post_lexicon_tag": POST_LEXICON_TAG,
    "update_drop_filter": UPDATE_DROP_FILTER,
    "update_lexicon_tag": UPDATE_LEXICON_TAG,
}
