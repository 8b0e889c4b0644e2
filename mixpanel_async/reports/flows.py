"""Flows reports as bookmark JSON: `FlowStep`, `build_flow_params` (pure, checked before any
request) and the mode a params dict runs in.

The JSON is what Mixpanel's Flows editor saves (and what the peer library writes): a flat dict
with `steps`, `date_range`, `chartType`, `flows_merge_type`, `count_type`, ... Typed blocks plug
in as in the seed: `where` takes `Filter`s (cohort membership becomes `filter_by_cohort`, the
rest `filter_by_event`), `FlowStep.filters` takes `Filter`s (step filter entries), and
`segments` takes property names, `GroupBy`, `CohortBreakdown` and `FrequencyBreakdown`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypedDict

import attrs

from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.reports import checks, filter_forms
from mixpanel_async.reports.breakdowns import CohortBreakdown, FrequencyBreakdown, GroupBy
from mixpanel_async.reports.filters import Filter
from mixpanel_async.reports.flow_checks import argument_problems, step_problems, time_problems
from mixpanel_async.reports.flow_steps import FlowStep
from mixpanel_async.reports.literals import (
    FlowChartType,
    FlowConversionWindowUnit,
    FlowCountType,
)
from mixpanel_async.reports.sections import group_section

__all__ = ["FlowQuery", "FlowStep", "build_flow_params", "flow_mode"]

FlowMode = FlowChartType
FlowWindowUnit = FlowConversionWindowUnit

_MODE_OF_MERGE_TYPE = {"tree": "tree", "list": "paths", "graph": "sankey"}
_MODE_OF_CHART_TYPE = {"sankey": "sankey", "top-paths": "paths", "paths": "paths", "tree": "tree"}
QUERY_TYPE: dict[str, Literal["flows_sankey", "flows_top_paths", "flows"]] = {
    "sankey": "flows_sankey",
    "paths": "flows_top_paths",
    "tree": "flows",
}
"""The `/arb_funnels` `query_type` each mode runs as."""


FlowBreakdown = str | GroupBy | CohortBreakdown | FrequencyBreakdown
Segments = FlowBreakdown | list[FlowBreakdown] | None
"""Flow breakdowns: property names, `GroupBy`, `CohortBreakdown`, `FrequencyBreakdown`."""


class FlowQuery(TypedDict, total=False):
    """The keywords of `query_flow` / `build_flow_params` after the anchor event (see
    `build_flow_params` for each; the seed's defaults apply to those left out)."""

    forward: int
    reverse: int
    from_date: str | None
    to_date: str | None
    last: int
    conversion_window: int
    conversion_window_unit: FlowWindowUnit
    count_type: FlowCountType
    cardinality: int
    collapse_repeated: bool
    hidden_events: list[str] | None
    mode: FlowMode
    where: Filter | list[Filter] | None
    data_group_id: int | None
    segments: Segments
    exclusions: list[str] | None


def _steps(event: str | FlowStep | Sequence[str | FlowStep]) -> list[FlowStep]:
    items: Sequence[str | FlowStep]
    items = [event] if isinstance(event, (str, FlowStep)) else list(event)
    return [FlowStep(item) if isinstance(item, str) else item for item in items]


def _segments(segments: Any) -> list[dict[str, Any]]:
    entries = segments if isinstance(segments, list | tuple) else [segments]
    for entry in entries:
        if not isinstance(entry, str | GroupBy | CohortBreakdown | FrequencyBreakdown):
            raise ParamValidationError(
                "segments takes property names, GroupBy, CohortBreakdown or FrequencyBreakdown "
                f"(got {type(entry).__name__})",
                param="segments",
                code="BB1_GROUP_BY_ELEMENT_TYPE",
            )
    return group_section(list(entries))


def _conditions(value: Any, path: str) -> list[Filter]:
    found = [] if value is None else value if isinstance(value, list | tuple) else [value]
    for i, entry in enumerate(found):
        if not isinstance(entry, Filter):
            raise ParamValidationError(
                f"{path}[{i}] must be a Filter (got {type(entry).__name__})",
                param=path,
                code="FL_FILTER_TYPE",
            )
    return list(found)


def _property_names(*groups: list[Filter]) -> None:
    """Flows filter by property names only: refuse a custom property."""
    for group in groups:
        for condition in group:
            if not isinstance(condition._property, str):
                raise ParamValidationError(
                    "flows filter by property names only, not by custom properties "
                    f"(got {type(condition._property).__name__})",
                    param="where",
                    code="BB3_FLOW_PROPERTY_FILTER_TYPE",
                )


def _step_json(step: FlowStep) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "event": step.event,
        "step_label": step.label or step.event,
        "forward": step.forward or 0,
        "reverse": step.reverse or 0,
        "bool_op": "or" if step.filters_combinator == "any" else "and",
        "property_filter_params_list": [filter_forms.step_filter(f) for f in step.filters or []],
    }
    if step.session_event is not None:
        entry["session_event"] = step.session_event
    return entry


