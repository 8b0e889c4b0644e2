"""Mixpanel's custom-property formula language: a parser and a compiler to Polars expressions.

A formula is Excel-like: `if(A == "Facebook" or A == "Twitter", "Social", A)`. Its variables
(`A`, `price`, ...) are the keys of the definition's `composedProperties`, each bound to a
property name (`value`, else the key itself); `properties["name"]` names a property directly.

Supported (a documented subset of Mixpanel's reference):

* literals: numbers, `"text"` / `'text'`, `true`, `false`, `undefined`;
* operators, loosest first: `or`; `and`; `not`; comparisons `== != < > <= >=` (`=` is `==`)
  and `in` (`x in y`: the text `y` contains `x`); `+ -` (`+` joins text when either side is
  text); `* / %`; unary `-`;
* functions (case-insensitive): `if(c, then[, else])`, `ifs(c1, v1, c2, v2, ...)`,
  `defined(x)`, `number(x)`, `string(x)`, `boolean(x)`, `lower`, `upper`, `len`, `trim`,
  `left(s, n)`, `right(s, n)`, `mid(s, start, n)` (1-based), `split(s, sep, n)` (the n-th part,
  1-based), `regex_match(s, pattern)`, `regex_extract(s, pattern[, group])`,
  `regex_replace(s, pattern, replacement)`, `round(x[, digits])`, `floor`, `ceil`, `abs`,
  `min(a, b, ...)`, `max(a, b, ...)`.

Not supported (refused with a 400 naming the function): dates (`today`, `datedif`, date
arithmetic), `let`, list functions (`any`, `all`, `filter`, `map`, `sum` over lists) and
behavior-based properties' evaluation. Guessed semantics: a missing property is null and
nulls propagate (`defined` and `if` see them); text that is not a number is null under
arithmetic; `boolean(x)` is true for `true`, non-zero numbers and non-empty text.

Property values arrive as text (a JSON scalar's text: `3`, `true`, `Paris`), as
`pl.col(...).str.json_path_match` gives them from the stored JSON; each node is cast to what its
context needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import polars as pl

TEXT, NUMBER, BOOLEAN, ANY = "string", "number", "boolean", "any"
_TOKEN = re.compile(
    r"""\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
    r"""|(?P<name>[A-Za-z_$][A-Za-z0-9_$]*)|(?P<op>==|!=|<=|>=|[-+*/%<>=(),\[\]]))"""
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "undefined"}
UNSUPPORTED = {"today", "datedif", "let", "any", "all", "filter", "map", "sum", "now"}


