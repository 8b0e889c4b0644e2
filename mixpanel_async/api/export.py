"""Raw event export (`/export`): `stream_events`."""

from __future__ import annotations

import datetime as dt
from array import array
from collections import Counter
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import orjson

from mixpanel_async._operation import LazyModule
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.exceptions import MixpanelConnectionError

if TYPE_CHECKING:
    from mixpanel_async._generated.operations import export as ops
    from mixpanel_async.bulk import jsonl as bulk_jsonl
else:
    ops = LazyModule("mixpanel_async._generated.operations.export")
    bulk_jsonl = LazyModule("mixpanel_async.bulk.jsonl")


class ExportMixin(Base):
    """Raw event export as a stream of records."""

    async def stream_events(
        self,
        *,
        from_date: str | dt.date,
        to_date: str | dt.date,
        events: list[str] | None = None,
        where: str | None = None,
        limit: int | None = None,
        raw: bool = False,
    ) -> AsyncIterator[dict[str, Any]]:
        """Stream events of a date range (inclusive), as they arrive.

        Yields the seed's normalised dicts (`event_name`, `event_time`, `distinct_id`,
        `insert_id`, `properties`), or Mixpanel's raw `{"event", "properties"}` with `raw=True`.
        A stream cut mid-way is fetched again and the events already yielded are skipped by
        identity (name, time, `distinct_id`, `$insert_id`; 8 bytes remembered per event), so
        nothing is lost or repeated even when events arrive or go between the cut and the
        refetch.

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
        seen = array("q")  # identity hashes of the records yielded so far, 8 bytes each
        attempts_left = self._transport.retry.attempts
        normalize = bulk_jsonl.normalize_event  # looked up once, not per event
        while True:
            # After a cut, the refetched stream may differ (events arriving or deleted since):
            # skip by identity, not by position, so nothing is lost or repeated.
            already = Counter(seen) if seen else None
            try:
                async with self._transport.stream(request) as response:
                    async for record in bulk_jsonl.jsonl(response):
                        key = _identity(record)
                        if already and already[key] > 0:
                            already[key] -= 1
                            continue
                        seen.append(key)
                        yield record if raw else normalize(record)
                return
            except MixpanelConnectionError:
                attempts_left -= 1
                if attempts_left <= 0:
                    raise


def _identity(record: dict[str, Any]) -> int:
    """A 64-bit hash of what makes an exported event itself: its name, time, distinct_id and
    `$insert_id` (identical events count as many times as they occur)."""
    props = record.get("properties")
    props = props if isinstance(props, dict) else {}
    try:
        return hash(
            (
                record.get("event"),
                props.get("time"),
                props.get("distinct_id"),
                props.get("$insert_id"),
            )
        )
    except TypeError:  # an unhashable value where a scalar belongs: hash the whole record
        return hash(orjson.dumps(record, option=orjson.OPT_SORT_KEYS))
