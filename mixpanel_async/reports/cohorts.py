"""Inline cohort definitions: `CohortCriteria` (one condition of membership) and
`CohortDefinition` (conditions joined by `and` / `or`, nested as deep as needed), the seed's
names and constructors.

`CohortDefinition.to_dict()` is Mixpanel's cohort definition JSON: a `selector` expression
tree whose behavioral leaves point into a `behaviors` map (`bhvr_0`, `bhvr_1`, ... numbered
across the whole tree). It is what `query_user(cohort=...)`, `Filter.in_cohort(...)` and
`create_cohort` send as a raw cohort.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

import attrs

from mixpanel_async.reports.arguments import iso_day, refuse
from mixpanel_async.reports.cohort_refs import InlineCohort
from mixpanel_async.reports.filter_json import filter_entry
from mixpanel_async.reports.filters import Filter
from mixpanel_async.reports.literals import CohortAggregationType

PropertyOperator = Literal[
    "equals", "not_equals", "contains", "not_contains", "greater_than", "less_than",
    "is_set", "is_not_set",
]  # fmt: skip
_SELECTOR_OPS = {
    "equals": "==", "not_equals": "!=", "contains": "in", "not_contains": "not in",
    "greater_than": ">", "less_than": "<", "is_set": "defined", "is_not_set": "not defined",
}  # fmt: skip
_EVENT_FILTER_OPS = frozenset(
    {"equals", "does not equal", "contains", "does not contain", "is greater than",
     "is less than", "is set", "is not set", "is between"}
)  # fmt: skip
_COUNT_OPS = {"at_least": ">=", "at_most": "<=", "exactly": "=="}
_WINDOW_UNITS = {"within_days": "day", "within_weeks": "week", "within_months": "month"}
_ONE_TIME_CONSTRAINT = (
    "give exactly one of within_days/within_weeks/within_months or from_date+to_date"
)


def _event_selector(conditions: list[Filter]) -> dict[str, Any]:
    """The conditions on a behavior's events: Insights filter clauses joined by `and`."""
    children = []
    for condition in conditions:
        if condition._operator not in _EVENT_FILTER_OPS:
            raise refuse(
                f"a cohort's event filter cannot use {condition._operator!r} "
                f"(it can use {', '.join(sorted(_EVENT_FILTER_OPS))})",
                "where",
                "CD10_UNSUPPORTED_FILTER_OPERATOR",
            )
        node = filter_entry(condition)  # no date operator gets here, so no date unit
        if condition._value is None:
            del node["filterValue"]
        children.append(node)
    return {"operator": "and", "children": children}


