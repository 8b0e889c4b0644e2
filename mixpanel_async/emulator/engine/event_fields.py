"""Event properties that are fields of the stored event rather than keys of its JSON: Mixpanel's
`$time` (the event's time) and `$distinct_id` (its distinct id).

Replay discovery takes the minimum `$time` of `$mp_session_record` events of one
`$distinct_id`, and a replay's events break down by `$time` (UTC ISO text to the second).
"""

from __future__ import annotations

import orjson
import polars as pl

EVENT_TIME = "$time"
EVENT_USER = "$distinct_id"
FIELDS = (EVENT_TIME, EVENT_USER)


def field_texts(name: str, times: pl.Series, users: pl.Series) -> pl.Series:
    """The JSON text of field `name` per row: `$time` in Unix seconds, `$distinct_id` quoted."""
    if name == EVENT_TIME:
        return (times // 1000).cast(pl.String)
    return users.map_elements(lambda u: orjson.dumps(u).decode(), return_dtype=pl.String)


def time_labels(times: pl.Series) -> pl.Series:
    """Segment names of a `$time` breakdown: each event's UTC time to the second."""
    return times.cast(pl.Datetime("ms")).dt.strftime("%Y-%m-%dT%H:%M:%S").cast(pl.String)
