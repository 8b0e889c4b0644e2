"""Report filters (the `filters` / `sections.filter` entries of saved-report JSON) as
segmentation-expression trees, so the reports engines filter rows with the same machinery
(`segmentation.evaluate`) and the same undefined-value rules as `where=`.

An entry names an event property (`value`, or `propertyName`), a `filterOperator`, a
`filterType` (string, number, boolean, datetime, list) and a `filterValue`. People (user)
properties, in-cohort filters (`$cohorts`) and frequency filters (`behavior.behaviorType`
`$frequency`) read per-user values (see `engine.user_keys`, `engine.people`). What the emulator
cannot honour (group properties, custom properties, ...) is a ValueError naming it, never a
filter silently dropped.

Semantics (Mixpanel's UI behaviour; the string comparisons being case-sensitive is our guess):
- `equals` with a list matches any of the values; `does not equal` matches none of them, so an
  event without the property passes it.
- `contains` / `does not contain`: substring tests on strings; other values never contain.
- `is between` / `not between`: both ends inclusive.
- `is set` / `is not set`: whether the property has a value (`null` counts as not set).
- `starts with` / `ends with` (and `does not end with`, which an undefined value passes):
  case-sensitive prefix and suffix tests on strings.
- `true` / `false`: a boolean property with that value.
- A list of objects (`filterJoinType` `list`, as `Filter.list_contains` writes it): the
  `listItemFilters` are read against each item's keys (all of them must hold for an item);
  `listQuantifier` `any` passes an event when at least one item does, `all` when every item
  does (an empty list passes `all`: our guess). A value that is not a list passes neither.
- Dates (`datetime()` of the value: ISO text or Unix seconds): `was on` / `was not on` a
  `YYYY-MM-DD` day, `was before` / `was since` its start, `was between` / `was not between`
  two days (both inclusive), `was in the` / `was not in the` last N `filterDateUnit` (hour,
  day, week, month of 30 days) up to now, `was in the next` N of them from now. Days are UTC
  days (our simplification; Mixpanel may read them in the project's timezone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from mixpanel_async.emulator.engine import user_keys
from mixpanel_async.emulator.engine.expressions import (
    Binary,
    Call,
    ListItems,
    ListLiteral,
    Literal,
    Node,
    Property,
    Unary,
)

UNSUPPORTED = "{what} is not supported by the emulator"
_ORDER = {"is greater than": ">", "is less than": "<", "is at least": ">=", "is at most": "<="}


def _literal(value: Any, what: str) -> Literal:
    if isinstance(value, bool | int | float | str):
        return Literal(value)
    raise ValueError(f"{what} must be a string, number or boolean, got {value!r}")


def _values(value: Any, what: str) -> list[Literal]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ValueError(f"{what} needs at least one value")
    return [_literal(item, what) for item in items]


def _either(nodes: Sequence[Node], op: str) -> Node:
    tree = nodes[0]
    for node in nodes[1:]:
        tree = Binary(op, tree, node)
    return tree


def _not(node: Node) -> Node:
    return Unary("not", node)


def _pair(value: Any, what: str) -> tuple[Literal, Literal]:
    if not (isinstance(value, list) and len(value) == 2):
        raise ValueError(f"{what} needs a [low, high] pair, got {value!r}")
    low, high = (_literal(v, what) for v in value)
    return low, high


def _between(prop: Node, value: Any, what: str) -> Node:
    low, high = _pair(value, what)
    return Binary("and", Binary(">=", prop, low), Binary("<=", prop, high))


def _equals(prop: Node, value: Any, what: str) -> Node:
    values = _values(value, what)
    if len(values) == 1:
        return Binary("==", prop, values[0])
    return Binary("in", prop, ListLiteral(tuple(values)))


_OPERATORS: dict[str, Callable[[Node, Any, str], Node]] = {
    "equals": _equals,
    "does not equal": lambda p, v, w: _not(_equals(p, v, w)),
    "contains": lambda p, v, w: Binary("in", _literal(v, w), p),
    "does not contain": lambda p, v, w: _not(Binary("in", _literal(v, w), p)),
    "is between": _between,
    "not between": lambda p, v, w: _not(_between(p, v, w)),
    "is set": lambda p, v, w: Call("defined", (p,)),
    "is not set": lambda p, v, w: _not(Call("defined", (p,))),
    "starts with": lambda p, v, w: Call("has_prefix", (p, _literal(v, w))),
    "ends with": lambda p, v, w: Call("has_suffix", (p, _literal(v, w))),
    "does not end with": lambda p, v, w: _not(Call("has_suffix", (p, _literal(v, w)))),
    "true": lambda p, v, w: Binary("==", p, Literal(True)),
    "false": lambda p, v, w: Binary("==", p, Literal(False)),
}


def _ordering(op: str) -> Callable[[Node, Any, str], Node]:
    return lambda prop, value, what: Binary(op, prop, _literal(value, what))


_OPERATORS.update({name: _ordering(op) for name, op in _ORDER.items()})

# --- datetime operators (days are UTC days; a month is 30 days) --------------------------------

_SECONDS = {"hour": 3600, "day": 86_400, "week": 7 * 86_400, "month": 30 * 86_400}


def _day(value: Any, what: str, after: int = 0) -> Literal:
    """Midnight (UTC) starting a `YYYY-MM-DD` date, `after` days later, as an ISO literal."""
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(f"{what} needs a YYYY-MM-DD date, got {value!r}")
    return Literal((day + dt.timedelta(days=after)).isoformat() + "T00:00:00")


def _when(prop: Node) -> Node:
    return Call("datetime", (prop,))


def _on(prop: Node, value: Any, what: str) -> Node:
    start, end = _day(value, what), _day(value, what, 1)
    return Binary("and", Binary(">=", _when(prop), start), Binary("<", _when(prop), end))


def _date_between(prop: Node, value: Any, what: str) -> Node:
    if not (isinstance(value, list) and len(value) == 2):
        raise ValueError(f"{what} needs a [from, to] pair of dates, got {value!r}")
    start, end = _day(value[0], what), _day(value[1], what, 1)
    return Binary("and", Binary(">=", _when(prop), start), Binary("<", _when(prop), end))


def _window(item: Mapping[str, Any], ahead: bool) -> Callable[[Node, Any, str], Node]:
    unit = item.get("filterDateUnit", "day")

    def build(prop: Node, value: Any, what: str) -> Node:
        if not isinstance(unit, str) or unit not in _SECONDS:
            raise ValueError(UNSUPPORTED.format(what=f"a {unit!r} date unit"))
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{what} needs a count of {unit}s, got {value!r}")
        now, span = Call("NOW", ()), Literal(value * _SECONDS[unit])
        low, high = (now, Binary("+", now, span)) if ahead else (Binary("-", now, span), now)
        return Binary("and", Binary(">=", _when(prop), low), Binary("<=", _when(prop), high))

    return build


_DATES: dict[str, Callable[[Node, Any, str], Node]] = {
    "was on": _on,
    "was not on": lambda p, v, w: _not(_on(p, v, w)),
    "was before": lambda p, v, w: Binary("<", _when(p), _day(v, w)),
    "was since": lambda p, v, w: Binary(">=", _when(p), _day(v, w)),
    "was between": _date_between,
    "was not between": lambda p, v, w: _not(_date_between(p, v, w)),
}


def _operator(item: Mapping[str, Any], operator: Any) -> Callable[[Node, Any, str], Node] | None:
    if not isinstance(operator, str):
        return None
    if operator in ("was in the", "was not in the", "was in the next"):
        inside = _window(item, ahead=operator == "was in the next")
        if operator == "was not in the":
            return lambda p, v, w: _not(inside(p, v, w))
        return inside
    return _OPERATORS.get(operator) or _DATES.get(operator)


def entry(item: Any) -> Node:
    """One filter entry as an expression tree.

    Raises:
        ValueError: a malformed entry, or one the emulator cannot honour.
    """
    if not isinstance(item, Mapping):
        raise ValueError(f"a filter must be an object, got {item!r}")
    if item.get("customPropertyId") is not None or item.get("customProperty"):
        raise ValueError(UNSUPPORTED.format(what="a filter on a custom property"))
    if item.get("listItemFilters") is not None or item.get("filterJoinType") == "list":
        return _list_items(item)
    cohort = user_keys.cohort_filter(item)
    if cohort is not None:
        return cohort
    frequency = user_keys.frequency_spec(item)
    resource = item.get("resourceType", "events")
    if frequency is None and resource not in ("events", "event", *user_keys.PEOPLE_RESOURCES):
        raise ValueError(UNSUPPORTED.format(what=f"a filter on {resource} properties"))
    name = item.get("value", item.get("propertyName"))
    if frequency is not None:
        name = frequency["label"] or f"{frequency['event']} Frequency"
        prop = Property(user_keys.key(user_keys.FREQUENCY, {**frequency, "bucket": None}))
    elif not isinstance(name, str) or not name:
        raise ValueError(f"a filter names no property: {dict(item)!r}")
    elif resource in user_keys.PEOPLE_RESOURCES:
        prop = Property(user_keys.key(user_keys.PEOPLE, name))
    else:
        prop = Property(name)
    operator = item.get("filterOperator")
    build = _operator(item, operator)
    if build is None:
        raise ValueError(UNSUPPORTED.format(what=f"the filter operator {operator!r}"))
    return build(prop, item.get("filterValue"), f"the {operator!r} filter on {name!r}")


def _list_items(item: Mapping[str, Any]) -> Node:
    """A `listItemFilters` entry (see the module docstring) as a `ListItems` node."""
    name, resource = item.get("value", item.get("propertyName")), item.get("resourceType")
    if not isinstance(name, str) or not name:
        raise ValueError(f"a list filter names no property: {dict(item)!r}")
    if item.get("filterOperator", "true") != "true":
        what = f"the list filter operator {item.get('filterOperator')!r}"
        raise ValueError(UNSUPPORTED.format(what=what))
    quantifier = item.get("listQuantifier", "any")
    if quantifier not in ("any", "all"):
        raise ValueError(f"listQuantifier must be 'any' or 'all', got {quantifier!r}")
    inner = item.get("listItemFilters")
    if not isinstance(inner, list) or not inner:
        raise ValueError(f"the list filter on {name!r} needs listItemFilters")
    tests = [_item_test(sub, name) for sub in inner]
    if resource in user_keys.PEOPLE_RESOURCES:
        source = Property(user_keys.key(user_keys.PEOPLE, name))
    elif resource in (None, "events", "event"):
        source = Property(name)
    else:
        raise ValueError(UNSUPPORTED.format(what=f"a list filter on {resource} properties"))
    return ListItems(source, _either(tests, "and"), every=quantifier == "all")


def _item_test(sub: Any, outer: str) -> Node:
    """One inner condition of a list filter, reading a key of the item (whatever its
    `resourceType`, which only repeats the outer one)."""
    if not isinstance(sub, Mapping):
        raise ValueError(f"a list filter's condition must be an object, got {sub!r}")
    if sub.get("listItemFilters") is not None or sub.get("filterJoinType") == "list":
        raise ValueError(f"the list filter on {outer!r} cannot nest another list filter")
    plain = {k: v for k, v in sub.items() if k not in ("resourceType", "dataset")}
    if user_keys.cohort_filter(plain) is not None or user_keys.frequency_spec(plain) is not None:
        raise ValueError(UNSUPPORTED.format(what="a cohort or frequency test on list items"))
    return entry(plain)


def combine(items: Any, determiner: Any = "all") -> Node | None:
    """A list of filter entries as one tree (None when empty): all of them (`determiner`
    `all`, the default) or any of them (`any`).

    Raises:
        ValueError: a malformed list or entry, an unknown determiner.
    """
    if items is None:
        return None
    if not isinstance(items, list):
        raise ValueError(f"filters must be a list, got {items!r}")
    if determiner not in ("all", "any", None):
        raise ValueError(f"filtersDeterminer must be 'all' or 'any', got {determiner!r}")
    nodes = [entry(item) for item in items]
    if not nodes:
        return None
    return _either(nodes, "or" if determiner == "any" else "and")


def both(first: Node | None, second: Node | None) -> Node | None:
    """Two optional filters that must both hold."""
    if first is None or second is None:
        return first if second is None else second
    return Binary("and", first, second)
