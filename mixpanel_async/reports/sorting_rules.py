"""The rules of a bookmark's `sorting` block (codes S1-S9): per chart type, a sort by columns
(`sortBy: "column"`) or by value, each with its `colSortAttrs` list of per-column sorts, the
line chart's older flat form and the table's legacy `sortColumn` form. Unknown keys are
refused, `null` leaves a chart unsorted."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from mixpanel_async.exceptions import ValidationError
from mixpanel_async.reports.bookmark_values import CHART_TYPES

Field = tuple[str, bool, Callable[[Any], str | None]]
"""A field of a sort shape: its key, whether it is required, and its value check (the code
of what is wrong, or None)."""
_MISSING = {
    "sortBy": "S8_MISSING_SORT_BY", "sortOrder": "S9_MISSING_SORT_ORDER",
    "colSortAttrs": "S2_MISSING_COL_SORT_ATTRS",
}  # fmt: skip


def _one_of(*allowed: str, code: str) -> Callable[[Any], str | None]:
    return lambda value: None if isinstance(value, str) and value in allowed else code


def _text(value: Any) -> str | None:
    return None if value is None or isinstance(value, str) else "B0_WRONG_TYPE"


def _whole(value: Any) -> str | None:
    """An optional integer, as a JSON reader that converts leniently takes one."""
    if value is None or isinstance(value, int):
        return None
    if isinstance(value, float):
        return None if value.is_integer() else "VALIDATION_ERROR"
    if isinstance(value, str):
        try:
            int(value.strip())
        except ValueError:
            return "B0_WRONG_TYPE"
        return None
    return "B0_WRONG_TYPE"


def _anything(value: Any) -> str | None:
    return None


def _sort_order(required: bool) -> Field:
    check = _one_of("asc", "desc", code="S6_INVALID_SORT_ORDER")
    return ("sortOrder", required, check if required else lambda v: None if v is None else check(v))


_BY_VALUE = _one_of("value", "liftComparisonValue", code="S1_INVALID_SORT_BY")
FLAT_LABEL = [
    ("sortBy", True, _one_of("label", code="S1_INVALID_SORT_BY")), _sort_order(True),
    ("valueField", False, _text), ("viewNLimit", False, _whole),
]  # fmt: skip
FLAT_VALUE = [
    ("sortBy", True, _BY_VALUE), _sort_order(True), ("valueField", False, _text),
    ("viewNLimit", False, _whole),
]  # fmt: skip
BY_COLUMNS = [
    ("sortBy", True, _one_of("column", code="S1_INVALID_SORT_BY")), ("valueField", False, _text),
    ("colSortAttrs", True, _anything), ("sortOrder", False, _anything),
    ("viewNLimit", False, _anything),
]  # fmt: skip
BY_VALUE = [
    ("sortBy", True, _BY_VALUE), _sort_order(False), ("valueField", False, _text),
    ("colSortAttrs", True, _anything), ("viewNLimit", False, _whole),
]  # fmt: skip
OLD_TABLE = [
    ("sortBy", True, _one_of("value", code="S1_INVALID_SORT_BY")), _sort_order(True),
    ("sortColumn", True, _one_of("Linear", "sum", "value", code="B0_INVALID_LITERAL")),
    ("colSortAttrs", True, _anything),
]  # fmt: skip


def _flat_shape(value: dict[str, Any]) -> list[Field]:
    return FLAT_LABEL if value.get("sortBy") == "label" else FLAT_VALUE


def _sort_shape(value: dict[str, Any]) -> list[Field]:
    return BY_COLUMNS if value.get("sortBy") == "column" else BY_VALUE


def _table_shape(value: dict[str, Any]) -> list[Field]:
    if value.get("sortBy") == "column":
        return BY_COLUMNS
    return OLD_TABLE if "sortColumn" in value else BY_VALUE


def _line_shape(value: dict[str, Any]) -> list[Field]:
    by = value.get("sortBy")
    if by in ("column", "label"):
        return BY_COLUMNS if by == "column" else FLAT_LABEL
    return BY_VALUE if value.get("colSortAttrs") is not None else FLAT_VALUE


SHAPES: dict[str, Callable[[dict[str, Any]], list[Field]]] = {
    "bar": _sort_shape, "table": _table_shape, "line": _line_shape,
    "insights-metric": _sort_shape, "pie": _sort_shape, "retention-curve": _sort_shape,
    "funnel-steps": _sort_shape,
}  # fmt: skip
"""The chart types a `sorting` block may hold and how each picks its shape."""


def _error(path: str, message: str, code: str) -> ValidationError:
    return ValidationError(path=path, message=message, code=code)


def _shape_errors(
    value: Any, path: str, pick: Callable[[dict[str, Any]], list[Field]]
) -> list[ValidationError]:
    if not isinstance(value, dict):
        return [_error(path, "a sort must be an object", "S5_NOT_A_DICT")]
    fields = pick(value)
    found: list[ValidationError] = []
    for key, required, check in fields:
        if key not in value:
            if required:
                missing = _MISSING.get(key, "B0_MISSING_FIELD")
                found.append(_error(f"{path}.{key}", f"{key} is required", missing))
            continue
        wrong = check(value[key])
        if wrong is not None:
            found.append(_error(f"{path}.{key}", f"{key}={value[key]!r} is not allowed", wrong))
        if key == "colSortAttrs":
            found += _columns(value[key], f"{path}.{key}")
    known = {key for key, _, _ in fields}
    found += [
        _error(f"{path}.{key}", f"unknown key {key!r}", "S3_UNKNOWN_FIELD")
        for key in value
        if key not in known
    ]
    return found


def _columns(value: Any, path: str) -> list[ValidationError]:
    if not isinstance(value, list):
        return [_error(path, "colSortAttrs must be a list", "S7_NOT_A_LIST")]
    found: list[ValidationError] = []
    for i, item in enumerate(value):
        found += _shape_errors(item, f"{path}[{i}]", _flat_shape)
    return found


def sorting_errors(sorting: Any) -> list[ValidationError]:
    """What is wrong with a `sorting` block: chart types Mixpanel does not know are warnings
    (S4), everything else errors."""
    if not isinstance(sorting, dict):
        return [_error("sorting", "'sorting' must be an object", "S5_NOT_A_DICT")]
    found: list[ValidationError] = []
    for chart, value in sorting.items():
        path = f"sorting.{chart}"
        if chart not in CHART_TYPES:
            close = difflib.get_close_matches(str(chart), sorted(CHART_TYPES), n=3, cutoff=0.5)
            found.append(
                ValidationError(
                    path=path, message=f"unknown chart type {chart!r}",
                    code="S4_UNKNOWN_CHART_TYPE", severity="warning",
                    suggestion=tuple(close) or None,
                )
            )  # fmt: skip
        elif chart not in SHAPES:
            found.append(_error(path, f"{chart!r} takes no sorting", "S3_UNKNOWN_FIELD"))
        elif value is not None:
            found += _shape_errors(value, path, SHAPES[chart])
    return found
