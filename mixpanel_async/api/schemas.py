"""The schema registry (JSON Schema per event, custom event or profile), schema enforcement and
the data audit (App API).

Registry listing reads the Lexicon schemas endpoint (`openapi/lexicon.yaml`); writes clear the
cached `lexicon_schemas()` / `lexicon_schema()` answers, which read the same entries.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, get_args

from mixpanel_async._operation import LazyModule, Request
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import as_model
from mixpanel_async.exceptions import ParamValidationError, ResponseValidationError
from mixpanel_async.transport import codec

if TYPE_CHECKING:
    from mixpanel_async._generated.models import schemas as m
    from mixpanel_async._generated.operations import lexicon as lexicon_ops
    from mixpanel_async._generated.operations import schemas as ops
    from mixpanel_async.results import schemas as results_schemas
    from mixpanel_async.results.schemas import AuditResponse
else:
    m = LazyModule("mixpanel_async._generated.models.schemas")
    lexicon_ops = LazyModule("mixpanel_async._generated.operations.lexicon")
    ops = LazyModule("mixpanel_async._generated.operations.schemas")
    results_schemas = LazyModule("mixpanel_async.results.schemas")


@functools.cache
def entity_types() -> tuple[str, ...]:
    """The schema registry's entity types, as the spec lists them."""
    return get_args(m.SchemaRegistryEntityType)


@functools.cache
def rules() -> tuple[str, ...]:
    """The schema enforcement rules, as the spec lists them."""
    return get_args(m.SchemaEnforcementRule)


T = TypeVar("T")
M = TypeVar("M")


def _entity_type(value: Any, name: str = "entity_type") -> str:
    return checks.choice(value, name, entity_types())


