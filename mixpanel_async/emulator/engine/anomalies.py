"""Data volume anomalies, detected from the stored event volume (openapi/anomalies.yaml).

The detector (ours; Mixpanel does not document its own): per event name, count the events of
each day in the project's timezone, from the event's first day to its last, days without events
counting 0. A day with at least `WINDOW` earlier days is compared with the mean `m` and the
population standard deviation `s` of the `WINDOW` days before it; with
`spread = K * max(s, sqrt(m), 1)` (a Poisson floor, so a flat history does not flag every
wobble), the prediction is `[max(0, floor(m - spread)), ceil(m + spread)]` and a day outside
it is an anomaly. The present day is never judged (it is not over). Only event-volume anomalies
are detected (`anomalyClass: "Event"`); property and metric anomalies never are.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from typing import Any

import polars as pl

WINDOW = 7
K = 3.0


def event_id(name: str) -> int:
    """A stable positive integer id for an event name (the anomaly's `event`)."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def daily_counts(frame: pl.DataFrame, zone: dt.tzinfo) -> dict[str, dict[dt.date, int]]:
    """Events per name per day in `zone`."""
    days = frame.select(
        "event",
        pl.from_epoch("time", time_unit="ms")
        .dt.replace_time_zone("UTC")
        .dt.convert_time_zone(str(zone))
        .dt.date()
        .alias("day"),
    )
    out: dict[str, dict[dt.date, int]] = {}
    for event, day, n in days.group_by("event", "day").len().iter_rows():
        out.setdefault(event, {})[day] = n
    return out


def detect(frame: pl.DataFrame, zone: dt.tzinfo, today: dt.date) -> list[dict[str, Any]]:
    """Every anomalous (event, day), oldest first: `eventName`, `day`, `actualCount`,
    `predictedLower`, `predictedUpper`, `mean`."""
    found: list[dict[str, Any]] = []
    for event, by_day in sorted(daily_counts(frame, zone).items()):
        first, last = min(by_day), min(max(by_day), today - dt.timedelta(days=1))
        series = [by_day.get(first + dt.timedelta(days=i), 0)
                  for i in range((last - first).days + 1)]  # fmt: skip
        for i in range(WINDOW, len(series)):
            trailing = series[i - WINDOW : i]
            mean = sum(trailing) / WINDOW
            sd = math.sqrt(sum((c - mean) ** 2 for c in trailing) / WINDOW)
            spread = K * max(sd, math.sqrt(mean), 1.0)
            upper, lower = math.ceil(mean + spread), max(0, math.floor(mean - spread))
            if lower <= series[i] <= upper:
                continue
            found.append(
                {
                    "eventName": event,
                    "day": first + dt.timedelta(days=i),
                    "actualCount": series[i],
                    "predictedLower": lower,
                    "predictedUpper": upper,
                    "mean": mean,
                }
            )
    return found
