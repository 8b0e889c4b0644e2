"""Profile and group updates (`/engage`, `/groups`; pure, no aiohttp): Mixpanel's operations
`$set`, `$set_once`, `$add`, `$append`, `$union`, `$remove`, `$unset` and `$delete` applied to a
project's profiles (by `$distinct_id`) or group profiles (by `$group_key` and `$group_id`).

Each message is checked before anything changes, so an invalid one never half-applies; it is
reported as a `RecordError` with its index, as `/import` reports events. Mixpanel's limits hold:
each update under 1 MB of JSON, and a profile with at most 2,000 properties ("Attempts to add
more than 2000 user properties for a user profile will fail").
"""

from __future__ import annotations

import json
import time as _time
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from mixpanel_async.emulator.engine.ingest import (
    MAX_EVENT_BYTES,
    MS_THRESHOLD,
    ImportResult,
    RecordError,
)
from mixpanel_async.emulator.store import ProjectState

__all__ = [
    "apply_group_update",
    "apply_profile_update",
    "iso_seconds",
    "update_groups",
    "update_profiles",
]

_PROFILE_OPS = ("$set", "$set_once", "$add", "$append", "$union", "$remove", "$unset", "$delete")
_GROUP_OPS = ("$set", "$set_once", "$union", "$remove", "$unset", "$delete")
_CREATING_OPS = frozenset({"$set", "$set_once", "$add", "$append", "$union"})
_DELETED = object()
MAX_PROFILE_PROPERTIES = 2000
"""Properties a user profile may hold."""


def _check_size(update: Mapping[str, Any], index: int, field: str) -> None:
    """A `RecordError` for an update over 1 MB of JSON (one orjson cannot encode, such as an
    integer beyond 64 bits, is measured as Python's json module writes it)."""
    try:
        size = len(orjson.dumps(update))
    except (TypeError, orjson.JSONEncodeError):
        size = len(json.dumps(update, default=str))
    if size > MAX_EVENT_BYTES:
        raise RecordError(index, None, field, "each update must be smaller than 1MB")


def iso_seconds(seconds: float) -> str:
    """Mixpanel's profile timestamp format, e.g. `2024-05-01T12:00:00` (UTC)."""
    return _time.strftime("%Y-%m-%dT%H:%M:%S", _time.gmtime(seconds))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _bad(index: int, field: str, why: str) -> RecordError:
    return RecordError(index, None, field, f"'{field}' is invalid: {why}")


def _apply_ops(
    current: dict[str, Any] | None, update: Mapping[str, Any], ops: tuple[str, ...], index: int
) -> dict[str, Any] | object | None:
    """Apply `update`'s operations to a copy of `current`.

    Returns the new properties, `_DELETED` for `$delete`, or None when the profile does not
    exist and nothing in the update creates it. Raises `RecordError` before anything is
    changed, so an invalid update never half-applies.
    """
    present = [op for op in update if op in ops]
    unknown = [k for k in update if k in _PROFILE_OPS and k not in ops]
    if unknown:
        raise _bad(index, unknown[0], "not supported by this endpoint")
    if not present:
        raise RecordError(
            index, None, "operation", "no operation in the update: use one of " + ", ".join(ops)
        )
    if current is None and not any(op in _CREATING_OPS for op in present):
        # $unset/$remove/$delete of a missing profile: validate, change nothing.
        current_props: dict[str, Any] = {}
        creates = False
    else:
        current_props = dict(current or {})
        creates = True
    props = current_props
    for op in present:
        value = update[op]
        if op == "$delete":
            _check_no_more(present, index)
            return _DELETED
        if op == "$unset":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise _bad(index, op, "must be a list of property names")
            for name in value:
                props.pop(name, None)
            continue
        if not isinstance(value, Mapping):
            raise _bad(index, op, "must be an object")
        for name, item in value.items():
            if not isinstance(name, str):
                raise _bad(index, op, "property names must be strings")
            old = props.get(name)
            if op == "$set":
                props[name] = item
            elif op == "$set_once":
                if name not in props:
                    props[name] = item
            elif op == "$add":
                if not _is_number(item):
                    raise _bad(index, f"{op}.{name}", "must be a number")
                if old is not None and not _is_number(old):
                    raise _bad(index, f"{op}.{name}", "cannot add to a non-numeric property")
                props[name] = (old or 0) + item
            elif op == "$append":
                props[name] = [*_list_or_fail(old, index, op, name), item]
            elif op == "$union":
                merged = list(_list_or_fail(old, index, op, name))
                # A single value is taken as a one-element list, as Mixpanel does.
                for v in item if isinstance(item, list) else [item]:
                    if v not in merged:
                        merged.append(v)
                props[name] = merged
            elif op == "$remove" and isinstance(old, list):
                props[name] = [v for v in old if v != item]
    return props if creates else None


