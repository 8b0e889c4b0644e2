"""Lookup-table enrichment: event properties mapped to a lookup table gain the table's columns.

How a property is mapped (a guess, documented here; Mixpanel's UI does it in Lexicon): an
event property definition whose `dataGroupId` is a lookup table's data group id. Each event
whose mapped property `P` holds a value found in the table's first (key) column then also
carries the other columns `C` of that row as a property named `P.C` (text, as the CSV holds
it), so any report can break down by `P.C` or filter on it: segmentation `on`/`where`,
Insights breakdowns and filters, funnels, retention, flows (every engine reads properties
through `rows._raw`, which asks `custom_columns`, which asks `owns` / `raw` here).

Values are matched as text (`"10"` and `10` both match the key `10`; `true` matches `true`);
an unmatched or missing value leaves `P.C` undefined, and a mapped `P.C` is always the
table's (an event property literally named `P.C` is hidden by the mapping). Nothing is
materialised per event: the key column `P` is cut from the events like any property (and
cached per event frame by `rows`), then translated through the table, whose parsed form is
cached per CSV text (a new upload or a replaced table is a new text).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Mapping
from typing import Any

import orjson
import polars as pl

from mixpanel_async.emulator.engine.drop_filters import PROPERTIES as PROPERTY_DEFINITIONS

LOOKUP_TABLES = "lookup_table"
RawOf = Callable[[Any, str], tuple[pl.Series, pl.Series]]
Scalars = Callable[[pl.Series, pl.Series, pl.Series, str], pl.Series]


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


@functools.lru_cache(maxsize=64)
def _table(text: str) -> tuple[pl.Series, dict[str, pl.Series]]:
    """A table's CSV as its key texts and, per other column, the JSON text of each row's
    value (null for an empty cell); rows without a key are left out, the first of repeated
    keys wins."""
    frame = csv_frame(text)
    key, *columns = frame.columns
    frame = frame.filter(pl.col(key).is_not_null()).unique(key, keep="first", maintain_order=True)
    texts = {}
    for c in columns:
        cells = [None if v is None else orjson.dumps(v).decode() for v in frame[c]]
        texts[c] = pl.Series(cells, dtype=pl.String)
    return frame[key], texts


def column_of(name: str, entities: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """`(P, C, csv)` when `name` is `P.C` for a property `P` mapped to a table with a column
    `C` (the table's CSV text), else None."""
    if "." not in name:
        return None
    tables = {str(r["id"]): r["csv"] for r in _rows(entities, LOOKUP_TABLES) if "csv" in r}
    if not tables:
        return None
    for definition in _rows(entities, PROPERTY_DEFINITIONS):
        prop, group = str(definition.get("name")), str(definition.get("dataGroupId"))
        if definition.get("resourceType") != "Event" or group not in tables:
            continue
        if name.startswith(prop + ".") and name[len(prop) + 1 :] in _table(tables[group])[1]:
            return prop, name[len(prop) + 1 :], tables[group]
    return None


def raw(
    rows: Any, found: tuple[str, str, str], raw_of: RawOf, scalars: Scalars
) -> tuple[pl.Series, pl.Series]:
    """The looked-up column `found` (from `column_of`) on `rows` as (JSON text or null, all
    exact): the key property's values (`raw_of`, read as scalar texts by `scalars`) translated
    through the table."""
    prop, column, text = found
    keys, values = _table(text)
    key_raw, exact = raw_of(rows, prop)
    key_text = scalars(key_raw, exact, rows.column("properties"), prop)
    out = key_text.replace_strict(keys, values[column], default=None, return_dtype=pl.String)
    return out, pl.repeat(True, rows.height, eager=True)
