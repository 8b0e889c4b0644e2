"""One `Filter` as a filter clause of bookmark JSON: the form the `filter` section, metric and
step filters and cohort event selectors all share."""

from __future__ import annotations

from typing import Any

from mixpanel_async.reports.custom import (
    MIXPANEL,
    CustomPropertyRef,
    InlineCustomProperty,
    custom_property_json,
    effective_type,
)
from mixpanel_async.reports.filters import Filter


def filter_entry(condition: Filter) -> dict[str, Any]:
    """One `Filter` as a filter clause."""
    if condition._operator == "list_contains":
        inner = []
        for item in condition._list_item_filters or ():
            clause = filter_entry(item)
            clause.setdefault("dataset", MIXPANEL)  # last, unless the clause placed it already
            inner.append(clause)
        return {
            "dataset": MIXPANEL, "value": condition._property,
            "resourceType": condition._resource_type, "filterType": "object",
            "defaultType": "object", "filterJoinType": "list",
            "listQuantifier": condition._list_item_quantifier, "listItemFilters": inner,
            "filterOperator": "true", "filterValue": True,
        }  # fmt: skip
    prop, kind = condition._property, str(condition._property_type)
    entry: dict[str, Any] = {
        "resourceType": condition._resource_type, "filterType": kind, "defaultType": kind,
        "filterValue": condition._value, "filterOperator": condition._operator,
    }  # fmt: skip
    if isinstance(prop, CustomPropertyRef):
        entry |= {"customPropertyId": prop.id, "dataset": MIXPANEL}
    elif isinstance(prop, InlineCustomProperty):
        kind = effective_type(prop, kind)
        entry |= {
            "customProperty": custom_property_json(prop, kind), "filterType": kind,
            "defaultType": kind, "dataset": MIXPANEL, "resourceType": prop.resource_type,
        }  # fmt: skip
    else:
        entry["value"] = prop
    if condition._date_unit is not None:
        entry["filterDateUnit"] = condition._date_unit
    return entry
