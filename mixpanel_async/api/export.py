"""Raw event export (`/export`): `stream_events`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from mixpanel_async._generated.operations import export as ops
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.bulk.jsonl import jsonl, normalize_event
from mixpanel_async.exceptions import MixpanelConnectionError


class ExportMixin(Base):
    """Raw event export as a stream of records."""

    async def stream_events(
        self,
        *,
        from_date: str,
        to_date: str,
        events: list[str] | None = None,
        where: str | None = None,
        limit: int | None = None,
        raw: bool = False,
    ) -> AsyncIterator[dict[str, Any]]:
        """Stream events of a date range (inclusive), as they arrive.

        Yields the seed's normalised dicts (`event_name`, `event_time`, `distinct_id`,
        `insert_id`, `properties`), or Mixpanel's raw `{"event", "properties"}` with `raw=True`.
        A stream cut mid-way is fetched again and the events already yielded are skipped, so
        nothing is lost or repeated.

        Raises:
            ParamValidationError: bad dates, `from_date` after `to_date`, `limit` outside
                1..100000, `events` not a list of names, an empty `where` (before any request).
        """
        start, end = checks.date_range(from_date, to_date)
        request = checks.build(
            ops.export_events,
            from_date=start,
            to_date=end,
            event=None if events is None else checks.names(events, "events"),
            where=checks.optional_text(where, "where"),
            limit=limit,
        )
        yielded = 0
        attempts_left = self._transport.retry.attempts
        while True:
            try:
                async with self._transport.stream(request) as response:
                    seen = 0
                    async for record in jsonl(response):
                        seen += 1
                        if seen <= yielded:
                            continue  # already yielded before the stream was cut
                        yielded += 1
                        yield record if raw else normalize_event(record)
                return
            except MixpanelConnectionError:
                attempts_left -= 1
                if attempts_left <= 0:
                    raise
