# Generated from openapi/schemas.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import schemas as m
else:
    m = LazyModule("mixpanel_async._generated.models.schemas")

__all__ = [
    "CREATE_SCHEMA",
    "create_schema",
    "CREATE_SCHEMAS_BULK",
    "create_schemas_bulk",
    "DELETE_ALL_SCHEMAS",
    "delete_all_schemas",
    "DELETE_SCHEMA",
    "delete_schema",
    "DELETE_SCHEMA_ENFORCEMENT",
    "delete_schema_enforcement",
    "DELETE_SCHEMAS_OF_TYPE",
    "delete_schemas_of_type",
    "GET_SCHEMA_ENFORCEMENT",
    "get_schema_enforcement",
    "INIT_SCHEMA_ENFORCEMENT",
    "init_schema_enforcement",
    "REPLACE_SCHEMA_ENFORCEMENT",
    "replace_schema_enforcement",
    "RUN_AUDIT",
    "run_audit",
    "RUN_AUDIT_EVENTS_ONLY",
    "run_audit_events_only",
    "UPDATE_SCHEMA",
    "update_schema",
    "UPDATE_SCHEMA_ENFORCEMENT",
    "update_schema_enforcement",
    "UPDATE_SCHEMAS_BULK",
    "update_schemas_bulk",
    "OPERATIONS",
]

