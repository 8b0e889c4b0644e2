"""Argument checks shared by the public methods; each raises `ParamValidationError` before any
request, with a message that says what to fix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from mixpanel_async._operation import ParamError, Request
from mixpanel_async.exceptions import ParamValidationError


def date(value: str | dt.date, name: str) -> dt.date:
    """A `YYYY-MM-DD` string (or a date) as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise ParamValidationError(
            f"{name} must be a date as YYYY-MM-DD, got {value!r}", param=name
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ParamValidationError(f"{name} is not a valid date: {value!r}", param=name) from None


def date_range(from_date: str | dt.date, to_date: str | dt.date) -> tuple[dt.date, dt.date]:
    start, end = date(from_date, "from_date"), date(to_date, "to_date")
    if start > end:
        raise ParamValidationError(
            f"from_date ({start}) is after to_date ({end}); swap them", param="from_date"
        )
    return start, end


def int_range(value: Any, name: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamValidationError(f"{name} must be an integer, got {value!r}", param=name)
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f">= {low}"
        raise ParamValidationError(f"{name} must be {bound}, got {value}", param=name)
    return value


def names(value: Any, name: str) -> list[str]:
    """A non-empty list of non-empty strings (a bare string is a common mistake: say so)."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ParamValidationError(f"{name} must be a list of strings, got {value!r}", param=name)
    items = list(value)
    if not items or not all(isinstance(v, str) and v for v in items):
        raise ParamValidationError(
            f"{name} must be a non-empty list of non-empty strings", param=name
        )
    return items


def text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ParamValidationError(f"{name} must be a non-empty string, got {value!r}", param=name)
    return value


def build(builder: Callable[..., Request], **kwargs: Any) -> Request:
    """Call a generated request builder; a value outside the spec becomes
    `ParamValidationError` (the builders check enums, formats and ranges)."""
    try:
        return builder(**kwargs)
    except ParamError as exc:
        raise ParamValidationError(str(exc), param=exc.param) from None
