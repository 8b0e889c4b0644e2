"""Result of `activity_feed()` (the seed's `ActivityFeedResult` and `UserEvent`, with Polars
frames)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from mixpanel_async._operation import LazyModule
from mixpanel_async.results._common import Result

if TYPE_CHECKING:
    import polars as pl
else:
    pl = LazyModule("polars")


@attrs.frozen
class UserEvent(Result):
    """One event of a user's activity feed."""

    event: str
    time: dt.datetime
    """When it happened (UTC)."""
    properties: dict[str, Any] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The event as plain data, its time as ISO 8601 text."""
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
class ActivityFeedResult(Result):
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
        """The feed as plain data, event times as ISO 8601 text."""
        return {
            "distinct_ids": self.distinct_ids,
            "from_date": self.from_date,
            "to_date": self.to_date,
            "events": [e.to_dict() for e in self.events],
            "sentinel_event": self.sentinel_event,
        }


_FEED_COLUMNS = frozenset({"event", "time", "distinct_id", "$distinct_id"})


# --- lexicon schemas -----------------------------------------------------------------------
