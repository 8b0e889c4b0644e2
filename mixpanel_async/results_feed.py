"""Result types of the activity feed and the Lexicon (split from `results` to keep modules small).

Same conventions as `mixpanel_async.results`: attrs frozen classes with the seed's field names,
`to_dict()`, and a cached `.df` Polars frame.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import attrs
import orjson
import polars as pl

from mixpanel_async.results import _to_dict


@attrs.frozen
class UserEvent:
    """One event of a user's activity feed."""

    event: str
    time: dt.datetime
    """When it happened (UTC)."""
    properties: dict[str, Any] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"event": self.event, "time": self.time.isoformat(), "properties": self.properties}


def _flat_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows of differing property types: polars' own supertypes, else JSON text for the rest."""
    try:
        return pl.from_dicts(rows, infer_schema_length=None)
    except (pl.exceptions.PolarsError, TypeError, ValueError):
        fixed = [
            {
                k: v
                if isinstance(v, str | int | float | bool | dt.datetime) or v is None
                else orjson.dumps(v).decode()
                for k, v in row.items()
            }
            for row in rows
        ]
        return pl.from_dicts(fixed, infer_schema_length=None, strict=False)


@attrs.frozen
class ActivityFeedResult:
    """The events of some users, with the cursor of the next (older) page."""

    distinct_ids: list[str]
    from_date: str | None
    to_date: str | None
    events: list[UserEvent] = attrs.field(factory=list)
    sentinel_event: dict[str, Any] | None = None
    """Pass back as `activity_feed(..., sentinel_event=)` for the next page; None: no more."""

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """Columns `event`, `time`, `distinct_id`, then one per property (in feed order)."""
        rows = [
            {
                "event": e.event,
                "time": e.time,
                "distinct_id": e.properties.get("$distinct_id", e.properties.get("distinct_id")),
                **{k: v for k, v in e.properties.items() if k not in _FEED_COLUMNS},
            }
            for e in self.events
        ]
        if not rows:
            return pl.DataFrame(
                schema={
                    "event": pl.String,
                    "time": pl.Datetime("us", "UTC"),
                    "distinct_id": pl.String,
                }
            )
        return _flat_frame(rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "distinct_ids": self.distinct_ids,
            "from_date": self.from_date,
            "to_date": self.to_date,
            "events": [e.to_dict() for e in self.events],
            "sentinel_event": self.sentinel_event,
        }


_FEED_COLUMNS = frozenset({"event", "time", "distinct_id", "$distinct_id"})


# --- lexicon schemas -----------------------------------------------------------------------


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
        return _to_dict(self)


@attrs.frozen
class LexiconProperty:
    """One documented property: its JSON type, description and metadata."""

    type: str
    description: str | None
    metadata: LexiconMetadata | None

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)


@attrs.frozen
class LexiconDefinition:
    """A schema's body (Mixpanel's `schemaJson`)."""

    description: str | None
    properties: dict[str, LexiconProperty]
    metadata: LexiconMetadata | None

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)


@attrs.frozen
class LexiconSchema:
    """One documented event or profile schema of the project's Lexicon."""

    entity_type: str
    name: str
    schema_json: LexiconDefinition

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)
