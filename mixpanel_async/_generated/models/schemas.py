# Generated from openapi/schemas.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs


@attrs.frozen(kw_only=True)
class SchemasErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class SchemasRawResponse:
    results: dict[str, Any]
    status: str | None = None


SchemaRegistryEntityType: TypeAlias = Literal["event", "custom_event", "profile"]


@attrs.frozen(kw_only=True)
class SchemaEntry:
    entity_type: str = attrs.field(metadata={"wire": "entityType"})
    name: str
    schema_definition: dict[str, Any] = attrs.field(metadata={"wire": "schemaJson"})
    version: str | None = None


@attrs.frozen(kw_only=True)
class BulkCreateSchemasParams:
    entries: list[SchemaEntry]
    truncate: bool | None = None
    entity_type: str | None = attrs.field(default=None, metadata={"wire": "entityType"})


@attrs.frozen(kw_only=True)
class BulkCreateSchemasResponse:
    added: int
    deleted: int


@attrs.frozen(kw_only=True)
class BulkCreateSchemasEnvelope:
    results: BulkCreateSchemasResponse
    status: str | None = None


@attrs.frozen(kw_only=True)
class BulkPatchResult:
    entity_type: str = attrs.field(metadata={"wire": "entityType"})
    name: str
    status: str
    error: str | None = None


@attrs.frozen(kw_only=True)
class BulkPatchEnvelope:
    results: list[BulkPatchResult]
    status: str | None = None


@attrs.frozen(kw_only=True)
class DeleteSchemasResponse:
    delete_count: int


@attrs.frozen(kw_only=True)
class DeleteSchemasEnvelope:
    results: DeleteSchemasResponse
    status: str | None = None


SchemaEnforcementRule: TypeAlias = Literal["Warn and Accept", "Warn and Hide", "Warn and Drop"]


@attrs.frozen(kw_only=True)
class SchemaEnforcementConfig:
    id: int | None = None
    last_modified: str | None = attrs.field(default=None, metadata={"wire": "lastModified"})
    last_modified_by: dict[str, Any] | None = attrs.field(
        default=None, metadata={"wire": "lastModifiedBy"}
    )
    rule_event: str | None = attrs.field(default=None, metadata={"wire": "ruleEvent"})
    notification_emails: list[str] | None = attrs.field(
        default=None, metadata={"wire": "notificationEmails"}
    )
    events: list[dict[str, Any]] | None = None
    common_properties: list[dict[str, Any]] | None = attrs.field(
        default=None, metadata={"wire": "commonProperties"}
    )
    user_properties: list[dict[str, Any]] | None = attrs.field(
        default=None, metadata={"wire": "userProperties"}
    )
    initialized_by: dict[str, Any] | None = attrs.field(
        default=None, metadata={"wire": "initializedBy"}
    )
    initialized_from: str | None = attrs.field(default=None, metadata={"wire": "initializedFrom"})
    initialized_to: str | None = attrs.field(default=None, metadata={"wire": "initializedTo"})
    state: str | None = None


@attrs.frozen(kw_only=True)
class SchemaEnforcementEnvelope:
    results: SchemaEnforcementConfig
    status: str | None = None


@attrs.frozen(kw_only=True)
class InitSchemaEnforcementParams:
    rule_event: str = attrs.field(metadata={"wire": "ruleEvent"})


@attrs.frozen(kw_only=True)
class UpdateSchemaEnforcementParams:
    notification_emails: list[str] | None = attrs.field(
        default=None, metadata={"wire": "notificationEmails"}
    )
    rule_event: str | None = attrs.field(default=None, metadata={"wire": "ruleEvent"})
    events: list[str] | None = None
    properties: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class ReplaceSchemaEnforcementParams:
    common_properties: list[dict[str, Any]] = attrs.field(metadata={"wire": "commonProperties"})
    user_properties: list[dict[str, Any]] = attrs.field(metadata={"wire": "userProperties"})
    events: list[dict[str, Any]]
    rule_event: str = attrs.field(metadata={"wire": "ruleEvent"})
    notification_emails: list[str] = attrs.field(metadata={"wire": "notificationEmails"})
    schema_id: int | None = attrs.field(default=None, metadata={"wire": "schemaId"})


@attrs.frozen(kw_only=True)
class AuditViolation:
    violation: str
    name: str
    count: int
    platform: str | None = None
    version: str | None = None
    event: str | None = None
    sensitive: bool | None = None
    property_type_error: str | None = attrs.field(
        default=None, metadata={"wire": "propertyTypeError"}
    )


@attrs.frozen(kw_only=True)
class AuditEnvelope:
    results: list[Any]
    status: str | None = None
