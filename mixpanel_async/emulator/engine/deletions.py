"""Event deletion requests: which stored events a request matches (openapi/deletions.yaml).

A request names one event, a date range and optional `filters`. Semantics we had to guess
(Mixpanel documents the endpoint, not the filter format):

* `fromDate` / `toDate` are whole days in the project's timezone (inclusive), or ISO datetimes
  taken as exact moments (UTC when they carry no offset).
* `filters` is an object of property name → value (the property equals it) or list of values
  (equals any of them); every filter must hold. `null`, `{}` and `[]` mean no filter.
* The preview lists the normalized filters, starting with the event name and the time range,
  each with `count`: how many stored events (as queries see them, duplicates merged) match it
  and every filter before it, so the last count is what the request would delete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import polars as pl

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.event_text import full_properties

SCALARS = (str, int, float, bool, type(None))


def moment(value: Any, field: str, zone: dt.tzinfo, *, end: bool) -> int:
    """Milliseconds since the epoch of a `fromDate` (start of day) or `toDate` (end of day)."""
    bad = EmulatorError(400, errors.BAD_DELETION_DATE.format(field=field, value=value))
    if not isinstance(value, str):
        raise bad
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value) + dt.timedelta(days=1 if end else 0)
            at = dt.datetime.combine(day, dt.time(), tzinfo=zone)
            return int(at.timestamp() * 1000) - (1 if end else 0)
        at = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise bad from None
    return int((at if at.tzinfo else at.replace(tzinfo=dt.UTC)).timestamp() * 1000)


def normalize(filters: Any) -> list[dict[str, Any]]:
    """`filters` as `[{"property", "operator": "equals", "values": [...]}]`; a 400 if malformed."""
    if filters is None or filters == [] or filters == {}:
        return []
    if not isinstance(filters, Mapping):
        raise EmulatorError(400, errors.BAD_DELETION_FILTERS.format(why="expected an object"))
    out = []
    for name, value in filters.items():
        values = value if isinstance(value, list) else [value]
        if not values or not all(isinstance(v, SCALARS) for v in values):
            why = f"{name!r} must map to a value or a non-empty list of values"
            raise EmulatorError(400, errors.BAD_DELETION_FILTERS.format(why=why))
        out.append({"property": name, "operator": "equals", "values": values})
    return out


def _holds(props: Mapping[str, Any], spec: Mapping[str, Any]) -> bool:
    if spec["property"] not in props:
        return False
    value = props[spec["property"]]
    return any(
        value == v and isinstance(value, bool) == isinstance(v, bool) for v in spec["values"]
    )


def matching(
    frame: pl.DataFrame, event: str, start_ms: int, end_ms: int, filters: list[dict[str, Any]]
) -> list[pl.Series]:
    """Boolean masks over `frame`, one per stage: the event and time range, then each filter
    added in turn (the last is what a request deletes)."""
    base = frame.select(
        (pl.col("event") == event) & pl.col("time").is_between(start_ms, end_ms)
    ).to_series()
    masks = [base]
    if not filters:
        return masks
    candidates = base.arg_true().to_list()
    columns = ("properties", "time", "distinct_id", "insert_id")
    rows = frame[candidates].select(columns).iter_rows() if candidates else iter(())
    decoded = [full_properties(*row) for row in rows]
    alive = list(range(len(candidates)))
    for spec in filters:
        alive = [i for i in alive if _holds(decoded[i], spec)]
        hit = [False] * frame.height
        for i in alive:
            hit[candidates[i]] = True
        masks.append(pl.Series(hit, dtype=pl.Boolean))
    return masks


def preview(
    frame: pl.DataFrame, request: Mapping[str, Any], zone: dt.tzinfo
) -> list[dict[str, Any]]:
    """The request's normalized filters, each with the count of events matching up to it."""
    event, filters, (start, end) = parse(request, zone)
    masks = matching(frame, event, start, end, filters)
    stages: list[dict[str, Any]] = [
        {"property": "$event_name", "operator": "equals", "values": [event]},
        {"property": "$time", "operator": "between",
         "values": [request["fromDate"], request["toDate"]]},
        *filters,
    ]  # fmt: skip
    named = int(frame.select((pl.col("event") == event).sum()).item())
    counts = [named, *(int(m.sum()) for m in masks)]
    return [{**stage, "count": n} for stage, n in zip(stages, counts, strict=True)]


def parse(
    request: Mapping[str, Any], zone: dt.tzinfo
) -> tuple[str, list[dict[str, Any]], tuple[int, int]]:
    """(event, normalized filters, (start ms, end ms)) of a request body; a 400 if invalid."""
    start = moment(request.get("fromDate"), "fromDate", zone, end=False)
    end = moment(request.get("toDate"), "toDate", zone, end=True)
    if start > end:
        raise errors.date_order(request.get("fromDate"), request.get("toDate"))
    return str(request["eventName"]), normalize(request.get("filters")), (start, end)
