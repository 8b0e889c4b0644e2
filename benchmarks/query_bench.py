"""The emulator's analytics against DuckDB on the same data: segmentation by day with an `on`
breakdown (issue 6's figure), and an Insights report (weekly unique users by country). Both
answers are compared before anything is timed."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

import duckdb
import polars as pl

from benchmarks._server import timed
from mixpanel_async.emulator.engine import insights, rows
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
    frame = store.deduped()
    window = seg.Window(from_date="2024-01-01", to_date="2024-01-30", timezone="UTC", unit="day")

    def engine() -> Any:
        return seg.segmentation(frame, window, event="view", on='properties["country"]', limit=None)

    con = duckdb.connect()
    con.register("events_arrow", frame.to_arrow())
    con.execute("CREATE TABLE events AS SELECT * FROM events_arrow")
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
    print(f'\nsegmentation by day on properties["country"], {n:,} events (answers agree)')
    print(f"  emulator engine, cold     {cold:7.3f}s")
    print(f"  emulator engine, warm     {warm:7.3f}s")
    print(f"  DuckDB, same data         {duck:7.3f}s")
    print(f"  engine cold / DuckDB = {cold / duck:.2f}x (target <= 2)")
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
    print(f"  engine cold / DuckDB = {cold / duck:.2f}x")
