"""The rules a flows query's arguments must keep, each broken one collected with the peer's
code (`Problems`), so a `BookmarkValidationError` lists them all at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mixpanel_async.reports.arguments import CONTROL_CHARS, INVISIBLE_ONLY, ISO_DAY, is_int
from mixpanel_async.reports.flow_steps import MAX_DIRECTION, FlowStep
from mixpanel_async.reports.problems import Problems

MAX_CARDINALITY = 50
MAX_LAST_DAYS = 3650
_MAX_WINDOW = {"day": 366, "week": 52, "month": 12}
_MODES = ("sankey", "paths", "tree")
_COUNT_TYPES = ("unique", "total", "session")
_WINDOW_UNITS = ("day", "week", "month", "session")


def time_problems(
    problems: Problems, from_date: Any, to_date: Any, last: Any, default_last: int = 30
) -> None:
    """Check a report's time range (`from_date`/`to_date` or `last` days): formats, real
    calendar dates, order, and that `last` is not combined with dates."""
    if not is_int(last) or last <= 0:
        problems.add(
            "last", f"last must be a positive number of days (got {last!r})", "V7_LAST_POSITIVE"
        )
    for name, value in (("from_date", from_date), ("to_date", to_date)):
        if value is None:
            continue
        if not isinstance(value, str) or not ISO_DAY.match(value):
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
        and ISO_DAY.match(from_date)
        and ISO_DAY.match(to_date)
        and from_date > to_date
    ):
        problems.add(
            "from_date", f"from_date {from_date} comes after to_date {to_date}", "V15_DATE_ORDER"
        )
    if is_int(last) and last > MAX_LAST_DAYS:
        problems.add("last", f"last={last} is more than {MAX_LAST_DAYS} days", "V20_LAST_TOO_LARGE")


def _direction(problems: Problems, value: Any, name: str, path: str) -> None:
    if value is None:
        return
    if not is_int(value):
        problems.add(
            path,
            f"{name} must be an integer (got {type(value).__name__})",
            f"FL_TYPE_{name.upper()}",
        )
    elif not 0 <= value <= MAX_DIRECTION:
        code = "FL3_FORWARD_RANGE" if name == "forward" else "FL4_REVERSE_RANGE"
        problems.add(path, f"{name}={value} is outside 0..{MAX_DIRECTION}", code)


def step_problems(
    steps: list[FlowStep], forward: Any, reverse: Any, hidden_events: Any
) -> Problems:
    """The rules of the steps themselves: `forward`/`reverse` types and ranges, each step's
    `filters_combinator`, control characters in a step filter's property, `hidden_events`."""
    problems = Problems()
    for name, value in (("forward", forward), ("reverse", reverse)):
        if not is_int(value):
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
    for i, step in enumerate(steps):
        for j, condition in enumerate(step.filters or []):
            prop = getattr(condition, "_property", None)
            if isinstance(prop, str) and CONTROL_CHARS.search(prop):
                problems.add(
                    f"steps[{i}].filters[{j}]",
                    f"the filter's property name has control characters in it: {prop!r}",
                    "FL_FILTER_CONTROL_CHAR",
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


def argument_problems(
    steps: list[FlowStep],
    *,
    count_type: Any,
    mode: Any,
    cardinality: Any,
    window: Any,
    unit: Any,
    data_group_id: Any,
) -> Problems:
    """The rules of the query's settings: anchors, direction, cardinality, window, enums,
    session counting, data group."""
    problems = Problems()
    if data_group_id is not None and (not is_int(data_group_id) or data_group_id <= 0):
        problems.add(
            "data_group_id",
            f"data_group_id must be a positive integer (got {data_group_id!r})",
            "DG1_INVALID_DATA_GROUP_ID",
        )
    if not steps:
        problems.add("steps", "a flow needs at least one anchor event", "FL1_EMPTY_STEPS")
    for i, step in enumerate(steps):
        if INVISIBLE_ONLY.match(step.event):
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
    if not is_int(cardinality) or not 1 <= cardinality <= MAX_CARDINALITY:
        problems.add(
            "cardinality",
            f"cardinality must lie in 1..{MAX_CARDINALITY} (got {cardinality!r})",
            "FL6_CARDINALITY_RANGE",
        )
    if not is_int(window) or window <= 0:
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
