"""Records for ingestion: validation, deterministic `$insert_id`s and batches.

Events reach `import_events` as Mixpanel-format dicts (`{"event", "properties"}`), as the
seed's normalised dicts (`event_name`, `event_time`, `distinct_id`, `insert_id`,
`properties`, what `stream_events` yields) or as a Polars frame (what `export_events`
returns, or any frame with `event`, `distinct_id` and `time` columns, other columns being
properties). Each is checked before it is sent, and an event without `$insert_id` gets one
derived from its content, so sending the same batch twice (a retry after a lost answer)
cannot count anything twice: Mixpanel deduplicates on `$insert_id`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import orjson
import polars as pl

from mixpanel_async._generated.models import engage as engage_models
from mixpanel_async._generated.models import ingestion as models
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.transport.codec import wire_name

EVENT = wire_name(models.ImportEvent, "event")
PROPERTIES = wire_name(models.ImportEvent, "properties")
TIME = wire_name(models.ImportEventProperties, "time")
DISTINCT_ID = wire_name(models.ImportEventProperties, "distinct_id")
INSERT_ID = wire_name(models.ImportEventProperties, "insert_id")
_ID_MERGE_KEYS = frozenset(
    wire_name(models.ImportEventProperties, name) for name in ("device_id", "user_id")
)
IDENTITY_EVENTS = frozenset({"$identify", "$create_alias", "$merge"})
"""Mixpanel's identity events: no `time` needed (a `$merge` carries only `$distinct_ids`)."""
TRACK_TOKEN = wire_name(models.EventProperties, "token")
PROFILE_TOKEN = wire_name(models.ProfileUpdate, "token")
PROFILE_ID = wire_name(models.ProfileUpdate, "distinct_id")
PROFILE_SET = wire_name(models.ProfileUpdate, "set")
PROFILE_IGNORE_TIME = wire_name(models.ProfileUpdate, "ignore_time")
EXPORTED_PROFILE_PROPERTIES = wire_name(engage_models.EngageProfile, "properties")
_PROFILE_OPS = frozenset(
    wire_name(models.ProfileUpdate, name)
    for name in ("set", "set_once", "add", "append", "union", "remove", "unset", "delete")
)

MAX_BATCH_BYTES = 10 * 1024 * 1024
"""Mixpanel takes at most 10 MB of uncompressed JSON per ingestion request (and at most
`api.ingestion.MAX_BATCH` records)."""
_INSERT_ID_OK = re.compile(r"[A-Za-z0-9-]{1,36}").fullmatch
_SORT = orjson.OPT_SORT_KEYS
_dumps = orjson.dumps
_blake2b = hashlib.blake2b


@attrs.frozen
class RecordFailure:
    """One record Mixpanel refused.

    Attributes:
        index: Its position in the input (0-based, across all batches).
        message: Mixpanel's reason.
        insert_id: Its `$insert_id`, when known.
        field: The offending field, when Mixpanel names one.
    """

    index: int
    message: str
    insert_id: str | None = None
    field: str | None = None


@attrs.frozen
class ImportResult:
    """What an import did.

    Attributes:
        sent: Records sent.
        imported: Records Mixpanel stored (`num_records_imported`, summed over batches).
        failed: The records Mixpanel reported as invalid, in input order. With `strict=False`
            Mixpanel drops invalid records without saying which: `sent - imported` counts them.
        batches: Requests made (retries not counted).
    """

    sent: int
    imported: int
    failed: tuple[RecordFailure, ...] = ()
    batches: int = 0

    @property
    def ok(self) -> bool:
        """Every record sent was stored."""
        return self.imported == self.sent and not self.failed

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """The failures as a frame (`index`, `message`, `insert_id`, `field`)."""
        schema = {"index": pl.Int64, "message": pl.String, "insert_id": pl.String,
                  "field": pl.String}  # fmt: skip
        return pl.DataFrame([attrs.asdict(f) for f in self.failed], schema=schema)


def _bad(index: int, why: str) -> ParamValidationError:
    return ParamValidationError(f"event {index}: {why}", param="events")


def insert_id(event: Mapping[str, Any]) -> str:
    """A stable `$insert_id` for a Mixpanel-format event that has none: a hash of its name and
    properties (`distinct_id` and `time` included), 32 hex digits."""
    text = orjson.dumps(event, option=_SORT)
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def _epoch(value: Any, index: int) -> int | float:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)  # naive times are read as UTC
        return int(value.timestamp() * 1000)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise _bad(index, f"properties.{TIME} must be seconds or milliseconds since the epoch or a "
               f"datetime, got {value!r}")  # fmt: skip


