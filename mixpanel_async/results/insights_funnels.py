"""Results of typed funnel and retention queries (`query_funnel()`, `query_retention()` and
their `run_*_params()`): the seed's `FunnelQueryResult` and `RetentionQueryResult`, read from
the `series` of Mixpanel's `/insights` answer."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, TypedDict

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.exceptions import QueryError
from mixpanel_async.results._common import Result, rows_frame

if TYPE_CHECKING:
    import polars as pl
else:
    pl = LazyModule("polars")

_STEP_NAME = re.compile(r"^(\d+)\.\s*(.+)$")
STEP_METRICS = ("count", "step_conv_ratio", "overall_conv_ratio", "avg_time", "avg_time_from_start")


@functools.cache
def funnel_schema() -> dict[str, Any]:
    """Column types of the funnel steps frame (built on first use, with polars)."""
    return {
        "step": pl.Int64,
        "event": pl.String,
        "count": pl.Float64,
        "step_conv_ratio": pl.Float64,
        "overall_conv_ratio": pl.Float64,
        "avg_time": pl.Float64,
        "avg_time_from_start": pl.Float64,
    }


OVERALL = "$overall"
AVERAGE = "$average"


class FunnelStepData(TypedDict):
    """One step of `FunnelQueryResult.steps_data`: who reached it and how fast.

    Attributes:
        event: The step's event.
        count: Users (or events) that reached the step.
        step_conv_ratio: The share of the previous step that reached this one (0..1).
        overall_conv_ratio: The share of the first step that reached this one (0..1).
        avg_time: Mean seconds from the previous step.
        avg_time_from_start: Mean seconds from the first step.
    """

    event: str
    count: int
    step_conv_ratio: float
    overall_conv_ratio: float
    avg_time: float
    avg_time_from_start: float


class RetentionCohortData(TypedDict):
    """One cohort of `RetentionQueryResult.cohorts`: its size and who came back per bucket.

    Attributes:
        first: Users born in the cohort's period.
        counts: Users retained in each bucket (bucket 0 is the birth bucket, equal to `first`).
        rates: `counts` as shares of `first` (bucket 0 is 1.0).
    """

    first: int
    counts: list[int]
    rates: list[float]


def _metrics_node(series: dict[str, Any]) -> dict[str, Any] | None:
    """The `{metric: {step: ...}}` node of a funnel answer: directly under the funnel's key, or
    under its `$overall` (breakdowns), or under its first date (trends)."""
    for node in series.values():
        if not isinstance(node, dict):
            continue
        if "count" in node:
            return node
        overall = node.get(OVERALL)
        if isinstance(overall, dict) and "count" in overall:
            return overall
        for inner in node.values():
            if isinstance(inner, dict) and "count" in inner:
                return inner
    return None


def _step_order(name: str) -> tuple[int, str]:
    match = _STEP_NAME.match(name)
    return (int(match.group(1)), name) if match else (1 << 31, name)


def _value(metrics: dict[str, Any], metric: str, step: str) -> Any:
    """One metric of one step (the `all` segment when the value is per segment; 0 if absent)."""
    per_step = metrics.get(metric)
    found = per_step.get(step) if isinstance(per_step, dict) else None
    if isinstance(found, dict):
        return found.get("all", 0)
    return 0 if found is None else found


def funnel_steps(series: Any) -> list[dict[str, Any]]:
    """The steps of a funnel answer, in order: `event` and the five step metrics each."""
    if isinstance(series, list):
        return series
    if not isinstance(series, dict):
        return []
    for holder in (series, series.get(OVERALL)):
        if isinstance(holder, dict) and isinstance(holder.get("steps"), list):
            return list(holder["steps"])
    if isinstance(series.get(OVERALL), list):
        return list(series[OVERALL])
    metrics = _metrics_node(series)
    counts = metrics.get("count") if metrics is not None else None
    if metrics is None or not isinstance(counts, dict):
        return []
    steps = []
    for name in sorted(counts, key=_step_order):
        match = _STEP_NAME.match(name)
        step = {"event": match.group(2) if match else name}
        step |= {metric: _value(metrics, metric, name) for metric in STEP_METRICS}
        steps.append(step)
    return steps


def _check_answer(answer: dict[str, Any], kind: str) -> dict[str, Any]:
    if "error" in answer:
        raise QueryError(f"{kind} query failed: {answer['error']}", status_code=200)
    series = answer.get("series")
    if not isinstance(series, dict):
        raise QueryError(
            f"{kind} answer has no series object (keys: {sorted(answer)})", status_code=200
        )
    return series


@attrs.frozen
class FunnelQueryResult(Result):
    """A funnel answer: `steps_data` (per step: `event`, `count`, `step_conv_ratio`,
    `overall_conv_ratio`, `avg_time`, `avg_time_from_start`), the raw `series`, the window,
    `params` (the bookmark that was run) and `meta`."""

    computed_at: str
    from_date: str
    to_date: str
    steps_data: list[dict[str, Any]] = attrs.field(factory=list)
    series: dict[str, Any] = attrs.field(factory=dict)
    params: dict[str, Any] = attrs.field(factory=dict)
    meta: dict[str, Any] = attrs.field(factory=dict)

    @property
    def overall_conversion_rate(self) -> float:
        """The share of users who entered the funnel and finished it (0.0 with no steps)."""
        if not self.steps_data:
            return 0.0
        return float(self.steps_data[-1].get("overall_conv_ratio", 0.0))

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """One row per step: `step` (1-based), `event`, `count`, `step_conv_ratio`,
        `overall_conv_ratio`, `avg_time`, `avg_time_from_start`."""
        rows = [
            {"step": i, "event": step.get("event", f"Step {i}")}
            | {metric: step.get(metric, 0) for metric in STEP_METRICS}
            for i, step in enumerate(self.steps_data, start=1)
        ]
        return rows_frame(rows, funnel_schema())

    @classmethod
    def from_answer(cls, answer: dict[str, Any], params: dict[str, Any]) -> FunnelQueryResult:
        """The result of running `params`, from Mixpanel's answer (`QueryError` for an answer
        with an `error` or without `series`)."""
        series = _check_answer(answer, "Funnel")
        window = answer.get("date_range") or {}
        return cls(
            computed_at=str(answer.get("computed_at", "")),
            from_date=str(window.get("from_date", "")),
            to_date=str(window.get("to_date", "")),
            steps_data=funnel_steps(series),
            series=dict(series),
            params=params,
            meta=dict(answer.get("meta") or {}),
        )


def _cohorts(node: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The cohorts of one node (keyed by day, timestamps cut to the day) and its `$average`."""
    cohorts: dict[str, dict[str, Any]] = {}
    average: dict[str, Any] = {}
    for key, value in node.items():
        if key == AVERAGE:
            average = value if isinstance(value, dict) else {}
        elif isinstance(value, dict):
            cohorts[key[:10] if "T" in key else key] = value
    return cohorts, average


