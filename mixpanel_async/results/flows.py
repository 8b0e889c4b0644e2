"""Results of flows reports: `FlowsResult` (`query_saved_flows()`) and `FlowQueryResult`
(`query_flow()`, `run_flow_params()`, with `FlowTreeNode` prefix trees), with Polars frames.

`steps` stays as Mixpanel sends it (Sankey columns of nodes with wire keys such as
`totalCount` and `anchorType`); `.df` and `.edges_df` flatten it into tidy rows, counts parsed
from their decimal strings.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Literal, TypedDict

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.reports.literals import FlowAnchorType, FlowNodeType
from mixpanel_async.results._common import Result, as_dict

if TYPE_CHECKING:
    import polars as pl
else:
    pl = LazyModule("polars")


class FlowStepNode(TypedDict, total=False):
    """One node of `FlowQueryResult.steps` as Mixpanel sends it.

    Attributes:
        event: The node's event.
        totalCount: Its count, as Mixpanel writes it (a decimal string).
        type: What kind of node (`ANCHOR`, `NORMAL`, `DROPOFF`, `PRUNED`, ...).
        anchorType: How the anchor relates (`NORMAL`, `RELATIVE_REVERSE`, `RELATIVE_FORWARD`).
        isCustomEvent: Whether the event is a custom event.
        conversionRateChange: The change of conversion rate at the node, if any.
    """

    event: str
    totalCount: str
    type: FlowNodeType
    anchorType: FlowAnchorType
    isCustomEvent: bool
    conversionRateChange: float | None


class FlowEdge(TypedDict, total=False):
    """One transition of `FlowQueryResult.flows`.

    Attributes:
        source: The event left.
        target: The event reached.
        count: Users (or events) that went this way.
        step: The step the transition starts at.
    """

    source: str
    target: str
    count: int
    step: int


@functools.cache
def _node_schema() -> dict[str, Any]:
    """Column types of the nodes frame (built on first use, with polars)."""
    return {
        "step": pl.Int64,
        "event": pl.String,
        "type": pl.String,
        "count": pl.Int64,
        "anchor_type": pl.String,
    }


@functools.cache
def _flag_schema() -> dict[str, Any]:
    """Column types of the nodes frame's flag columns (built on first use, with polars)."""
    return {"is_custom_event": pl.Boolean, "conversion_rate_change": pl.Float64}


