"""JsonLogic (jsonlogic.com), the language of feature-flag runtime rules: a rule is a value or a
one-key object `{operator: arguments}` applied to a data object.

The standard operators are here, plus Mixpanel's two (`semver_compare`, `datetime_compare`,
see `mixpanel_ops.py`); an operator this evaluator does not know raises `UnknownOperator`, which
flag evaluation reads as "rule not satisfied".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from mixpanel_async.emulator.engine.mixpanel_ops import datetime_compare, semver_compare


class UnknownOperator(ValueError):
    """A rule uses an operator this evaluator does not implement."""


def truthy(value: Any) -> bool:
    """JsonLogic's truthiness: empty arrays and strings, 0, null and false are false."""
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip()) if value.strip() else 0.0
        except ValueError:
            return math.nan
    if value is None:
        return 0.0
    return math.nan


def loose_equal(a: Any, b: Any) -> bool:
    """JavaScript's `==` for JSON values (numbers and numeric text compare as numbers)."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if isinstance(a, int | float | bool | str) and isinstance(b, int | float | bool | str):
        return _number(a) == _number(b)
    return a is b


def strict_equal(a: Any, b: Any) -> bool:
    """JavaScript's `===` for JSON values."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers):
        return a == b
    return type(a) is type(b) and a == b


def _less(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a < b
    return _number(a) < _number(b)


def _var(data: Any, path: Any = None, default: Any = None) -> Any:
    if path is None or path == "":
        return data
    current = data
    for part in str(path).split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return default
    return current


def _missing(data: Any, *keys: Any) -> list[Any]:
    names = keys[0] if len(keys) == 1 and isinstance(keys[0], list) else keys
    return [k for k in names if _var(data, k) in (None, "")]


def _in(needle: Any, haystack: Any) -> bool:
    if isinstance(haystack, str):
        return isinstance(needle, str) and needle in haystack
    if isinstance(haystack, list):
        return any(loose_equal(needle, item) or needle == item for item in haystack)
    return False


def _compare(op: Callable[[Any, Any], bool]) -> Callable[..., bool]:
    def run(*args: Any) -> bool:
        return all(op(args[i], args[i + 1]) for i in range(len(args) - 1))

    return run


_PLAIN: dict[str, Callable[..., Any]] = {
    "==": lambda a, b: loose_equal(a, b),
    "!=": lambda a, b: not loose_equal(a, b),
    "===": lambda a, b: strict_equal(a, b),
    "!==": lambda a, b: not strict_equal(a, b),
    "!": lambda a=None: not truthy(a),
    "!!": lambda a=None: truthy(a),
    "<": _compare(_less),
    "<=": _compare(lambda a, b: _less(a, b) or loose_equal(a, b)),
    ">": lambda a, b: _less(b, a),
    ">=": lambda a, b: _less(b, a) or loose_equal(a, b),
    "in": _in,
    "cat": lambda *a: "".join("" if v is None else str(v) for v in a),
    "substr": lambda s, start, n=None: (
        str(s)[start:] if n is None else str(s)[start : (start + n if n >= 0 else n)]
    ),
    "max": lambda *a: max(_number(v) for v in a) if a else None,
    "min": lambda *a: min(_number(v) for v in a) if a else None,
    "+": lambda *a: sum(_number(v) for v in a),
    "*": lambda *a: math.prod(_number(v) for v in a),
    "-": lambda a, b=None: -_number(a) if b is None else _number(a) - _number(b),
    "/": lambda a, b: _number(a) / _number(b) if _number(b) else math.nan,
    "%": lambda a, b: math.fmod(_number(a), _number(b)) if _number(b) else math.nan,
    "merge": lambda *a: [x for v in a for x in (v if isinstance(v, list) else [v])],
    "semver_compare": semver_compare,
    "datetime_compare": datetime_compare,
}


def apply(rule: Any, data: Any = None) -> Any:
    """The value of `rule` against `data`."""
    if isinstance(rule, list):
        return [apply(item, data) for item in rule]
    if not isinstance(rule, dict) or len(rule) != 1:
        return rule
    op, raw = next(iter(rule.items()))
    args = raw if isinstance(raw, list) else [raw]
    if op == "if" or op == "?:":
        for i in range(0, len(args) - 1, 2):
            if truthy(apply(args[i], data)):
                return apply(args[i + 1], data)
        return apply(args[-1], data) if len(args) % 2 else None
    if op in ("and", "or"):
        value: Any = None
        for arg in args:
            value = apply(arg, data)
            if truthy(value) != (op == "and"):
                return value
        return value
    if op in ("some", "all", "none", "filter", "map"):
        items = apply(args[0], data) if args else []
        items = items if isinstance(items, list) else []
        body = args[1] if len(args) > 1 else None
        if op == "map":
            return [apply(body, item) for item in items]
        hits = [item for item in items if truthy(apply(body, item))]
        if op == "filter":
            return hits
        if op == "all":
            return bool(items) and len(hits) == len(items)
        return bool(hits) if op == "some" else not hits
    values = [apply(arg, data) for arg in args]
    if op == "var":
        return _var(data, *values[:2])
    if op == "missing":
        return _missing(data, *values)
    if op == "missing_some":
        need, keys = values[0], values[1]
        absent = _missing(data, keys)
        return [] if len(keys) - len(absent) >= need else absent
    if op not in _PLAIN:
        raise UnknownOperator(op)
    try:
        return _PLAIN[op](*values)
    except TypeError as exc:  # a wrong number of arguments
        raise UnknownOperator(f"{op}: {exc}") from None
