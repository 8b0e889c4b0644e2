"""Funnel bookmark params from typed arguments: `funnel_params()` behind
`AsyncWorkspace.build_funnel_params()` and `query_funnel()`. Every argument is checked first
(all problems in one `BookmarkValidationError`); then the same JSON as the peer's
`build_funnel_params` is built: one `funnel` metric over the steps, and the shared sections."""

from __future__ import annotations

from typing import Any, TypedDict

from mixpanel_async.reports import checks
from mixpanel_async.reports.behaviors import FunnelStep
from mixpanel_async.reports.breakdowns import TimeComparison
from mixpanel_async.reports.checks import Problem
from mixpanel_async.reports.literals import (
    ConversionWindowUnit,
    FunnelMathType,
    FunnelMode,
    FunnelOrder,
    FunnelReentryMode,
    QueryTimeUnit,
    values,
)
from mixpanel_async.reports.metrics import (
    MATH_NEEDS_PROPERTY,
    MATH_PROPERTY_OPTIONAL,
    Exclusion,
    HoldingConstant,
    clause,
    step_behavior,
)
from mixpanel_async.reports.sections import StepGroupBy, StepWhere, as_list, assemble

MAX_STEPS = 100
MAX_HELD = 3
MAX_WINDOW = {
    "second": 31_708_800, "minute": 528_480, "hour": 8808, "day": 367, "week": 52,
    "month": 12, "session": 12,
}  # fmt: skip
"""The longest conversion window per unit (about 366 days each)."""
SESSION_MATH = frozenset({"conversion_rate_session"})
CHART_TYPES = {"steps": "funnel-steps", "trends": "line", "table": "table"}

HeldArg = str | HoldingConstant | list[str | HoldingConstant] | None
"""`holding_constant` of a funnel query: property names or `HoldingConstant`s."""


class FunnelQuery(TypedDict, total=False):
    """The keywords of `query_funnel()` / `build_funnel_params()` after `steps` (see
    `query_funnel()` for each; `funnel_params` gives those left out the seed's defaults)."""

    conversion_window: int
    conversion_window_unit: ConversionWindowUnit
    order: FunnelOrder
    from_date: str | None
    to_date: str | None
    last: int
    unit: QueryTimeUnit
    math: FunnelMathType
    math_property: str | None
    group_by: StepGroupBy
    where: StepWhere
    exclusions: list[str | Exclusion] | None
    holding_constant: HeldArg
    mode: FunnelMode
    reentry_mode: FunnelReentryMode | None
    time_comparison: TimeComparison | None
    data_group_id: int | None


def _step_problems(steps: Any) -> list[Problem]:
    if not isinstance(steps, list | tuple):
        return [
            Problem(
                "steps",
                f"must be a list of event names or FunnelStep, got {type(steps).__name__}",
                "F1_MIN_STEPS",
            )
        ]
    found: list[Problem] = []
    if len(steps) < 2:
        found.append(
            Problem("steps", f"a funnel needs at least 2 steps, got {len(steps)}", "F1_MIN_STEPS")
        )
    if len(steps) > MAX_STEPS:
        found.append(
            Problem("steps", f"at most {MAX_STEPS} steps, got {len(steps)}", "F1_MAX_STEPS")
        )
    for i, step in enumerate(steps):
        name = step.event if isinstance(step, FunnelStep) else step
        found += checks.event_name(name, f"steps[{i}]", "F2_EMPTY_STEP_EVENT", "F2", "STEP_EVENT")
    return found


def _window_problems(window: Any, unit: Any) -> list[Problem]:
    found = checks.one_of(
        unit, values(ConversionWindowUnit), "conversion_window_unit", "F7_INVALID_WINDOW_UNIT"
    )
    if isinstance(window, bool) or not isinstance(window, int):
        why = f"must be an integer, got {type(window).__name__}"
        return [*found, Problem("conversion_window", why, "F3_CONVERSION_WINDOW_TYPE")]
    if window <= 0:
        found.append(
            Problem(
                "conversion_window",
                f"must be positive, got {window}",
                "F3_CONVERSION_WINDOW_POSITIVE",
            )
        )
    elif unit in MAX_WINDOW and window > MAX_WINDOW[unit]:
        found.append(
            Problem(
                "conversion_window",
                f"{window} is more than {MAX_WINDOW[unit]} {unit}s",
                "F3_CONVERSION_WINDOW_MAX",
            )
        )
    if unit == "second" and window == 1:
        found.append(
            Problem(
                "conversion_window", "a window in seconds is at least 2", "F7_SECOND_MIN_WINDOW"
            )
        )
    return found


