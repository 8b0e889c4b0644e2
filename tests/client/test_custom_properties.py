"""Custom properties through AsyncWorkspace against the emulator: the CRUD lifecycle, the
formula checks (validate and create answer from the emulator's formula parser) and the
argument checks made before any request."""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import (
    AsyncWorkspace,
    ComposedPropertyValue,
    CreateCustomPropertyParams,
    UpdateCustomPropertyParams,
)
from tests.helpers import deleted, refused, sends_nothing

SOURCE = {"A": {"resourceType": "event", "value": "utm_source"}}
CHANNEL = 'if(A == "facebook" or A == "twitter", "Social", A)'


def _channel(**extra: Any) -> dict[str, Any]:
    return {
        "name": "Channel",
        "resource_type": "events",
        "display_formula": CHANNEL,
        "composed_properties": SOURCE,
        **extra,
    }


async def test_lifecycle(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    assert await ws.list_custom_properties() == []
    made = await ws.create_custom_property(_channel(description="grouped sources"))
    assert (made.name, made.resource_type, made.display_formula) == ("Channel", "events", CHANNEL)
    assert made.property_type == "string"  # inferred from the formula
    assert made.composed_properties is not None
    assert made.composed_properties["A"].value == "utm_source"
    typed = await ws.create_custom_property(
        CreateCustomPropertyParams(
            name="Total",
            resource_type="events",
            display_formula="P * Q",
            composed_properties={
                "P": {"resourceType": "event", "value": "price"},  # type: ignore[dict-item]
                "Q": {"resourceType": "event", "value": "quantity"},  # type: ignore[dict-item]
            },
        )
    )
    assert typed.property_type == "number"
    assert [p.name for p in await ws.list_custom_properties()] == ["Channel", "Total"]

    got = await ws.get_custom_property(str(made.custom_property_id))
    assert got == made
    renamed = await ws.update_custom_property(
        str(made.custom_property_id), UpdateCustomPropertyParams(name="Channel group")
    )
    assert (renamed.name, renamed.display_formula, renamed.description) == (
        "Channel group",
        CHANNEL,
        "grouped sources",
    )
    reformulated = await ws.update_custom_property(
        str(made.custom_property_id), {"display_formula": "len(A) > 3"}
    )
    assert reformulated.property_type == "boolean"
    await deleted(ws.delete_custom_property, ws.get_custom_property, str(typed.custom_property_id))
    assert [p.name for p in await ws.list_custom_properties()] == ["Channel group"]


async def test_builder_variables_accepted(mixpanel_workspace: AsyncWorkspace) -> None:
    made = await mixpanel_workspace.create_custom_property(
        _channel(composed_properties={"A": ComposedPropertyValue(resource_type="event",
                                                                 value="utm_source")})
    )  # fmt: skip
    assert made.composed_properties is not None
    assert made.composed_properties["A"].resource_type == "event"


async def test_validate(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    verdict = await ws.validate_custom_property(_channel())
    assert verdict == {
        "valid": True,
        "propertyType": "string",
        "referencedProperties": ["utm_source"],
    }
    assert await ws.list_custom_properties() == []  # nothing stored


@pytest.mark.parametrize(
    ("formula", "match"),
    [
        ("if(A", r"expected '\)'"),
        ("B + 1", "unknown variable 'B'"),
        ("frobnicate(A)", r"unknown function frobnicate\(\)"),
        ("today()", r"today\(\) is not supported"),
        ("if(A)", r"if\(\) takes 2 to 3 arguments"),
        ('A == "x', "unexpected character"),
    ],
)
async def test_bad_formulas_refused(
    mixpanel_workspace: AsyncWorkspace, formula: str, match: str
) -> None:
    ws = mixpanel_workspace
    for call in (ws.validate_custom_property, ws.create_custom_property):
        error = await refused(call(_channel(display_formula=formula)), 400, match)
        assert isinstance(error.response_body, dict)
        assert error.response_body["field"] == "displayFormula"
    assert await ws.list_custom_properties() == []


async def test_refusals(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    made = await ws.create_custom_property(_channel())
    await refused(ws.create_custom_property(_channel()), 400, "already")
    await refused(ws.get_custom_property("999"), 404)
    await refused(ws.update_custom_property("999", {"name": "x"}), 404)
    await refused(ws.delete_custom_property("999"), 404)
    await refused(
        ws.update_custom_property(str(made.custom_property_id), {"display_formula": "Z"}),
        400,
        "unknown variable",
    )
    assert (await ws.get_custom_property(str(made.custom_property_id))).display_formula == CHANNEL


test_checked_before_sending = sends_nothing(
    (lambda ws: ws.create_custom_property({"name": "x", "resource_type": "events"}), "one of"),
    (
        lambda ws: ws.create_custom_property(_channel(behavior={"x": 1})),
        "mutually exclusive",
    ),
    (
        lambda ws: ws.create_custom_property(
            {"name": "x", "resource_type": "events", "display_formula": "1"}
        ),
        "requires composed_properties",
    ),
    (lambda ws: ws.create_custom_property(_channel(resource_type="rooms")), "resource_type"),
    (lambda ws: ws.create_custom_property(_channel(name=" ")), "name"),
    (lambda ws: ws.validate_custom_property("nope"), "params"),
    (lambda ws: ws.get_custom_property(""), "property_id"),
    (lambda ws: ws.delete_custom_property(None), "property_id"),
    (lambda ws: ws.update_custom_property("1", {"is_locked": "yes"}), "is_locked"),
)


def test_one_class_for_formula_variables() -> None:
    """The spec's model and the builders' name are the same class (the seed's name)."""
    import mixpanel_async
    import mixpanel_async.models
    from mixpanel_async._generated.models.custom_properties import ComposedPropertyValue

    assert mixpanel_async.ComposedPropertyValue is ComposedPropertyValue
    assert not hasattr(mixpanel_async.models, "ComposedPropertySpec")
    assert not hasattr(mixpanel_async, "ComposedPropertySpec")
