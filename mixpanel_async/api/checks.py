"""Argument checks shared by the public methods; each raises `ParamValidationError` before any
request, with a message that says what to fix."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

import attrs
import cattrs

from mixpanel_async._operation import Operation, ParamError, Request
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.transport import codec

M = TypeVar("M")
T = TypeVar("T")
V = TypeVar("V")
P = ParamSpec("P")


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
    """Both dates, checked, with `from_date` not after `to_date`."""
    start, end = date(from_date, "from_date"), date(to_date, "to_date")
    if start > end:
        raise ParamValidationError(
            f"from_date ({start}) is after to_date ({end}); swap them", param="from_date"
        )
    return start, end


def int_range(value: Any, name: str, low: int, high: int | None = None) -> int:
    """An integer (not a bool) in `low..high` (`high` None: no upper bound)."""
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
    """A non-empty string (not only whitespace)."""
    if not isinstance(value, str) or not value.strip():
        raise ParamValidationError(f"{name} must be a non-empty string, got {value!r}", param=name)
    return value


def optional_text(value: Any, name: str) -> str | None:
    """None, or a non-empty string."""
    return None if value is None else text(value, name)


def choice(value: Any, name: str, allowed: Sequence[str]) -> str:
    """One of `allowed` (the values of a spec enum, for a body field builders do not check)."""
    if value not in allowed:
        raise ParamValidationError(
            f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}", param=name
        )
    return str(value)


def max_length(value: str | None, name: str, limit: int) -> None:
    """A string of at most `limit` characters (None passes)."""
    if value is not None and len(value) > limit:
        raise ParamValidationError(
            f"{name} must be at most {limit} characters, got {len(value)}", param=name
        )


def flag(value: Any, name: str) -> bool:
    """A real `bool` (not a truthy value such as `"false"` or `1`)."""
    if not isinstance(value, bool):
        raise ParamValidationError(f"{name} must be True or False, got {value!r}", param=name)
    return value


def build(builder: Callable[P, Request[T]], /, *args: P.args, **kwargs: P.kwargs) -> Request[T]:
    """Call a generated request builder (arguments checked by mypy against its signature); a
    value outside the spec becomes `ParamValidationError` (the builders check enums, formats
    and ranges)."""
    try:
        return builder(*args, **kwargs)
    except ParamError as exc:
        raise ParamValidationError(str(exc), param=exc.param) from None


def spec_value(operation: Operation, attr: str, value: V) -> V:
    """Check `value` against the spec's parameter `attr` of `operation` now (for a value the
    builder would not see, e.g. one that is not sent in some cases)."""
    try:
        operation.param(attr).check(value)
    except ParamError as exc:
        raise ParamValidationError(str(exc), param=exc.param) from None
    return value


def entity_id(value: Any, name: str) -> int:
    """A positive integer id (dashboards, bookmarks, cohorts, alerts, annotations)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ParamValidationError(f"{name} must be a positive integer, got {value!r}", param=name)
    return value


def uuid_id(value: Any, name: str) -> str:
    """A string id (feature flags, experiments, webhooks)."""
    if not isinstance(value, str) or not value.strip():
        raise ParamValidationError(
            f"{name} must be a non-empty string id, got {value!r}", param=name
        )
    return value


def id_list(values: Any, name: str) -> list[int]:
    """A non-empty list of positive integer ids (a bare string or a single id is refused)."""
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise ParamValidationError(f"{name} must be a list of ids, got {values!r}", param=name)
    items = [entity_id(v, name) for v in values]
    if not items:
        raise ParamValidationError(f"{name} must not be empty", param=name)
    return items


def id_csv(values: Any, name: str) -> str | None:
    """An optional id list as the comma-joined text list endpoints take (None: not sent)."""
    return None if values is None else ",".join(map(str, id_list(values, name)))


def wire_keys(value: Any, model: Any) -> Any:
    """A dict for `model` keyed by attribute or wire names, re-keyed by wire names, nested
    models (`entries=[{"entity_type": ...}]`) included; anything else as it is."""
    if not isinstance(value, dict) or not attrs.has(model):
        return value
    try:
        hints = typing.get_type_hints(model)
    except (NameError, TypeError):  # an unresolvable annotation: rename this level only
        hints = {}
    by_name = {f.name: f for f in attrs.fields(model)}
    by_wire = {f.metadata.get("wire", f.name): f for f in attrs.fields(model)}
    out: dict[str, Any] = {}
    for key, item in value.items():
        field = by_name.get(key) or by_wire.get(key)
        if field is None:
            out[key] = item
            continue
        out[field.metadata.get("wire", field.name)] = _nested_keys(item, hints.get(field.name))
    return out


def _nested_keys(item: Any, hint: Any) -> Any:
    for kind in (hint, *typing.get_args(hint)):  # Model, Model | None, list[Model]
        if attrs.has(kind):
            return wire_keys(item, kind)
        inner = typing.get_args(kind)
        if typing.get_origin(kind) is list and isinstance(item, list) and attrs.has(inner[0]):
            return [wire_keys(i, inner[0]) for i in item]
    return item


def as_model(value: Any, model: type[M], name: str = "params") -> M:
    """Accept a generated params model or a plain dict (keyed by wire or attribute names, e.g.
    `type` or `bookmark_type`); check it against the spec."""
    if isinstance(value, model):
        return value
    if not isinstance(value, dict):
        raise ParamValidationError(
            f"{name} must be a {model.__name__} or a dict, got {type(value).__name__}", param=name
        )
    fields = attrs.fields(model) if attrs.has(model) else ()
    value = wire_keys(value, model)
    try:
        result: M = codec.validate(value, model)
    except cattrs.BaseValidationError as exc:
        detail = "; ".join(cattrs.transform_error(exc, path=name))
        raise ParamValidationError(f"invalid {model.__name__}: {detail}", param=name) from None
    except (TypeError, ValueError) as exc:
        raise ParamValidationError(f"invalid {model.__name__}: {exc}", param=name) from None
    for f in fields:  # as the App API does: a required text is not blank
        text = getattr(result, f.name)
        if f.default is attrs.NOTHING and isinstance(text, str) and not text.strip():
            raise ParamValidationError(f"{f.name} must not be empty", param=f.name)
    return result


def as_entries(values: Any, model: type[M], name: str = "entries") -> list[M]:
    """A non-empty list of bulk-update entries (models or dicts), each with a valid int `id`."""
    if isinstance(values, str | bytes | dict) or not hasattr(values, "__iter__"):
        raise ParamValidationError(f"{name} must be a list, got {values!r}", param=name)
    items = [as_model(v, model, name) for v in values]
    id_list([getattr(item, "id", None) for item in items], name)
    return items
