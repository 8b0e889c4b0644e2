"""Results of the Lexicon schema calls (the seed's `LexiconSchema` and its parts)."""

from __future__ import annotations

from typing import Any

import attrs

from mixpanel_async.results._common import as_dict


@attrs.frozen
class LexiconMetadata:
    """Mixpanel's own metadata of a schema or property (the `com.mixpanel` block)."""

    source: str | None
    display_name: str | None
    tags: list[str] = attrs.field(factory=list)
    hidden: bool = False
    dropped: bool = False
    contacts: list[str] = attrs.field(factory=list)
    team_contacts: list[str] = attrs.field(factory=list)

    def to_dict(self) -> dict[str, Any]:
        return as_dict(self)


@attrs.frozen
class LexiconProperty:
    """One documented property: its JSON type, description and metadata."""

    type: str
    description: str | None
    metadata: LexiconMetadata | None

    def to_dict(self) -> dict[str, Any]:
        return as_dict(self)


@attrs.frozen
class LexiconDefinition:
    """A schema's body (Mixpanel's `schemaJson`)."""

    description: str | None
    properties: dict[str, LexiconProperty]
    metadata: LexiconMetadata | None

    def to_dict(self) -> dict[str, Any]:
        return as_dict(self)


@attrs.frozen
class LexiconSchema:
    """One documented event or profile schema of the project's Lexicon."""

    entity_type: str
    name: str
    schema_json: LexiconDefinition

    def to_dict(self) -> dict[str, Any]:
        return as_dict(self)
