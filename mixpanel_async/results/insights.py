"""Result of `query_saved_report()` (the seed's `SavedReportResult`, with Polars frames), and
Insights `series` trees as tidy rows.

An Insights answer maps each metric to `{date: value}` (or `{"all": value}` for a total), with
one level of segment keys per breakdown in between and a `$overall` rollup at every level
(`{metric: {"$overall": {...}, "US": {...}}}`). A branch that stops early is a rollup, so its
missing levels read `$overall`. One breakdown gives one `segment` column, as the seed's frames
have it; with several, `headers` names the levels (`$event` or `$metric`, then each breakdown
property) and the columns take those names unless they are missing, repeated or clash with
`date`/`event`/`count`, in which case they are `segment_1`.. `segment_N`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.results._common import Result, as_dict, rows_frame
from mixpanel_async.results.flows import nodes_frame

if TYPE_CHECKING:
    import polars as pl
else:
    pl = LazyModule("polars")

OVERALL = "$overall"
_RESERVED = {"date", "event", "count"}


def _is_leaf(node: Mapping[str, Any]) -> bool:
    return not any(isinstance(value, Mapping) for value in node.values())


def _depth(node: Any) -> int:
    if not isinstance(node, Mapping) or _is_leaf(node):
        return 0
    return 1 + max(_depth(child) for child in node.values())


def _leaves(
    node: Mapping[str, Any], path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Any]]:
    if _is_leaf(node):
        yield path, node
        return
    for key, child in node.items():
        if not isinstance(child, Mapping):
            continue
        # `$overall` is the rollup of this level, not a segment below it
        yield from _leaves(child, path if key == OVERALL and _is_leaf(child) else (*path, key))


def segment_columns(headers: Sequence[str], depth: int) -> list[str]:
    """Names of the `depth` segment columns (see the module docstring)."""
    if depth == 1:
        return ["segment"]
    names = list(headers[1:]) if headers and headers[0] in ("$event", "$metric") else []
    if (
        len(names) == depth
        and all(names)
        and len(set(names)) == depth
        and not _RESERVED & set(names)
    ):
        return names
    return [f"segment_{i}" for i in range(1, depth + 1)]


def series_frame(series: Mapping[str, Any], headers: Sequence[str]) -> pl.DataFrame:
    """One row per (date, metric, segment path): `date` (left out for totals), `event`, the
    segment columns, `count` (Float64)."""
    metrics = {name: node for name, node in series.items() if isinstance(node, Mapping)}
    depth = max((_depth(node) for node in metrics.values()), default=0)
    if not metrics:
        depth = max(len(headers) - 1, 0)
    columns = segment_columns(headers, depth)
    rows: list[dict[str, Any]] = []
    dated = not metrics
    for name, node in metrics.items():
        for path, leaf in _leaves(node, ()):
            segments = dict(zip(columns, (*path, *[OVERALL] * (depth - len(path))), strict=True))
            for key, value in leaf.items():
                row: dict[str, Any] = {"event": name, **segments, "count": value}
                if key != "all":
                    dated = True
                    row["date"] = key
                rows.append(row)
    schema: dict[str, Any] = {"date": pl.String} if dated else {}
    schema |= {"event": pl.String, **dict.fromkeys(columns, pl.String), "count": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row", strict=False)


SavedReportType = Literal["insights", "funnel", "retention", "flows"]


@functools.cache
def _funnel_schema() -> dict[str, Any]:
    """Column types of the funnel frame (built on first use, with polars)."""
    return {
        "date": pl.String,
        "step": pl.Int64,
        "event": pl.String,
        "count": pl.Int64,
        "step_conv_ratio": pl.Float64,
        "overall_conv_ratio": pl.Float64,
    }


@functools.cache
def _retention_schema() -> dict[str, Any]:
    """Column types of the retention frame (built on first use, with polars)."""
    return {"date": pl.String, "first": pl.Int64, "interval": pl.Int64, "count": pl.Int64}


def _funnel_rows(series: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for day, body in sorted(series.items()):
        steps = body.get("steps", body.get("$overall", [])) if isinstance(body, dict) else body
        for number, step in enumerate(steps or [], start=1):
            rows.append(
                {
                    "date": day,
                    "step": number,
                    "event": step.get("event", step.get("goal")),
                    "count": step.get("count"),
                    "step_conv_ratio": step.get("step_conv_ratio"),
                    "overall_conv_ratio": step.get("overall_conv_ratio"),
                }
            )
    return rows


@attrs.frozen
class SavedReportResult(Result):
    """The answer of a saved report, by bookmark id. `report_type` comes from `headers`
    (`$funnel`, `$retention`, `$flows`, else insights); `series` is the report's data as Mixpanel
    sends it: funnels `{date: {"steps": [...], "analysis": {...}}}`, retention
    `{date: {"first": n, "counts": [...]}}`, insights `{metric: {date: value}}`."""

    bookmark_id: int
    computed_at: str
    from_date: str
    to_date: str
    headers: list[str] = attrs.field(factory=list)
    series: dict[str, Any] = attrs.field(factory=dict)

    @property
    def report_type(self) -> SavedReportType:
        """The report kind (`insights`, `funnel`, `retention`, `flows`), read from its headers."""
        for header in self.headers:
            for kind in ("retention", "funnel", "flows"):
                if f"${kind}" in header.lower():
                    return kind
        return "insights"

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """Tidy rows by report type. Funnel: `date`, `step` (from 1), `event`, `count`,
        `step_conv_ratio`, `overall_conv_ratio`. Retention: `date`, `first` (the cohort),
        `interval` (from 0), `count`. Flows: one row per Sankey node, as `FlowsResult.df`.
        Insights: `date` (not for totals), `event`, one column per breakdown (named from
        `headers`; rollups read `$overall`), `count`."""
        kind = self.report_type
        if kind == "funnel":
            return rows_frame(_funnel_rows(self.series), _funnel_schema())
        if kind == "flows":
            steps = self.series.get("steps")
            return nodes_frame(steps if isinstance(steps, list) else [])
        if kind == "retention":
            rows = [
                {"date": day, "first": body.get("first"), "interval": i, "count": n}
                for day, body in sorted(self.series.items())
                if isinstance(body, dict)
                for i, n in enumerate(body.get("counts") or [])
            ]
            return rows_frame(rows, _retention_schema())
        return series_frame(self.series, self.headers)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data, with its kind."""
        return {**as_dict(self), "report_type": self.report_type}
