"""Compile a parsed expression to a polars expression with the same results as `evaluate`.

Builds on `expression_syntax` (the tree) and `expression_values` (the values it must match);
`expressions` re-exports `to_polars` for callers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import polars as pl

from mixpanel_async.emulator.engine.expression_syntax import (
    COMPARE,
    Binary,
    Call,
    ExpressionError,
    ListItems,
    ListLiteral,
    Node,
    Property,
    Unary,
    referenced_properties,
    storage_name,
)
from mixpanel_async.emulator.engine.expression_values import (
    AFFIXES,
    DATE_FORMATS,
    DATE_PATTERN,
    DECIMAL_PATTERN,
    MAX_SECONDS,
    Context,
    eval_node,
    kind_of,
    logic_error,
    now_seconds,
    to_datetime,
)

# --- compilation to polars ---------------------------------------------------------------------
# A compiled value is an (expression, kind) pair; kinds are those of kind_of() plus
# "list:<inner kind>". Column kinds come from the frame's dtypes, so every operator can pick, at
# compile time, the branch evaluate() takes for that pair of types. Undefined is null.

_Typed = tuple[pl.Expr, str]
_LIST_ONLY_IN = "A list literal compiles only as a constant on the right of 'in'"
_DT = pl.Datetime("us", "UTC")
_DTYPES: dict[str, pl.DataType] = {"bool": pl.Boolean(), "str": pl.String(),
                                   "num": pl.Float64(), "dt": _DT}  # fmt: skip


def _null(kind: str = "null") -> _Typed:
    return pl.lit(None, dtype=_DTYPES.get(kind, pl.Null())), kind


def _lit(value: Any, node: Node) -> _Typed:
    kind = kind_of(value)
    if kind in ("list", "other"):
        raise ExpressionError(f"Cannot compile a constant {kind} value to polars", node.pos)
    if kind == "num":
        return pl.lit(value, dtype=pl.Int64 if isinstance(value, int) else pl.Float64), kind
    value = to_datetime(value) if kind == "dt" else value
    return pl.lit(value, dtype=_DTYPES.get(kind, pl.Null())), kind


def _property(expr: pl.Expr, dtype: Any, node: Node) -> _Typed:
    """A property column with its kind: strings as String, datetimes as UTC microseconds."""
    dtype = dtype() if isinstance(dtype, type) else dtype  # accept pl.Int64 as well as pl.Int64()
    if dtype.is_numeric():
        return expr, "num"
    if isinstance(dtype, pl.Boolean | pl.Null):
        return expr, "bool" if isinstance(dtype, pl.Boolean) else "null"
    if isinstance(dtype, pl.String | pl.Categorical | pl.Enum):
        return expr.cast(pl.String), "str"
    if isinstance(dtype, pl.Date):
        return expr.cast(pl.Datetime("us")).dt.replace_time_zone("UTC"), "dt"
    if isinstance(dtype, pl.Datetime):
        expr = expr.cast(pl.Datetime("us", dtype.time_zone))
        if dtype.time_zone is None:
            return expr.dt.replace_time_zone("UTC"), "dt"
        return expr.dt.convert_time_zone("UTC"), "dt"
    inner = _property(expr, dtype.inner, node)[1] if isinstance(dtype, pl.List) else None
    if inner in ("num", "str", "bool"):
        return expr, f"list:{inner}"
    raise ExpressionError(f"Cannot compile a property of dtype {dtype} to polars", node.pos)


def _fold(expr: pl.Expr) -> pl.Expr:
    """Evaluate an expression that reads no column (e.g. a test on mismatched kinds) to a literal.

    Some polars functions (``is_in``, ``when`` on a literal condition, ...) do not broadcast a
    one-row result to the frame's height, so nothing column-free may reach them unfolded.
    """
    if expr.meta.root_names() or expr.meta.is_literal():
        return expr
    value = pl.select(expr).to_series()
    return pl.lit(value[0], dtype=value.dtype)


def _compare(op: str, a: pl.Expr, b: pl.Expr) -> pl.Expr:
    if a.meta.is_literal() and not b.meta.is_literal():
        # polars 2.1 can return a single row for `literal == when(..).then(..).otherwise(None)`
        # when the condition is false everywhere; with the column on the left it broadcasts.
        a, b, op = b, a, {">": "<", ">=": "<=", "<": ">", "<=": ">="}.get(op, op)
    return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b, "==": a == b}[op]


def _as_dt(expr: pl.Expr, kind: str) -> pl.Expr:
    """The ``datetime()`` cast, matching to_datetime() row for row."""
    if kind == "str":
        text = expr.str.strip_suffix("Z")
        to_dt = functools.partial(text.str.to_datetime, time_unit="us", time_zone="UTC")
        parsed = pl.coalesce([to_dt(f, strict=False) for f in DATE_FORMATS])
        # The regex holds polars to exactly the strings the Python parser accepts.
        return _fold(pl.when(text.str.contains(f"^{DATE_PATTERN}$")).then(parsed))
    if kind == "num":
        scaled = pl.when(expr <= MAX_SECONDS).then(expr * 1_000_000).otherwise(expr * 1000)
        micros = pl.when(expr > 0).then(scaled.cast(pl.Int64, strict=False))
        return _fold(pl.from_epoch(micros, "us").dt.replace_time_zone("UTC"))
    return expr if kind == "dt" else pl.lit(None, dtype=_DT)


class _Compiler:
    def __init__(self, column: Callable[[str], pl.Expr], schema: Mapping[str, Any], now: int):
        self.column, self.schema, self.now = column, schema, now

    def constant(self, node: Node) -> Any:
        return eval_node(node, Context({}, None, self.now))

    def compile(self, node: Node) -> _Typed:
        expr, kind = self.compile_node(node)
        return _fold(expr), kind

    def compile_node(self, node: Node) -> _Typed:
        if isinstance(node, Property):
            name = storage_name(node)
            if name not in self.schema:  # no such column: undefined in every row
                return _null()
            return _property(self.column(name), self.schema[name], node)
        if isinstance(node, ListItems):  # lists of objects: evaluate() reads them
            raise ExpressionError("Cannot compile a test on list items to polars", node.pos)
        if not isinstance(node, ListLiteral) and not referenced_properties(node):
            # Constant subtrees are folded by evaluate() itself, so both paths agree exactly.
            return _lit(self.constant(node), node)
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Call):
            return self.call(node, *self.compile(node.args[0]))
        if not isinstance(node, Unary):
            raise ExpressionError(_LIST_ONLY_IN, node.pos)
        expr, kind = self.compile(node.operand)
        if node.op == "-":
            return (-expr, "num") if kind == "num" else _null("num" if kind == "null" else "null")
        # `not` is true for undefined, negates booleans and is undefined for anything else.
        undefined = pl.when(expr.is_null()).then(True)
        return (undefined.otherwise(~expr) if kind == "bool" else undefined), "bool"

    def truth(self, node: Binary, side: Node) -> pl.Expr:
        expr, kind = self.compile(side)
        if kind not in ("null", "bool"):
            raise logic_error(node, kind)
        return pl.lit(False) if kind == "null" else expr.fill_null(False)

    def binary(self, node: Binary) -> _Typed:
        op = node.op
        if op in ("and", "or"):
            left, right = self.truth(node, node.left), self.truth(node, node.right)
            return (left & right if op == "and" else left | right), "bool"
        if (
            op == "in"
            and not referenced_properties(node.right)
            and kind_of(values := self.constant(node.right)) == "list"
        ):
            return self.membership(node, values)
        (a, ka), (b, kb) = self.compile(node.left), self.compile(node.right)
        lists = ka.startswith("list") and kb.startswith("list")
        if op in ("==", "!="):
            if ka == kb != "null":
                equal = _compare("==", a, b).fill_null(False)
            elif "dt" in (ka, kb) and "null" not in (ka, kb):
                equal = _compare("==", _as_dt(a, ka), _as_dt(b, kb)).fill_null(False)
            elif lists:  # evaluate() compares the items, which may still be equal
                raise ExpressionError("Cannot compile '==' on lists of two types", node.pos)
            else:
                equal = pl.lit(False)
            return (equal if op == "==" else ~equal), "bool"
        if op in COMPARE and op != "in":
            if "dt" in (ka, kb):
                a, b, ka, kb = _as_dt(a, ka), _as_dt(b, kb), "dt", "dt"
            elif ka != kb or ka not in ("num", "str"):
                return _null("bool")
            return _compare(op, a, b), "bool"
        if op == "in":
            if lists:
                raise ExpressionError("Cannot compile 'in' with a list on the left", node.pos)
            if kb.startswith("list:") and ka in ("num", "str", "bool"):
                if ka == kb[5:] == "num":
                    b, a = b.list.eval(pl.element().cast(pl.Float64)), a.cast(pl.Float64)
                found = b.list.contains(a) if ka == kb[5:] else pl.lit(False)
                return pl.when(a.is_null() | b.is_null()).then(None).otherwise(found), "bool"
            return (b.str.contains(a, literal=True), "bool") if ka == kb == "str" else _null("bool")
        if op == "+" and ka == kb == "str":
            return pl.concat_str([a, b]), "str"
        if not ka == kb == "num":  # undefined; typed as a number where only a number could be
            return _null("num" if op != "+" and "null" in (ka, kb) else "null")
        if op in ("+", "-", "*"):
            return (a + b if op == "+" else a - b if op == "-" else a * b), "num"
        rem = a % b  # polars floors like Python; flip to the dividend's sign as _arith() does
        rem = pl.when((rem != 0) & ((a < 0) != (b < 0))).then(rem - b).otherwise(rem)
        return pl.when(b == 0).then(None).otherwise(a / b if op == "/" else rem), "num"

    def membership(self, node: Binary, values: list[Any]) -> _Typed:
        expr, kind = self.compile(node.left)
        if kind not in ("num", "str", "bool"):
            if kind == "null":
                return _null("bool")
            raise ExpressionError(f"Cannot compile 'in' on a {kind} value to polars", node.pos)
        same = [float(v) if kind == "num" else v for v in values if kind_of(v) == kind]
        expr = expr.cast(pl.Float64) if kind == "num" else expr
        return expr.is_in(pl.Series(same, dtype=_DTYPES[kind]).implode()), "bool"

    def call(self, node: Call, expr: pl.Expr, kind: str) -> _Typed:
        name = node.name
        if name == "defined":
            return (pl.lit(False) if kind == "null" else expr.is_not_null()), "bool"
        if name in AFFIXES:
            affix, akind = self.compile(node.args[1])
            if kind == akind == "str":
                test = expr.str.starts_with if name == "has_prefix" else expr.str.ends_with
                return test(affix), "bool"
            return _null("bool")
        if name in ("floor", "ceil", "round"):
            if kind != "num":
                return _null("num" if kind == "null" else "null")
            expr = expr.cast(pl.Float64)
            if name == "round":
                return expr.round(0, mode="half_away_from_zero"), "num"
            return (expr.floor() if name == "floor" else expr.ceil()), "num"
        result, rkind = self.cast(name, expr, kind)
        if len(node.args) == 1:
            return result, rkind
        fallback, fkind = self.compile(node.args[1])
        if fkind not in (rkind, "null") or rkind == "null":
            raise ExpressionError(f"Cannot compile this fallback of '{name}' to polars", node.pos)
        fallback = fallback if fkind == rkind else _null(rkind)[0]
        if (result := _fold(result)).meta.is_literal():  # decided now: see _fold()
            return (fallback if pl.select(result).item() is None else result), rkind
        return pl.when(result.is_null()).then(fallback).otherwise(result), rkind

    def cast(self, name: str, expr: pl.Expr, kind: str) -> _Typed:
        if name == "boolean":
            if kind in ("num", "str"):
                expr = expr != 0 if kind == "num" else (expr != "") & (expr != "false")
            elif kind != "bool":
                expr = pl.lit(False) if kind == "null" else expr.is_not_null()
            return expr.fill_null(False), "bool"
        if name == "datetime":
            return _as_dt(expr, kind), "dt"
        if name == "list":
            return (expr, kind) if kind.startswith("list") else _null()
        if name == "number":
            if kind == "str":
                valid = expr.str.contains(f"^{DECIMAL_PATTERN}$")
                return pl.when(valid).then(expr.cast(pl.Float64, strict=False)), "num"
            if kind == "dt":
                return expr.dt.epoch("us") / 1_000_000, "num"
            return ({"num": expr, "bool": expr.cast(pl.Float64)}.get(kind, _null("num")[0]), "num")
        if kind == "bool":  # string()
            return pl.when(expr).then(pl.lit("true")).when(~expr).then(pl.lit("false")), "str"
        if kind == "dt":
            return expr.dt.strftime("%Y-%m-%dT%H:%M:%S"), "str"
        return (expr.cast(pl.String), "str") if kind in ("str", "num") else _null("str")


def to_polars(
    node: Node,
    column: Callable[[str], pl.Expr],
    *,
    schema: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> pl.Expr:
    """Compile `node` to a polars expression with the same results as :func:`evaluate`.

    Undefined is null, so ``frame.filter(expr)`` keeps exactly the rows :func:`matches` keeps.
    A constant expression compiles to a literal.

    Args:
        node: A tree from :func:`parse`.
        column: Returns the expression for a property name (see :func:`referenced_properties`).
        schema: Property name -> polars dtype. With it the result is a plain, optimisable
            expression, and a name missing from it is undefined in every row. Without it the
            expression is compiled per batch once the real dtypes are known; that needs a result
            type independent of them (comparisons, logic, casts and arithmetic other than ``+``).
            Errors found only then reach the caller as :class:`ExpressionError` at collect time.
        now: The time ``NOW`` stands for (default: the current time).

    Raises:
        ExpressionError: for what cannot be compiled; :func:`evaluate` handles those.
    """
    now_s = now_seconds(now)
    names = sorted(referenced_properties(node))
    if schema is not None or not names:
        return _Compiler(column, schema or {}, now_s).compile(node)[0]
    # A dry run with every property undefined finds what can never compile, and the result
    # kind wherever it does not depend on the dtypes (map_batches must declare it up front).
    kind = _Compiler(column, dict.fromkeys(names, pl.Null()), now_s).compile(node)[1]
    if kind not in _DTYPES:
        raise ExpressionError("The result type depends on column dtypes; pass schema=", node.pos)

    def run(batch: pl.Series) -> pl.Series:
        frame = batch.struct.unnest()
        expr = _Compiler(pl.col, frame.schema, now_s).compile(node)[0].cast(_DTYPES[kind])
        return frame.with_columns(expr.alias("__expression__"))["__expression__"]

    struct = pl.struct([column(name).alias(name) for name in names])
    return struct.map_batches(run, return_dtype=_DTYPES[kind], is_elementwise=True)
