"""Results of the Lexicon schema calls (the seed's `LexiconSchema` and its parts)."""

from __future__ import annotations

import attrs

from mixpanel_async.results._common import Result


@attrs.frozen
class LexiconMetadata(Result):
    """Mixpanel's own metadata of a schema or property (the `com.mixpanel` block)."""

    source: str | None
    display_name: str | None
    tags: list[str] = attrs.field(factory=list)
    hidden: bool = False
    dropped: bool = False
    contacts: list[str] = attrs.field(factory=list)
    team_contacts: list[str] = attrs.field(factory=list)


@attrs.frozen
class LexiconProperty(Result):
    """One documented property: its JSON type, description and metadata."""

    type: str
    description: str | None
    metadata: LexiconMetadata | None


@attrs.frozen
class LexiconDefinition(Result):
    """A schema's body (Mixpanel's `schemaJson`)."""

    description: str | None
    properties: dict[str, LexiconProperty]
    metadata: LexiconMetadata | None


@attrs.frozen
class LexiconSchema(Result):
    """One documented event or profile schema of the project's Lexicon."""

    entity_type: str
    name: str
    schema_json: LexiconDefinition
