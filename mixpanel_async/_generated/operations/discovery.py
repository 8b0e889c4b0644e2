# Generated from openapi/discovery.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from mixpanel_async._operation import (
    Later,
    LazyModule,
    Operation,
    Param,
    Request,
    build,
)

# The family's models are imported on first use (`Later`), not with the operations.
if TYPE_CHECKING:
    from mixpanel_async._generated.models import discovery as m
else:
    m = LazyModule("mixpanel_async._generated.models.discovery")

__all__ = [
    "LIST_COHORTS",
    "list_cohorts",
    "LIST_EVENT_NAMES",
    "list_event_names",
    "LIST_EVENT_PROPERTIES_TOP",
    "list_event_properties_top",
    "LIST_FUNNELS",
    "list_funnels",
    "LIST_PROPERTY_VALUES",
    "list_property_values",
    "LIST_TOP_EVENTS",
    "list_top_events",
    "OPERATIONS",
]

# POST /cohorts/list
LIST_COHORTS = Operation(
    operation_id="list_cohorts",
    family="discovery",
    method="POST",
    host="query",
    path="/cohorts/list",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
    ),
    body=None,
    response=Later(lambda: list[m.CohortListItem]),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Saved cohorts with their current size",
)


def list_cohorts() -> Request[list[m.CohortListItem]]:
    """POST /cohorts/list — Saved cohorts with their current size.

    A POST without a body; the project is named in the query string.
    """
    return build(LIST_COHORTS, {}, None)


# GET /events/names
LIST_EVENT_NAMES = Operation(
    operation_id="list_event_names",
    family="discovery",
    method="GET",
    host="query",
    path="/events/names",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(
            name="type",
            attr="type",
            location="query",
            type="string",
            required=True,
            enum=("general", "unique", "average"),
        ),
        Param(name="limit", attr="limit", location="query", type="integer", default=255, minimum=1),
        Param(name="from_date", attr="from_date", location="query", type="string", format="date"),
        Param(name="to_date", attr="to_date", location="query", type="string", format="date"),
    ),
    body=None,
    response=list[str],
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Names of the most common events",
)


def list_event_names(
    *,
    type: m.EventCountType,
    limit: int | None = 255,
    from_date: str | datetime.date | None = None,
    to_date: str | datetime.date | None = None,
) -> Request[list[str]]:
    """GET /events/names — Names of the most common events.

    Mixpanel documents this as the top event names of the last 31 days; it also accepts a
    `from_date`/`to_date` window. A window longer than the project allows answers 403 with a
    message containing `exceeds N days`.
    """
    return build(
        LIST_EVENT_NAMES,
        {"type": type, "limit": limit, "from_date": from_date, "to_date": to_date},
        None,
    )


# GET /events/properties/top
LIST_EVENT_PROPERTIES_TOP = Operation(
    operation_id="list_event_properties_top",
    family="discovery",
    method="GET",
    host="query",
    path="/events/properties/top",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(name="event", attr="event", location="query", type="string", required=True),
        Param(name="limit", attr="limit", location="query", type="integer", default=10, minimum=1),
    ),
    body=None,
    response=Later(lambda: dict[str, m.EventPropertyCount]),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Most common property names of one event",
)


def list_event_properties_top(
    *,
    event: str,
    limit: int | None = 10,
) -> Request[dict[str, m.EventPropertyCount]]:
    """GET /events/properties/top — Most common property names of one event."""
    return build(LIST_EVENT_PROPERTIES_TOP, {"event": event, "limit": limit}, None)


# GET /events/properties/values
LIST_PROPERTY_VALUES = Operation(
    operation_id="list_property_values",
    family="discovery",
    method="GET",
    host="query",
    path="/events/properties/values",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(name="name", attr="name", location="query", type="string", required=True),
        Param(name="event", attr="event", location="query", type="string"),
        Param(name="limit", attr="limit", location="query", type="integer", default=255, minimum=1),
    ),
    body=None,
    response=list[str],
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Most common values of one property",
)


def list_property_values(
    *,
    name: str,
    event: str | None = None,
    limit: int | None = 255,
) -> Request[list[str]]:
    """GET /events/properties/values — Most common values of one property.

    Mixpanel's spec marks `event` as required; the peer library omits it to sample a property
    across all events, so it is optional here.
    """
    return build(LIST_PROPERTY_VALUES, {"name": name, "event": event, "limit": limit}, None)


# GET /events/top
LIST_TOP_EVENTS = Operation(
    operation_id="list_top_events",
    family="discovery",
    method="GET",
    host="query",
    path="/events/top",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
        Param(
            name="type",
            attr="type",
            location="query",
            type="string",
            required=True,
            enum=("general", "unique", "average"),
        ),
        Param(name="limit", attr="limit", location="query", type="integer", default=100, minimum=1),
    ),
    body=None,
    response=Later(lambda: m.TopEventsResponse),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Today's top events with their change since yesterday",
)


def list_top_events(
    *,
    type: m.EventCountType,
    limit: int | None = 100,
) -> Request[m.TopEventsResponse]:
    """GET /events/top — Today's top events with their change since yesterday."""
    return build(LIST_TOP_EVENTS, {"type": type, "limit": limit}, None)


# GET /funnels/list
LIST_FUNNELS = Operation(
    operation_id="list_funnels",
    family="discovery",
    method="GET",
    host="query",
    path="/funnels/list",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
    ),
    body=None,
    response=Later(lambda: list[m.FunnelListItem]),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="Saved funnels (id and name)",
)


def list_funnels() -> Request[list[m.FunnelListItem]]:
    """GET /funnels/list — Saved funnels (id and name)."""
    return build(LIST_FUNNELS, {}, None)


OPERATIONS: dict[str, Operation] = {
    "list_cohorts": LIST_COHORTS,
    "list_event_names": LIST_EVENT_NAMES,
    "list_event_properties_top": LIST_EVENT_PROPERTIES_TOP,
    "list_funnels": LIST_FUNNELS,
    "list_property_values": LIST_PROPERTY_VALUES,
    "list_top_events": LIST_TOP_EVENTS,
}
