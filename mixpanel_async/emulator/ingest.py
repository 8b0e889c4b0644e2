"""Validation and normalisation of ingested events and profile/group updates (pure, no aiohttp).

The rules are Mixpanel's (docs.mixpanel.com, "Import Events" and "Track Events"):

- every event needs a non-empty `event` name; `properties` must be an object with fewer than 255
  entries and the event under 1 MB of JSON;
- `properties.time` is seconds or milliseconds since the epoch (values above 1e11 are taken as
  milliseconds); `/import` requires it and rejects times before 1971-01-01 or more than an hour
  ahead; a time in that last hour is overwritten with the present; `/track` fills a missing time
  with the present and only accepts the last 5 days;
- `$insert_id`, when given, is at most 36 characters of `[A-Za-z0-9-]`; `distinct_id` is a string
  or a number (empty string = no user); both refuse Mixpanel's list of placeholder values
  (`anon`, `null`, `undefined`, `0`, ...).

Events leave as store rows whose properties JSON follows the store's convention: as ingested,
minus `token`, with `time` as integer seconds and `distinct_id` always present.
"""

from __future__ import annotations

import gc
import re
import time as _time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Literal

import attrs
import orjson

from mixpanel_async.emulator.store import EventRow, ProjectState

__all__ = [
    "MAX_RECORDS",
    "ImportResult",
    "RecordError",
    "apply_group_update",
    "apply_profile_update",
    "import_records",
    "iso_seconds",
    "normalize_event",
    "paused_gc",
    "update_groups",
    "update_profiles",
]

Mode = Literal["track", "import"]

MAX_RECORDS = 2000
"""Mixpanel's limit of messages per ingestion request."""
MAX_EVENT_BYTES = 1024 * 1024
MAX_PROPERTIES = 255

_MIN_MS = 31_536_000_000  # 1971-01-01T00:00:00Z
_MIN_S = _MIN_MS // 1000
_MAX_MS = 1e13  # the year 2286 in milliseconds: beyond any time /import accepts
_FUTURE_MS = 3_600_000  # an hour of clock skew is tolerated on /import
_TRACK_WINDOW_MS = 5 * 86_400_000  # /track only takes the last 5 days
_MS_THRESHOLD = 1e11  # larger times are milliseconds (1e11 s is the year 5138)

_INSERT_ID = re.compile(r"[A-Za-z0-9-]{1,36}").fullmatch
# Values Mixpanel refuses as distinct_id or $insert_id, compared case-insensitively.
_PLACEHOLDER_IDS = frozenset({
    "00000000-0000-0000-0000-000000000000", "anon", "anonymous", "nil", "none", "null", "n/a",
    "na", "undefined", "unknown", "<nil>", "0", "-1", "true", "false", "[]", "{}",
})  # fmt: skip

_PLACEHOLDER_LENGTHS = frozenset(len(v) for v in _PLACEHOLDER_IDS)

_dumps = orjson.dumps
_JSONEncodeError = orjson.JSONEncodeError


