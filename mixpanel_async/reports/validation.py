"""`validate_bookmark(params)`: the seed's check of bookmark JSON (rules B1-B29 and the
sorting rules S1-S9). It never raises: it returns every problem as a `ValidationError`
(`severity="error"` for what Mixpanel refuses, `"warning"` for values it does not know but may
accept), an empty list for a sound bookmark. The builders run it on what they build."""

from __future__ import annotations

import difflib
import math
from typing import Any, Literal

from mixpanel_async.exceptions import ValidationError
from mixpanel_async.reports import bookmark_values as allowed
from mixpanel_async.reports.sorting_rules import sorting_errors

Severity = Literal["error", "warning"]
MAX_FILTER_VALUES = 1000
DATE_RANGE_TYPES = frozenset({"in the last", "between", "since", "on", "relative_after"})
_MATH_CONTEXT = {"funnel": "funnels", "retention": "retention"}
_MATHS = {"funnels": allowed.FUNNEL_MATHS, "retention": allowed.RETENTION_MATHS}


def _outside(value: Any, values: frozenset[str]) -> bool:
    """Whether `value` is not one of `values` (anything unhashable is not)."""
    try:
        return value not in values
    except TypeError:
        return True


def _bad_value(
    path: str, what: str, value: Any, values: frozenset[str], code: str,
    severity: Severity = "error",
) -> ValidationError:  # fmt: skip
    """A value outside its set, with the close allowed values as suggestions."""
    close = difflib.get_close_matches(str(value), sorted(values), n=3, cutoff=0.5)
    message = f"{what} {str(value)!r} is not allowed"
    if not close:
        message += f" (allowed: {', '.join(sorted(values)[:5])}, ... {len(values)} in all)"
    return ValidationError(
        path=path, message=message, code=code, severity=severity, suggestion=tuple(close) or None
    )


def _error(path: str, message: str, code: str, **extra: Any) -> ValidationError:
    return ValidationError(path=path, message=message, code=code, **extra)


