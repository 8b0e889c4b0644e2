"""Pure functions that turn report blocks into the pieces of bookmark JSON every report kind
shares: the `time`, `filter` and `group` sections and the time comparison."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from mixpanel_async.reports.breakdowns import (
    CohortBreakdown,
    FrequencyBreakdown,
    FrequencyFilter,
    GroupBy,
    TimeComparison,
)
from mixpanel_async.reports.cohort_refs import InlineCohort, raw_cohort
from mixpanel_async.reports.custom import (
    CUSTOM,
    MIXPANEL,
    CustomPropertyRef,
    InlineCustomProperty,
    custom_property_json,
    effective_type,
)
from mixpanel_async.reports.filter_json import filter_entry
from mixpanel_async.reports.filters import Filter

Breakdown = str | GroupBy | CohortBreakdown | FrequencyBreakdown
Condition = Filter | FrequencyFilter
StepGroupBy = str | GroupBy | CohortBreakdown | list[str | GroupBy | CohortBreakdown] | None
"""`group_by` of funnel and retention queries: property names, `GroupBy`, `CohortBreakdown`."""
StepWhere = Filter | list[Filter] | None
"""`where` of funnel and retention queries."""


def as_list(value: Any) -> list[Any]:
    """`None` as no items, a list or tuple as its items, anything else as one item."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def time_section(
    *, from_date: str | None, to_date: str | None, last: int, unit: str
) -> list[dict[str, Any]]:
    """The report window: between two days (the second defaulting to today) or the last N days."""
    if from_date is None:
        return [
            {"dateRangeType": "in the last", "unit": unit, "window": {"unit": "day", "value": last}}
        ]
    end = to_date if to_date is not None else dt.date.today().isoformat()
    return [{"dateRangeType": "between", "unit": unit, "value": [from_date, end]}]


def _frequency_behavior(event: str) -> dict[str, Any]:
    return {
        "aggregationOperator": "total", "behaviorType": "$frequency", "dateRange": None,
        "event": {"label": event, "value": event}, "filters": [], "filtersOperator": "and",
    }  # fmt: skip


def frequency_filter_entry(condition: FrequencyFilter) -> dict[str, Any]:
    """One `FrequencyFilter` as a filter clause on a behaviour count."""
    behavior = _frequency_behavior(condition.event)
    if condition.date_range_value is not None and condition.date_range_unit is not None:
        unit = condition.date_range_unit
        behavior["dateRange"] = {
            "type": "in the last", "unit": unit,
            "window": {"unit": unit, "value": condition.date_range_value},
        }  # fmt: skip
    if condition.event_filters is not None:
        behavior["filters"] = [filter_entry(f) for f in condition.event_filters]
    return {
        "dataset": MIXPANEL, "resourceType": "people", "profileType": None, "search": "",
        "dataGroupId": None, "behavior": behavior, "filterType": "number",
        "defaultType": "number", "filterOperator": condition.operator,
        "filterValue": condition.value, "propertyObjectKey": None,
        "value": condition.label if condition.label is not None else f"{condition.event} Frequency",
    }  # fmt: skip


def filter_section(where: Condition | Sequence[Condition] | None) -> list[dict[str, Any]]:
    """The `filter` section: one clause per condition, in order."""
    return [
        frequency_filter_entry(c) if isinstance(c, FrequencyFilter) else filter_entry(c)
        for c in as_list(where)
        if isinstance(c, Filter | FrequencyFilter)
    ]


def _property_group(name: str, kind: str) -> dict[str, Any]:
    return {
        "value": name, "propertyName": name, "resourceType": "events",
        "propertyType": kind, "propertyDefaultType": kind,
    }  # fmt: skip


def _custom_group(
    prop: CustomPropertyRef | InlineCustomProperty, kind: str, data_group: str | None
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "value": None, "resourceType": "events", "profileType": None, "search": "",
        "dataGroupId": data_group, "dataset": MIXPANEL, "propertyType": kind, "typeCast": None,
        "unit": None, "isHidden": False,
    }  # fmt: skip
    if isinstance(prop, CustomPropertyRef):
        return {"customPropertyId": prop.id, **entry}
    kind = effective_type(prop, kind)
    return entry | {
        "customProperty": custom_property_json(prop, kind), "resourceType": prop.resource_type,
        "propertyType": kind,
    }  # fmt: skip


