"""Drop filters: the conditions that discard events at ingestion, and the one ingestion hook.

Mixpanel publishes no format for a drop filter's conditions; the peer library documents
`{"property": "env", "value": "test"}` and `{"property": ..., "operator": "equals", "value":
...}`. What this emulator accepts (each choice a guess, documented here):

- `filters` is one condition object or a list of them; it is stored and answered as a list. An
  empty list drops every event of the filter's name.
- A condition is `{property, operator?, value?}`; `operator` is one of `OPERATORS` (default
  `equals`). `equals` / `does not equal` take a value or a list of values (any of them);
  `contains` / `does not contain` a string (compared case-sensitively with the property's text);
  `is set` / `is not set` no value. Conditions of one filter must all hold (AND).
- A value equals a property when they are equal as JSON values or as text (`1` equals `"1"`).
- Only *active* filters act; an event is dropped when any active filter of its name matches.
- An event whose Lexicon definition is marked `dropped` is discarded whole, and a property
  definition marked `dropped` (resource `Event`) is removed from the events that carry it, as
  Mixpanel says for Lexicon's "drop".
- A dropped event still counts as accepted in the ingestion answer: Mixpanel drops it after
  accepting the request.
- An event definition deleted from Lexicon comes back (fresh) when an event of that name is
  stored again.

`screen` is what ingestion calls, once per batch, before the rows reach the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from mixpanel_async.emulator.entities import Table
from mixpanel_async.emulator.event_text import full_properties
from mixpanel_async.emulator.store import EventRow, ProjectState

OPERATORS = ("equals", "does not equal", "contains", "does not contain", "is set", "is not set")
"""The condition operators a drop filter takes (the Insights filter words)."""
FILTER_LIMIT = 10
"""How many drop filters a project may have (a guess: Mixpanel does not publish its limit)."""
FILTERS = "drop_filter"
EVENTS = "event_definition"
PROPERTIES = "property_definition"
"""The project entity tables drop filters and Lexicon definitions live in."""

_VALUELESS = ("is set", "is not set")


def conditions(filters: Any) -> list[dict[str, Any]]:
    """A filter's conditions as the stored list; a `ValueError` saying what is wrong."""
    items = [filters] if isinstance(filters, dict) else filters
    if not isinstance(items, list):
        raise ValueError("filters must be a condition object or a list of them")
    out = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValueError(f"filters[{n}] must be an object")
        prop = item.get("property")
        if not isinstance(prop, str) or not prop.strip():
            raise ValueError(f"filters[{n}].property must be a non-empty string")
        operator = item.get("operator", "equals")
        if operator not in OPERATORS:
            allowed = ", ".join(OPERATORS)
            raise ValueError(f"filters[{n}].operator must be one of {allowed}, got {operator!r}")
        if operator not in _VALUELESS and "value" not in item:
            raise ValueError(f"filters[{n}] needs a value for {operator!r}")
        if operator in ("contains", "does not contain") and not isinstance(item["value"], str):
            raise ValueError(f"filters[{n}].value must be a string for {operator!r}")
        out.append(dict(item))
    return out


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return any(_same(actual, e) for e in expected)
    return actual == expected or (actual is not None and str(actual) == str(expected))


def _holds(condition: Mapping[str, Any], props: Mapping[str, Any]) -> bool:
    operator = condition.get("operator", "equals")
    present = condition["property"] in props and props[condition["property"]] is not None
    actual = props.get(condition["property"])
    if operator == "is set":
        return present
    if operator == "is not set":
        return not present
    if operator == "equals":
        return present and _same(actual, condition["value"])
    if operator == "does not equal":
        return not (present and _same(actual, condition["value"]))
    found = present and str(condition["value"]) in (
        actual if isinstance(actual, str) else orjson.dumps(actual).decode()
    )
    return found if operator == "contains" else not found


def matches(rules: Iterable[list[dict[str, Any]]], props: Mapping[str, Any]) -> bool:
    """Whether any rule (a list of conditions, all of which must hold) matches `props`."""
    return any(all(_holds(c, props) for c in rule) for rule in rules)


def _table(project: ProjectState, kind: str) -> Table | None:
    table = project.entities.get(kind)
    return table if isinstance(table, Table) and table.rows else None


def screen(project: ProjectState, rows: list[EventRow]) -> list[EventRow]:
    """The rows ingestion may store: without the events active drop filters or Lexicon's
    `dropped` flags discard, and without dropped properties (see the module docstring)."""
    filters, events = _table(project, FILTERS), _table(project, EVENTS)
    if filters is None and events is None and _table(project, PROPERTIES) is None:
        return rows  # the common case: nothing to screen, no cost
    rules: dict[str, list[list[dict[str, Any]]]] = {}
    for f in filters.rows.values() if filters else ():
        if f.get("active", True):
            rules.setdefault(f["eventName"], []).append(f.get("filters") or [])
    deleted: dict[str, dict[str, Any]] = {}
    for definition in events.rows.values() if events else ():
        if definition.get("dropped") and not definition.get("deleted"):
            rules.setdefault(definition["name"], []).insert(0, [])
        if definition.get("deleted"):
            deleted[definition["name"]] = definition
    stripped = _dropped_properties(project)
    if not (rules or deleted or stripped):
        return rows  # definitions read or edited, but none that screens anything
    every = {name for name, mine in rules.items() if any(not rule for rule in mine)}
    some = {name: mine for name, mine in rules.items() if name not in every}
    kept = [
        row
        for row in rows
        if row[0] not in every
        and not (
            row[0] in some
            and matches(some[row[0]], full_properties(row[4], row[2], row[1], row[3]))
        )
    ]
    if stripped:
        kept = [_without(row, stripped) for row in kept]
    for name in {row[0] for row in kept} & deleted.keys() if deleted else ():
        _revive(events, deleted[name])  # type: ignore[arg-type]
    return kept


def _without(row: EventRow, stripped: frozenset[str]) -> EventRow:
    """A row without the dropped properties (its JSON rewritten only when it has one)."""
    if not any(f'"{p}"' in row[4] for p in stripped):
        return row
    props = orjson.loads(row[4])
    text = orjson.dumps({k: v for k, v in props.items() if k not in stripped}).decode()
    return (row[0], row[1], row[2], row[3], text)


def _dropped_properties(project: ProjectState) -> frozenset[str]:
    table = _table(project, PROPERTIES)
    if table is None:
        return frozenset()
    return frozenset(
        r["name"]
        for r in table.rows.values()
        if r.get("dropped") and r.get("resourceType", "Event") == "Event"
    )


def _revive(table: Table, row: dict[str, Any]) -> None:
    row["deleted"] = False
    table.record(row["id"], "create", {"name": row["name"]})
