"""Custom events (App API): one name standing for several events.

Created through `custom_events/` (a form with the alternatives as JSON text); listed, changed and
deleted through the Lexicon's event definitions, naming the custom event by `customEventId`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import as_model
from mixpanel_async.api.lexicon import decode_results
from mixpanel_async.exceptions import ParamValidationError, ResponseValidationError

if TYPE_CHECKING:
    from mixpanel_async._generated.models import custom_events as m
    from mixpanel_async._generated.models import lexicon_definitions as lm
    from mixpanel_async._generated.operations import custom_events as ops
    from mixpanel_async._generated.operations import data_definitions as dd_ops
    from mixpanel_async._generated.operations import lexicon_definitions as lex_ops
else:
    m = LazyModule("mixpanel_async._generated.models.custom_events")
    lm = LazyModule("mixpanel_async._generated.models.lexicon_definitions")
    ops = LazyModule("mixpanel_async._generated.operations.custom_events")
    dd_ops = LazyModule("mixpanel_async._generated.operations.data_definitions")
    lex_ops = LazyModule("mixpanel_async._generated.operations.lexicon_definitions")


def _alternatives(values: Any) -> list[str]:
    names = checks.names(values, "alternatives")
    if any(not name.strip() for name in names):
        raise ParamValidationError("alternatives must not hold a blank name", param="alternatives")
    if len(set(names)) != len(names):
        raise ParamValidationError("alternatives must not repeat an event", param="alternatives")
    return names


def _custom_event_id(value: Any) -> int:
    return checks.entity_id(value, "custom_event_id")


class CustomEventsMixin(Base):
    """Custom events: create, list, update, delete."""

    async def create_custom_event(
        self, params: m.CreateCustomEventParams | dict[str, Any]
    ) -> m.CustomEvent:
        """Create a custom event named `name` standing for the events `alternatives` (names).

        Raises:
            ParamValidationError: a blank name, no alternatives, a blank or repeated one.
            QueryError: Mixpanel refused it (e.g. a name already taken).
        """
        body = as_model(params, m.CreateCustomEventParams)
        names = _alternatives(body.alternatives)
        form = m.CreateCustomEventForm(
            name=checks.text(body.name, "name"),
            alternatives=json.dumps([{"event": name} for name in names]),
        )
        created = await self._call(ops.create_custom_event, body=form)
        return created.custom_event

    async def list_custom_events(self) -> list[lm.EventDefinition]:
        """The project's custom events, as Lexicon event definitions (`custom_event_id` set)."""
        rows = await self._call(dd_ops.list_event_definitions, custom_event=True)
        return decode_results(rows, list[lm.EventDefinition])

    async def update_custom_event(
        self, custom_event_id: int, params: lm.UpdateEventDefinitionParams | dict[str, Any]
    ) -> lm.EventDefinition:
        """Change a custom event's Lexicon entry (hidden, dropped, merged, verified, tags,
        display_name, description).

        Raises:
            ParamValidationError: a bad id or params, before any request.
            QueryError: no such custom event (404).
            ResponseValidationError: Mixpanel answered another custom event's entry.
        """
        key = _custom_event_id(custom_event_id)
        fields = as_model(params, lm.UpdateEventDefinitionParams)
        body = lm.EventDefinitionsPatch(**attrs.asdict(fields, recurse=False), custom_event_id=key)
        answer = await self._call(lex_ops.patch_event_definitions, body=body)
        updated = decode_results(answer, lm.EventDefinition)
        if updated.custom_event_id is not None and updated.custom_event_id != key:
            raise ResponseValidationError(
                f"update_custom_event: Mixpanel answered custom event {updated.custom_event_id}, "
                f"not {key}"
            )
        self._forget_discovery()
        return updated

    async def delete_custom_event(self, custom_event_id: int) -> None:
        """Delete a custom event.

        Raises:
            ParamValidationError: a bad id, before any request.
            QueryError: no such custom event (404).
        """
        body = lm.DeleteEventDefinitionBody(custom_event_id=_custom_event_id(custom_event_id))
        await self._call(lex_ops.delete_event_definition, body=body)
        self._forget_discovery()
