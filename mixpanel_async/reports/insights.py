"""Insights bookmark params from typed arguments: `insights_params()` behind
`AsyncWorkspace.build_params()` and `query()`. It checks every argument first (all problems
in one `BookmarkValidationError`) and then builds the same JSON as the peer's `build_params`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypedDict

from mixpanel_async.reports import checks
from mixpanel_async.reports.behavior_metrics import FunnelMetric, RetentionMetric, metric_problems
from mixpanel_async.reports.behaviors import FunnelStep, SimpleBehavior
from mixpanel_async.reports.breakdowns import (
    CohortBreakdown,
    FrequencyBreakdown,
    FrequencyFilter,
    GroupBy,
    TimeComparison,
)
from mixpanel_async.reports.checks import Problem
from mixpanel_async.reports.filters import Filter
from mixpanel_async.reports.formulas import syntax_problem
from mixpanel_async.reports.literals import (
    InsightsMode,
    MathType,
    PerUserAggregation,
    QueryTimeUnit,
    values,
)
from mixpanel_async.reports.metric_refs import MetricRef
from mixpanel_async.reports.metrics import (
    MATH_NEEDS_PROPERTY,
    MATH_PROPERTY_OPTIONAL,
    MATH_WITHOUT_PER_USER,
    CohortMetric,
    Metric,
)
from mixpanel_async.reports.operands import Formula, Series, formula_clause, series_clause
from mixpanel_async.reports.saved import SavedMetric
from mixpanel_async.reports.sections import assemble
from mixpanel_async.reports.validation import validate_bookmark

SERIES = (str, Metric, CohortMetric, FunnelMetric, RetentionMetric, MetricRef)
_QUERY_MEASUREMENT = (("math", "total"), ("math_property", None), ("per_user", None),
                      ("percentile_value", None))  # fmt: skip
MAX_ROLLING = 365
CHART_TYPES = {"timeseries": "line", "total": "bar", "table": "table"}
_LETTER = re.compile(r"[A-Z]")

Events = Series | SavedMetric | Formula | Sequence[Series | SavedMetric | Formula]
"""What an Insights query measures: one series, saved metric or `Formula`, or a list of them."""
GroupByArg = (
    str | GroupBy | CohortBreakdown | FrequencyBreakdown
    | list[str | GroupBy | CohortBreakdown | FrequencyBreakdown] | None
)  # fmt: skip
"""`group_by` of an Insights query."""
WhereArg = Filter | FrequencyFilter | list[Filter | FrequencyFilter] | None
"""`where` of an Insights query."""


class InsightsQuery(TypedDict, total=False):
    """The keywords of `query()` / `build_params()` after `events` (see `query()` for each;
    `insights_params` gives those left out the seed's defaults)."""

    from_date: str | None
    to_date: str | None
    last: int
    unit: QueryTimeUnit
    math: MathType
    math_property: str | None
    per_user: PerUserAggregation | None
    percentile_value: int | float | None
    group_by: GroupByArg
    where: WhereArg
    formula: str | None
    formula_label: str | None
    rolling: int | None
    cumulative: bool
    mode: InsightsMode
    time_comparison: TimeComparison | None
    data_group_id: int | None


def _formula_problems(formulas: Sequence[Formula], count: int) -> list[Problem]:
    found: list[Problem] = []
    if any(f.metrics is None for f in formulas) and count < 2:
        found.append(
            Problem(
                "formula",
                f"a formula needs at least 2 metrics, got {count}",
                "V4_FORMULA_MIN_EVENTS",
            )
        )
    for i, formula in enumerate(formulas):
        path = f"formula[{i}]" if len(formulas) > 1 else "formula"
        if formula.metrics is not None:
            found += _operand_problems(formula, path)
            continue
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
        why = syntax_problem(formula.expression)
        if why is not None:
            found.append(Problem(path, f"{formula.expression!r}: {why}", "FM4_SYNTAX"))
    return found


def _series_problems(item: Any, path: str) -> list[Problem]:
    """What is wrong with one series (a saved metric names its own events)."""
    if isinstance(item, FunnelMetric | RetentionMetric):
        return metric_problems(item, path)
    if isinstance(item, Metric):
        return _metric_problems(item, path)
    if isinstance(item, str):
        return checks.event_name(item, path)
    if isinstance(item, CohortMetric | MetricRef):
        return []
    kinds = "an event name, Metric, CohortMetric, FunnelMetric, RetentionMetric or MetricRef"
    return [Problem(path, f"must be {kinds}, not {type(item).__name__}", "V21_INVALID_EVENT_TYPE")]


def _operand_problems(formula: Formula, path: str) -> list[Problem]:
    found: list[Problem] = []
    for j, operand in enumerate(formula.metrics or ()):
        found += _series_problems(operand, f"{path}.metrics[{j}]")
    return found + checks.custom_properties(metrics=list(formula.metrics or ()))


def _ignored_measurement(args: dict[str, Any]) -> list[Problem]:
    """Query-level measurement arguments when only saved metrics (and other typed metrics)
    would receive them: a saved metric keeps its saved measurement (V29)."""
    return [
        Problem(
            name,
            f"{name}={args[name]!r} applies to plain event names only and this query has none; "
            "set it on the MetricRef instead",
            "V29_QUERY_MEASUREMENT_IGNORED",
        )
        for name, default in _QUERY_MEASUREMENT
        if args[name] != default
    ]


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


def _refuse(path: str, message: str, code: str) -> None:
    checks.raise_problems([Problem(path, message, code)])


def split_events(
    events: Any, formula: str | None, formula_label: str | None
) -> tuple[list[Series], list[Formula]]:
    """The series and the formulas of `events` (plus the top-level `formula`); a
    `SavedMetric` becomes a reference to it."""
    if not isinstance(events, (*SERIES, SavedMetric, Formula, list, tuple)):
        _refuse(
            "events",
            "must be an event name, Metric, CohortMetric, FunnelMetric, RetentionMetric, "
            f"MetricRef, SavedMetric, Formula or a list of them, got {type(events).__name__}",
            "V21_INVALID_EVENT_TYPE",
        )
    items = list(events) if isinstance(events, list | tuple) else [events]
    if isinstance(events, Formula) and events.metrics is None:
        _refuse("events", "a Formula needs metrics beside it (or its own)", "V0_NO_EVENTS")
    metrics = [
        item.to_ref() if isinstance(item, SavedMetric) else item
        for item in items
        if not isinstance(item, Formula)
    ]
    formulas = [item for item in items if isinstance(item, Formula)]
    if formula is not None and formulas:
        _refuse(
            "formula", "give formula= or Formula items in events, not both", "V4_FORMULA_CONFLICT"
        )
    if formula is not None:
        formulas = [Formula(expression=formula, label=formula_label)]
    return metrics, formulas


def _rolling_problems(rolling: int | None, cumulative: bool) -> list[Problem]:
    if rolling is None:
        return []
    found = []
    if cumulative:
        found.append(
            Problem(
                "rolling", "rolling and cumulative exclude each other",
                "V5_ROLLING_CUMULATIVE_EXCLUSIVE",
            )
        )  # fmt: skip
    if rolling <= 0:
        found.append(
            Problem(
                "rolling", f"must be a positive number of periods, got {rolling}",
                "V6_ROLLING_POSITIVE",
            )
        )  # fmt: skip
    if rolling > MAX_ROLLING:
        found.append(
            Problem(
                "rolling", f"rolling={rolling} is more than {MAX_ROLLING}", "V23_ROLLING_TOO_LARGE"
            )
        )
    return found


def insights_params(
    events: Events, *, from_date: str | None = None, to_date: str | None = None,
    last: int = 30, unit: QueryTimeUnit = "day", math: MathType = "total",
    math_property: str | None = None, per_user: PerUserAggregation | None = None,
    percentile_value: int | float | None = None, group_by: GroupByArg = None,
    where: WhereArg = None, formula: str | None = None, formula_label: str | None = None,
    rolling: int | None = None, cumulative: bool = False, mode: InsightsMode = "timeseries",
    time_comparison: TimeComparison | None = None, data_group_id: int | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Check the arguments of `build_params()`, build its bookmark params and check them as
    `validate_bookmark` does (errors refuse them). The keywords are `InsightsQuery`'s; these
    are their defaults."""
    if where is not None and not isinstance(where, Filter | FrequencyFilter | list):
        _refuse(
            "where",
            f"must be a Filter, FrequencyFilter or list, got {type(where).__name__}",
            "V25_INVALID_FILTER_TYPE",
        )
    metrics, formulas = split_events(events, formula, formula_label)
    found = checks.data_group(data_group_id)
    if not metrics and all(f.metrics is None for f in formulas):
        found.append(Problem("events", "at least one event is required", "V0_NO_EVENTS"))
    for i, item in enumerate(metrics):
        found += _series_problems(item, f"events[{i}]")
    plain = any(isinstance(item, str) for item in metrics)
    if plain:
        found += _query_math_problems(math, math_property, per_user, percentile_value)
    elif any(isinstance(item, MetricRef) for item in metrics):
        found += _ignored_measurement(
            {"math": math, "math_property": math_property, "per_user": per_user,
             "percentile_value": percentile_value}
        )  # fmt: skip
    found += _formula_problems(formulas, len(metrics))
    found += _rolling_problems(rolling, cumulative)
    found += checks.window(from_date, to_date, last)
    found += checks.breakdowns(group_by)
    found += checks.custom_properties(where=where, metrics=metrics)
    found += checks.one_of(unit, values(QueryTimeUnit), "unit", "B_INVALID_UNIT")
    found += checks.one_of(mode, values(InsightsMode), "mode", "B_INVALID_MODE")
    checks.raise_problems(found)
    hidden = any(f.metrics is None for f in formulas)
    show = [
        series_clause(item, math=math, math_property=math_property, per_user=per_user,
                      percentile_value=percentile_value, hidden=hidden)
        for item in metrics
    ]  # fmt: skip
    show += [formula_clause(f) for f in formulas]
    display: dict[str, Any] = {"chartType": CHART_TYPES[mode], "analysis": "linear"}
    if rolling is not None:
        display |= {"analysis": "rolling", "rollingWindowSize": rolling}
    elif cumulative:
        display["analysis"] = "cumulative"
    params = assemble(
        show, display, from_date=from_date, to_date=to_date, last=last, unit=unit, where=where,
        group_by=group_by, time_comparison_=time_comparison, data_group_id=data_group_id,
        formula=False,
    )  # fmt: skip
    checks.raise_problems(
        Problem(e.path, e.message, e.code)
        for e in validate_bookmark(params)
        if e.severity == "error"
    )
    return params
