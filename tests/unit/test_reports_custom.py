"""Custom properties in report blocks: the JSON they become and the checks CP1-CP6."""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import (
    AsyncWorkspace,
    BookmarkValidationError,
    CustomPropertyRef,
    Filter,
    GroupBy,
    InlineCustomProperty,
    Metric,
    ParamValidationError,
    ProfilePageResult,
    PropertyInput,
    UserAction,
    ValidationError,
)

WS = AsyncWorkspace(base_url="http://127.0.0.1:9", project="1")
REVENUE = InlineCustomProperty.numeric("A * B", A="price", B="qty")


def _codes(error: BookmarkValidationError) -> list[str]:
    return [e.code for e in error.errors]


def test_numeric_makes_number_inputs() -> None:
    assert REVENUE.property_type == "number"
    assert REVENUE.inputs["B"] == PropertyInput("qty", type="number", resource_type="event")


def test_a_saved_custom_property_in_a_filter_is_named_by_id() -> None:
    params = WS.build_params("Buy", where=Filter.greater_than(CustomPropertyRef(9), 5))
    assert params["sections"]["filter"] == [
        {"resourceType": "events", "filterType": "number", "defaultType": "number",
         "filterValue": 5, "filterOperator": "is greater than", "customPropertyId": 9,
         "dataset": "$mixpanel"}
    ]  # fmt: skip


def test_an_inline_custom_property_brings_its_formula_and_type() -> None:
    params = WS.build_params(
        Metric("Buy", math="average", property=REVENUE), group_by=GroupBy(REVENUE)
    )
    prop = params["sections"]["show"][0]["measurement"]["property"]
    formula = {
        "displayFormula": "A * B", "name": "", "description": "", "resourceType": "events",
        "propertyType": "number",
        "composedProperties": {
            "A": {"value": "price", "type": "number", "resourceType": "event"},
            "B": {"value": "qty", "type": "number", "resourceType": "event"},
        },
    }  # fmt: skip
    assert prop == {
        "customProperty": formula, "name": "", "resourceType": "events",
        "dataset": "$mixpanel", "dataGroupId": None,
    }  # fmt: skip
    group = params["sections"]["group"][0]
    assert group["customProperty"] == formula
    assert group["propertyType"] == "number"
    assert group["value"] is None


def test_a_funnel_filter_on_a_custom_property_carries_an_empty_value() -> None:
    params = WS.build_funnel_params(["A", "B"], where=Filter.is_set(CustomPropertyRef(3)))
    assert params["sections"]["filter"][0]["value"] is None


@pytest.mark.parametrize(
    ("prop", "code"),
    [
        (CustomPropertyRef(0), "CP1_INVALID_ID"),
        (InlineCustomProperty(" ", {"A": PropertyInput("x")}), "CP2_EMPTY_FORMULA"),
        (InlineCustomProperty("A", {}), "CP3_EMPTY_INPUTS"),
        (InlineCustomProperty("A", {"a": PropertyInput("x")}), "CP4_INVALID_INPUT_KEY"),
        (InlineCustomProperty("A" * 20_001, {"A": PropertyInput("x")}), "CP5_FORMULA_TOO_LONG"),
        (InlineCustomProperty("A", {"A": PropertyInput(" ")}), "CP6_EMPTY_INPUT_NAME"),
    ],
)
def test_a_broken_custom_property_is_refused_everywhere(prop: Any, code: str) -> None:
    builds = [
        lambda: WS.build_params("Buy", group_by=GroupBy(prop)),
        lambda: WS.build_params("Buy", where=[Filter.is_set(prop), Filter.is_set("x")]),
        lambda: WS.build_params(Metric("Buy", math="max", property=prop)),
        lambda: WS.build_funnel_params(["A", "B"], where=Filter.is_set(prop)),
        lambda: WS.build_retention_params("A", "B", group_by=GroupBy(prop)),
    ]
    for build in builds:
        with pytest.raises(BookmarkValidationError) as caught:
            build()
        assert code in _codes(caught.value)
        assert all(isinstance(e, ValidationError) for e in caught.value.errors)


def test_a_boolean_inline_property_takes_only_true_or_false() -> None:
    flag = InlineCustomProperty("A", {"A": PropertyInput("x")}, property_type="boolean")
    with pytest.raises(ParamValidationError):
        Filter.contains(flag, "y")
    assert Filter.is_true(flag)._operator == "true"


def test_a_list_item_breakdown_needs_a_name() -> None:
    with pytest.raises(ParamValidationError) as caught:
        GroupBy(CustomPropertyRef(1), _list_item_mode=GroupBy.list_item("a", "b")._list_item_mode)
    assert caught.value.code == "GB5_LIST_ITEM_PROPERTY_TYPE"


def test_flows_refuse_custom_property_filters() -> None:
    with pytest.raises(ParamValidationError) as caught:
        WS.build_flow_params("Buy", where=Filter.is_set(CustomPropertyRef(2)))
    assert caught.value.code == "BB3_FLOW_PROPERTY_FILTER_TYPE"


def test_a_profile_page_counts_its_pages() -> None:
    page = ProfilePageResult([{"distinct_id": "a"}], "s1", 0, True, 2001, 1000)
    assert page.num_pages == 3
    assert page.to_dict()["profile_count"] == 1
    assert ProfilePageResult([], None, 0, False, 0, 1000).num_pages == 0


def test_a_user_action_checks_itself() -> None:
    with pytest.raises(ParamValidationError):
        UserAction(0, "click", None, "button", None)
    with pytest.raises(ParamValidationError):
        UserAction(5, "click", None, "", None)
    assert UserAction(5, "click", 3, "button", None).to_dict()["metadata"] == {}
