# Generated from openapi/deletions.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs


@attrs.frozen(kw_only=True)
class DeletionErrorResponse:
    error: str
    status: str | None = None


DeletionRequestStatus: TypeAlias = Literal[
    "Submitted", "Processing", "Completed", "Failed", "Cancelled"
]


@attrs.frozen(kw_only=True)
class EventDeletionRequest:
    id: int
    event_name: str = attrs.field(metadata={"wire": "eventName"})
    from_date: str = attrs.field(metadata={"wire": "fromDate"})
    to_date: str = attrs.field(metadata={"wire": "toDate"})
    status: str
    deleted_events_count: int = attrs.field(metadata={"wire": "deletedEventsCount"})
    created: str
    requesting_user: dict[str, Any] = attrs.field(metadata={"wire": "requestingUser"})
    display_name: str | None = attrs.field(default=None, metadata={"wire": "displayName"})
    filters: Any | None = None


@attrs.frozen(kw_only=True)
class DeletionRequestsEnvelope:
    results: list[EventDeletionRequest]
    status: str | None = None


@attrs.frozen(kw_only=True)
class CreateDeletionRequestParams:
    event_name: str = attrs.field(metadata={"wire": "eventName"})
    from_date: str = attrs.field(metadata={"wire": "fromDate"})
    to_date: str = attrs.field(metadata={"wire": "toDate"})
    filters: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class PreviewDeletionFiltersParams:
    event_name: str = attrs.field(metadata={"wire": "eventName"})
    from_date: str = attrs.field(metadata={"wire": "fromDate"})
    to_date: str = attrs.field(metadata={"wire": "toDate"})
    filters: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class CancelDeletionRequestParams:
    id: int


@attrs.frozen(kw_only=True)
class DeletionPreviewEnvelope:
    results: list[dict[str, Any]]
    status: str | None = None
