"""Insights formulas: arithmetic over the report's metrics, named by letter (`A` is the first
metric of `sections.show`, `B` the second, ...), as in `(A - B) / A * 100`.

A formula is parsed with Python's `ast` and only numbers, metric letters, `+ - * /`, unary
signs and parentheses are accepted; anything else is a ValueError (a 400). It is computed
leaf by leaf over the metrics' series trees: for every breakdown segment and date that all its
metrics have. A point where a metric has no value, or where the formula divides by zero, is
left out (our reading of Mixpanel's blank points).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_BINARY = {ast.Add: float.__add__, ast.Sub: float.__sub__, ast.Mult: float.__mul__,
           ast.Div: float.__truediv__}  # fmt: skip


@attrs.frozen
class Formula:
    """One parsed `formula` entry: its label, its syntax tree and the metric letters it reads."""

    label: str
    tree: ast.expr
    letters: tuple[str, ...]
    """The metric letters the formula reads."""


def parse(definition: Any, label: Any, metric_count: int) -> Formula:
    """A `{"type": "formula"}` entry's definition, checked against the available metrics.

    Raises:
        ValueError: not text, not arithmetic over metric letters, or a letter with no metric.
    """
    if not isinstance(definition, str) or not definition.strip():
        raise ValueError("a formula needs a definition such as 'A / B'")
    try:
        tree = ast.parse(definition.strip(), mode="eval").body
    except SyntaxError:
        raise ValueError(f"the formula {definition!r} is not valid arithmetic") from None
    letters: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id not in LETTERS[:metric_count]:
                raise ValueError(f"the formula {definition!r} names no metric {node.id!r}")
            letters.append(node.id)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise ValueError(f"the formula {definition!r} may only hold numbers")
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise ValueError(f"the formula {definition!r} may only use + - * /")
        elif not isinstance(node, ast.UnaryOp | ast.operator | ast.unaryop | ast.expr_context):
            raise ValueError(f"the formula {definition!r} is not plain arithmetic")
        elif isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.UAdd | ast.USub):
            raise ValueError(f"the formula {definition!r} may only use + - * /")
    if not letters:
        raise ValueError(f"the formula {definition!r} reads no metric")
    name = label if isinstance(label, str) and label else definition.strip()
    return Formula(name, tree, tuple(dict.fromkeys(letters)))


def _value(node: ast.expr, values: Mapping[str, float]) -> float:
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # checked by `parse`
        return float(node.value)
    if isinstance(node, ast.UnaryOp):
        inner = _value(node.operand, values)
        return -inner if isinstance(node.op, ast.USub) else inner
    assert isinstance(node, ast.BinOp)
    return _BINARY[type(node.op)](_value(node.left, values), _value(node.right, values))


def _is_leaf(node: Mapping[str, Any]) -> bool:
    return not any(isinstance(value, Mapping) for value in node.values())


def _merge(formula: Formula, nodes: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    first = nodes[0]
    out: dict[str, Any] = {}
    if all(_is_leaf(node) for node in nodes):
        for key in first:
            values = [node.get(key) for node in nodes]
            numbers = [float(v) for v in values if isinstance(v, int | float)]
            if len(numbers) != len(values) or any(isinstance(v, bool) for v in values):
                continue
            named = dict(zip(formula.letters, numbers, strict=True))
            try:
                out[key] = _value(formula.tree, named)
            except ZeroDivisionError:
                continue
        return out
    for key in first:
        children = [node.get(key) for node in nodes]
        if all(isinstance(child, Mapping) for child in children):
            out[key] = _merge(formula, children)  # type: ignore[arg-type]
    return out


def compute(formula: Formula, trees: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The formula's series tree from its metrics' trees (keyed by letter)."""
    return _merge(formula, [trees[letter] for letter in formula.letters])