def event(record: Any, index: int) -> Any:
    """Check one event and return it in Mixpanel's format with a `$insert_id`.

    Well-formed Mixpanel-format events that already have an id are returned as they are (no
    copy); anything else is copied, never changed in place.

    Raises:
        ParamValidationError: the record is not an event; the message says what to fix.
    """
    # The common case, checked with exact type tests (much cheaper than ABC isinstance):
    # this runs once per event, and an import may hold millions.
    if type(record) is dict:
        props = record.get(PROPERTIES)
        if type(props) is dict:
            name, when = record.get(EVENT), props.get(TIME)
            did, iid = props.get(DISTINCT_ID), props.get(INSERT_ID)
            if (
                type(name) is str
                and name
                and (type(when) is int or type(when) is float)
                and type(did) is str
            ):
                if type(iid) is str and _INSERT_ID_OK(iid):
                    return record
                if iid is None:
                    fresh = props.copy()
                    out = {EVENT: name, PROPERTIES: fresh}
                    try:
                        text = _dumps(out, option=_SORT)
                    except TypeError as exc:
                        raise _bad(index, f"a property is not JSON-serialisable: {exc}") from None
                    fresh[INSERT_ID] = _blake2b(text, digest_size=16).hexdigest()
                    return out
    return _event(record, index)


_repeat = itertools.repeat
_get: Callable[[Any, str], Any] = dict.get
_INSERT_ID_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"
_NUMBERS = frozenset({int, float})


def sent_as_they_are(chunk: Sequence[Any]) -> bool:
    """Whether `event` would return every record of `chunk` unchanged (a dict with a
    non-empty name, a numeric time, a string `distinct_id` and a valid `$insert_id`), and so
    none needs checking or preparing one by one.

    Each rule is checked for the whole chunk at once, field by field, with C-level passes; a
    False only means that the records must go through `check` / `event` one by one (which
    say what is wrong, if anything is).
    """
    if not chunk:
        return True
    if set(map(type, chunk)) != {dict}:
        return False
    names = list(map(_get, chunk, _repeat(EVENT)))
    props = list(map(_get, chunk, _repeat(PROPERTIES)))
    if set(map(type, names)) != {str} or not all(names) or set(map(type, props)) != {dict}:
        return False
    if not _NUMBERS.issuperset(map(type, map(_get, props, _repeat(TIME)))):
        return False
    if set(map(type, map(_get, props, _repeat(DISTINCT_ID)))) != {str}:
        return False
    ids = list(map(_get, props, _repeat(INSERT_ID)))
    return (
        set(map(type, ids)) == {str}
        and all(ids)
        and max(map(len, ids)) <= 36
        and not "".join(ids).encode(errors="replace").translate(None, _INSERT_ID_BYTES)
    )


def check(record: Any, index: int) -> None:
    """Validate one event without building anything (ids are made later, batch by batch).

    Raises:
        ParamValidationError: as `event` would.
    """
    if type(record) is dict:
        props = record.get(PROPERTIES)
        if type(props) is dict:
            name, when = record.get(EVENT), props.get(TIME)
            did, iid = props.get(DISTINCT_ID), props.get(INSERT_ID)
            if (
                type(name) is str
                and name
                and (type(when) is int or type(when) is float)
                and type(did) is str
                and (iid is None or (type(iid) is str and _INSERT_ID_OK(iid)))
            ):
                return
    _event(record, index)


