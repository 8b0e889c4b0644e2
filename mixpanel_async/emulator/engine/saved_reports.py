"""Saved funnel and retention reports (bookmarks) mapped onto the classic engines' arguments.

A bookmark's `params` is the Insights-style report JSON (`sections.show[].behavior`,
`sections.time[]`) that Mixpanel's UI and the peer library's `build_funnel_params` /
`build_retention_params` write. The emulator runs what the classic engines can compute: event
steps with their own filters, a conversion window, a birth-aligned retention curve, a date
range, the report's filters (`sections.filter` and the metric's `filter`, applied to every
step) and one breakdown (`sections.group`, as the engines' `on`). People properties, cohorts
and frequencies in filters and breakdowns read per-user values, which the routes provide (see
`engine.people`). Anything it would otherwise silently drop (several breakdowns, exclusions,
aggregation by a group, custom buckets, any-order funnels) is a ValueError, which the routes
answer with a 400.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from mixpanel_async.emulator.engine import filters, insights_params, user_keys
from mixpanel_async.emulator.engine.expressions import Node, Property
from mixpanel_async.emulator.engine.params import (
    DAYS_PER_UNIT,
    in_order,
    listing,
    mapping,
    whole,
)

UNSUPPORTED = "{what} in a saved {kind} report is not supported by the emulator"
NOT_KIND = "bookmark {bookmark_id} is not a saved {kind} report"


def _sections(params: Any) -> Mapping[str, Any]:
    return mapping(mapping(params, "params").get("sections"), "sections")


def behavior(params: Mapping[str, Any], kind: str) -> Mapping[str, Any]:
    """The report's one `kind` behavior (`funnel` or `retention`), checked for what the
    emulator cannot compute."""
    sections = _sections(params)
    found = [
        item["behavior"]
        for item in listing(sections.get("show"), "sections.show")
        if isinstance(item, Mapping)
        and isinstance(item.get("behavior"), Mapping)
        and item["behavior"].get("type") == kind
    ]
    if len(found) != 1:
        raise ValueError(f"a saved {kind} report needs exactly one {kind} metric")
    chosen: Mapping[str, Any] = found[0]
    for what, value in (
        ("an exclusion", chosen.get("exclusions")),
        ("an aggregation", chosen.get("aggregateBy")),
    ):
        if value:
            raise ValueError(UNSUPPORTED.format(what=what, kind=kind))
    return chosen


def report_filter(params: Mapping[str, Any], chosen: Mapping[str, Any]) -> Node | None:
    """The filters every step's events must pass: the report's and the metric's own."""
    sections = _sections(params)
    both = filters.both(
        filters.combine(sections.get("filter"), sections.get("filterDeterminer", "all")),
        filters.combine(chosen.get("filter")),
    )
    return filters.both(both, user_keys.segment_filter(_groups(params)))


def _groups(params: Mapping[str, Any]) -> tuple[str, ...]:
    """The report's breakdowns, as `insights_params.group_property` names them."""
    groups = _sections(params).get("group") or []
    if not isinstance(groups, list):
        raise ValueError(f"sections.group must be a list, got {groups!r}")
    return tuple(insights_params.group_property(group) for group in groups)


def breakdown(params: Mapping[str, Any], kind: str) -> Node | None:
    """The report's breakdown as the engines' `on` (at most one property)."""
    groups = _groups(params)
    if len(groups) > 1:
        raise ValueError(UNSUPPORTED.format(what="more than one breakdown", kind=kind))
    return Property(groups[0]) if groups else None


def _events(chosen: Mapping[str, Any], kind: str) -> list[tuple[str, Node | None]]:
    """The steps: each event name with its own filters."""
    steps = []
    for step in listing(chosen.get("behaviors"), f"the {kind} metric's behaviors"):
        if not isinstance(step, Mapping) or step.get("type", "event") != "event":
            raise ValueError(UNSUPPORTED.format(what="a non-event step", kind=kind))
        if not isinstance(step.get("name"), str) or not step["name"]:
            raise ValueError(f"a step of the saved {kind} report has no event name")
        where = filters.combine(step.get("filters"), step.get("filtersDeterminer", "all"))
        steps.append((step["name"], where))
    return steps


