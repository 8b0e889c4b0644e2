"""`validate_bookmark`: one test per rule (B1-B29, S1-S9) on a small sound bookmark changed in
one place, written from the rules (not from the validator's output)."""

# ruff: noqa: E501  (the table of cases reads best one case a line)

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import pytest

from mixpanel_async import ValidationError, validate_bookmark


def sound() -> dict[str, Any]:
    """A minimal Insights bookmark with every section the rules read."""
    return {
        "sections": {
            "show": [
                {
                    "type": "metric",
                    "behavior": {"type": "event", "name": "Login", "resourceType": "events",
                                 "filtersDeterminer": "all", "filters": []},
                    "measurement": {"math": "total"},
                }
            ],
            "time": [{"dateRangeType": "in the last", "unit": "day",
                      "window": {"unit": "day", "value": 30}}],
            "filter": [{"value": "plan", "resourceType": "events", "filterType": "string",
                        "filterOperator": "equals", "filterValue": ["pro"]}],
            "group": [{"value": "country", "propertyType": "string", "resourceType": "events"}],
        },
        "displayOptions": {"chartType": "line"},
    }  # fmt: skip


def _show(bookmark: dict[str, Any]) -> dict[str, Any]:
    clause: dict[str, Any] = bookmark["sections"]["show"][0]
    return clause


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(bookmark: dict[str, Any]) -> None:
        node: Any = bookmark
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _drop(*path: Any) -> Callable[[dict[str, Any]], None]:
    def change(bookmark: dict[str, Any]) -> None:
        node: Any = bookmark
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


