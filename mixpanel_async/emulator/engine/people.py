"""Per-user values for the report engines (the keys are read by `engine.user_keys`): people
properties, cohort membership and segments, and event frequencies, each computed once per
report as a table of distinct id → JSON text that `rows.evaluate` joins to every event row by
its user.

Semantics (the emulator's readings where Mixpanel does not document its own):
- People properties are as of now: every event of a user reads the user's current profile; a
  user without a profile, or without the property, has it undefined.
- Cohorts are the project's saved cohorts (`ProjectState.cohorts`), their members as
  `engine.profiles.members` selects them now; an unknown id is a ValueError (a 400).
- A frequency is the number of the user's events of its event, passing its filters, in its
  window: the last N days/weeks/months ending today, or the report's own range. Users who
  never did it have 0. In a breakdown the count goes into buckets of `bucketSize` from `min`
  (labelled by their low end when the size is 1, else `low - high`, half open), with `< min`
  and `max+` for the counts outside.

`provided(data)` makes the values available to the engines for the duration of a `with`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs
import orjson
import polars as pl

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import filters, profiles, user_keys
from mixpanel_async.emulator.engine.events import day_window_ms
from mixpanel_async.emulator.engine.params import DAYS_PER_UNIT, whole
from mixpanel_async.emulator.engine.rows import USERS, evaluate, select_rows

Table = tuple[dict[str, str], str | None]
"""Distinct id → JSON text, and the text of everyone else (None: undefined)."""


@attrs.define(eq=False)
class UserData:
    """What per-user values are computed from: a snapshot of the project's profiles and saved
    cohorts, its deduplicated events, and the report's range (`first`..`last`, `today`)."""

    profiles: Mapping[str, Mapping[str, Any]]
    cohorts: Sequence[Mapping[str, Any]]
    frame: pl.DataFrame
    timezone: str | None
    first: dt.date
    last: dt.date
    today: dt.date
    _tables: dict[str, Table] = attrs.field(factory=dict, init=False)
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False)

    def raw(self, name: str, ids: pl.Series) -> pl.Series:
        """The JSON text of the value `name` for each distinct id (null: undefined)."""
        with self._lock:
            if name not in self._tables:
                self._tables[name] = self._table(name)
            known, other = self._tables[name]
        old = pl.Series(list(known), dtype=pl.String)
        new = pl.Series(list(known.values()), dtype=pl.String)
        return ids.replace_strict(old, new, default=other, return_dtype=pl.String)

    def cohort(self, cohort_id: Any) -> Mapping[str, Any]:
        """The saved cohort with that id (compared as text).

        Raises:
            ValueError: there is none.
        """
        for cohort in self.cohorts:
            if str(cohort.get("id")) == str(cohort_id):
                return cohort
        raise ValueError(errors.UNKNOWN_COHORT.format(cohort_id=cohort_id))

    def members(self, cohort_id: Any) -> set[str]:
        """The distinct ids of a saved cohort's members."""
        return set(profiles.members(self.cohort(cohort_id), self.profiles))

    def _table(self, name: str) -> Table:
        kind, spec = user_keys.read(name)
        if kind == user_keys.PEOPLE:
            return {
                did: orjson.dumps(props[spec]).decode()
                for did, props in self.profiles.items()
                if props.get(spec) is not None
            }, None
        if kind == user_keys.COHORT:
            return dict.fromkeys(self.members(spec["id"]), "true"), "false"
        if kind == user_keys.SEGMENT:
            return _segment_table(self, spec["cohorts"])
        counts = self._counts(spec)
        bucket = spec.get("bucket")
        if bucket is None:
            return {did: str(n) for did, n in counts.items()}, "0"
        return {did: _json(bucket_label(n, bucket)) for did, n in counts.items()}, _json(
            bucket_label(0, bucket)
        )

    def _counts(self, spec: Mapping[str, Any]) -> dict[str, int]:
        first, last = self.first, self.last
        window = spec.get("range")
        if window is not None:
            unit = window.get("unit")
            if unit not in DAYS_PER_UNIT:
                raise ValueError(f"a frequency window in {unit!r} is not supported by the emulator")
            count = whole(window.get("value"), "a frequency window's value", 1, 3650)
            first, last = self.today - dt.timedelta(days=count * DAYS_PER_UNIT[unit]), self.today
        start, end = day_window_ms(first, last, self.timezone)
        rows = select_rows(self.frame, [spec["event"]], start, end)
        users = rows.column("distinct_id")
        where = filters.combine(spec["filters"], spec["determiner"])
        if where is not None:
            users = users.filter(evaluate(rows, where, "truth", dt.datetime.now(dt.UTC)))
        counted = users.value_counts()
        return dict(zip(counted[users.name].to_list(), counted["count"].to_list(), strict=True))


def _json(value: str) -> str:
    return orjson.dumps(value).decode()


def _segment_table(data: UserData, entries: list[Mapping[str, Any]]) -> Table:
    inside = next((e["label"] for e in entries if not e["negated"]), None)
    outside = next((e["label"] for e in entries if e["negated"]), None)
    members = data.members(entries[0]["id"])
    table = dict.fromkeys(members, _json(inside)) if inside is not None else {}
    if inside is None:  # members are in no segment; everyone else is
        return dict.fromkeys(members, "null"), _json(str(outside))
    return table, None if outside is None else _json(outside)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def bucket_label(count: int, bucket: Mapping[str, Any]) -> str:
    """The label of the frequency bucket holding `count` (see the module docstring)."""
    size, low, high = bucket["size"], bucket.get("min", 0), bucket.get("max")
    if count < low:
        return f"< {_number(low)}"
    if high is not None and count >= high:
        return f"{_number(high)}+"
    start = low + math.floor((count - low) / size) * size
    if size == 1:
        return _number(start)
    end = start + size if high is None else min(start + size, high)
    return f"{_number(start)} - {_number(end)}"


@contextlib.contextmanager
def provided(data: UserData | None) -> Iterator[None]:
    """Make `data` the per-user values the engines read inside the `with` block."""
    token = USERS.set(data)
    try:
        yield
    finally:
        USERS.reset(token)