@attrs.frozen
class CohortCriteria:
    """One condition of cohort membership; build it with a constructor
    (`did_event`, `did_not_do_event`, `has_property`, `property_is_set`,
    `property_is_not_set`, `in_cohort`, `not_in_cohort`)."""

    _selector_node: dict[str, Any] = attrs.field(alias="_selector_node")
    _behavior_key: str | None = attrs.field(default=None, alias="_behavior_key")
    _behavior: dict[str, Any] | None = attrs.field(default=None, alias="_behavior")

    @classmethod
    def did_event(
        cls,
        event: str,
        *,
        at_least: int | None = None,
        at_most: int | None = None,
        exactly: int | None = None,
        within_days: int | None = None,
        within_weeks: int | None = None,
        within_months: int | None = None,
        from_date: str | None = None,
        to_date: str | None = None,
        where: Filter | list[Filter] | None = None,
        aggregation: CohortAggregationType | None = None,
        aggregation_property: str | None = None,
    ) -> CohortCriteria:
        """Users who did `event` at least / at most / exactly N times (exactly one of them)
        within a rolling window (one of `within_*`) or between two days; optionally only
        events matching `where`, and counting an `aggregation` of `aggregation_property`.

        Raises:
            ParamValidationError: a blank event (`CD4`), an aggregation without its property
                or the reverse (`CA1`, `CA2`), not exactly one count (`CD1`), a negative
                count (`CD2`), not exactly one time constraint or a window below 1 (`CD3`),
                one day without the other (`CD5`), bad or reversed days (`CD6`), an event
                filter operator cohorts cannot use (`CD10`).
        """
        if not isinstance(event, str) or not event.strip():
            raise refuse("did_event needs an event name", "event", "CD4_EMPTY_EVENT")
        if (aggregation is None) != (aggregation_property is None):
            raise refuse(
                "aggregation and aggregation_property go together",
                "aggregation",
                "CA1_AGGREGATION_PAIR",
            )
        if aggregation_property is not None and not aggregation_property.strip():
            raise refuse(
                "aggregation_property names no property",
                "aggregation_property",
                "CA2_EMPTY_AGGREGATION_PROPERTY",
            )
        counts = {k: v for k, v in (("at_least", at_least), ("at_most", at_most),
                                    ("exactly", exactly)) if v is not None}  # fmt: skip
        if len(counts) != 1:
            raise refuse(
                "give exactly one of at_least, at_most, exactly",
                "at_least",
                "CD1_FREQUENCY_PARAM_REQUIRED",
            )
        ((count_name, count),) = counts.items()
        if count < 0:
            raise refuse(f"{count_name} must not be negative", count_name, "CD2_FREQUENCY_NEGATIVE")
        given = (("within_days", within_days), ("within_weeks", within_weeks),
                 ("within_months", within_months))  # fmt: skip
        windows = {k: v for k, v in given if v is not None}
        dated = from_date is not None or to_date is not None
        if len(windows) + dated != 1:
            raise refuse(_ONE_TIME_CONSTRAINT, "within_days", "CD3_TIME_CONSTRAINT_REQUIRED")
        selector: dict[str, Any] = {"event": event, "selector": None}
        conditions = [where] if isinstance(where, Filter) else list(where or [])
        if conditions:
            selector["selector"] = _event_selector(conditions)
        tally: dict[str, Any] = {"event_selector": selector, "type": "absolute"}
        if aggregation is not None:
            tally["aggregationOperator"] = aggregation
            tally["property"] = aggregation_property
        behavior: dict[str, Any] = {"count": tally}
        if windows:
            ((window_name, size),) = windows.items()
            if size <= 0:
                raise refuse(
                    f"{window_name} must be at least 1", window_name, "CD3_WINDOW_NOT_POSITIVE"
                )
            behavior["window"] = {"unit": _WINDOW_UNITS[window_name], "value": size}
        else:
            if to_date is None:
                raise refuse("from_date needs a to_date", "to_date", "CD5_FROM_REQUIRES_TO")
            if from_date is None:
                raise refuse("to_date needs a from_date", "from_date", "CD5_TO_REQUIRES_FROM")
            first = iso_day(from_date, "from_date", "CD6")
            if first > iso_day(to_date, "to_date", "CD6"):
                raise refuse(
                    f"from_date {from_date} comes after to_date {to_date}",
                    "from_date",
                    "CD6_DATE_ORDER",
                )
            behavior["from_date"], behavior["to_date"] = from_date, to_date
        node = {"property": "behaviors", "value": "bhvr_0", "operator": _COUNT_OPS[count_name],
                "operand": count}  # fmt: skip
        return cls(_selector_node=node, _behavior_key="bhvr_0", _behavior=behavior)

    @classmethod
    def did_not_do_event(
        cls,
        event: str,
        *,
        within_days: int | None = None,
        within_weeks: int | None = None,
        within_months: int | None = None,
        from_date: str | None = None,
        to_date: str | None = None,
    ) -> CohortCriteria:
        """Users who did not do `event` in the window (`did_event(event, exactly=0, ...)`)."""
        return cls.did_event(
            event, exactly=0, within_days=within_days, within_weeks=within_weeks,
            within_months=within_months, from_date=from_date, to_date=to_date,
        )  # fmt: skip

    @classmethod
    def has_property(
        cls,
        property: str,
        value: str | int | float | bool | list[str],
        *,
        operator: PropertyOperator = "equals",
        property_type: Literal["string", "number", "boolean", "datetime", "list"] = "string",
    ) -> CohortCriteria:
        """Users whose profile `property` compares with `value` by `operator`.

        Raises:
            ParamValidationError: a blank property name (`CD7`) or an unknown operator.
        """
        if not isinstance(property, str) or not property.strip():
            raise refuse("has_property needs a property name", "property", "CD7_EMPTY_PROPERTY")
        if operator not in _SELECTOR_OPS:
            raise refuse(
                f"operator must be one of {', '.join(_SELECTOR_OPS)} (got {operator!r})",
                "operator",
                "CD7_INVALID_OPERATOR",
            )
        node = {"property": "user", "value": property, "operator": _SELECTOR_OPS[operator],
                "operand": value, "type": property_type}  # fmt: skip
        return cls(_selector_node=node)

    @classmethod
    def property_is_set(cls, property: str) -> CohortCriteria:
        """Users whose profile has `property`."""
        return cls.has_property(property, "", operator="is_set")

    @classmethod
    def property_is_not_set(cls, property: str) -> CohortCriteria:
        """Users whose profile lacks `property`."""
        return cls.has_property(property, "", operator="is_not_set")

    @classmethod
    def in_cohort(cls, cohort_id: int) -> CohortCriteria:
        """Members of the saved cohort `cohort_id` (`CD8` unless a positive id)."""
        return cls._membership(cohort_id, "in")

    @classmethod
    def not_in_cohort(cls, cohort_id: int) -> CohortCriteria:
        """Users outside the saved cohort `cohort_id` (`CD8` unless a positive id)."""
        return cls._membership(cohort_id, "not in")

    @classmethod
    def _membership(cls, cohort_id: int, operator: str) -> CohortCriteria:
        if isinstance(cohort_id, bool) or not isinstance(cohort_id, int) or cohort_id <= 0:
            raise refuse(
                f"cohort_id must be a positive integer (got {cohort_id!r})",
                "cohort_id",
                "CD8_COHORT_ID_NOT_POSITIVE",
            )
        return cls(_selector_node={"property": "cohort", "value": cohort_id, "operator": operator})


