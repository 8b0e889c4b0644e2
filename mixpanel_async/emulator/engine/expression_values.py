"""Mixpanel segmentation expressions, the values: what a parsed expression evaluates to.

Values follow Mixpanel's reference page ("Segmentation Expressions"): a missing property is
*undefined* (``None`` here); arithmetic on the wrong types, division by zero and failed casts are
undefined rather than errors; ``==`` is always a boolean and false across types; ordering
comparisons of mismatched types are undefined; ``and``/``or`` read undefined as false and reject
other non-booleans. ``datetime()`` values compare with datetimes, ISO strings and Unix timestamps.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from mixpanel_async.emulator.engine.expression_syntax import (
    COMPARE,
    Binary,
    ExpressionError,
    ListItems,
    ListLiteral,
    Literal,
    Node,
    Property,
    Unary,
    parse,
    storage_name,
)

MAX_SECONDS = 4294967295
"""Mixpanel reads larger ``datetime()`` numbers as milliseconds."""
DATE_PATTERN = (
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[T ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]{1,9})?)?"
)
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f")
DECIMAL_PATTERN = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


_KINDS = {type(None): "null", bool: "bool", int: "num", float: "num", str: "str", list: "list",
          datetime: "dt"}  # fmt: skip


def kind_of(value: object) -> str:
    """Mixpanel's type of a Python value: null, bool, num, str, dt, list or other."""
    if kind := _KINDS.get(type(value)):  # fast path; subclasses take the checks below
        return kind
    if value is None or isinstance(value, bool):
        return "null" if value is None else "bool"
    if isinstance(value, int | float | str):
        return "str" if isinstance(value, str) else "num"
    if isinstance(value, date):
        return "dt"
    return "list" if isinstance(value, list | tuple) else "other"


def _utc(value: date) -> datetime:
    """A date or datetime as an aware UTC datetime; naive values are taken to be UTC."""
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_datetime(value: Any) -> datetime | None:
    """The ``datetime()`` cast: ISO strings, Unix seconds (or milliseconds) and datetimes."""
    kind = kind_of(value)
    if kind == "dt":
        return _utc(value)
    if kind == "num":
        if not value > 0 or not math.isfinite(value):
            return None
        micros = int(value * 1_000_000) if value <= MAX_SECONDS else int(value * 1000)
        try:
            return _EPOCH + timedelta(microseconds=micros)
        except OverflowError:
            return None
    return _parse_date(value) if kind == "str" else None


@functools.lru_cache(maxsize=4096)  # the same literals and property values recur in every row
def _parse_date(value: str) -> datetime | None:
    if not re.fullmatch(DATE_PATTERN, text := value.removesuffix("Z")):
        return None
    parts = [*re.split(r"[-T :.]", text), "0", "0", "0"]
    y, mo, d, h, mi, s = (int(p) for p in parts[:6])
    micros = int(parts[6][:6].ljust(6, "0")) if len(parts) > 9 else 0
    try:
        return datetime(y, mo, d, h, mi, s, micros, tzinfo=UTC)
    except ValueError:  # e.g. February 30th: not a date, so undefined
        return None


def _to_number(value: Any) -> Any:
    kind = kind_of(value)
    if kind == "str":
        return float(value) if re.fullmatch(DECIMAL_PATTERN, value) else None
    if kind == "dt":
        return _utc(value).timestamp()
    return {"num": value, "bool": float(bool(value))}.get(kind)


def _to_string(value: Any) -> str | None:
    kind = kind_of(value)
    if kind == "dt":
        return _utc(value).strftime("%Y-%m-%dT%H:%M:%S")
    if kind == "bool":
        return "true" if value else "false"
    return str(value) if kind in ("str", "num") else None


def _to_boolean(value: Any) -> bool:
    # Mixpanel: "false", 0, null, undefined and "" are false; any other set value is true.
    kind = kind_of(value)
    if kind in ("bool", "num"):
        return bool(value)
    return value not in ("", "false") if kind == "str" else kind != "null"


def _round(value: Any, how: str) -> float | None:
    if kind_of(value) != "num":
        return None
    if not math.isfinite(value):  # math.floor would raise; Mixpanel leaves inf/nan as they are
        return float(value)
    low = math.floor(value)
    if how != "round":
        return float(low if how == "floor" else math.ceil(value))
    frac = value - low  # half away from zero, like polars' "half_away_from_zero"
    return float(low + 1 if frac > 0.5 or (frac == 0.5 and value > 0) else low)


_CASTS: dict[str, Callable[[Any], Any]] = {
    "boolean": _to_boolean,
    "number": _to_number,
    "string": _to_string,
    "datetime": to_datetime,
    "list": lambda v: list(v) if kind_of(v) == "list" else None,
}


def _equal(a: Any, b: Any) -> bool:
    ka, kb = kind_of(a), kind_of(b)
    if "null" in (ka, kb):
        return False
    if "dt" in (ka, kb):
        da = to_datetime(a)
        return da is not None and da == to_datetime(b)
    return ka == kb and a == b


def _order(op: str, a: Any, b: Any) -> bool | None:
    ka, kb = kind_of(a), kind_of(b)
    if "dt" in (ka, kb):
        a, b = to_datetime(a), to_datetime(b)
        if a is None or b is None:
            return None
    elif ka != kb or ka not in ("num", "str"):
        return None
    return bool(a > b if op == ">" else a >= b if op == ">=" else a < b if op == "<" else a <= b)


