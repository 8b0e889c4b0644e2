"""Mixpanel segmentation expressions, the syntax: errors, the syntax tree and the parser.

The values (`expression_values`) and the polars compiler (`expressions_polars`) build on this
module; `expressions` re-exports the three for callers.

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
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class ExpressionError(ValueError):
    """A segmentation expression that cannot be parsed, evaluated or compiled."""

    def __init__(self, message: str, position: int | None = None) -> None:
        self.message = message
        self.position = position
        super().__init__(message if position is None else f"{message} (at position {position})")


# --- syntax tree -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Located:
    """`pos` (offset in the source) is only for error messages, so equality ignores it."""

    pos: int = field(default=0, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Literal(_Located):
    """A string, number or boolean constant."""

    value: str | int | float | bool


@dataclass(frozen=True, slots=True)
class Property(_Located):
    """``properties["name"]``, ``user["name"]`` or ``event["name"]``."""

    name: str
    source: str = "properties"


@dataclass(frozen=True, slots=True)
class ListLiteral(_Located):
    """``[a, b, ...]``, as used on the right of ``in``."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Unary(_Located):
    """``-x`` or ``not x``."""

    op: str
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary(_Located):
    """An arithmetic, comparison, ``in``, ``and`` or ``or`` operation."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call(_Located):
    """A call such as ``defined(x)``; the ``NOW`` macro is ``Call("NOW", ())``."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class ListItems(_Located):
    """Whether any (or, with `every`, all) objects of a list value pass `test`, which reads
    each item's keys as its properties. Report filters build it (Insights `listItemFilters`);
    the expression language has no spelling for it, so the parser never does."""

    source: Node
    test: Node
    every: bool = False


Node = Literal | Property | ListLiteral | Unary | Binary | Call | ListItems


# name -> (min, max) arguments. Casts take an optional fallback for when they are undefined:
# Mixpanel's own docs write `string(properties["k"], "undefined")`.
_FUNCTIONS = {"defined": (1, 1), "floor": (1, 1), "ceil": (1, 1), "round": (1, 1),
              "has_prefix": (2, 2), "boolean": (1, 2), "number": (1, 2), "string": (1, 2),
              "datetime": (1, 2), "list": (1, 2)}  # fmt: skip
COMPARE = ("==", "!=", ">", ">=", "<", "<=", "in")
"""The comparison operators (``in`` included), one precedence level."""
_LEVELS = (("or",), ("and",), ("not",), COMPARE, ("+", "-"), ("*", "/", "%"))

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
                return Unary("not", self.level(n), pos=tok.pos)
            return self.level(n + 1)
        node = self.level(n + 1)
        while (op := _op(self.tokens[self.i])) in _LEVELS[n]:
            tok = self.take()
            node = Binary(str(op), node, self.level(n + 1), pos=tok.pos)
        return node

    def unary(self) -> Node:
        if not self.at("-"):
            return self.primary()
        tok = self.take()
        operand = self.unary()
        value = operand.value if isinstance(operand, Literal) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            # Fold negative numbers so `[-1, 2]` stays a list of constants.
            return Literal(-value, pos=tok.pos)
        return Unary("-", operand, pos=tok.pos)

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
            return Literal(tok.value, pos=tok.pos)
        if _op(tok) == "(":
            node = self.level(0)
            self.expect(")", f"to close '(' at position {tok.pos}")
            return node
        if _op(tok) == "[":
            return ListLiteral(self.items("]", tok), pos=tok.pos)
        if tok.kind != "name" or _op(tok):
            raise ExpressionError(f"Unexpected {_describe(tok)}", tok.pos)
        name: str = tok.value
        if name.lower() in ("true", "false"):
            return Literal(name.lower() == "true", pos=tok.pos)
        if name == "NOW":  # the current time in Unix seconds
            return Call("NOW", (), pos=tok.pos)
        if name in ("properties", "user", "event"):
            self.expect("[", f"after '{name}'")
            if (key := self.take()).kind != "str":
                raise ExpressionError(f"Expected a quoted property name after '{name}['", key.pos)
            self.expect("]", "after the property name")
            return Property(key.value, name, pos=tok.pos)
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
        return Call(name, args, pos=tok.pos)


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


def storage_name(node: Property) -> str:
    """The stored property a `Property` node reads."""
    # Export's `event["$time"]` is the event timestamp, which export records keep as `time`.
    return "time" if node.source == "event" and node.name == "$time" else node.name


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, ListItems):  # `test` reads an item's keys, not the record's
        return (node.source,)
    if isinstance(node, ListLiteral | Call):
        return node.items if isinstance(node, ListLiteral) else node.args
    if isinstance(node, Unary | Binary):
        return (node.operand,) if isinstance(node, Unary) else (node.left, node.right)
    return ()


def referenced_properties(node: Node) -> set[str]:
    """The property names (as passed to ``to_polars``'s ``column``) that `node` reads."""
    if isinstance(node, Property):
        return {storage_name(node)}
    return set().union(*(referenced_properties(child) for child in _children(node)))
