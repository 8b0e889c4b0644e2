# Generated from openapi/lexicon.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

LexiconEntityType: TypeAlias = Literal["event", "profile", "custom_event"]


@attrs.frozen(kw_only=True)
class LexiconErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class LexiconPropertyJson:
    type: str | None = None
    description: str | None = None
    metadata: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class LexiconSchemaJson:
    description: str | None = None
    properties: dict[str, LexiconPropertyJson] | None = None
    metadata: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class LexiconSchemaEntry:
    entity_type: str = attrs.field(metadata={"wire": "entityType"})
    name: str
    schema_json: LexiconSchemaJson = attrs.field(metadata={"wire": "schemaJson"})


@attrs.frozen(kw_only=True)
class LexiconSchemasResponse:
    results: list[dict[str, Any]]
    status: str | None = None


@attrs.frozen(kw_only=True)
class LexiconTypedResponse:
    results: Any
    status: str | None = None


@attrs.frozen(kw_only=True)
class LexiconSchemaResponse:
    results: LexiconSchemaJson
    status: str | None = None
