"""Custom alerts on saved reports (App API)."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import LazyModule
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import as_model, entity_id, id_list, text

if TYPE_CHECKING:
    from mixpanel_async._generated.models import alerts as m
    from mixpanel_async._generated.operations import alerts as ops
else:
    m = LazyModule("mixpanel_async._generated.models.alerts")
    ops = LazyModule("mixpanel_async._generated.operations.alerts")

MAX_NAME = 50


def _id(alert_id: Any) -> int:
    return entity_id(alert_id, "alert_id")


class AlertFrequencyPreset(enum.IntEnum):
    """Common check intervals, in seconds (the seed's enum)."""

    HOURLY = 3600
    DAILY = 86400
    WEEKLY = 604800


def _name(name: str | None) -> None:
    checks.max_length(checks.optional_text(name, "name"), "name", MAX_NAME)


def _alert(params: Any) -> m.CreateAlertParams:
    body = as_model(params, m.CreateAlertParams)
    _name(body.name)
    entity_id(body.bookmark_id, "bookmark_id")
    return body


class AlertsMixin(Base):
    """Custom alerts on saved reports."""

    async def list_alerts(
        self, *, bookmark_id: int | None = None, skip_user_filter: bool | None = None
    ) -> list[m.CustomAlert]:
        """Custom alerts, optionally only those on the report `bookmark_id`."""
        return await self._call(
            ops.list_alerts,
            bookmark_id=None if bookmark_id is None else entity_id(bookmark_id, "bookmark_id"),
            skip_user_filter=skip_user_filter,
        )

    async def create_alert(self, params: m.CreateAlertParams | dict[str, Any]) -> m.CustomAlert:
        """Create an alert (`bookmark_id`, `name` up to 50 characters, `condition`, `frequency`
        in seconds, `paused`, `subscriptions` required)."""
        return await self._call(ops.create_alert, body=_alert(params))

    async def get_alert(self, alert_id: int) -> m.CustomAlert:
        """One alert by id.

        Raises:
            ParamValidationError: `alert_id` is not a positive integer.
            QueryError: no such alert (404).
        """
        return await self._call(ops.get_alert, alert_id=_id(alert_id))

    async def update_alert(
        self, alert_id: int, params: m.UpdateAlertParams | dict[str, Any]
    ) -> m.CustomAlert:
        """Change some fields of an alert (PATCH)."""
        body = as_model(params, m.UpdateAlertParams)
        _name(body.name)
        return await self._call(ops.update_alert, alert_id=_id(alert_id), body=body)

    async def delete_alert(self, alert_id: int) -> None:
        """Delete one alert."""
        await self._call(ops.delete_alert, alert_id=_id(alert_id))

    async def bulk_delete_alerts(self, ids: list[int]) -> None:
        """Delete several alerts at once."""
        body = m.BulkDeleteAlertsParams(alert_ids=id_list(ids, "ids"))
        await self._call(ops.bulk_delete_alerts, body=body)

    async def get_alert_count(self, *, alert_type: str | None = None) -> m.AlertCount:
        """How many alerts exist (optionally of one type) against the account's limit."""
        return await self._call(ops.get_alert_count, type=checks.optional_text(alert_type, "type"))

    async def get_alert_history(
        self,
        alert_id: int,
        *,
        page_size: int | None = None,
        next_cursor: str | None = None,
        previous_cursor: str | None = None,
    ) -> m.AlertHistoryResponse:
        """One page of an alert's history with its `pagination` (pass `next_cursor` on)."""
        return await self._call(
            ops.get_alert_history,
            alert_id=_id(alert_id),
            page_size=page_size,
            next_cursor=next_cursor,
            previous_cursor=previous_cursor,
        )

    async def test_alert(self, params: m.CreateAlertParams | dict[str, Any]) -> dict[str, Any]:
        """Evaluate an alert definition once, without saving it."""
        return await self._call(ops.test_alert, body=_alert(params))

    async def get_alert_screenshot_url(self, gcs_key: str) -> m.AlertScreenshotResponse:
        """A signed URL for the screenshot an alert notification stored under `gcs_key`."""
        return await self._call(ops.get_alert_screenshot_url, gcs_key=text(gcs_key, "gcs_key"))

    async def validate_alerts_for_bookmark(
        self, params: m.ValidateAlertsForBookmarkParams | dict[str, Any]
    ) -> m.ValidateAlertsForBookmarkResponse:
        """Check whether alerts still fit a report definition (`bookmark_type` insights or
        funnels, `bookmark_params`)."""
        body = as_model(params, m.ValidateAlertsForBookmarkParams)
        id_list(body.alert_ids, "alert_ids")
        return await self._call(ops.validate_alerts_for_bookmark, body=body)
