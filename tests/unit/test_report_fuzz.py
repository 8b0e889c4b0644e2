"""Saved-report JSON from untrusted callers never crashes the engines: valid insights, flows,
funnel and retention bookmarks with one part replaced by junk (seeded, so failures replay)
either compute or raise ValueError, which the routes answer with a 400. Anything else would be
a 500."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import random
from typing import Any

import polars as pl
import pytest

from mixpanel_async.emulator.engine import (
    flow_paths,
    flows,
    insights,
    insights_funnels,
    insights_retention,
    people,
    saved_reports,
)
from mixpanel_async.emulator.engine import funnels as funnel_engine
from mixpanel_async.emulator.engine import retention as retention_engine
from mixpanel_async.emulator.engine.expressions import ExpressionError
from tests.unit.test_query_engine import frame_of, make_rows

TODAY = dt.date(2024, 3, 20)
JUNK: list[Any] = [None, [], {}, "", "x", -1, 0, 10**12, 1e309, float("nan"), True, [None],
                   [{}], {"a": []}, "2024-02-30", ["2024-03-01"], {"value": None}]  # fmt: skip
INSIGHTS = {
    "sections": {
        "show": [{"type": "metric",
                  "behavior": {"type": "event", "name": "View", "filtersDeterminer": "any",
                               "filters": [{"value": "country", "filterOperator": "equals",
                                            "filterValue": ["US"], "resourceType": "events"}]},
                  "measurement": {"math": "p90", "property": {"name": "price"}}}],
        "time": [{"dateRangeType": "between", "unit": "day",
                  "value": ["2024-03-08", "2024-03-12"]}],
        "filter": [{"value": "price", "filterOperator": "is between", "filterValue": [1, 30]}],
        "group": [{"value": "plan", "resourceType": "events"}],
    },
    "displayOptions": {"chartType": "line", "analysis": "linear"},
}  # fmt: skip
FLOWS = {
    "steps": [{"event": "View", "forward": 2, "reverse": 1, "property_filter_params_list": []}],
    "date_range": {"type": "between", "from_date": "2024-03-08", "to_date": "2024-03-12"},
    "count_type": "unique", "cardinality_threshold": 3, "collapse_repeated": True,
    "conversion_window": {"unit": "day", "value": 7}, "hidden_events": ["Sign Up"],
}  # fmt: skip
FUNNEL = {
    "sections": {
        "show": [{"behavior": {"type": "funnel", "conversionWindowDuration": 2,
                               "conversionWindowUnit": "day",
                               "behaviors": [{"type": "event", "name": "View", "filters": []},
                                             {"type": "event", "name": "Purchase"}]}}],
        "time": [{"dateRangeType": "between", "value": ["2024-03-08", "2024-03-12"]}],
        "filter": [{"value": "amount", "filterOperator": "is set"}],
        "group": [{"value": "plan"}],
    },
}  # fmt: skip


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key/index path inside a JSON value."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += paths(child, (*prefix, i))
    return found


def mutated(base: Any, rng: random.Random) -> Any:
    doc = copy.deepcopy(base)
    path = rng.choice(paths(doc))
    junk = copy.deepcopy(rng.choice(JUNK))
    if not path:
        return junk
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    if rng.random() < 0.2 and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = junk
    return doc


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return frame_of(make_rows(3, n=600))


PROFILES = {f"u{i}": {"tier": ["gold", "silver"][i % 2], "age": i} for i in range(0, 120, 3)}
COHORTS = [{"id": 4, "name": "Old", "where": 'properties["age"] > 50'},
           {"id": 5, "name": "Few", "distinct_ids": ["u1", "u2"]}]  # fmt: skip


def _with_people(frame: pl.DataFrame, report: Any, run: Any) -> None:
    data = people.UserData.of(report, PROFILES, COHORTS, frame, "America/New_York", TODAY)
    with people.provided(data):
        run(frame, report, "America/New_York")


def _insights(frame: pl.DataFrame, params: Any) -> None:
    _with_people(frame, insights.parse(params, TODAY), insights.run)


FREQUENCY = {"aggregationOperator": "total", "behaviorType": "$frequency", "dateRange": None,
             "event": {"label": "Purchase", "value": "Purchase"}, "filtersOperator": "and",
             "filters": [{"value": "amount", "filterOperator": "is set"}]}  # fmt: skip
INSIGHTS_PEOPLE = copy.deepcopy(INSIGHTS)
INSIGHTS_PEOPLE["sections"]["show"].append(
    {"type": "metric", "behavior": {"type": "event", "name": "Purchase"},
     "measurement": {"math": "custom_percentile", "percentile": 95,
                     "property": {"name": "age", "resourceType": "people"}}},
)  # fmt: skip
INSIGHTS_PEOPLE["sections"]["filter"] = [
    {"value": "tier", "resourceType": "people", "filterOperator": "equals",
     "filterValue": ["gold"]},
    {"value": "$cohorts", "filterOperator": "does not contain",
     "filterValue": [{"cohort": {"id": 5, "name": "Few", "negated": False}}]},
    {"resourceType": "people", "behavior": FREQUENCY, "filterOperator": "is at least",
     "filterValue": 1, "value": "Purchase Frequency"},
    {"value": "seen", "filterOperator": "was in the", "filterValue": 30, "filterDateUnit": "day"},
]  # fmt: skip
INSIGHTS_PEOPLE["sections"]["group"] = [
    {"value": ["Old", "Not In Old"], "cohorts": [{"id": 4, "name": "Old", "negated": False},
                                                 {"id": 4, "name": "Old", "negated": True}]},
    {"resourceType": "people", "behavior": FREQUENCY, "value": "Purchase Frequency",
     "customBucket": {"bucketSize": 2, "min": 0, "max": 6}},
]  # fmt: skip
INSIGHTS_PEOPLE["displayOptions"] = {
    "chartType": "line",
    "timeComparison": {"type": "relative", "value": "month"},
}
INSIGHTS_COHORT = {
    "sections": {"show": [{"type": "metric", "measurement": {"math": "unique"},
                           "behavior": {"type": "cohort", "id": 4, "name": ""}}],
                 "time": INSIGHTS["sections"]["time"]},
    "displayOptions": {"chartType": "line"},
}  # fmt: skip


def _flows(frame: pl.DataFrame, params: Any) -> None:
    flows.sankey(frame, flows.parse_spec(params, TODAY), timezone="UTC")


RETENTION = copy.deepcopy(FUNNEL)
RETENTION["sections"]["show"][0]["behavior"]["type"] = "retention"
RETENTION["sections"]["show"][0]["behavior"]["retentionUnit"] = "day"


def _funnel(frame: pl.DataFrame, params: Any) -> None:
    spec = saved_reports.funnel_spec(params)
    funnel_engine.funnel(frame, from_date="2024-03-08", to_date="2024-03-12", **spec)


def _retention(frame: pl.DataFrame, params: Any) -> None:
    retention_engine.retention(frame, **saved_reports.retention_spec(params, TODAY))


INSIGHTS_FUNNEL = copy.deepcopy(FUNNEL)
INSIGHTS_FUNNEL["sections"]["show"][0]["behavior"].update(
    funnelOrder="loose", exclusions=[{"event": "Purchase", "steps": {"from": 1, "to": 2}}],
    aggregateBy=[{"value": "country", "resourceType": "events"}],
)  # fmt: skip
INSIGHTS_FUNNEL["sections"]["show"][0]["measurement"] = {"math": "conversion_rate_unique"}
INSIGHTS_FUNNEL["displayOptions"] = {"chartType": "line"}
INSIGHTS_RETENTION = copy.deepcopy(RETENTION)
INSIGHTS_RETENTION["sections"]["show"][0]["behavior"].update(
    retentionAlignmentType="interval_start", retentionCustomBucketSizes=[1, 3]
)
INSIGHTS_FUNNEL_PEOPLE = copy.deepcopy(INSIGHTS_FUNNEL)
INSIGHTS_FUNNEL_PEOPLE["sections"]["filter"] = INSIGHTS_PEOPLE["sections"]["filter"]
INSIGHTS_FUNNEL_PEOPLE["sections"]["group"] = [{"value": "tier", "resourceType": "people"}]
INSIGHTS_FUNNEL_PEOPLE["sections"]["show"][0]["measurement"] = {"math": "conversion_rate_total"}
FLOW_PATHS = copy.deepcopy(FLOWS)
FLOW_PATHS["steps"][0]["property_filter_params_list"] = [
    {"property": {"name": "plan", "source": "properties", "type": "string"},
     "type": "string", "filter": {"operator": "==", "operand": ["pro"]}},
]  # fmt: skip
FLOW_TREE = copy.deepcopy(FLOW_PATHS)
FLOW_TREE["steps"][0]["reverse"] = 0


def _insights_funnel(frame: pl.DataFrame, params: Any) -> None:
    _with_people(frame, insights_funnels.parse(params, TODAY, 3), insights_funnels.run)


def _insights_retention(frame: pl.DataFrame, params: Any) -> None:
    _with_people(frame, insights_retention.parse(params, TODAY, 3), insights_retention.run)


def _flow_paths(frame: pl.DataFrame, params: Any) -> None:
    flow_paths.answer(frame, flows.parse_spec(params, TODAY), "paths", timezone="UTC")


def _flow_tree(frame: pl.DataFrame, params: Any) -> None:
    flow_paths.answer(frame, flows.parse_spec(params, TODAY), "tree", timezone="UTC")


@pytest.mark.parametrize(
    ("base", "run"),
    [(INSIGHTS, _insights), (FLOWS, _flows), (FUNNEL, _funnel), (RETENTION, _retention),
     (INSIGHTS_FUNNEL, _insights_funnel), (INSIGHTS_RETENTION, _insights_retention),
     (FLOW_PATHS, _flow_paths), (FLOW_TREE, _flow_tree), (INSIGHTS_PEOPLE, _insights),
     (INSIGHTS_COHORT, _insights), (INSIGHTS_FUNNEL_PEOPLE, _insights_funnel)],
    ids=["insights", "flows", "funnel", "retention", "insights-funnel", "insights-retention",
         "flow-paths", "flow-tree", "insights-people", "insights-cohort", "funnel-people"],
)  # fmt: skip
@pytest.mark.parametrize("seed", range(4))
def test_junk_is_a_value_error(frame: pl.DataFrame, base: Any, run: Any, seed: int) -> None:
    rng = random.Random(seed)
    run(frame, base)  # the unmutated report computes
    for _ in range(60):
        params = mutated(base, rng)
        with contextlib.suppress(ValueError, ExpressionError):
            run(frame, params)
