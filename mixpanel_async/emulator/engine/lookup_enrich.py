"""Lookup-table enrichment: event properties mapped to a lookup table gain the table's columns.

How a property is mapped (a guess, documented here; Mixpanel's UI does it in Lexicon): an
event property definition whose `dataGroupId` is a lookup table's data group id. Each event
whose mapped property `P` holds a value found in the table's first (key) column then also
carries the other columns `C` of that row as properties named `P.C` (text, as the CSV holds
them), so a segmentation can break down by `properties["P.C"]` or filter on it. Values are
matched as text (`10` matches the key `10`); an unmatched value adds nothing. Without a mapped
property the frame is returned unchanged.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import orjson
import polars as pl

from mixpanel_async.emulator.engine.drop_filters import PROPERTIES as PROPERTY_DEFINITIONS

LOOKUP_TABLES = "lookup_table"


def csv_frame(text: str) -> pl.DataFrame:
    """A lookup table's CSV as a frame, every column as text."""
    return pl.read_csv(io.StringIO(text), infer_schema=False)


def _rows(entities: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    rows = getattr(entities.get(kind), "rows", None)
    return list(rows.values()) if isinstance(rows, Mapping) else []


def mapped_groups(entities: Mapping[str, Any]) -> frozenset[str]:
    """The data group ids some event property definition maps to."""
    return frozenset(
        str(d.get("dataGroupId"))
        for d in _rows(entities, PROPERTY_DEFINITIONS)
        if d.get("resourceType") == "Event" and d.get("dataGroupId") is not None
    )


def mappings(entities: Mapping[str, Any]) -> dict[str, dict[str, dict[str, str]]]:
    """Mapped event property → {key value → {column: value}} of its lookup table."""
    tables = {str(r["id"]): r for r in _rows(entities, LOOKUP_TABLES) if "csv" in r}
    out: dict[str, dict[str, dict[str, str]]] = {}
    for definition in _rows(entities, PROPERTY_DEFINITIONS):
        group = definition.get("dataGroupId")
        if definition.get("resourceType") != "Event" or str(group) not in tables:
            continue
        frame = csv_frame(tables[str(group)]["csv"])
        key, *columns = frame.columns
        out[str(definition["name"])] = {
            str(row[key]): {c: row[c] for c in columns if row[c] is not None}
            for row in frame.iter_rows(named=True)
            if row[key] is not None
        }
    return out


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return None


def enrich(frame: pl.DataFrame, entities: Mapping[str, Any]) -> pl.DataFrame:
    """`frame` (stored event rows, properties as JSON text) with the lookup columns of every
    mapped property added to the events' properties."""
    found = mappings(entities)
    if not found or frame.is_empty():
        return frame

    def add(text: str) -> str:
        props = orjson.loads(text)
        extra: dict[str, str] = {}
        for name, table in found.items():
            key = _scalar_text(props.get(name))
            for column, value in (table.get(key, {}) if key is not None else {}).items():
                extra[f"{name}.{column}"] = value
        return orjson.dumps({**props, **extra}).decode() if extra else text

    return frame.with_columns(pl.col("properties").map_elements(add, return_dtype=pl.String))