def _group_by_entry(group: GroupBy, data_group: str | None) -> dict[str, Any]:
    mode = group._list_item_mode
    entry: dict[str, Any]
    if isinstance(group.property, CUSTOM):
        entry = _custom_group(group.property, group.property_type, data_group)
    elif mode is not None:
        entry = {
            "dataset": MIXPANEL, "value": group.property, "resourceType": "events",
            "joinPropertyType": "list", "propertyType": "object",
            "listItemGroup": {
                "resourceType": "event", "propertyName": mode.sub,
                "propertyDefaultType": mode.sub_type, "propertyType": mode.sub_type,
            },
        }  # fmt: skip
    else:
        entry = _property_group(group.property, group.property_type)
    if group.bucket_size is not None:
        bucket: dict[str, Any] = {"bucketSize": group.bucket_size}
        if group.bucket_min is not None:
            bucket["min"] = group.bucket_min
        if group.bucket_max is not None:
            bucket["max"] = group.bucket_max
        entry["customBucket"] = bucket
    return entry


def _cohort_group_entry(group: CohortBreakdown, data_group: str | None) -> dict[str, Any]:
    name = group.name or ""
    member: dict[str, Any] = {"name": name, "negated": False, "data_group_id": data_group}
    if isinstance(group.cohort, InlineCohort):
        member["raw_cohort"] = raw_cohort(group.cohort)
    else:
        member |= {"id": group.cohort, "groups": []}
    cohorts, labels = [member], [name]
    if group.include_negated:
        cohorts.append({**member, "negated": True})
        labels.append(f"Not In {name}")
    return {
        "value": labels, "resourceType": "events", "profileType": None, "search": "",
        "dataGroupId": data_group, "propertyType": None, "typeCast": None,
        "cohorts": cohorts, "isHidden": False,
    }  # fmt: skip


def _frequency_group_entry(group: FrequencyBreakdown, data_group: str | None) -> dict[str, Any]:
    behavior = _frequency_behavior(group.event)
    return {
        "dataset": MIXPANEL,
        "behavior": behavior,
        "value": group.label if group.label is not None else f"{group.event} Frequency",
        "resourceType": "people", "propertyType": "number", "dataGroupId": data_group,
        "customBucket": {
            "bucketSize": group.bucket_size, "min": group.bucket_min,
            "max": group.bucket_max, "disabled": False,
        },
    }  # fmt: skip


def group_section(
    group_by: Breakdown | Sequence[Breakdown] | None, *, data_group_id: int | None = None
) -> list[dict[str, Any]]:
    """The `group` section: one clause per breakdown, in order."""
    data_group = None if data_group_id is None else str(data_group_id)
    entries = []
    for group in as_list(group_by):
        if isinstance(group, str):
            entries.append(_property_group(group, "string"))
        elif isinstance(group, FrequencyBreakdown):
            entries.append(_frequency_group_entry(group, data_group))
        elif isinstance(group, GroupBy):
            entries.append(_group_by_entry(group, data_group))
        else:
            entries.append(_cohort_group_entry(group, data_group))
    return entries


def time_comparison(comparison: TimeComparison) -> dict[str, str]:
    """`displayOptions.timeComparison`: its kind and its unit or date."""
    detail = comparison.unit if comparison.type == "relative" else comparison.date
    return {"type": comparison.type, "value": str(detail)}


def assemble(
    show: list[dict[str, Any]], display: dict[str, Any], *, from_date: str | None,
    to_date: str | None, last: int, unit: str, where: Any, group_by: Any,
    time_comparison_: TimeComparison | None, data_group_id: int | None, formula: bool,
) -> dict[str, Any]:  # fmt: skip
    """The bookmark params: `sections` (show, time, filter, group, and for funnels and retention
    an empty `formula`) and `displayOptions`."""
    sections: dict[str, Any] = {
        "show": show,
        "time": time_section(from_date=from_date, to_date=to_date, last=last, unit=unit),
        "filter": filter_section(where),
        "group": group_section(group_by, data_group_id=data_group_id),
    }
    if formula:
        sections["formula"] = []
        for entry in sections["filter"]:
            # Funnels and retention read `value` of every report-level filter, so a custom
            # property's filter carries an empty one.
            if "customPropertyId" in entry or "customProperty" in entry:
                entry.setdefault("value", None)
    if data_group_id is not None:
        sections["globalDataGroupId"] = str(data_group_id)
    if time_comparison_ is not None:
        display["timeComparison"] = time_comparison(time_comparison_)
    return {"sections": sections, "displayOptions": display}