@functools.cache
def _edge_schema() -> dict[str, Any]:
    """Column types of the edges frame (built on first use, with polars)."""
    return {
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


def edges_frame(steps: list[dict[str, Any]]) -> pl.DataFrame:
    """Sankey edges as one row per edge: `source_step`, `source_event`, `target_step`,
    `target_event`, `count`, `target_type`."""
    rows = [
        {
            "source_step": index,
            "source_event": node.get("event"),
            "target_step": _count(edge.get("step", index + 1)),
            "target_event": edge.get("event"),
            "count": _count(edge.get("totalCount")),
            "target_type": edge.get("type"),
        }
        for index, node in _nodes(steps)
        for edge in node.get("edges") or []
        if isinstance(edge, dict)
    ]
    return pl.DataFrame(rows, schema=_edge_schema(), orient="row")


def nodes_frame(steps: list[dict[str, Any]], *, flags: bool = False) -> pl.DataFrame:
    """Sankey columns as one row per node: `step`, `event`, `type`, `count`, `anchor_type`;
    with `flags`, also `is_custom_event` (False when absent) and `conversion_rate_change`
    (0.0 when absent, null when Mixpanel sends null)."""
    rows = [
        {
            "step": index,
            "event": node.get("event"),
            "type": node.get("type"),
            "count": _count(node.get("totalCount")),
            "anchor_type": node.get("anchorType"),
        }
        | (
            {
                "is_custom_event": bool(node.get("isCustomEvent", False)),
                "conversion_rate_change": node.get("conversionRateChange", 0.0),
            }
            if flags
            else {}
        )
        for index, node in _nodes(steps)
    ]
    schema = _node_schema() | (_flag_schema() if flags else {})
    return pl.DataFrame(rows, schema=schema, orient="row", strict=False)


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
        return edges_frame(self.steps)


@functools.cache
def _tree_schema() -> dict[str, Any]:
    """Column types of the trees frame (built on first use, with polars)."""
    return {
        "tree_index": pl.Int64,
        "depth": pl.Int64,
        "path": pl.String,
        "event": pl.String,
        "type": pl.String,
        "step_number": pl.Int64,
        "total_count": pl.Int64,
        "drop_off_count": pl.Int64,
        "converted_count": pl.Int64,
    }


@functools.cache
def _path_schema() -> dict[str, Any]:
    """Column types of the paths frame (built on first use, with polars)."""
    return {
        "path_index": pl.Int64,
        "step": pl.Int64,
        "event": pl.String,
        "type": pl.String,
        "count": pl.Int64,
    }


def _either(raw: dict[str, Any], camel: str, snake: str, default: Any) -> Any:
    """A field Mixpanel spells in camelCase (and some answers in snake_case)."""
    return raw[camel] if camel in raw else raw.get(snake, default)


@attrs.frozen
class FlowTreeNode:
    """One node of a flows prefix tree (mode `tree`): an event at a step, how many got there,
    went on or stopped, and the nodes that follow it."""

    event: str
    type: str
    step_number: int
    total_count: int
    drop_off_count: int = 0
    converted_count: int = 0
    anchor_type: str = "NORMAL"
    is_computed: bool = False
    children: tuple[FlowTreeNode, ...] = ()
    time_percentiles_from_start: dict[str, Any] = attrs.field(factory=dict)
    time_percentiles_from_prev: dict[str, Any] = attrs.field(factory=dict)

    @classmethod
    def from_wire(cls, raw: dict[str, Any]) -> FlowTreeNode:
        """A node from the answer's `{step: {event, type, stepNumber, ...}, totalCount, ...,
        children: [...]}` (snake_case spellings accepted too)."""
        step = raw.get("step") or {}
        start = _either(raw, "timePercentilesFromStart", "time_percentiles_from_start", {})
        prev = _either(raw, "timePercentilesFromPrev", "time_percentiles_from_prev", {})
        return cls(
            event=str(step.get("event") or ""),
            type=str(step.get("type") or ""),
            step_number=_count(_either(step, "stepNumber", "step_number", 0)) or 0,
            total_count=_count(_either(raw, "totalCount", "total_count", 0)) or 0,
            drop_off_count=_count(_either(raw, "dropOffTotalCount", "drop_off_total_count", 0))
            or 0,
            converted_count=_count(_either(raw, "convertedTotalCount", "converted_total_count", 0))
            or 0,
            anchor_type=str(_either(step, "anchorType", "anchor_type", "NORMAL")),
            is_computed=bool(_either(step, "isComputed", "is_computed", False)),
            children=tuple(cls.from_wire(c) for c in raw.get("children") or []),
            time_percentiles_from_start=start if isinstance(start, dict) else {},
            time_percentiles_from_prev=prev if isinstance(prev, dict) else {},
        )

    @property
    def depth(self) -> int:
        """Levels below this node (0 for a leaf)."""
        return 1 + max(c.depth for c in self.children) if self.children else 0

    @property
    def node_count(self) -> int:
        """Nodes in this subtree, this one included."""
        return 1 + sum(c.node_count for c in self.children)

    @property
    def leaf_count(self) -> int:
        """Leaves in this subtree (the distinct paths through it)."""
        return sum(c.leaf_count for c in self.children) if self.children else 1

    @property
    def conversion_rate(self) -> float:
        """Share of this node's count that went on to a next step."""
        return self.converted_count / self.total_count if self.total_count else 0.0

    @property
    def drop_off_rate(self) -> float:
        """Share of this node's count that stopped here."""
        return self.drop_off_count / self.total_count if self.total_count else 0.0

    def all_paths(self) -> list[list[FlowTreeNode]]:
        """Every path from this node down to a leaf."""
        if not self.children:
            return [[self]]
        return [[self, *rest] for child in self.children for rest in child.all_paths()]

    def find(self, event: str) -> list[FlowTreeNode]:
        """Nodes of this subtree whose event is `event`, depth first."""
        return [node for node in self.flatten() if node.event == event]

    def flatten(self) -> list[FlowTreeNode]:
        """This subtree's nodes, depth first, this one first."""
        return [self, *(node for child in self.children for node in child.flatten())]

    def to_dict(self) -> dict[str, Any]:
        """The subtree as plain data (`children` a list of their dicts)."""
        return as_dict(self) | {"children": [child.to_dict() for child in self.children]}


def _tree_rows(
    node: FlowTreeNode, index: int, above: list[str], rows: list[dict[str, Any]]
) -> None:
    path = [*above, node.event]
    rows.append(
        {
            "tree_index": index,
            "depth": len(above),
            "path": " > ".join(path),
            "event": node.event,
            "type": node.type,
            "step_number": node.step_number,
            "total_count": node.total_count,
            "drop_off_count": node.drop_off_count,
            "converted_count": node.converted_count,
        }
    )
    for child in node.children:
        _tree_rows(child, index, path, rows)


def trees_of(raw: dict[str, Any]) -> list[FlowTreeNode]:
    """The prefix trees of a `query_type=flows` answer; a root without an event stands for
    its children."""
    trees: list[FlowTreeNode] = []
    for tree in raw.get("trees") or []:
        root = tree.get("root") if isinstance(tree, dict) else None
        if root:
            node = FlowTreeNode.from_wire(root)
            trees.extend([node] if node.event else node.children)
    return trees


@attrs.frozen
class FlowQueryResult(Result):
    """A flows report computed from bookmark JSON (`query_flow`, `run_flow_params`).

    `steps` holds the Sankey columns (mode `sankey`), `flows` the top paths (mode `paths`,
    each with its `flowSteps`), `trees` the prefix trees (mode `tree`); `params` is the
    bookmark that was sent and `meta` the answer's `metadata`.
    """

    computed_at: str
    steps: list[dict[str, Any]] = attrs.field(factory=list)
    flows: list[dict[str, Any]] = attrs.field(factory=list)
    breakdowns: list[dict[str, Any]] = attrs.field(factory=list)
    overall_conversion_rate: float = 0.0
    params: dict[str, Any] = attrs.field(factory=dict)
    meta: dict[str, Any] = attrs.field(factory=dict)
    mode: Literal["sankey", "paths", "tree"] = "sankey"
    trees: list[FlowTreeNode] = attrs.field(factory=list)

    @functools.cached_property
    def nodes_df(self) -> pl.DataFrame:
        """One row per Sankey node: `step`, `event`, `type`, `count`, `anchor_type`,
        `is_custom_event`, `conversion_rate_change`."""
        return nodes_frame(self.steps, flags=True)

    @functools.cached_property
    def edges_df(self) -> pl.DataFrame:
        """One row per Sankey edge: `source_step`, `source_event`, `target_step`,
        `target_event`, `count`, `target_type`."""
        return edges_frame(self.steps)

    @functools.cached_property
    def trees_df(self) -> pl.DataFrame:
        """One row per tree node: `tree_index`, `depth`, `path` (`A > B > C`), `event`,
        `type`, `step_number`, `total_count`, `drop_off_count`, `converted_count`."""
        rows: list[dict[str, Any]] = []
        for index, tree in enumerate(self.trees):
            _tree_rows(tree, index, [], rows)
        return pl.DataFrame(rows, schema=_tree_schema(), orient="row")

    @functools.cached_property
    def paths_df(self) -> pl.DataFrame:
        """One row per step of each top path: `path_index`, `step`, `event`, `type`,
        `count`."""
        rows = [
            {
                "path_index": p,
                "step": s,
                "event": step.get("event"),
                "type": step.get("type"),
                "count": _count(step.get("totalCount")),
            }
            for p, flow in enumerate(self.flows)
            for s, step in enumerate(flow.get("flowSteps") or [])
            if isinstance(step, dict)
        ]
        return pl.DataFrame(rows, schema=_path_schema(), orient="row")

    @property
    def df(self) -> pl.DataFrame:
        """The frame of the result's mode: `nodes_df` (sankey), `paths_df` (paths) or
        `trees_df` (tree); each is computed once."""
        if self.mode == "tree":
            return self.trees_df
        return self.paths_df if self.mode == "paths" else self.nodes_df

    def top_transitions(self, n: int = 10) -> list[tuple[str, str, int]]:
        """The `n` busiest Sankey edges as (`event@step`, `event@step`, count), busiest
        first."""
        edges = self.edges_df.sort("count", descending=True, maintain_order=True).head(n)
        return [
            (f"{se}@{ss}", f"{te}@{ts}", int(c or 0))
            for ss, se, ts, te, c in edges.select(
                "source_step", "source_event", "target_step", "target_event", "count"
            ).iter_rows()
        ]

    def drop_off_summary(self) -> dict[str, Any]:
        """Per Sankey column (`step_0`, ...): `total` count, `dropoff` (edges into a drop-off
        from the column's non-drop-off nodes) and their `rate`."""
        summary: dict[str, Any] = {}
        for index, column in enumerate(self.steps):
            nodes = [n for n in column.get("nodes") or [] if isinstance(n, dict)]
            total = sum(_count(n.get("totalCount")) or 0 for n in nodes)
            dropoff = sum(
                _count(e.get("totalCount")) or 0
                for n in nodes
                if n.get("type") != "DROPOFF"
                for e in n.get("edges") or []
                if isinstance(e, dict) and e.get("type") == "DROPOFF"
            )
            summary[f"step_{index}"] = {
                "total": total,
                "dropoff": dropoff,
                "rate": dropoff / total if total else 0.0,
            }
        return summary
