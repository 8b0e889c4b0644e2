"""`Formula` and the series of an Insights query as `show` clauses: event names, `Metric`,
`CohortMetric`, `FunnelMetric`, `RetentionMetric`, saved metrics by `MetricRef`, and formulas
(over the query's metrics, or over their own operands, which go into `referencedMetrics`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from mixpanel_async.reports.arguments import refuse
from mixpanel_async.reports.behavior_metrics import (
    FunnelMetric,
    RetentionMetric,
    behavior_metric_clause,
)
from mixpanel_async.reports.formulas import check_operand_formula
from mixpanel_async.reports.metric_refs import MetricRef, operand_ref, ref_clause
from mixpanel_async.reports.metrics import CohortMetric, Metric, show_clause

FormulaOperand = Metric | CohortMetric | FunnelMetric | RetentionMetric | MetricRef
"""What a formula with its own operands takes: any metric but a formula, or a saved behaviour
metric by reference."""
Series = str | FormulaOperand
"""One series of an Insights query (besides formulas)."""


@attrs.frozen
class Formula:
    """A series computed from other series named by position, shown under `label`.

    Without `metrics` the letters name the query's other metrics (`"(B / A) * 100"`: A is
    the first); with `metrics` they name the formula's own operands (A..Z, then BA, BB, ...),
    which are inline metrics or saved behaviour metrics by `MetricRef` (no overrides, not a
    formula, not a warehouse metric). `metrics` is kept as a tuple copy.
    """

    expression: str
    label: str | None = None
    metrics: Sequence[FormulaOperand] | None = None

    def __attrs_post_init__(self) -> None:
        """The expression is not blank; with operands, they and the expression are usable."""
        if not isinstance(self.expression, str) or not self.expression.strip():
            raise refuse(
                "Formula.expression must not be blank", "expression", "FM1_EMPTY_EXPRESSION"
            )
        if self.metrics is None:
            return
        operands = tuple(self.metrics)
        object.__setattr__(self, "metrics", operands)
        for i, operand in enumerate(operands):
            kind = operand.type if isinstance(operand, MetricRef) else None
            if isinstance(operand, Formula) or kind == "formula":
                raise refuse(
                    f"Formula.metrics[{i}] is a formula; a formula's operand cannot be one",
                    "metrics",
                    "FM3_NESTED_FORMULA",
                )
            if kind == "warehouse":
                raise refuse(
                    f"Formula.metrics[{i}] is a warehouse metric; Mixpanel takes only behaviour "
                    "metrics as operands (query a warehouse metric alone, by MetricRef)",
                    "metrics",
                    "FM7_WAREHOUSE_OPERAND",
                )
            if isinstance(operand, MetricRef):
                operand_ref(operand)
        check_operand_formula(self.expression, len(operands))


def series_clause(
    item: Series, *, math: str, math_property: str | None, per_user: str | None,
    percentile_value: float | None, hidden: bool,
) -> dict[str, Any]:  # fmt: skip
    """The `show` clause of one series (an event name takes the query's math)."""
    if isinstance(item, MetricRef):
        return ref_clause(item, hidden)
    if isinstance(item, FunnelMetric | RetentionMetric):
        return behavior_metric_clause(item, hidden)
    return show_clause(
        item, math=math, math_property=math_property, per_user=per_user,
        percentile_value=percentile_value, hidden=hidden,
    )  # fmt: skip


def _operand(item: FormulaOperand) -> dict[str, Any]:
    if isinstance(item, MetricRef):
        return operand_ref(item)
    inline = series_clause(
        item, math="total", math_property=None, per_user=None, percentile_value=None,
        hidden=False,
    )  # fmt: skip
    return {"type": "metric", "behavior": inline["behavior"], "measurement": inline["measurement"]}


def formula_clause(formula: Formula) -> dict[str, Any]:
    """The `show` clause of a formula, with its own operands when it has them."""
    out: dict[str, Any] = {
        "type": "formula", "definition": formula.expression, "measurement": {},
        "referencedMetrics": [_operand(item) for item in formula.metrics or ()],
    }  # fmt: skip
    if formula.label:
        out["name"] = formula.label
    return out
