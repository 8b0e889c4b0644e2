"""Flows reports as top paths (`query_type=flows_top_paths`) and as prefix trees
(`query_type=flows`), built from the same paths as the Sankey (`engine.flows`: one path per
anchor occurrence or user, columns from the furthest reverse step to the last forward one,
each non-anchor column pruned to its `cardinality_threshold` most frequent events).

Top paths: `flows` lists every distinct path, most frequent first (ties by their events), as
`{"flowSteps": [{event, type, totalCount}], "segments": []}`. A path's steps are its columns
without drop-offs (a path that runs out of events simply ends; missing reverse steps are left
out); a step's `totalCount` is the number of paths that share the columns up to and including
it, or for the step where the path ends, up to its drop-off (so the last step counts the path
itself and the anchor of a path without reverse steps every path), as a string like the
Sankey's counts. These readings are the emulator's; Mixpanel does
not document them.

Trees: `trees` holds one tree, `{"root": node}`, rooted at the anchor; a node is `{step: {event,
type, stepNumber, anchorType, isComputed}, totalCount, dropOffTotalCount, convertedTotalCount,
timePercentilesFromStart, timePercentilesFromPrev, children}`. Its children are the next
column's events (drop-offs are not nodes), most frequent first; `dropOffTotalCount` counts the
paths that end at the node before the last forward step, `convertedTotalCount` the rest. Time
percentiles are not computed (null). With reverse steps a second tree follows, rooted at the
anchor too and growing backwards: its children are the events just before (`anchorType`
`RELATIVE_REVERSE`, `stepNumber` -1, -2, ...), counted the same way (our guess at the shape).

Both answers keep the Sankey's `steps`, `overallConversionRate` and `metadata`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from mixpanel_async.emulator.engine import flow_render, flows

_DROPOFF = "D:"


def top_paths(table: pl.DataFrame) -> list[dict[str, Any]]:
    """The `flows` of a top-paths answer from a pruned path table (`c0`.. columns)."""
    if not table.height:
        return []
    columns = table.columns
    counted = table.group_by(columns).len()
    prefixes = [
        {tuple(row[:-1]): row[-1] for row in table.group_by(columns[: j + 1]).len().iter_rows()}
        for j in range(len(columns))
    ]
    ranked = sorted(counted.iter_rows(), key=lambda row: (-row[-1], row[:-1]))
    out = []
    for row in ranked:
        labels = row[:-1]
        steps = []
        for j, label in enumerate(labels):
            if label.startswith(_DROPOFF):
                continue
            upto = j + 1 if j + 1 < len(labels) and labels[j + 1].startswith(_DROPOFF) else j
            event, kind = flow_render.split_label(label)
            share = prefixes[upto][tuple(labels[: upto + 1])]
            steps.append({"event": event, "type": kind, "totalCount": str(share)})
        out.append({"flowSteps": steps, "segments": []})
    return out


def tree(table: pl.DataFrame, forward: int, reverse: int = 0) -> list[dict[str, Any]]:
    """The `trees` of a tree answer from a pruned path table (`reverse` columns before the
    anchor): the forward tree, then, with reverse columns, the reverse one."""
    if not table.height:
        return []
    ahead = table.select(pl.col(f"c{reverse + k}").alias(f"c{k}") for k in range(forward + 1))
    trees = [_tree(ahead, forward, 1)]
    if reverse:
        behind = table.select(pl.col(f"c{reverse - k}").alias(f"c{k}") for k in range(reverse + 1))
        trees.append(_tree(behind, reverse, -1))
    return trees


def _tree(table: pl.DataFrame, steps: int, sign: int) -> dict[str, Any]:
    """One tree from the anchor column `c0` over `steps` more columns (`sign` -1: backwards
    in time)."""
    direction = "RELATIVE_FORWARD" if sign > 0 else "RELATIVE_REVERSE"
    counts: dict[tuple[str, ...], int] = {}
    below: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for j in range(table.width):
        for row in table.group_by(table.columns[: j + 1]).len().iter_rows():
            counts[tuple(row[:-1])] = row[-1]
            below.setdefault(tuple(row[:-2]), []).append(tuple(row[:-1]))

    def node(path: tuple[str, ...]) -> dict[str, Any]:
        depth = len(path) - 1
        total = counts[path]
        children = below.get(path, [])
        ended = sum(counts[key] for key in children if key[-1].startswith(_DROPOFF))
        kept = sorted(
            (key for key in children if not key[-1].startswith(_DROPOFF)),
            key=lambda key: (-counts[key], key[-1]),
        )
        event, kind = flow_render.split_label(path[-1])
        return {
            "step": {
                "event": event,
                "type": kind,
                "stepNumber": sign * depth,
                "anchorType": "NORMAL" if depth == 0 else direction,
                "isComputed": False,
            },
            "totalCount": total,
            "dropOffTotalCount": ended if depth < steps else 0,
            "convertedTotalCount": total - ended if depth < steps else total,
            "timePercentilesFromStart": None,
            "timePercentilesFromPrev": None,
            "children": [node(key) for key in kept],
        }

    return {"root": node((table["c0"][0],))}


def answer(
    frame: pl.DataFrame,
    spec: flows.FlowSpec,
    mode: str,
    *,
    timezone: str | None = "UTC",
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The `flows_top_paths` (`mode` "paths") or `flows` (`mode` "tree") answer.

    Raises:
        ValueError: a tree of several anchor steps.
    """
    if mode == "tree" and spec.later:
        raise ValueError(flows.UNSUPPORTED.format(what="a tree of several anchor steps"))
    moment = now or dt.datetime.now(dt.UTC)
    table = flows.pruned(frame, spec, timezone, moment)
    result = flows.sankey_of(table, spec, moment)
    if mode == "tree":
        result["trees"] = tree(table, spec.forward, spec.reverse)
    else:
        result["flows"] = top_paths(table)
    return result
