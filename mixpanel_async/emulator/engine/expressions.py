"""Mixpanel segmentation expressions: the `where`, `on` and `selector` language, for callers.

One import for the three parts, which depend on each other in one direction only:
`expression_syntax` (errors, the syntax tree, the parser) ← `expression_values` (what a tree
evaluates to) ← `expressions_polars` (a tree compiled to a polars expression with the same
results). See those modules for the grammar and the value rules.
"""

from __future__ import annotations

from mixpanel_async.emulator.engine.expression_syntax import (
    Binary,
    Call,
    ExpressionError,
    ListItems,
    ListLiteral,
    Literal,
    Node,
    Property,
    Unary,
    parse,
    referenced_properties,
)
from mixpanel_async.emulator.engine.expression_values import evaluate, matches
from mixpanel_async.emulator.engine.expressions_polars import to_polars

__all__ = [
    "Binary",
    "Call",
    "ExpressionError",
    "ListItems",
    "ListLiteral",
    "Literal",
    "Node",
    "Property",
    "Unary",
    "evaluate",
    "matches",
    "parse",
    "referenced_properties",
    "to_polars",
]
