"""`FlowStep`: one anchor event of a flows report, checked when built."""

from __future__ import annotations

from typing import Any

import attrs

from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.reports.arguments import CONTROL_CHARS, is_int
from mixpanel_async.reports.filters import Filter
from mixpanel_async.reports.literals import FiltersCombinator, FlowSessionEvent

MAX_DIRECTION = 5
"""Most steps a flow traces forward (or backward) from an anchor."""


def _event_name(event: Any, owner: str) -> None:
    if not isinstance(event, str) or not event.strip():
        raise ParamValidationError(
            f"{owner}.event needs a non-empty event name", param="event", code="EV1_EMPTY_EVENT"
        )
    if CONTROL_CHARS.search(event):
        raise ParamValidationError(
            f"{owner}.event has control characters in it: {event!r}",
            param="event",
            code="EV2_CONTROL_CHAR_EVENT",
        )


@attrs.frozen
class FlowStep:
    """One anchor event of a flow, with its own settings.

    Attributes:
        event: The anchor's event name.
        forward: Steps traced after the anchor (0–5); None takes the query's `forward`.
        reverse: Steps traced before the anchor (0–5); None takes the query's `reverse`.
        label: Shown for the step; the event name when None.
        filters: Conditions on the anchor event's properties (`Filter`s; string, number,
            boolean and datetime properties).
        filters_combinator: `"all"` (every filter) or `"any"` (at least one).
        session_event: `"start"` or `"end"` anchors on `$session_start` / `$session_end`.

    Raises:
        ParamValidationError: an empty event name or one with control characters,
            `forward`/`reverse` outside 0–5, a `session_event` whose event does not match.
    """

    event: str
    forward: int | None = None
    reverse: int | None = None
    label: str | None = None
    filters: list[Filter] | None = None
    filters_combinator: FiltersCombinator = "all"
    session_event: FlowSessionEvent | None = None

    def __attrs_post_init__(self) -> None:
        """Check the event name, the directions and the session anchor."""
        _event_name(self.event, "FlowStep")
        for name, code in (("forward", "FL3_FORWARD_RANGE"), ("reverse", "FL4_REVERSE_RANGE")):
            value = getattr(self, name)
            if is_int(value) and not 0 <= value <= MAX_DIRECTION:
                raise ParamValidationError(
                    f"FlowStep.{name} is {value}; it must lie in 0..{MAX_DIRECTION}",
                    param=name,
                    code=code,
                )
        if self.session_event is not None:
            wanted = "$session_start" if self.session_event == "start" else "$session_end"
            if self.event != wanted:
                raise ParamValidationError(
                    f"FlowStep.session_event={self.session_event!r} anchors on {wanted!r}, "
                    f"not on {self.event!r}",
                    param="session_event",
                    code="FS1_SESSION_EVENT_MISMATCH",
                )
