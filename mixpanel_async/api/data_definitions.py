"""`schema_graph()`: the project's Lexicon events and properties and which properties travel with
which events, in three or four bulk reads.

Event definitions and property definitions come from the App API; the event<->property edges from
the Query API's per-event properties gather (the App API's own `includeEvents` join times out on
large projects, which is why the seed reads this one), inverted onto each property row. Cached per
arguments like the other discovery results, until `clear_discovery_cache()` or `force_refresh`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from mixpanel_async._operation import LazyModule, Request
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import build

if TYPE_CHECKING:
    from mixpanel_async._generated.operations import data_definitions as ops
    from mixpanel_async.results import data_definitions as results_data_definitions
    from mixpanel_async.results.data_definitions import SchemaGraphResult
else:
    ops = LazyModule("mixpanel_async._generated.operations.data_definitions")
    results_data_definitions = LazyModule("mixpanel_async.results.data_definitions")


def invert(per_event: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """`{property: [event, ...]}` from rows `{name, properties: [{name}, ...]}` (event order
    kept; rows or entries without a name add no edge)."""
    edges: dict[str, list[str]] = {}
    for row in per_event:
        event = row.get("name")
        if not event:
            continue
        for prop in row.get("properties") or []:
            if isinstance(prop, dict) and prop.get("name"):
                edges.setdefault(str(prop["name"]), []).append(str(event))
    return edges


Definitions = Request[list[dict[str, Any]]]
"""A request for definition rows (the `results` of a data-definitions answer)."""


class DataDefinitionsMixin(Base):
    """The Lexicon's event and property definitions as a graph (`schema_graph`)."""

    async def _definitions(self, request: Definitions) -> list[dict[str, Any]]:
        return list(await self._transport.call(request))

    async def schema_graph(
        self,
        *,
        include_density: bool = False,
        include_user_properties: bool = True,
        force_refresh: bool = False,
    ) -> SchemaGraphResult:
        """Lexicon event definitions, event properties (each with the `events` it appears on)
        and, by default, user properties, with the event<->property adjacency.

        Args:
            include_density: Ask for each property's `densityLocal` (repeated on its edges).
            include_user_properties: Also read user (profile) properties.
            force_refresh: Ask Mixpanel again instead of answering from the cache.

        Raises:
            ParamValidationError: a non-bool flag (before any request).
            QueryError: Mixpanel refused a request.
        """
        checks.flag(include_density, "include_density")
        checks.flag(include_user_properties, "include_user_properties")
        checks.flag(force_refresh, "force_refresh")
        key = ("schema_graph", include_density, include_user_properties)
        if force_refresh:
            self._forget_discovery(*key)

        def properties_of(resource: Literal["Event", "User"], density: bool) -> Definitions:
            return build(
                ops.list_property_definitions,
                resource_type=resource,
                include_custom=True,
                include_zero_counts=True,
                include_density=True if density else None,
            )

        async def fetch() -> SchemaGraphResult:
            events = await self._definitions(build(ops.list_event_definitions))
            properties = await self._definitions(properties_of("Event", include_density))
            edges = invert(
                await self._definitions(
                    build(ops.list_per_event_properties, fetch_per_event_properties=True)
                )
            )
            # The flat property list defines the node set: edges of unlisted properties drop.
            linked = [
                {
                    **row,
                    "events": [
                        {"name": e}
                        for e in (edges.get(str(row["name"]), []) if row.get("name") else [])
                    ],
                }
                for row in properties
            ]
            users: list[dict[str, Any]] = []
            if include_user_properties:
                users = await self._definitions(properties_of("User", False))
            return results_data_definitions.SchemaGraphResult(
                computed_at=dt.datetime.now(dt.UTC).isoformat(),
                events=events,
                properties=linked,
                user_properties=users,
                include_density=include_density,
                params={
                    "include_density": include_density,
                    "include_user_properties": include_user_properties,
                },
            )

        return await self._cached(key, fetch)