def _joined(criteria: tuple[Any, ...]) -> tuple[Any, ...]:
    if not criteria:
        raise refuse("a cohort definition needs a criterion", "criteria", "CD9_EMPTY_CRITERIA")
    for item in criteria:
        if not isinstance(item, CohortCriteria | CohortDefinition):
            raise refuse(
                f"criteria are CohortCriteria or CohortDefinition (got {type(item).__name__})",
                "criteria",
                "CD9_INVALID_CRITERION",
            )
    return criteria


@attrs.frozen(init=False)
class CohortDefinition(InlineCohort):
    """Criteria joined by `and` (`CohortDefinition(...)`, `all_of`) or `or` (`any_of`);
    definitions nest. `to_dict()` gives Mixpanel's cohort definition JSON."""

    _criteria: tuple[CohortCriteria | CohortDefinition, ...]
    _operator: Literal["and", "or"]

    def __init__(self, *criteria: CohortCriteria | CohortDefinition) -> None:
        """Every one of `criteria` (`CD9` when none)."""
        self.__attrs_init__(_joined(criteria), "and")

    @classmethod
    def all_of(cls, *criteria: CohortCriteria | CohortDefinition) -> CohortDefinition:
        """Users meeting every one of `criteria`."""
        return cls(*criteria)

    @classmethod
    def any_of(cls, *criteria: CohortCriteria | CohortDefinition) -> CohortDefinition:
        """Users meeting at least one of `criteria`."""
        made = cls(*criteria)
        object.__setattr__(made, "_operator", "or")
        return made

    def to_dict(self) -> dict[str, Any]:
        """`{"selector": <expression tree>, "behaviors": {"bhvr_0": ..., ...}}`, behaviors
        numbered in the order the tree is walked."""
        behaviors: dict[str, Any] = {}

        def walk(item: CohortCriteria | CohortDefinition) -> dict[str, Any]:
            if isinstance(item, CohortDefinition):
                return {"operator": item._operator, "children": [walk(c) for c in item._criteria]}
            node = copy.deepcopy(item._selector_node)
            if item._behavior_key is not None and item._behavior is not None:
                key = f"bhvr_{len(behaviors)}"
                behaviors[key] = copy.deepcopy(item._behavior)
                node["value"] = key
            return node

        return {"selector": walk(self), "behaviors": behaviors}
