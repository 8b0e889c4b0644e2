"""Result of `schema_graph()` (the seed's `SchemaGraphResult`, with Polars frames).

`SchemaGraphResult.properties` is the single source of truth: the adjacency maps and `meta` are
derived from it (and from `events`, so an event with no properties still appears) when the result
is built.
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING, Any

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.results._common import Result, rows_frame

if TYPE_CHECKING:
    import polars as pl
else:
    pl = LazyModule("polars")


def _named(rows: list[dict[str, Any]]) -> list[str]:
    return [str(r["name"]) for r in rows if r.get("name")]


def _edges(prop: dict[str, Any]) -> tuple[list[str], int]:
    """The event names a property row appears on, and how many malformed entries were dropped."""
    raw = prop.get("events") or []
    names = [str(e["name"]) for e in raw if isinstance(e, dict) and e.get("name")]
    return names, len(raw) - len(names)


def _property_row(prop: dict[str, Any], default_resource: str) -> dict[str, Any]:
    resource = prop.get("resourceType")
    return {
        "name": prop.get("name"),
        "resource_type": str(resource).lower() if resource else default_resource,
        "display_name": prop.get("displayName"),
        "description": prop.get("description"),
        "example_value": None if prop.get("exampleValue") is None else str(prop["exampleValue"]),
        "type": prop.get("type"),
        "hidden": prop.get("hidden"),
        "count": prop.get("count"),
    }


@functools.cache
def _event_schema() -> dict[str, Any]:
    """Column types of the events frame (built on first use, with polars)."""
    return {
        "name": pl.String,
        "display_name": pl.String,
        "description": pl.String,
        "hidden": pl.Boolean,
        "dropped": pl.Boolean,
        "verified": pl.Boolean,
        "count": pl.Int64,
    }


@functools.cache
def _property_schema() -> dict[str, Any]:
    """Column types of the properties frame (built on first use, with polars)."""
    return {
        "name": pl.String,
        "resource_type": pl.String,
        "display_name": pl.String,
        "description": pl.String,
        "example_value": pl.String,
        "type": pl.String,
        "hidden": pl.Boolean,
        "count": pl.Int64,
    }


@functools.cache
def _edge_schema() -> dict[str, Any]:
    """Column types of the edges frame (built on first use, with polars)."""
    return {"event": pl.String, "property": pl.String, "density_local": pl.Float64}


@attrs.frozen
class SchemaGraphResult(Result):
    """Lexicon event definitions, event properties and user properties (dicts as Mixpanel sends
    them, camelCase keys) plus the event<->property adjacency.

    Each `properties` row carries an `events` list of `{"name": ...}` entries (the events it
    appears on) and `densityLocal` when `include_density` was asked for.
    """

    computed_at: str
    events: list[dict[str, Any]] = attrs.field(factory=list)
    properties: list[dict[str, Any]] = attrs.field(factory=list)
    user_properties: list[dict[str, Any]] = attrs.field(factory=list)
    include_density: bool = False
    params: dict[str, Any] = attrs.field(factory=dict)
    event_to_properties: dict[str, list[str]] = attrs.field(init=False, factory=dict)
    property_to_events: dict[str, list[str]] = attrs.field(init=False, factory=dict)
    meta: dict[str, Any] = attrs.field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        """Derive the two edge maps and `meta` (counts, and what had no name or was dropped)."""
        event_to_properties: dict[str, list[str]] = {name: [] for name in _named(self.events)}
        property_to_events: dict[str, list[str]] = {}
        dropped = edges = 0
        for prop in self.properties:
            if not prop.get("name"):
                continue
            name = str(prop["name"])
            attached, lost = _edges(prop)
            dropped += lost
            edges += len(attached)
            property_to_events[name] = attached
            for event in attached:
                event_to_properties.setdefault(event, []).append(name)
        # Frozen: the derived fields are set once here, as the seed derives them in __post_init__.
        object.__setattr__(self, "event_to_properties", event_to_properties)
        object.__setattr__(self, "property_to_events", property_to_events)
        object.__setattr__(
            self,
            "meta",
            {
                "event_count": len(self.events),
                "event_property_count": len(self.properties),
                "user_property_count": len(self.user_properties),
                "events_without_name": sum(1 for e in self.events if not e.get("name")),
                "properties_without_name": sum(1 for p in self.properties if not p.get("name")),
                "property_event_entries_dropped": dropped,
                "relationship_edges": edges,
            },
        )

    @functools.cached_property
    def events_df(self) -> pl.DataFrame:
        """Columns `name`, `display_name`, `description`, `hidden`, `dropped`, `verified`,
        `count`."""
        rows = [
            {
                "name": e.get("name"),
                "display_name": e.get("displayName"),
                "description": e.get("description"),
                "hidden": e.get("hidden"),
                "dropped": e.get("dropped"),
                "verified": e.get("verified"),
                "count": e.get("count"),
            }
            for e in self.events
        ]
        return rows_frame(rows, _event_schema())

    @functools.cached_property
    def properties_df(self) -> pl.DataFrame:
        """Event then user properties: `name`, `resource_type` (`event`/`user`), `display_name`,
        `description`, `example_value`, `type`, `hidden`, `count`."""
        rows = [_property_row(p, "event") for p in self.properties]
        rows += [_property_row(p, "user") for p in self.user_properties]
        return rows_frame(rows, _property_schema())

    @functools.cached_property
    def relationships_df(self) -> pl.DataFrame:
        """One row per (event, property) edge: `event`, `property`, `density_local` (the
        property's `densityLocal`, null unless `include_density`)."""
        rows = [
            {"event": event, "property": str(p["name"]), "density_local": p.get("densityLocal")}
            for p in self.properties
            if p.get("name")
            for event in _edges(p)[0]
        ]
        return rows_frame(rows, _edge_schema())

    @property
    def df(self) -> pl.DataFrame:
        """The headline frame: `relationships_df`."""
        return self.relationships_df

    def properties_for_event(self, event: str) -> list[str]:
        """The property names seen on an event (empty when unknown)."""
        return list(self.event_to_properties.get(event, []))

    def events_for_property(self, prop: str) -> list[str]:
        """The event names a property appears on (empty when unknown)."""
        return list(self.property_to_events.get(prop, []))

    def orphan_properties(self) -> list[str]:
        """Event properties that appear on no event."""
        return [n for n in _named(self.properties) if not self.property_to_events.get(n)]

    def to_graph(self) -> Any:
        """A `networkx.DiGraph`: event and property nodes (`kind`), an edge from each event to
        each property on it (`density_local`). Needs the optional `networkx` package.

        Raises:
            ImportError: networkx is not installed.
        """
        nx = importlib.import_module("networkx")  # optional; only paid for when asked
        graph = nx.DiGraph()
        for event in self.event_to_properties:
            graph.add_node(event, kind="event")
        for prop in self.properties:
            if not prop.get("name"):
                continue
            name = str(prop["name"])
            graph.add_node(name, kind="property")
            for event in _edges(prop)[0]:
                graph.add_node(event, kind="event")
                graph.add_edge(event, name, density_local=prop.get("densityLocal"))
        return graph
