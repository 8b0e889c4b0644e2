"""Retention bookmark params from typed arguments: `retention_params()` behind
`AsyncWorkspace.build_retention_params()` and `query_retention()`. Every argument is checked
first (all problems in one `BookmarkValidationError`); then the same JSON as the peer's
`build_retention_params` is built: one `retention` metric over a birth and a return event."""

from __future__ import annotations

import itertools
from typing import Any, TypedDict

from mixpanel_async.reports import checks
from mixpanel_async.reports.breakdowns import CohortBreakdown, GroupBy, TimeComparison
from mixpanel_async.reports.checks import Problem
from mixpanel_async.reports.literals import (
    QueryTimeUnit,
    RetentionAlignment,
    RetentionMathType,
    RetentionMode,
    RetentionUnboundedMode,
    TimeUnit,
    values,
)
from mixpanel_async.reports.metrics import RetentionEvent, clause, step_behavior
from mixpanel_async.reports.sections import StepGroupBy, StepWhere, as_list, assemble

MAX_BUCKETS = 730
CHART_TYPES = {"curve": "retention-curve", "trends": "line", "table": "table"}


class RetentionQuery(TypedDict, total=False):
    """The keywords of `query_retention()` / `build_retention_params()` after the two events
    (see `query_retention()` for each; `retention_params` gives those left out the seed's
    defaults)."""

    retention_unit: TimeUnit
    alignment: RetentionAlignment
    bucket_sizes: list[int] | None
    from_date: str | None
    to_date: str | None
    last: int
    unit: QueryTimeUnit
    math: RetentionMathType
    group_by: StepGroupBy
    where: StepWhere
    mode: RetentionMode
    unbounded_mode: RetentionUnboundedMode | None
    retention_cumulative: bool
    time_comparison: TimeComparison | None
    data_group_id: int | None


def _sorting() -> dict[str, Any]:
    """The chart sorting Mixpanel's UI writes into a retention report."""
    by_value = {"sortBy": "value", "sortOrder": "desc"}
    return {
        "bar": {"colSortAttrs": [], "sortBy": "column"},
        "line": {"sortBy": "column", "colSortAttrs": [{**by_value, "valueField": "averageValue"}]},
        "table": {
            "sortBy": "column",
            "colSortAttrs": [{**by_value, "valueField": "size", "viewNLimit": 12}],
        },
    }


def _event_problems(event: Any, path: str, prefix: str) -> list[Problem]:
    name = event.event if isinstance(event, RetentionEvent) else event
    noun = path.upper()
    return checks.event_name(name, path, f"{prefix}_EMPTY_{noun}", prefix, noun)


def _bucket_problems(sizes: Any) -> list[Problem]:
    if sizes is None:
        return []
    if not isinstance(sizes, list | tuple):
        return [
            Problem(
                "bucket_sizes",
                f"must be a list of positive integers, got {type(sizes).__name__}",
                "R5_BUCKET_SIZES_POSITIVE",
            )
        ]
    found: list[Problem] = []
    whole = True
    for i, size in enumerate(sizes):
        if isinstance(size, float):
            whole = False
            found.append(
                Problem(
                    f"bucket_sizes[{i}]",
                    f"must be an integer, got {size!r}",
                    "R5_BUCKET_SIZES_INTEGER",
                )
            )
        elif isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            whole = False
            found.append(
                Problem(
                    "bucket_sizes",
                    f"holds {size!r}, not a positive integer",
                    "R5_BUCKET_SIZES_POSITIVE",
                )
            )
    if len(sizes) > MAX_BUCKETS:
        found.append(
            Problem(
                "bucket_sizes",
                f"at most {MAX_BUCKETS} buckets, got {len(sizes)}",
                "R5_BUCKET_SIZES_TOO_MANY",
            )
        )
    if whole and any(b <= a for a, b in itertools.pairwise(sizes)):
        found.append(
            Problem("bucket_sizes", "must be strictly ascending", "R6_BUCKET_SIZES_ASCENDING")
        )
    return found


def _group_problems(group_by: Any) -> list[Problem]:
    groups = as_list(group_by)
    found: list[Problem] = []
    for i, group in enumerate(groups):
        if isinstance(group, str) and not group.strip():
            path = f"group_by[{i}]" if len(groups) > 1 else "group_by"
            found.append(Problem(path, "must be a property name", "R12_EMPTY_GROUP_BY"))
    cohorts = any(isinstance(g, CohortBreakdown) for g in groups)
    if cohorts and any(isinstance(g, str | GroupBy) for g in groups):
        found.append(
            Problem(
                "group_by",
                "a retention query breaks down by cohorts or by properties, not both",
                "CB3_RETENTION_MIXED_BREAKDOWN",
            )
        )
    return found


