"""Insights bookmark params from typed arguments: `insights_params()` behind
`AsyncWorkspace.build_params()` and `query()`. It checks every argument first (all problems
in one `BookmarkValidationError`) and then builds the same JSON as the peer's `build_params`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from mixpanel_async.reports import checks
from mixpanel_async.reports.behaviors import SimpleBehavior
from mixpanel_async.reports.breakdowns import FrequencyFilter
from mixpanel_async.reports.checks import Problem
from mixpanel_async.reports.filters import Filter
from mixpanel_async.reports.literals import (
    InsightsMode,
    MathType,
    PerUserAggregation,
    QueryTimeUnit,
    values,
)
from mixpanel_async.reports.metrics import (
    MATH_NEEDS_PROPERTY,
    MATH_PROPERTY_OPTIONAL,
    MATH_WITHOUT_PER_USER,
    CohortMetric,
    Formula,
    FunnelStep,
    Metric,
    formula_clause,
    show_clause,
)
from mixpanel_async.reports.sections import assemble

Series = str | Metric | CohortMetric
MAX_ROLLING = 365
CHART_TYPES = {"timeseries": "line", "total": "bar", "table": "table"}
_LETTER = re.compile(r"[A-Z]")
_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d(?:_?\d)*(?:\.\d(?:_?\d)*)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?)"
    r"|(?P<var>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/^()]))"
)


def formula_syntax(expression: str) -> str | None:
    """Why `expression` is not a formula of letters, numbers, `+ - * / ^` and parentheses
    (None when it is one)."""
    expect_operand, depth, at = True, 0, 0
    text = expression.rstrip(" \t")
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            return f"unexpected character {text[at]!r} at position {at}"
        token, at = match.group().strip(), match.end()
        if match.group("op") is None:  # a number or a letter
            if not expect_operand:
                return f"unexpected {token!r}"
            expect_operand = False
        elif expect_operand:
            if token == "(":
                depth += 1
            elif token != "-":
                return f"unexpected {token!r}"
        elif token == ")" and depth:
            depth -= 1
        elif token in "+-*/^":
            expect_operand = True
        else:
            return f"unexpected {token!r}"
    return "is incomplete" if expect_operand or depth else None


def _formula_problems(formulas: Sequence[Formula], count: int) -> list[Problem]:
    found: list[Problem] = []
    if formulas and count < 2:
        found.append(
            Problem(
                "formula",
                f"a formula needs at least 2 metrics, got {count}",
                "V4_FORMULA_MIN_EVENTS",
            )
        )
    for i, formula in enumerate(formulas):
        path = f"formula[{i}]" if len(formulas) > 1 else "formula"
        letters = set(_LETTER.findall(formula.expression))
        if not letters:
            found.append(
                Problem(
                    path,
                    f"{formula.expression!r} names no metric (A, B, ...)",
                    "V16_FORMULA_SYNTAX",
                )
            )
            continue
        highest = chr(ord("A") + count - 1)
        beyond = sorted(p for p in letters if p > highest)
        if count and beyond:
            found.append(
                Problem(path, f"names {beyond} but only A-{highest} exist", "V19_FORMULA_BOUNDS")
            )
            continue
        why = formula_syntax(formula.expression)
        if why is not None:
            found.append(Problem(path, f"{formula.expression!r}: {why}", "FM4_SYNTAX"))
    return found


def _metric_event_problems(event: Any, path: str) -> list[Problem]:
    """The names a metric counts are usable (saved behaviours and custom events are ids)."""
    if isinstance(event, str):
        return checks.event_name(event, path)
    entries = event.events if isinstance(event, SimpleBehavior) else event
    if not isinstance(entries, list | tuple):
        return []
    found = []
    for i, entry in enumerate(entries):
        name = entry.event if isinstance(entry, FunnelStep) else entry
        if isinstance(name, str):
            found += checks.event_name(name, f"{path}.event[{i}]")
    return found


def _metric_problems(metric: Metric, path: str) -> list[Problem]:
    found = _metric_event_problems(metric.event, path)
    math, prop, per_user = metric.math, metric.property, metric.per_user
    found += checks.one_of(math, values(MathType), f"{path}.math", "V13_INVALID_MATH")
    if math not in MATH_NEEDS_PROPERTY | MATH_PROPERTY_OPTIONAL and prop is not None:
        found.append(
            Problem(path, f"math={math!r} takes no property", "V14_METRIC_REJECTS_PROPERTY")
        )
    if math == "histogram" and per_user is None:
        found.append(
            Problem(path, "math='histogram' needs per_user", "V27_HISTOGRAM_REQUIRES_PER_USER")
        )
    if per_user is not None:
        found += checks.one_of(
            per_user, values(PerUserAggregation), f"{path}.per_user", "V3_INVALID_PER_USER"
        )
        if math in MATH_WITHOUT_PER_USER:
            found.append(
                Problem(
                    path, f"per_user does not go with math={math!r}", "V3_PER_USER_INCOMPATIBLE"
                )
            )
        if prop is None:
            found.append(
                Problem(path, "per_user needs a property", "V3B_PER_USER_REQUIRES_PROPERTY")
            )
    return found


def _query_math_problems(
    math: str, math_property: str | None, per_user: str | None, percentile_value: float | None
) -> list[Problem]:
    found = checks.one_of(math, values(MathType), "math", "V1_INVALID_MATH")
    if math in MATH_NEEDS_PROPERTY and math_property is None:
        found.append(
            Problem("math", f"math={math!r} needs math_property", "V1_MATH_REQUIRES_PROPERTY")
        )
    if math not in MATH_NEEDS_PROPERTY | MATH_PROPERTY_OPTIONAL and math_property is not None:
        found.append(
            Problem(
                "math_property", f"math={math!r} takes no math_property", "V2_MATH_REJECTS_PROPERTY"
            )
        )
    if math == "percentile" and percentile_value is None:
        found.append(
            Problem(
                "percentile_value",
                "math='percentile' needs percentile_value",
                "V26_PERCENTILE_REQUIRES_VALUE",
            )
        )
    if math == "histogram" and per_user is None:
        found.append(
            Problem(
                "per_user", "math='histogram' needs per_user", "V27_HISTOGRAM_REQUIRES_PER_USER"
            )
        )
    if per_user is not None:
        found += checks.one_of(
            per_user, values(PerUserAggregation), "per_user", "V3_INVALID_PER_USER"
        )
        if math in MATH_WITHOUT_PER_USER:
            found.append(
                Problem(
                    "per_user",
                    f"per_user does not go with math={math!r}",
                    "V3_PER_USER_INCOMPATIBLE",
                )
            )
        if math_property is None:
            found.append(
                Problem(
                    "per_user", "per_user needs math_property", "V3B_PER_USER_REQUIRES_PROPERTY"
                )
            )
    return found


def split_events(
    events: Any, formula: str | None, formula_label: str | None
) -> tuple[list[Series], list[Formula]]:
    """The metrics and the formulas of `events` (plus the top-level `formula`)."""
    if not isinstance(events, str | Metric | CohortMetric | Formula | list | tuple):
        checks.raise_problems(
            [
                Problem(
                    "events",
                    "must be an event name, Metric, CohortMetric, Formula or a list of them, "
                    f"got {type(events).__name__}",
                    "V21_INVALID_EVENT_TYPE",
                )
            ]
        )
    items = list(events) if isinstance(events, list | tuple) else [events]
    if isinstance(events, Formula):
        checks.raise_problems(
            [Problem("events", "a Formula needs metrics beside it", "V0_NO_EVENTS")]
        )
    metrics = [item for item in items if not isinstance(item, Formula)]
    formulas = [item for item in items if isinstance(item, Formula)]
    if formula is not None and formulas:
        checks.raise_problems(
            [
                Problem(
                    "formula",
                    "give formula= or Formula items in events, not both",
                    "V4_FORMULA_CONFLICT",
                )
            ]
        )
    if formula is not None:
        formulas = [Formula(expression=formula, label=formula_label)]
    return metrics, formulas


def insights_params(
    events: Any, *, from_date: str | None, to_date: str | None, last: int, unit: QueryTimeUnit,
    math: MathType, math_property: str | None, per_user: PerUserAggregation | None,
    percentile_value: int | float | None, group_by: Any, where: Any, formula: str | None,
    formula_label: str | None, rolling: int | None, cumulative: bool, mode: InsightsMode,
    time_comparison: Any, data_group_id: int | None,
) -> dict[str, Any]:  # fmt: skip
    """Check the arguments of `build_params()` and build its bookmark params."""
    if where is not None and not isinstance(where, Filter | FrequencyFilter | list):
        checks.raise_problems(
            [
                Problem(
                    "where",
                    f"must be a Filter, FrequencyFilter or list, got {type(where).__name__}",
                    "V25_INVALID_FILTER_TYPE",
                )
            ]
        )
    metrics, formulas = split_events(events, formula, formula_label)
    found = checks.data_group(data_group_id)
    if not metrics:
        found.append(Problem("events", "at least one event is required", "V0_NO_EVENTS"))
    for i, item in enumerate(metrics):
        path = f"events[{i}]"
        if isinstance(item, Metric):
            found += _metric_problems(item, path)
        elif isinstance(item, str):
            found += checks.event_name(item, path)
        elif not isinstance(item, CohortMetric):
            found.append(
                Problem(
                    path,
                    f"must be an event name, Metric or CohortMetric, not {type(item).__name__}",
                    "V21_INVALID_EVENT_TYPE",
                )
            )
    if any(isinstance(item, str) for item in metrics):
        found += _query_math_problems(math, math_property, per_user, percentile_value)
    found += _formula_problems(formulas, len(metrics))
    if rolling is not None:
        if cumulative:
            found.append(
                Problem(
                    "rolling",
                    "rolling and cumulative exclude each other",
                    "V5_ROLLING_CUMULATIVE_EXCLUSIVE",
                )
            )
        if rolling <= 0:
            found.append(
                Problem(
                    "rolling",
                    f"must be a positive number of periods, got {rolling}",
                    "V6_ROLLING_POSITIVE",
                )
            )
        if rolling > MAX_ROLLING:
            found.append(
                Problem(
                    "rolling",
                    f"rolling={rolling} is more than {MAX_ROLLING}",
                    "V23_ROLLING_TOO_LARGE",
                )
            )
    found += checks.window(from_date, to_date, last)
    found += checks.breakdowns(group_by)
    found += checks.custom_properties(where=where, metrics=metrics)
    found += checks.one_of(unit, values(QueryTimeUnit), "unit", "B_INVALID_UNIT")
    found += checks.one_of(mode, values(InsightsMode), "mode", "B_INVALID_MODE")
    checks.raise_problems(found)
    hidden = bool(formulas)
    show = [
        show_clause(item, math=math, math_property=math_property, per_user=per_user,
                    percentile_value=percentile_value, hidden=hidden)
        for item in metrics
    ]  # fmt: skip
    show += [formula_clause(f) for f in formulas]
    display: dict[str, Any] = {"chartType": CHART_TYPES[mode], "analysis": "linear"}
    if rolling is not None:
        display |= {"analysis": "rolling", "rollingWindowSize": rolling}
    elif cumulative:
        display["analysis"] = "cumulative"
    return assemble(
        show, display, from_date=from_date, to_date=to_date, last=last, unit=unit, where=where,
        group_by=group_by, time_comparison_=time_comparison, data_group_id=data_group_id,
        formula=False,
    )  # fmt: skip
