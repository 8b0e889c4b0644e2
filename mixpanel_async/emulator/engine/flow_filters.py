"""Flows reports, the narrowing settings: `filter_by_event`, `filter_by_cohort` and
`exclusions` checked into a `Narrowing`, and applied to the event frame before any path is
traced (`narrow`).

The emulator's readings (Mixpanel does not document them; each a guess):

* `filter_by_event` (`{"operator": "and"|"or", "children": [...]}`, each child an Insights
  filter clause naming its property by `propertyName`, read by `engine.filters`) holds for
  every event of the flow: an event failing it is dropped from its user's sequence, anchor
  events included, before hidden events and repeated runs are handled. An event without the
  property fails an `equals` test as it does in Insights.
* `filter_by_cohort` (`{"id" | "raw_cohort", "name", "negated"}`) keeps only the events of the
  cohort's members (with `negated`, of everyone else). A saved cohort's members are as
  `engine.profiles.members` selects them now; an inline `raw_cohort` is read when it lists
  `distinct_ids` or has a `where` selector expression, and refused otherwise.
* `exclusions` (event names) are left out of every sequence, like `hidden_events`; excluding
  the anchor event is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import polars as pl

from mixpanel_async.emulator.engine import cohort_selectors, filters
from mixpanel_async.emulator.engine.expressions import Node
from mixpanel_async.emulator.engine.people import UserData, provided
from mixpanel_async.emulator.engine.rows import evaluate, select_rows

UNSUPPORTED = "{what} in a flows report is not supported by the emulator"
_DETERMINERS = {"and": "all", "or": "any"}


@attrs.frozen
class Narrowing:
    """Which events of the frame a flows report traces paths through."""

    event_where: Node | None = None
    """`filter_by_event`: only events passing it are kept."""
    cohort: Mapping[str, Any] | None = None
    """`filter_by_cohort`: `{"id"}` of a saved cohort or the inline `{"raw_cohort"}`."""
    cohort_negated: bool = False
    exclusions: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        """Whether the frame is narrowed at all."""
        return self.event_where is not None or self.cohort is not None or bool(self.exclusions)


def _event_filter(raw: Any) -> Node | None:
    if raw is None or raw == {}:
        return None
    if not isinstance(raw, Mapping):
        raise ValueError("filter_by_event must be an object {operator, children}")
    operator = raw.get("operator", "and")
    if operator not in _DETERMINERS:
        raise ValueError(f"filter_by_event.operator must be 'and' or 'or', got {operator!r}")
    return filters.combine(raw.get("children", []), _DETERMINERS[operator])


def _cohort(raw: Any) -> tuple[Mapping[str, Any] | None, bool]:
    if raw is None or raw == {}:
        return None, False
    if not isinstance(raw, Mapping):
        raise ValueError("filter_by_cohort must be an object {id | raw_cohort, name, negated}")
    negated = raw.get("negated", False)
    if not isinstance(negated, bool):
        raise ValueError(f"filter_by_cohort.negated must be true or false, got {negated!r}")
    inline = raw.get("raw_cohort")
    if inline is not None:
        return {"raw_cohort": cohort_selectors.checked(inline, "filter_by_cohort")}, negated
    cohort_id = raw.get("id")
    if isinstance(cohort_id, bool) or not isinstance(cohort_id, int | str) or cohort_id in ("", 0):
        raise ValueError(f"filter_by_cohort names no saved cohort id, got {cohort_id!r}")
    return {"id": cohort_id}, negated


def _exclusions(raw: Any, anchor: str) -> tuple[str, ...]:
    found = raw or []
    if not isinstance(found, list) or not all(isinstance(e, str) for e in found):
        raise ValueError("exclusions must be a list of event names")
    if anchor in found:
        raise ValueError(f"the anchor event {anchor!r} is in exclusions")
    return tuple(found)


def parse(params: Mapping[str, Any], anchor: str) -> Narrowing:
    """Check a flows report's `filter_by_event`, `filter_by_cohort` and `exclusions`.

    Raises:
        ValueError: a malformed setting, or one the emulator does not compute.
    """
    cohort, negated = _cohort(params.get("filter_by_cohort"))
    return Narrowing(
        event_where=_event_filter(params.get("filter_by_event")),
        cohort=cohort,
        cohort_negated=negated,
        exclusions=_exclusions(params.get("exclusions"), anchor),
    )


def members(narrowing: Narrowing, users: UserData) -> set[str]:
    """The distinct ids of the cohort `filter_by_cohort` names.

    Raises:
        ValueError: an unknown saved cohort id.
    """
    assert narrowing.cohort is not None
    return users.resolve(narrowing.cohort)


def narrow(
    frame: pl.DataFrame, narrowing: Narrowing, users: UserData, now: dt.datetime
) -> pl.DataFrame:
    """The frame's events that a flow traces (`narrowing` applied; same order).

    Raises:
        ValueError: an unknown saved cohort id, or a filter that cannot be evaluated.
    """
    keep = pl.Series([True] * frame.height, dtype=pl.Boolean)
    if narrowing.exclusions:
        excluded = pl.Series(list(narrowing.exclusions), dtype=pl.String).implode()
        keep = keep & ~frame["event"].is_in(excluded)
    if narrowing.cohort is not None:
        ids: Sequence[str] = sorted(members(narrowing, users))
        inside = frame["distinct_id"].is_in(pl.Series(ids, dtype=pl.String).implode())
        keep = keep & (~inside if narrowing.cohort_negated else inside)
    if narrowing.event_where is not None and frame.height:
        times = frame["time"]
        rows = select_rows(frame, None, int(times.min()), int(times.max()) + 1)  # type: ignore[arg-type]
        with provided(users):
            passing = evaluate(rows, narrowing.event_where, "truth", now)
        mask = pl.Series([False] * frame.height, dtype=pl.Boolean)
        mask = mask.scatter(rows.column("_pos"), passing.fill_null(False))
        keep = keep & mask
    return frame.filter(keep)
