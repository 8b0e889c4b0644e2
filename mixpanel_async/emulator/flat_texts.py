"""Which stored properties texts are *flat* (no nested value and no escape), computed once
per stored chunk at ingestion and remembered per deduplicated frame, so that the engines'
literal and raw-text readers know where a plain text search is exact."""

from __future__ import annotations

import threading
import weakref

import polars as pl

_NESTED = r"[\[{\\]"  # an array, an object or an escape after the opening brace


def flat_texts(properties: pl.Expr) -> pl.Expr:
    """Per properties JSON text, whether it is *flat*: no `[`, `{` or `\\` after its opening
    brace, so its strings hold no quotes and a quoted name followed by a colon is a key."""
    return ~properties.str.slice(1).str.contains(_NESTED)


def flat_column(chunk: pl.DataFrame) -> pl.Series:
    """`flat_texts` of a stored chunk's properties."""
    return chunk.select(flat_texts(pl.col("properties"))).to_series()


_FLAT_LOCK = threading.Lock()
_FLAT: dict[int, tuple[weakref.ref[pl.DataFrame], pl.Series]] = {}


def flat_rows(frame: pl.DataFrame) -> pl.Series | None:
    """`flat_texts` of a frame `EventStore.deduped()` returned, computed at ingestion (None
    for any other frame)."""
    with _FLAT_LOCK:
        hit = _FLAT.get(id(frame))
    return hit[1] if hit is not None and hit[0]() is frame else None


def remember_flat(frame: pl.DataFrame, flat: pl.Series) -> None:
    """Keep `flat` as the `flat_rows` of `frame` for as long as `frame` lives."""
    key = id(frame)

    def forget(_: object) -> None:
        with _FLAT_LOCK:
            _FLAT.pop(key, None)

    with _FLAT_LOCK:
        _FLAT[key] = (weakref.ref(frame, forget), flat)
