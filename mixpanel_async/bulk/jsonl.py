"""Async iteration over Mixpanel's streamed and paged responses."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import orjson

from mixpanel_async.exceptions import MixpanelConnectionError


class TruncatedStream(MixpanelConnectionError):
    """A JSONL stream ended in the middle of a line (the connection was cut)."""

    default_code = "TRUNCATED_STREAM"


async def jsonl(response: aiohttp.ClientResponse) -> AsyncIterator[dict[str, Any]]:
    """Decode a JSONL body line by line as it arrives.

    A final line without its newline that does not parse is a cut connection, not data: it
    raises `TruncatedStream` so the caller can retry, never silently dropping an event.
    """
    tail = b""
    try:
        async for chunk in response.content.iter_chunked(1 << 16):
            data = tail + chunk
            lines = data.split(b"\n")
            tail = lines.pop()
            for line in lines:
                if line.strip():
                    yield orjson.loads(line)
    except (aiohttp.ClientPayloadError, aiohttp.ClientConnectionError, TimeoutError) as exc:
        raise TruncatedStream(f"the export stream was cut: {exc!r}") from exc
    if tail.strip():
        try:
            record = orjson.loads(tail)
        except orjson.JSONDecodeError:
            raise TruncatedStream("the export stream ended in the middle of a line") from None
        yield record


def normalize_event(event: dict[str, Any]) -> dict[str, Any]:
    """The seed's normalised event: `event_name`, `event_time` (UTC datetime), `distinct_id`,
    `insert_id`, `properties` (the rest).

    Unlike the peer, a missing `$insert_id` is replaced by a stable hash of the event rather
    than a random UUID, so the same export normalises to the same records every time.
    """
    props = dict(event.get("properties") or {})
    distinct_id = props.pop("distinct_id", "")
    raw_time = props.pop("time", 0)
    insert_id = props.pop("$insert_id", None)
    if insert_id is None:
        digest = hashlib.blake2b(orjson.dumps(event, option=orjson.OPT_SORT_KEYS), digest_size=16)
        insert_id = digest.hexdigest()
    return {
        "event_name": event.get("event", ""),
        "event_time": dt.datetime.fromtimestamp(raw_time, tz=dt.UTC),
        "distinct_id": distinct_id,
        "insert_id": insert_id,
        "properties": props,
    }


def normalize_profile(profile: dict[str, Any]) -> dict[str, Any]:
    """The seed's normalised profile: `distinct_id`, `last_seen`, `properties` (the rest).

    Takes over the record's `$properties` dict (records are freshly decoded pages, used once),
    so a page of a thousand profiles is not copied again."""
    props = profile.get("$properties") or {}
    last_seen = props.pop("$last_seen", None)
    return {
        "distinct_id": profile.get("$distinct_id", ""),
        "last_seen": last_seen,
        "properties": props,
    }