def behavior_problems(
    born: Any, back: Any, unit: Any, alignment: Any, bucket_sizes: Any, unbounded_mode: Any
) -> list[Problem]:
    """What is wrong with a retention behaviour's events, buckets, unit, alignment and
    unbounded mode (R1, R2, R5-R8, R13)."""
    found = _event_problems(born, "born_event", "R1")
    found += _event_problems(back, "return_event", "R2")
    found += _bucket_problems(bucket_sizes)
    found += checks.one_of(unit, values(TimeUnit), "retention_unit", "R7_INVALID_RETENTION_UNIT")
    found += checks.one_of(
        alignment, values(RetentionAlignment), "alignment", "R8_INVALID_ALIGNMENT"
    )
    if unbounded_mode is not None:
        found += checks.one_of(
            unbounded_mode, values(RetentionUnboundedMode), "unbounded_mode",
            "R13_INVALID_UNBOUNDED_MODE",
        )  # fmt: skip
    return found


def retention_behavior(
    born: str | RetentionEvent, back: str | RetentionEvent, unit: str, alignment: str,
    bucket_sizes: list[int] | None, unbounded_mode: str | None,
) -> dict[str, Any]:  # fmt: skip
    """The `retention` behaviour: the birth and return events, the unit, the alignment and the
    custom buckets."""
    events = [e if isinstance(e, RetentionEvent) else RetentionEvent(e) for e in (born, back)]
    behavior: dict[str, Any] = {
        "type": "retention",
        "resourceType": "events",
        "behaviors": [step_behavior(e.event, e.filters, e.filters_combinator) for e in events],
        "retentionUnit": unit,
        "retentionAlignmentType": alignment,
        "retentionCustomBucketSizes": list(bucket_sizes or []),
        "filter": [],
    }
    if unbounded_mode is not None:
        behavior["retentionUnboundedMode"] = unbounded_mode
    return behavior


def retention_params(
    born_event: str | RetentionEvent, return_event: str | RetentionEvent, *,
    retention_unit: TimeUnit = "week", alignment: RetentionAlignment = "birth",
    bucket_sizes: list[int] | None = None, from_date: str | None = None,
    to_date: str | None = None, last: int = 30, unit: QueryTimeUnit = "day",
    math: RetentionMathType = "retention_rate", group_by: StepGroupBy = None,
    where: StepWhere = None, mode: RetentionMode = "curve",
    unbounded_mode: RetentionUnboundedMode | None = None, retention_cumulative: bool = False,
    time_comparison: TimeComparison | None = None, data_group_id: int | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Check the arguments of `build_retention_params()` and build its bookmark params. The
    keywords are `RetentionQuery`'s; these are their defaults."""
    checks.raise_problems(checks.where_type(where))
    found = checks.data_group(data_group_id)
    found += behavior_problems(
        born_event, return_event, retention_unit, alignment, bucket_sizes, unbounded_mode
    )
    found += checks.window(from_date, to_date, last)
    found += checks.breakdowns(group_by)
    found += checks.custom_properties(where=where, steps=[born_event, return_event])
    found += checks.one_of(math, values(RetentionMathType), "math", "R9_INVALID_MATH")
    found += checks.one_of(mode, values(RetentionMode), "mode", "R10_INVALID_MODE")
    found += checks.one_of(unit, values(TimeUnit), "unit", "R11_INVALID_UNIT")
    found += _group_problems(group_by)
    checks.raise_problems(found)
    behavior = retention_behavior(
        born_event, return_event, retention_unit, alignment, bucket_sizes, unbounded_mode
    )
    measure: dict[str, Any] = {"math": math}
    if retention_cumulative:
        measure["retentionCumulative"] = True
    params = assemble(
        [clause(behavior, measure)], {"chartType": CHART_TYPES[mode]}, from_date=from_date,
        to_date=to_date, last=last, unit=unit, where=where, group_by=group_by,
        time_comparison_=time_comparison, data_group_id=data_group_id, formula=True,
    )  # fmt: skip
    params["sorting"] = _sorting()
    params["columnWidths"] = {"bar": {}}
    return params
