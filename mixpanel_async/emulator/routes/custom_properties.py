"""Emulator routes for openapi/custom_properties.yaml: custom properties with a real formula
parser (`engine.custom_property_lang`).

List, get and delete are the generic entity actions. Create and update check the definition
(`displayFormula` xor `behavior`; a formula needs `composedProperties` and must parse with
them) and answer a refused formula with a 400 whose body names `field: "displayFormula"`.
Guessed semantics: names are unique per project; an update (PUT) merges the fields sent into
the stored definition (the peer sends only the fields it changes) and may not change
`resourceType` or `dataGroupId`; `propertyType` is inferred from the formula when not given;
validate answers `{valid, propertyType, referencedProperties}`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import custom_property_lang as lang
from mixpanel_async.emulator.entity_routes import PREPARE, check_unique
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import body, entity_id, ok, table_for
from mixpanel_async.emulator.router import Call, Routes

routes = Routes()


def _refuse(message: str) -> EmulatorError:
    return EmulatorError(400, message, field="displayFormula")


def check_definition(fields: dict[str, Any]) -> lang.Formula | None:
    """The parsed formula of a definition (None for a behavior); a 400 when it is refused."""
    formula, behavior = fields.get("displayFormula"), fields.get("behavior")
    if formula is not None and behavior is not None:
        raise _refuse(errors.FORMULA_AND_BEHAVIOR)
    if formula is None:
        if behavior is None:
            raise _refuse(errors.NO_FORMULA)
        return None
    if not fields.get("composedProperties"):
        raise _refuse(errors.FORMULA_WITHOUT_VARIABLES)
    try:
        return lang.parse(formula, fields["composedProperties"])
    except lang.FormulaError as exc:
        raise _refuse(errors.BAD_FORMULA.format(why=exc)) from None


def prepare(call: Call, fields: dict[str, Any]) -> dict[str, Any]:
    """An update's fields, checked against the stored definition they change."""
    stored = table_for(call).get(entity_id(call))
    for field in ("resourceType", "dataGroupId"):
        if field in fields and fields[field] != stored.get(field):
            raise EmulatorError(400, errors.IMMUTABLE_FIELD.format(field=field))
    merged = {**stored, **fields}
    if "displayFormula" in fields or "composedProperties" in fields:
        parsed = check_definition(merged)
        if parsed is not None and "propertyType" not in fields:
            fields["propertyType"] = parsed.type
    return fields


PREPARE["custom_property"] = prepare


@routes("create_custom_property")
async def create_custom_property(call: Call) -> web.Response:
    """POST .../custom_properties/: create a custom property."""
    fields = await body(call)
    parsed = check_definition(fields)
    table = table_for(call)
    check_unique(table, fields, ["name"])
    if parsed is not None:
        fields.setdefault("propertyType", parsed.type)
    defaults = {"description": "", "isLocked": False, "isVisible": True}
    row = table.insert({**defaults, **fields})
    row["customPropertyId"] = row["id"]
    return ok(row)


@routes("validate_custom_property")
async def validate_custom_property(call: Call) -> web.Response:
    """POST .../custom_properties/validate/: check a definition without storing it."""
    fields = await body(call)
    parsed = check_definition(fields)
    if parsed is None:
        return ok({"valid": True, "propertyType": fields.get("propertyType"),
                   "referencedProperties": []})  # fmt: skip
    return ok(
        {
            "valid": True,
            "propertyType": fields.get("propertyType") or parsed.type,
            "referencedProperties": list(parsed.properties),
        }
    )
