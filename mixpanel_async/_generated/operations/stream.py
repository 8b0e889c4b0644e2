# Generated from openapi/stream.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

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


OPERATIONS: dict[str, Operation] = {
    "stream_bookmark": STREAM_BOOKMARK,
}
