"""Flows step filters (`steps[].property_filter_params_list`): the legacy "segfilter" entries
the peer library writes (`{property: {name, source, type}, type, filter: {operator, operand}}`)
read as the report filters `engine.filters` already understands, so they share its semantics.

String operators `==` / `!=` (a list of values), `in` / `not in` (substring), `set` /
`not set`; number operators `>`, `<`, `>=`, `<=`, `==`, `!=`, `><` / `!><` (inclusive ranges),
`is set` / `is not set`; booleans by `operand` `true` / `false`. Datetime operators and
people (`user`) properties are a ValueError naming them (a 400), never a filter dropped.
"""

from __future__ import annotations

from typing import Any

from mixpanel_async.emulator.engine import filters
from mixpanel_async.emulator.engine.expressions import Binary, Node
from mixpanel_async.emulator.engine.params import listing, mapping

_STRING = {"==": "equals", "!=": "does not equal", "in": "contains",
           "not in": "does not contain", "set": "is set", "not set": "is not set"}  # fmt: skip
_NUMBER = {">": "is greater than", "<": "is less than", ">=": "is at least", "<=": "is at most",
           "==": "equals", "!=": "does not equal", "><": "is between", "!><": "not between",
           "is set": "is set", "is not set": "is not set"}  # fmt: skip


def entry(item: Any) -> Node:
    """One segfilter entry as an expression tree.

    Raises:
        ValueError: a malformed entry, or one the emulator cannot honour.
    """
    item = mapping(item, "a step filter")
    prop = mapping(item.get("property"), "a step filter's property")
    name = prop.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError("a step filter names no property")
    source = prop.get("source", "properties")
    if source != "properties":
        raise ValueError(filters.UNSUPPORTED.format(what=f"a step filter on {source} properties"))
    kind = item.get("type", prop.get("type", "string"))
    spec = mapping(item.get("filter"), "a step filter's filter")
    written, operand = spec.get("operator"), spec.get("operand")
    if kind == "boolean":
        operator = operand if operand in ("true", "false") else None
    elif kind in ("string", "number"):
        table = _STRING if kind == "string" else _NUMBER
        operator = table.get(written) if isinstance(written, str) else None
    else:
        raise ValueError(filters.UNSUPPORTED.format(what=f"a {kind!r} step filter"))
    if operator is None:
        what = f"the {kind} step filter {written if kind != 'boolean' else operand!r}"
        raise ValueError(filters.UNSUPPORTED.format(what=what))
    return filters.entry({"value": name, "filterOperator": operator, "filterValue": operand})


def combine(items: Any, bool_op: Any = "and") -> Node | None:
    """A step's filters as one tree (None when there are none): all of them (`bool_op` `and`)
    or any (`or`).

    Raises:
        ValueError: a malformed list or entry, an unknown `bool_op`.
    """
    nodes = [entry(item) for item in listing(items, "property_filter_params_list")]
    if bool_op not in ("and", "or", None):
        raise ValueError(f"bool_op must be 'and' or 'or', got {bool_op!r}")
    if not nodes:
        return None
    tree = nodes[0]
    for node in nodes[1:]:
        tree = Binary("or" if bool_op == "or" else "and", tree, node)
    return tree
