"""Funnel metrics inside an Insights report, the parsing: a bookmark's params checked into a
`FunnelReport` (what `engine.insights_funnels` computes; its docstring says what is supported
and how each setting is read).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from mixpanel_async.emulator.engine import filters, funnels, insights_params, user_keys
from mixpanel_async.emulator.engine.expressions import Node
from mixpanel_async.emulator.engine.params import DAYS_PER_UNIT, listing, mapping, whole

UNSUPPORTED = filters.UNSUPPORTED
UNIQUE_MATHS = frozenset({"conversion_rate_unique", "unique"})
TOTAL_MATHS = frozenset({"conversion_rate_total", "total"})
SESSION_MATH = "conversion_rate_session"
_UNBOUNDED_MS = 100 * 366 * 86_400_000
"""The time bound of a session window, where the session alone bounds the steps."""


@attrs.frozen
class Step:
    """One funnel step: its event and the filter its events must pass (report's included)."""

    event: str
    where: Node | None


@attrs.frozen
class Exclusion:
    """An event that must not happen between two steps (0-based `first` < `last`)."""

    event: str
    first: int
    last: int


@attrs.frozen
class FunnelReport:
    """A parsed funnel metric and the report around it."""

    name: str
    steps: tuple[Step, ...]
    any_order: bool
    window_ms: int
    exclusions: tuple[Exclusion, ...]
    hold: tuple[str, ...]
    groups: tuple[str, ...]
    from_date: dt.date
    to_date: dt.date
    unit: str
    by_date: bool
    limit: int | None = None
    totals: bool = False
    """Count every pass through the funnel (see `journeys`), not every user once."""
    in_session: bool = False
    """A session conversion window: every later step in the entering event's session."""
    per_session: bool = False
    """`conversion_rate_session`: each session enters once, at its first step-1 event."""
    compare: insights_params.Comparison | None = None
    """`displayOptions.timeComparison`: the range the funnel is also computed over."""


def _window(behavior: Mapping[str, Any]) -> int | None:
    """The conversion window in milliseconds, None for one session."""
    duration = behavior.get("conversionWindowDuration")
    length = 14 if duration is None else whole(duration, "conversionWindowDuration", 1, 366)
    unit = behavior.get("conversionWindowUnit") or "day"
    if unit == "session":
        if length != 1:
            raise ValueError(UNSUPPORTED.format(what=f"a window of {length} sessions"))
        return None
    if not isinstance(unit, str):
        raise ValueError(f"conversionWindowUnit must be a string, got {unit!r}")
    if unit in ("week", "month"):
        length, unit = length * DAYS_PER_UNIT[unit], "day"
    return funnels.window_ms(length, unit)


def _order(behavior: Mapping[str, Any], items: list[Any]) -> bool:
    """Whether the funnel is any-order (every step must agree with the funnel's order)."""
    order = behavior.get("funnelOrder", "loose")
    if order not in ("loose", "any"):
        raise ValueError(UNSUPPORTED.format(what=f"the funnel order {order!r}"))
    for item in items:
        if isinstance(item, Mapping) and item.get("funnelOrder", order) != order:
            raise ValueError(UNSUPPORTED.format(what="steps with different orders"))
    return bool(order == "any")


def _steps(behavior: Mapping[str, Any], shared: Node | None) -> tuple[Step, ...]:
    items = listing(behavior.get("behaviors"), "the funnel metric's behaviors")
    steps = []
    for i, item in enumerate(items):
        item = mapping(item, f"behaviors[{i}]")
        if item.get("type", "event") != "event":
            raise ValueError(UNSUPPORTED.format(what=f"a {item.get('type')!r} funnel step"))
        name = item.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError(f"funnel step {i + 1} names no event")
        own = filters.combine(item.get("filters"), item.get("filtersDeterminer", "all"))
        steps.append(Step(name, filters.both(shared, own)))
    if len(steps) < 2:
        raise ValueError("a funnel metric needs at least two steps")
    return tuple(steps)


def _exclusions(behavior: Mapping[str, Any], count: int) -> tuple[Exclusion, ...]:
    out = []
    for i, item in enumerate(listing(behavior.get("exclusions"), "exclusions")):
        item = mapping(item, f"exclusions[{i}]")
        event = item.get("event")
        if not isinstance(event, str) or not event:
            raise ValueError(f"exclusions[{i}] names no event")
        span = mapping(item.get("steps"), f"exclusions[{i}].steps")
        first = whole(span.get("from", 1), f"exclusions[{i}].steps.from", 1, count)
        last = whole(span.get("to", count), f"exclusions[{i}].steps.to", 1, count)
        if first >= last:
            raise ValueError(f"exclusions[{i}].steps.from must come before steps.to")
        out.append(Exclusion(event, first - 1, last - 1))
    return tuple(out)


def _hold(behavior: Mapping[str, Any]) -> tuple[str, ...]:
    names = []
    for i, item in enumerate(listing(behavior.get("aggregateBy"), "aggregateBy")):
        item = mapping(item, f"aggregateBy[{i}]")
        resource = item.get("resourceType", "events")
        if resource not in ("events", "event", *user_keys.PEOPLE_RESOURCES):
            raise ValueError(UNSUPPORTED.format(what=f"holding a {resource} property constant"))
        name = item.get("value")
        if not isinstance(name, str) or not name:
            raise ValueError(f"aggregateBy[{i}] names no property")
        if resource in ("events", "event"):  # a people property is the same on every event
            names.append(name)
    return tuple(names)


def parse(params: Any, today: dt.date, limit: int | None = None) -> FunnelReport:
    """A funnel bookmark's params as a `FunnelReport`.

    Raises:
        ValueError: malformed params or a feature the emulator does not compute.
    """
    metric = insights_params.behavior_metric(params, "funnel")
    sections, behavior, measurement = metric.sections, metric.behavior, metric.measurement
    math = measurement.get("math", "conversion_rate_unique")
    if not isinstance(math, str) or math not in UNIQUE_MATHS | TOTAL_MATHS | {SESSION_MATH}:
        raise ValueError(UNSUPPORTED.format(what=f"the funnel math {math!r}"))
    window = _window(metric.behavior)
    if math == SESSION_MATH and window is not None:
        raise ValueError(f"the funnel math {SESSION_MATH!r} needs a session conversion window")
    if measurement.get("stepIndex") is not None:
        raise ValueError(UNSUPPORTED.format(what="a funnel measured at one step (stepIndex)"))
    reentry = behavior.get("funnelReentryMode")
    if reentry not in (None, "default"):
        raise ValueError(UNSUPPORTED.format(what=f"the funnel re-entry mode {reentry!r}"))
    chart = metric.display.get("chartType", "funnel-steps")
    if not isinstance(chart, str):
        raise ValueError(f"displayOptions.chartType must be a string, got {chart!r}")
    groups = tuple(
        insights_params.group_property(g) for g in listing(sections.get("group"), "group")
    )
    shared = filters.both(metric.where, user_keys.segment_filter(groups))
    any_order = _order(behavior, listing(behavior.get("behaviors"), "behaviors"))
    steps = _steps(behavior, shared)
    exclusions = _exclusions(behavior, len(steps))
    if any_order and exclusions:
        raise ValueError(UNSUPPORTED.format(what="an exclusion in an any-order funnel"))
    if any_order and len({s.event for s in steps[1:]}) < len(steps) - 1:
        raise ValueError(UNSUPPORTED.format(what="an any-order funnel repeating an event"))
    if window is None and exclusions:
        raise ValueError(UNSUPPORTED.format(what="an exclusion in a session-window funnel"))
    if window is None and math in TOTAL_MATHS:
        raise ValueError(UNSUPPORTED.format(what="total counting with a session window"))
    first, last, unit = insights_params.date_range(sections.get("time"), today)
    compare = metric.display.get("timeComparison")
    return FunnelReport(
        name=f"{steps[0].event} through {steps[-1].event}",
        steps=steps,
        any_order=any_order,
        window_ms=_UNBOUNDED_MS if window is None else window,
        exclusions=exclusions,
        hold=_hold(behavior),
        groups=groups,
        from_date=first,
        to_date=last,
        unit=unit,
        by_date=chart in insights_params.SERIES_CHARTS,
        limit=limit,
        totals=math in TOTAL_MATHS,
        in_session=window is None,
        per_session=math == SESSION_MATH,
        compare=insights_params.comparison(compare, first, last) if compare else None,
    )
