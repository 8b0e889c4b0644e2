"""Lexicon governance: event and property definitions (read by name, update, delete, bulk),
Lexicon tags, change history, tracking metadata, the Lexicon export, and drop filters.

Every write that can change what discovery shows (a definition's `hidden`, a drop filter) clears
the discovery cache, so the next `events()` or `top_events()` asks again. Params objects
are the generated models of `openapi/lexicon_definitions.yaml`; a dict (wire or attribute names)
is accepted wherever the seed takes one.
"""

from __future__ import annotations

import functools
import typing
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import as_model
from mixpanel_async.api.lexicon import decode_results
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.transport import codec

if TYPE_CHECKING:
    from mixpanel_async._generated.models import lexicon_definitions as m
    from mixpanel_async._generated.operations import data_definitions as dd_ops
    from mixpanel_async._generated.operations import lexicon_definitions as ops
else:
    m = LazyModule("mixpanel_async._generated.models.lexicon_definitions")
    dd_ops = LazyModule("mixpanel_async._generated.operations.data_definitions")
    ops = LazyModule("mixpanel_async._generated.operations.lexicon_definitions")

M = TypeVar("M")
RESOURCE_TYPES = {"event": "Event", "events": "Event", "user": "User", "users": "User",
                  "people": "User"}  # fmt: skip
"""Spellings of a property's resource type → the capitalised value the API takes."""


@functools.cache
def default_export() -> tuple[m.LexiconExportType, ...]:
    """What `export_lexicon` exports by default: every kind the spec lists."""
    return typing.get_args(m.LexiconExportType)


def _resource(value: str | None) -> str | None:
    if value is None:
        return None
    checks.text(value, "resource_type")
    return RESOURCE_TYPES.get(value.lower(), value)


def _one(name: str, arg: str, params: Any, model: type[Any]) -> dict[str, Any]:
    """The fields of a one-definition update: its checked `name` and the params' fields."""
    fields: dict[str, Any] = attrs.asdict(as_model(params, model), recurse=False)
    return {"name": checks.text(name, arg), **fields}


def _bulk(params: Any, model: type[M], field: str, entry: type[Any]) -> M:
    """A bulk params model from a model or a dict whose entries may be dicts keyed by wire or
    attribute names; its entry list must not be empty."""
    if isinstance(params, dict) and isinstance(params.get(field), list):
        items = [codec.unstructure(as_model(e, entry, field)) for e in params[field]]
        params = {**params, field: items}
    bulk = as_model(params, model)
    if not getattr(bulk, field):
        raise ParamValidationError(f"{field} must not be empty", param=field)
    return bulk


def _bulk_events(params: Any) -> m.BulkUpdateEventsParams:
    bulk = _bulk(params, m.BulkUpdateEventsParams, "events", m.BulkEventUpdate)
    for n, entry in enumerate(bulk.events):
        if not entry.name and entry.id is None:
            raise ParamValidationError(
                f"events[{n}] must name its event (name or id)", param="events"
            )
    return bulk


def _conditions(filters: Any, name: str = "filters") -> Any:
    """Drop filter conditions: one `{property, ...}` object or a non-empty-named list of them."""
    items = [filters] if isinstance(filters, dict) else filters
    if not isinstance(items, list) or not all(
        isinstance(c, dict) and isinstance(c.get("property"), str) and c["property"].strip()
        for c in items
    ):
        raise ParamValidationError(
            f"{name} must be a condition object with a 'property' or a list of them, "
            f"got {filters!r}",
            param=name,
        )
    return filters


