"""Per-user values for the report engines (the keys are read by `engine.user_keys`): people
properties, cohort membership and segments, and event frequencies, each computed once per
report as a table of distinct id → JSON text that `rows.evaluate` joins to every event row by
its user.

Semantics (the emulator's readings where Mixpanel does not document its own):
- People properties are as of now: every event of a user reads the user's current profile; a
  user without a profile, or without the property, has it undefined.
- Cohorts are the project's saved cohorts (`ProjectState.cohorts`), their members as
  `engine.profiles.members` selects them now; an unknown id is a ValueError (a 400).
- A frequency is the number of the user's events of its event, passing its filters, in the
  same time bucket of the report's unit as the row (the whole range for a total chart), as the
  peer library documents Mixpanel's threshold ("evaluated per query time bucket"); a
  `dateRange` lookback is read but, as Mixpanel was observed to, not applied. Users who did
  not do it in that bucket have 0. In a breakdown the count goes into buckets of `bucketSize`
  from `min` (labelled by their low end when the size is 1, else `low - high`, half open), with
  `< min` and `max+` for the counts outside.

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
from mixpanel_async.emulator.engine import cohort_selectors, filters, profiles, user_keys
from mixpanel_async.emulator.engine.events import day_window_ms, project_zone
from mixpanel_async.emulator.engine.rows import USERS, Rows, evaluate, select_rows

Table = tuple[dict[str, str], str | None]
"""Distinct id → JSON text, and the text of everyone else (None: undefined)."""


_TRUNCATE = {"hour": "1h", "day": "1d", "week": "1w", "month": "1mo"}


@attrs.define(eq=False)
class UserData:
    """What per-user values are computed from: a snapshot of the project's profiles and saved
    cohorts, its deduplicated events, and the report's range (`first`..`last`, `today`) and
    time unit (`unit`; None for a total chart)."""

    profiles: Mapping[str, Mapping[str, Any]]
    cohorts: Sequence[Mapping[str, Any]]
    frame: pl.DataFrame
    timezone: str | None
    first: dt.date
    last: dt.date
    today: dt.date
    unit: str | None = None
    _tables: dict[str, Any] = attrs.field(factory=dict, init=False)
    _columns: dict[tuple[int, str], tuple[Rows, pl.Series]] = attrs.field(factory=dict, init=False)
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False)

    @classmethod
    def of(
        cls,
        report: Any,
        profiles: Mapping[str, Mapping[str, Any]],
        cohorts: Sequence[Mapping[str, Any]],
        frame: pl.DataFrame,
        timezone: str | None,
        today: dt.date,
    ) -> UserData:
        """The data for a parsed insights, funnel or retention report (its range and unit)."""
        unit = getattr(report, "cohort_unit", None)
        if unit is None:
            unit = report.unit if report.by_date else None
        first, last = report.from_date, report.to_date
        return cls(profiles, cohorts, frame, timezone, first, last, today, unit)

    def raw(self, name: str, rows: Rows) -> pl.Series:
        """The JSON text of the value `name` for each row, by its distinct id and time (null:
        undefined); remembered per selection of rows, which a report reads several times."""
        with self._lock:
            if name not in self._tables:
                self._tables[name] = _series(self._table(name))
            table = self._tables[name]
            seen = self._columns.get((id(rows), name))
        if seen is not None and seen[0] is rows:
            return seen[1]
        ids = rows.column("distinct_id")
        if isinstance(table, pl.DataFrame):  # a frequency: by user and time bucket
            out = self._frequency(table, user_keys.read(name)[1], ids, rows.column("time"))
        else:
            old, new, other = table
            out = ids.replace_strict(old, new, default=other, return_dtype=pl.String)
        with self._lock:
            self._columns[(id(rows), name)] = (rows, out)
        return out

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

    def resolve(self, ref: Mapping[str, Any]) -> set[str]:
        """The distinct ids of a cohort reference: `{"id"}` (a saved cohort) or `{"raw_cohort"}`
        (an inline definition: a selector, `distinct_ids` or a `where`).

        Raises:
            ValueError: an unknown saved cohort, a selector the emulator cannot evaluate.
        """
        inline = ref.get("raw_cohort")
        if inline is None:
            return self.members(ref["id"])
        if cohort_selectors.is_selector(inline):
            return set(cohort_selectors.members(inline, self.profiles, self.members))
        return set(profiles.members(inline, self.profiles))

    def _table(self, name: str) -> Table | pl.DataFrame:
        kind, spec = user_keys.read(name)
        if kind == user_keys.PEOPLE:
            dumps = orjson.dumps
            return {
                did: dumps(value).decode()
                for did, props in self.profiles.items()
                if (value := props.get(spec)) is not None
            }, None
        if kind == user_keys.COHORT:
            return dict.fromkeys(self.resolve(spec), "true"), "false"
        if kind == user_keys.SEGMENT:
            return _segment_table(self, spec["cohorts"])
        return self._counts(spec)

    def _bucket(self, times: pl.Series) -> pl.Series:
        """The report bucket of each time: its local start in the report's unit, or (a total
        chart) whether it lies in the report's range."""
        if self.unit is None:
            start, end = day_window_ms(self.first, self.last, self.timezone)
            return times.is_between(start, end, closed="left").cast(pl.String)
        local = pl.from_epoch(times, time_unit="ms").dt.replace_time_zone("UTC")
        local = local.dt.convert_time_zone(str(project_zone(self.timezone)))
        return local.dt.replace_time_zone(None).dt.truncate(_TRUNCATE[self.unit]).cast(pl.String)

    def _counts(self, spec: Mapping[str, Any]) -> pl.DataFrame:
        """`u`, `k` (bucket), `n`: how many of the frequency's events each user did per bucket."""
        rows = select_rows(self.frame, [spec["event"]], -(2**62), 2**62)
        data = pl.DataFrame(
            {"u": rows.column("distinct_id"), "k": self._bucket(rows.column("time"))}
        )
        where = filters.combine(spec["filters"], spec["determiner"])
        if where is not None:
            data = data.filter(evaluate(rows, where, "truth", dt.datetime.now(dt.UTC)))
        return data.group_by("u", "k").agg(pl.len().alias("n"))

    def _frequency(
        self, counts: pl.DataFrame, spec: Mapping[str, Any], ids: pl.Series, times: pl.Series
    ) -> pl.Series:
        keys = pl.DataFrame({"u": ids, "k": self._bucket(times)})
        found = keys.join(counts, on=["u", "k"], how="left", maintain_order="left")["n"]
        found = found.fill_null(0)
        bucket = spec.get("bucket")
        if bucket is None:
            return found.cast(pl.String)
        labels = {n: _json(bucket_label(n, bucket)) for n in found.unique().to_list()}
        return found.replace_strict(labels, return_dtype=pl.String)


def _series(table: Table | pl.DataFrame) -> Any:
    """A table as `replace_strict` reads it: (ids, texts, everyone else's text)."""
    if isinstance(table, pl.DataFrame):
        return table
    known, other = table
    ids = pl.Series(list(known), dtype=pl.String)
    return ids, pl.Series(list(known.values()), dtype=pl.String), other


def _json(value: str) -> str:
    return orjson.dumps(value).decode()


def _segment_table(data: UserData, entries: list[Mapping[str, Any]]) -> Table:
    inside = next((e["label"] for e in entries if not e["negated"]), None)
    outside = next((e["label"] for e in entries if e["negated"]), None)
    members = data.resolve(entries[0]["ref"])
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
