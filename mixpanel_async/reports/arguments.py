"""The argument checks report blocks share: the error they raise (`refuse`), days, cohort ids
and the operator names `Filter` accepts."""

from __future__ import annotations

import datetime as dt
import re

from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.reports.literals import FilterOperator, values

WIRE_OPERATORS = frozenset(values(FilterOperator))
OPERATOR_NAMES: dict[str, str] = {
    "not_equals": "does not equal", "not_contains": "does not contain",
    "greater_than": "is greater than", "less_than": "is less than", "between": "is between",
    "not_between": "not between", "at_least": "is at least", "at_most": "is at most",
    "is_set": "is set", "is_not_set": "is not set", "starts_with": "starts with",
    "ends_with": "ends with", "is_true": "true", "is_false": "false",
    "in_cohort": "contains", "not_in_cohort": "does not contain", "on": "was on",
    "not_on": "was not on", "before": "was before", "since": "was since",
    "in_the_last": "was in the", "not_in_the_last": "was not in the",
    "date_between": "was between", "date_not_between": "was not between",
    "in_the_next": "was in the next", "is equal to": "equals",
}  # fmt: skip
"""Constructor names (and one spelling of equality) accepted in place of a wire operator."""
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INVISIBLE_ONLY = re.compile(r"^[\s\u200b\u200c\u200d\ufeff\u00ad\u2060]*$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
"""A calendar day as YYYY-MM-DD (the one pattern every report check uses)."""


def is_int(value: object) -> bool:
    """Whether `value` is an int (a bool is not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def refuse(message: str, param: str, code: str) -> ParamValidationError:
    """The error for a rejected field or argument (raise it)."""
    return ParamValidationError(message, param=param, code=code)


def iso_day(text: str, param: str, code: str = "V8") -> dt.date:
    """`text` as a calendar day written YYYY-MM-DD, else `ParamValidationError` on `param`."""
    if not isinstance(text, str) or not ISO_DAY.match(text):
        raise refuse(
            f"{param} must be a YYYY-MM-DD date, got {text!r}", param, f"{code}_DATE_FORMAT"
        )
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise refuse(
            f"{param} {text!r} is not a day of the calendar", param, f"{code}_DATE_INVALID"
        ) from None


def single_bool(value: object) -> bool | None:
    """`value` (or the one item of a list) when it is a bool, else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], bool):
        return value[0]
    return None


def positive_quantity(quantity: int) -> int:
    """`quantity` when it is at least 1, else `ParamValidationError`."""
    if quantity <= 0:
        raise refuse(
            f"quantity must be at least 1, got {quantity}", "quantity", "FD1_QUANTITY_NOT_POSITIVE"
        )
    return quantity


def ordered_days(from_date: str, to_date: str) -> list[str]:
    """The two days, checked to be days in order."""
    if iso_day(from_date, "from_date") > iso_day(to_date, "to_date"):
        raise refuse(
            f"from_date {from_date!r} comes after to_date {to_date!r}",
            "from_date",
            "FD2_DATE_ORDER",
        )
    return [from_date, to_date]


def check_cohort(cohort: object, name: str | None, family: str) -> None:
    """A saved cohort id (a positive int) and an optional non-blank name."""
    if isinstance(cohort, bool) or not isinstance(cohort, int):
        raise refuse(
            f"cohort must be a saved cohort id (int), got {cohort!r}",
            "cohort",
            f"{family}1_COHORT_ID_NOT_POSITIVE",
        )
    if cohort <= 0:
        raise refuse(
            f"cohort must be a positive id, got {cohort}",
            "cohort",
            f"{family}1_COHORT_ID_NOT_POSITIVE",
        )
    if name is not None and not name.strip():
        raise refuse(
            "cohort name, when given, must not be blank", "name", f"{family}2_COHORT_NAME_EMPTY"
        )
