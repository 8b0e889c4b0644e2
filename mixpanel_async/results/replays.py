"""Session replay results: signed CDN access, replay summaries, the Mixpanel events of a
replay, whole replays (rrweb events plus the user actions read from them) and bundles.

Field names follow the seed. `SignedReplay.query_string` is a bearer credential: the repr
masks it (and the URL), only `to_dict()` shows it.
"""

from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING, Any, Literal

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.results._common import Result, rows_frame
from mixpanel_async.results.engage import UserAction
from mixpanel_async.results.replay_actions import timeline

if TYPE_CHECKING:
    import polars as pl
else:
    pl = LazyModule("polars")

SIGNATURE_TTL = 300  # seconds a signed CDN URL stays valid

ReplayEnv = Literal["prod", "dev"]


@attrs.frozen(repr=False)
class SignedReplay(Result):
    """CDN access to one replay's files: `{url}{NNNN}-{retention}.json?{query_string}`."""

    replay_id: str
    url: str
    query_string: str
    env: ReplayEnv
    signed_at: float

    @property
    def expires_at(self) -> float:
        """Unix seconds after which the signature no longer works."""
        return self.signed_at + SIGNATURE_TTL

    @property
    def is_expired(self) -> bool:
        """Whether `expires_at` has passed."""
        return time.time() >= self.expires_at

    def __repr__(self) -> str:
        """The handle without its credential (nor the URL, which names the replay's storage)."""
        return (
            f"SignedReplay(replay_id={self.replay_id!r}, url='<redacted>', "
            f"query_string='<redacted {len(self.query_string)} chars>', env={self.env!r}, "
            f"signed_at={self.signed_at!r})"
        )

    __str__ = __repr__


@attrs.frozen
class ReplaySummary(Result):
    """A replay found by discovery: who, when it started (Unix ms) and its retention."""

    replay_id: str
    distinct_id: str | None
    project_id: int
    start_time: int
    retention_days: int

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """One row: replay_id, distinct_id, project_id, start_time, retention_days."""
        return rows_frame([self.to_dict()], summary_schema())


@functools.cache
def summary_schema() -> dict[str, Any]:
    """Column types of the replay summaries frame (built on first use, with polars)."""
    return {
        "replay_id": pl.String,
        "distinct_id": pl.String,
        "project_id": pl.Int64,
        "start_time": pl.Int64,
        "retention_days": pl.Int64,
    }


@attrs.frozen
class ReplayEvent(Result):
    """A Mixpanel event tracked during a replay (`event_time` in Unix seconds)."""

    replay_id: str
    event_name: str
    event_time: int
    properties: dict[str, Any] | None = None

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """One row: replay_id, event_name, event_time."""
        return events_frame([self])


def events_frame(events: list[ReplayEvent]) -> pl.DataFrame:
    """Replay events as rows: replay_id, event_name, event_time."""
    rows = [{"replay_id": e.replay_id, "event_name": e.event_name, "event_time": e.event_time}
            for e in events]  # fmt: skip
    schema = {"replay_id": pl.String, "event_name": pl.String, "event_time": pl.Int64}
    return rows_frame(rows, schema)


@functools.cache
def actions_schema() -> dict[str, Any]:
    """Column types of the replay actions frame (built on first use, with polars)."""
    return {
        "timestamp": pl.Int64,
        "action": pl.String,
        "target_node_id": pl.Int64,
        "target_desc": pl.String,
        "url": pl.String,
        "description": pl.String,
    }


@attrs.frozen
class Replay(Result):
    """A whole replay: its rrweb events, the user actions in them and (optionally) the
    Mixpanel events tracked meanwhile. Times are Unix ms."""

    replay_id: str
    distinct_id: str | None
    project_id: int
    start_time: int
    end_time: int
    retention_days: int
    rrweb_events: list[dict[str, Any]] = attrs.field(factory=list)
    actions: list[UserAction] = attrs.field(factory=list)
    mixpanel_events: list[ReplayEvent] = attrs.field(factory=list)

    @property
    def duration_seconds(self) -> float:
        """How long the recording lasts."""
        return (self.end_time - self.start_time) / 1000

    @property
    def summary_markdown(self) -> str:
        """The action timeline as Markdown (what `analyze_replay()` returns)."""
        events = [(e.event_time * 1000, e.event_name) for e in self.mixpanel_events]
        window = (self.start_time, self.end_time)
        return timeline(self.replay_id, self.distinct_id, window, self.actions, events)

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """The user actions: timestamp, action, target_node_id, target_desc, url, description."""
        rows = [{k: getattr(a, k) for k in actions_schema()} for a in self.actions]
        return rows_frame(rows, actions_schema())


@attrs.frozen
class ReplayBundle(Result):
    """Several replays fetched together."""

    replays: list[Replay] = attrs.field(factory=list)
    computed_at: str = ""
    project_id: int = 0

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """One row per replay: the `ReplaySummary` columns plus end_time and action count."""
        schema = {**summary_schema(), "end_time": pl.Int64, "actions": pl.Int64}
        rows = [
            {"replay_id": r.replay_id, "distinct_id": r.distinct_id, "project_id": r.project_id,
             "start_time": r.start_time, "retention_days": r.retention_days,
             "end_time": r.end_time, "actions": len(r.actions)}
            for r in self.replays
        ]  # fmt: skip
        return rows_frame(rows, schema)