def session_problems(window: Any, unit: Any, math: Any) -> list[Problem]:
    """Session math needs a session window, and a session window is 1 (a number)."""
    if isinstance(window, bool) or not isinstance(window, int):
        return []
    found: list[Problem] = []
    if math in SESSION_MATH and unit != "session":
        found.append(
            Problem(
                "math",
                f"math={math!r} needs conversion_window_unit='session'",
                "F9_SESSION_MATH_REQUIRES_SESSION_WINDOW",
            )
        )
    if unit == "session" and math not in SESSION_MATH and window != 1:
        found.append(
            Problem(
                "conversion_window",
                "a session window is conversion_window=1",
                "F9_SESSION_WINDOW_REQUIRES_ONE",
            )
        )
    return found


def behavior_problems(
    steps: Any, window: Any, unit: Any, exclusions: Any, held: list[Any], reentry_mode: Any
) -> list[Problem]:
    """What is wrong with a funnel's steps, window, exclusions, held properties and reentry
    mode (the rules F1-F4, F7, F8, F12)."""
    found = _step_problems(steps)
    found += _window_problems(window, unit)
    found += _exclusion_problems(exclusions, len(steps) if isinstance(steps, list | tuple) else 0)
    found += _held_problems(held)
    if reentry_mode is not None:
        found += checks.one_of(
            reentry_mode, values(FunnelReentryMode), "reentry_mode", "F12_INVALID_REENTRY_MODE"
        )
    return found


def _math_problems(math: Any, math_property: Any) -> list[Problem]:
    found = checks.one_of(math, values(FunnelMathType), "math", "B9_INVALID_MATH")
    if math in MATH_NEEDS_PROPERTY and math_property is None:
        found.append(
            Problem(
                "math_property",
                f"math={math!r} aggregates a numeric property: set math_property",
                "F10_MATH_MISSING_PROPERTY",
            )
        )
    if math not in MATH_NEEDS_PROPERTY | MATH_PROPERTY_OPTIONAL and math_property is not None:
        found.append(
            Problem(
                "math_property",
                f"math={math!r} takes no math_property",
                "F11_MATH_REJECTS_PROPERTY",
            )
        )
    return found


def _exclusion_problems(exclusions: Any, count: int) -> list[Problem]:
    if exclusions is None:
        return []
    if not isinstance(exclusions, list | tuple):
        return [
            Problem(
                "exclusions",
                f"must be a list of event names or Exclusion, got {type(exclusions).__name__}",
                "F4_EMPTY_EXCLUSION_EVENT",
            )
        ]
    found: list[Problem] = []
    for i, item in enumerate(exclusions):
        path = f"exclusions[{i}]"
        if not isinstance(item, Exclusion):
            found += checks.event_name(item, path, "F4_EMPTY_EXCLUSION_EVENT", "F4", "EXCLUSION")
            continue
        start, end = item.from_step, item.to_step
        if end is not None and end <= start:
            found.append(
                Problem(
                    path,
                    f"to_step {end} must come after from_step {start}",
                    "F4_EXCLUSION_STEP_ORDER",
                )
            )
        for name, step in (("to_step", end), ("from_step", start)):
            if step is not None and step >= count:
                found.append(
                    Problem(
                        path,
                        f"{name} {step} is beyond the {count} steps",
                        "F4_EXCLUSION_STEP_BOUNDS",
                    )
                )
    return found


def _held_problems(held: list[Any]) -> list[Problem]:
    found: list[Problem] = []
    for i, item in enumerate(held):
        name = item.property if isinstance(item, HoldingConstant) else item
        if not isinstance(name, str) or not name.strip():
            found.append(
                Problem(
                    f"holding_constant[{i}]",
                    f"must be a property name or HoldingConstant, got {item!r}",
                    "F8_EMPTY_HOLDING_CONSTANT_PROPERTY",
                )
            )
    if len(held) > MAX_HELD:
        found.append(
            Problem(
                "holding_constant",
                f"at most {MAX_HELD} properties, got {len(held)}",
                "F8_MAX_HOLDING_CONSTANT",
            )
        )
    return found


