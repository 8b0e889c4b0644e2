"""Validation and normalisation of ingested events (pure, no aiohttp); profile and group updates
are in `engine.updates`.

The rules are Mixpanel's (docs.mixpanel.com, "Import Events" and "Track Events"):

- every event needs a non-empty `event` name; `properties` must be an object with fewer than 255
  entries and the event under 1 MB of JSON; a nested object has fewer than 255 keys and an array
  fewer than 255 elements, at most 3 levels deep (a property whose value is `{"a": {"b": {}}}`
  is 3 levels deep);
- `properties.time` is seconds or milliseconds since the epoch (values above 1e11 are taken as
  milliseconds); `/import` requires it and rejects times before 1971-01-01 or more than an hour
  ahead; a time in that last hour is overwritten with the present; `/track` fills a missing time
  with the present and only accepts the last 5 days;
- `$insert_id`, when given, is at most 36 characters of `[A-Za-z0-9-]`; `distinct_id` is a string
  or a number (empty string = no user); both refuse Mixpanel's list of placeholder values
  (`anon`, `null`, `undefined`, `0`, ...).

Events leave as store rows whose properties JSON follows the store's convention: as ingested,
minus `token`, with `time` as integer seconds and `distinct_id` always present, and stored
without the keys the row's columns hold (`store.stored_text`).
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs
import orjson

from mixpanel_async._gc import paused_gc
from mixpanel_async.emulator.engine import drop_filters, enforcement
from mixpanel_async.emulator.event_text import stored_text
from mixpanel_async.emulator.store import EventRow, ProjectState

__all__ = [
    "MAX_RECORDS",
    "MS_THRESHOLD",
    "ImportResult",
    "RecordError",
    "import_records",
    "normalize_event",
]

Mode = Literal["track", "import"]

MAX_RECORDS = 2000
"""Mixpanel's limit of messages per ingestion request."""
MAX_EVENT_BYTES = 1024 * 1024
MAX_PROPERTIES = 255
MAX_NESTED = 255
"""Keys of a nested object, or elements of an array, must be fewer than this."""
MAX_DEPTH = 3
"""Levels of nested objects and arrays a property value may have."""

_MIN_MS = 31_536_000_000  # 1971-01-01T00:00:00Z
_MIN_S = _MIN_MS // 1000
_MAX_MS = 1e13  # the year 2286 in milliseconds: beyond any time /import accepts
_FUTURE_MS = 3_600_000  # an hour of clock skew is tolerated on /import
_TRACK_WINDOW_MS = 5 * 86_400_000  # /track only takes the last 5 days
MS_THRESHOLD = 1e11
"""Larger times are milliseconds (1e11 seconds is the year 5138)."""

_INSERT_ID = re.compile(r"[A-Za-z0-9-]{1,36}").fullmatch
# Values Mixpanel refuses as distinct_id or $insert_id, compared case-insensitively.
_PLACEHOLDER_IDS = frozenset({
    "00000000-0000-0000-0000-000000000000", "anon", "anonymous", "nil", "none", "null", "n/a",
    "na", "undefined", "unknown", "<nil>", "0", "-1", "true", "false", "[]", "{}",
})  # fmt: skip

_IDENTITY_EVENTS = frozenset({"$identify", "$create_alias", "$merge"})

_PLACEHOLDER_LENGTHS = frozenset(len(v) for v in _PLACEHOLDER_IDS)


_ALSO_LOWERING_TO = {"k": "\u212a"}
"""Characters besides a letter's two cases that `str.lower()` turns into it: the Kelvin sign is
the only one for the letters of the placeholders (checked over every code point by a test)."""


def _spellings(word: str) -> set[str]:
    """Every string whose `lower()` is `word` (a placeholder is compared case-insensitively)."""
    options = [{c, c.upper(), *_ALSO_LOWERING_TO.get(c, "")} for c in word]
    return {"".join(letters) for letters in itertools.product(*options)}


_PLACEHOLDER_SPELLINGS = frozenset().union(*map(_spellings, _PLACEHOLDER_IDS))
"""The placeholders in every letter case (≈1,300 strings): a whole batch's ids are checked
against them in one C-level `isdisjoint` instead of one `lower()` per id."""
_INSERT_ID_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"