class LexiconDefinitionsMixin(Base):
    """Lexicon definitions, tags, history and export, and drop filters."""

    # --- event definitions ---------------------------------------------------------------------

    async def get_event_definitions(self, *, names: list[str]) -> list[m.EventDefinition]:
        """The Lexicon definitions of these events (names Lexicon does not know are left out).

        Raises:
            ParamValidationError: `names` is not a non-empty list of names.
        """
        wanted = checks.names(names, "names")
        rows = await self._call(dd_ops.list_event_definitions, name=wanted)
        return decode_results(rows, list[m.EventDefinition])

    async def update_event_definition(
        self, event_name: str, params: m.UpdateEventDefinitionParams | dict[str, Any]
    ) -> m.EventDefinition:
        """Change some fields of an event definition (hidden, dropped, merged, verified, tags,
        display_name, description); answers the updated definition.

        Raises:
            ParamValidationError: a blank name or invalid params (before any request).
            QueryError: no such event (404).
        """
        body = _one(event_name, "event_name", params, m.UpdateEventDefinitionParams)
        answer = await self._call(ops.patch_event_definitions, body=m.EventDefinitionsPatch(**body))
        self._forget_discovery()
        return decode_results(answer, m.EventDefinition)

    async def delete_event_definition(self, event_name: str) -> None:
        """Delete an event definition from Lexicon.

        Raises:
            ParamValidationError: a blank name (before any request).
            QueryError: no such event (404).
        """
        body = m.DeleteEventDefinitionBody(name=checks.text(event_name, "event_name"))
        await self._call(ops.delete_event_definition, body=body)
        self._forget_discovery()

    async def bulk_update_event_definitions(
        self, params: m.BulkUpdateEventsParams | dict[str, Any]
    ) -> list[m.EventDefinition]:
        """Update several event definitions at once (`events`: entries naming their event by
        `name` or `id`); answers the updated definitions.

        Raises:
            ParamValidationError: no entries, or an entry naming no event (before any request).
            QueryError: an unknown event (404; nothing is changed).
        """
        body = m.EventDefinitionsPatch(events=_bulk_events(params).events)
        answer = await self._call(ops.patch_event_definitions, body=body)
        self._forget_discovery()
        return decode_results(answer, list[m.EventDefinition])

    # --- property definitions ------------------------------------------------------------------

    async def get_property_definitions(
        self, *, names: list[str], resource_type: str | None = None
    ) -> list[m.PropertyDefinition]:
        """The Lexicon definitions of these properties, of one resource type (`"event"`,
        `"user"`, any case; events by default).

        Raises:
            ParamValidationError: bad names or an unknown resource type (before any request).
        """
        wanted = checks.names(names, "names")
        resource = _resource(resource_type)
        rows = await self._call(
            dd_ops.list_property_definitions,
            name=wanted,
            resource_type=resource,  # type: ignore[arg-type]  # checked against the spec's enum
        )
        return decode_results(rows, list[m.PropertyDefinition])

    async def update_property_definition(
        self, property_name: str, params: m.UpdatePropertyDefinitionParams | dict[str, Any]
    ) -> m.PropertyDefinition:
        """Change some fields of a property definition (hidden, dropped, merged, sensitive,
        display_name, description, example_value; `resource_type` picks the event or user
        property of that name).

        Raises:
            ParamValidationError: a blank name or invalid params (before any request).
            QueryError: no such property (404).
        """
        body = _one(property_name, "property_name", params, m.UpdatePropertyDefinitionParams)
        answer = await self._call(
            ops.patch_property_definitions, body=m.PropertyDefinitionsPatch(**body)
        )
        self._forget_discovery()
        return decode_results(answer, m.PropertyDefinition)

    async def bulk_update_property_definitions(
        self, params: m.BulkUpdatePropertiesParams | dict[str, Any]
    ) -> list[m.PropertyDefinition]:
        """Update several property definitions at once (`properties`: entries with `name` and
        `resource_type`); answers the updated definitions.

        Raises:
            ParamValidationError: no entries or an invalid entry (before any request).
            QueryError: an unknown property (404; nothing is changed).
        """
        bulk = _bulk(params, m.BulkUpdatePropertiesParams, "properties", m.BulkPropertyUpdate)
        body = m.PropertyDefinitionsPatch(properties=bulk.properties)
        answer = await self._call(ops.patch_property_definitions, body=body)
        self._forget_discovery()
        return decode_results(answer, list[m.PropertyDefinition])

    # --- tags ----------------------------------------------------------------------------------

    async def list_lexicon_tags(self) -> list[m.LexiconTag]:
        """Every Lexicon tag; a tag Mixpanel lists by name alone gets id 0 (use its name, as
        `delete_lexicon_tag` does, not that id)."""
        answer = await self._call(ops.list_lexicon_tags)
        items = decode_results(answer, list[Any])
        return [
            m.LexiconTag(id=0, name=item)
            if isinstance(item, str)
            else decode_results(item, m.LexiconTag)
            for item in items
        ]

    async def create_lexicon_tag(self, params: m.CreateTagParams | dict[str, Any]) -> m.LexiconTag:
        """Create a Lexicon tag (`name`).

        Raises:
            ParamValidationError: a missing or blank name (before any request).
            QueryError: a tag of that name exists (400).
        """
        tag = as_model(params, m.CreateTagParams)
        answer = await self._call(ops.post_lexicon_tag, body=m.LexiconTagPost(name=tag.name))
        return decode_results(answer, m.LexiconTag)

    async def update_lexicon_tag(
        self, tag_id: int, params: m.UpdateTagParams | dict[str, Any]
    ) -> m.LexiconTag:
        """Rename a Lexicon tag (on every definition that carries it too).

        Raises:
            ParamValidationError: a bad id or blank name (before any request).
            QueryError: no such tag (404) or the name is taken (400).
        """
        tag = as_model(params, m.UpdateTagParams)
        checks.optional_text(tag.name, "name")
        return await self._call(
            ops.update_lexicon_tag, tag_id=checks.entity_id(tag_id, "tag_id"), body=tag
        )

    async def delete_lexicon_tag(self, tag_name: str) -> None:
        """Delete a Lexicon tag by name (and take it off every definition).

        Raises:
            ParamValidationError: a blank name (before any request).
            QueryError: no such tag (404).
        """
        body = m.LexiconTagPost(name=checks.text(tag_name, "tag_name"), delete=True)
        await self._call(ops.post_lexicon_tag, body=body)

    # --- metadata, history, export -------------------------------------------------------------

    async def get_tracking_metadata(self, event_name: str) -> dict[str, Any]:
        """How an event is tracked (as Mixpanel answers it, e.g. first/last seen, volume,
        libraries, platforms).

        Raises:
            ParamValidationError: a blank name (before any request).
            QueryError: no such event (404).
        """
        return await self._call(
            ops.get_tracking_metadata, event_name=checks.text(event_name, "event_name")
        )

    async def get_event_history(self, event_name: str) -> list[dict[str, Any]]:
        """The recorded changes of an event definition, as Mixpanel answers them.

        Raises:
            ParamValidationError: a blank name (before any request).
            QueryError: no such event (404).
        """
        return await self._call(
            ops.get_event_history, event_name=checks.text(event_name, "event_name")
        )

    async def get_property_history(
        self, property_name: str, entity_type: str
    ) -> list[dict[str, Any]]:
        """The recorded changes of a property definition (`entity_type`: `"event"`, `"user"`).

        Raises:
            ParamValidationError: blank arguments (before any request).
            QueryError: no such property (404) or an unknown entity type (400).
        """
        return await self._call(
            ops.get_property_history,
            property_name=checks.text(property_name, "property_name"),
            entity_type=checks.text(entity_type, "entity_type"),
        )

    async def export_lexicon(self, *, export_types: list[str] | None = None) -> dict[str, Any]:
        """Export Lexicon's definitions of some kinds (default: events with their properties,
        and user profile properties). When Mixpanel mails the export instead, the answer is
        `{"status": "pending", "message": ...}`.

        Raises:
            ParamValidationError: an unknown export type (before any request).
        """
        every = list(default_export())
        asked = every if export_types is None else checks.names(export_types, "export_types")
        kinds = [k for k in every if k in asked]
        unknown = [k for k in asked if k not in every]
        if unknown:
            raise ParamValidationError(
                f"export_types must be among {every}, got {unknown}",
                param="export_types",
            )
        answer = await self._call(ops.export_lexicon, export_type=kinds)
        if isinstance(answer, str):
            return {"status": "pending", "message": answer}
        return decode_results(answer, dict[str, Any])

    # --- drop filters --------------------------------------------------------------------------

    async def list_drop_filters(self) -> list[m.DropFilter]:
        """Every drop filter of the project."""
        return await self._call(ops.list_drop_filters)

    async def create_drop_filter(
        self, params: m.CreateDropFilterParams | dict[str, Any]
    ) -> list[m.DropFilter]:
        """Create a drop filter (`event_name`, `filters`: a condition object or a list of them);
        matching events are discarded at ingestion from now on. Answers every drop filter.

        Raises:
            ParamValidationError: a blank event name or malformed conditions (before any
                request).
            QueryError: invalid conditions or the project's limit reached (400).
        """
        new = as_model(params, m.CreateDropFilterParams)
        _conditions(new.filters)
        answer = await self._call(ops.create_drop_filter, body=new)
        self._forget_discovery()
        return answer

    async def update_drop_filter(
        self, params: m.UpdateDropFilterParams | dict[str, Any]
    ) -> list[m.DropFilter]:
        """Change a drop filter (`id` and the fields to change: `event_name`, `filters`,
        `active`). Answers every drop filter.

        Raises:
            ParamValidationError: a bad id or malformed conditions (before any request).
            QueryError: no such filter (404).
        """
        change = as_model(params, m.UpdateDropFilterParams)
        checks.entity_id(change.id, "id")
        checks.optional_text(change.event_name, "event_name")
        if change.filters is not None:
            _conditions(change.filters)
        answer = await self._call(ops.update_drop_filter, body=change)
        self._forget_discovery()
        return answer

    async def delete_drop_filter(self, drop_filter_id: int) -> list[m.DropFilter]:
        """Delete a drop filter; answers the remaining ones.

        Raises:
            ParamValidationError: a bad id (before any request).
            QueryError: no such filter (404).
        """
        body = m.DeleteDropFilterBody(id=checks.entity_id(drop_filter_id, "drop_filter_id"))
        answer = await self._call(ops.delete_drop_filter, body=body)
        self._forget_discovery()
        return answer

    async def get_drop_filter_limits(self) -> m.DropFilterLimitsResponse:
        """How many drop filters the project may have (`filter_limit`)."""
        return await self._call(ops.get_drop_filter_limits)
