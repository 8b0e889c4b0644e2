"""Custom properties in report definitions: a saved one by id (`CustomPropertyRef`) or one
defined for this query only (`InlineCustomProperty`, a formula over `PropertyInput`s), the
seed's names and fields. They go wherever a property does (`Filter`, `GroupBy`,
`Metric.property`); `custom_property_problems` holds the checks CP1-CP6 the builders run, and
`custom_property_json` / `measurement_property` the JSON they become."""

from __future__ import annotations

import enum
import re
from typing import Any

import attrs

from mixpanel_async._generated.models.custom_properties import (
    ComposedPropertyValue as ComposedPropertyValue,  # the seed exports it from the builders
)
from mixpanel_async.reports.literals import (
    CustomPropertyType,
    PropertyInputResource,
    PropertyInputType,
    ResourceType,
)

MAX_FORMULA = 20_000
"""The longest formula of an inline custom property, in characters."""
_INPUT_KEY = re.compile(r"^[A-Z]$")
MIXPANEL = "$mixpanel"


class CustomPropertyResourceType(enum.StrEnum):
    """What a saved custom property describes: events, user profiles or group profiles."""

    EVENTS = "events"
    PEOPLE = "people"
    GROUP_PROFILES = "group_profiles"


@attrs.frozen
class PropertyInput:
    """A property that a letter of an inline custom property's formula stands for.

    Attributes:
        name: The property's name (`"price"`, `"$browser"`).
        type: Its type.
        resource_type: `"event"` or `"user"` (singular, as `composedProperties` spells it).
    """

    name: str
    type: PropertyInputType = "string"
    resource_type: PropertyInputResource = "event"


@attrs.frozen
class InlineCustomProperty:
    """A property computed for this query only: a formula whose letters (A-Z) stand for the
    properties in `inputs`.

    Attributes:
        formula: The expression, in Mixpanel's formula language (at most 20,000 characters).
        inputs: Each letter of the formula and the property it stands for.
        property_type: The formula's result type; None takes the type of the filter or
            breakdown it is used in.
        resource_type: `"events"` or `"people"`.
    """

    formula: str
    inputs: dict[str, PropertyInput]
    property_type: CustomPropertyType | None = None
    resource_type: ResourceType = "events"

    @classmethod
    def numeric(cls, formula: str, /, **properties: str) -> InlineCustomProperty:
        """A numeric formula over numeric event properties, one keyword per letter
        (`InlineCustomProperty.numeric("A * B", A="price", B="quantity")`)."""
        inputs = {key: PropertyInput(name, type="number") for key, name in properties.items()}
        return cls(formula, inputs, property_type="number")


@attrs.frozen
class CustomPropertyRef:
    """A saved custom property, by its id."""

    id: int


PropertySpec = str | CustomPropertyRef | InlineCustomProperty
"""What names a property in a report: a plain name, a saved custom property or an inline one."""
CUSTOM = (CustomPropertyRef, InlineCustomProperty)


def custom_property_problems(prop: object, path: str) -> list[tuple[str, str, str]]:
    """What makes a custom property unusable (rules CP1-CP6), as (path, message, code)."""
    found: list[tuple[str, str, str]] = []
    if isinstance(prop, CustomPropertyRef):
        if isinstance(prop.id, bool) or not isinstance(prop.id, int) or prop.id <= 0:
            message = f"a custom property id is above 0, got {prop.id!r}"
            found.append((path, message, "CP1_INVALID_ID"))
        return found
    if not isinstance(prop, InlineCustomProperty):
        return found
    formula = prop.formula if isinstance(prop.formula, str) else ""
    if not formula.strip():
        found.append((path, "the inline custom property's formula is blank", "CP2_EMPTY_FORMULA"))
    if not prop.inputs:
        found.append((path, "the inline custom property has no inputs", "CP3_EMPTY_INPUTS"))
    for key in prop.inputs:
        if not isinstance(key, str) or not _INPUT_KEY.match(key):
            found.append(
                (path, f"input keys are single letters A-Z, got {key!r}", "CP4_INVALID_INPUT_KEY")
            )
    if len(formula) > MAX_FORMULA:
        found.append(
            (
                path,
                f"the formula has {len(formula)} characters, over {MAX_FORMULA:,}",
                "CP5_FORMULA_TOO_LONG",
            )
        )
    for key, given in prop.inputs.items():
        if not isinstance(given.name, str) or not given.name.strip():
            found.append((path, f"input {key!r} names no property", "CP6_EMPTY_INPUT_NAME"))
    return found


def _composed(inputs: dict[str, PropertyInput]) -> dict[str, dict[str, str]]:
    return {
        key: {"value": given.name, "type": given.type, "resourceType": given.resource_type}
        for key, given in inputs.items()
    }


def custom_property_json(prop: InlineCustomProperty, kind: str | None) -> dict[str, Any]:
    """The `customProperty` definition of an inline custom property (of type `kind`)."""
    out: dict[str, Any] = {
        "displayFormula": prop.formula, "composedProperties": _composed(prop.inputs),
        "name": "", "description": "", "resourceType": prop.resource_type,
    }  # fmt: skip
    if kind is not None:
        out["propertyType"] = kind
    return out


def effective_type(prop: InlineCustomProperty, fallback: str) -> str:
    """The inline property's own type, else the type of where it is used."""
    return prop.property_type if prop.property_type is not None else fallback


def measurement_property(prop: PropertySpec) -> dict[str, Any]:
    """`measurement.property` of an event metric: a name, a saved or an inline custom
    property."""
    if isinstance(prop, CustomPropertyRef):
        return {"customPropertyId": prop.id, "name": "", "resourceType": "events"}
    if isinstance(prop, InlineCustomProperty):
        return {
            "customProperty": custom_property_json(prop, prop.property_type), "name": "",
            "resourceType": prop.resource_type, "dataset": MIXPANEL, "dataGroupId": None,
        }  # fmt: skip
    return {"name": prop, "resourceType": "events"}
