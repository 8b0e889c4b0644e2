"""Saved funnel and retention reports (bookmarks) mapped onto the classic engines' arguments.

A bookmark's `params` is the Insights-style report JSON (`sections.show[].behavior`,
`sections.time[]`) that Mixpanel's UI and the peer library's `build_funnel_params` /
`build_retention_params` write. The emulator runs the part the classic engines can compute: plain
event steps, a conversion window, a birth-aligned retention curve, a date range. Anything it
would otherwise silently drop (filters, breakdowns, exclusions, custom buckets, any-order
funnels) is a ValueError, which the routes answer with a 400.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

UNSUPPORTED = "{what} in a saved {kind} report is not supported by the emulator"
NOT_KIND = "bookmark {bookmark_id} is not a {kind} report"
WINDOW_DAYS = {"week": 7, "month": 30}
"""Conversion windows in calendar units, as days (the funnel engine counts days and finer)."""
UNIT_DAYS = {"day": 1, "week": 7, "month": 30}


def _sections(params: Mapping[str, Any]) -> Mapping[str, Any]:
    sections = params.get("sections")
    return sections if isinstance(sections, Mapping) else {}


def behavior(params: Mapping[str, Any], kind: str) -> Mapping[str, Any]:
    """The report's one `kind` behavior (`funnel` or `retention`), checked to be plain."""
    sections = _sections(params)
    found = [
        item["behavior"]
        for item in sections.get("show") or []
        if isinstance(item, Mapping)
        and isinstance(item.get("behavior"), Mapping)
        and item["behavior"].get("type") == kind
    ]
    if len(found) != 1:
        raise ValueError(f"a saved {kind} report needs exactly one {kind} metric")
    chosen: Mapping[str, Any] = found[0]
    for what, value in (
        ("a filter", sections.get("filter")),
        ("a breakdown", sections.get("group")),
        ("a metric filter", chosen.get("filter")),
        ("an exclusion", chosen.get("exclusions")),
        ("an aggregation", chosen.get("aggregateBy")),
    ):
        if value:
            raise ValueError(UNSUPPORTED.format(what=what, kind=kind))
    return chosen


def _events(chosen: Mapping[str, Any], kind: str) -> list[str]:
    names = []
    for step in chosen.get("behaviors") or []:
        if not isinstance(step, Mapping) or step.get("type", "event") != "event":
            raise ValueError(UNSUPPORTED.format(what="a non-event step", kind=kind))
        if step.get("filters"):
            raise ValueError(UNSUPPORTED.format(what="a step filter", kind=kind))
        if not isinstance(step.get("name"), str) or not step["name"]:
            raise ValueError(f"a step of the saved {kind} report has no event name")
        names.append(step["name"])
    return names


def funnel_spec(params: Mapping[str, Any]) -> dict[str, Any]:
    """`{steps, length, length_unit}` for the `/funnels` route (as a saved funnel carries).

    Raises:
        ValueError: not a plain loose-order event funnel.
    """
    chosen = behavior(params, "funnel")
    if chosen.get("funnelOrder", "loose") != "loose":
        raise ValueError(UNSUPPORTED.format(what="an any-order funnel", kind="funnel"))
    steps = _events(chosen, "funnel")
    if len(steps) < 2:
        raise ValueError("a saved funnel report needs at least two steps")
    length = int(chosen.get("conversionWindowDuration") or 30)
    unit = str(chosen.get("conversionWindowUnit") or "day")
    if unit in WINDOW_DAYS:
        length, unit = length * WINDOW_DAYS[unit], "day"
    if unit not in ("day", "hour", "minute", "second"):
        raise ValueError(UNSUPPORTED.format(what=f"a {unit} conversion window", kind="funnel"))
    return {"steps": steps, "length": length, "length_unit": unit}


def date_range(params: Mapping[str, Any], today: dt.date) -> tuple[dt.date, dt.date]:
    """The report's saved range: `between` two dates, or `in the last` N units up to today."""
    times = _sections(params).get("time") or [{"dateRangeType": "in the last"}]
    saved = times[0] if isinstance(times[0], Mapping) else {}
    kind = saved.get("dateRangeType")
    if kind == "between":
        first, last = (dt.date.fromisoformat(str(v)[:10]) for v in saved["value"])
        return first, last
    if kind == "in the last":
        window = saved.get("window") or {}
        count = int(window.get("value", 30))
        days = count * UNIT_DAYS.get(str(window.get("unit", "day")), 1)
        return today - dt.timedelta(days=days), today
    raise ValueError(UNSUPPORTED.format(what=f"a {kind!r} date range", kind="retention"))


def retention_spec(params: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """Keyword arguments of `engine.retention.retention` (all but the frame and timezone):
    born at the first step, returning with the second (any event when there is none), one
    `retentionUnit` per interval, as many intervals as the range spans.

    Raises:
        ValueError: not a plain birth-aligned event retention.
    """
    chosen = behavior(params, "retention")
    events = _events(chosen, "retention")
    if not 1 <= len(events) <= 2:
        raise ValueError("a saved retention report needs a birth and a return event")
    if chosen.get("retentionAlignmentType", "birth") != "birth":
        raise ValueError(UNSUPPORTED.format(what="an interval-start alignment", kind="retention"))
    if chosen.get("retentionCustomBucketSizes"):
        raise ValueError(UNSUPPORTED.format(what="custom buckets", kind="retention"))
    unit = str(chosen.get("retentionUnit") or "week")
    if unit not in UNIT_DAYS:
        raise ValueError(UNSUPPORTED.format(what=f"a {unit} retention unit", kind="retention"))
    first, last = date_range(params, today)
    if first > last:
        raise ValueError(f"from_date ({first}) must not be after to_date ({last})")
    span = (last - first).days + 1
    return {
        "from_date": first,
        "to_date": last,
        "retention_type": "birth",
        "born_event": events[0],
        "event": events[1] if len(events) > 1 else None,
        "unit": unit,
        "interval": 1,
        "interval_count": max(1, math.ceil(span / UNIT_DAYS[unit])),
    }