def _event(record: Any, index: int) -> dict[str, Any]:
    if not isinstance(record, Mapping):
        raise _bad(index, f"must be a dict, got {type(record).__name__}")
    if EVENT in record:
        name, props = record[EVENT], record.get(PROPERTIES)
    elif "event_name" in record:  # the seed's normalised shape, as stream_events yields it
        name = record["event_name"]
        props = {
            **(record.get("properties") or {}),
            DISTINCT_ID: record.get("distinct_id"),
            TIME: record.get("event_time"),
        }
        if record.get("insert_id") is not None:
            props[INSERT_ID] = record["insert_id"]
    else:
        raise _bad(index, f"needs {EVENT!r} and {PROPERTIES!r} (Mixpanel's format)")
    if not isinstance(name, str) or not name:
        raise _bad(index, f"{EVENT!r} must be a non-empty string, got {name!r}")
    if not isinstance(props, Mapping):
        raise _bad(index, f"{PROPERTIES!r} must be a dict, got {type(props).__name__}")
    copied = False
    identity = name in IDENTITY_EVENTS
    if TIME not in props or props[TIME] is None:
        if not identity:
            raise _bad(index, f"properties.{TIME} is required")
    else:
        when = props[TIME]
        if not isinstance(when, int | float) or isinstance(when, bool):
            props, copied = {**props, TIME: _epoch(when, index)}, True
    did = props.get(DISTINCT_ID)
    if did is None and (identity or not _ID_MERGE_KEYS.isdisjoint(props)):
        pass  # Mixpanel derives it from `$user_id` / `$device_id`, or needs none
    elif not isinstance(did, str):
        if isinstance(did, int) and not isinstance(did, bool):
            props, copied = {**props, DISTINCT_ID: str(did)}, True
        else:
            raise _bad(index, f"properties.{DISTINCT_ID} must be a string, got {did!r}")
    iid = props.get(INSERT_ID)
    if iid is None:
        fresh = dict(props)
        out = {EVENT: name, PROPERTIES: fresh}
        try:
            fresh[INSERT_ID] = insert_id(out)
        except TypeError as exc:
            raise _bad(index, f"a property is not JSON-serialisable: {exc}") from None
        return out
    if not isinstance(iid, str) or not _INSERT_ID_OK(iid):
        raise _bad(index, f"properties.{INSERT_ID} must be 1-36 letters, digits or '-', "
                   f"got {iid!r}")  # fmt: skip
    if copied or not isinstance(record, dict) or EVENT not in record:
        return {EVENT: name, PROPERTIES: dict(props)}
    return record


@attrs.define
class Batch:
    """Records to send in one request; `offset` is the first one's index in the input."""

    offset: int
    records: list[Any]
    """Event dicts, or JSON texts of events (from a frame)."""


def encode(records: list[Any], offset: int = 0) -> bytes:
    """A JSON array body (records are dicts, or JSON texts already).

    Raises:
        ParamValidationError: a record holds a value JSON cannot represent (named by index).
    """
    if records and isinstance(records[0], str):
        return b"[" + ",".join(records).encode() + b"]"
    try:
        return orjson.dumps(records)
    except orjson.JSONEncodeError:
        for index, record in enumerate(records):
            try:
                orjson.dumps(record)
            except orjson.JSONEncodeError as exc:
                raise _bad(offset + index, f"not JSON-serialisable: {exc}") from None
        raise


def split_for_size(batch: Batch) -> Iterator[tuple[Batch, bytes]]:
    """The batch encoded, halved until each part is within Mixpanel's 10 MB."""
    body = encode(batch.records, batch.offset)
    if len(body) <= MAX_BATCH_BYTES or len(batch.records) == 1:
        yield batch, body
        return
    half = len(batch.records) // 2
    yield from split_for_size(Batch(batch.offset, batch.records[:half]))
    yield from split_for_size(Batch(batch.offset + half, batch.records[half:]))


# --- frames --------------------------------------------------------------------------------


def _check_frame(frame: pl.DataFrame) -> None:
    missing = [c for c in ("event", "distinct_id", "time") if c not in frame.columns]
    if missing:
        raise ParamValidationError(
            f"the frame needs the columns event, distinct_id and time; missing {missing} "
            "(export_events' frames have them)",
            param="events",
        )
    for column in ("event", "distinct_id", "time"):
        nulls = frame[column].null_count()
        if nulls:
            first = int(frame[column].is_null().arg_true()[0])
            raise _bad(first, f"{column} is null ({nulls} rows have no {column})")
    time_type = frame.schema["time"]
    if not (isinstance(time_type, pl.Datetime) or time_type.is_numeric()):
        raise ParamValidationError(
            f"the time column must be a datetime or epoch seconds/ms, got {time_type}",
            param="events",
        )
    if "insert_id" in frame.columns:
        ids = frame["insert_id"].cast(pl.String)
        bad = ids.is_not_null() & ~ids.str.contains(r"^[A-Za-z0-9-]{1,36}$")
        if bad.any():
            first = int(bad.arg_true()[0])
            raise _bad(first, f"insert_id must be 1-36 letters, digits or '-', got {ids[first]!r}")