# GET /projects/{project_id}/data-definitions/audit-events-only/
RUN_AUDIT_EVENTS_ONLY = Operation(
    operation_id="run_audit_events_only",
    family="schemas",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/audit-events-only/",
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
    response=Later(lambda: m.AuditEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Audit stored event names only against the schema registry",
    scope="maybe",
)


def run_audit_events_only() -> Request[list[Any]]:
    """GET /projects/{project_id}/data-definitions/audit-events-only/ — Audit stored event names only against the schema registry."""
    return build(RUN_AUDIT_EVENTS_ONLY, {}, None)


# GET /projects/{project_id}/data-definitions/audit/
RUN_AUDIT = Operation(
    operation_id="run_audit",
    family="schemas",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/audit/",
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
    response=Later(lambda: m.AuditEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Audit stored events and their properties against the schema registry",
    scope="maybe",
)


def run_audit() -> Request[list[Any]]:
    """GET /projects/{project_id}/data-definitions/audit/ — Audit stored events and their properties against the schema registry.

    `results` is `[violations, {"computed_at": ...}]`; 400 when the registry holds no schema.
    """
    return build(RUN_AUDIT, {}, None)


# GET /projects/{project_id}/data-definitions/schema/
GET_SCHEMA_ENFORCEMENT = Operation(
    operation_id="get_schema_enforcement",
    family="schemas",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/schema/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="fields", attr="fields", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.SchemaEnforcementEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="The schema-enforcement configuration (404 when none is initialized)",
    scope="maybe",
)


def get_schema_enforcement(
    *,
    fields: str | None = None,
) -> Request[m.SchemaEnforcementConfig]:
    """GET /projects/{project_id}/data-definitions/schema/ — The schema-enforcement configuration (404 when none is initialized)."""
    return build(GET_SCHEMA_ENFORCEMENT, {"fields": fields}, None)


# POST /projects/{project_id}/data-definitions/schema/
INIT_SCHEMA_ENFORCEMENT = Operation(
    operation_id="init_schema_enforcement",
    family="schemas",
    method="POST",
    host="app",
    path="/projects/{project_id}/data-definitions/schema/",
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
        media_types=("application/json",), model=Later(lambda: m.InitSchemaEnforcementParams)
    ),
    response=Later(lambda: m.SchemasRawResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Initialize schema enforcement with a rule for unplanned events",
    scope="maybe",
)


def init_schema_enforcement(
    *,
    body: m.InitSchemaEnforcementParams | Mapping[str, Any],
) -> Request[dict[str, Any]]:
    """POST /projects/{project_id}/data-definitions/schema/ — Initialize schema enforcement with a rule for unplanned events."""
    return build(INIT_SCHEMA_ENFORCEMENT, {}, body)


# PUT /projects/{project_id}/data-definitions/schema/
REPLACE_SCHEMA_ENFORCEMENT = Operation(
    operation_id="replace_schema_enforcement",
    family="schemas",
    method="PUT",
    host="app",
    path="/projects/{project_id}/data-definitions/schema/",
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
        media_types=("application/json",), model=Later(lambda: m.ReplaceSchemaEnforcementParams)
    ),
    response=Later(lambda: m.SchemasRawResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Replace the whole schema-enforcement configuration",
    scope="maybe",
)


def replace_schema_enforcement(
    *,
    body: m.ReplaceSchemaEnforcementParams | Mapping[str, Any],
) -> Request[dict[str, Any]]:
    """PUT /projects/{project_id}/data-definitions/schema/ — Replace the whole schema-enforcement configuration."""
    return build(REPLACE_SCHEMA_ENFORCEMENT, {}, body)


# PATCH /projects/{project_id}/data-definitions/schema/
UPDATE_SCHEMA_ENFORCEMENT = Operation(
    operation_id="update_schema_enforcement",
    family="schemas",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/data-definitions/schema/",
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
        media_types=("application/json",), model=Later(lambda: m.UpdateSchemaEnforcementParams)
    ),
    response=Later(lambda: m.SchemasRawResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Change the rule, recipients, or add planned events and properties",
    scope="maybe",
)


def update_schema_enforcement(
    *,
    body: m.UpdateSchemaEnforcementParams | Mapping[str, Any],
) -> Request[dict[str, Any]]:
    """PATCH /projects/{project_id}/data-definitions/schema/ — Change the rule, recipients, or add planned events and properties."""
    return build(UPDATE_SCHEMA_ENFORCEMENT, {}, body)


# DELETE /projects/{project_id}/data-definitions/schema/
DELETE_SCHEMA_ENFORCEMENT = Operation(
    operation_id="delete_schema_enforcement",
    family="schemas",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/data-definitions/schema/",
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
    response=Later(lambda: m.SchemasRawResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Turn schema enforcement off (404 when none is initialized)",
    scope="maybe",
)


def delete_schema_enforcement() -> Request[dict[str, Any]]:
    """DELETE /projects/{project_id}/data-definitions/schema/ — Turn schema enforcement off (404 when none is initialized)."""
    return build(DELETE_SCHEMA_ENFORCEMENT, {}, None)


# POST /projects/{project_id}/schemas
CREATE_SCHEMAS_BULK = Operation(
    operation_id="create_schemas_bulk",
    family="schemas",
    method="POST",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.BulkCreateSchemasParams)),
    response=Later(lambda: m.BulkCreateSchemasEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create or replace many schemas (optionally deleting those of the type first)",
    scope="maybe",
)


def create_schemas_bulk(
    *,
    body: m.BulkCreateSchemasParams | Mapping[str, Any],
) -> Request[m.BulkCreateSchemasResponse]:
    """POST /projects/{project_id}/schemas — Create or replace many schemas (optionally deleting those of the type first)."""
    return build(CREATE_SCHEMAS_BULK, {}, body)


# PATCH /projects/{project_id}/schemas
UPDATE_SCHEMAS_BULK = Operation(
    operation_id="update_schemas_bulk",
    family="schemas",
    method="PATCH",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.BulkCreateSchemasParams)),
    response=Later(lambda: m.BulkPatchEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Merge many schema fragments into their stored schemas, one result per entry",
    scope="maybe",
)


def update_schemas_bulk(
    *,
    body: m.BulkCreateSchemasParams | Mapping[str, Any],
) -> Request[list[m.BulkPatchResult]]:
    """PATCH /projects/{project_id}/schemas — Merge many schema fragments into their stored schemas, one result per entry."""
    return build(UPDATE_SCHEMAS_BULK, {}, body)


# DELETE /projects/{project_id}/schemas
DELETE_ALL_SCHEMAS = Operation(
    operation_id="delete_all_schemas",
    family="schemas",
    method="DELETE",
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
    response=Later(lambda: m.DeleteSchemasEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete every schema of the project",
    scope="maybe",
)


def delete_all_schemas() -> Request[m.DeleteSchemasResponse]:
    """DELETE /projects/{project_id}/schemas — Delete every schema of the project."""
    return build(DELETE_ALL_SCHEMAS, {}, None)


# DELETE /projects/{project_id}/schemas/{entity_type}
DELETE_SCHEMAS_OF_TYPE = Operation(
    operation_id="delete_schemas_of_type",
    family="schemas",
    method="DELETE",
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
            name="entity_type", attr="entity_type", location="path", type="string", required=True
        ),
        Param(name="entity_name", attr="entity_name", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.DeleteSchemasEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete every schema of one entity type (or the one `entity_name` names)",
    scope="maybe",
)


def delete_schemas_of_type(
    *,
    entity_type: str,
    entity_name: str | None = None,
) -> Request[m.DeleteSchemasResponse]:
    """DELETE /projects/{project_id}/schemas/{entity_type} — Delete every schema of one entity type (or the one `entity_name` names)."""
    return build(
        DELETE_SCHEMAS_OF_TYPE, {"entity_type": entity_type, "entity_name": entity_name}, None
    )


# POST /projects/{project_id}/schemas/{entity_type}/{entity_name}
CREATE_SCHEMA = Operation(
    operation_id="create_schema",
    family="schemas",
    method="POST",
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
            name="entity_type", attr="entity_type", location="path", type="string", required=True
        ),
        Param(
            name="entity_name", attr="entity_name", location="path", type="string", required=True
        ),
    ),
    body=Body(media_types=("application/json",), model=None),
    response=Later(lambda: m.SchemasRawResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create or replace one entity's schema (the body is the JSON Schema itself)",
    scope="maybe",
)


def create_schema(
    *,
    entity_type: str,
    entity_name: str,
    body: Any,
) -> Request[dict[str, Any]]:
    """POST /projects/{project_id}/schemas/{entity_type}/{entity_name} — Create or replace one entity's schema (the body is the JSON Schema itself)."""
    return build(CREATE_SCHEMA, {"entity_type": entity_type, "entity_name": entity_name}, body)


# PATCH /projects/{project_id}/schemas/{entity_type}/{entity_name}
UPDATE_SCHEMA = Operation(
    operation_id="update_schema",
    family="schemas",
    method="PATCH",
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
            name="entity_type", attr="entity_type", location="path", type="string", required=True
        ),
        Param(
            name="entity_name", attr="entity_name", location="path", type="string", required=True
        ),
    ),
    body=Body(media_types=("application/json",), model=None),
    response=Later(lambda: m.SchemasRawResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Merge a JSON Schema fragment into one entity's stored schema",
    scope="maybe",
)


