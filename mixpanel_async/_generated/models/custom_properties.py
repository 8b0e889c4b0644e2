# Generated from openapi/custom_properties.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs


@attrs.frozen(kw_only=True)
class CustomPropertyErrorResponse:
    error: str
    status: str | None = None
    field: str | None = None


@attrs.frozen(kw_only=True)
class CustomPropertyOkResponse:
    status: str | None = None
    results: Any | None = None


CustomPropertyResourceType: TypeAlias = Literal["events", "people", "group_profiles"]


CustomPropertyType: TypeAlias = Literal["string", "number", "boolean", "datetime", "list"]


@attrs.frozen(kw_only=True)
class ComposedPropertyValue:
    """One property a custom property's formula reads (`value` is its name)."""

    resource_type: str = attrs.field(metadata={"wire": "resourceType"})
    type: str | None = None
    type_cast: str | None = attrs.field(default=None, metadata={"wire": "typeCast"})
    value: str | None = None
    label: str | None = None
    property_default_type: str | None = attrs.field(
        default=None, metadata={"wire": "propertyDefaultType"}
    )
    behavior: Any | None = None
    join_property_type: str | None = attrs.field(
        default=None, metadata={"wire": "joinPropertyType"}
    )


@attrs.frozen(kw_only=True)
class CustomProperty:
    custom_property_id: int = attrs.field(metadata={"wire": "customPropertyId"})
    name: str
    resource_type: CustomPropertyResourceType = attrs.field(metadata={"wire": "resourceType"})
    description: str | None = None
    property_type: str | None = attrs.field(default=None, metadata={"wire": "propertyType"})
    display_formula: str | None = attrs.field(default=None, metadata={"wire": "displayFormula"})
    composed_properties: dict[str, ComposedPropertyValue] | None = attrs.field(
        default=None, metadata={"wire": "composedProperties"}
    )
    is_locked: bool | None = attrs.field(default=None, metadata={"wire": "isLocked"})
    is_visible: bool | None = attrs.field(default=None, metadata={"wire": "isVisible"})
    data_group_id: str | None = attrs.field(default=None, metadata={"wire": "dataGroupId"})
    created: str | None = None
    modified: str | None = None
    example_value: str | None = attrs.field(default=None, metadata={"wire": "exampleValue"})
    behavior: Any | None = None


@attrs.frozen(kw_only=True)
class CustomPropertyResponse:
    results: CustomProperty
    status: str | None = None


@attrs.frozen(kw_only=True)
class CustomPropertyListResponse:
    results: list[CustomProperty]
    status: str | None = None


@attrs.frozen(kw_only=True)
class CustomPropertyValidationResponse:
    results: dict[str, Any]
    status: str | None = None


@attrs.frozen(kw_only=True)
class CreateCustomPropertyParams:
    name: str
    resource_type: CustomPropertyResourceType = attrs.field(metadata={"wire": "resourceType"})
    description: str | None = None
    display_formula: str | None = attrs.field(default=None, metadata={"wire": "displayFormula"})
    composed_properties: dict[str, ComposedPropertyValue] | None = attrs.field(
        default=None, metadata={"wire": "composedProperties"}
    )
    is_locked: bool | None = attrs.field(default=None, metadata={"wire": "isLocked"})
    is_visible: bool | None = attrs.field(default=None, metadata={"wire": "isVisible"})
    property_type: CustomPropertyType | None = attrs.field(
        default=None, metadata={"wire": "propertyType"}
    )
    example_value: str | None = attrs.field(default=None, metadata={"wire": "exampleValue"})
    data_group_id: str | None = attrs.field(default=None, metadata={"wire": "dataGroupId"})
    behavior: Any | None = None


@attrs.frozen(kw_only=True)
class UpdateCustomPropertyParams:
    name: str | None = None
    description: str | None = None
    display_formula: str | None = attrs.field(default=None, metadata={"wire": "displayFormula"})
    composed_properties: dict[str, ComposedPropertyValue] | None = attrs.field(
        default=None, metadata={"wire": "composedProperties"}
    )
    is_locked: bool | None = attrs.field(default=None, metadata={"wire": "isLocked"})
    is_visible: bool | None = attrs.field(default=None, metadata={"wire": "isVisible"})
