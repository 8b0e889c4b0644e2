"""Flows answers, the rendering: how a traced path table's labels name their nodes, and the
Sankey `steps` (nodes and edges per column) `engine.flows` and `engine.flow_paths` answer with.

Path labels carry their node kind as a prefix, so an event literally named `$other` or
`$dropoff` is never confused with the pruned or drop-off node while counting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

CUSTOM_EVENT = "$custom_event:"  # `custom_columns.EVENT_PREFIX` (not imported: no engine deps)
DROPOFF_EVENT = "$dropoff"
PRUNED_EVENT = "$other"
ANCHOR, NORMAL, PRUNED, DROPOFF = "A:", "N:", "P:", "D:"
"""The label prefixes of anchor, event, pruned and drop-off nodes."""
_TYPES = {ANCHOR: "ANCHOR", NORMAL: "NORMAL", PRUNED: "PRUNED", DROPOFF: "DROPOFF"}
_ORDER = {ANCHOR: 0, NORMAL: 0, PRUNED: 1, DROPOFF: 2}


def split_label(label: str) -> tuple[str, str]:
    """(event name on the wire, node type) of a prefixed label."""
    kind, name = label[:2], label[2:]
    if kind == DROPOFF:
        name = DROPOFF_EVENT
    elif kind == PRUNED:
        name = PRUNED_EVENT
    return name, _TYPES[kind]


def _sort_key(item: tuple[str, int]) -> tuple[int, int, str]:
    label, count = item
    return _ORDER[label[:2]], -count, label


def render(table: pl.DataFrame, kinds: Sequence[str]) -> list[dict[str, Any]]:
    """Mixpanel's `steps`: one `{"nodes": [...]}` per column, each node with its edges;
    `kinds` is each column's `anchorType`."""
    width = table.width
    out: list[dict[str, Any]] = []
    for j in range(width):
        column, anchor_type = f"c{j}", kinds[j]
        counts = dict(table.group_by(column).len().iter_rows())
        edges: dict[str, list[tuple[str, int]]] = {}
        if j + 1 < width:
            pairs = table.group_by(column, f"c{j + 1}").len().iter_rows()
            for source, target, count in pairs:
                edges.setdefault(source, []).append((target, count))
        nodes = []
        for label, count in sorted(counts.items(), key=_sort_key):
            event, kind = split_label(label)
            node_edges = []
            for target, through in sorted(edges.get(label, []), key=_sort_key):
                target_event, target_kind = split_label(target)
                node_edges.append(
                    {
                        "event": target_event,
                        "step": j + 1,
                        "totalCount": str(through),
                        "type": target_kind,
                    }
                )
            nodes.append(
                {
                    "event": event,
                    "type": kind,
                    "anchorType": anchor_type,
                    "totalCount": str(count),
                    "isCustomEvent": event.startswith(CUSTOM_EVENT),
                    "conversionRateChange": None,
                    "edges": node_edges,
                }
            )
        out.append({"nodes": nodes})
    return out
