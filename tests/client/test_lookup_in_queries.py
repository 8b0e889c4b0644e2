"""Lookup-table columns (`<property>.<column>` of a property mapped to a table) in every kind of
query: Insights breakdowns and filters, Insights funnels and retention, the classic /funnels
`on` and /retention `born_where`/`where`; each answer checked against plain Python here."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import polars as pl
import pytest

import mixpanel_async as o
from mixpanel_async import AsyncWorkspace, Filter, GroupBy
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev

SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z
DAY = 86_400
DAYS = ["2026-09-01", "2026-09-02", "2026-09-03"]
RANGE = {"from_date": DAYS[0], "to_date": DAYS[-1]}
PLANS: list[Any] = ["free", "pro", "team", "legacy", 7, "team", "pro"]
NAMES = ["Sign Up", "Purchase", "Page View", "Purchase"]
TABLE = {"free": ("0", "self-serve"), "pro": ("10", "self-serve"), "team": ("25", "sales"),
         "7": ("70", "sales")}  # fmt: skip


def _events() -> list[dict[str, Any]]:
    out = []
    for i in range(84):
        at = SEP1 + (i // 28) * DAY + (i % 28) * 600
        out.append(ev(NAMES[i % 4], f"u{i % 9}", at, f"e{i}", plan=PLANS[i % 7]))
    return out


EVENTS = _events()


def channel(e: dict[str, Any]) -> str | None:
    """The `plan.channel` of an event, by hand (None: not in the table)."""
    found = TABLE.get(str(e["properties"]["plan"]))
    return found[1] if found else None


def day_of(e: dict[str, Any]) -> str:
    return dt.datetime.fromtimestamp(e["properties"]["time"], dt.UTC).date().isoformat()


@pytest.fixture
async def ws(mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace) -> AsyncWorkspace:
    mixpanel_emulator.state.default.events.append(rows_of(EVENTS))
    mixpanel_emulator.state.default.funnels[:] = [
        {"funnel_id": 5, "name": "Buy", "steps": ["Sign Up", "Purchase"]}
    ]
    frame = pl.DataFrame({"plan": list(TABLE), "price": [v[0] for v in TABLE.values()],
                          "channel": [v[1] for v in TABLE.values()]})  # fmt: skip
    table = await mixpanel_workspace.upload_lookup_table(
        o.UploadLookupTableParams(name="plans", data=frame)
    )
    await mixpanel_workspace.bulk_update_property_definitions(
        {"properties": [{"name": "plan", "resource_type": "Event", "data_group_id": str(table.id)}]}
    )
    return mixpanel_workspace


async def test_insights_breakdown_and_filter(ws: AsyncWorkspace) -> None:
    purchases = [e for e in EVENTS if e["event"] == "Purchase"]
    result = await ws.query("Purchase", mode="total", group_by="plan.channel", **RANGE)
    [segments] = result.series.values()
    counted = Counter(channel(e) for e in purchases)
    assert {k: v["all"] for k, v in segments.items() if k in ("sales", "self-serve")} == {
        "sales": counted["sales"], "self-serve": counted["self-serve"]}  # fmt: skip
    assert counted["sales"]
    assert counted[None]

    sales = await ws.query(
        "Purchase", mode="total", where=Filter.equals("plan.channel", "sales"), **RANGE
    )
    assert next(iter(sales.series.values()))["all"] == counted["sales"]
    dear = await ws.query(
        "Purchase", mode="total", group_by=GroupBy("plan.price"),
        where=Filter.equals("plan.channel", "self-serve"), **RANGE,
    )  # fmt: skip
    [by_price] = dear.series.values()
    prices = Counter(TABLE[str(e["properties"]["plan"])][0] for e in purchases
                     if channel(e) == "self-serve")  # fmt: skip
    assert {k: v["all"] for k, v in by_price.items() if k != "$overall"} == dict(prices)


def _funnel_counts(keep: Any) -> list[int]:
    """Users doing a kept Sign Up, then a kept Purchase after it (every event is within 3
    days, inside the 30-day window)."""
    first: dict[str, int] = {}
    for e in EVENTS:
        p = e["properties"]
        if e["event"] == "Sign Up" and keep(e):
            first[p["distinct_id"]] = min(first.get(p["distinct_id"], p["time"]), p["time"])
    done = {
        e["properties"]["distinct_id"]
        for e in EVENTS
        if e["event"] == "Purchase" and keep(e)
        and e["properties"]["time"] > first.get(e["properties"]["distinct_id"], 1 << 62)
    }  # fmt: skip
    return [len(first), len(done)]


async def test_insights_funnel_filtered_by_a_lookup_column(ws: AsyncWorkspace) -> None:
    result = await ws.query_funnel(
        ["Sign Up", "Purchase"], mode="steps", where=Filter.equals("plan.channel", "sales"),
        **RANGE,
    )  # fmt: skip
    want = _funnel_counts(lambda e: channel(e) == "sales")
    assert [step["count"] for step in result.steps_data] == want
    assert want[1] > 0


async def test_classic_funnel_segmented_by_a_lookup_column(ws: AsyncWorkspace) -> None:
    result = await ws.funnel(5, on='properties["plan.channel"]', **RANGE)
    plain = _funnel_counts(lambda e: True)
    assert [s.count for s in result.steps] == plain
    raw = await ws.api.raw(
        "GET", "/funnels", family="query",
        params={"project_id": 1, "funnel_id": 5, "on": 'properties["plan.channel"]', **RANGE},
    )  # fmt: skip
    firsts: dict[str, dict[str, Any]] = {}
    for e in EVENTS:  # time-ordered: a user enters once, at the first Sign Up of the range
        if e["event"] == "Sign Up":
            firsts.setdefault(e["properties"]["distinct_id"], e)
    want: dict[str, list[int]] = {}
    for user, start in firsts.items():
        counts = want.setdefault(channel(start) or "undefined", [0, 0])
        counts[0] += 1
        counts[1] += any(e["event"] == "Purchase" and e["properties"]["distinct_id"] == user
                         and e["properties"]["time"] > start["properties"]["time"]
                         for e in EVENTS)  # fmt: skip
    got: dict[str, list[int]] = {}
    for segments in raw["data"].values():
        for segment, steps in segments.items():
            if segment != "$overall":
                sums = got.setdefault(segment, [0, 0])
                sums[0] += steps[0]["count"]
                sums[1] += steps[1]["count"]
    assert got == want
    assert set(want) == {"sales", "self-serve", "undefined"}


def _retention(born: Any, back: Any) -> dict[str, list[int]]:
    """Per birth day: users born (first kept Sign Up in the range), then per day after birth
    how many did a kept Purchase that day (at or after birth)."""
    births: dict[str, int] = {}
    for e in EVENTS:
        p = e["properties"]
        if e["event"] == "Sign Up" and born(e):
            births[p["distinct_id"]] = min(births.get(p["distinct_id"], p["time"]), p["time"])
    came: dict[str, set[int]] = {}
    for e in EVENTS:
        p = e["properties"]
        user = p["distinct_id"]
        if e["event"] == "Purchase" and back(e) and user in births and p["time"] >= births[user]:
            came.setdefault(user, set()).add((p["time"] - births[user]) // DAY)
    table: dict[str, list[int]] = {}
    for user, at in births.items():
        day = dt.datetime.fromtimestamp(at, dt.UTC).date().isoformat()
        row = table.setdefault(day, [0, 0, 0, 0])
        row[0] += 1
        for k in came.get(user, ()):
            row[1 + k] += 1
    return table


async def test_insights_retention_filtered_by_a_lookup_column(ws: AsyncWorkspace) -> None:
    sales = Filter.equals("plan.channel", "sales")
    result = await ws.query_retention(
        o.RetentionEvent("Sign Up", filters=[sales]), o.RetentionEvent("Purchase", filters=[sales]),
        retention_unit="day", **RANGE,
    )  # fmt: skip
    want = _retention(lambda e: channel(e) == "sales", lambda e: channel(e) == "sales")
    got = {k[:10]: c for k, c in result.cohorts.items() if k != "$average"}
    sizes = {d: c["first"] for d, c in got.items() if c["first"]}
    assert sizes == {d: w[0] for d, w in want.items()}
    for day, row in want.items():
        counts = got[day]["counts"]
        assert counts[: len(row) - 1] + [0] * (len(row) - 1 - len(counts)) == row[1:]


async def test_classic_retention_where_on_a_lookup_column(ws: AsyncWorkspace) -> None:
    sales = 'properties["plan.channel"] == "sales"'
    result = await ws.retention(
        born_event="Sign Up", return_event="Purchase", born_where=sales, return_where=sales,
        interval_count=3, **RANGE,
    )  # fmt: skip
    want = _retention(lambda e: channel(e) == "sales", lambda e: channel(e) == "sales")
    got = {c.date[:10]: c for c in result.cohorts}
    assert {d: c.size for d, c in got.items() if c.size} == {d: w[0] for d, w in want.items()}
    assert sum(w[0] for w in want.values()) > 0


def test_events_cover_unmatched_values() -> None:
    assert {channel(e) for e in EVENTS} == {"sales", "self-serve", None}
    assert {day_of(e) for e in EVENTS} == set(DAYS)
