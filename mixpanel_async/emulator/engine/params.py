"""Checking report JSON from callers: each helper returns the value in the type the engines
need or raises ValueError naming what is wrong, which the routes answer with a 400. Report
parsers use these instead of indexing blindly, so no input turns into a 500."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from mixpanel_async.emulator import errors

DAYS_PER_UNIT = {"day": 1, "week": 7, "month": 30}
"""Calendar units of report windows as days (a month is 30 days), for every report kind."""


def mapping(value: Any, what: str) -> Mapping[str, Any]:
    """An object (`{}` for a missing one)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{what} must be an object, got {value!r}")
    return value


def listing(value: Any, what: str) -> list[Any]:
    """A list (`[]` for a missing one)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{what} must be a list, got {value!r}")
    return value


def choice(value: Any, allowed: Collection[str], what: str) -> str:
    """One of `allowed` (strings only, so unhashable junk is refused, not a TypeError)."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(sorted(allowed))}, got {value!r}")
    return value


def whole(value: Any, what: str, low: int, high: int) -> int:
    """An integer (not a boolean) from `low` to `high`."""
    if type(value) is not int or not low <= value <= high:
        raise ValueError(f"{what} must be an integer from {low} to {high}, got {value!r}")
    return value


def in_order(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """`(first, last)` of a date range that does not end before it starts, within the years
    Mixpanel serves (`EARLIEST_YEAR` to next year: a range of centuries would make a report of
    hundreds of megabytes)."""
    if first > last:
        raise ValueError(errors.DATE_ORDER.format(from_date=first, to_date=last))
    for name, day in (("from_date", first), ("to_date", last)):
        if not EARLIEST_YEAR <= day.year <= dt.date.today().year + LATEST_YEARS_AHEAD:
            raise ValueError(errors.BAD_YEAR_OF.format(name=name))
    return first, last


EARLIEST_YEAR = 2000
"""Mixpanel refuses dates before 2000 ("invalid date, bad year")."""
LATEST_YEARS_AHEAD = 1
"""Dates more than this many years after the present year are refused the same way."""


def date(value: Any, what: str) -> dt.date:
    """A `YYYY-MM-DD` date (a longer ISO timestamp is read by its date)."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise ValueError(f"{what} is not a YYYY-MM-DD date: {value!r}")
