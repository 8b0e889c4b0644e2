# Generated from openapi/lexicon.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    from mixpanel_async._generated.models import lexicon as m
else:
    m = LazyModule("mixpanel_async._generated.models.lexicon")

__all__ = [
    "GET_LEXICON_SCHEMA",
    "get_lexicon_schema",
    "GET_LEXICON_SCHEMAS_OF_TYPE",
    "get_lexicon_schemas_of_type",
    "LIST_LEXICON_SCHEMAS",
    "list_lexicon_schemas",
    "OPERATIONS",
]

# GET /projects/{project_id}/schemas
LIST_LEXICON_SCHEMAS = Operation(
    operation_id="list_lexicon_schemas",
    family="lexicon",
    method="GET",
    host="app",
    path="/projects/{project_id}/schemas",
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
    response=Later(lambda: m.LexiconSchemasResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Every Lexicon schema of the project",
    scope="maybe",
)


def list_lexicon_schemas() -> Request[list[dict[str, Any]]]:
    """GET /projects/{project_id}/schemas — Every Lexicon schema of the project."""
    return build(LIST_LEXICON_SCHEMAS, {}, None)


# GET /projects/{project_id}/schemas/{entity_type}
GET_LEXICON_SCHEMAS_OF_TYPE = Operation(
    operation_id="get_lexicon_schemas_of_type",
    family="lexicon",
    method="GET",
    host="app",
    path="/projects/{project_id}/schemas/{entity_type}",
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
            name="entity_type",
            attr="entity_type",
            location="path",
            type="string",
            required=True,
            enum=("event", "profile", "custom_event"),
        ),
        Param(name="entity_name", attr="entity_name", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.LexiconTypedResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="The schemas of one entity type, or one schema (by `entity_name`)",
    scope="maybe",
)


def get_lexicon_schemas_of_type(
    *,
    entity_type: m.LexiconEntityType,
    entity_name: str | None = None,
) -> Request[object]:
    """GET /projects/{project_id}/schemas/{entity_type} — The schemas of one entity type, or one schema (by `entity_name`).

    Without `entity_name`, `results` lists `{entityType, name, schemaJson}` entries; with it,
    `results` is that entity's schemaJson (404 when there is none), as the peer library reads it
    from production. Mixpanel's published spec answers the list either way; the client accepts
    both.
    """
    return build(
        GET_LEXICON_SCHEMAS_OF_TYPE, {"entity_type": entity_type, "entity_name": entity_name}, None
    )


# GET /projects/{project_id}/schemas/{entity_type}/{entity_name}
GET_LEXICON_SCHEMA = Operation(
    operation_id="get_lexicon_schema",
    family="lexicon",
    method="GET",
    host="app",
    path="/projects/{project_id}/schemas/{entity_type}/{entity_name}",
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
            name="entity_type",
            attr="entity_type",
            location="path",
            type="string",
            required=True,
            enum=("event", "profile", "custom_event"),
        ),
        Param(
            name="entity_name", attr="entity_name", location="path", type="string", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.LexiconSchemaResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="One entity's schema, by path (Mixpanel's published form of the `entity_name` query)",
    scope="maybe",
)


def get_lexicon_schema(
    *,
    entity_type: m.LexiconEntityType,
    entity_name: str,
) -> Request[m.LexiconSchemaJson]:
    """GET /projects/{project_id}/schemas/{entity_type}/{entity_name} — One entity's schema, by path (Mixpanel's published form of the `entity_name` query).

    `results` is that entity's schemaJson (404 when there is none), inside the App API envelope
    as every other Lexicon answer; Mixpanel's published spec shows the bare schema. The writes
    on this path are in openapi/schemas.yaml.
    """
    return build(GET_LEXICON_SCHEMA, {"entity_type": entity_type, "entity_name": entity_name}, None)


OPERATIONS: dict[str, Operation] = {
    "get_lexicon_schema": GET_LEXICON_SCHEMA,
    "get_lexicon_schemas_of_type": GET_LEXICON_SCHEMAS_OF_TYPE,
    "list_lexicon_schemas": LIST_LEXICON_SCHEMAS,
}
