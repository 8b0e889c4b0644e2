"""The emulator's analytics against DuckDB on the same data: segmentation by day with an `on`
breakdown (issue 6's figure), an Insights report (weekly unique users by country, filtered),
a 3-step Insights funnel with a 7-day window, and the Insights report filtered by a people
property and broken down by a cohort. Every answer is compared before anything is
timed.

"Cold" is a query on loaded data with the engine's caches emptied (`rows.clear_cache()`: event
selections, copied texts, raw property columns), so nothing computed for an earlier query is
reused. Not in the figures, on either side: loading. For the emulator that is the store's
read frame (`EventStore.deduped()`: dedup, identity, sort, with the flatness of each text known
since ingestion), built once per store version before the first query; for DuckDB it is
`CREATE TABLE`. Both are timed and printed once."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

import duckdb
import polars as pl

from benchmarks._server import timed
from mixpanel_async.emulator.engine import insights, insights_funnels, people, rows
from mixpanel_async.emulator.engine import segmentation as seg
from mixpanel_async.emulator.store import EventStore

START_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
DAYS = 30
COUNTRIES = ["US", "DE", "FR", "IN", "BR", "JP", "GB", "CA"]
EVENTS = ["view", "click", "buy", "signup", "share"]


def synthetic(n: int) -> pl.DataFrame:
    """`n` events over 30 days in the store's layout, pseudo-random but deterministic."""
    i = pl.int_range(0, n, dtype=pl.Int64, eager=True).alias("i")
    h = i.hash(seed=7)
    frame = pl.DataFrame({"i": i, "h": h})
    return frame.select(
        event=(pl.col("h") % len(EVENTS)).replace_strict(dict(enumerate(EVENTS)),
                                                            return_dtype=pl.String),
        distinct_id=pl.lit("u") + ((pl.col("h") // 7) % 200_000).cast(pl.String),
        time=(START_MS + (pl.col("i") * (DAYS * 86_400_000)) // n).cast(pl.Int64),
        insert_id=pl.lit(None, dtype=pl.String),
        country=((pl.col("h") // 13) % len(COUNTRIES)).replace_strict(
            dict(enumerate(COUNTRIES)), return_dtype=pl.String),
    ).with_columns(
        properties=pl.concat_str([
            pl.lit('{"country":"'), pl.col("country"), pl.lit('","plan":"free","distinct_id":"'),
            pl.col("distinct_id"), pl.lit('","time":'), (pl.col("time") // 1000).cast(pl.String),
            pl.lit("}"),
        ])
    ).drop("country")  # fmt: skip


def run(n: int, repeats: int = 3) -> None:
    store = EventStore()
    store.replace(synthetic(n))
    loading, frame = timed(store.deduped)
    window = seg.Window(from_date="2024-01-01", to_date="2024-01-30", timezone="UTC", unit="day")

    def engine() -> Any:
        return seg.segmentation(frame, window, event="view", on='properties["country"]', limit=None)

    con = duckdb.connect()
    con.register("events_arrow", frame.to_arrow())
    duck_loading, _ = timed(
        lambda: con.execute("CREATE TABLE events AS SELECT * FROM events_arrow")
    )
    end_ms = START_MS + DAYS * 86_400_000
    sql = (
        "SELECT strftime(date_trunc('day', to_timestamp(time / 1000)), '%Y-%m-%d') AS d, "
        "json_extract_string(properties, '$.country') AS c, count(*) AS n FROM events "
        f"WHERE event = 'view' AND time >= {START_MS} AND time < {end_ms} GROUP BY 1, 2"
    )

    got = engine()["data"]["values"]
    want: dict[str, dict[str, int]] = {}
    for day, country, count in con.execute(sql).fetchall():
        want.setdefault(country, {})[day] = count
    assert {c: {d: v for d, v in days.items() if v} for c, days in got.items()} == want

    cold, warm, duck = medians(engine, lambda: con.execute(sql).fetchall(), repeats, warm=True)
    print(f"\nloading {n:,} events, once, not in the figures below (no target):")
    print(f"  emulator EventStore.deduped()   {loading:7.3f}s")
    print(f"  DuckDB CREATE TABLE from Arrow  {duck_loading:7.3f}s")
    print(f'\nsegmentation by day on properties["country"], {n:,} events (answers agree)')
    print(f"  emulator engine, cold     {cold:7.3f}s")
    print(f"  emulator engine, warm     {warm:7.3f}s")
    print(f"  DuckDB, same data         {duck:7.3f}s")
    print(f"  engine cold / DuckDB = {cold / duck:.2f}x (target <= 1.0)")
    run_insights(frame, con, n, repeats)


def medians(
    engine: Callable[[], Any], duckdb_query: Callable[[], Any], repeats: int, *, warm: bool
) -> tuple[float, float, float]:
    """Median seconds over `repeats` rounds of: the engine cold (row caches cleared), the engine
    again warm (only if `warm`, else 0.0), then DuckDB."""
    cold, hot, duck = [], [], []
    for _ in range(repeats):
        rows.clear_cache()
        cold.append(timed(engine)[0])
        if warm:
            hot.append(timed(engine)[0])
        duck.append(timed(duckdb_query)[0])
    med = statistics.median
    return med(cold), med(hot) if warm else 0.0, med(duck)


REPORT = {
    "sections": {
        "show": [{"type": "metric", "behavior": {"type": "event", "name": "buy"},
                  "measurement": {"math": "unique"}}],
        "time": [{"dateRangeType": "between", "unit": "week",
                  "value": ["2024-01-01", "2024-01-30"]}],
        "filter": [{"value": "plan", "filterOperator": "equals", "filterValue": ["free"],
                    "resourceType": "events", "filterType": "string"}],
        "group": [{"value": "country", "resourceType": "events"}],
    },
    "displayOptions": {"chartType": "line"},
}  # fmt: skip


def run_insights(frame: pl.DataFrame, con: Any, n: int, repeats: int) -> None:
    """An Insights report, weekly unique users by country, engine vs DuckDB."""
    import datetime as dt

    report = insights.parse(REPORT, dt.date(2024, 2, 1))

    def engine() -> Any:
        return insights.run(frame, report, "UTC")

    end_ms = START_MS + DAYS * 86_400_000
    sql = (
        "SELECT strftime(date_trunc('week', to_timestamp(time / 1000)), '%Y-%m-%d') AS w, "
        "json_extract_string(properties, '$.country') AS c, count(DISTINCT distinct_id) AS n "
        f"FROM events WHERE event = 'buy' AND time >= {START_MS} AND time < {end_ms} "
        "AND json_extract_string(properties, '$.plan') = 'free' GROUP BY 1, 2"
    )
    series = engine()["series"]["buy"]
    got = {
        (week[:10], country): value
        for country, weeks in series.items()
        if country != "$overall"
        for week, value in weeks.items()
        if value
    }
    want = {(week, country): count for week, country, count in con.execute(sql).fetchall()}
    assert got == want, "the insights engine and DuckDB disagree"
    cold, _, duck = medians(engine, lambda: con.execute(sql).fetchall(), repeats, warm=False)
    print(f"\ninsights: weekly unique users of 'buy' by country, {n:,} events (answers agree)")
    print(f"  emulator engine, cold     {cold:7.3f}s")
    print(f"  DuckDB, same data         {duck:7.3f}s")
    print(f"  engine cold / DuckDB = {cold / duck:.2f}x (target <= 1.0)")
    run_funnel(frame, con, n, repeats)


FUNNEL_STEPS = ("view", "click", "buy")
FUNNEL = {
    "sections": {
        "show": [{"type": "metric",
                  "behavior": {"type": "funnel", "funnelOrder": "loose",
                               "conversionWindowDuration": 7, "conversionWindowUnit": "day",
                               "behaviors": [{"type": "event", "name": name, "filters": []}
                                             for name in FUNNEL_STEPS]},
                  "measurement": {"math": "conversion_rate_unique"}}],
        "time": [{"dateRangeType": "between", "unit": "day",
                  "value": ["2024-01-01", "2024-01-30"]}],
    },
    "displayOptions": {"chartType": "funnel-steps"},
}  # fmt: skip


def funnel_sql(start_ms: int, end_ms: int, window_ms: int) -> str:
    """Users entering at their first `view` in range, then the first `click` after it and the
    first `buy` after that, each within the window of the entry (rows in frame order)."""
    return f"""
        WITH s0 AS (
            SELECT distinct_id AS u, min(rowid) AS p0, arg_min(time, rowid) AS t0 FROM events
            WHERE event = 'view' AND time >= {start_ms} AND time < {end_ms} GROUP BY 1),
        s1 AS (
            SELECT s0.u, s0.t0, min(e.rowid) AS p1 FROM s0 JOIN events e
            ON e.distinct_id = s0.u AND e.event = 'click' AND e.rowid > s0.p0
               AND e.time <= s0.t0 + {window_ms}
            GROUP BY 1, 2),
        s2 AS (
            SELECT s1.u FROM s1 JOIN events e
            ON e.distinct_id = s1.u AND e.event = 'buy' AND e.rowid > s1.p1
               AND e.time <= s1.t0 + {window_ms}
            GROUP BY 1)
        SELECT (SELECT count(*) FROM s0), (SELECT count(*) FROM s1), (SELECT count(*) FROM s2)
    """


def run_funnel(frame: pl.DataFrame, con: Any, n: int, repeats: int) -> None:
    """A 3-step Insights funnel (7-day window), engine vs DuckDB."""
    import datetime as dt

    report = insights_funnels.parse(FUNNEL, dt.date(2024, 2, 1))

    def engine() -> Any:
        return insights_funnels.run(frame, report, "UTC")

    sql = funnel_sql(START_MS, START_MS + DAYS * 86_400_000, 7 * 86_400_000)
    counts = engine()["series"]["view through buy"]["count"]
    got = [counts[f"{k + 1}. {name}"]["all"] for k, name in enumerate(FUNNEL_STEPS)]
    want = list(con.execute(sql).fetchone() or ())
    assert got == want, f"the funnel engine and DuckDB disagree: {got} != {want}"
    cold, _, duck = medians(engine, lambda: con.execute(sql).fetchall(), repeats, warm=False)
    print(f"\ninsights funnel view -> click -> buy, 7-day window, {n:,} events (answers agree)")
    print(f"  emulator engine, cold     {cold:7.3f}s")
    print(f"  DuckDB, same data         {duck:7.3f}s")
    print(f"  engine cold / DuckDB = {cold / duck:.2f}x (target <= 2)")
    run_people(frame, con, n, repeats)


PROFILES = 200_000
TIERS = ["gold", "silver", "bronze"]


def run_people(frame: pl.DataFrame, con: Any, n: int, repeats: int) -> None:
    """The Insights report filtered by a people property of 200,000 profiles and broken down
    by membership of a saved cohort, engine vs DuckDB joining the same profiles."""
    import copy
    import datetime as dt

    profiles = {f"u{i}": {"tier": TIERS[i % 3], "age": i % 80} for i in range(PROFILES)}
    cohorts = [{"id": 1, "name": "Old", "where": 'properties["age"] > 60'}]
    params = copy.deepcopy(REPORT)
    params["sections"]["filter"].append(
        {
            "value": "tier",
            "resourceType": "people",
            "filterOperator": "equals",
            "filterValue": ["gold"],
        }
    )
    old = [{"id": 1, "name": "Old", "negated": False}, {"id": 1, "name": "Old", "negated": True}]
    params["sections"]["group"] = [{"value": ["Old", "Not In Old"], "cohorts": old}]
    report = insights.parse(params, dt.date(2024, 2, 1))

    def engine() -> Any:
        data = people.UserData.of(report, profiles, cohorts, frame, "UTC", dt.date(2024, 2, 1))
        with people.provided(data):
            return insights.run(frame, report, "UTC")

    prof = pl.DataFrame({"u": list(profiles), "tier": [p["tier"] for p in profiles.values()],
                         "age": [p["age"] for p in profiles.values()]})  # fmt: skip
    con.register("profiles_arrow", prof.to_arrow())
    con.execute("CREATE OR REPLACE TABLE profiles AS SELECT * FROM profiles_arrow")
    end_ms = START_MS + DAYS * 86_400_000
    sql = (
        "SELECT strftime(date_trunc('week', to_timestamp(time / 1000)), '%Y-%m-%d') AS w, "
        "CASE WHEN p.age > 60 THEN 'Old' ELSE 'Not In Old' END AS c, "
        "count(DISTINCT e.distinct_id) AS n FROM events e JOIN profiles p ON p.u = e.distinct_id "
        f"WHERE e.event = 'buy' AND e.time >= {START_MS} AND e.time < {end_ms} "
        "AND json_extract_string(e.properties, '$.plan') = 'free' AND p.tier = 'gold' "
        "GROUP BY 1, 2"
    )
    series = engine()["series"]["buy"]
    got = {(week[:10], segment): value for segment, weeks in series.items()
           if segment != "$overall" for week, value in weeks.items() if value}  # fmt: skip
    want = {(week, segment): count for week, segment, count in con.execute(sql).fetchall()}
    assert got == want, "the insights engine and DuckDB disagree on the people report"
    cold, _, duck = medians(engine, lambda: con.execute(sql).fetchall(), repeats, warm=False)
    print(
        f"\ninsights by a people filter and a cohort, {n:,} events, {PROFILES:,} profiles "
        "(answers agree)"
    )
    print(f"  emulator engine, cold     {cold:7.3f}s")
    print(f"  DuckDB, same data         {duck:7.3f}s")
    print(f"  engine cold / DuckDB = {cold / duck:.2f}x (no target set)")
