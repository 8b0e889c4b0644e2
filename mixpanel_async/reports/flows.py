"""Flows reports as bookmark JSON: `FlowStep`, `build_flow_params` (pure, checked before any
request) and the mode a params dict runs in.

The JSON is what Mixpanel's Flows editor saves (and what the peer library writes): a flat dict
with `steps`, `date_range`, `chartType`, `flows_merge_type`, `count_type`, ... Typed filters
(`Filter`) and breakdowns (`GroupBy`, ...) plug in through `where`, `FlowStep.filters` and
`segments`: until those types exist, the already-built wire dicts are accepted there (a
`filter_by_event` dict, `property_filter_params_list` entries, group entries) and a breakdown
may be a property name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypedDict

import attrs

from mixpanel_async.exceptions import BookmarkValidationError, ParamValidationError

FlowMode = Literal["sankey", "paths", "tree"]
FlowCountType = Literal["unique", "total", "session"]
FlowWindowUnit = Literal["day", "week", "month", "session"]

MAX_DIRECTION = 5
"""Most steps a flow traces forward (or backward) from an anchor."""
MAX_CARDINALITY = 50
MAX_LAST_DAYS = 3650
_MAX_WINDOW = {"day": 366, "week": 52, "month": 12}
_MODES = ("sankey", "paths", "tree")
_COUNT_TYPES = ("unique", "total", "session")
_WINDOW_UNITS = ("day", "week", "month", "session")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INVISIBLE = re.compile(r"^[\s\u200b\u200c\u200d\ufeff\u00ad\u2060]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MODE_OF_MERGE_TYPE = {"tree": "tree", "list": "paths", "graph": "sankey"}
_MODE_OF_CHART_TYPE = {"sankey": "sankey", "top-paths": "paths", "paths": "paths", "tree": "tree"}
QUERY_TYPE: dict[str, Literal["flows_sankey", "flows_top_paths", "flows"]] = {
    "sankey": "flows_sankey",
    "paths": "flows_top_paths",
    "tree": "flows",
}
"""The `/arb_funnels` `query_type` each mode runs as."""


Segments = str | Mapping[str, Any] | list[str | Mapping[str, Any]] | None
"""Flow breakdowns: property names, or group entries as the bookmark holds them."""


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
    where: Mapping[str, Any] | None
    data_group_id: int | None
    segments: Segments
    exclusions: list[str] | None


class Problems:
    """Collects every rule a set of arguments breaks, to report them all in one error."""

    def __init__(self) -> None:
        self.found: list[dict[str, str]] = []

    def add(self, path: str, message: str, code: str) -> None:
        """Record one broken rule: where (`forward`, `steps[1].reverse`), what, its code."""
        self.found.append({"path": path, "message": message, "code": code})

    def raise_any(self) -> None:
        """Raise `BookmarkValidationError` listing every problem (in `details["errors"]`,
        the first one's path in `details["param"]`), if there is one."""
        if not self.found:
            return
        text = "; ".join(f"{p['path']}: {p['message']}" for p in self.found)
        first = self.found[0]
        raise BookmarkValidationError(
            f"invalid arguments: {text}",
            code=first["code"],
            details={"param": first["path"], "errors": list(self.found)},
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _event_name(event: Any, owner: str) -> None:
    if not isinstance(event, str) or not event.strip():
        raise ParamValidationError(
            f"{owner}.event needs a non-empty event name", param="event", code="EV1_EMPTY_EVENT"
        )
    if _CONTROL.search(event):
        raise ParamValidationError(
            f"{owner}.event has control characters in it: {event!r}",
            param="event",
            code="EV2_CONTROL_CHAR_EVENT",
        )


@attrs.frozen
class FlowStep:
    """One anchor event of a flow, with its own settings.

    Attributes:
        event: The anchor's event name.
        forward: Steps traced after the anchor (0–5); None takes the query's `forward`.
        reverse: Steps traced before the anchor (0–5); None takes the query's `reverse`.
        label: Shown for the step; the event name when None.
        filters: Conditions on the anchor event's properties (each entry as the bookmark's
            `property_filter_params_list` holds it, until the typed `Filter` lands).
        filters_combinator: `"all"` (every filter) or `"any"` (at least one).
        session_event: `"start"` or `"end"` anchors on `$session_start` / `$session_end`.

    Raises:
        ParamValidationError: an empty event name or one with control characters,
            `forward`/`reverse` outside 0–5, a `session_event` whose event does not match.
    """

    event: str
    forward: int | None = None
    reverse: int | None = None
    label: str | None = None
    filters: list[Any] | None = None
    filters_combinator: Literal["all", "any"] = "all"
    session_event: Literal["start", "end"] | None = None

    def __attrs_post_init__(self) -> None:
        _event_name(self.event, "FlowStep")
        for name, code in (("forward", "FL3_FORWARD_RANGE"), ("reverse", "FL4_REVERSE_RANGE")):
            value = getattr(self, name)
            if _is_int(value) and not 0 <= value <= MAX_DIRECTION:
                raise ParamValidationError(
                    f"FlowStep.{name} is {value}; it must lie in 0..{MAX_DIRECTION}",
                    param=name,
                    code=code,
                )
        if self.session_event is not None:
            wanted = "$session_start" if self.session_event == "start" else "$session_end"
            if self.event != wanted:
                raise ParamValidationError(
                    f"FlowStep.session_event={self.session_event!r} anchors on {wanted!r}, "
                    f"not on {self.event!r}",
                    param="session_event",
                    code="FS1_SESSION_EVENT_MISMATCH",
                )


def time_problems(
    problems: Problems, from_date: Any, to_date: Any, last: Any, default_last: int = 30
) -> None:
    """Check a report's time range (`from_date`/`to_date` or `last` days): formats, real
    calendar dates, order, and that `last` is not combined with dates."""
    if not _is_int(last) or last <= 0:
        problems.add(
            "last", f"last must be a positive number of days (got {last!r})", "V7_LAST_POSITIVE"
        )
    for name, value in (("from_date", from_date), ("to_date", to_date)):
        if value is None:
            continue
        if not isinstance(value, str) or not _DATE.match(value):
            problems.add(
                name, f"{name} must look like YYYY-MM-DD (got {value!r})", "V8_DATE_FORMAT"
            )
            continue
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            problems.add(name, f"{name} {value!r} is not a day of the calendar", "V8_DATE_INVALID")
    if to_date is not None and from_date is None:
        problems.add("to_date", "to_date needs a from_date", "V9_TO_REQUIRES_FROM")
    if from_date is not None and last != default_last:
        problems.add(
            "last",
            f"last={last!r} and explicit dates exclude each other; give one of them",
            "V10_DATE_LAST_EXCLUSIVE",
        )
    if (
        isinstance(from_date, str)
        and isinstance(to_date, str)
        and _DATE.match(from_date)
        and _DATE.match(to_date)
        and from_date > to_date
    ):
        problems.add(
            "from_date", f"from_date {from_date} comes after to_date {to_date}", "V15_DATE_ORDER"
        )
    if _is_int(last) and last > MAX_LAST_DAYS:
        problems.add("last", f"last={last} is more than {MAX_LAST_DAYS} days", "V20_LAST_TOO_LARGE")


def _steps(event: str | FlowStep | Sequence[str | FlowStep]) -> list[FlowStep]:
    items: Sequence[str | FlowStep]
    items = [event] if isinstance(event, (str, FlowStep)) else list(event)
    return [FlowStep(item) if isinstance(item, str) else item for item in items]


def _direction(problems: Problems, value: Any, name: str, path: str) -> None:
    if value is None:
        return
    if not _is_int(value):
        problems.add(
            path,
            f"{name} must be an integer (got {type(value).__name__})",
            f"FL_TYPE_{name.upper()}",
        )
    elif not 0 <= value <= MAX_DIRECTION:
        code = "FL3_FORWARD_RANGE" if name == "forward" else "FL4_REVERSE_RANGE"
        problems.add(path, f"{name}={value} is outside 0..{MAX_DIRECTION}", code)


def _step_problems(
    steps: list[FlowStep], forward: Any, reverse: Any, hidden_events: Any
) -> Problems:
    problems = Problems()
    for name, value in (("forward", forward), ("reverse", reverse)):
        if not _is_int(value):
            problems.add(
                name,
                f"{name} must be an integer (got {type(value).__name__})",
                f"FL_TYPE_{name.upper()}",
            )
    for i, step in enumerate(steps):
        _direction(problems, step.forward, "forward", f"steps[{i}].forward")
        _direction(problems, step.reverse, "reverse", f"steps[{i}].reverse")
        if step.filters_combinator not in ("all", "any"):
            problems.add(
                f"steps[{i}].filters_combinator",
                f"filters_combinator is 'all' or 'any', not {step.filters_combinator!r}",
                "FL_INVALID_FILTERS_COMBINATOR",
            )
    for i, hidden in enumerate(hidden_events or []):
        if not isinstance(hidden, str):
            problems.add(
                f"hidden_events[{i}]",
                f"hidden events are event names (got {type(hidden).__name__})",
                "FL_INVALID_HIDDEN_EVENT_TYPE",
            )
    return problems


def _enum(problems: Problems, name: str, value: Any, allowed: tuple[str, ...], code: str) -> None:
    if value not in allowed:
        problems.add(name, f"{name} must be one of {', '.join(allowed)} (got {value!r})", code)


def _argument_problems(
    steps: list[FlowStep],
    *,
    count_type: Any,
    mode: Any,
    cardinality: Any,
    window: Any,
    unit: Any,
    data_group_id: Any,
) -> Problems:
    problems = Problems()
    if data_group_id is not None and (not _is_int(data_group_id) or data_group_id <= 0):
        problems.add(
            "data_group_id",
            f"data_group_id must be a positive integer (got {data_group_id!r})",
            "DG1_INVALID_DATA_GROUP_ID",
        )
    if not steps:
        problems.add("steps", "a flow needs at least one anchor event", "FL1_EMPTY_STEPS")
    for i, step in enumerate(steps):
        if _INVISIBLE.match(step.event):
            problems.add(
                f"steps[{i}]",
                "the event name is invisible characters only",
                "FL2_INVISIBLE_STEP_EVENT",
            )
    forward = max((step.forward or 0 for step in steps), default=0)
    reverse = max((step.reverse or 0 for step in steps), default=0)
    if forward + reverse == 0:
        problems.add(
            "forward", "forward and reverse are both 0; trace at least one step", "FL5_NO_DIRECTION"
        )
    if not _is_int(cardinality) or not 1 <= cardinality <= MAX_CARDINALITY:
        problems.add(
            "cardinality",
            f"cardinality must lie in 1..{MAX_CARDINALITY} (got {cardinality!r})",
            "FL6_CARDINALITY_RANGE",
        )
    if not _is_int(window) or window <= 0:
        problems.add(
            "conversion_window",
            f"conversion_window must be a positive integer (got {window!r})",
            "FL7_CONVERSION_WINDOW_POSITIVE",
        )
    elif unit in _MAX_WINDOW and window > _MAX_WINDOW[unit]:
        problems.add(
            "conversion_window",
            f"a window of {window} {unit}s is longer than the {_MAX_WINDOW[unit]} allowed",
            "FL7_CONVERSION_WINDOW_MAX",
        )
    _enum(problems, "count_type", count_type, _COUNT_TYPES, "FL_INVALID_COUNT_TYPE")
    _enum(problems, "mode", mode, _MODES, "FL_INVALID_MODE")
    _enum(problems, "conversion_window_unit", unit, _WINDOW_UNITS, "FL_INVALID_WINDOW_UNIT")
    if count_type == "session" and unit != "session":
        problems.add(
            "count_type",
            "count_type='session' needs conversion_window_unit='session'",
            "FL9_SESSION_REQUIRES_SESSION_WINDOW",
        )
    if unit == "session" and window != 1:
        problems.add(
            "conversion_window",
            "a session window is exactly 1 (conversion_window=1)",
            "FL10_SESSION_WINDOW_REQUIRES_ONE",
        )
    return problems


def _segment(entry: Any) -> dict[str, Any]:
    if isinstance(entry, str):
        return {"value": entry, "propertyName": entry, "resourceType": "events",
                "propertyType": "string", "propertyDefaultType": "string"}  # fmt: skip
    if isinstance(entry, Mapping):
        return dict(entry)
    raise ParamValidationError(
        f"segments takes property names or group entries (got {type(entry).__name__})",
        param="segments",
    )


def _filters(filters: list[Any] | None, path: str) -> list[dict[str, Any]]:
    out = []
    for entry in filters or []:
        if not isinstance(entry, Mapping):
            raise ParamValidationError(
                f"{path} takes filter entries as dicts for now (got {type(entry).__name__})",
                param=path,
            )
        out.append(dict(entry))
    return out


def _step_json(step: FlowStep, index: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "event": step.event,
        "step_label": step.label or step.event,
        "forward": step.forward or 0,
        "reverse": step.reverse or 0,
        "bool_op": "or" if step.filters_combinator == "any" else "and",
        "property_filter_params_list": _filters(step.filters, f"steps[{index}].filters"),
    }
    if step.session_event is not None:
        entry["session_event"] = step.session_event
    return entry


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
    where: Mapping[str, Any] | None = None,
    data_group_id: int | None = None,
    segments: Segments = None,
    exclusions: list[str] | None = None,
) -> dict[str, Any]:
    """A flows report's bookmark params from keyword arguments, checked (no request).

    Args mirror `AsyncWorkspace.query_flow`; `where` is, until the typed `Filter` lands, the
    bookmark's `filter_by_event` dict, and `segments` property names or group entries.

    Returns:
        The flat flows bookmark dict (`steps`, `date_range`, `chartType`, `flows_merge_type`,
        ...), as Mixpanel stores a saved flows report.

    Raises:
        ParamValidationError: a malformed `FlowStep` or an untyped filter/segment entry.
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
    _step_problems(steps, forward, reverse, hidden_events).raise_any()
    if from_date is not None and to_date is None:
        to_date = dt.date.today().isoformat()
    problems = _argument_problems(
        steps,
        count_type=count_type,
        mode=mode,
        cardinality=cardinality,
        window=conversion_window,
        unit=conversion_window_unit,
        data_group_id=data_group_id,
    )
    time_problems(problems, from_date, to_date, last)
    problems.raise_any()
    if where is not None and not isinstance(where, Mapping):
        raise ParamValidationError(
            f"where takes a filter_by_event dict for now (got {type(where).__name__})",
            param="where",
        )
    params: dict[str, Any] = {
        "steps": [_step_json(step, i) for i, step in enumerate(steps)],
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
    if where:
        params["filter_by_event"] = dict(where)
    if segments is not None:
        entries = segments if isinstance(segments, list) else [segments]
        params["segments"] = [_segment(entry) for entry in entries]
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