_no_containers = frozenset({dict, list}).isdisjoint
"""True when none of the given types is a JSON container (one C-level pass over the values)."""
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
        `(event, distinct_id, time_ms, insert_id, properties_json)`, the JSON in the store's
        form (without the keys the other fields hold; `event_text.full_properties` gives them
        back).

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
                    time_ms = int(t) if t > MS_THRESHOLD else int(t * 1000)
                lowest = now_ms - _TRACK_WINDOW_MS if track else _MIN_MS
                if lowest <= time_ms <= now_ms and len(props) <= MAX_PROPERTIES:
                    seconds = time_ms // 1000
                    out = props.copy()  # never change the caller's dict (nor the store's)
                    out.pop("token", None)
                    if tt is not int or t != seconds:
                        out["time"] = seconds
                    if "distinct_id" not in out:
                        out["distinct_id"] = ""
                    keys = len(out)
                    try:
                        text = stored_text(out)  # without the column keys (`event_text`)
                    except _JSONEncodeError:
                        pass  # reported by the slow path
                    else:
                        if (
                            keys < MAX_PROPERTIES
                            # the whole text is at most this long (the slow path measures it)
                            and not _too_big(text, distinct_id, 1 if text.isascii() else 4)
                            and (_no_containers(map(type, out.values())) or _flat_enough(out))
                        ):
                            return (name, distinct_id, time_ms, insert_id, text)
    return _normalize_slowly(record, index, now_ms, track)


def _too_big(text: str, distinct_id: str, wide: int) -> bool:
    """Whether an event whose stored text is `text` may exceed `MAX_EVENT_BYTES` as a whole
    (a bound: the column keys, `distinct_id` escaped at worst, `wide` UTF-8 bytes per
    character; the per-event path measures exactly)."""
    return len(text) * wide + 6 * len(distinct_id) + 128 > MAX_EVENT_BYTES


def _flat_enough(props: dict[str, Any]) -> bool:
    """No property value breaks the nesting limits (the fast path's check: a type test per
    scalar, one more per element of a shallow object or array)."""
    for value in props.values():
        kind = type(value)
        if kind is list or kind is dict:
            if len(value) >= MAX_NESTED:
                return False
            for item in value.values() if kind is dict else value:
                inner = type(item)
                if (inner is list or inner is dict) and _nesting_problem(item, 2) is not None:
                    return False
    return True


def _nesting_problem(value: Any, depth: int) -> str | None:
    """Why a property value at nesting level `depth` (1 for an object or array property) is
    refused, or None."""
    if isinstance(value, Mapping):
        items: Any = value.values()
        if len(value) >= MAX_NESTED:
            return f"nested objects must have fewer than {MAX_NESTED} keys"
    elif isinstance(value, list | tuple):
        items = value
        if len(value) >= MAX_NESTED:
            return f"arrays must have fewer than {MAX_NESTED} elements"
    else:
        return None
    if depth > MAX_DEPTH:
        return f"objects and arrays may be nested at most {MAX_DEPTH} levels deep"
    for item in items:
        why = _nesting_problem(item, depth + 1)
        if why is not None:
            return why
    return None


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
        if not track and name not in _IDENTITY_EVENTS:  # `$merge` and kin need no time
            raise _invalid(index, insert_id, "properties.time", "is required")
        time_ms = now_ms
    elif (type(t) is int or type(t) is float) and t == t and abs(t) < 1e18:
        time_ms = int(t) if t > MS_THRESHOLD else int(t * 1000)
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
    for key, value in out.items():
        why = _nesting_problem(value, 1)
        if why is not None:
            raise _invalid(index, insert_id, f"properties.{key}", why)
    try:
        text = _dumps(out)
    except _JSONEncodeError as exc:
        raise _invalid(index, insert_id, "properties", f"not serialisable as JSON: {exc}") from None
    if len(text) > MAX_EVENT_BYTES:
        raise _invalid(index, insert_id, "properties", "the event must be smaller than 1MB")
    return (name, did, time_ms, insert_id, stored_text(out))


_repeat = itertools.repeat
_get: Callable[[Any, str], Any] = dict.get
_has: Callable[[Any, str], bool] = dict.__contains__
_mul = operator.mul
_DICT: set[type] = {dict}
_STR: set[type] = {str}
_INT: set[type] = {int}
_NONE: type = type(None)