def _schema(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ParamValidationError(
            f"schema_json must be a JSON Schema object (a dict), got {type(value).__name__}",
            param="schema_json",
        )
    return dict(value)


def _one(
    builder: Callable[..., Request[dict[str, Any]]],
    entity_type: str,
    entity_name: str,
    schema_json: dict[str, Any],
) -> Request[dict[str, Any]]:
    """A request about one entity's schema (create or update), its arguments checked."""
    return checks.build(
        builder,
        entity_type=_entity_type(entity_type),
        entity_name=checks.text(entity_name, "entity_name"),
        body=_schema(schema_json),
    )


def _bulk(params: m.BulkCreateSchemasParams | dict[str, Any]) -> m.BulkCreateSchemasParams:
    body = as_model(params, m.BulkCreateSchemasParams)
    for entry in body.entries:
        _entity_type(entry.entity_type, "entries.entity_type")
        checks.text(entry.name, "entries.name")
    if body.entity_type is not None:
        _entity_type(body.entity_type)
    return body


def _ruled(params: Any, model: type[M]) -> M:
    """An enforcement params model (from a dict too) whose `rule_event` is a known rule."""
    body = as_model(params, model)
    rule = getattr(body, "rule_event", None)
    if rule is not None:
        checks.choice(rule, "rule_event", rules())
    return body


def _audit(raw: list[Any]) -> AuditResponse:
    """`[violations, {"computed_at": ...}]` (empty: no violations) as an `AuditResponse`."""
    if not raw:
        return results_schemas.AuditResponse(violations=[], computed_at="")
    meta = raw[1] if len(raw) > 1 and isinstance(raw[1], dict) else {}
    try:
        violations = codec.validate(raw[0], list[m.AuditViolation])
    except Exception as exc:  # the shape is Mixpanel's; say which part did not fit
        raise ResponseValidationError(f"unexpected audit answer: {exc}") from None
    return results_schemas.AuditResponse(
        violations=violations, computed_at=str(meta.get("computed_at", ""))
    )


class SchemasMixin(Base):
    """The schema registry, schema enforcement and the data audit."""

    async def list_schema_registry(self, *, entity_type: str | None = None) -> list[m.SchemaEntry]:
        """The registry's schemas, optionally of one entity type (`event`, `custom_event`,
        `profile`)."""
        if entity_type is None:
            raw: Any = await self._call(lexicon_ops.list_lexicon_schemas)
        else:
            kind: Any = _entity_type(entity_type)  # the listing's enum holds the same types
            raw = await self._call(lexicon_ops.get_lexicon_schemas_of_type, entity_type=kind)
        try:
            return codec.validate(raw, list[m.SchemaEntry])
        except Exception as exc:
            raise ResponseValidationError(f"unexpected schema registry answer: {exc}") from None

    async def _write(self, request: Request[T]) -> T:
        """Send a registry write, then forget the cached Lexicon answers it changes."""
        result = await self._app(request)
        self._forget_discovery("lexicon_schemas")
        self._forget_discovery("lexicon_schema")
        return result

    async def create_schema(
        self, entity_type: str, entity_name: str, schema_json: dict[str, Any]
    ) -> dict[str, Any]:
        """Create (or replace) one entity's schema, a JSON Schema Draft 7 object; the stored
        entry."""
        return await self._write(_one(ops.create_schema, entity_type, entity_name, schema_json))

    async def create_schemas_bulk(
        self, params: m.BulkCreateSchemasParams | dict[str, Any]
    ) -> m.BulkCreateSchemasResponse:
        """Create (or replace) many schemas; `truncate=True` first deletes the stored ones (of
        `entity_type` when given). Answers the `added` and `deleted` counts."""
        return await self._write(checks.build(ops.create_schemas_bulk, body=_bulk(params)))

    async def update_schema(
        self, entity_type: str, entity_name: str, schema_json: dict[str, Any]
    ) -> dict[str, Any]:
        """Merge a JSON Schema fragment into one stored schema; the stored entry.

        Raises:
            QueryError: no such schema (404) or an invalid result (400).
        """
        return await self._write(_one(ops.update_schema, entity_type, entity_name, schema_json))

    async def update_schemas_bulk(
        self, params: m.BulkCreateSchemasParams | dict[str, Any]
    ) -> list[m.BulkPatchResult]:
        """Merge many fragments into their stored schemas; one `ok`/`error` result each."""
        return await self._write(checks.build(ops.update_schemas_bulk, body=_bulk(params)))

    async def delete_schemas(
        self, *, entity_type: str | None = None, entity_name: str | None = None
    ) -> m.DeleteSchemasResponse:
        """Delete one schema (both arguments), every schema of a type (`entity_type`), or every
        schema (neither); answers `delete_count`.

        Raises:
            ParamValidationError: `entity_name` without `entity_type` (which would delete every
                schema), before any request.
        """
        if entity_name is not None and entity_type is None:
            raise ParamValidationError(
                "entity_name needs entity_type: without it every schema would be deleted",
                param="entity_name",
            )
        if entity_type is None:
            return await self._write(checks.build(ops.delete_all_schemas))
        if entity_name is None:
            request = checks.build(
                ops.delete_schemas_of_type, entity_type=_entity_type(entity_type)
            )
            return await self._write(request)
        return await self._write(
            checks.build(
                ops.delete_schema,
                entity_type=_entity_type(entity_type),
                entity_name=checks.text(entity_name, "entity_name"),
            )
        )

    async def get_schema_enforcement(
        self, *, fields: str | None = None
    ) -> m.SchemaEnforcementConfig:
        """The enforcement configuration (only the comma-separated wire `fields` when given).

        Raises:
            QueryError: enforcement is not initialized (404).
        """
        return await self._call(ops.get_schema_enforcement, fields=fields)

    async def init_schema_enforcement(
        self, params: m.InitSchemaEnforcementParams | dict[str, Any]
    ) -> dict[str, Any]:
        """Start enforcing with a rule for unplanned events (`Warn and Accept`, `Warn and
        Hide`, `Warn and Drop`); the new configuration."""
        return await self._call(
            ops.init_schema_enforcement, body=_ruled(params, m.InitSchemaEnforcementParams)
        )

    async def update_schema_enforcement(
        self, params: m.UpdateSchemaEnforcementParams | dict[str, Any]
    ) -> dict[str, Any]:
        """Change the rule or recipients, or plan more `events` and `properties` (event name →
        property names); the configuration."""
        return await self._call(
            ops.update_schema_enforcement, body=_ruled(params, m.UpdateSchemaEnforcementParams)
        )

    async def replace_schema_enforcement(
        self, params: m.ReplaceSchemaEnforcementParams | dict[str, Any]
    ) -> dict[str, Any]:
        """Replace the whole configuration; the configuration."""
        return await self._call(
            ops.replace_schema_enforcement, body=_ruled(params, m.ReplaceSchemaEnforcementParams)
        )

    async def delete_schema_enforcement(self) -> dict[str, Any]:
        """Stop enforcing; the configuration that was removed.

        Raises:
            QueryError: enforcement is not initialized (404).
        """
        return await self._call(ops.delete_schema_enforcement)

    async def run_audit(self) -> AuditResponse:
        """Audit stored events and their properties against the registry.

        Raises:
            QueryError: the registry holds no schema (400).
        """
        return _audit(await self._call(ops.run_audit))

    async def run_audit_events_only(self) -> AuditResponse:
        """Audit stored event names only against the registry.

        Raises:
            QueryError: the registry holds no schema (400).
        """
        return _audit(await self._call(ops.run_audit_events_only))
