# Generated from openapi/alerts.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal

import attrs


@attrs.frozen(kw_only=True)
class AlertErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class AlertOkResponse:
    status: str | None = None
    results: Any | None = None


@attrs.frozen(kw_only=True)
class AlertBookmark:
    id: int
    name: str | None = None
    type: str | None = None


@attrs.frozen(kw_only=True)
class AlertCreator:
    id: int
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None


@attrs.frozen(kw_only=True)
class AlertWorkspace:
    id: int
    name: str | None = None


@attrs.frozen(kw_only=True)
class AlertProject:
    id: int
    name: str | None = None


@attrs.frozen(kw_only=True)
class CustomAlert:
    id: int
    name: str
    bookmark: AlertBookmark | None = None
    condition: dict[str, Any] | None = None
    frequency: int | None = None
    paused: bool | None = None
    subscriptions: list[dict[str, Any]] | None = None
    notification_windows: dict[str, Any] | None = None
    creator: AlertCreator | None = None
    workspace: AlertWorkspace | None = None
    project: AlertProject | None = None
    created: str | None = None
    modified: str | None = None
    last_checked: str | None = None
    last_fired: str | None = None
    valid: bool | None = None
    results: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class CustomAlertResponse:
    results: CustomAlert
    status: str | None = None


@attrs.frozen(kw_only=True)
class CustomAlertListResponse:
    results: list[CustomAlert]
    status: str | None = None


@attrs.frozen(kw_only=True)
class CreateAlertParams:
    bookmark_id: int
    name: str
    condition: dict[str, Any]
    frequency: int
    paused: bool
    subscriptions: list[dict[str, Any]]
    notification_windows: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class UpdateAlertParams:
    name: str | None = None
    bookmark_id: int | None = None
    condition: dict[str, Any] | None = None
    frequency: int | None = None
    paused: bool | None = None
    subscriptions: list[dict[str, Any]] | None = None
    notification_windows: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class BulkDeleteAlertsParams:
    alert_ids: list[int]


@attrs.frozen(kw_only=True)
class AlertCount:
    anomaly_alerts_count: int
    alert_limit: int
    is_below_limit: bool


@attrs.frozen(kw_only=True)
class AlertCountResponse:
    results: AlertCount
    status: str | None = None


@attrs.frozen(kw_only=True)
class AlertHistoryPagination:
    next_cursor: str | None = None
    previous_cursor: str | None = None
    page_size: int | None = 20


@attrs.frozen(kw_only=True)
class AlertHistoryResponse:
    """One page of history entries, newest first, and where the next page starts."""

    results: list[dict[str, Any]] | None = attrs.field(factory=list)
    pagination: AlertHistoryPagination | None = None


@attrs.frozen(kw_only=True)
class AlertHistoryEnvelope:
    results: AlertHistoryResponse
    status: str | None = None


@attrs.frozen(kw_only=True)
class AlertTestResponse:
    results: dict[str, Any]
    status: str | None = None


@attrs.frozen(kw_only=True)
class AlertScreenshotResponse:
    signed_url: str


@attrs.frozen(kw_only=True)
class AlertScreenshotEnvelope:
    results: AlertScreenshotResponse
    status: str | None = None


@attrs.frozen(kw_only=True)
class AlertValidation:
    alert_id: int
    alert_name: str
    valid: bool
    reason: str | None = None


@attrs.frozen(kw_only=True)
class ValidateAlertsForBookmarkParams:
    alert_ids: list[int]
    bookmark_type: Literal["insights", "funnels"]
    bookmark_params: dict[str, Any]


@attrs.frozen(kw_only=True)
class ValidateAlertsForBookmarkResponse:
    alert_validations: list[AlertValidation] | None = attrs.field(factory=list)
    invalid_count: int | None = 0


@attrs.frozen(kw_only=True)
class ValidateAlertsForBookmarkEnvelope:
    results: ValidateAlertsForBookmarkResponse
    status: str | None = None
