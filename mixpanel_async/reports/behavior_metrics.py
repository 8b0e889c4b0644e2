"""Funnels and retention as metrics of any Insights query (the seed's `FunnelBehavior`,
`RetentionBehavior`, `FunnelMetric`, `RetentionMetric`): the blocks, their checks (the same
rules as `query_funnel()` / `query_retention()`) and the `show` clauses they become."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from mixpanel_async.reports import funnels, retention
from mixpanel_async.reports.arguments import refuse
from mixpanel_async.reports.behaviors import BehaviorRef, FunnelStep, check_behavior_event
from mixpanel_async.reports.checks import Problem, custom_properties
from mixpanel_async.reports.custom import (
    PropertySpec,
    custom_property_problems,
    measurement_property,
)
from mixpanel_async.reports.literals import (
    ConversionWindowUnit,
    FunnelMathType,
    FunnelOrder,
    FunnelReentryMode,
    RetentionAlignment,
    RetentionMathType,
    RetentionUnboundedMode,
    TimeUnit,
    values,
)
from mixpanel_async.reports.metrics import (
    MATH_NEEDS_PROPERTY,
    Exclusion,
    HoldingConstant,
    RetentionEvent,
    clause,
)
from mixpanel_async.reports.sections import as_list

NEEDS_PROPERTY = (MATH_NEEDS_PROPERTY - {"custom_percentile"}) | {"percentile"}


@attrs.frozen
class FunnelBehavior:
    """Two or more steps users convert through, with `query_funnel()`'s parameters and
    defaults (a 14-day window, loose order)."""

    steps: list[str | FunnelStep]
    conversion_window: int = 14
    conversion_window_unit: ConversionWindowUnit = "day"
    order: FunnelOrder = "loose"
    exclusions: list[str | Exclusion] | None = None
    holding_constant: str | HoldingConstant | list[str | HoldingConstant] | None = None
    reentry_mode: FunnelReentryMode | None = None

    def __attrs_post_init__(self) -> None:
        """At least two steps; usable step, exclusion and held property names."""
        if len(self.steps) < 2:
            raise refuse(
                f"FunnelBehavior needs at least 2 steps, got {len(self.steps)}",
                "steps",
                "BH1_STEP_COUNT",
            )
        for i, step in enumerate(self.steps):
            if isinstance(step, str):
                check_behavior_event(step, f"FunnelBehavior.steps[{i}]")
        for item in self.exclusions or []:
            if isinstance(item, str):
                Exclusion(item)
        for held in as_list(self.holding_constant):
            if isinstance(held, str):
                HoldingConstant(held)


@attrs.frozen
class RetentionBehavior:
    """A birth event and a return event, with `query_retention()`'s parameters and defaults
    (weekly buckets aligned on birth)."""

    born_event: str | RetentionEvent
    return_event: str | RetentionEvent
    retention_unit: TimeUnit = "week"
    alignment: RetentionAlignment = "birth"
    bucket_sizes: list[int] | None = None
    unbounded_mode: RetentionUnboundedMode | None = None

    def __attrs_post_init__(self) -> None:
        """Event names are usable."""
        for name in ("born_event", "return_event"):
            value = getattr(self, name)
            if isinstance(value, str):
                check_behavior_event(value, f"RetentionBehavior.{name}")


def _index(value: object, where: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise refuse(f"{where} must be an integer >= 0, got {value!r}", where, "MT4_INVALID_INDEX")


def _property_fit(math: str, prop: object) -> Literal["missing", "rejected"] | None:
    """Whether a property math lacks a property (a blank name counts as none) or another
    math has one it cannot use."""
    if math in NEEDS_PROPERTY:
        blank = prop is None or (isinstance(prop, str) and not prop.strip())
        return "missing" if blank else None
    return "rejected" if prop is not None and math != "total" else None


def _property_maths(maths: tuple[str, ...]) -> list[str]:
    return sorted(m for m in maths if m in NEEDS_PROPERTY or m == "total")


@attrs.frozen
class FunnelMetric:
    """A funnel measured as one series (its conversion rate by default), beside other metrics
    of `query()` or as a `Formula` operand; `step_index` picks one step (0-based)."""

    behavior: FunnelBehavior | BehaviorRef
    math: FunnelMathType = "conversion_rate_unique"
    property: PropertySpec | None = None
    step_index: int | None = None
    label: str | None = None

    def __attrs_post_init__(self) -> None:
        """A saved behaviour is a funnel; the index and the property fit the math."""
        if isinstance(self.behavior, BehaviorRef):
            self.behavior.check_kind("funnel", "FunnelMetric.behavior")
        _index(self.step_index, "FunnelMetric.step_index")
        fit = _property_fit(self.math, self.property)
        if fit == "missing":
            raise refuse(
                f"FunnelMetric math={self.math!r} aggregates a property: set property",
                "property",
                "F10_MATH_MISSING_PROPERTY",
            )
        if fit == "rejected":
            raise refuse(
                f"FunnelMetric math={self.math!r} takes no property (those that do: "
                f"{_property_maths(values(FunnelMathType))})",
                "property",
                "F11_MATH_REJECTS_PROPERTY",
            )


@attrs.frozen
class RetentionMetric:
    """A retention behaviour measured as one series (its retention rate by default);
    `bucket_index` picks the bucket a line or bar chart follows."""

    behavior: RetentionBehavior | BehaviorRef
    math: RetentionMathType = "retention_rate"
    bucket_index: int | None = None
    retention_cumulative: bool = False
    property: PropertySpec | None = None
    label: str | None = None

    def __attrs_post_init__(self) -> None:
        """A saved behaviour is a retention one; the index and the property fit the math."""
        if isinstance(self.behavior, BehaviorRef):
            self.behavior.check_kind("retention", "RetentionMetric.behavior")
        _index(self.bucket_index, "RetentionMetric.bucket_index")
        fit = _property_fit(self.math, self.property)
        if fit is not None:
            what = "aggregates a property: set property" if fit == "missing" else (
                f"takes no property (those that do: {_property_maths(values(RetentionMathType))})"
            )  # fmt: skip
            raise refuse(
                f"RetentionMetric math={self.math!r} {what}", "property", "BH3_PROPERTY_MATH"
            )


# --- checks at query time --------------------------------------------------------------------


def _under(path: str, found: list[Problem]) -> list[Problem]:
    return [Problem(f"{path}.{p.path}", p.message, p.code) for p in found]


def _exclusions(behavior: FunnelBehavior) -> list[Exclusion]:
    return [e if isinstance(e, Exclusion) else Exclusion(e) for e in behavior.exclusions or []]


def metric_problems(metric: FunnelMetric | RetentionMetric, path: str) -> list[Problem]:
    """`query_funnel()`'s or `query_retention()`'s rules on an inline behaviour (a saved one
    owns its settings, so only its custom property is checked), under `path`."""
    found = [Problem(*p) for p in custom_property_problems(metric.property, "property")]
    behavior = metric.behavior
    if isinstance(behavior, FunnelBehavior):
        steps = [s if isinstance(s, FunnelStep) else FunnelStep(s) for s in behavior.steps]
        window, unit = behavior.conversion_window, behavior.conversion_window_unit
        found = [
            *funnels.behavior_problems(
                steps, window, unit,
                _exclusions(behavior),
                as_list(behavior.holding_constant), behavior.reentry_mode,
            ),
            *funnels.session_problems(window, unit, metric.math),
            *custom_properties(steps=steps),
            *found,
        ]  # fmt: skip
    elif isinstance(behavior, RetentionBehavior):
        born, back = behavior.born_event, behavior.return_event
        several = [
            Problem(name, "a retention event is one event", code)
            for name, value, code in (
                ("born_event", born, "R1_EMPTY_BORN_EVENT"),
                ("return_event", back, "R2_EMPTY_RETURN_EVENT"),
            )
            if isinstance(value, list | tuple)
        ]
        if several:
            return _under(path, several)
        found = [
            *retention.behavior_problems(
                born, back, behavior.retention_unit, behavior.alignment, behavior.bucket_sizes,
                behavior.unbounded_mode,
            ),
            *custom_properties(steps=[born, back], step_path="events"),
            *found,
        ]  # fmt: skip
    return _under(path, found)


# --- show clauses ----------------------------------------------------------------------------


def funnel_metric_behavior(behavior: FunnelBehavior | BehaviorRef) -> dict[str, Any]:
    """The behaviour of a funnel metric: the one `query_funnel()` writes, or a saved one."""
    if isinstance(behavior, BehaviorRef):
        return {"type": behavior.type, "id": behavior.id}
    return funnels.funnel_behavior(
        [s if isinstance(s, FunnelStep) else FunnelStep(s) for s in behavior.steps],
        window=behavior.conversion_window, window_unit=behavior.conversion_window_unit,
        order=behavior.order,
        exclusions=_exclusions(behavior),
        held=[
            h if isinstance(h, HoldingConstant) else HoldingConstant(h)
            for h in as_list(behavior.holding_constant)
        ],
        reentry_mode=behavior.reentry_mode,
    )  # fmt: skip


def retention_metric_behavior(behavior: RetentionBehavior | BehaviorRef) -> dict[str, Any]:
    """The behaviour of a retention metric: the one `query_retention()` writes, or a saved
    one."""
    if isinstance(behavior, BehaviorRef):
        return {"type": behavior.type, "id": behavior.id}
    return retention.retention_behavior(
        behavior.born_event, behavior.return_event, behavior.retention_unit,
        behavior.alignment, behavior.bucket_sizes, behavior.unbounded_mode,
    )  # fmt: skip


def funnel_measurement(metric: FunnelMetric) -> dict[str, Any]:
    """The measurement of a funnel metric (a property name as `query_funnel()` writes it)."""
    prop = metric.property
    if prop is None or isinstance(prop, str):
        named = {"name": prop, "type": "number", "resourceType": "events"} if prop else None
        return {"math": metric.math, "property": named, "stepIndex": metric.step_index}
    return {
        "math": metric.math, "property": measurement_property(prop),
        "stepIndex": metric.step_index,
    }  # fmt: skip


def retention_measurement(metric: RetentionMetric) -> dict[str, Any]:
    """The measurement of a retention metric."""
    out: dict[str, Any] = {"math": metric.math}
    if metric.property is not None:
        out["property"] = measurement_property(metric.property)
    if metric.bucket_index is not None:
        out["retentionBucketIndex"] = metric.bucket_index
    if metric.retention_cumulative:
        out["retentionCumulative"] = True
    return out


def behavior_metric_clause(
    metric: FunnelMetric | RetentionMetric, hidden: bool = False
) -> dict[str, Any]:
    """The `show` clause of a funnel or retention metric, named by its label."""
    if isinstance(metric, FunnelMetric):
        out = clause(funnel_metric_behavior(metric.behavior), funnel_measurement(metric), hidden)
    else:
        behavior = retention_metric_behavior(metric.behavior)
        out = clause(behavior, retention_measurement(metric), hidden)
    if metric.label:
        out["name"] = metric.label
    return out