def _where(where: list[Filter]) -> dict[str, Any]:
    """`filter_by_cohort` from the cohort conditions, `filter_by_event` from the others."""
    cohorts = [f for f in where if filter_forms.is_cohort_filter(f)]
    others = [f for f in where if not filter_forms.is_cohort_filter(f)]
    found: dict[str, Any] = {}
    if cohorts:
        found["filter_by_cohort"] = filter_forms.flow_cohort_filter(cohorts)
    if others:
        found["filter_by_event"] = filter_forms.flow_event_filter(others)
    return found


def _date_range(from_date: str | None, to_date: str | None, last: int) -> dict[str, Any]:
    if from_date is not None and to_date is not None:
        return {"type": "between", "from_date": from_date, "to_date": to_date}
    return {"type": "in the last", "from_date": {"unit": "day", "value": last}, "to_date": "$now"}


def build_flow_params(
    event: str | FlowStep | Sequence[str | FlowStep],
    *,
    forward: int = 3,
    reverse: int = 0,
    from_date: str | None = None,
    to_date: str | None = None,
    last: int = 30,
    conversion_window: int = 7,
    conversion_window_unit: FlowWindowUnit = "day",
    count_type: FlowCountType = "unique",
    cardinality: int = 3,
    collapse_repeated: bool = False,
    hidden_events: list[str] | None = None,
    mode: FlowMode = "sankey",
    where: Filter | list[Filter] | None = None,
    data_group_id: int | None = None,
    segments: Segments = None,
    exclusions: list[str] | None = None,
) -> dict[str, Any]:
    """A flows report's bookmark params from keyword arguments, checked (no request).

    Args mirror `AsyncWorkspace.query_flow`: `where` takes `Filter`s (one cohort membership
    at most, as `filter_by_cohort`; the others all required, as `filter_by_event`), and
    `segments` property names, `GroupBy`, `CohortBreakdown` or `FrequencyBreakdown`.

    Returns:
        The flat flows bookmark dict (`steps`, `date_range`, `chartType`, `flows_merge_type`,
        ...), as Mixpanel stores a saved flows report.

    Raises:
        ParamValidationError: a malformed `FlowStep`, a filter that is not a `Filter`, a
            segment of another type, a filter the flows form cannot express (`SG*`), two
            cohort filters (`BB5`).
        BookmarkValidationError: every broken rule (ranges, enums, dates, session windows)
            at once, listed in `details["errors"]` with the peer's codes.
    """
    steps = [
        attrs.evolve(
            step,
            forward=forward if step.forward is None else step.forward,
            reverse=reverse if step.reverse is None else step.reverse,
        )
        for step in _steps(event)
    ]
    for i, step in enumerate(steps):
        _conditions(step.filters, f"steps[{i}].filters")
    conditions = _conditions(where, "where")
    step_problems(steps, forward, reverse, hidden_events).raise_any()
    if from_date is not None and to_date is None:
        to_date = dt.date.today().isoformat()
    problems = argument_problems(
        steps,
        count_type=count_type,
        mode=mode,
        cardinality=cardinality,
        window=conversion_window,
        unit=conversion_window_unit,
        data_group_id=data_group_id,
    )
    time_problems(problems, from_date, to_date, last)
    for found in checks.custom_properties(where=conditions, steps=steps):
        problems.add(*found)
    problems.raise_any()
    _property_names(conditions, *(step.filters or [] for step in steps))
    params: dict[str, Any] = {
        "steps": [_step_json(step) for step in steps],
        "date_range": _date_range(from_date, to_date, last),
        "chartType": "top-paths" if mode == "paths" else "sankey",
        "flows_merge_type": {"tree": "tree", "paths": "list"}.get(mode, "graph"),
        "count_type": count_type,
        "cardinality_threshold": cardinality,
        "version": 2,
        "conversion_window": {"unit": conversion_window_unit, "value": conversion_window},
        "anchor_position": 1,
        "collapse_repeated": collapse_repeated,
        "show_custom_events": True,
        "hidden_events": hidden_events or [],
        "exclusions": [] if exclusions is None else exclusions,
    }
    if data_group_id is not None:
        params["data_group_id"] = data_group_id
    params.update(_where(conditions))
    if segments is not None:
        params["segments"] = _segments(segments)
    return params


def flow_mode(params: Mapping[str, Any]) -> FlowMode:
    """The mode a flows params dict runs in: its `flows_merge_type` when known, else its
    `chartType` (`top-paths`/`paths` → paths, `tree` → tree), else sankey."""
    merge = params.get("flows_merge_type")
    chart = params.get("chartType")
    found = _MODE_OF_MERGE_TYPE.get(merge) if isinstance(merge, str) else None
    if found is None and isinstance(chart, str):
        found = _MODE_OF_CHART_TYPE.get(chart)
    return "paths" if found == "paths" else "tree" if found == "tree" else "sankey"
