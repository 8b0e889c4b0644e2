"""What the saved-metric and saved-behaviour members share: turning stored rows into the
seed's `SavedMetric` / `SavedBehavior`, and the permission check before a delete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeVar

from mixpanel_async.exceptions import ParamValidationError, ResponseValidationError
from mixpanel_async.transport import codec

T = TypeVar("T")


def _moment(value: Any, _: Any) -> dt.datetime:
    """An ISO timestamp as Mixpanel writes it (`Z` or an offset; naive means UTC)."""
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


_ROWS = codec.make_converter()
_ROWS.register_structure_hook(dt.datetime, _moment)


def rows_as(rows: Mapping[str, Any], tp: type[T], endpoint: str) -> list[T]:
    """The values of an id-keyed answer, in server order, as `tp`."""
    if not isinstance(rows, Mapping):
        raise ResponseValidationError(f"{endpoint}: expected a map of rows by id")
    return [_ROWS.structure(codec.unstructure(row), tp) for row in rows.values()]


def one_row(rows: Mapping[str, Any], tp: type[T], endpoint: str) -> T:
    """The single row of an id-keyed answer (a get, a create, an update)."""
    found = rows_as(rows, tp, endpoint)
    if len(found) != 1:
        raise ResponseValidationError(f"{endpoint}: expected one row, got {len(found)}")
    return found[0]


def refuse_delete(kind: Literal["metric", "behavior"], rows: Iterable[Any]) -> None:
    """Refuse to delete rows this account may not edit (`can_update_basic` is false), naming
    them; `force=True` skips this check (a project superadmin may still delete them)."""
    locked = [r for r in rows if getattr(r, "can_update_basic", None) is False]
    if not locked:
        return
    code = "SM6_DELETE_NOT_PERMITTED" if kind == "metric" else "BH4_DELETE_NOT_PERMITTED"
    names = ", ".join(f"{r.id} ({r.name!r})" for r in locked)
    raise ParamValidationError(
        f"this account cannot edit saved {kind}(s) {names}: can_update_basic is false; "
        "nothing was deleted (pass force=True to delete anyway)",
        param=f"{kind}_ids",
        code=code,
    )


def distinct_ids(values: Any, name: str) -> list[int]:
    """Positive integer ids, duplicates dropped, order kept."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ParamValidationError(f"{name} must be a list of ids", param=name)
    out: list[int] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ParamValidationError(
                f"{name} must hold positive integers, got {value!r}", param=name
            )
        if value not in out:
            out.append(value)
    return out