class RecordError(ValueError):
    """One invalid record of a batch, as `/import` reports it in `failed_records`."""

    def __init__(self, index: int, insert_id: str | None, field: str, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.insert_id = insert_id
        self.field = field
        self.message = message

    def as_json(self) -> dict[str, Any]:
        """The `failed_records` entry: `{index, $insert_id, field, message}`."""
        return {
            "index": self.index,
            "$insert_id": self.insert_id,
            "field": self.field,
            "message": self.message,
        }

    def __repr__(self) -> str:
        return f"RecordError({self.index}, {self.insert_id!r}, {self.field!r}, {self.message!r})"


@attrs.define
class ImportResult:
    """What a batch did: how many records were stored and which were refused (by index)."""

    num_imported: int
    failed: list[RecordError] = attrs.field(factory=list)


def _invalid(index: int, insert_id: Any, field: str, why: str) -> RecordError:
    shown = insert_id if isinstance(insert_id, str) else None
    return RecordError(index, shown, field, f"'{field}' is invalid: {why}")


def normalize_event(record: Any, *, index: int, now_ms: int, mode: Mode) -> EventRow:
    """Validate one event and turn it into a store row.

    Args:
        record: The event as sent: `{"event": name, "properties": {...}}`.
        index: Its position in the batch (reported in errors).
        now_ms: The server's present, in milliseconds since the epoch.
        mode: "import" (time required, anything since 1971) or "track" (time defaults to now,
            last 5 days only).

    Returns:
        `(event, distinct_id, time_ms, insert_id, properties_json)`.

    Raises:
        RecordError: The record is invalid; nothing about it should be stored.
    """
    return _normalize(record, index, now_ms, mode == "track")


def _normalize(record: Any, index: int, now_ms: int, track: bool) -> EventRow:
    # The hot path of /import: one pass of cheap checks for a well-formed event; anything
    # unusual (and every error) goes through `_normalize_slowly`, which says what is wrong.
    # `type(x) is T` rather than isinstance: exact JSON types, and measurably cheaper here.
    if type(record) is dict:
        props = record.get("properties")
        name = record.get("event")
        if type(props) is dict and type(name) is str and name:
            insert_id = props.get("$insert_id")
            t: Any = props.get("time")
            distinct_id = props.get("distinct_id", "")
            tt = type(t)
            if (
                (tt is int or tt is float)
                and _MIN_S <= t < _MAX_MS  # also keeps NaN and infinities off the fast path
                and type(distinct_id) is str
                and (len(distinct_id) not in _PLACEHOLDER_LENGTHS
                     or distinct_id.lower() not in _PLACEHOLDER_IDS)
                and (insert_id is None or (
                    type(insert_id) is str
                    and _INSERT_ID(insert_id) is not None
                    and (len(insert_id) not in _PLACEHOLDER_LENGTHS
                         or insert_id.lower() not in _PLACEHOLDER_IDS)))
            ):  # fmt: skip
                if tt is int:  # integer arithmetic and comparisons are the cheap ones
                    time_ms = t if t > 100_000_000_000 else t * 1000
                else:
                    time_ms = int(t) if t > _MS_THRESHOLD else int(t * 1000)
                lowest = now_ms - _TRACK_WINDOW_MS if track else _MIN_MS
                if lowest <= time_ms <= now_ms and len(props) <= MAX_PROPERTIES:
                    seconds = time_ms // 1000
                    if (
                        "token" in props
                        or tt is not int
                        or t != seconds
                        or ("distinct_id" not in props)
                    ):
                        out = props.copy()  # never change the caller's dict
                        out.pop("token", None)
                        out["time"] = seconds
                        if "distinct_id" not in out:
                            out["distinct_id"] = ""
                    else:
                        out = props  # already in the stored form: no copy needed
                    try:
                        text = _dumps(out)
                    except _JSONEncodeError:
                        pass  # reported by the slow path
                    else:
                        if len(out) < MAX_PROPERTIES and len(text) <= MAX_EVENT_BYTES:
                            return (name, distinct_id, time_ms, insert_id, text.decode())
    return _normalize_slowly(record, index, now_ms, track)


def _normalize_slowly(record: Any, index: int, now_ms: int, track: bool) -> EventRow:
    """Every rule checked in order, so the first problem is the one reported."""
    if not isinstance(record, Mapping):
        raise RecordError(index, None, "event", "each record must be a JSON object")
    props = record.get("properties")
    if props is None:
        props = {}
    elif isinstance(props, Mapping):
        props = dict(props)
    else:
        raise _invalid(index, None, "properties", "must be an object")
    insert_id = props.get("$insert_id")
    if insert_id is not None and (
        type(insert_id) is not str
        or not _INSERT_ID(insert_id)
        or insert_id.lower() in _PLACEHOLDER_IDS
    ):
        raise _invalid(
            index,
            insert_id,
            "properties.$insert_id",
            "must be at most 36 characters of letters, digits and '-'",
        )
    name = record.get("event")
    if type(name) is not str or not name:
        raise _invalid(index, insert_id, "event", "must be a non-empty string")

    t = props.get("time")
    if t is None:
        if not track:
            raise _invalid(index, insert_id, "properties.time", "is required")
        time_ms = now_ms
    elif (type(t) is int or type(t) is float) and t == t and abs(t) < 1e18:
        time_ms = int(t) if t > _MS_THRESHOLD else int(t * 1000)
    else:
        raise _invalid(
            index,
            insert_id,
            "properties.time",
            "must be specified as seconds or milliseconds since epoch",
        )
    if time_ms > now_ms:
        if time_ms > now_ms + _FUTURE_MS:
            raise _invalid(
                index, insert_id, "properties.time", "must not be more than 1 hour in the future"
            )
        time_ms = now_ms  # Mixpanel overwrites a (slightly) future time with the present
    if time_ms < _MIN_MS:
        raise _invalid(index, insert_id, "properties.time", "must be after 1971-01-01")
    if track and time_ms < now_ms - _TRACK_WINDOW_MS:
        raise _invalid(
            index,
            insert_id,
            "properties.time",
            "/track only accepts events of the last 5 days; use /import",
        )

    distinct_id = props.get("distinct_id", "")
    tid = type(distinct_id)
    if tid is str:
        did: str = distinct_id
    elif (tid is int or tid is float) and distinct_id == distinct_id:  # not NaN
        did = str(distinct_id)
    else:
        raise _invalid(index, insert_id, "properties.distinct_id", "must be a string or a number")
    if did.lower() in _PLACEHOLDER_IDS:
        raise _invalid(
            index, insert_id, "properties.distinct_id", f"{did!r} is a placeholder value, not an id"
        )

    out = dict(props)
    out.pop("token", None)
    out["time"] = time_ms // 1000
    if "distinct_id" not in out:
        out["distinct_id"] = ""
    if len(out) >= MAX_PROPERTIES:
        raise _invalid(
            index, insert_id, "properties", f"must have fewer than {MAX_PROPERTIES} properties"
        )
    try:
        text = _dumps(out)
    except _JSONEncodeError as exc:
        raise _invalid(index, insert_id, "properties", f"not serialisable as JSON: {exc}") from None
    if len(text) > MAX_EVENT_BYTES:
        raise _invalid(index, insert_id, "properties", "the event must be smaller than 1MB")
    return (name, did, time_ms, insert_id, text.decode())


def import_records(
    project: ProjectState, records: list[Any], *, mode: Mode, strict: bool, now_ms: int
) -> ImportResult:
    """Validate a batch of events, then store the valid ones in one append.

    Both modes store every valid record, as Mixpanel does: with `strict=1` `/import` "will
    ingest the events that pass validation" and answers 400 listing the others; without it the
    invalid ones are dropped silently. `failed` is returned either way (callers need it to tell
    "nothing was valid" apart); `strict` only tells the caller to report it.

    Args:
        project: Where the events go.
        records: Events as sent (any JSON values; the non-objects fail).
        mode: "import" or "track" rules (see `normalize_event`).
        strict: Whether the caller reports failures (kept for the call sites' clarity).
        now_ms: The present in milliseconds since the epoch.

    Returns:
        How many records were stored, and the failures with their batch indexes.
    """
    del strict  # both modes store the valid records; reporting is the caller's business
    rows: list[EventRow] = []
    failed: list[RecordError] = []
    append = rows.append
    normalize = _normalize
    track = mode == "track"
    with paused_gc():
        for index, record in enumerate(records):
            try:
                append(normalize(record, index, now_ms, track))
            except RecordError as exc:
                failed.append(exc)
    if rows:
        project.events.append(rows)
    return ImportResult(len(rows), failed)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector off for a synchronous stretch of batch work.

    Parsing and normalising a 2000-event batch allocates ~6000 dicts that all stay alive until
    the batch is stored, so the collector's generation-0 passes find nothing to free and only
    promote them; on /import that was a quarter of the CPU. Nothing here creates cycles, and
    reference counting still frees everything. Never hold it across an `await`. Nesting is
    safe, and a collector the caller had disabled stays disabled.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# -- profiles and groups -------------------------------------------------------------------------

_PROFILE_OPS = ("$set", "$set_once", "$add", "$append", "$union", "$remove", "$unset", "$delete")
_GROUP_OPS = ("$set", "$set_once", "$union", "$remove", "$unset", "$delete")
_CREATING_OPS = frozenset({"$set", "$set_once", "$add", "$append", "$union"})
_DELETED = object()


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
                if not isinstance(item, list):
                    raise _bad(index, f"{op}.{name}", "must be a list")
                merged = list(_list_or_fail(old, index, op, name))
                for v in item:
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
) -> None:
    """Apply one `/engage` message (`$set`, `$set_once`, `$add`, `$append`, `$union`, `$remove`,
    `$unset`, `$delete`) to `profiles`, keyed by `$distinct_id`.

    `$last_seen` is set to the update's `$time` (or `now_iso`) unless `$ignore_time` is true.

    Raises:
        RecordError: The update is invalid (checked before anything changes).
    """
    if not isinstance(update, Mapping):
        raise RecordError(index, None, "$distinct_id", "each update must be a JSON object")
    distinct_id = _id_text(update.get("$distinct_id"))
    if distinct_id is None:
        raise RecordError(index, None, "$distinct_id", "'$distinct_id' is required")
    result = _apply_ops(profiles.get(distinct_id), update, _PROFILE_OPS, index)
    if result is _DELETED:
        profiles.pop(distinct_id, None)
        return
    if result is None:
        return
    assert isinstance(result, dict)
    if not update.get("$ignore_time"):
        stamp = update.get("$time")
        if isinstance(stamp, int | float) and not isinstance(stamp, bool) and stamp > 0:
            seconds = stamp / 1000 if stamp > _MS_THRESHOLD else stamp
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
    profiles = project.profiles
    return _apply_all(
        updates, lambda u, i: apply_profile_update(profiles, u, now_iso=now_iso, index=i)
    )


def update_groups(project: ProjectState, updates: list[Any]) -> ImportResult:
    """Apply `/groups` messages in order; each valid one applies, each invalid one is reported."""
    groups = project.groups
    return _apply_all(updates, lambda u, i: apply_group_update(groups, u, index=i))