S0 = ("sections", "show", 0)
F0 = ("sections", "filter", 0)
COHORT = {"type": "cohort", "id": 3, "resourceType": "cohorts", "name": "VIP"}
CASES: list[tuple[str, Callable[[dict[str, Any]], None], str, str, str]] = [
    ("B1", _drop("sections"), "params", "B1_MISSING_SECTIONS", "error"),
    ("B1 type", _set(("sections",), []), "sections", "B1_MISSING_SECTIONS", "error"),
    ("B2", _drop("displayOptions"), "params", "B2_MISSING_DISPLAY_OPTIONS", "error"),
    ("B3", _drop("sections", "show"), "sections", "B3_MISSING_SHOW", "error"),
    ("B4", _set(("sections", "show"), []), "sections.show", "B4_SHOW_EMPTY", "error"),
    ("B5 missing", _drop("displayOptions", "chartType"), "displayOptions", "B5_INVALID_CHART_TYPE", "error"),
    ("B5", _set(("displayOptions", "chartType"), "lines"), "displayOptions.chartType", "B5_INVALID_CHART_TYPE", "error"),
    ("B6", _drop(*S0, "behavior"), "sections.show[0]", "B6_MISSING_BEHAVIOR", "error"),
    ("B6 type", _set((*S0, "behavior"), "Login"), "sections.show[0].behavior", "B6_MISSING_BEHAVIOR", "error"),
    ("B7", _set((*S0, "behavior", "type"), "evnt"), "sections.show[0].behavior.type", "B7_INVALID_BEHAVIOR_TYPE", "warning"),
    ("B8", _drop(*S0, "behavior", "name"), "sections.show[0].behavior", "B8_MISSING_EVENT_NAME", "error"),
    ("B9", _set((*S0, "measurement", "math"), "totl"), "sections.show[0].measurement.math", "B9_INVALID_MATH", "error"),
    ("B10", _set((*S0, "measurement", "math"), "median"), "sections.show[0].measurement.property", "B10_MATH_MISSING_PROPERTY", "warning"),
    ("B11", _set((*S0, "measurement", "perUserAggregation"), "sum"), "sections.show[0].measurement.perUserAggregation", "B11_INVALID_PER_USER", "error"),
    ("B12", _set(("sections", "time", 0, "unit"), "fortnight"), "sections.time[0].unit", "B12_INVALID_TIME_UNIT", "error"),
    ("B13", _set(("sections", "time", 0, "dateRangeType"), "around"), "sections.time[0].dateRangeType", "B13_INVALID_DATE_RANGE_TYPE", "warning"),
    ("B14", _set((*F0, "filterType"), "text"), "sections.filter[0].filterType", "B14_INVALID_FILTER_TYPE", "error"),
    ("B15", _set((*F0, "filterOperator"), "is like"), "sections.filter[0].filterOperator", "B15_INVALID_FILTER_OPERATOR", "warning"),
    ("B16", _set((*F0, "resourceType"), "users"), "sections.filter[0].resourceType", "B16_INVALID_RESOURCE_TYPE", "warning"),
    ("B17", _set(("sections", "group", 0, "propertyType"), "text"), "sections.group[0].propertyType", "B17_INVALID_PROPERTY_TYPE", "warning"),
    ("B18", _drop(*F0, "value"), "sections.filter[0]", "B18_MISSING_FILTER_PROPERTY", "error"),
    ("B18B", _set((*F0, "customPropertyId"), 0), "sections.filter[0].customPropertyId", "B18B_INVALID_CP_ID", "error"),
    ("B19", _set((*S0, "behavior", "filtersDeterminer"), "every"), "sections.show[0].behavior.filtersDeterminer", "B19_INVALID_FILTERS_DETERMINER", "warning"),
    ("B20", _set((*F0, "filterValue"), []), "sections.filter[0].filterValue", "B20_EMPTY_FILTER_VALUE", "error"),
    ("B20B", _set((*F0, "filterValue"), [1.0, math.nan]), "sections.filter[0].filterValue[1]", "B20B_FILTER_VALUE_NOT_FINITE", "error"),
    ("B21", _set((*F0, "filterValue"), ["x"] * 1001), "sections.filter[0].filterValue", "B21_FILTER_VALUE_TOO_MANY", "error"),
    ("B22", _set((*S0, "behavior"), {**COHORT, "id": -3}), "sections.show[0].behavior.id", "B22_COHORT_BEHAVIOR_ID", "error"),
    ("B22 none", _set((*S0, "behavior"), {**COHORT, "id": None}), "sections.show[0].behavior", "B22_COHORT_MISSING_IDENTIFIER", "error"),
    ("B23", _set((*S0, "behavior"), {**COHORT, "resourceType": "events"}), "sections.show[0].behavior.resourceType", "B23_COHORT_RESOURCE_TYPE", "error"),
    ("B24", _set((*S0, "behavior"), COHORT), "sections.show[0].measurement.math", "B24_COHORT_MATH", "error"),
    ("B25", _set(F0, {"value": "plan", "filterType": "list", "filterOperator": "contains", "filterValue": [{"cohort": {"id": 1}}]}), "sections.filter[0].value", "B25_COHORT_FILTER_VALUE", "error"),
    ("B26", _set(("sections", "group", 0, "cohorts"), []), "sections.group[0].cohorts", "B26_EMPTY_COHORTS", "error"),
    ("B27", _set(S0, {"type": "metric", "id": 0}), "sections.show[0].id", "B27_INVALID_REFERENCE_ID", "error"),
    ("B28", _set(S0, {"type": "warehouse"}), "sections.show[0]", "B28_WAREHOUSE_MISSING_ID", "error"),
    ("B29", _set(S0, {"type": "formula", "definition": "A", "referencedMetrics": [{"id": 4}]}), "sections.show[0].referencedMetrics[0]", "B29_OPERAND_MISSING_TYPE", "error"),
    ("S1", _set(("sorting",), {"bar": {"sortBy": "size", "colSortAttrs": []}}), "sorting.bar.sortBy", "S1_INVALID_SORT_BY", "error"),
    ("S2", _set(("sorting",), {"bar": {"sortBy": "column"}}), "sorting.bar.colSortAttrs", "S2_MISSING_COL_SORT_ATTRS", "error"),
    ("S3", _set(("sorting",), {"funnel-trend": {}}), "sorting.funnel-trend", "S3_UNKNOWN_FIELD", "error"),
    ("S4", _set(("sorting",), {"barr": {}}), "sorting.barr", "S4_UNKNOWN_CHART_TYPE", "warning"),
    ("S5", _set(("sorting",), []), "sorting", "S5_NOT_A_DICT", "error"),
    ("S6", _set(("sorting",), {"line": {"sortBy": "label", "sortOrder": "up"}}), "sorting.line.sortOrder", "S6_INVALID_SORT_ORDER", "error"),
    ("S7", _set(("sorting",), {"pie": {"sortBy": "column", "colSortAttrs": {}}}), "sorting.pie.colSortAttrs", "S7_NOT_A_LIST", "error"),
    ("S8", _set(("sorting",), {"line": {"sortOrder": "asc"}}), "sorting.line.sortBy", "S8_MISSING_SORT_BY", "error"),
    ("S9", _set(("sorting",), {"table": {"sortBy": "value", "sortColumn": "sum", "colSortAttrs": []}}), "sorting.table.sortOrder", "S9_MISSING_SORT_ORDER", "error"),
]  # fmt: skip


