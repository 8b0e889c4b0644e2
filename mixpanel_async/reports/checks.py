"""Argument checks shared by the Insights, funnel and retention builders. Each returns the
problems it finds as `Problem`s (path, message, code); `raise_problems` turns them into one
`BookmarkValidationError` that names every offending argument."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from mixpanel_async.exceptions import BookmarkValidationError
from mixpanel_async.reports.arguments import CONTROL_CHARS, INVISIBLE_ONLY, ISO_DAY
from mixpanel_async.reports.behaviors import SimpleBehavior
from mixpanel_async.reports.breakdowns import FrequencyFilter, GroupBy
from mixpanel_async.reports.custom import custom_property_problems
from mixpanel_async.reports.filters import Filter
from mixpanel_async.reports.sections import as_list

MAX_LAST = 3650
"""The longest `last` window, in days (about ten years)."""


class Problem(NamedTuple):
    """One rejected argument: where (`path`), why, and the peer's error code."""

    path: str
    message: str
    code: str


def raise_problems(problems: Iterable[Problem]) -> None:
    """Raise `BookmarkValidationError` listing `problems`, if there are any."""
    found = list(problems)
    if found:
        text = "; ".join(f"{p.path}: {p.message}" for p in found)
        raise BookmarkValidationError(
            f"invalid report arguments — {text}",
            code=found[0].code,
            details={"errors": [p._asdict() for p in found]},
        )


def one_of(value: Any, allowed: Sequence[str], path: str, code: str) -> list[Problem]:
    """`value` must be one of `allowed`."""
    if value in allowed:
        return []
    return [Problem(path, f"{value!r} is not one of {', '.join(allowed)}", code)]


def data_group(data_group_id: Any) -> list[Problem]:
    """An optional data group id is a positive int."""
    if data_group_id is None:
        return []
    if isinstance(data_group_id, bool) or not isinstance(data_group_id, int) or data_group_id <= 0:
        return [
            Problem(
                "data_group_id",
                f"must be a positive integer, got {data_group_id!r}",
                "DG1_INVALID_DATA_GROUP_ID",
            )
        ]
    return []


def _day(text: str, path: str) -> list[Problem]:
    if not ISO_DAY.match(text):
        return [Problem(path, f"must be a YYYY-MM-DD date, got {text!r}", "V8_DATE_FORMAT")]
    try:
        import datetime as dt

        dt.date.fromisoformat(text)
    except ValueError:
        return [Problem(path, f"{text!r} is not a day of the calendar", "V8_DATE_INVALID")]
    return []


def window(from_date: str | None, to_date: str | None, last: int) -> list[Problem]:
    """The date window: `last` days (1..3650), or `from_date` (with an optional later
    `to_date`) and the default `last`."""
    found: list[Problem] = []
    if last <= 0:
        found.append(
            Problem("last", f"must be a positive number of days, got {last}", "V7_LAST_POSITIVE")
        )
    if from_date is not None:
        found += _day(from_date, "from_date")
    if to_date is not None:
        found += _day(to_date, "to_date")
        if from_date is None:
            found.append(Problem("to_date", "needs from_date as well", "V9_TO_REQUIRES_FROM"))
    if from_date is not None and last != 30:
        found.append(
            Problem(
                "last",
                f"last={last} cannot be combined with from_date/to_date",
                "V10_DATE_LAST_EXCLUSIVE",
            )
        )
    if (
        from_date is not None and to_date is not None and ISO_DAY.match(from_date)
        and ISO_DAY.match(to_date) and from_date > to_date
    ):  # fmt: skip
        found.append(
            Problem("from_date", f"{from_date} comes after to_date {to_date}", "V15_DATE_ORDER")
        )
    if last > MAX_LAST:
        found.append(
            Problem("last", f"last={last} is more than {MAX_LAST} days", "V20_LAST_TOO_LARGE")
        )
    return found


def breakdowns(group_by: Any) -> list[Problem]:
    """Each `GroupBy` of `group_by` is usable (finite, complete buckets on a number)."""
    groups = as_list(group_by)
    found: list[Problem] = []
    for i, group in enumerate(groups):
        if isinstance(group, GroupBy):
            found += [
                Problem(*p)
                for p in group.problems(f"group_by[{i}]" if len(groups) > 1 else "group_by")
            ]
    return found


def event_name(
    name: Any, path: str, code: str = "V17_EMPTY_EVENT", prefix: str = "V22", noun: str = "EVENT"
) -> list[Problem]:
    """An event name is non-blank, without control characters, not only invisible ones (the
    codes of the last two are `{prefix}_CONTROL_CHAR_{noun}` and `{prefix}_INVISIBLE_{noun}`)."""
    if not isinstance(name, str) or not name.strip():
        what = "one event, not several" if isinstance(name, list | tuple) else "an event name"
        return [Problem(path, f"must be {what}, got {name!r}", code)]
    found = []
    if CONTROL_CHARS.search(name):
        found.append(
            Problem(path, f"holds control characters: {name!r}", f"{prefix}_CONTROL_CHAR_{noun}")
        )
    if INVISIBLE_ONLY.match(name):
        found.append(Problem(path, "holds only invisible characters", f"{prefix}_INVISIBLE_{noun}"))
    return found


def _filter_properties(filters: Any, path: str, *, single: bool = False) -> list[Problem]:
    found: list[Problem] = []
    items = as_list(filters)
    for i, item in enumerate(items):
        where = path if single and len(items) == 1 else f"{path}[{i}]"
        if isinstance(item, FrequencyFilter):
            for j, inner in enumerate(item.event_filters or ()):
                found += _filter_properties([inner], f"{where}.event_filters[{j}]", single=True)
        elif isinstance(item, Filter):
            found += [Problem(*p) for p in custom_property_problems(item._property, where)]
    return found


def custom_properties(
    *, where: Any = None, metrics: Sequence[Any] = (), steps: Sequence[Any] = (),
    step_path: str = "steps",
) -> list[Problem]:  # fmt: skip
    """Rules CP1-CP6 on every custom property of `where`, of the metrics (their property and
    filters) and of the filters of funnel, flow or retention `steps` (breakdowns are checked
    by `breakdowns`)."""
    found = _filter_properties(where, "where", single=True)
    for i, metric in enumerate(metrics):
        prop = getattr(metric, "property", None)
        if prop is not None and not isinstance(metric, str):
            found += [Problem(*p) for p in custom_property_problems(prop, f"events[{i}]")]
        found += _filter_properties(getattr(metric, "filters", None), f"events[{i}].filters")
        behavior = getattr(metric, "event", None)
        for j, step in enumerate(behavior.events if isinstance(behavior, SimpleBehavior) else ()):
            filters = getattr(step, "filters", None)
            found += _filter_properties(filters, f"events[{i}].event[{j}].filters")
    for i, step in enumerate(steps):
        filters = getattr(step, "filters", None)
        found += _filter_properties(filters, f"{step_path}[{i}].filters")
    return found


def where_type(where: Any) -> list[Problem]:
    """`where` is a `Filter`, a `FrequencyFilter`, a list of them, or None."""
    if where is None or isinstance(where, Filter | FrequencyFilter | list):
        return []
    return [
        Problem(
            "where",
            f"must be a Filter, FrequencyFilter or list, got {type(where).__name__}",
            "V25_INVALID_FILTER_TYPE",
        )
    ]
