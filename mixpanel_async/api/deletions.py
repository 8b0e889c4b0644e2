"""Event deletion requests: file, list, cancel, preview (App API)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from mixpanel_async._operation import LazyModule
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import as_model
from mixpanel_async.exceptions import ParamValidationError

if TYPE_CHECKING:
    from mixpanel_async._generated.models import deletions as m
    from mixpanel_async._generated.operations import deletions as ops
else:
    m = LazyModule("mixpanel_async._generated.models.deletions")
    ops = LazyModule("mixpanel_async._generated.operations.deletions")

P = TypeVar("P", "m.CreateDeletionRequestParams", "m.PreviewDeletionFiltersParams")
_SCALARS = (str, int, float, bool, type(None))


def _moment(value: str, name: str) -> dt.datetime:
    try:
        if len(value) == 10:
            return dt.datetime.combine(checks.date(value, name), dt.time())
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ParamValidationError(
            f"{name} must be YYYY-MM-DD or an ISO datetime, got {value!r}", param=name
        ) from None
    return parsed.replace(tzinfo=None) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _request(params: Any, model: type[P]) -> P:
    """A deletion request checked: an event name, a date range in order, well-formed filters."""
    body = as_model(params, model)
    start = _moment(body.from_date, "from_date")
    end = _moment(body.to_date, "to_date")
    if start.replace(tzinfo=None) > end.replace(tzinfo=None):
        raise ParamValidationError(
            f"from_date ({body.from_date}) is after to_date ({body.to_date})", param="from_date"
        )
    filters = body.filters
    if filters is not None:
        if not isinstance(filters, Mapping):
            raise ParamValidationError("filters must be a dict", param="filters")
        for name, value in filters.items():
            values = value if isinstance(value, list) else [value]
            if not values or not all(isinstance(v, _SCALARS) for v in values):
                raise ParamValidationError(
                    f"filters[{name!r}] must be a value or a non-empty list of values",
                    param="filters",
                )
    return body


class DeletionsMixin(Base):
    """Event deletion requests."""

    async def list_deletion_requests(self) -> list[m.EventDeletionRequest]:
        """Every event deletion request, newest first."""
        return await self._call(ops.list_deletion_requests)

    async def create_deletion_request(
        self, params: m.CreateDeletionRequestParams | dict[str, Any]
    ) -> list[m.EventDeletionRequest]:
        """Ask for the events named `event_name` from `from_date` to `to_date` (optionally
        only those matching `filters`: property → value or list of values) to be deleted;
        the updated list of requests."""
        body = _request(params, m.CreateDeletionRequestParams)
        return await self._call(ops.create_deletion_request, body=body)

    async def cancel_deletion_request(self, request_id: int) -> list[m.EventDeletionRequest]:
        """Cancel a request that has not started; the updated list.

        Raises:
            QueryError: no such request, or it is already under way (400).
        """
        body = m.CancelDeletionRequestParams(id=checks.entity_id(request_id, "request_id"))
        return await self._call(ops.cancel_deletion_request, body=body)

    async def preview_deletion_filters(
        self, params: m.PreviewDeletionFiltersParams | dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The normalized filters a request would use, each with how many events match it and
        the filters before it (the last count is what would be deleted); changes nothing."""
        body = _request(params, m.PreviewDeletionFiltersParams)
        return await self._call(ops.preview_deletion_filters, body=body)