def _step_entry(step: FunnelStep, order: str) -> dict[str, Any]:
    entry = step_behavior(step.event, step.filters, step.filters_combinator)
    entry["funnelOrder"] = step.order if step.order is not None else order
    if step.label is not None:
        entry["renamed"] = step.label
    return entry


def funnel_behavior(
    steps: list[FunnelStep], *, window: int, window_unit: str, order: str,
    exclusions: list[Exclusion], held: list[HoldingConstant], reentry_mode: str | None,
) -> dict[str, Any]:  # fmt: skip
    """The `funnel` behavior: the steps, the window, the order, exclusions (1-based step
    ranges, an open end meaning the last step) and the properties held constant."""
    behavior: dict[str, Any] = {
        "type": "funnel",
        "resourceType": "events",
        "behaviors": [_step_entry(step, order) for step in steps],
        "conversionWindowDuration": window,
        "conversionWindowUnit": window_unit,
        "funnelOrder": order,
        "exclusions": [
            {
                "event": ex.event,
                "steps": {
                    "from": ex.from_step + 1,
                    "to": len(steps) if ex.to_step is None else ex.to_step + 1,
                },
            }
            for ex in exclusions
        ],
        "aggregateBy": [{"value": h.property, "resourceType": h.resource_type} for h in held],
        "filter": [],
    }
    if reentry_mode is not None:
        behavior["funnelReentryMode"] = reentry_mode
    return behavior


def funnel_params(
    steps: list[str | FunnelStep], *, conversion_window: int = 14,
    conversion_window_unit: ConversionWindowUnit = "day", order: FunnelOrder = "loose",
    from_date: str | None = None, to_date: str | None = None, last: int = 30,
    unit: QueryTimeUnit = "day", math: FunnelMathType = "conversion_rate_unique",
    math_property: str | None = None, group_by: StepGroupBy = None, where: StepWhere = None,
    exclusions: list[str | Exclusion] | None = None, holding_constant: HeldArg = None,
    mode: FunnelMode = "steps", reentry_mode: FunnelReentryMode | None = None,
    time_comparison: TimeComparison | None = None, data_group_id: int | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Check the arguments of `build_funnel_params()` and build its bookmark params. The
    keywords are `FunnelQuery`'s; these are their defaults."""
    checks.raise_problems(checks.where_type(where))
    held_items = as_list(holding_constant)
    found = checks.data_group(data_group_id)
    found += behavior_problems(
        steps, conversion_window, conversion_window_unit, exclusions, held_items, reentry_mode
    )
    found += session_problems(conversion_window, conversion_window_unit, math)
    found += _math_problems(math, math_property)
    found += checks.window(from_date, to_date, last)
    found += checks.breakdowns(group_by)
    found += checks.custom_properties(where=where, steps=as_list(steps))
    found += checks.one_of(order, values(FunnelOrder), "order", "F_INVALID_ORDER")
    found += checks.one_of(unit, values(QueryTimeUnit), "unit", "B12_INVALID_TIME_UNIT")
    found += checks.one_of(mode, values(FunnelMode), "mode", "B5_INVALID_CHART_TYPE")
    checks.raise_problems(found)
    behavior = funnel_behavior(
        [s if isinstance(s, FunnelStep) else FunnelStep(s) for s in steps],
        window=conversion_window, window_unit=conversion_window_unit, order=order,
        exclusions=[e if isinstance(e, Exclusion) else Exclusion(e) for e in exclusions or []],
        held=[h if isinstance(h, HoldingConstant) else HoldingConstant(h) for h in held_items],
        reentry_mode=reentry_mode,
    )  # fmt: skip
    measure = {
        "math": math,
        "property": (
            {"name": math_property, "type": "number", "resourceType": "events"}
            if math_property
            else None
        ),
        "stepIndex": None,
    }
    return assemble(
        [clause(behavior, measure)], {"chartType": CHART_TYPES[mode]}, from_date=from_date,
        to_date=to_date, last=last, unit=unit, where=where, group_by=group_by,
        time_comparison_=time_comparison, data_group_id=data_group_id, formula=True,
    )  # fmt: skip
