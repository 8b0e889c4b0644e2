"""Emulator routes for openapi/anomalies.yaml: data volume anomalies.

Anomalies are detected from the stored events on every list call (`engine/anomalies.py`
documents the detector) and kept in the project's `data_volume_anomaly` entity table, one row
per (event, day) with a stable id, so a status set by `update_anomaly` survives later lists. A
row whose anomaly is no longer detected (its events were deleted, or the days around it filled
in) is dropped. The list is newest first; the filters `status`, `event_id` and `limit` apply
(the others are accepted and ignored: no property or metric anomalies are detected).

Guessed: an update whose `anomalyClass` differs from the anomaly's is a 400, as is an unknown
id; `update_anomaly` answers the updated anomaly and `bulk_update_anomalies` answers
`{"updated": n}` after checking every entry first (all or none).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping
from typing import Any, get_args

from aiohttp import web

from mixpanel_async._generated.models.anomalies import AnomalyClass, AnomalyStatus
from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import anomalies
from mixpanel_async.emulator.entities import Table
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import body, ok, table_of, zone_of
from mixpanel_async.emulator.router import Call, Routes, project_for

routes = Routes()

TABLE = "data_volume_anomaly"
STATUSES: tuple[str, ...] = get_args(AnomalyStatus)
CLASSES: tuple[str, ...] = get_args(AnomalyClass)


def _variance(actual: int, mean: float) -> str:
    return f"{(actual - mean) / mean * 100:+.1f}%" if mean else "+inf%"


def _refresh(call: Call) -> Table:
    """Detect anew and reconcile the table: new anomalies open, known ones keep their id and
    status, vanished ones go."""
    project = project_for(call)
    table = table_of(call, TABLE)
    found = anomalies.detect(project.events.deduped(), zone_of(project), dt.date.today())
    by_key = {(r["eventName"], r["timestamp"]): r for r in table.rows.values()}
    keep: set[Any] = set()
    for hit in found:
        stamp = f"{hit['day'].isoformat()}T00:00:00"
        fields = {
            "timestamp": stamp,
            "actualCount": hit["actualCount"],
            "predictedUpper": hit["predictedUpper"],
            "predictedLower": hit["predictedLower"],
            "percentVariance": _variance(hit["actualCount"], hit["mean"]),
            "project": int(project.project_id),
            "event": anomalies.event_id(hit["eventName"]),
            "eventName": hit["eventName"],
            "primaryType": "volume",
            "anomalyClass": "Event",
        }
        old = by_key.get((hit["eventName"], stamp))
        if old is None:
            row = {"id": table.new_id(), "status": "open", **fields}
        else:
            row = {**old, **fields}
        table.rows[row["id"]] = row
        keep.add(row["id"])
    for stale in [k for k in table.rows if k not in keep]:
        del table.rows[stale]
    return table


@routes("list_data_volume_anomalies")
async def list_data_volume_anomalies(call: Call) -> web.StreamResponse:
    """GET .../data-volume-anomalies/: the anomalies, newest first, filtered."""
    table = await asyncio.to_thread(_refresh, call)
    rows = sorted(table.rows.values(), key=lambda r: (r["timestamp"], r["id"]), reverse=True)
    params = call.params
    if "status" in params:
        rows = [r for r in rows if r["status"] == params["status"]]
    if "event_id" in params:
        rows = [r for r in rows if r["event"] == params["event_id"]]
    if "limit" in params:
        rows = rows[: params["limit"]]
    return ok({"anomalies": rows})


def _choice(value: Any, field: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise EmulatorError(400, errors.BAD_ANOMALY_FIELD.format(
            field=field, value=value, allowed=", ".join(allowed)))  # fmt: skip
    return str(value)


def _target(table: Table, entry: Mapping[str, Any]) -> dict[str, Any]:
    anomaly_id = entry.get("id")
    row = table.rows.get(anomaly_id) if isinstance(anomaly_id, int) else None
    if row is None:
        raise EmulatorError(400, errors.NO_ANOMALY.format(anomaly_id=anomaly_id))
    given = _choice(entry.get("anomalyClass"), "anomalyClass", CLASSES)
    if given != row["anomalyClass"]:
        raise EmulatorError(400, errors.ANOMALY_CLASS_MISMATCH.format(
            anomaly_id=anomaly_id, actual=row["anomalyClass"], given=given))  # fmt: skip
    return row


@routes("update_anomaly")
async def update_anomaly(call: Call) -> web.StreamResponse:
    """PATCH .../data-volume-anomalies/: set one anomaly's status."""
    fields = await body(call)
    status = _choice(fields.get("status"), "status", STATUSES)
    row = _target(table_of(call, TABLE), fields)
    row["status"] = status
    return ok(row)


@routes("bulk_update_anomalies")
async def bulk_update_anomalies(call: Call) -> web.StreamResponse:
    """PATCH .../data-volume-anomalies/bulk/: set many anomalies' status."""
    fields = await body(call)
    status = _choice(fields.get("status"), "status", STATUSES)
    table = table_of(call, TABLE)
    rows = [_target(table, entry) for entry in fields.get("anomalies") or []]
    for row in rows:
        row["status"] = status
    return ok({"updated": len(rows)})