def _bucket_rows(cohorts: dict[str, dict[str, Any]], segment: str | None) -> list[dict[str, Any]]:
    rows = []
    for day in sorted(cohorts):
        counts = cohorts[day].get("counts") or []
        rates = cohorts[day].get("rates") or []
        for i, count in enumerate(counts):
            row = {"cohort_date": day, "bucket": i, "count": count}
            row["rate"] = rates[i] if i < len(rates) else 0.0
            rows.append(row if segment is None else {"segment": segment, **row})
    return rows


@attrs.frozen
class RetentionQueryResult(Result):
    """A retention answer: `cohorts` (per birth day: `first`, the cohort's size; `counts` and
    `rates` per bucket), their `average`, per-segment cohorts and averages for a breakdown,
    the window, `params` (the bookmark that was run) and `meta`."""

    computed_at: str
    from_date: str
    to_date: str
    cohorts: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    average: dict[str, Any] = attrs.field(factory=dict)
    params: dict[str, Any] = attrs.field(factory=dict)
    meta: dict[str, Any] = attrs.field(factory=dict)
    segments: dict[str, dict[str, dict[str, Any]]] = attrs.field(factory=dict)
    segment_averages: dict[str, dict[str, Any]] = attrs.field(factory=dict)

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """One row per cohort and bucket: `cohort_date`, `bucket` (0-based), `count`, `rate`;
        with a breakdown, a leading `segment` column and the segments' rows instead."""
        schema: dict[str, Any] = {
            "cohort_date": pl.String, "bucket": pl.Int64, "count": pl.Float64,
            "rate": pl.Float64,
        }  # fmt: skip
        if not self.segments:
            return rows_frame(_bucket_rows(self.cohorts, None), schema)
        rows = [
            row for name in sorted(self.segments) for row in _bucket_rows(self.segments[name], name)
        ]
        return rows_frame(rows, {"segment": pl.String, **schema})

    @classmethod
    def from_answer(cls, answer: dict[str, Any], params: dict[str, Any]) -> RetentionQueryResult:
        """The result of running `params`, from Mixpanel's answer: the one metric's node holds
        the cohorts, or `$overall` and one node per segment (`QueryError` for an answer with an
        `error`, without `series`, or with more than one metric)."""
        series = _check_answer(answer, "Retention")
        if len(series) > 1:
            raise QueryError(
                f"Retention answer holds {len(series)} metrics, not one: {sorted(series)}",
                status_code=200,
            )
        node: Any = next(iter(series.values()), {})
        if not isinstance(node, dict):
            raise QueryError(
                f"Retention series holds a {type(node).__name__}, not cohorts", status_code=200
            )
        segments: dict[str, dict[str, dict[str, Any]]] = {}
        averages: dict[str, dict[str, Any]] = {}
        if isinstance(node.get(OVERALL), dict):
            cohorts, average = _cohorts(node[OVERALL])
            for name, inner in node.items():
                if name != OVERALL and isinstance(inner, dict):
                    segments[name], seg_average = _cohorts(inner)
                    if seg_average:
                        averages[name] = seg_average
        else:
            cohorts, average = _cohorts(node)
        window = answer.get("date_range") or {}
        return cls(
            computed_at=str(answer.get("computed_at", "")),
            from_date=str(window.get("from_date", "")),
            to_date=str(window.get("to_date", "")),
            cohorts=cohorts,
            average=average,
            params=params,
            meta=dict(answer.get("meta") or {}),
            segments=segments,
            segment_averages=averages,
        )