def _arith(op: str, a: Any, b: Any) -> Any:
    ka, kb = kind_of(a), kind_of(b)
    if op == "+" and ka == kb == "str":
        return a + b
    if not ka == kb == "num" or (op in "/%" and b == 0):
        return None
    if op == "%":
        rem = a % b  # Python's % takes the divisor's sign; Mixpanel's takes the dividend's
        return rem - b if rem != 0 and (a < 0) != (b < 0) else rem
    return a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b


def _contains(needle: Any, haystack: Any) -> bool | None:
    kn, kh = kind_of(needle), kind_of(haystack)
    if kn != "null" and kh == "list":
        return any(_equal(needle, item) for item in haystack)
    return bool(needle in haystack) if kn == kh == "str" else None


def logic_error(node: Binary, kind: str) -> ExpressionError:
    """The error of ``and``/``or`` meeting a value of `kind` that is not a boolean."""
    return ExpressionError(f"'{node.op}' needs boolean operands, got a {kind} value", node.pos)


def _truth(value: Any, node: Binary) -> bool:
    """An operand of `and`/`or`: undefined reads as false, other non-booleans are an error."""
    if (kind := kind_of(value)) not in ("null", "bool"):
        raise logic_error(node, kind)
    return value is True


AFFIXES = ("has_prefix", "has_suffix")
"""Calls testing a string's start or end; `has_suffix` is built by report filters only (the
parser knows `has_prefix` alone)."""


def _list_items(node: ListItems, value: Any, now: int) -> bool | None:
    """`ListItems` on the value of its source: undefined unless that is a list; an item that
    is not an object has no keys. An empty list passes `every` (no item fails it)."""
    if kind_of(value) != "list":
        return None
    tests = (
        eval_node(node.test, Context(item if isinstance(item, Mapping) else {}, None, now)) is True
        for item in value
    )
    return all(tests) if node.every else any(tests)


class Context(NamedTuple):
    """What an evaluation reads besides the tree: the record, its event name, NOW."""

    properties: Mapping[str, Any]
    event: str | None
    now: int


def eval_node(node: Node, ctx: Context) -> Any:
    """The value of `node` in `ctx` (see `evaluate`)."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Property):
        name = storage_name(node)
        if name == "$event_name" and name not in ctx.properties:
            return ctx.event
        value = ctx.properties.get(name)
        return _utc(value) if isinstance(value, date) else value  # as polars returns them
    if isinstance(node, ListLiteral):
        return [eval_node(item, ctx) for item in node.items]
    if isinstance(node, ListItems):
        return _list_items(node, eval_node(node.source, ctx), ctx.now)
    if isinstance(node, Unary):
        kind = kind_of(value := eval_node(node.operand, ctx))
        if node.op == "-":
            return -value if kind == "num" else None
        return True if kind == "null" else (not value if kind == "bool" else None)
    if isinstance(node, Binary):
        if node.op in ("and", "or"):
            left = _truth(eval_node(node.left, ctx), node)
            if left == (node.op == "or"):  # short-circuit, so the right side may be anything
                return left
            return _truth(eval_node(node.right, ctx), node)
        a, b = eval_node(node.left, ctx), eval_node(node.right, ctx)
        if node.op in ("==", "!="):
            return _equal(a, b) == (node.op == "==")
        if node.op == "in":
            return _contains(a, b)
        return _order(node.op, a, b) if node.op in COMPARE else _arith(node.op, a, b)
    args = [eval_node(arg, ctx) for arg in node.args]
    if node.name == "NOW":
        return ctx.now
    if node.name == "defined":
        return args[0] is not None
    if node.name in AFFIXES:
        if kind_of(args[0]) != "str" or kind_of(args[1]) != "str":
            return None
        return (
            args[0].startswith(args[1]) if node.name == "has_prefix" else args[0].endswith(args[1])
        )
    if node.name in ("floor", "ceil", "round"):
        return _round(args[0], node.name)
    result = _CASTS[node.name](args[0])
    return args[1] if result is None and len(args) > 1 else result


def now_seconds(now: datetime | None) -> int:
    """What ``NOW`` stands for: `now` (default: the current time) in Unix seconds."""
    now = now or datetime.now(UTC)
    return int((now.replace(tzinfo=UTC) if now.tzinfo is None else now).timestamp())


def evaluate(
    node: Node,
    properties: Mapping[str, Any],
    *,
    event: str | None = None,
    now: datetime | None = None,
) -> Any:
    """Evaluate `node` against one record's properties.

    Args:
        node: A tree from :func:`parse`.
        properties: The record's properties. ``properties[...]``, ``user[...]`` and
            ``event[...]`` all read this mapping; a missing key or a ``None`` value is undefined.
        event: The event name, returned for ``$event_name`` when the mapping lacks it.
        now: The time ``NOW`` stands for (default: the current time).

    Returns:
        ``None`` for undefined, else a bool, number, string, list or UTC datetime.

    Raises:
        ExpressionError: when ``and``/``or`` meet a non-boolean, as Mixpanel's engine does.
    """
    return eval_node(node, Context(properties, event, now_seconds(now)))


def matches(
    text_or_node: str | Node,
    properties: Mapping[str, Any],
    *,
    event: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Whether a record passes a `where` filter: only a result of exactly ``true`` passes."""
    node = parse(text_or_node) if isinstance(text_or_node, str) else text_or_node
    return evaluate(node, properties, event=event, now=now) is True
