"""What a report measures: `Metric`, `CohortMetric` (Insights), `Exclusion`, `HoldingConstant`
(funnels) and `RetentionEvent` (retention), with the seed's names and fields, and their `show`
clauses in bookmark JSON. `FunnelStep` lives in `reports.behaviors` (a `SimpleBehavior` holds
steps too) and `Formula` in `reports.operands` (its operands are any metric)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import attrs

from mixpanel_async.reports.arguments import check_cohort, refuse
from mixpanel_async.reports.behaviors import (
    BehaviorRef,
    CustomEventRef,
    FunnelStep,
    SimpleBehavior,
    check_behavior_event,
    check_event_name,
)
from mixpanel_async.reports.custom import PropertySpec, measurement_property
from mixpanel_async.reports.filter_json import filter_entry
from mixpanel_async.reports.filters import Filter
from mixpanel_async.reports.literals import (
    FiltersCombinator,
    MathType,
    PerUserAggregation,
    SegmentMethod,
)

MATH_NEEDS_PROPERTY = frozenset(
    {"average", "median", "min", "max", "p25", "p75", "p90", "p99", "custom_percentile",
     "percentile", "histogram", "unique_values", "most_frequent", "first_value",
     "multi_attribution", "numeric_summary"}
)  # fmt: skip
"""Math that aggregates a property's values, so needs one."""
MATH_PROPERTY_OPTIONAL = frozenset({"total"})
"""Math that counts events, or sums a property when one is given."""
MATH_WITHOUT_PER_USER = frozenset({"dau", "wau", "mau", "unique"})
"""Math that already counts users, so cannot aggregate per user first."""
_PER_EVENT = (
    "metric filters apply to every event of a list; for filters per event, put FunnelSteps "
    "in a SimpleBehavior"
)


@attrs.frozen
class Metric:
    """One measured series of an Insights query: an event (or several, counted as one) with
    its own math, property, per-user aggregation and filters."""

    event: str | CustomEventRef | list[str | CustomEventRef] | SimpleBehavior | BehaviorRef
    math: MathType = "total"
    property: PropertySpec | None = None
    per_user: PerUserAggregation | None = None
    percentile_value: int | float | None = None
    filters: list[Filter] | None = None
    filters_combinator: FiltersCombinator = "all"
    segment_method: SegmentMethod | None = None

    def __attrs_post_init__(self) -> None:
        """Check the event(s) and the math's needs."""
        event = self.event
        if isinstance(event, str):
            check_event_name(event, "Metric")
        elif isinstance(event, SimpleBehavior | BehaviorRef):
            if isinstance(event, BehaviorRef):
                event.check_kind("simple", "Metric.event")
            if self.filters:
                raise refuse(
                    "Metric filters do not go with a SimpleBehavior or BehaviorRef event: put "
                    "per-event filters on FunnelStep events of a SimpleBehavior",
                    "filters",
                    "MT3_FILTERS_WITH_BEHAVIOR",
                )
        elif isinstance(event, list | tuple):
            if not event:
                raise refuse("Metric needs at least one event", "event", "BH1_STEP_COUNT")
            for i, item in enumerate(event):
                if isinstance(item, str):
                    check_behavior_event(item, f"Metric.event[{i}]")
                elif not isinstance(item, CustomEventRef):
                    raise refuse(
                        f"Metric.event[{i}] must be an event name or a CustomEventRef, got "
                        f"{type(item).__name__}; {_PER_EVENT}",
                        "event",
                        "MT5_INVALID_EVENT_TYPE",
                    )
        elif not isinstance(event, CustomEventRef):
            raise refuse(
                "Metric.event must be an event name, a CustomEventRef, a list of them, a "
                f"SimpleBehavior or a BehaviorRef, got {type(event).__name__}; {_PER_EVENT}",
                "event",
                "MT5_INVALID_EVENT_TYPE",
            )
        if self.math in MATH_NEEDS_PROPERTY and self.property is None:
            raise refuse(
                f"Metric math={self.math!r} aggregates a property: set property",
                "property",
                "V13_METRIC_MATH_PROPERTY",
            )
        if self.math == "percentile" and self.percentile_value is None:
            raise refuse(
                "Metric math='percentile' needs percentile_value (e.g. 95)",
                "percentile_value",
                "V26_PERCENTILE_REQUIRES_VALUE",
            )
        if self.segment_method is not None and self.segment_method not in ("all", "first"):
            raise refuse(
                f"segment_method must be 'all' or 'first', got {self.segment_method!r}",
                "segment_method",
                "MT2_INVALID_SEGMENT_METHOD",
            )


@attrs.frozen
class CohortMetric:
    """The size of a saved cohort over time, as a series of an Insights query."""

    cohort: int
    name: str | None = None

    def __attrs_post_init__(self) -> None:
        """Check the cohort id and name."""
        check_cohort(self.cohort, self.name, "CM")


@attrs.frozen
class Exclusion:
    """An event that disqualifies a user between two steps (0-based; `to_step=None` means up to
    the last step)."""

    event: str
    from_step: int = 0
    to_step: int | None = None

    def __attrs_post_init__(self) -> None:
        """Check the event and the step range."""
        check_event_name(self.event, "Exclusion")
        if self.from_step < 0:
            raise refuse(
                f"from_step must be 0 or more, got {self.from_step}",
                "from_step",
                "EX1_FROM_STEP_NEGATIVE",
            )
        if self.to_step is not None and self.to_step < self.from_step:
            raise refuse(
                f"to_step ({self.to_step}) comes before from_step ({self.from_step})",
                "to_step",
                "EX2_STEP_ORDER",
            )