def _check_no_more(present: list[str], index: int) -> None:
    if len(present) > 1:
        raise _bad(index, "$delete", "cannot be combined with other operations")


def _list_or_fail(old: Any, index: int, op: str, name: str) -> list[Any]:
    if old is None:
        return []
    if not isinstance(old, list):
        raise _bad(index, f"{op}.{name}", "the property is not a list")
    return old


def _id_text(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return value
    if _is_number(value):
        return str(value)
    return None


def apply_profile_update(
    profiles: dict[str, dict[str, Any]],
    update: Mapping[str, Any],
    *,
    now_iso: str,
    index: int = 0,
    canonical: Callable[[str], str] | None = None,
) -> None:
    """Apply one `/engage` message (`$set`, `$set_once`, `$add`, `$append`, `$union`, `$remove`,
    `$unset`, `$delete`) to `profiles`, keyed by `$distinct_id` (or by the id `canonical` maps
    it to: ID merge's canonical id of its cluster).

    `$last_seen` is set to the update's `$time` (or `now_iso`) unless `$ignore_time` is true.

    Raises:
        RecordError: The update is invalid (checked before anything changes).
    """
    if not isinstance(update, Mapping):
        raise RecordError(index, None, "$distinct_id", "each update must be a JSON object")
    distinct_id = _id_text(update.get("$distinct_id"))
    if distinct_id is None:
        raise RecordError(index, None, "$distinct_id", "'$distinct_id' is required")
    _check_size(update, index, "$distinct_id")
    if canonical is not None:
        distinct_id = canonical(distinct_id)
    current = profiles.get(distinct_id)
    result = _apply_ops(current, update, _PROFILE_OPS, index)
    if result is _DELETED:
        profiles.pop(distinct_id, None)
        return
    if result is None:
        return
    assert isinstance(result, dict)
    grown = len(result) - ("$last_seen" in result)
    if grown > MAX_PROFILE_PROPERTIES and len(result) > len(current or {}):
        raise RecordError(
            index,
            None,
            "$distinct_id",
            f"a profile can hold at most {MAX_PROFILE_PROPERTIES} properties",
        )
    if not update.get("$ignore_time"):
        stamp = update.get("$time")
        if isinstance(stamp, int | float) and not isinstance(stamp, bool) and stamp > 0:
            seconds = stamp / 1000 if stamp > MS_THRESHOLD else stamp
            # Beyond year 9999 gmtime overflows: such a $time is nonsense, use the present.
            result["$last_seen"] = iso_seconds(seconds) if seconds < 253_402_300_800 else now_iso
        else:
            result["$last_seen"] = now_iso
    profiles[distinct_id] = result


def apply_group_update(
    groups: dict[tuple[str, str], dict[str, Any]], update: Mapping[str, Any], *, index: int = 0
) -> None:
    """Apply one `/groups` message (`$set`, `$set_once`, `$union`, `$remove`, `$unset`,
    `$delete`) to `groups`, keyed by `($group_key, $group_id)`.

    Raises:
        RecordError: The update is invalid (checked before anything changes).
    """
    if not isinstance(update, Mapping):
        raise RecordError(index, None, "$group_key", "each update must be a JSON object")
    key = update.get("$group_key")
    if not isinstance(key, str) or not key:
        raise RecordError(index, None, "$group_key", "'$group_key' is required")
    group_id = _id_text(update.get("$group_id"))
    if group_id is None:
        raise RecordError(index, None, "$group_id", "'$group_id' is required")
    _check_size(update, index, "$group_id")
    result = _apply_ops(groups.get((key, group_id)), update, _GROUP_OPS, index)
    if result is _DELETED:
        groups.pop((key, group_id), None)
    elif result is not None:
        assert isinstance(result, dict)
        groups[(key, group_id)] = result


def _apply_all(updates: list[Any], apply: Callable[[Any, int], None]) -> ImportResult:
    failed: list[RecordError] = []
    for index, update in enumerate(updates):
        try:
            apply(update, index)
        except RecordError as exc:
            failed.append(exc)
    return ImportResult(len(updates) - len(failed), failed)


def update_profiles(project: ProjectState, updates: list[Any], *, now_iso: str) -> ImportResult:
    """Apply `/engage` messages in order; each valid one applies, each invalid one is reported."""
    profiles, canonical = project.profiles, project.identity.canonical
    return _apply_all(
        updates,
        lambda u, i: apply_profile_update(
            profiles, u, now_iso=now_iso, index=i, canonical=canonical
        ),
    )


def update_groups(project: ProjectState, updates: list[Any]) -> ImportResult:
    """Apply `/groups` messages in order; each valid one applies, each invalid one is reported."""
    groups = project.groups
    return _apply_all(updates, lambda u, i: apply_group_update(groups, u, index=i))
