"""Date buckets of a report window in a project timezone: days, weeks (keyed by their Monday),
months, hours and minutes, or runs of a given number of days (`engine.rows` re-exports them for
the query engines)."""

from __future__ import annotations

import datetime as dt

import attrs
import polars as pl

from mixpanel_async.emulator.engine.events import day_window_ms, project_zone

__all__ = ["MAX_BUCKETS", "Buckets", "make_buckets", "stamp"]

MAX_BUCKETS = 100_000
_FORMATS = {"minute": "%Y-%m-%d %H:%M:00", "hour": "%Y-%m-%d %H:00:00"}
_STEP = {"minute": dt.timedelta(minutes=1), "hour": dt.timedelta(hours=1)}


@attrs.frozen
class Buckets:
    """The date buckets of a window: `keys` in order, and where each one starts.

    `bounds` are the UTC-millisecond starts of the physical buckets; `key_of` maps each to its
    key (two physical hours share a key when a DST change repeats a local hour).
    """

    keys: tuple[str, ...]
    bounds: pl.Series
    key_of: pl.Series
    start_ms: int
    end_ms: int

    def index(self, times: pl.Series) -> pl.Series:
        """The key index of each time; every time must lie in `[start_ms, end_ms)`."""
        physical = self.bounds.search_sorted(times, side="right").cast(pl.Int64) - 1
        return self.key_of.gather(physical)


def make_buckets(
    from_date: dt.date | str,
    to_date: dt.date | str,
    timezone: str | None,
    unit: str = "day",
    interval_days: int | None = None,
) -> Buckets:
    """Buckets covering `from_date`..`to_date` (inclusive) in `timezone`.

    Day keys are dates; a week is keyed by its Monday and a month by its first day, even when
    the window starts later (the first bucket is then partial); hours and minutes are local
    clock times. `interval_days` makes buckets of that many days from `from_date` instead.

    Raises:
        ValueError: for more than `MAX_BUCKETS` buckets.
    """
    first, last = dt.date.fromisoformat(str(from_date)), dt.date.fromisoformat(str(to_date))
    tz = project_zone(timezone)
    start, end = day_window_ms(first, last, timezone)
    starts: list[int] = []
    keys: list[str] = []
    if unit in _STEP and not interval_days:
        step_ms = int(_STEP[unit].total_seconds() * 1000)
        if (end - start) // step_ms > MAX_BUCKETS:
            raise ValueError(f"too many {unit} buckets; narrow the date range")
        moment = dt.datetime.fromtimestamp(start / 1000, dt.UTC)
        while (ms := int(moment.timestamp() * 1000)) < end:
            starts.append(ms)
            keys.append(moment.astimezone(tz).strftime(_FORMATS[unit]))
            moment += _STEP[unit]
    else:
        day = first
        while day <= last:
            if interval_days:
                key, step = day, dt.timedelta(days=interval_days)
            elif unit == "week":
                key = day - dt.timedelta(days=day.weekday())
                step = dt.timedelta(days=7) - (day - key)
            elif unit == "month":
                key = day.replace(day=1)
                step = (key.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - day
            else:
                key, step = day, dt.timedelta(days=1)
            starts.append(int(dt.datetime.combine(day, dt.time(), tz).timestamp() * 1000))
            keys.append(key.isoformat())
            day += step
    distinct = list(dict.fromkeys(keys))
    position = {k: i for i, k in enumerate(distinct)}
    return Buckets(
        keys=tuple(distinct),
        bounds=pl.Series(starts, dtype=pl.Int64),
        key_of=pl.Series([position[k] for k in keys], dtype=pl.UInt32),
        start_ms=start,
        end_ms=end,
    )


def stamp(key: str, unit: str, zone: dt.tzinfo) -> str:
    """A bucket key as the ISO timestamp (with offset) of the bucket's local start."""
    if unit in _STEP:
        local = dt.datetime.strptime(key, _FORMATS[unit])
    else:
        local = dt.datetime.combine(dt.date.fromisoformat(key), dt.time())
    return local.replace(tzinfo=zone).isoformat()
