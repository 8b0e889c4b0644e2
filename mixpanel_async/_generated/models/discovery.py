# Generated from openapi/discovery.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Literal, TypeAlias

import attrs

EventCountType: TypeAlias = Literal["general", "unique", "average"]


@attrs.frozen(kw_only=True)
class EventPropertyCount:
    count: int


@attrs.frozen(kw_only=True)
class TopEvent:
    event: str
    amount: float
    percent_change: float | None = None


@attrs.frozen(kw_only=True)
class FunnelListItem:
    funnel_id: int
    name: str


@attrs.frozen(kw_only=True)
class CohortListItem:
    id: int
    name: str
    count: int | None = None
    description: str | None = None
    created: str | None = None
    is_visible: Literal[0, 1] | None = None
    project_id: int | None = None


@attrs.frozen(kw_only=True)
class DiscoveryErrorResponse:
    """Query API error body as Mixpanel sends it (not in Mixpanel's published specs): the failing request path and a message."""

    error: str
    request: str | None = None


@attrs.frozen(kw_only=True)
class TopEventsResponse:
    events: list[TopEvent]
    type: EventCountType