def test_a_sound_bookmark_has_no_problem() -> None:
    assert validate_bookmark(sound()) == []


@pytest.mark.parametrize(
    ("change", "path", "code", "severity"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule(
    change: Callable[[dict[str, Any]], None], path: str, code: str, severity: str
) -> None:
    bookmark = sound()
    change(bookmark)
    found = validate_bookmark(bookmark)
    assert all(isinstance(e, ValidationError) for e in found)
    assert (path, code, severity) in [(e.path, e.code, e.severity) for e in found]


def test_every_problem_is_reported_at_once() -> None:
    bookmark = sound()
    _set((*S0, "measurement", "math"), "totl")(bookmark)
    _set(("displayOptions", "chartType"), "lines")(bookmark)
    _set((*F0, "filterValue"), [])(bookmark)
    codes = {e.code for e in validate_bookmark(bookmark)}
    assert {"B9_INVALID_MATH", "B5_INVALID_CHART_TYPE", "B20_EMPTY_FILTER_VALUE"} <= codes


def test_suggestions_name_close_values() -> None:
    bookmark = sound()
    _set((*S0, "measurement", "math"), "totl")(bookmark)
    (problem,) = validate_bookmark(bookmark)
    assert problem.suggestion is not None
    assert "total" in problem.suggestion
    assert str(problem).startswith("[ERROR] sections.show[0].measurement.math:")


def test_funnel_and_retention_behaviours_use_their_own_maths() -> None:
    bookmark = sound()
    _show(bookmark)["behavior"] = {"type": "funnel", "behaviors": []}
    _show(bookmark)["measurement"] = {"math": "conversion_rate_unique"}
    assert validate_bookmark(bookmark) == []
    daily = sound()
    _show(daily)["measurement"]["math"] = "dau"
    assert validate_bookmark(daily) == []
    assert validate_bookmark(daily, bookmark_type="retention")[0].code == "B9_INVALID_MATH"


def test_saved_references_need_no_behaviour() -> None:
    bookmark = sound()
    bookmark["sections"]["show"] = [
        {"type": "metric", "id": 12, "overrides": {"name": "x"}},
        {"type": "formula", "definition": "A", "referencedMetrics": [{"type": "metric", "id": 4}]},
    ]
    assert validate_bookmark(bookmark) == []


def test_odd_values_never_raise() -> None:
    bookmark = copy.deepcopy(sound())
    _show(bookmark)["behavior"]["type"] = ["event"]
    _show(bookmark)["measurement"]["math"] = {"m": 1}
    bookmark["displayOptions"]["chartType"] = {}
    codes = {e.code for e in validate_bookmark(bookmark)}
    assert {"B7_INVALID_BEHAVIOR_TYPE", "B9_INVALID_MATH", "B5_INVALID_CHART_TYPE"} <= codes
    assert validate_bookmark("not params")[0].code == "B1_MISSING_SECTIONS"  # type: ignore[arg-type]