def frame_json(frame: pl.DataFrame) -> pl.Series:
    """Each row of an event frame as the JSON of a Mixpanel-format event, vectorised.

    Property nulls are left out of each event (a null in a column means "no value"): rows
    without any take the vectorised path, the others are written one by one.

    Raises:
        ParamValidationError: missing columns, nulls in event/distinct_id/time, bad ids.
    """
    _check_frame(frame)
    time = pl.col("time")
    if isinstance(frame.schema["time"], pl.Datetime):
        time = time.dt.epoch("ms")
    extra = [c for c in frame.columns if c not in ("event", "distinct_id", "time", "insert_id")]
    fields: list[pl.Expr] = []
    for column in extra:
        dtype = frame.schema[column]
        if column == "properties" and isinstance(dtype, pl.Struct):
            fields.extend(pl.col(column).struct.field(f.name) for f in dtype.fields)
        else:
            fields.append(pl.col(column))
    fields += [pl.col("distinct_id").cast(pl.String).alias(DISTINCT_ID), time.alias(TIME)]
    props = pl.struct(fields)
    body = pl.struct(pl.col("event").alias(EVENT), props.alias(PROPERTIES)).struct.json_encode()
    has_null = pl.any_horizontal([f.is_null() for f in fields]) if fields else pl.lit(False)
    given = (
        pl.col("insert_id").cast(pl.String)
        if "insert_id" in frame.columns
        else pl.lit(None, dtype=pl.String)
    )
    rows = frame.select(body.alias("json"), given.alias("id"), has_null.alias("nulls"))
    texts = rows["json"].to_list()
    ids = rows["id"].to_list()
    if rows["nulls"].any():
        for i in rows["nulls"].arg_true().to_list():
            event_dict = orjson.loads(texts[i])
            props_dict = event_dict[PROPERTIES]
            event_dict[PROPERTIES] = {k: v for k, v in props_dict.items() if v is not None}
            texts[i] = orjson.dumps(event_dict).decode()
    suffix_open = f',"{INSERT_ID}":"'
    out = []
    for text, iid in zip(texts, ids, strict=True):
        if iid is None:
            iid = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        out.append(f'{text[:-2]}{suffix_open}{iid}"}}}}')
    return pl.Series("json", out, dtype=pl.String)


# --- profiles ------------------------------------------------------------------------------


def profile(record: Any, index: int, token: str) -> dict[str, Any]:
    """One profile as an engage update: update dicts pass through (with the token); exported
    profiles (`$distinct_id`/`$properties`, or the normalised `distinct_id`/`properties`)
    become `$set` updates that leave `$last_seen` alone.

    Raises:
        ParamValidationError: the record is neither.
    """
    if not isinstance(record, Mapping):
        raise ParamValidationError(
            f"profile {index}: must be a dict, got {type(record).__name__}", param="profiles"
        )
    if PROFILE_ID in record and _PROFILE_OPS.intersection(record):
        return {PROFILE_TOKEN: token, **record}
    if PROFILE_ID in record:
        did, props = record[PROFILE_ID], record.get(EXPORTED_PROFILE_PROPERTIES)
    else:
        did, props = record.get("distinct_id"), record.get("properties")
    if not isinstance(did, str) or not did:
        raise ParamValidationError(
            f"profile {index}: needs a non-empty {PROFILE_ID!r} (or 'distinct_id'), got {did!r}",
            param="profiles",
        )
    if not isinstance(props, Mapping):
        raise ParamValidationError(
            f"profile {index}: needs a properties dict ({PROFILE_SET!r}, "
            f"{EXPORTED_PROFILE_PROPERTIES!r} or 'properties')",
            param="profiles",
        )
    return {
        PROFILE_TOKEN: token,
        PROFILE_ID: did,
        PROFILE_IGNORE_TIME: True,
        PROFILE_SET: {k: v for k, v in props.items() if v is not None},
    }


def frame_profiles(frame: pl.DataFrame) -> Iterator[dict[str, Any]]:
    """Rows of a profile frame (`distinct_id` plus a `properties` struct and/or columns)."""
    if "distinct_id" not in frame.columns:
        raise ParamValidationError(
            "the frame needs a distinct_id column (export_profiles' frames have it)",
            param="profiles",
        )
    extra = [c for c in frame.columns if c not in ("distinct_id", "last_seen")]
    for row in frame.select(["distinct_id", *extra]).iter_rows(named=True):
        props: dict[str, Any] = {}
        for column in extra:
            value = row[column]
            if column == "properties" and isinstance(value, dict):
                props.update(value)
            else:
                props[column] = value
        yield {"distinct_id": row["distinct_id"], "properties": props}