@attrs.frozen
class HoldingConstant:
    """A property whose value must stay the same across all steps of a funnel."""

    property: str
    resource_type: Literal["events", "people"] = "events"

    def __attrs_post_init__(self) -> None:
        """Check the property name."""
        if not isinstance(self.property, str) or not self.property.strip():
            raise refuse(
                "HoldingConstant.property must be a property name", "property", "HC1_EMPTY_PROPERTY"
            )


@attrs.frozen
class RetentionEvent:
    """The birth or return event of a retention query, optionally filtered."""

    event: str
    filters: list[Filter] | None = None
    filters_combinator: FiltersCombinator = "all"

    def __attrs_post_init__(self) -> None:
        """Check the event name."""
        check_event_name(self.event, "RetentionEvent")


# --- show clauses ----------------------------------------------------------------------------


def measurement(
    math: str, prop: PropertySpec | None, per_user: str | None, percentile: float | None,
    segment_method: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The `measurement` of an event metric (the bookmark spells `percentile` as
    `custom_percentile`)."""
    out: dict[str, Any] = {"math": "custom_percentile" if math == "percentile" else math}
    if prop is not None:
        out["property"] = measurement_property(prop)
    if per_user is not None:
        out["perUserAggregation"] = per_user
    if percentile is not None:
        out["percentile"] = percentile
    if segment_method is not None:
        out["segmentMethod"] = segment_method
    return out


def event_behavior(
    name: str, filters: Sequence[Filter] | None = None, combinator: str = "all"
) -> dict[str, Any]:
    """The behaviour of one event."""
    return {
        "type": "event", "name": name, "resourceType": "events",
        "filtersDeterminer": combinator, "filters": [filter_entry(f) for f in filters or []],
    }  # fmt: skip


def step_behavior(
    event: str | CustomEventRef | FunnelStep, filters: Sequence[Filter] | None, combinator: str
) -> dict[str, Any]:
    """An event as one of several inside a behaviour (funnel step, retention event, or one of
    the events a metric counts together); a `FunnelStep` brings its own filters and label."""
    if isinstance(event, FunnelStep):
        out = step_behavior(event.event, event.filters, event.filters_combinator)
        if event.label is not None:
            out["renamed"] = event.label
        return out
    custom = isinstance(event, CustomEventRef)
    return {
        "type": "custom-event" if custom else "event",
        "id": event.id if isinstance(event, CustomEventRef) else None,
        "name": event.event_name if isinstance(event, CustomEventRef) else event,
        "filters": [filter_entry(f) for f in filters or []], "filtersDeterminer": combinator,
    }  # fmt: skip


def _label(event: str | CustomEventRef | FunnelStep) -> str:
    if isinstance(event, FunnelStep):
        return event.label if event.label is not None else event.event
    return event.event_name if isinstance(event, CustomEventRef) else event


def simple_behavior(
    events: Sequence[str | CustomEventRef | FunnelStep], name: str | None = None,
    filters: Sequence[Filter] | None = None, combinator: str = "all",
) -> dict[str, Any]:  # fmt: skip
    """Several events counted as one behaviour, named `name` or after its events."""
    label = name if name and name.strip() else " or ".join(map(_label, events))
    return {
        "type": "simple", "name": label,
        "resourceType": "events", "filtersDeterminer": "all", "filters": [],
        "behaviors": [step_behavior(e, filters, combinator) for e in events],
    }  # fmt: skip


def _metric_behavior(metric: Metric) -> dict[str, Any]:
    event, filters, combinator = metric.event, metric.filters, metric.filters_combinator
    if isinstance(event, BehaviorRef):
        return {"type": event.type, "id": event.id}
    if isinstance(event, SimpleBehavior):
        return simple_behavior(event.events, event.name)
    if isinstance(event, list | tuple):
        if len(event) > 1:
            return simple_behavior(event, None, filters, combinator)
        event = event[0]
    if isinstance(event, CustomEventRef):
        return {
            "type": "custom-event", "id": event.id, "name": event.event_name,
            "resourceType": "events", "filtersDeterminer": combinator,
            "filters": [filter_entry(f) for f in filters or []],
        }  # fmt: skip
    return event_behavior(event, filters, combinator)


def clause(
    behavior: dict[str, Any], measure: dict[str, Any], hidden: bool = False
) -> dict[str, Any]:
    """A `show` clause of type `metric` (hidden when a formula uses it)."""
    out: dict[str, Any] = {"type": "metric", "behavior": behavior, "measurement": measure}
    if hidden:
        out["isHidden"] = True
    return out


def show_clause(
    item: str | Metric | CohortMetric, *, math: str, math_property: str | None,
    per_user: str | None, percentile_value: float | None, hidden: bool,
) -> dict[str, Any]:  # fmt: skip
    """The `show` clause of one event name (with the query's math), `Metric` or `CohortMetric`."""
    if isinstance(item, str):
        return clause(
            event_behavior(item),
            measurement(math, math_property, per_user, percentile_value),
            hidden,
        )
    if isinstance(item, Metric):
        measure = measurement(
            item.math, item.property, item.per_user, item.percentile_value, item.segment_method
        )
        return clause(_metric_behavior(item), measure, hidden)
    behavior: dict[str, Any] = {
        "type": "cohort", "name": item.name or "", "resourceType": "cohorts",
        "dataGroupId": None, "dataset": "$mixpanel", "filtersDeterminer": "all",
        "filters": [], "id": item.cohort,
    }  # fmt: skip
    out = clause(behavior, {"math": "unique", "property": None, "perUserAggregation": None})
    out["isHidden"] = hidden
    return out
