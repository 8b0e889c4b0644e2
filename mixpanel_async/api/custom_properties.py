"""Custom properties (App API): formulas over other properties, or behaviors.

A definition carries either a `display_formula` (whose variables `composed_properties` binds to
properties) or a `behavior`, never both; `validate_custom_property` asks Mixpanel whether a
definition would be accepted without storing it. Params are the generated models of
`openapi/custom_properties.yaml`; a dict (wire or attribute names) is accepted too.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import as_model
from mixpanel_async.exceptions import ParamValidationError, QueryError

if TYPE_CHECKING:
    from mixpanel_async._generated.models import custom_properties as m
    from mixpanel_async._generated.operations import custom_properties as ops
else:
    m = LazyModule("mixpanel_async._generated.models.custom_properties")
    ops = LazyModule("mixpanel_async._generated.operations.custom_properties")

CORRUPT_LIST = (
    "list_custom_properties() failed: a custom property of the project has a displayFormula "
    "Mixpanel cannot read; fetch the others one by one with get_custom_property(id)"
)


@functools.cache
def _wire_names() -> dict[str, str]:
    """`ComposedPropertyValue`'s wire names by field name."""
    return {f.name: f.metadata.get("wire", f.name) for f in attrs.fields(m.ComposedPropertyValue)}


def _wire(value: Any) -> dict[str, Any]:
    """An attrs variable (a `ComposedPropertyValue`) keyed by wire names."""
    fields = attrs.asdict(value, recurse=False)
    wire = _wire_names()
    return {wire.get(k, k): v for k, v in fields.items() if v is not None}


def _variables(params: Any) -> Any:
    """Params whose `composed_properties` may hold `ComposedPropertyValue` objects, as plain
    dicts the spec's model takes."""
    if not isinstance(params, dict):
        return params
    for key in ("composed_properties", "composedProperties"):
        found = params.get(key)
        if isinstance(found, dict):
            plain = {k: _wire(v) if attrs.has(type(v)) else v for k, v in found.items()}
            params = {**params, key: plain}
    return params


def _definition(params: Any) -> m.CreateCustomPropertyParams:
    """A create/validate body with the formula/behavior rules checked."""
    body = as_model(_variables(params), m.CreateCustomPropertyParams)
    formula, behavior = body.display_formula, body.behavior
    if formula is not None and behavior is not None:
        raise ParamValidationError(
            "display_formula and behavior are mutually exclusive", param="display_formula"
        )
    if behavior is not None and body.composed_properties is not None:
        raise ParamValidationError(
            "behavior and composed_properties are mutually exclusive", param="behavior"
        )
    if formula is not None and body.composed_properties is None:
        raise ParamValidationError(
            "display_formula requires composed_properties", param="composed_properties"
        )
    if formula is None and behavior is None:
        raise ParamValidationError(
            "one of display_formula or behavior must be set", param="display_formula"
        )
    return body


def _id(property_id: Any) -> str:
    if isinstance(property_id, int) and not isinstance(property_id, bool):
        property_id = str(property_id)
    return checks.text(property_id, "property_id")


def _formula_at_fault(exc: QueryError) -> bool:
    body = exc.response_body
    return isinstance(body, dict) and body.get("field") == "displayFormula"


class CustomPropertiesMixin(Base):
    """Custom properties: list, create, get, update, delete, validate."""

    async def list_custom_properties(self) -> list[m.CustomProperty]:
        """Every custom property of the project.

        Raises:
            QueryError: Mixpanel could not list them (a stored formula it cannot read is named
                as such).
        """
        try:
            return await self._call(ops.list_custom_properties)
        except QueryError as exc:
            if not _formula_at_fault(exc):
                raise
            raise QueryError(
                CORRUPT_LIST,
                status_code=exc.status_code,
                response_body=exc.response_body,
                request_method=exc.request_method,
                request_url=exc.request_url,
                request_params=exc.request_params,
            ) from exc

    async def create_custom_property(
        self, params: m.CreateCustomPropertyParams | dict[str, Any]
    ) -> m.CustomProperty:
        """Create a custom property (`name`, `resource_type`, and a `display_formula` with its
        `composed_properties` or a `behavior`).

        Raises:
            ParamValidationError: invalid params, before any request.
            QueryError: Mixpanel refused the definition (e.g. a formula that does not parse).
        """
        return await self._call(ops.create_custom_property, body=_definition(params))

    async def get_custom_property(self, property_id: str) -> m.CustomProperty:
        """One custom property by id.

        Raises:
            ParamValidationError: a blank id.
            QueryError: no such custom property (404).
        """
        return await self._call(ops.get_custom_property, property_id=_id(property_id))

    async def update_custom_property(
        self, property_id: str, params: m.UpdateCustomPropertyParams | dict[str, Any]
    ) -> m.CustomProperty:
        """Change a custom property's name, description, formula, variables, lock or
        visibility (its resource type and data group are fixed).

        Raises:
            ParamValidationError: a blank id or invalid params, before any request.
            QueryError: no such custom property (404) or a refused formula (400).
        """
        body = as_model(_variables(params), m.UpdateCustomPropertyParams)
        return await self._call(ops.update_custom_property, property_id=_id(property_id), body=body)

    async def delete_custom_property(self, property_id: str) -> None:
        """Delete a custom property.

        Raises:
            ParamValidationError: a blank id.
            QueryError: no such custom property (404).
        """
        await self._call(ops.delete_custom_property, property_id=_id(property_id))

    async def validate_custom_property(
        self, params: m.CreateCustomPropertyParams | dict[str, Any]
    ) -> dict[str, Any]:
        """Ask whether a definition would be accepted, without creating it; answers Mixpanel's
        verdict as a dict.

        Raises:
            ParamValidationError: invalid params, before any request.
            QueryError: the definition is refused (400).
        """
        return await self._call(ops.validate_custom_property, body=_definition(params))