def _whole_batch(
    records: list[Any], now_ms: int, track: bool
) -> tuple[list[EventRow], bool] | None:
    """The store rows of a batch whose every event has the common, already-stored shape, and
    whether identity merging can skip the batch (no identity event, no `$device_id` or
    `$user_id`); None when any event needs `_normalize`.

    The common shape: `event` a non-empty string; `properties` an object without `token`,
    with integer `time` in seconds inside the accepted window, a string `distinct_id` and
    a well-formed `$insert_id` (or none), fewer than `MAX_PROPERTIES` entries and within the
    nesting limits. Each rule is checked for the whole batch at once, field by field, with
    C-level passes (`map`, `min`, `set.isdisjoint`, one byte scan) rather than per event in
    Python; the rows are then exactly what `_normalize` returns for each event. Anything else
    (an error, milliseconds, a token to strip) sends the whole batch to the per-event path.
    """
    n = len(records)
    if not n or set(map(type, records)) != _DICT:
        return None
    names = list(map(_get, records, _repeat("event")))
    props = list(map(_get, records, _repeat("properties")))
    if set(map(type, names)) != _STR or not all(names) or set(map(type, props)) != _DICT:
        return None
    times = list(map(_get, props, _repeat("time")))
    lowest = now_ms - _TRACK_WINDOW_MS if track else _MIN_MS
    if (
        set(map(type, times)) != _INT
        or min(times) * 1000 < lowest
        or max(times) >= MS_THRESHOLD  # milliseconds: converted by `_normalize`
        or max(times) * 1000 > now_ms  # in the future: overwritten or refused there
    ):
        return None
    dids = list(map(_get, props, _repeat("distinct_id")))
    if set(map(type, dids)) != _STR or not _PLACEHOLDER_SPELLINGS.isdisjoint(dids):
        return None  # a missing, numeric or placeholder distinct_id
    ids = list(map(_get, props, _repeat("$insert_id")))
    given = ids
    kinds = set(map(type, ids))
    if kinds != _STR:
        if not kinds <= {str, _NONE}:
            return None
        given = [i for i in ids if i is not None]
    if given and (
        not all(given)
        or max(map(len, given)) > 36
        or "".join(given).encode(errors="replace").translate(None, _INSERT_ID_BYTES)
        or not _PLACEHOLDER_SPELLINGS.isdisjoint(given)
    ):
        return None
    if any(map(_has, props, _repeat("token"))) or max(map(len, props)) >= MAX_PROPERTIES:
        return None
    try:  # copies: `stored_text` takes the column keys out
        stored = list(map(stored_text, map(dict, props)))
    except _JSONEncodeError:
        return None
    # The checks read the stored texts: each is its event's JSON less a few scalar keys.
    blob = "".join(stored)
    wide = 1 if blob.isascii() else 4  # UTF-8 bytes per character, at most
    if len(blob) * wide + 6 * max(map(len, dids)) + 128 > MAX_EVENT_BYTES and any(
        map(_too_big, stored, dids, _repeat(wide))
    ):
        return None
    if (blob.count("{") != n or "[" in blob) and not all(map(_flat_enough, props)):
        return None  # a `{` or `[` beyond each opening brace: some value may be a container
    rows = list(zip(names, dids, map(_mul, times, _repeat(1000)), ids, stored, strict=True))
    plain = (
        _IDENTITY_EVENTS.isdisjoint(names)
        and not any(map(_has, props, _repeat("$device_id")))
        and not any(map(_has, props, _repeat("$user_id")))
    )
    return rows, plain


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
    failed: list[RecordError] = []
    track = mode == "track"
    with paused_gc():
        whole = _whole_batch(records, now_ms, track)
        if whole is not None:
            rows, plain = whole
        else:  # some record is unusual: each one decided (and explained) alone
            rows, plain = [], False
            append = rows.append
            normalize = _normalize
            for index, record in enumerate(records):
                try:
                    append(normalize(record, index, now_ms, track))
                except RecordError as exc:
                    failed.append(exc)
    if rows:
        # Drop filters first (what is dropped is never stored), then schema enforcement.
        kept = enforcement.screen(project, drop_filters.screen(project, rows))
        observed = project.identity.observe(kept, imported=not track, plain=plain)
        project.events.append(observed, stored=True)
    return ImportResult(len(rows), failed)
