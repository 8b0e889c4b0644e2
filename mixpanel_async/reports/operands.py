"""The series of an Insights query as `show` clauses: event names, `Metric`, `CohortMetric`,
`FunnelMetric`, `RetentionMetric`, saved metrics by `MetricRef`, and formulas (over the query's
metrics, or over their own operands, which go into `referencedMetrics`)."""

from __future__ import annotations

from typing import Any

from mixpanel_async.reports.behavior_metrics import (
    FunnelMetric,
    RetentionMetric,
    behavior_metric_clause,
)
from mixpanel_async.reports.metric_refs import MetricRef, operand_ref, ref_clause
from mixpanel_async.reports.metrics import CohortMetric, Formula, Metric, show_clause

FormulaOperand = Metric | CohortMetric | FunnelMetric | RetentionMetric | MetricRef
"""What a formula with its own operands takes: any metric but a formula, or a saved behaviour
metric by reference."""
Series = str | FormulaOperand
"""One series of an Insights query (besides formulas)."""


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
