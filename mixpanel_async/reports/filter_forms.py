"""A `Filter` in the wire forms other than the Insights filter clause: the flows report's
step filters (`property_filter_params_list` entries) and its `filter_by_event` /
`filter_by_cohort`, and the engage selector expression a user query's `where` sends.

Each form has its own vocabulary: step filters spell operators as `==`, `><`, ... with
numbers as text and days as MM/DD/YYYY; the engage selector is an expression such as
`properties["plan"] == "pro" and defined(properties["email"])`. A filter a form cannot
express is refused with `ParamValidationError` (the peer's SG*/BB*/ES* codes), never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mixpanel_async.reports.arguments import iso_day, refuse
from mixpanel_async.reports.filter_json import filter_entry
from mixpanel_async.reports.filters import Filter

COHORTS = "$cohorts"
"""The property a cohort-membership filter (`Filter.in_cohort`) stands on."""

_SOURCES = {"events": "properties", "people": "user", "cohorts": "cohort", "other": "other"}
_STEP_STRING_OPS = {
    "equals": "==", "does not equal": "!=", "contains": "in", "does not contain": "not in",
    "is set": "set", "is not set": "not set",
}  # fmt: skip
_STEP_NUMBER_OPS = {
    "is greater than": ">", "is less than": "<", "is equal to": "==", "equals": "==",
    "does not equal": "!=", "is at least": ">=", "is at most": "<=", "is between": "><",
    "between": "><", "not between": "!><", "is set": "is set", "is not set": "is not set",
}  # fmt: skip
# A step filter states how the operand relates to the matching values: "before D" is `>`.
_STEP_DATE_OPS = {
    "was on": "==", "was not on": "!=", "was before": ">", "was since": "<",
    "was in the": ">", "was not in the": ">", "was between": "><", "was not between": "!><",
}  # fmt: skip
_SETNESS = ("is set", "is not set")


def is_cohort_filter(condition: Filter) -> bool:
    """Whether `condition` is cohort membership (`Filter.in_cohort` / `not_in_cohort`)."""
    return condition._property == COHORTS


def _month_first(day: str) -> str:
    year, month, date = day.split("-")
    return f"{month}/{date}/{year}"


def _step_condition(condition: Filter) -> dict[str, Any]:
    op, value, kind = condition._operator, condition._value, condition._property_type
    table = {"string": _STEP_STRING_OPS, "number": _STEP_NUMBER_OPS, "datetime": _STEP_DATE_OPS}
    if kind == "boolean":
        return {"operand": op}
    if kind not in table:
        raise refuse(
            f"a flow step filter takes string, number, boolean or datetime properties, "
            f"not {kind!r} ({condition._property!r})",
            "filters",
            "SG4_UNSUPPORTED_PROPERTY_TYPE",
        )
    if op not in table[kind]:
        code = {"string": "SG1", "number": "SG2", "datetime": "SG3"}[kind]
        raise refuse(
            f"a flow step filter on a {kind} property cannot use {op!r} "
            f"(it can use {', '.join(sorted(table[kind]))})",
            "filters",
            f"{code}_UNKNOWN_{kind.upper()}_OPERATOR",
        )
    found: dict[str, Any] = {"operator": table[kind][op]}
    if op in _SETNESS:
        found["operand"] = ""
    elif kind == "number":
        found["operand"] = [str(v) for v in value] if isinstance(value, list) else str(value)
    elif kind == "string":
        found["operand"] = value
    elif op in ("was in the", "was not in the"):
        found["operand"] = value
        if condition._date_unit is not None:
            found["unit"] = f"{condition._date_unit}s"
    elif isinstance(value, list):
        found["operand"] = [_month_first(str(day)) for day in value]
    else:
        found["operand"] = _month_first(str(value))
    return found


def step_filter(condition: Filter) -> dict[str, Any]:
    """`condition` as one `property_filter_params_list` entry of a flow step.

    Raises:
        ParamValidationError: a property type (`SG4`) or an operator for its type (`SG1`–`SG3`)
            that step filters cannot express (lists, `list_contains`, prefixes, `in_the_next`).
    """
    kind = condition._property_type
    return {
        "property": {
            "name": condition._property,
            "source": _SOURCES.get(condition._resource_type, condition._resource_type),
            "type": kind,
        },
        "type": kind,
        "selected_property_type": kind,
        "filter": _step_condition(condition),
    }


def flow_event_filter(conditions: Sequence[Filter]) -> dict[str, Any]:
    """A flow's `filter_by_event`: every property condition, all required (`and`); each is
    the Insights clause named by `propertyName` instead of `value`, without `defaultType`."""
    children = []
    for condition in conditions:
        entry = filter_entry(condition)
        entry.pop("value", None)
        entry.pop("defaultType", None)
        entry["propertyName"] = condition._property
        children.append(entry)
    return {"operator": "and", "children": children}


def flow_cohort_filter(conditions: Sequence[Filter]) -> dict[str, Any]:
    """A flow's `filter_by_cohort` from its one cohort condition: the cohort's `id` (or its
    `raw_cohort` definition), `name` and whether it is `negated`.

    Raises:
        ParamValidationError: more than one cohort condition (`BB5`; flows take one).
    """
    if len(conditions) > 1:
        raise refuse(
            f"a flow takes one cohort filter; {len(conditions)} were given",
            "where",
            "BB5_FLOW_MULTIPLE_COHORT_FILTERS",
        )
    condition = conditions[0]
    cohort = cohort_of(condition)
    found: dict[str, Any] = {
        "name": cohort.get("name", ""),
        "negated": condition._operator == "does not contain",
    }
    for key in ("id", "raw_cohort"):
        if key in cohort:
            found[key] = cohort[key]
    return found


def cohort_of(condition: Filter) -> dict[str, Any]:
    """The cohort a membership filter names (its `id` or `raw_cohort`, `name`, `negated`)."""
    value = condition._value
    entry = value[0] if isinstance(value, list) and value else None
    cohort = entry.get("cohort") if isinstance(entry, dict) else None
    if not isinstance(cohort, dict) or not cohort.keys() & {"id", "raw_cohort"}:
        raise refuse(f"a cohort filter's value names no cohort: {value!r}", "where", "U_COHORT")
    return cohort


# --- engage selector expressions ---------------------------------------------------------

_UNIT_SECONDS = {"hour": 3600, "day": 86400, "week": 7 * 86400, "month": 30 * 86400}
_MAX_SECONDS = 50 * 365 * 86400
"""Longest relative window a selector may span: `NOW - n` must stay a positive Unix time."""


def _literal(value: str | int | float) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def _number(value: Any, op: str, code: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise refuse(f"{op!r} compares with a number, not {value!r}", "where", code)
    return str(value)


def _terms(prop: str, op: str, value: Any, sign: str, codes: tuple[str, str]) -> list[str]:
    if not isinstance(value, list):
        raise refuse(f"{op!r} takes a list of values, not {value!r}", "where", codes[0])
    terms = [f"{prop} {sign} {_literal(v)}" for v in value if isinstance(v, str | int | float)]
    if not terms or len(terms) != len(value):
        raise refuse(f"{op!r} needs plain values (got {value!r})", "where", codes[1])
    return terms


def _days(op: str, value: Any) -> tuple[str, str]:
    if op in ("was between", "was not between"):
        pair = isinstance(value, list) and len(value) == 2
        if not (pair and all(isinstance(day, str) for day in value)):
            raise refuse(
                f"{op!r} takes two YYYY-MM-DD days (got {value!r})",
                "where",
                "ES16_DATE_RANGE_EXPECTS_PAIR",
            )
        first, last = value
        if iso_day(first, "where") > iso_day(last, "where"):
            raise refuse(f"{first} comes after {last}", "where", "FD2_DATE_ORDER")
        return first, last
    if not isinstance(value, str):
        raise refuse(
            f"{op!r} takes a YYYY-MM-DD day (got {value!r})", "where", "ES15_DATE_EXPECTS_STR"
        )
    iso_day(value, "where")
    return value, value


def _date_selector(condition: Filter, prop: str) -> str:
    op, value = condition._operator, condition._value
    cast = f"datetime({prop})"
    if op.startswith("was in the") or op == "was not in the":
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise refuse(
                f"{op!r} needs a positive whole quantity (got {value!r})",
                "where",
                "ES17_RELATIVE_QUANTITY_INVALID",
            )
        unit = condition._date_unit
        if unit not in _UNIT_SECONDS:
            raise refuse(
                f"{op!r} takes hour, day, week or month (got {unit!r})",
                "where",
                "ES18_RELATIVE_UNIT_INVALID",
            )
        seconds = value * _UNIT_SECONDS[unit]
        if seconds > _MAX_SECONDS:
            raise refuse(
                f"a relative window spans at most 50 years in a user query (got {value} "
                f"{unit}s); give explicit days instead",
                "where",
                "ES17_RELATIVE_QUANTITY_INVALID",
            )
        # "NOW -604800" would read as NOW followed by a negative number: keep the spaces.
        if op == "was in the":
            return f"{cast} >= datetime(NOW - {seconds}) and {cast} < datetime(NOW)"
        if op == "was not in the":
            return f"({cast} < datetime(NOW - {seconds}) or {cast} >= datetime(NOW))"
        return f"{cast} >= datetime(NOW) and {cast} < datetime(NOW + {seconds})"
    first, last = _days(op, value)
    start, end = f'datetime("{first}T00:00:00")', f'datetime("{last}T23:59:59")'
    if op == "was since":
        return f"{cast} >= {start}"
    if op == "was before":
        return f"{cast} < {start}"
    if op in ("was on", "was between"):
        return f"{cast} >= {start} and {cast} <= {end}"
    return f"({cast} < {start} or {cast} > {end})"


def _unsupported(condition: Filter) -> Exception:
    op = condition._operator
    what = {"starts with": "a prefix test", "ends with": "a suffix test"}.get(
        op, "a test on the items of a list of objects"
    )
    return refuse(
        f"a user query's selector has no {what} ({op!r} on {condition._property!r}); narrow "
        f"with Filter.contains(...) and keep the matching rows of mode='profiles' results",
        "where",
        "ES14_NO_SELECTOR_EQUIVALENT",
    )


def selector_of(condition: Filter) -> str:
    """`condition` as an engage selector expression (`where` of a user query).

    Absolute days are whole days of project time (from 00:00:00 to 23:59:59); relative
    windows roll from the server's `NOW` (7-day weeks, 30-day months, at most 50 years).

    Raises:
        ParamValidationError: a value of the wrong shape for its operator, or an operator
            the selector cannot express (prefixes, suffixes, `list_contains`: `ES14`).
    """
    op, value = condition._operator, condition._value
    if not isinstance(condition._property, str):
        raise refuse("a user query filters on named properties", "where", "ES1_PROPERTY_NOT_STRING")
    prop = 'properties["' + condition._property.replace("\\", "\\\\").replace('"', '\\"') + '"]'
    if op == "equals":
        terms = _terms(prop, op, value, "==", ("ES2_EQUALS_EXPECTS_LIST", "ES3_EQUALS_NO_TERMS"))
        return terms[0] if len(terms) == 1 else "(" + " or ".join(terms) + ")"
    if op == "does not equal":
        codes = ("ES4_NOT_EQUALS_EXPECTS_LIST", "ES5_NOT_EQUALS_NO_TERMS")
        return " and ".join(_terms(prop, op, value, "!=", codes))
    if op in ("contains", "does not contain"):
        if not isinstance(value, str):
            code = "ES6_CONTAINS" if op == "contains" else "ES7_NOT_CONTAINS"
            code += "_EXPECTS_STR"
            raise refuse(f"{op!r} takes a string (got {value!r})", "where", code)
        return ("not " if op == "does not contain" else "") + f"{_literal(value)} in {prop}"
    comparisons = {
        "is greater than": (">", "ES8_GT_EXPECTS_NUMBER"),
        "is less than": ("<", "ES9_LT_EXPECTS_NUMBER"),
        "is at least": (">=", "ES19_AT_LEAST_EXPECTS_NUMBER"),
        "is at most": ("<=", "ES20_AT_MOST_EXPECTS_NUMBER"),
    }
    if op in comparisons:
        sign, code = comparisons[op]
        return f"{prop} {sign} {_number(value, op, code)}"
    if op in ("is between", "not between"):
        if not isinstance(value, list) or len(value) != 2:
            raise refuse(f"{op!r} takes two bounds", "where", "ES10_BETWEEN_EXPECTS_PAIR")
        low = _number(value[0], op, "ES11_BETWEEN_LOWER_NOT_NUMBER")
        high = _number(value[1], op, "ES12_BETWEEN_UPPER_NOT_NUMBER")
        if op == "is between":
            return f"{prop} >= {low} and {prop} <= {high}"
        return f"({prop} < {low} or {prop} > {high})"
    simple = {
        "is set": f"defined({prop})",
        "is not set": f"not defined({prop})",
        "true": f"{prop} == true",
        "false": f"{prop} == false",
    }
    if op in simple:
        return simple[op]
    if op.startswith("was "):
        return _date_selector(condition, prop)
    if op in ("starts with", "ends with", "list_contains"):
        raise _unsupported(condition)
    raise refuse(
        f"a user query's selector cannot express {op!r}; pass a selector string instead",
        "where",
        "ES13_UNSUPPORTED_OPERATOR",
    )


def selector_of_all(conditions: Sequence[Filter]) -> str:
    """Every condition's selector, all required (`and`); empty for no conditions."""
    return " and ".join(selector_of(condition) for condition in conditions)
