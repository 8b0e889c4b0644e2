# Generated from openapi/stream.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import (
    Body,
    Later,
    LazyModule,
    Operation,
    Param,
    Request,
    build,
)

# The family's models are imported on first use (`Later`), not with the operations.
if TYPE_CHECKING:
    from mixpanel_async._generated.models import stream as m
else:
    m = LazyModule("mixpanel_async._generated.models.stream")

__all__ = [
    "STREAM_BOOKMARK",
    "stream_bookmark",
    "STREAM_QUERY",
    "stream_query",
    "OPERATIONS",
]

# POST /stream/bookmark
STREAM_BOOKMARK = Operation(
    operation_id="stream_bookmark",
    family="stream",
    method="POST",
    host="query",
    path="/stream/bookmark",
    params=(
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.ActivityFeedParams)),
    response=Later(lambda: m.ActivityFeedResponse),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="The raw events of some users, newest first, paged by a sentinel event",
)


def stream_bookmark(
    *,
    body: m.ActivityFeedParams | Mapping[str, Any],
) -> Request[m.ActivityFeedResponse]:
    """POST /stream/bookmark — The raw events of some users, newest first, paged by a sentinel event."""
    return build(STREAM_BOOKMARK, {}, body)


# GET /stream/query
STREAM_QUERY = Operation(
    operation_id="stream_query",
    family="stream",
    method="GET",
    host="query",
    path="/stream/query",
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
            name="distinct_ids",
            attr="distinct_ids",
            location="query",
            type="array",
            required=True,
            json=True,
        ),
        Param(
            name="from_date",
            attr="from_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
        Param(
            name="to_date",
            attr="to_date",
            location="query",
            type="string",
            required=True,
            format="date",
        ),
    ),
    body=None,
    response=Later(lambda: m.StreamQueryResponse),
    response_media_type="application/json",
    rate_limit="query",
    paging=None,
    summary="The raw events of some users in a date window, oldest first (the legacy feed)",
)


def stream_query(
    *,
    distinct_ids: list[str],
    from_date: str | datetime.date,
    to_date: str | datetime.date,
) -> Request[m.StreamQueryResponse]:
    """GET /stream/query — The raw events of some users in a date window, oldest first (the legacy feed).

    Mixpanel's published activity feed, "in maintenance mode" there; `POST /stream/bookmark` is
    what the seed's `activity_feed` sends. `distinct_ids` is a JSON array as text. The emulator
    answers the users' events of the window (whole days in the project's time zone), the most
    recent 15,000 at most, oldest first, without a paging cursor.
    """
    return build(
        STREAM_QUERY,
        {"distinct_ids": distinct_ids, "from_date": from_date, "to_date": to_date},
        None,
    )


OPERATIONS: dict[str, Operation] = {
    "stream_bookmark": STREAM_BOOKMARK,
    "stream_query": STREAM_QUERY,
}