def update_schema(
    *,
    entity_type: str,
    entity_name: str,
    body: Any,
) -> Request[dict[str, Any]]:
    """PATCH /projects/{project_id}/schemas/{entity_type}/{entity_name} — Merge a JSON Schema fragment into one entity's stored schema."""
    return build(UPDATE_SCHEMA, {"entity_type": entity_type, "entity_name": entity_name}, body)


# DELETE /projects/{project_id}/schemas/{entity_type}/{entity_name}
DELETE_SCHEMA = Operation(
    operation_id="delete_schema",
    family="schemas",
    method="DELETE",
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
            name="entity_type", attr="entity_type", location="path", type="string", required=True
        ),
        Param(
            name="entity_name", attr="entity_name", location="path", type="string", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.DeleteSchemasEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete one entity's schema",
    scope="maybe",
)


def delete_schema(
    *,
    entity_type: str,
    entity_name: str,
) -> Request[m.DeleteSchemasResponse]:
    """DELETE /projects/{project_id}/schemas/{entity_type}/{entity_name} — Delete one entity's schema."""
    return build(DELETE_SCHEMA, {"entity_type": entity_type, "entity_name": entity_name}, None)


OPERATIONS: dict[str, Operation] = {
    "create_schema": CREATE_SCHEMA,
    "create_schemas_bulk": CREATE_SCHEMAS_BULK,
    "delete_all_schemas": DELETE_ALL_SCHEMAS,
    "delete_schema": DELETE_SCHEMA,
    "delete_schema_enforcement": DELETE_SCHEMA_ENFORCEMENT,
    "delete_schemas_of_type": DELETE_SCHEMAS_OF_TYPE,
    "get_schema_enforcement": GET_SCHEMA_ENFORCEMENT,
    "init_schema_enforcement": INIT_SCHEMA_ENFORCEMENT,
    "replace_schema_enforcement": REPLACE_SCHEMA_ENFORCEMENT,
    "run_audit": RUN_AUDIT,
    "run_audit_events_only": RUN_AUDIT_EVENTS_ONLY,
    "update_schema": UPDATE_SCHEMA,
    "update_schema_enforcement": UPDATE_SCHEMA_ENFORCEMENT,
    "update_schemas_bulk": UPDATE_SCHEMAS_BULK,
}
