"""Lexicon schemas derived from stored events: one `event` schema per event name, listing every
property seen on it with its JSON type (the first type seen wins)."""

from __future__ import annotations

from typing import Any

import orjson
import polars as pl

HIDDEN = frozenset({"distinct_id", "time", "$insert_id", "token"})
"""Keys every stored event carries that Lexicon does not list as properties."""


def json_type(value: Any) -> str | None:
    """The JSON Schema type name of a JSON value (None for null)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def event_schemas(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """`{entityType, name, schemaJson}` per event name, sorted by name."""
    seen: dict[str, dict[str, str]] = {}
    for event, text in frame.select("event", "properties").iter_rows():
        props = seen.setdefault(event, {})
        for key, value in orjson.loads(text).items():
            kind = json_type(value)
            if key not in HIDDEN and kind is not None:
                props.setdefault(key, kind)
    return [
        {
            "entityType": "event",
            "name": name,
            "schemaJson": {
                "properties": {k: {"type": t} for k, t in sorted(props.items())},
                "metadata": {"com.mixpanel": {"$source": "emulator", "hidden": False}},
            },
        }
        for name, props in sorted(seen.items())
    ]
