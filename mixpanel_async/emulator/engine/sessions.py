"""Sessions, for the session maths of Insights (`sessions`) and funnels' session conversion
window and session counting (`conversion_rate_session`).

The emulator's reading of Mixpanel's default, timeout-based sessions: a user's events in time
order (ties in arrival order), all events of the project whatever the report filters, form one
session until a gap of more than 30 minutes between two consecutive events starts the next.
Events without a user each belong to the session of the empty user id, like any other.
"""

from __future__ import annotations

import threading
import weakref

import polars as pl

TIMEOUT_MS = 30 * 60 * 1000
"""The gap after which the next event starts a new session."""

_LOCK = threading.Lock()
_IDS: dict[int, tuple[weakref.ref[pl.DataFrame], pl.Series]] = {}


def _compute(frame: pl.DataFrame) -> pl.Series:
    # The frame is in time (then arrival) order, so a stable sort by user keeps each user's
    # events in that order.
    order = frame.select("distinct_id", "time").with_row_index("pos")
    order = order.sort("distinct_id", maintain_order=True)
    same_user = pl.col("distinct_id") == pl.col("distinct_id").shift(1)
    close = (pl.col("time") - pl.col("time").shift(1)) <= TIMEOUT_MS
    starts = ~(same_user & close).fill_null(False)
    numbered = order.select("pos", starts.cum_sum().cast(pl.Int64).alias("session"))
    return numbered.sort("pos")["session"]


def ids(frame: pl.DataFrame) -> pl.Series:
    """A session number (Int64) per row of a deduplicated, time-sorted event frame; rows of
    one session share it. Remembered while the frame lives."""
    key = id(frame)
    with _LOCK:
        hit = _IDS.get(key)
        if hit is not None and hit[0]() is frame:
            return hit[1]
    found = _compute(frame)

    def forget(_: object) -> None:
        with _LOCK:
            _IDS.pop(key, None)

    with _LOCK:
        _IDS[key] = (weakref.ref(frame, forget), found)
    return found
