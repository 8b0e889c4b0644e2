# Generated from openapi/export.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from mixpanel_async._operation import (
    JsonLines,
    Later,
    LazyModule,
    Operation,
    Param,
    Request,
    build,
)

# The family's models are imported on first use (`Later`), not with the operations.
if TYPE_CHECKING:
    from mixpanel_async._generated.models import export as m
else:
    m = LazyModule("mixpanel_async._generated.models.export")

__all__ = [
    "EXPORT_EVENTS",
    "export_events",
    "OPERATIONS",
]

# GET /export
EXPORT_EVENTS = Operation(
    operation_id="export_events",
    family="export",
    method="GET",
    host="export",
    path="/export",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            context="project_id",
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
        Param(name="event", attr="event", location="query", type="array", json=True),
        Param(name="where", attr="where", location="query", type="string"),
        Param(
            name="limit", attr="limit", location="query", type="integer", minimum=1, maximum=100000
        ),
        Param(
            name="time_in_ms", attr="time_in_ms", location="query", type="boolean", default=False
        ),
    ),
    body=None,
    response=Later(lambda: m.ExportedEvent),
    response_media_type="application/x-ndjson",
    rate_limit="export",
    paging={"style": "jsonl"},
    summary="Stream raw events of a date range as JSON lines",
)


def export_events(
    *,
    from_date: str | datetime.date,
    to_date: str | datetime.date,
    event: list[str] | None = None,
    where: str | None = None,
    limit: int | None = None,
    time_in_ms: bool | None = False,
) -> Request[JsonLines[m.ExportedEvent]]:
    """GET /export — Stream raw events of a date range as JSON lines.

    Dates are whole days, both ends inclusive; they are read in UTC for projects created after
    2023-01-01 and in the project timezone for older projects. `time` in each row is in seconds
    unless `time_in_ms=true`. The server gzips the body when the request sends `Accept-Encoding:
    gzip`. Limits: 60 queries per hour, 3 per second, 100 concurrent.
    """
    return build(
        EXPORT_EVENTS,
        {
            "from_date": from_date,
            "to_date": to_date,
            "event": event,
            "where": where,
            "limit": limit,
            "time_in_ms": time_in_ms,
        },
        None,
    )


OPERATIONS: dict[str, Operation] = {
    "export_events": EXPORT_EVENTS,
}