def funnel_spec(params: Mapping[str, Any]) -> dict[str, Any]:
    """`{steps, length, length_unit}` for the `/funnels` route (as a saved funnel carries),
    plus the report's `where`, `on` and per-step `step_where` as expression trees.

    Raises:
        ValueError: not a loose-order event funnel the emulator can compute.
    """
    chosen = behavior(params, "funnel")
    if chosen.get("funnelOrder", "loose") != "loose":
        raise ValueError(UNSUPPORTED.format(what="an any-order funnel", kind="funnel"))
    named = _events(chosen, "funnel")
    if any(
        isinstance(step, Mapping) and step.get("funnelOrder", "loose") != "loose"
        for step in listing(chosen.get("behaviors"), "the funnel metric's behaviors")
    ):
        raise ValueError(UNSUPPORTED.format(what="an any-order step", kind="funnel"))
    steps = [name for name, _ in named]
    if len(steps) < 2:
        raise ValueError("a saved funnel report needs at least two steps")
    duration = chosen.get("conversionWindowDuration")
    length = 30 if duration is None else whole(duration, "conversionWindowDuration", 1, 366)
    unit = chosen.get("conversionWindowUnit") or "day"
    if not isinstance(unit, str):
        raise ValueError(f"conversionWindowUnit must be a string, got {unit!r}")
    if unit in DAYS_PER_UNIT:  # the funnel engine counts days and finer
        length, unit = length * DAYS_PER_UNIT[unit], "day"
    if unit not in ("day", "hour", "minute", "second"):
        raise ValueError(UNSUPPORTED.format(what=f"a {unit} conversion window", kind="funnel"))
    return {
        "steps": steps,
        "length": length,
        "length_unit": unit,
        "where": report_filter(params, chosen),
        "on": breakdown(params, "funnel"),
        "step_where": [where for _, where in named],
    }


def date_range(params: Mapping[str, Any], today: dt.date) -> tuple[dt.date, dt.date]:
    """The report's saved range, read as an Insights report reads it (`between` two dates,
    `since` one, or `in the last` N units up to today)."""
    first, last, _ = insights_params.date_range(_sections(params).get("time"), today)
    return first, last


def retention_spec(params: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """Keyword arguments of `engine.retention.retention` (all but the frame and timezone):
    born at the first step, returning with the second (any event when there is none), one
    `retentionUnit` per interval, as many intervals as the range spans; the report's filters
    apply to both, each step's own filters to it, its breakdown segments the returns.

    Raises:
        ValueError: not a birth-aligned event retention the emulator can compute.
    """
    chosen = behavior(params, "retention")
    named = _events(chosen, "retention")
    if not 1 <= len(named) <= 2:
        raise ValueError("a saved retention report needs a birth and a return event")
    if chosen.get("retentionAlignmentType", "birth") != "birth":
        raise ValueError(UNSUPPORTED.format(what="an interval-start alignment", kind="retention"))
    if chosen.get("retentionCustomBucketSizes"):
        raise ValueError(UNSUPPORTED.format(what="custom buckets", kind="retention"))
    unit = chosen.get("retentionUnit") or "week"
    if not isinstance(unit, str) or unit not in DAYS_PER_UNIT:
        raise ValueError(UNSUPPORTED.format(what=f"a {unit} retention unit", kind="retention"))
    first, last = in_order(*date_range(params, today))
    span = (last - first).days + 1
    shared = report_filter(params, chosen)
    born_where = filters.both(shared, named[0][1])
    where = filters.both(shared, named[1][1] if len(named) > 1 else None)
    return {
        "from_date": first,
        "to_date": last,
        "retention_type": "birth",
        "born_event": named[0][0],
        "event": named[1][0] if len(named) > 1 else None,
        "born_where": born_where,
        "where": where,
        "on": breakdown(params, "retention"),
        "unit": unit,
        "interval": 1,
        "interval_count": max(1, math.ceil(span / DAYS_PER_UNIT[unit])),
    }
