"""Insights `series` trees as tidy Polars rows.

An Insights answer maps each metric to `{date: value}` (or `{"all": value}` for a total), with
one level of segment keys per breakdown in between and a `$overall` rollup at every level
(`{metric: {"$overall": {...}, "US": {...}}}`). A branch that stops early is a rollup, so its
missing levels read `$overall`. `headers` names the levels (`$event` or `$metric`, then each
breakdown property); segment columns take those names unless they are missing, repeated or
clash with `date`/`event`/`count`, in which case they are `segment_1`.. `segment_N`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import polars as pl

OVERALL = "$overall"
_RESERVED = {"date", "event", "count"}


def _is_leaf(node: Mapping[str, Any]) -> bool:
    return not any(isinstance(value, Mapping) for value in node.values())


def _depth(node: Any) -> int:
    if not isinstance(node, Mapping) or _is_leaf(node):
        return 0
    return 1 + max(_depth(child) for child in node.values())


def _leaves(
    node: Mapping[str, Any], path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Any]]:
    if _is_leaf(node):
        yield path, node
        return
    for key, child in node.items():
        if not isinstance(child, Mapping):
            continue
        # `$overall` is the rollup of this level, not a segment below it
        yield from _leaves(child, path if key == OVERALL and _is_leaf(child) else (*path, key))


def segment_columns(headers: Sequence[str], depth: int) -> list[str]:
    """Names of the `depth` segment columns (see the module docstring)."""
    names = list(headers[1:]) if headers and headers[0] in ("$event", "$metric") else []
    if (
        len(names) == depth
        and all(names)
        and len(set(names)) == depth
        and not _RESERVED & set(names)
    ):
        return names
    return [f"segment_{i}" for i in range(1, depth + 1)]


def series_frame(series: Mapping[str, Any], headers: Sequence[str]) -> pl.DataFrame:
    """One row per (date, metric, segment path): `date` (left out for totals), `event`, the
    segment columns, `count` (Float64)."""
    metrics = {name: node for name, node in series.items() if isinstance(node, Mapping)}
    depth = max((_depth(node) for node in metrics.values()), default=0)
    if not metrics:
        depth = max(len(headers) - 1, 0)
    columns = segment_columns(headers, depth)
    rows: list[dict[str, Any]] = []
    dated = not metrics
    for name, node in metrics.items():
        for path, leaf in _leaves(node, ()):
            segments = dict(zip(columns, (*path, *[OVERALL] * (depth - len(path))), strict=True))
            for key, value in leaf.items():
                row: dict[str, Any] = {"event": name, **segments, "count": value}
                if key != "all":
                    dated = True
                    row["date"] = key
                rows.append(row)
    schema: dict[str, Any] = {"date": pl.String} if dated else {}
    schema |= {"event": pl.String, **dict.fromkeys(columns, pl.String), "count": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row", strict=False)
