"""The activity feed (stream/bookmark): some users' events in a window, paged backwards.

Pages are cut newest first: the first page holds the `limit` most recent matching events, each
page is returned oldest-first, and the page's `sentinel_event` (its oldest event's ordering key)
asks for the events strictly older than it. Events are ordered by (time, event, distinct_id,
$insert_id, a digest of the properties), a total order over the deduplicated events.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
import polars as pl

from mixpanel_async.emulator.event_text import full_texts

DAY_MS = 86_400_000
DEFAULT_LIMIT = 15_000
"""Mixpanel's ceiling; also what a request without `limit` gets."""

Key = tuple[int, str, str, str, str]


class FeedError(ValueError):
    """A request the feed cannot answer (a 400)."""


def _key(row: Mapping[str, Any]) -> Key:
    return (
        int(row["time"]),
        str(row["event"]),
        str(row["distinct_id"]),
        str(row["insert_id"] or ""),
        hashlib.sha1(str(row["properties"]).encode()).hexdigest(),
    )


def sentinel_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The cursor naming one event exactly (opaque to clients, passed back verbatim)."""
    time, event, distinct_id, insert_id, properties = _key(row)
    return {
        "time": time,
        "event": event,
        "distinct_id": distinct_id,
        "$insert_id": insert_id,
        "digest": properties,
    }


def _sentinel_key(sentinel: Mapping[str, Any]) -> Key:
    try:
        return (
            int(sentinel["time"]),
            str(sentinel["event"]),
            str(sentinel["distinct_id"]),
            str(sentinel.get("$insert_id") or ""),
            str(sentinel.get("digest") or ""),
        )
    except (KeyError, TypeError, ValueError):
        raise FeedError("sentinel_event is not a cursor this endpoint returned") from None


def _matches(props: Mapping[str, Any], event: str, needle: str, fields: Sequence[str]) -> bool:
    """Case-insensitive substring search over the event name and property values (or only the
    named properties)."""
    values = [props.get(name) for name in fields] if fields else [event, *props.values()]
    for value in values:
        if value is None:
            continue
        text = value if isinstance(value, str) else orjson.dumps(value).decode()
        if needle in text.lower():
            return True
    return False


def feed(
    frame: pl.DataFrame,
    distinct_ids: Sequence[str],
    start_ms: int,
    end_ms: int,
    *,
    limit: int | None = None,
    include_events: Sequence[str] | None = None,
    exclude_events: Sequence[str] | None = None,
    sentinel_event: Mapping[str, Any] | None = None,
    paging_window: int | None = None,
    search: str | None = None,
    search_properties: Sequence[Mapping[str, Any]] | None = None,
    profiles: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """One page of the feed over deduplicated events `[start_ms, end_ms)`.

    Returns:
        (events as `{"event", "properties"}`, oldest first; the sentinel of the next page or None)
    """
    rows = frame.filter(
        pl.col("distinct_id").is_in(list(distinct_ids))
        & (pl.col("time") >= start_ms)
        & (pl.col("time") < end_ms)
    )
    if include_events:
        rows = rows.filter(pl.col("event").is_in(list(include_events)))
    if exclude_events:
        rows = rows.filter(~pl.col("event").is_in(list(exclude_events)))
    rows = rows.with_columns(full_texts(rows))  # the stored texts lack the column keys
    candidates = sorted(rows.iter_rows(named=True), key=_key, reverse=True)
    if sentinel_event is not None:
        below = _sentinel_key(sentinel_event)
        candidates = [r for r in candidates if _key(r) < below]
    if search is not None:
        needle = search.lower()
        event_fields = [
            str(p.get("value")) for p in search_properties or () if p.get("resourceType") != "user"
        ]
        user_fields = [
            str(p.get("value")) for p in search_properties or () if p.get("resourceType") == "user"
        ]
        kept = []
        for row in candidates:
            props = orjson.loads(row["properties"])
            found = (not search_properties or bool(event_fields)) and _matches(
                props, row["event"], needle, event_fields
            )
            if not found and user_fields:
                profile = (profiles or {}).get(row["distinct_id"], {})
                found = _matches(profile, "", needle, user_fields)
            if found:
                kept.append(row)
        candidates = kept
    if not candidates:
        return [], None
    page = candidates
    if paging_window is not None:
        # The scan window opens at the newest remaining event, so every page makes progress.
        floor = candidates[0]["time"] - paging_window * DAY_MS
        page = [r for r in page if r["time"] > floor]
    page = page[: limit or DEFAULT_LIMIT]
    sentinel = sentinel_of(page[-1]) if len(candidates) > len(page) else None
    events = [{"event": r["event"], "properties": orjson.loads(r["properties"])} for r in page]
    events.reverse()
    return events, sentinel
