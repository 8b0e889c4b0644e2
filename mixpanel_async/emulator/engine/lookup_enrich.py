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


def _fragments(name: str, table: dict[str, dict[str, str]]) -> pl.DataFrame:
    """Key text → the JSON members (`"P.C":"value",...`) its row adds, encoded here once."""
    keys, parts = [], []
    for key, columns in table.items():
        if columns:
            members = {f"{name}.{column}": value for column, value in columns.items()}
            keys.append(key)
            parts.append(orjson.dumps(members).decode()[1:-1])
    return pl.DataFrame(
        {"__key": keys, "__add": parts}, schema={"__key": pl.String, "__add": pl.String}
    )


def enrich(frame: pl.DataFrame, entities: Mapping[str, Any]) -> pl.DataFrame:
    """`frame` (stored event rows, properties as JSON text) with the lookup columns of every
    mapped property added to the events' properties.

    The mapped property's value is read as JSON path text (`"pro"` → `pro`, `7` → `7`,
    `true` → `true`) and matched with the table's key column; the matching row's members are
    spliced into the properties text, so the rest of each row is left byte for byte.
    """
    found = mappings(entities)
    if not found or frame.is_empty():
        return frame
    out = frame.with_row_index("__row")
    for name, table in found.items():
        if any(c in name for c in "'\"\\"):
            continue  # a name a JSON path cannot quote simply: left unenriched
        path = f"$['{name}']"
        keyed = out.with_columns(pl.col("properties").str.json_path_match(path).alias("__key"))
        joined = keyed.join(_fragments(name, table), on="__key", how="left").sort("__row")
        props, add = pl.col("properties"), pl.col("__add")
        body = props.str.strip_chars_end().str.strip_suffix("}")
        spliced = (
            pl.when(add.is_null())
            .then(props)
            .when(body.str.strip_chars().str.ends_with("{"))
            .then(body + add + "}")
            .otherwise(body + "," + add + "}")
        )
        out = joined.with_columns(spliced.alias("properties")).drop("__key", "__add")
    return out.drop("__row")