def _positive(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _reference(ref_id: Any, path: str) -> list[ValidationError]:
    """A saved metric's id is a positive integer (B27)."""
    if _positive(ref_id):
        return []
    return [
        _error(
            f"{path}.id",
            f"a saved metric id is above 0, got {ref_id!r}",
            "B27_INVALID_REFERENCE_ID",
        )
    ]


def _operands(show: dict[str, Any], path: str, kind: str) -> list[ValidationError]:
    """A formula's own operands: saved metrics by id and kind (B27, B29), or inline clauses."""
    operands = show.get("referencedMetrics")
    found: list[ValidationError] = []
    for j, operand in enumerate(operands if isinstance(operands, list) else []):
        here = f"{path}.referencedMetrics[{j}]"
        if (
            isinstance(operand, dict)
            and operand.get("id") is not None
            and "behavior" not in operand
        ):
            found += _reference(operand["id"], here)
            if operand.get("type") is None:
                found.append(
                    _error(
                        here,
                        "an operand by id needs its type ('metric')",
                        "B29_OPERAND_MISSING_TYPE",
                    )
                )
        else:
            found += _show(operand, here, kind)
    return found


def _cohort(behavior: dict[str, Any], path: str) -> list[ValidationError]:
    """A cohort behaviour names a saved cohort (a positive id) or defines one (B22, B23)."""
    found: list[ValidationError] = []
    cohort = behavior.get("id")
    if cohort is not None and (not isinstance(cohort, int) or cohort <= 0):
        found.append(
            _error(f"{path}.behavior.id", "a cohort id is above 0", "B22_COHORT_BEHAVIOR_ID")
        )
    if cohort is None and behavior.get("raw_cohort") is None:
        found.append(
            _error(
                f"{path}.behavior",
                "a cohort behaviour needs 'id' or 'raw_cohort'",
                "B22_COHORT_MISSING_IDENTIFIER",
            )
        )
    kind = behavior.get("resourceType")
    if kind is not None and kind != "cohorts":
        found.append(
            _error(
                f"{path}.behavior.resourceType",
                f"a cohort behaviour's resourceType is 'cohorts', got {kind!r}",
                "B23_COHORT_RESOURCE_TYPE",
            )
        )
    return found


def _named(behavior: dict[str, Any]) -> bool:
    value = behavior.get("value", {})
    return (isinstance(value, dict) and value.get("name") is not None) or behavior.get(
        "name"
    ) is not None


def _show(show: Any, path: str, kind: str) -> list[ValidationError]:
    """One `sections.show` clause: a formula, a saved metric by id or an inline metric."""
    if not isinstance(show, dict):
        return [_error(path, "a show clause is an object", "B6_MISSING_BEHAVIOR")]
    if ("formula" in show or show.get("type") == "formula") and "behavior" not in show:
        saved = _reference(show["id"], path) if show.get("id") is not None else []
        return saved + _operands(show, path, kind)
    if show.get("id") is not None and "behavior" not in show:
        return _reference(show["id"], path)
    if show.get("type") == "warehouse":
        return [
            _error(
                path, "a warehouse metric runs by the id of a saved one", "B28_WAREHOUSE_MISSING_ID"
            )
        ]
    behavior = show.get("behavior")
    if behavior is None:
        return [_error(path, "the show clause has no 'behavior'", "B6_MISSING_BEHAVIOR")]
    if not isinstance(behavior, dict):
        return [_error(f"{path}.behavior", "'behavior' is an object", "B6_MISSING_BEHAVIOR")]
    found: list[ValidationError] = []
    btype = behavior.get("type")
    if btype is not None and _outside(btype, allowed.METRIC_TYPES):
        found.append(
            _bad_value(
                f"{path}.behavior.type",
                "behaviour type",
                btype,
                allowed.METRIC_TYPES,
                "B7_INVALID_BEHAVIOR_TYPE",
                "warning",
            )
        )
    saved_simple = (
        btype == "simple" and behavior.get("id") is not None and "behaviors" not in behavior
    )
    if btype in ("event", "simple", "custom-event") and not saved_simple and not _named(behavior):
        found.append(
            _error(
                f"{path}.behavior",
                "an event behaviour needs a 'name'",
                "B8_MISSING_EVENT_NAME",
                fix={"value": {"name": "<EVENT_NAME>"}},
            )
        )
    if btype == "cohort":
        found += _cohort(behavior, path)
    determiner = behavior.get("filtersDeterminer")
    if determiner is not None and _outside(determiner, allowed.FILTERS_DETERMINERS):
        found.append(
            _bad_value(
                f"{path}.behavior.filtersDeterminer",
                "filtersDeterminer",
                determiner,
                allowed.FILTERS_DETERMINERS,
                "B19_INVALID_FILTERS_DETERMINER",
                "warning",
            )
        )
    filters = behavior.get("filters")
    for i, entry in enumerate(filters if isinstance(filters, list) else []):
        found += _filter(entry, f"{path}.behavior.filters[{i}]")
    measure = show.get("measurement")
    if isinstance(measure, dict):
        found += _measurement(measure, f"{path}.measurement", _MATH_CONTEXT.get(str(btype), kind))
        chosen = measure.get("math")
        if btype == "cohort" and chosen is not None and chosen != "unique":
            found.append(
                _error(
                    f"{path}.measurement.math",
                    f"a cohort's math is 'unique', got {chosen!r}",
                    "B24_COHORT_MATH",
                )
            )
    return found


def _measurement(measure: dict[str, Any], path: str, kind: str) -> list[ValidationError]:
    """A measurement: its math (for the report kind), per-user aggregation and property."""
    found: list[ValidationError] = []
    chosen = measure.get("math")
    if chosen is not None:
        maths = _MATHS.get(kind, allowed.INSIGHTS_MATHS)
        if _outside(chosen, maths):
            found.append(_bad_value(f"{path}.math", "math", chosen, maths, "B9_INVALID_MATH"))
        if not _outside(chosen, allowed.MATHS_NEEDING_PROPERTY) and measure.get("property") is None:
            found.append(
                _error(
                    f"{path}.property", f"math {chosen!r} aggregates measurement.property",
                    "B10_MATH_MISSING_PROPERTY", severity="warning",
                    fix={"name": "<PROPERTY_NAME>", "type": "number", "resourceType": "events"},
                )
            )  # fmt: skip
    per_user = measure.get("perUserAggregation")
    if per_user is not None and _outside(per_user, allowed.PER_USER):
        found.append(
            _bad_value(
                f"{path}.perUserAggregation",
                "perUserAggregation",
                per_user,
                allowed.PER_USER,
                "B11_INVALID_PER_USER",
            )
        )
    prop = measure.get("property")
    if isinstance(prop, dict):
        found += _typed(prop, f"{path}.property", "type")
    return found


def _resource(resource: Any, path: str) -> list[ValidationError]:
    """A warning for a resource type Mixpanel does not know (B16)."""
    if resource is None or not _outside(resource, allowed.RESOURCE_TYPES):
        return []
    return [
        _bad_value(
            f"{path}.resourceType", "resourceType", resource, allowed.RESOURCE_TYPES,
            "B16_INVALID_RESOURCE_TYPE", "warning",
        )
    ]  # fmt: skip


def _typed(entry: dict[str, Any], path: str, type_key: str) -> list[ValidationError]:
    """Warnings for a property type (B17) or resource type (B16) Mixpanel does not know."""
    found: list[ValidationError] = []
    kind, resource = entry.get(type_key), entry.get("resourceType")
    if kind is not None and _outside(kind, allowed.PROPERTY_TYPES):
        found.append(
            _bad_value(
                f"{path}.{type_key}",
                "property type",
                kind,
                allowed.PROPERTY_TYPES,
                "B17_INVALID_PROPERTY_TYPE",
                "warning",
            )
        )
    found += _resource(resource, path)
    return found


def _finite_errors(value: Any, path: str) -> list[ValidationError]:
    """Numbers in `filterValue` are finite (B20B)."""
    if isinstance(value, float) and not math.isfinite(value):
        return [
            _error(
                path, f"filterValue {value} is not a finite number", "B20B_FILTER_VALUE_NOT_FINITE"
            )
        ]
    if isinstance(value, list):
        return [
            e
            for i, v in enumerate(value)
            if isinstance(v, float)
            for e in _finite_errors(v, f"{path}[{i}]")
        ]
    return []


def _filter(entry: Any, path: str) -> list[ValidationError]:
    """One filter clause (B14-B16, B18, B18B, B20, B20B, B21, B25)."""
    if not isinstance(entry, dict):
        return [_error(path, "a filter clause is an object", "B14_INVALID_FILTER_TYPE")]
    found: list[ValidationError] = []
    custom_id = entry.get("customPropertyId")
    if not (entry.get("value") or entry.get("propertyName") or custom_id is not None
            or entry.get("customProperty") is not None):  # fmt: skip
        found.append(
            _error(
                path,
                "the filter names no property (value, propertyName or a custom property)",
                "B18_MISSING_FILTER_PROPERTY",
            )
        )
    if custom_id is not None and not _positive(custom_id):
        found.append(
            _error(
                f"{path}.customPropertyId",
                f"customPropertyId is above 0, got {custom_id}",
                "B18B_INVALID_CP_ID",
            )
        )
    resource = entry.get("resourceType")
    found += _resource(resource, path)
    kind, operator = entry.get("filterType"), entry.get("filterOperator")
    if kind is not None and _outside(kind, allowed.PROPERTY_TYPES):
        found.append(
            _bad_value(
                f"{path}.filterType",
                "filterType",
                kind,
                allowed.PROPERTY_TYPES,
                "B14_INVALID_FILTER_TYPE",
            )
        )
    if operator is not None and _outside(operator, allowed.FILTER_OPERATORS):
        found.append(
            _bad_value(
                f"{path}.filterOperator",
                "filterOperator",
                operator,
                allowed.FILTER_OPERATORS,
                "B15_INVALID_FILTER_OPERATOR",
                "warning",
            )
        )
    chosen = entry.get("filterValue")
    if (
        kind == "list"
        and operator in ("contains", "does not contain")
        and isinstance(chosen, list)
        and chosen
    ):
        first = chosen[0]
        if isinstance(first, dict) and "cohort" in first and entry.get("value") != "$cohorts":
            found.append(
                _error(
                    f"{path}.value",
                    "a cohort filter's value is '$cohorts'",
                    "B25_COHORT_FILTER_VALUE",
                )
            )
    if isinstance(chosen, list) and not chosen:
        found.append(
            _error(f"{path}.filterValue", "filterValue is an empty list", "B20_EMPTY_FILTER_VALUE")
        )
    if isinstance(chosen, list) and len(chosen) > MAX_FILTER_VALUES:
        found.append(
            _error(
                f"{path}.filterValue",
                f"filterValue has {len(chosen)} values, over {MAX_FILTER_VALUES}",
                "B21_FILTER_VALUE_TOO_MANY",
            )
        )
    return found + _finite_errors(chosen, f"{path}.filterValue")


def _time(entry: Any, path: str) -> list[ValidationError]:
    """One time clause: its unit (B12) and date range type (B13)."""
    if not isinstance(entry, dict):
        return [_error(path, "a time clause is an object", "B12_INVALID_TIME_UNIT")]
    found: list[ValidationError] = []
    unit, kind = entry.get("unit"), entry.get("dateRangeType")
    if unit is not None and _outside(unit, allowed.TIME_UNITS):
        found.append(
            _bad_value(
                f"{path}.unit", "time unit", unit, allowed.TIME_UNITS, "B12_INVALID_TIME_UNIT"
            )
        )
    if kind is not None and _outside(kind, DATE_RANGE_TYPES):
        found.append(
            _error(
                f"{path}.dateRangeType",
                f"dateRangeType {kind!r} is not allowed",
                "B13_INVALID_DATE_RANGE_TYPE",
                severity="warning",
            )
        )
    return found


def _group(entry: Any, path: str) -> list[ValidationError]:
    """One breakdown clause: its types (B16, B17) and cohorts (B26)."""
    if not isinstance(entry, dict):
        return [_error(path, "a group clause is an object", "B17_INVALID_PROPERTY_TYPE")]
    found = _typed(entry, path, "propertyType")
    cohorts = entry.get("cohorts")
    if cohorts is not None and (not isinstance(cohorts, list) or not cohorts):
        found.append(
            _error(
                f"{path}.cohorts",
                "a cohort breakdown lists at least one cohort",
                "B26_EMPTY_COHORTS",
            )
        )
    return found


def _display(display: dict[str, Any]) -> list[ValidationError]:
    chart = display.get("chartType")
    if chart is None:
        return [_error("displayOptions", "chartType is missing", "B5_INVALID_CHART_TYPE")]
    if _outside(chart, allowed.CHART_TYPES):
        return [
            _bad_value(
                "displayOptions.chartType",
                "chartType",
                chart,
                allowed.CHART_TYPES,
                "B5_INVALID_CHART_TYPE",
            )
        ]
    return []


def _each(value: Any, path: str, check: Any) -> list[ValidationError]:
    items = value if isinstance(value, list) else []
    return [e for i, item in enumerate(items) for e in check(item, f"{path}[{i}]")]


def validate_bookmark(
    params: dict[str, Any], *, bookmark_type: str = "insights"
) -> list[ValidationError]:
    """Every problem of bookmark params (`sections` and `displayOptions`), as
    `ValidationError`s; an empty list when there is none. Never raises.

    Args:
        params: The bookmark params, as `build_params()` and its siblings make them.
        bookmark_type: `"insights"` (default), `"funnels"` or `"retention"`: which maths a
            measurement may use (a funnel or retention behaviour uses its own anyway).
    """
    if not isinstance(params, dict):
        return [_error("params", "bookmark params are an object", "B1_MISSING_SECTIONS")]
    found: list[ValidationError] = []
    if "sections" not in params:
        found.append(_error("params", "'sections' is missing", "B1_MISSING_SECTIONS"))
    if "displayOptions" not in params:
        found.append(_error("params", "'displayOptions' is missing", "B2_MISSING_DISPLAY_OPTIONS"))
    if "sections" not in params:
        return found
    sections = params["sections"]
    if not isinstance(sections, dict):
        return [*found, _error("sections", "'sections' is an object", "B1_MISSING_SECTIONS")]
    show = sections.get("show")
    if show is None:
        found.append(_error("sections", "'show' is missing", "B3_MISSING_SHOW"))
    elif not isinstance(show, list) or not show:
        found.append(_error("sections.show", "'show' lists at least one clause", "B4_SHOW_EMPTY"))
    else:
        found += [
            e for i, c in enumerate(show) for e in _show(c, f"sections.show[{i}]", bookmark_type)
        ]
    if isinstance(display := params.get("displayOptions"), dict):
        found += _display(display)
    found += _each(sections.get("time"), "sections.time", _time)
    found += _each(sections.get("filter"), "sections.filter", _filter)
    found += _each(sections.get("group"), "sections.group", _group)
    if "sorting" in params:
        found += sorting_errors(params["sorting"])
    return found
