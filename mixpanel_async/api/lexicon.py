"""The project's Lexicon (data dictionary) schemas, read-only.

Cached like the other discovery results (per method and arguments) until
`clear_discovery_cache()`: Mixpanel allows this API only a few requests a minute.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, Union

from mixpanel_async._operation import LazyModule
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import build
from mixpanel_async.exceptions import QueryError, ResponseValidationError
from mixpanel_async.transport import codec

if TYPE_CHECKING:
    from mixpanel_async._generated.models import lexicon as models
    from mixpanel_async._generated.operations import lexicon as ops
    from mixpanel_async.results import lexicon as results_lexicon
    from mixpanel_async.results.lexicon import LexiconDefinition, LexiconMetadata, LexiconSchema
else:
    models = LazyModule("mixpanel_async._generated.models.lexicon")
    ops = LazyModule("mixpanel_async._generated.operations.lexicon")
    results_lexicon = LazyModule("mixpanel_async.results.lexicon")

M = TypeVar("M")
EntityType = Union["models.LexiconEntityType"]
"""Lexicon's entity types (`event`, `profile`), as the spec lists them."""
_MIXPANEL = "com.mixpanel"
"""The key of Mixpanel's own block inside a `metadata` object."""


def _metadata(data: Mapping[str, Any] | None) -> LexiconMetadata | None:
    own = (data or {}).get(_MIXPANEL) or {}
    if not own:
        return None
    return results_lexicon.LexiconMetadata(
        source=own.get("$source"),
        display_name=own.get("displayName"),
        tags=list(own.get("tags") or []),
        hidden=bool(own.get("hidden", False)),
        dropped=bool(own.get("dropped", False)),
        contacts=list(own.get("contacts") or []),
        team_contacts=list(own.get("teamContacts") or []),
    )


def definition(body: models.LexiconSchemaJson) -> LexiconDefinition:
    """A `schemaJson` as the seed's `LexiconDefinition` (a property's type defaults to string)."""
    return results_lexicon.LexiconDefinition(
        description=body.description,
        properties={
            name: results_lexicon.LexiconProperty(
                type=prop.type or "string",
                description=prop.description,
                metadata=_metadata(prop.metadata),
            )
            for name, prop in (body.properties or {}).items()
        },
        metadata=_metadata(body.metadata),
    )


def schema_of(entry: models.LexiconSchemaEntry) -> LexiconSchema:
    """A Lexicon schema entry as the seed's `LexiconSchema`."""
    return results_lexicon.LexiconSchema(
        entity_type=entry.entity_type, name=entry.name, schema_json=definition(entry.schema_json)
    )


def decode_results(value: object, model: type[M]) -> M:
    """An untyped `results` checked against `model` (`ResponseValidationError` if it does not
    fit)."""
    try:
        return codec.validate(value, model)
    except Exception as exc:  # the shape is Mixpanel's; say which part did not fit
        raise ResponseValidationError(f"unexpected Lexicon answer: {exc}") from None


def named_schema(results: object, entity_type: str, name: str) -> LexiconSchema:
    """The schema of an `entity_name` answer: its schemaJson (what production sends, per the
    peer library), or the list of entries Mixpanel's published spec shows.

    Raises:
        QueryError: a list without an entry called `name`.
        ResponseValidationError: an answer of neither shape.
    """
    if isinstance(results, list):
        entries = decode_results(results, list[models.LexiconSchemaEntry])
        found = next((e for e in entries if e.name == name), None)
        if found is None:
            raise QueryError(f"no {entity_type} schema named {name!r}", status_code=404)
        return schema_of(found)
    body = decode_results(results, models.LexiconSchemaJson)
    return results_lexicon.LexiconSchema(
        entity_type=entity_type, name=name, schema_json=definition(body)
    )


class LexiconMixin(Base):
    """The project's Lexicon schemas, read-only."""

    async def lexicon_schemas(
        self, *, entity_type: EntityType | None = None
    ) -> list[LexiconSchema]:
        """The project's Lexicon schemas, optionally of one entity type, sorted by (type, name).

        Raises:
            ParamValidationError: a blank `entity_type` (before any request).
        """
        checks.optional_text(entity_type, "entity_type")

        async def fetch() -> list[LexiconSchema]:
            if entity_type is None:
                listed = await self._transport.call(build(ops.list_lexicon_schemas))
                entries = decode_results(listed, list[models.LexiconSchemaEntry])
            else:
                typed = await self._transport.call(
                    build(ops.get_lexicon_schemas_of_type, entity_type=entity_type)
                )
                entries = decode_results(typed, list[models.LexiconSchemaEntry])
            return sorted(map(schema_of, entries), key=lambda s: (s.entity_type, s.name))

        return list(await self._cached(("lexicon_schemas", entity_type), fetch))

    async def lexicon_schema(self, entity_type: EntityType, name: str) -> LexiconSchema:
        """One Lexicon schema.

        Raises:
            ParamValidationError: blank arguments (before any request).
            QueryError: no such schema (Mixpanel answers 404).
        """
        checks.text(entity_type, "entity_type")
        checks.text(name, "name")

        async def fetch() -> LexiconSchema:
            typed = await self._transport.call(
                build(ops.get_lexicon_schemas_of_type, entity_type=entity_type, entity_name=name)
            )
            return named_schema(typed, entity_type, name)

        return await self._cached(("lexicon_schema", entity_type, name), fetch)
