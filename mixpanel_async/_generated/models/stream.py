# Generated from openapi/stream.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal

import attrs


@attrs.frozen(kw_only=True)
class StreamErrorResponse:
    error: str
    request: str | None = None


@attrs.frozen(kw_only=True)
class StreamDateWindow:
    unit: Literal["day"]
    value: int


@attrs.frozen(kw_only=True)
class StreamDateRange:
    """`between` (from, to), `since` (from until today) or `relative_after` (the last `window.value` days)."""

    type: Literal["between", "since", "relative_after"]
    from_date: str | None = attrs.field(default=None, metadata={"wire": "from"})
    to_date: str | None = attrs.field(default=None, metadata={"wire": "to"})
    window: StreamDateWindow | None = None


@attrs.frozen(kw_only=True)
class StreamBookmark:
    date_range: StreamDateRange = attrs.field(metadata={"wire": "dateRange"})
    entries: list[dict[str, Any]]


@attrs.frozen(kw_only=True)
class ActivityFeedParams:
    project_id: int | str
    workspace_id: int
    bookmark: StreamBookmark
    distinct_ids: list[str]
    mode: Literal["raw"]
    limit: int | None = None
    include_events: list[str] | None = None
    exclude_events: list[str] | None = None
    sentinel_event: dict[str, Any] | None = None
    paging_window: int | None = None
    search: str | None = None
    search_properties: list[dict[str, Any]] | None = None
    use_custom_events: bool | None = None


@attrs.frozen(kw_only=True)
class StreamEvent:
    event: str
    properties: dict[str, Any]


@attrs.frozen(kw_only=True)
class ActivityFeedResults:
    events: list[StreamEvent]
    sentinel_event: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class ActivityFeedResponse:
    results: ActivityFeedResults


@attrs.frozen(kw_only=True)
class StreamQueryResults:
    events: list[StreamEvent]


@attrs.frozen(kw_only=True)
class StreamQueryResponse:
    results: StreamQueryResults
    status: str | None = None
