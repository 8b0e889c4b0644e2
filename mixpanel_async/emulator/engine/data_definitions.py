"""Lexicon data definitions derived from stored events and profiles: event definitions, event and
user property definitions (JSON type first seen, record counts, density) and the per-event
property lists of the Query API's gather. Types and hidden keys follow `engine.lexicon`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
import polars as pl

from mixpanel_async.emulator.engine.lexicon import HIDDEN, event_schemas, json_type

USER_HIDDEN = frozenset({"$distinct_id", "distinct_id"})
"""Profile keys that identify the record rather than describe it."""


def _blank(name: str) -> dict[str, Any]:
    return {"name": name, "displayName": "", "description": "", "hidden": False}


def event_definitions(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """One definition per event name with its event count, sorted by name."""
    counts = frame.group_by("event").len().sort("event")
    return [
        {**_blank(name), "dropped": False, "verified": False, "count": n}
        for name, n in counts.iter_rows()
    ]


def _property_rows(
    records: Iterable[Mapping[str, Any]],
    hidden: frozenset[str],
    resource: str,
    density: bool,
) -> list[dict[str, Any]]:
    types: dict[str, str] = {}
    counts: Counter[str] = Counter()
    total = 0
    for record in records:
        total += 1
        for key, value in record.items():
            kind = json_type(value)
            if key in hidden or kind is None:
                continue
            types.setdefault(key, kind)
            counts[key] += 1
    rows = []
    for name in sorted(types):
        row = {**_blank(name), "resourceType": resource, "type": types[name]}
        row["count"] = counts[name]
        if density:
            row["densityLocal"] = counts[name] / total
        rows.append(row)
    return rows


def event_properties(frame: pl.DataFrame, *, density: bool = False) -> list[dict[str, Any]]:
    """Every property seen on any event, sorted by name; `count` is the number of events with
    it and `densityLocal` (when asked) their share of all events."""
    records = (orjson.loads(text) for text in frame["properties"])
    return _property_rows(records, HIDDEN, "Event", density)


def user_properties(
    profiles: Iterable[Mapping[str, Any]], *, density: bool = False
) -> list[dict[str, Any]]:
    """Every property seen on any profile, sorted by name, counted like `event_properties`."""
    return _property_rows(profiles, USER_HIDDEN, "User", density)


def per_event_properties(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """`{name, properties: [{name, type}]}` per event name, sorted by name."""
    return [
        {
            "name": schema["name"],
            "properties": [
                {"name": prop, "type": body["type"]}
                for prop, body in schema["schemaJson"]["properties"].items()
            ],
        }
        for schema in event_schemas(frame)
    ]


DAY_MS = 86_400_000


def _counted(frame: pl.DataFrame, path: str) -> list[dict[str, Any]]:
    values = frame.select(pl.col("properties").str.json_path_match(path).alias("v"))
    counts = values.filter(pl.col("v").is_not_null()).group_by("v").len()
    return [
        {"name": v, "count": n}
        for v, n in counts.sort(["len", "v"], descending=[True, False]).iter_rows()
    ]


def tracking_metadata(frame: pl.DataFrame, event: str, now_ms: int) -> dict[str, Any] | None:
    """How one event is tracked, from its stored rows (None when there are none): first and
    last time seen (ISO UTC), its all-time and 30-day counts, and the libraries (`mp_lib`) and
    operating systems (`$os`) that sent it, most frequent first. The shape is a guess: Mixpanel
    does not document this answer."""
    mine = frame.filter(pl.col("event") == event)
    if mine.height == 0:
        return None

    def iso(ms: int) -> str:
        return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    first, last = mine["time"].min(), mine["time"].max()
    assert isinstance(first, int)
    assert isinstance(last, int)
    return {
        "eventName": event,
        "firstSeen": iso(first),
        "lastSeen": iso(last),
        "totalCount": mine.height,
        "last30DaysCount": mine.filter(pl.col("time") > now_ms - 30 * DAY_MS).height,
        "libraries": _counted(mine, "$.mp_lib"),
        "platforms": _counted(mine, "$.$os"),
    }
