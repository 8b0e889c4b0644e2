"""Inline cohort definitions (`raw_cohort` as `{"selector": ..., "behaviors": ...}`, what the
client's `CohortDefinition` sends) evaluated against the project's profiles.

The selector is a tree: `{"operator": "and"|"or", "children": [...]}` joins its children; a
leaf `{"property": "user", "value": <name>, "operator", "operand"}` compares a profile
property; `{"property": "cohort", "value": <id>, "operator": "in"|"not in"}` tests membership
of a saved cohort. Behavioural leaves (those naming a `behaviors` entry, from `did_event` /
`did_not_do_event`) are refused by name, never skipped.

Comparison semantics (the emulator's readings; Mixpanel does not document them): `==` with a
list operand matches any item; `in` / `not in` are substring tests on text values; `>` / `<`
compare numbers only; `defined` / `not defined` test presence (null is absent). A profile
without the property passes only `!=`, `not in` and `not defined`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

UNSUPPORTED = "{what} in an inline cohort (raw_cohort) is not supported by the emulator"
_ABSENT_PASSES = frozenset({"!=", "not in", "not defined"})
_OPERATORS = frozenset({"==", "!=", "in", "not in", ">", "<", "defined", "not defined"})
Members = Callable[[Any], set[str]]
"""The distinct ids of a saved cohort, by id (raises ValueError for an unknown one)."""


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _compare(op: str, value: Any, operand: Any) -> bool:
    if op == "defined":
        return value is not None
    if op == "not defined":
        return value is None
    if value is None:
        return op in _ABSENT_PASSES
    if op in ("==", "!="):
        options = operand if isinstance(operand, list) else [operand]
        return (value in options) == (op == "==")
    if op in ("in", "not in"):
        found = isinstance(value, str) and isinstance(operand, str) and operand in value
        return found == (op == "in")
    if op in (">", "<"):
        left, right = _number(value), _number(operand)
        if left is None or right is None:
            return False
        return left > right if op == ">" else left < right
    return False


Test = Callable[[str, Mapping[str, Any]], bool]


def _compile(node: Any, behaviors: Mapping[str, Any], saved: Members) -> Test:
    if not isinstance(node, Mapping):
        raise ValueError(f"a cohort selector node must be an object, got {node!r}")
    if "children" in node:
        operator = node.get("operator", "and")
        children = node.get("children")
        if operator not in ("and", "or") or not isinstance(children, list) or not children:
            raise ValueError("a cohort selector group needs operator and/or and children")
        tests = [_compile(child, behaviors, saved) for child in children]
        join = all if operator == "and" else any
        return lambda did, props: join(test(did, props) for test in tests)
    kind, value, op = node.get("property"), node.get("value"), node.get("operator")
    if isinstance(value, str) and value in behaviors:
        raise ValueError(UNSUPPORTED.format(what="a behavioural criterion (did_event)"))
    if kind == "cohort":
        if op not in ("in", "not in"):
            raise ValueError(f"a cohort criterion's operator must be in / not in, got {op!r}")
        ids = saved(value)
        inside = op == "in"
        return lambda did, props: (did in ids) == inside
    if kind != "user" or not isinstance(value, str) or not isinstance(op, str):
        raise ValueError(UNSUPPORTED.format(what=f"the selector criterion {dict(node)!r}"))
    if op not in _OPERATORS:
        raise ValueError(UNSUPPORTED.format(what=f"the selector operator {op!r}"))
    operand = node.get("operand")
    return lambda did, props: _compare(op, props.get(value), operand)


def is_selector(definition: Mapping[str, Any]) -> bool:
    """Whether an inline cohort is a selector definition (rather than ids or a `where`)."""
    return "selector" in definition or "behaviors" in definition


def checked(inline: Any, what: str) -> Mapping[str, Any]:
    """An inline cohort (`raw_cohort`) checked to be a form the emulator evaluates: a selector
    definition, a `distinct_ids` list or a `where` expression.

    Raises:
        ValueError: not an object, or none of those forms.
    """
    if not isinstance(inline, Mapping):
        raise ValueError(f"{what}.raw_cohort must be an object")
    listed = "distinct_ids" in inline or isinstance(inline.get("where"), str)
    if not is_selector(inline) and not listed:
        what = "an inline cohort (raw_cohort) without a selector, distinct_ids or where"
        raise ValueError(f"{what} is not supported by the emulator")
    return inline


def members(
    definition: Mapping[str, Any],
    population: Mapping[str, Mapping[str, Any]],
    saved: Members,
) -> list[str]:
    """The ids of `population` the definition's selector selects, in population order.

    Raises:
        ValueError: a malformed selector, a behavioural criterion, an unknown saved cohort.
    """
    behaviors = definition.get("behaviors") or {}
    if not isinstance(behaviors, Mapping):
        raise ValueError("raw_cohort.behaviors must be an object")
    test = _compile(definition.get("selector"), behaviors, saved)
    return [did for did, props in population.items() if test(did, props)]
