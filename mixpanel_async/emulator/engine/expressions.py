"""Mixpanel segmentation expressions: the `where`, `on` and `selector` language.

Grammar (lowest precedence first; ``and``/``or``/``not``/``in``/``true``/``false`` are
case-insensitive)::

    expr    := and ( "or" and )*
    and     := not ( "and" not )*
    not     := "not" not | compare
    compare := sum ( ( "==" | "!=" | ">" | ">=" | "<" | "<=" | "in" ) sum )*
    sum     := product ( ( "+" | "-" ) product )*
    product := unary ( ( "*" | "/" | "%" ) unary )*
    unary   := "-" unary | primary
    primary := NUMBER | STRING | "true" | "false" | "NOW" | "[" [ expr ( "," expr )* ] "]"
             | ( "properties" | "user" | "event" ) "[" STRING "]"
             | FUNCTION "(" expr ( "," expr )* ")" | "(" expr ")"

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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple


class ExpressionError(ValueError):
    """A segmentation expression that cannot be parsed, evaluated or compiled."""

    def __init__(self, message: str, position: int | None = None) -> None:
        self.message = message
        self.position = position
        super().__init__(message if position is None else f"{message} (at position {position})")


# --- syntax tree -------------------------------------------------------------------------------
# `pos` (offset in the source) is only for error messages, so equality ignores it.


@dataclass(frozen=True, slots=True)
class Literal:
    """A string, number or boolean constant."""

    value: str | int | float | bool
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Property:
    """``properties["name"]``, ``user["name"]`` or ``event["name"]``."""

    name: str
    source: str = "properties"
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class ListLiteral:
    """``[a, b, ...]``, as used on the right of ``in``."""

    items: tuple[Node, ...]
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Unary:
    """``-x`` or ``not x``."""

    op: str
    operand: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Binary:
    """An arithmetic, comparison, ``in``, ``and`` or ``or`` operation."""

    op: str
    left: Node
    right: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    """A call such as ``defined(x)``; the ``NOW`` macro is ``Call("NOW", ())``."""

    name: str
    args: tuple[Node, ...]
    pos: int = field(default=0, compare=False)


Node = Literal | Property | ListLiteral | Unary | Binary | Call

# name -> (min, max) arguments. Casts take an optional fallback for when they are undefined:
# Mixpanel's own docs write `string(properties["k"], "undefined")`.
_FUNCTIONS = {"defined": (1, 1), "floor": (1, 1), "ceil": (1, 1), "round": (1, 1),
              "has_prefix": (2, 2), "boolean": (1, 2), "number": (1, 2), "string": (1, 2),
              "datetime": (1, 2), "list": (1, 2)}  # fmt: skip
_COMPARE = ("==", "!=", ">", ">=", "<", "<=", "in")
_LEVELS = (("or",), ("and",), ("not",), _COMPARE, ("+", "-"), ("*", "/", "%"))

# --- lexer and parser --------------------------------------------------------------------------


class _Token(NamedTuple):
    kind: str  # "num" | "str" | "name" | "op" | "end"
    value: Any
    pos: int


_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z_$][A-Za-z0-9_$]*)|(?P<op>[=!<>]=|[-+*/%()\[\],<>])|(?P<str>[\"'])|(?P<bad>\S))"
)
_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "/": "/", "n": "\n", "t": "\t", "r": "\r",
            "b": "\b", "f": "\f"}  # fmt: skip
_MISTAKES = {"=": "'=' is not an operator; use '=='", "&": "use 'and' instead of '&&'",
             "|": "use 'or' instead of '||'"}  # fmt: skip


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while (m := _TOKEN.match(text, i)) and (kind := m.lastgroup):  # None once only spaces remain
        value, pos, i = m.group(kind), m.start(kind), m.end()
        if kind == "bad":
            raise ExpressionError(_MISTAKES.get(value, f"Unexpected character {value!r}"), pos)
        if kind == "str":
            value, i = _read_string(text, pos)
        elif kind == "num":
            value = int(value) if value.isdigit() else float(value)
        tokens.append(_Token(kind, value, pos))
    tokens.append(_Token("end", None, len(text)))
    return tokens


def _read_string(text: str, start: int) -> tuple[str, int]:
    """Read the string literal opening at `start`; return its value and the offset after it."""
    quote, out, i = text[start], list[str](), start + 1
    while i < len(text):
        if text[i] == quote:
            return "".join(out), i + 1
        if text[i] != "\\":
            out.append(text[i])
            i += 1
        elif (esc := text[i + 1 : i + 2]) in _ESCAPES:
            out.append(_ESCAPES[esc])
            i += 2
        elif esc == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", text[i + 2 : i + 6]):
            out.append(chr(int(text[i + 2 : i + 6], 16)))
            i += 6
        else:
            raise ExpressionError(f"Invalid escape sequence '\\{esc}' in string", i)
    raise ExpressionError("Unterminated string literal", start)


def _op(tok: _Token) -> str | None:
    """The operator or keyword a token stands for, if any."""
    if tok.kind == "name" and tok.value.lower() in ("and", "or", "not", "in"):
        return str(tok.value.lower())
    return str(tok.value) if tok.kind == "op" else None


def _describe(tok: _Token) -> str:
    return "end of expression" if tok.kind == "end" else repr(tok.value)


class _Parser:
    """Recursive descent over _LEVELS, one precedence level per call of `level`."""

    def __init__(self, text: str) -> None:
        self.tokens, self.i = _tokenize(text), 0

    def take(self) -> _Token:
        self.i += 1
        return self.tokens[self.i - 1]

    def at(self, op: str) -> bool:
        return _op(self.tokens[self.i]) == op

    def expect(self, op: str, why: str) -> None:
        if _op(tok := self.take()) != op:
            raise ExpressionError(f"Expected '{op}' {why}, found {_describe(tok)}", tok.pos)

    def parse(self) -> Node:
        node = self.level(0)
        if (tok := self.tokens[self.i]).kind != "end":
            raise ExpressionError(f"Unexpected {_describe(tok)} after the expression", tok.pos)
        return node

    def level(self, n: int) -> Node:
        if n == len(_LEVELS):
            return self.unary()
        if _LEVELS[n] == ("not",):
            # `not` binds looser than comparisons, so `not "x" in properties["p"]` negates the
            # `in`: that is how Mixpanel's own clients write "does not contain".
            if self.at("not"):
                tok = self.take()
                return Unary("not", self.level(n), tok.pos)
            return self.level(n + 1)
        node = self.level(n + 1)
        while (op := _op(self.tokens[self.i])) in _LEVELS[n]:
            tok = self.take()
            node = Binary(str(op), node, self.level(n + 1), tok.pos)
        return node

    def unary(self) -> Node:
        if not self.at("-"):
            return self.primary()
        tok = self.take()
        operand = self.unary()
        value = operand.value if isinstance(operand, Literal) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            # Fold negative numbers so `[-1, 2]` stays a list of constants.
            return Literal(-value, tok.pos)
        return Unary("-", operand, tok.pos)

    def items(self, close: str, opened: _Token) -> tuple[Node, ...]:
        items = [] if self.at(close) else [self.level(0)]
        while self.at(","):
            self.take()
            items.append(self.level(0))
        self.expect(close, f"to close '{opened.value}' at position {opened.pos}")
        return tuple(items)

    def primary(self) -> Node:
        tok = self.take()
        if tok.kind in ("num", "str"):
            return Literal(tok.value, tok.pos)
        if _op(tok) == "(":
            node = self.level(0)
            self.expect(")", f"to close '(' at position {tok.pos}")
            return node
        if _op(tok) == "[":
            return ListLiteral(self.items("]", tok), tok.pos)
        if tok.kind != "name" or _op(tok):
            raise ExpressionError(f"Unexpected {_describe(tok)}", tok.pos)
        name: str = tok.value
        if name.lower() in ("true", "false"):
            return Literal(name.lower() == "true", tok.pos)
        if name == "NOW":  # the current time in Unix seconds
            return Call("NOW", (), tok.pos)
        if name in ("properties", "user", "event"):
            self.expect("[", f"after '{name}'")
            if (key := self.take()).kind != "str":
                raise ExpressionError(f"Expected a quoted property name after '{name}['", key.pos)
            self.expect("]", "after the property name")
            return Property(key.value, name, tok.pos)
        if not self.at("("):
            hint = f'write properties["{name}"] to read a property'
            raise ExpressionError(f"Unknown name '{name}' ({hint})", tok.pos)
        if name not in _FUNCTIONS:
            raise ExpressionError(f"Unknown function '{name}'", tok.pos)
        args = self.items(")", self.take())
        low, high = _FUNCTIONS[name]
        if not low <= len(args) <= high:
            count = str(low) if low == high else f"{low} or {high}"
            raise ExpressionError(f"'{name}' takes {count} argument(s), got {len(args)}", tok.pos)
        return Call(name, args, tok.pos)


@functools.lru_cache(maxsize=1024)
def parse(text: str) -> Node:
    """Parse `text` into a syntax tree (cached: routes see the same expressions again and again).

    Raises:
        ExpressionError: on a syntax error, with the offset of the offending character.
    """
    if not text.strip():
        raise ExpressionError("Empty expression", 0)
    try:
        return _Parser(text).parse()
    except RecursionError:
        raise ExpressionError("Expression is nested too deeply", 0) from None


# --- evaluation --------------------------------------------------------------------------------

_MAX_SECONDS = 4294967295  # Mixpanel reads larger datetime() numbers as milliseconds
_DATE = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[T ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]{1,9})?)?"
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f")
_DECIMAL = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


_KINDS = {type(None): "null", bool: "bool", int: "num", float: "num", str: "str", list: "list",
          datetime: "dt"}  # fmt: skip


def _kind(value: object) -> str:
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


def _to_datetime(value: Any) -> datetime | None:
    """The ``datetime()`` cast: ISO strings, Unix seconds (or milliseconds) and datetimes."""
    kind = _kind(value)
    if kind == "dt":
        return _utc(value)
    if kind == "num":
        if not value > 0 or not math.isfinite(value):
            return None
        micros = int(value * 1_000_000) if value <= _MAX_SECONDS else int(value * 1000)
        try:
            return _EPOCH + timedelta(microseconds=micros)
        except OverflowError:
            return None
    return _parse_date(value) if kind == "str" else None


@functools.lru_cache(maxsize=4096)  # the same literals and property values recur in every row
def _parse_date(value: str) -> datetime | None:
    if not re.fullmatch(_DATE, text := value.removesuffix("Z")):
        return None
    parts = [*re.split(r"[-T :.]", text), "0", "0", "0"]
    y, mo, d, h, mi, s = (int(p) for p in parts[:6])
    micros = int(parts[6][:6].ljust(6, "0")) if len(parts) > 9 else 0
    try:
        return datetime(y, mo, d, h, mi, s, micros, tzinfo=UTC)
    except ValueError:  # e.g. February 30th: not a date, so undefined
        return None


def _to_number(value: Any) -> Any:
    kind = _kind(value)
    if kind == "str":
        return float(value) if re.fullmatch(_DECIMAL, value) else None
    if kind == "dt":
        return _utc(value).timestamp()
    return {"num": value, "bool": float(bool(value))}.get(kind)


def _to_string(value: Any) -> str | None:
    kind = _kind(value)
    if kind == "dt":
        return _utc(value).strftime("%Y-%m-%dT%H:%M:%S")
    if kind == "bool":
        return "true" if value else "false"
    return str(value) if kind in ("str", "num") else None


def _to_boolean(value: Any) -> bool:
    # Mixpanel: "false", 0, null, undefined and "" are false; any other set value is true.
    kind = _kind(value)
    if kind in ("bool", "num"):
        return bool(value)
    return value not in ("", "false") if kind == "str" else kind != "null"


def _round(value: Any, how: str) -> float | None:
    if _kind(value) != "num":
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
    "datetime": _to_datetime,
    "list": lambda v: list(v) if _kind(v) == "list" else None,
}


def _equal(a: Any, b: Any) -> bool:
    ka, kb = _kind(a), _kind(b)
    if "null" in (ka, kb):
        return False
    if "dt" in (ka, kb):
        da = _to_datetime(a)
        return da is not None and da == _to_datetime(b)
    return ka == kb and a == b


def _order(op: str, a: Any, b: Any) -> bool | None:
    ka, kb = _kind(a), _kind(b)
    if "dt" in (ka, kb):
        a, b = _to_datetime(a), _to_datetime(b)
        if a is None or b is None:
            return None
    elif ka != kb or ka not in ("num", "str"):
        return None
    return bool(a > b if op == ">" else a >= b if op == ">=" else a < b if op == "<" else a <= b)


def _arith(op: str, a: Any, b: Any) -> Any:
    ka, kb = _kind(a), _kind(b)
    if op == "+" and ka == kb == "str":
        return a + b
    if not ka == kb == "num" or (op in "/%" and b == 0):
        return None
    if op == "%":
        rem = a % b  # Python's % takes the divisor's sign; Mixpanel's takes the dividend's
        return rem - b if rem != 0 and (a < 0) != (b < 0) else rem
    return a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b


def _contains(needle: Any, haystack: Any) -> bool | None:
    kn, kh = _kind(needle), _kind(haystack)
    if kn != "null" and kh == "list":
        return any(_equal(needle, item) for item in haystack)
    return bool(needle in haystack) if kn == kh == "str" else None


def _logic_error(node: Binary, kind: str) -> ExpressionError:
    return ExpressionError(f"'{node.op}' needs boolean operands, got a {kind} value", node.pos)


def _truth(value: Any, node: Binary) -> bool:
    """An operand of `and`/`or`: undefined reads as false, other non-booleans are an error."""
    if (kind := _kind(value)) not in ("null", "bool"):
        raise _logic_error(node, kind)
    return value is True


def _storage_name(node: Property) -> str:
    # Export's `event["$time"]` is the event timestamp, which export records keep as `time`.
    return "time" if node.source == "event" and node.name == "$time" else node.name


class _Context(NamedTuple):
    properties: Mapping[str, Any]
    event: str | None
    now: int


def _eval(node: Node, ctx: _Context) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Property):
        name = _storage_name(node)
        if name == "$event_name" and name not in ctx.properties:
            return ctx.event
        value = ctx.properties.get(name)
        return _utc(value) if isinstance(value, date) else value  # as polars returns them
    if isinstance(node, ListLiteral):
        return [_eval(item, ctx) for item in node.items]
    if isinstance(node, Unary):
        kind = _kind(value := _eval(node.operand, ctx))
        if node.op == "-":
            return -value if kind == "num" else None
        return True if kind == "null" else (not value if kind == "bool" else None)
    if isinstance(node, Binary):
        if node.op in ("and", "or"):
            left = _truth(_eval(node.left, ctx), node)
            if left == (node.op == "or"):  # short-circuit, so the right side may be anything
                return left
            return _truth(_eval(node.right, ctx), node)
        a, b = _eval(node.left, ctx), _eval(node.right, ctx)
        if node.op in ("==", "!="):
            return _equal(a, b) == (node.op == "==")
        if node.op == "in":
            return _contains(a, b)
        return _order(node.op, a, b) if node.op in _COMPARE else _arith(node.op, a, b)
    args = [_eval(arg, ctx) for arg in node.args]
    if node.name == "NOW":
        return ctx.now
    if node.name == "defined":
        return args[0] is not None
    if node.name == "has_prefix":
        return args[0].startswith(args[1]) if _kind(args[0]) == _kind(args[1]) == "str" else None
    if node.name in ("floor", "ceil", "round"):
        return _round(args[0], node.name)
    result = _CASTS[node.name](args[0])
    return args[1] if result is None and len(args) > 1 else result


def _now_seconds(now: datetime | None) -> int:
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
    return _eval(node, _Context(properties, event, _now_seconds(now)))


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


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, ListLiteral | Call):
        return node.items if isinstance(node, ListLiteral) else node.args
    if isinstance(node, Unary | Binary):
        return (node.operand,) if isinstance(node, Unary) else (node.left, node.right)
    return ()


def referenced_properties(node: Node) -> set[str]:
    """The property names (as passed to ``to_polars``'s ``column``) that `node` reads."""
    if isinstance(node, Property):
        return {_storage_name(node)}
    return set().union(*(referenced_properties(child) for child in _children(node)))


# Compilation lives in its own module; re-exported here so callers need one import.
from mixpanel_async.emulator.engine.expressions_polars import to_polars as to_polars  # noqa: E402
