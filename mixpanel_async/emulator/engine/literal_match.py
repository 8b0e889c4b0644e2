"""String-equality filters read from the stored JSON texts with literal searches.

A filter such as `properties["plan"] == "free"` (or `in` a list of strings, and `and` / `or` /
`not` of such tests) needs no property value cut out of each row. Take a flat row (no `[`, `{`
or `\\` after the opening brace, so strings hold no quotes) holding `"plan"` exactly once,
followed by a colon and no space: the key is present once, in compact form, and the row passes
exactly when it holds the text `"plan":"free"` (the closing quote ends the value). A row without
`"plan"` lacks the key, so `==` is false. Every other row (nested, escaped, spaced, a repeated key
or the name also used as a value) is marked inexact, and the caller decodes it.

The verdicts equal `expressions.evaluate`: `==` between a string and anything but the same
string is false, and `in` a list is `==` against any item.
"""

from __future__ import annotations

from collections.abc import Callable

import orjson
import polars as pl

from mixpanel_async.emulator.engine.expressions import (
    Binary,
    ListLiteral,
    Literal,
    Node,
    Property,
    Unary,
)
from mixpanel_async.emulator.engine.raw_text import parallel_select
from mixpanel_async.emulator.flat_texts import flat_texts

__all__ = ["Test", "compile_test", "verdicts"]

Test = Callable[[pl.Expr], tuple[pl.Expr, pl.Expr]]
"""Given the properties column: (verdict, whether the verdict is exact) per row."""


def _json(text: str) -> str | None:
    """`text` as a JSON string, or None when it needs an escape (never in a flat row)."""
    encoded = orjson.dumps(text).decode()
    return None if "\\" in encoded else encoded


def _strings(node: Node, op: str) -> tuple[str, ...] | None:
    """The strings of `==`'s literal or `in`'s list (`in` a string is a substring test)."""
    if op == "==":
        return (node.value,) if isinstance(node, Literal) and isinstance(node.value, str) else None
    if isinstance(node, ListLiteral) and node.items:
        found = [item.value for item in node.items if isinstance(item, Literal)]
        if len(found) == len(node.items) and all(isinstance(v, str) for v in found):
            return tuple(str(v) for v in found)
    return None


def _equality(node: Binary, plain: Callable[[str], bool]) -> Test | None:
    prop, values = node.left, _strings(node.right, node.op)
    if not isinstance(prop, Property) or prop.source != "properties" or values is None:
        return None
    if not plain(prop.name):
        return None
    key = _json(prop.name)
    texts = [_json(value) for value in values]
    if key is None or any(text is None for text in texts):
        return None

    # The name more than once, or not followed by a colon and a value (a value, or a space):
    # the row cannot be read here. (Regex counting measured faster than literal counting.)
    name = pl.escape_regex(key)
    odd = f"{name}(?:[^:]|:\\s|$)"

    def test(props: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
        hit = pl.any_horizontal(
            [props.str.contains(f"{key}:{text}", literal=True) for text in texts]
        )
        return hit, (props.str.count_matches(name) <= 1) & ~props.str.contains(odd)

    return test


def compile_test(node: Node, plain: Callable[[str], bool]) -> Test | None:
    """The literal test of a filter built of string equalities, or None for any other node.

    Args:
        node: The filter.
        plain: Whether a property name is read from the stored JSON (not a per-user value,
            an event field or a custom property).
    """
    if isinstance(node, Binary) and node.op in ("==", "in"):
        return _equality(node, plain)
    if isinstance(node, Unary) and node.op == "not":
        inner = compile_test(node.operand, plain)
        if inner is None:
            return None

        def negated(props: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
            verdict, exact = inner(props)
            return ~verdict, exact

        return negated
    if isinstance(node, Binary) and node.op in ("and", "or"):
        left, right = compile_test(node.left, plain), compile_test(node.right, plain)
        if left is None or right is None:
            return None
        join = pl.Expr.and_ if node.op == "and" else pl.Expr.or_

        def both(props: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
            (a, a_exact), (b, b_exact) = left(props), right(props)
            return join(a, b), a_exact & b_exact

        return both
    return None


def verdicts(target: pl.DataFrame, test: Test) -> tuple[pl.Series, pl.Series]:
    """(verdict, exact) per row of `target` (a frame with `properties`, and `_flat` when the
    flatness of its texts is known)."""
    props = pl.col("properties")
    verdict, exact = test(props)
    flat = pl.col("_flat") if "_flat" in target.columns else flat_texts(props)
    out = parallel_select(target, [verdict.alias("v"), (exact & flat).alias("x")])
    return out["v"], out["x"]
