"""Results of typed Insights queries (`query()`, `run_params()`): the seed's `QueryResult`."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, TypedDict

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.results._common import Result
from mixpanel_async.results.insights import segment_columns, series_frame

if TYPE_CHECKING:
    import polars as pl
else:
    pl = LazyModule("polars")

DATED_CHARTS = frozenset({"line", "column", "stacked-line", "stacked-column"})
"""Chart types whose series are keyed by date (the others by `all`)."""


class QueryMeta(TypedDict, total=False):
    """How Mixpanel ran a query (each key only when Mixpanel says so).

    Attributes:
        sampling_factor: The share of events read (1.0: all of them).
        is_cached: Whether the answer came from Mixpanel's cache.
        computation_time: How long Mixpanel computed, in milliseconds.
        query_id: Mixpanel's id of this run.
    """

    sampling_factor: float
    is_cached: bool
    computation_time: float
    query_id: str


@attrs.frozen
class QueryResult(Result):
    """An Insights answer: `series` as `{metric: {date: value}}` (or `{"all": value}` for
    totals; a level of segments per breakdown in between), `headers` naming those levels, the
    window (`from_date`, `to_date`), `params` (the bookmark that was run) and `meta`."""

    computed_at: str
    from_date: str
    to_date: str
    headers: list[str] = attrs.field(factory=list)
    series: dict[str, Any] = attrs.field(factory=dict)
    params: dict[str, Any] = attrs.field(factory=dict)
    meta: dict[str, Any] = attrs.field(factory=dict)

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """One row per date, metric and segment: `date` (absent for totals; a timestamp's UTC
        offset cut off, `2024-03-10T00:00:00`), `event`, one column per breakdown (named from
        `headers`, rollups read `$overall`), `count`. With no rows, the columns come from the
        request: `date` for a dated chart (or none named), the breakdowns from `headers`."""
        table = series_frame(self.series, self.headers)
        if table.is_empty():
            return empty_frame(self.headers, self.params)
        if "date" not in table.columns:
            return table
        date = pl.col("date")
        local = (date.str.len_chars() > 19) & date.str.contains("T", literal=True)
        return table.with_columns(pl.when(local).then(date.str.slice(0, 19)).otherwise(date))

    @classmethod
    def from_answer(cls, answer: dict[str, Any], params: dict[str, Any]) -> QueryResult:
        """The result of running `params`, from Mixpanel's answer."""
        window = answer.get("date_range") or {}
        return cls(
            computed_at=str(answer.get("computed_at", "")),
            from_date=str(window.get("from_date", "")),
            to_date=str(window.get("to_date", "")),
            headers=list(answer.get("headers") or []),
            series=dict(answer["series"]),
            params=params,
            meta=dict(answer.get("meta") or {}),
        )


def empty_frame(headers: list[str], params: dict[str, Any]) -> pl.DataFrame:
    """The columns of a `QueryResult.df` without rows, read from the bookmark's chart type and
    the answer's `headers` (the metric's header first, then one per breakdown)."""
    display = params.get("displayOptions")
    chart = display.get("chartType") if isinstance(display, dict) else None
    dated = not isinstance(chart, str) or chart in DATED_CHARTS
    depth = len(headers) - 1 if headers and headers[0] in ("$metric", "$event") else 0
    schema: dict[str, Any] = {"date": pl.String} if dated else {}
    schema |= {"event": pl.String, **dict.fromkeys(segment_columns(headers, depth), pl.String)}
    return pl.DataFrame(schema=schema | {"count": pl.Float64})
