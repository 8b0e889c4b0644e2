"""Behaviours a metric can count besides one raw event, with the seed's names and fields: a
saved custom event (`CustomEventRef`), several events counted as one (`SimpleBehavior`), a
saved behaviour by id (`BehaviorRef`), and `FunnelStep` (one event with its own label, filters
and order: a funnel's step, or one event of a `SimpleBehavior`)."""

from __future__ import annotations

from typing import Literal

import attrs

from mixpanel_async.reports.arguments import CONTROL_CHARS, refuse
from mixpanel_async.reports.filters import Filter
from mixpanel_async.reports.literals import FiltersCombinator, FunnelOrder

BehaviorKind = Literal["simple", "funnel", "retention"]
BEHAVIOR_KINDS = ("simple", "funnel", "retention")


def positive_id(value: object) -> bool:
    """Whether `value` is an int above 0 (a bool is not an id)."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def require_id(value: object, owner: str, code: str) -> None:
    """Refuse an id that is not a positive int."""
    if not positive_id(value):
        raise refuse(f"{owner} id must be a positive integer, got {value!r}", "id", code)


def check_behavior_event(event: object, where: str) -> None:
    """A behaviour's event name is not blank and holds no control characters."""
    if not isinstance(event, str) or not event.strip():
        raise refuse(f"{where} must be an event name, got {event!r}", where, "BH2_EMPTY_EVENT")
    if CONTROL_CHARS.search(event):
        raise refuse(
            f"{where} holds control characters: {event!r}", where, "EV2_CONTROL_CHAR_EVENT"
        )


def check_event_name(event: object, owner: str) -> None:
    """`event` is a non-blank event name without control characters."""
    if not isinstance(event, str) or not event.strip():
        raise refuse(
            f"{owner}.event must be an event name, got {event!r}", "event", "EV1_EMPTY_EVENT"
        )
    if CONTROL_CHARS.search(event):
        raise refuse(
            f"{owner}.event holds control characters: {event!r}", "event", "EV2_CONTROL_CHAR_EVENT"
        )


@attrs.frozen
class FunnelStep:
    """One step of a funnel: an event, optionally renamed, filtered, or with its own order."""

    event: str
    label: str | None = None
    filters: list[Filter] | None = None
    filters_combinator: FiltersCombinator = "all"
    order: FunnelOrder | None = None

    def __attrs_post_init__(self) -> None:
        """Check the event name."""
        check_event_name(self.event, "FunnelStep")


@attrs.frozen
class CustomEventRef:
    """A saved custom event (a named union of events), by its id; where only an event name
    is taken, write it `"$custom_event:<id>"`."""

    id: int

    def __attrs_post_init__(self) -> None:
        """The id is a positive int."""
        require_id(self.id, "CustomEventRef", "CE1_INVALID_ID")

    @property
    def event_name(self) -> str:
        """The name that stands for the custom event in a query."""
        return f"$custom_event:{self.id}"


@attrs.frozen
class BehaviorRef:
    """A saved behaviour, by id and type (`simple`, `funnel` or `retention`); Mixpanel expands
    it when the query runs."""

    id: int
    type: BehaviorKind

    def __attrs_post_init__(self) -> None:
        """Check the id and the type."""
        require_id(self.id, "BehaviorRef", "BR1_INVALID_ID")
        if self.type not in BEHAVIOR_KINDS:
            raise refuse(
                f"BehaviorRef type must be one of {BEHAVIOR_KINDS}, got {self.type!r}",
                "type",
                "BR2_INVALID_TYPE",
            )

    def check_kind(self, needed: BehaviorKind, where: str) -> None:
        """Refuse a saved behaviour of another type than `needed` (Mixpanel would run it)."""
        if self.type != needed:
            raise refuse(
                f"{where} is BehaviorRef({self.id}, {self.type!r}) but needs a {needed} behavior",
                where,
                "BH5_BEHAVIOR_REF_TYPE",
            )


@attrs.frozen
class SimpleBehavior:
    """Events counted as one series: a user performs it by doing any of `events` (event
    names, `CustomEventRef`s, or `FunnelStep`s for per-event filters). `name` labels the
    series; None (or blank) joins the event names with " or "."""

    events: list[str | CustomEventRef | FunnelStep]
    name: str | None = None

    def __attrs_post_init__(self) -> None:
        """At least one event; the names are usable."""
        if len(self.events) < 1:
            raise refuse("SimpleBehavior needs at least 1 event", "events", "BH1_STEP_COUNT")
        for i, event in enumerate(self.events):
            if isinstance(event, str):
                check_behavior_event(event, f"SimpleBehavior.events[{i}]")
