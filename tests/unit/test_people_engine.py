"""Per-user values in the Insights engines (`engine.people`, `engine.user_keys`): people
properties in filters, breakdowns and maths, saved cohorts as filters, breakdowns and metrics,
event frequencies as filters and breakdowns; funnel and retention reports filtered and broken
down by them. Checked against DuckDB SQL over the same events and profiles (as-of-now profile
values joined to every event by its user)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import duckdb
import polars as pl
import pytest

from mixpanel_async.emulator.engine import insights, insights_funnels, insights_retention, people
from tests.unit.test_query_engine import FROM, TO, assert_close, bounds, frame_of, make_rows

TODAY = dt.date(2024, 3, 20)
COHORTS = [
    {"id": 7, "name": "Seniors", "where": 'properties["age"] >= 40'},
    {"id": 8, "name": "Listed", "distinct_ids": ["u1", "u2", "u3", "nobody"]},
]


@pytest.fixture(scope="module")
def rows() -> list[Any]:
    return make_rows(11, dupes=False)


@pytest.fixture(scope="module")
def frame(rows: list[Any]) -> pl.DataFrame:
    return frame_of(rows)


@pytest.fixture(scope="module")
def profiles() -> dict[str, dict[str, Any]]:
    rng = random.Random(5)
    out: dict[str, dict[str, Any]] = {}
    for did in [f"u{i}" for i in range(120)] + ["ünï", "42"]:
        if rng.random() < 0.15:
            continue  # no profile
        props: dict[str, Any] = {"$name": did}
        if (tier := rng.choice(["gold", "silver", "bronze", None])) is not None:
            props["tier"] = tier
        if rng.random() < 0.9:
            props["age"] = rng.randrange(18, 70)
        out[did] = props
    return out


@pytest.fixture(scope="module")
def duck(rows: list[Any], profiles: dict[str, dict[str, Any]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE ev (event VARCHAR, u VARCHAR, time BIGINT, props VARCHAR)")
    con.executemany("INSERT INTO ev VALUES (?, ?, ?, ?)", [(e, u, t, p) for e, u, t, _, p in rows])
    con.execute("CREATE TABLE prof (u VARCHAR, tier VARCHAR, age BIGINT)")
    con.executemany(
        "INSERT INTO prof VALUES (?, ?, ?)",
        [(u, p.get("tier"), p.get("age")) for u, p in profiles.items()],
    )
    start, end = bounds(FROM, TO, "UTC")
    con.execute(
        f"""CREATE VIEW e AS SELECT ev.*, prof.tier, prof.age, prof.u IS NOT NULL AS has_profile
            FROM ev LEFT JOIN prof USING (u) WHERE time >= {start} AND time < {end}"""
    )
    return con


def totals(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, Any]:
    """`{segment: {"all": value}}` from rows of (segment, value)."""
    return {str(s): {"all": v} for s, v in con.execute(sql).fetchall()}


def report(
    shown: list[dict[str, Any]],
    where: list[dict[str, Any]] | None = None,
    groups: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "sections": {
            "show": shown,
            "time": [{"dateRangeType": "between", "unit": "day", "value": [FROM, TO]}],
            "filter": where or [],
            "group": groups or [],
        },
        "displayOptions": {"chartType": "bar"},
    }


def event(name: str, math: str = "total", prop: dict[str, Any] | None = None) -> dict[str, Any]:
    measurement: dict[str, Any] = {"math": math, **({"property": prop} if prop else {})}
    return {"type": "metric", "behavior": {"type": "event", "name": name},
            "measurement": measurement}  # fmt: skip


def people_filter(name: str, operator: str, value: Any, kind: str = "string") -> dict[str, Any]:
    return {"resourceType": "people", "filterType": kind, "value": name,
            "filterOperator": operator, "filterValue": value}  # fmt: skip


def cohort_filter(cohort_id: int, negated: bool = False) -> dict[str, Any]:
    return {"value": "$cohorts", "resourceType": "events", "filterType": "list",
            "filterOperator": "does not contain" if negated else "contains",
            "filterValue": [{"cohort": {"id": cohort_id, "negated": False}}]}  # fmt: skip


def frequency(event_name: str, **extra: Any) -> dict[str, Any]:
    behavior = {"aggregationOperator": "total", "behaviorType": "$frequency", "dateRange": None,
                "event": {"label": event_name, "value": event_name}, "filters": [],
                "filtersOperator": "and"}  # fmt: skip
    return {"dataset": "$mixpanel", "resourceType": "people", "behavior": behavior,
            "value": f"{event_name} Frequency", **extra}  # fmt: skip


def compute(
    frame: pl.DataFrame, profiles: dict[str, Any], params: dict[str, Any], engine: Any = insights
) -> dict[str, Any]:
    parsed = engine.parse(params, TODAY, 3000)
    data = people.UserData.of(parsed, profiles, COHORTS, frame, "UTC", TODAY)
    with people.provided(data):
        return dict(engine.run(frame, parsed, "UTC"))


OVERALL_AND = "SELECT '$overall', {amount} FROM e WHERE {where} UNION ALL "


def by_tier(amount: str, where: str) -> str:
    return OVERALL_AND.format(amount=amount, where=where) + (
        f"SELECT coalesce(tier, 'undefined'), {amount} FROM e WHERE {where} GROUP BY 1"
    )


def test_people_filter_and_breakdown(
    frame: pl.DataFrame, profiles: dict[str, Any], duck: duckdb.DuckDBPyConnection
) -> None:
    params = report(
        [event("View", "unique")],
        where=[people_filter("age", "is greater than", 30, "number")],
        groups=[{"value": "tier", "propertyName": "tier", "resourceType": "people"}],
    )
    answer = compute(frame, profiles, params)
    assert answer["headers"] == ["$event", "tier"]
    want = totals(duck, by_tier("count(DISTINCT u)", "event = 'View' AND age > 30"))
    assert answer["series"]["View"] == want


def test_people_maths_property(
    frame: pl.DataFrame, profiles: dict[str, Any], duck: duckdb.DuckDBPyConnection
) -> None:
    prop = {"name": "age", "resourceType": "people"}
    params = report([event("Purchase", "average", prop)],
                    where=[people_filter("tier", "equals", ["gold", "silver"])])  # fmt: skip
    answer = compute(frame, profiles, params)
    (want,) = duck.execute(
        "SELECT avg(age) FROM e WHERE event = 'Purchase' AND tier IN ('gold', 'silver')"
    ).fetchone() or (None,)
    assert_close(answer["series"]["Purchase"], {"all": want})


@pytest.mark.parametrize("negated", [False, True])
def test_cohort_filters(
    frame: pl.DataFrame, profiles: dict[str, Any], duck: duckdb.DuckDBPyConnection, negated: bool
) -> None:
    answer = compute(frame, profiles, report([event("View")], where=[cohort_filter(7, negated)]))
    inside = "coalesce(age >= 40, false)"
    where = f"event = 'View' AND {'NOT ' if negated else ''}{inside}"
    (count,) = duck.execute(f"SELECT count(*) FROM e WHERE {where}").fetchone() or (0,)
    assert answer["series"]["View"] == {"all": count}


def test_cohort_breakdown_and_metric(
    frame: pl.DataFrame, profiles: dict[str, Any], duck: duckdb.DuckDBPyConnection
) -> None:
    cohorts = [{"id": 8, "name": "Listed", "negated": False},
               {"id": 8, "name": "Listed", "negated": True}]  # fmt: skip
    group = {"value": ["Listed", "Not In Listed"], "resourceType": "events", "cohorts": cohorts}
    answer = compute(frame, profiles, report([event("Sign Up", "unique")], groups=[group]))
    assert answer["headers"] == ["$event", "$cohorts"]
    segment = "CASE WHEN u IN ('u1', 'u2', 'u3') THEN 'Listed' ELSE 'Not In Listed' END"
    sql = OVERALL_AND.format(amount="count(DISTINCT u)", where="event = 'Sign Up'") + (
        f"SELECT {segment}, count(DISTINCT u) FROM e WHERE event = 'Sign Up' GROUP BY 1"
    )
    assert answer["series"]["Sign Up"] == totals(duck, sql)
    members_only = report([event("Sign Up")], groups=[{**group, "cohorts": cohorts[:1]}])
    only = compute(frame, profiles, members_only)
    assert set(only["series"]["Sign Up"]) <= {"$overall", "Listed"}
    (members,) = duck.execute("SELECT count(*) FROM prof WHERE age >= 40").fetchone() or (0,)
    metric = {"type": "metric", "behavior": {"type": "cohort", "id": 7, "name": "",
                                             "resourceType": "cohorts"},
              "measurement": {"math": "unique"}}  # fmt: skip
    sized = compute(frame, profiles, report([metric]))
    assert sized["series"] == {"Seniors": {"all": members}}


def test_frequency_filter_and_breakdown(
    frame: pl.DataFrame, profiles: dict[str, Any], duck: duckdb.DuckDBPyConnection
) -> None:
    often = {**frequency("Purchase"), "filterType": "number", "filterOperator": "is at least",
             "filterValue": 3}  # fmt: skip
    bucket = {"bucketSize": 2, "min": 0, "max": 6}
    params = report([event("View", "unique")], where=[often],
                    groups=[frequency("Sign Up", customBucket=bucket)])  # fmt: skip
    answer = compute(frame, profiles, params)
    assert answer["headers"] == ["$event", "Sign Up Frequency"]
    duck.execute("""CREATE OR REPLACE TEMP VIEW f AS SELECT v.u,
        (SELECT count(*) FROM e WHERE e.u = v.u AND event = 'Purchase') AS buys,
        (SELECT count(*) FROM e WHERE e.u = v.u AND event = 'Sign Up') AS signs
        FROM (SELECT DISTINCT u FROM e WHERE event = 'View') v""")
    label = """CASE WHEN signs >= 6 THEN '6+'
        ELSE (signs // 2 * 2)::VARCHAR || ' - ' || (signs // 2 * 2 + 2)::VARCHAR END"""
    sql = f"""SELECT '$overall', count(*) FROM f WHERE buys >= 3
        UNION ALL SELECT {label}, count(*) FROM f WHERE buys >= 3 GROUP BY 1"""
    want = totals(duck, sql)
    assert answer["series"]["View"] == want


def test_funnel_and_retention_by_people(
    frame: pl.DataFrame, profiles: dict[str, Any], duck: duckdb.DuckDBPyConnection
) -> None:
    steps = [{"type": "event", "name": "Sign Up"}, {"type": "event", "name": "Purchase"}]
    funnel = report([{"type": "metric",
                      "behavior": {"type": "funnel", "behaviors": steps,
                                   "conversionWindowDuration": 30, "conversionWindowUnit": "day"},
                      "measurement": {"math": "conversion_rate_unique"}}],
                    where=[cohort_filter(7)],
                    groups=[{"value": "tier", "resourceType": "people"}])  # fmt: skip
    answer = compute(frame, profiles, funnel, insights_funnels)
    assert answer["headers"] == ["$funnel", "tier"]
    entered = totals(duck, by_tier("count(DISTINCT u)", "event = 'Sign Up' AND age >= 40"))
    got = answer["series"]["Sign Up through Purchase"]
    assert {k: {"all": v["count"]["1. Sign Up"]["all"]} for k, v in got.items()} == entered
    retention = funnel | {}
    retention["sections"] = {**funnel["sections"], "show": [
        {"type": "metric", "behavior": {"type": "retention", "behaviors": steps,
                                        "retentionUnit": "day"},
         "measurement": {"math": "retention_rate"}}]}  # fmt: skip
    kept = compute(frame, profiles, retention, insights_retention)
    assert kept["headers"] == ["$retention", "tier"]


def test_frequency_threshold_per_time_bucket(
    frame: pl.DataFrame, profiles: dict[str, Any], duck: duckdb.DuckDBPyConnection
) -> None:
    often = {**frequency("Purchase"), "filterType": "number", "filterOperator": "is at least",
             "filterValue": 2}  # fmt: skip
    params = report([event("View", "unique")], where=[often])
    params["displayOptions"]["chartType"] = "line"
    answer = compute(frame, profiles, params)
    day = "strftime(to_timestamp(time / 1000) AT TIME ZONE 'UTC', '%Y-%m-%d')"
    rows = duck.execute(f"""WITH b AS (SELECT u, event, {day} AS d FROM e)
        SELECT d, count(DISTINCT u) FROM b v WHERE event = 'View' AND (SELECT count(*) FROM b p
            WHERE p.u = v.u AND p.d = v.d AND p.event = 'Purchase') >= 2 GROUP BY d""").fetchall()
    days = [dt.date.fromisoformat(FROM) + dt.timedelta(days=i) for i in range(5)]
    want = {f"{d.isoformat()}T00:00:00+00:00": 0 for d in days}
    want.update({f"{d}T00:00:00+00:00": n for d, n in rows})
    assert answer["series"]["View"] == want
    assert sum(want.values()) > 0


def test_cohort_members_match_a_per_profile_evaluation() -> None:
    from mixpanel_async.emulator.engine import expressions, profiles

    rng = random.Random(9)
    pool: list[Any] = [1, 1.0, "1", True, None, "a", [1], {"k": 1}, 0, -2.5, "", False]
    population = {f"p{i}": {k: rng.choice(pool) for k in ("x", "y") if rng.random() < 0.8}
                  for i in range(400)}  # fmt: skip
    wheres = [
        'properties["x"] == 1',
        'properties["x"] > properties["y"]',
        'defined(properties["y"]) or properties["x"] == "a"',
        '"a" in properties["x"]',
    ]
    for where in wheres:
        node = expressions.parse(where)
        naive = [did for did, props in population.items()
                 if expressions.evaluate(node, props) is True]  # fmt: skip
        assert profiles.members({"where": where}, population) == naive