class FormulaError(ValueError):
    """A formula that does not parse, or uses what the emulator does not support."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message if position is None else f"{message} (at character {position})")
        self.position = position


@attrs.frozen
class Node:
    """One node of a parsed formula: `op` (`lit`, `prop`, `call`, or an operator) and its type."""

    op: str
    type: str
    args: tuple[Any, ...] = ()


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        found = _TOKEN.match(text, pos)
        if found is None or found.lastgroup is None:
            raise FormulaError(f"unexpected character {text[pos:].lstrip()[:1]!r}", pos)
        kind, value = found.lastgroup, found.group(found.lastgroup)
        start = found.start(kind)
        if kind == "name" and value.lower() in _KEYWORDS:
            kind, value = "kw", value.lower()
        out.append((kind, value, start))
        pos = found.end()
    out.append(("end", "", len(text)))
    return out


def _unquote(raw: str) -> str:
    return re.sub(r"\\(.)", r"\1", raw[1:-1])


class _Parser:
    def __init__(self, text: str, variables: Mapping[str, str]) -> None:
        self.tokens, self.at, self.variables = _tokens(text), 0, variables
        self.used: dict[str, None] = {}

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.at]

    def take(self, value: str | None = None) -> tuple[str, str, int]:
        token = self.tokens[self.at]
        if value is not None and token[1] != value:
            shown = repr(token[1]) if token[0] != "end" else "the end of the formula"
            raise FormulaError(f"expected {value!r}, found {shown}", token[2])
        self.at += 1
        return token

    def formula(self) -> Node:
        node = self.logical("or")
        kind, value, pos = self.peek()
        if kind != "end":
            raise FormulaError(f"unexpected {value!r}", pos)
        return node

    def logical(self, word: str) -> Node:
        left = self.logical("and") if word == "or" else self.negation()
        while self.peek()[:2] == ("kw", word):
            self.take()
            right = self.logical("and") if word == "or" else self.negation()
            left = Node(word, BOOLEAN, (left, right))
        return left

    def negation(self) -> Node:
        if self.peek()[:2] == ("kw", "not"):
            self.take()
            return Node("not", BOOLEAN, (self.negation(),))
        return self.comparison()

    def comparison(self) -> Node:
        left = self.additive()
        kind, value, _ = self.peek()
        if value in ("==", "!=", "<", ">", "<=", ">=", "=") or (kind, value) == ("kw", "in"):
            self.take()
            op = "==" if value == "=" else value
            return Node(op, BOOLEAN, (left, self.additive()))
        return left

    def additive(self) -> Node:
        left = self.term()
        while self.peek()[1] in ("+", "-") and self.peek()[0] == "op":
            op = self.take()[1]
            right = self.term()
            joined = op == "+" and TEXT in (left.type, right.type)
            left = Node("concat" if joined else op, TEXT if joined else NUMBER, (left, right))
        return left

    def term(self) -> Node:
        left = self.unary()
        while self.peek()[1] in ("*", "/", "%") and self.peek()[0] == "op":
            op = self.take()[1]
            left = Node(op, NUMBER, (left, self.unary()))
        return left

    def unary(self) -> Node:
        if self.peek()[:2] == ("op", "-"):
            self.take()
            return Node("neg", NUMBER, (self.unary(),))
        return self.primary()

    def primary(self) -> Node:
        kind, value, pos = self.take()
        if kind == "num":
            return Node("lit", NUMBER, (float(value),))
        if kind == "str":
            return Node("lit", TEXT, (_unquote(value),))
        if kind == "kw" and value in ("true", "false"):
            return Node("lit", BOOLEAN, (value == "true",))
        if kind == "kw" and value == "undefined":
            return Node("lit", ANY, (None,))
        if value == "(":
            node = self.logical("or")
            self.take(")")
            return node
        if kind == "name" and value == "properties" and self.peek()[1] == "[":
            self.take("[")
            key_kind, key, key_pos = self.take()
            if key_kind != "str":
                raise FormulaError("properties[...] takes a quoted property name", key_pos)
            self.take("]")
            self.used[_unquote(key)] = None
            return Node("prop", ANY, (_unquote(key),))
        if kind == "name" and self.peek()[1] == "(":
            return self.call(value.lower(), pos)
        if kind == "name":
            if value not in self.variables:
                raise FormulaError(f"unknown variable {value!r} (not in composedProperties)", pos)
            self.used[self.variables[value]] = None
            return Node("prop", ANY, (self.variables[value],))
        raise FormulaError(f"unexpected {value!r}" if kind != "end" else "unexpected end", pos)

    def call(self, name: str, pos: int) -> Node:
        self.take("(")
        args: list[Node] = []
        if self.peek()[1] != ")":
            args.append(self.logical("or"))
            while self.peek()[1] == ",":
                self.take()
                args.append(self.logical("or"))
        self.take(")")
        if name in UNSUPPORTED:
            raise FormulaError(f"the function {name}() is not supported by the emulator", pos)
        if name not in _ARITY:
            raise FormulaError(f"unknown function {name}()", pos)
        low, high, result = _ARITY[name]
        if len(args) < low or (high is not None and len(args) > high):
            raise FormulaError(f"{name}() takes {_count(low, high)}, got {len(args)}", pos)
        if name == "ifs" and len(args) % 2:
            raise FormulaError("ifs() takes condition/value pairs", pos)
        if result is None:  # if/ifs/min/max: the type of their values
            values = args[1::2] if name == "ifs" else args[1:] if name == "if" else args
            kinds = {a.type for a in values if not (a.op == "lit" and a.args[0] is None)}
            result = kinds.pop() if len(kinds) == 1 else ANY
            if name in ("min", "max") and result != TEXT:
                result = NUMBER
        return Node("call", result, (name, *args))


def _count(low: int, high: int | None) -> str:
    if high is None:
        return f"at least {low} arguments"
    return (
        f"{low} argument{'s' if low != 1 else ''}" if low == high else f"{low} to {high} arguments"
    )


_ARITY: dict[str, tuple[int, int | None, str | None]] = {
    "if": (2, 3, None), "ifs": (2, None, None), "defined": (1, 1, BOOLEAN),
    "number": (1, 1, NUMBER), "string": (1, 1, TEXT), "boolean": (1, 1, BOOLEAN),
    "lower": (1, 1, TEXT), "upper": (1, 1, TEXT), "len": (1, 1, NUMBER), "trim": (1, 1, TEXT),
    "left": (2, 2, TEXT), "right": (2, 2, TEXT), "mid": (3, 3, TEXT), "split": (3, 3, TEXT),
    "regex_match": (2, 2, BOOLEAN), "regex_extract": (2, 3, TEXT), "regex_replace": (3, 3, TEXT),
    "round": (1, 2, NUMBER), "floor": (1, 1, NUMBER), "ceil": (1, 1, NUMBER),
    "abs": (1, 1, NUMBER), "min": (1, None, None), "max": (1, None, None),
}  # fmt: skip


@attrs.frozen
class Formula:
    """A parsed formula: its tree, its result type and the property names it reads."""

    tree: Node
    type: str
    properties: tuple[str, ...]


def parse(text: str, composed: Mapping[str, Any] | None = None) -> Formula:
    """Parse `text` with the variables of `composed` (a `composedProperties` map).

    Raises:
        FormulaError: a syntax error, an unknown variable or function, a wrong argument count.
    """
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("the formula is empty")
    if len(text) > 20_000:
        raise FormulaError("the formula is longer than 20000 characters")
    variables = {
        str(key): str((spec or {}).get("value") or key) if isinstance(spec, Mapping) else str(key)
        for key, spec in (composed or {}).items()
    }
    parser = _Parser(text, variables)
    tree = parser.formula()
    return Formula(tree, TEXT if tree.type == ANY else tree.type, tuple(parser.used))


# --- compiling to Polars -------------------------------------------------------------------------


def _num(e: pl.Expr) -> pl.Expr:
    return e.cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False)


def _text(node: Node, e: pl.Expr) -> pl.Expr:
    if node.type == NUMBER:  # 3.0 reads "3", as Mixpanel shows whole numbers
        return (
            pl.when(e == e.floor()).then(e.cast(pl.Int64, strict=False).cast(pl.String))
            .otherwise(e.cast(pl.String))
        )  # fmt: skip
    if node.type == BOOLEAN:
        return pl.when(e).then(pl.lit("true")).when(~e).then(pl.lit("false"))
    return e.cast(pl.String)


def _bool(node: Node, e: pl.Expr) -> pl.Expr:
    if node.type == BOOLEAN:
        return e
    if node.type == NUMBER:
        return e != 0
    text = e.cast(pl.String)
    return pl.when(text.is_in(["false", "0", ""])).then(pl.lit(False)).otherwise(text.is_not_null())


class _Compiler:
    def __init__(self, column: Callable[[str], pl.Expr]) -> None:
        self.column = column

    def as_(self, node: Node, want: str) -> pl.Expr:
        e = self.expr(node)
        if want == NUMBER:
            return e if node.type == NUMBER else _num(e)
        if want == TEXT:
            return _text(node, e)
        if want == BOOLEAN:
            return _bool(node, e)
        return e

    def expr(self, node: Node) -> pl.Expr:
        op, args = node.op, node.args
        if op == "lit":
            return pl.lit(args[0], dtype=pl.String if args[0] is None else None)
        if op == "prop":
            return self.column(args[0])
        if op in ("and", "or"):
            left, right = (self.as_(a, BOOLEAN) for a in args)
            return left & right if op == "and" else left | right
        if op == "not":
            return ~self.as_(args[0], BOOLEAN)
        if op in ("==", "!=", "<", ">", "<=", ">="):
            return self.compare(op, args[0], args[1])
        if op == "in":
            return self.as_(args[1], TEXT).str.contains(self.as_(args[0], TEXT), literal=True)
        if op == "concat":
            return pl.concat_str([self.as_(a, TEXT) for a in args])
        if op == "neg":
            return -self.as_(args[0], NUMBER)
        if op in ("+", "-", "*", "/", "%"):
            left, right = (self.as_(a, NUMBER) for a in args)
            if op == "/":
                return pl.when(right != 0).then(left / right)
            if op == "%":
                return pl.when(right != 0).then(left % right)
            return left + right if op == "+" else left - right if op == "-" else left * right
        return self.call(node)

    def compare(self, op: str, a: Node, b: Node) -> pl.Expr:
        kinds = {a.type, b.type} - {ANY}
        if kinds == {NUMBER} or (op in ("<", ">", "<=", ">=") and TEXT not in kinds):
            left, right = self.as_(a, NUMBER), self.as_(b, NUMBER)
        elif kinds == {BOOLEAN}:
            left, right = self.as_(a, BOOLEAN), self.as_(b, BOOLEAN)
        else:
            left, right = self.as_(a, TEXT), self.as_(b, TEXT)
        table = {"==": left.eq_missing, "!=": left.ne_missing}
        if op in table:
            return table[op](right)
        return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]

    def call(self, node: Node) -> pl.Expr:
        name, args = node.args[0], node.args[1:]
        if name in ("if", "ifs"):
            pairs = (
                [(args[0], args[1])]
                if name == "if"
                else list(zip(args[::2], args[1::2], strict=True))
            )
            chain: Any = pl
            for cond, value in pairs:
                chain = chain.when(self.as_(cond, BOOLEAN).fill_null(False)).then(
                    self.as_(value, node.type)
                )
            other = args[2] if name == "if" and len(args) == 3 else None
            result: pl.Expr = chain.otherwise(None if other is None else self.as_(other, node.type))
            return result
        if name == "defined":
            return self.expr(args[0]).is_not_null()
        if name in ("number", "string", "boolean"):
            return self.as_(args[0], {"number": NUMBER, "string": TEXT}.get(name, BOOLEAN))
        if name in ("min", "max"):
            values = [self.as_(a, node.type) for a in args]
            return pl.min_horizontal(values) if name == "min" else pl.max_horizontal(values)
        if name in ("round", "floor", "ceil", "abs"):
            x = self.as_(args[0], NUMBER)
            if name == "round":
                digits = int(args[1].args[0]) if len(args) > 1 and args[1].op == "lit" else 0
                return x.round(digits)
            return x.floor() if name == "floor" else x.ceil() if name == "ceil" else x.abs()
        return self.text_call(name, args)

    def text_call(self, name: str, args: tuple[Node, ...]) -> pl.Expr:
        s = self.as_(args[0], TEXT)
        rest = [self.as_(a, NUMBER if name in ("left", "right", "mid") else TEXT) for a in args[1:]]
        if name in ("lower", "upper", "trim", "len"):
            return {"lower": s.str.to_lowercase, "upper": s.str.to_uppercase,
                    "trim": s.str.strip_chars, "len": s.str.len_chars}[name]().cast(
                pl.Float64 if name == "len" else pl.String
            )  # fmt: skip
        if name == "left":
            return s.str.head(rest[0].cast(pl.Int64))
        if name == "right":
            return s.str.tail(rest[0].cast(pl.Int64))
        if name == "mid":
            return s.str.slice((rest[0] - 1).cast(pl.Int64), rest[1].cast(pl.Int64))
        if name == "split":
            index = int(_literal(args[2], "split() takes a literal part number"))
            return s.str.split(_literal(args[1], "split() takes a literal separator")).list.get(
                index - 1, null_on_oob=True
            )
        pattern = str(_literal(args[1], f"{name}() takes a literal pattern"))
        if name == "regex_match":
            return s.str.contains(pattern)
        if name == "regex_replace":
            return s.str.replace_all(pattern, str(_literal(args[2], "a literal replacement")))
        group = int(_literal(args[2], "a literal group number")) if len(args) > 2 else 0
        return s.str.extract(pattern, group)


def _literal(node: Node, message: str) -> Any:
    if node.op != "lit" or node.args[0] is None:
        raise FormulaError(message)
    value = node.args[0]
    return int(value) if isinstance(value, float) and value.is_integer() else value


def compile_formula(formula: Formula, column: Callable[[str], pl.Expr]) -> pl.Expr:
    """The formula as one Polars expression; `column(name)` gives a property's values as text
    (null where the property is missing). Numbers come out as Float64, booleans as Boolean,
    the rest as String.

    Raises:
        FormulaError: a function argument that must be a literal is not.
    """
    return _Compiler(column).as_(formula.tree, formula.type)


def json_column(name: str, source: str = "properties") -> pl.Expr:
    """A property's values as text, read from the JSON-text column `source`."""
    path = "$['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']"
    return pl.col(source).str.json_path_match(path)


def evaluate_frame(frame: pl.DataFrame, formula: Formula, source: str = "properties") -> pl.Series:
    """The formula's value on every row of `frame` (whose `source` column is JSON text)."""
    expr = compile_formula(formula, lambda name: json_column(name, source))
    return frame.select(expr.alias("value")).to_series()
