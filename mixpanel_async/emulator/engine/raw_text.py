"""Property values cut out of the stored JSON text of events with vectorised regexes, without
decoding the rows (`engine.rows` caches the columns and evaluates expressions on them; its
docstring says when the cut text is exact).
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson
import polars as pl

from mixpanel_async.emulator.flat_texts import flat_texts

_VALUE = r'\s*:\s*(?:"[^"]*"|[^,}\s]+)'


def key_literal(name: str) -> str | None:
    """`name` as a regex literal matching its quoted JSON form (see `engine.rows`), or
    None when the key needs JSON escaping (such rows are never flat)."""
    if orjson.dumps(name).decode() != f'"{name}"':
        return None
    return "".join(c if c.isalnum() or c == "_" else f"\\x{{{ord(c):X}}}" for c in name)


def extract(target: pl.DataFrame, names: Sequence[str]) -> dict[str, tuple[pl.Series, pl.Series]]:
    """Per property name: (raw JSON text of the top-level key or null, whether that text is
    exact) per row, all cut out in one parallel pass: each name's `"key": value` matches, of
    which it keeps the last (the one a JSON decoder keeps). In a flat row a quoted name
    followed by a colon can only be a key, so the text is exact there."""
    props = pl.col("properties")
    columns = []
    if "_flat" not in target.columns:
        columns.append(flat_texts(props).alias("flat"))
    for i, name in enumerate(names):
        literal = key_literal(name)
        if literal is None:  # nothing to cut out: decode every row
            columns.append(pl.lit(None, pl.String).alias(f"r{i}"))
            continue
        matches = props.str.extract_all(f'"{literal}"{_VALUE}').list.last()
        value = matches.str.slice(len(name) + 2).str.strip_chars_start(" \t\r\n:")
        columns.append(value.alias(f"r{i}"))
    out = parallel_select(target, columns)
    flat = out["flat"] if "_flat" not in target.columns else target["_flat"].alias("flat")
    never = pl.repeat(False, out.height, eager=True)
    return {
        name: (out[f"r{i}"], never if key_literal(name) is None else flat)
        for i, name in enumerate(names)
    }


_PARTS = 4  # row slices cut in parallel (string expressions run on one core per column)
_MIN_PART = 100_000  # rows below which slicing costs more than it saves


def parallel_select(target: pl.DataFrame, columns: Sequence[pl.Expr]) -> pl.DataFrame:
    """`target.select(columns)`, evaluated on slices of rows in parallel and concatenated in
    order (the same frame; the columns are row-wise, so slicing changes nothing)."""
    parts = min(_PARTS, target.height // _MIN_PART)
    if parts < 2:
        return target.select(columns)
    step = -(-target.height // parts)
    lazy = target.lazy()
    slices = [lazy.slice(i * step, step).select(columns) for i in range(parts)]
    return pl.concat(slices, parallel=True).collect()
