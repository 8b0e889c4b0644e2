"""Result of `query_saved_flows()`: the seed's `FlowsResult`, with Polars frames.

`steps` stays as Mixpanel sends it (Sankey columns of nodes with wire keys such as
`totalCount` and `anchorType`); `.df` and `.edges_df` flatten it into tidy rows, counts parsed
from their decimal strings.
"""

from __future__ import annotations

import functools
from typing import Any

import attrs
import polars as pl

from mixpanel_async.results._common import Result

_NODE_SCHEMA = {
    "step": pl.Int64,
    "event": pl.String,
    "type": pl.String,
    "count": pl.Int64,
    "anchor_type": pl.String,
}
_EDGE_SCHEMA = {
    "source_step": pl.Int64,
    "source_event": pl.String,
    "target_step": pl.Int64,
    "target_event": pl.String,
    "count": pl.Int64,
    "target_type": pl.String,
}


def _count(value: Any) -> int | None:
    """A wire count (`"12"`, or a number) as an int; None when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _nodes(steps: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    return [
        (index, node)
        for index, column in enumerate(steps)
        if isinstance(column, dict)
        for node in column.get("nodes") or []
        if isinstance(node, dict)
    ]


def nodes_frame(steps: list[dict[str, Any]]) -> pl.DataFrame:
    """Sankey columns as one row per node: `step`, `event`, `type`, `count`, `anchor_type`."""
    rows = [
        {
            "step": index,
            "event": node.get("event"),
            "type": node.get("type"),
            "count": _count(node.get("totalCount")),
            "anchor_type": node.get("anchorType"),
        }
        for index, node in _nodes(steps)
    ]
    return pl.DataFrame(rows, schema=_NODE_SCHEMA, orient="row")


@attrs.frozen
class FlowsResult(Result):
    """A saved Flows report. `steps` is one `{"nodes": [...]}` column per position (the
    furthest reverse step first); each node has `event`, `type` (`ANCHOR`, `NORMAL`,
    `DROPOFF`, `PRUNED`), `anchorType`, `totalCount` (a string) and `edges` to the next column."""

    bookmark_id: int
    computed_at: str
    steps: list[dict[str, Any]] = attrs.field(factory=list)
    breakdowns: list[dict[str, Any]] = attrs.field(factory=list)
    overall_conversion_rate: float = 0.0
    metadata: dict[str, Any] = attrs.field(factory=dict)

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """One row per node: `step` (column index from 0), `event`, `type`, `count`,
        `anchor_type`."""
        return nodes_frame(self.steps)

    @functools.cached_property
    def edges_df(self) -> pl.DataFrame:
        """One row per edge: `source_step`, `source_event`, `target_step`, `target_event`,
        `count`, `target_type`."""
        rows = [
            {
                "source_step": index,
                "source_event": node.get("event"),
                "target_step": _count(edge.get("step", index + 1)),
                "target_event": edge.get("event"),
                "count": _count(edge.get("totalCount")),
                "target_type": edge.get("type"),
            }
            for index, node in _nodes(self.steps)
            for edge in node.get("edges") or []
            if isinstance(edge, dict)
        ]
        return pl.DataFrame(rows, schema=_EDGE_SCHEMA, orient="row")
