"""Simple behaviors (several events counted as one; inline, or saved and used by id), saved
formula metrics and formulas with their own operands, in `query()` against the emulator,
checked against counts made here in plain Python; a saved warehouse metric is a clear 400."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

import mixpanel_async as o
from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.entities import tables
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev, refused

SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z
DAY = 86_400
NAMES = ["Purchase", "Sign Up", "Purchase", "View", "Refund"]
ROWS = [ev(NAMES[i % 5], f"u{i % 7}", SEP1 + (i % 4) * DAY + i, f"r{i}") for i in range(70)]
SEPT = {"from_date": "2026-09-01", "to_date": "2026-09-04"}


def per_day(*events: str) -> dict[str, int]:
    """Events of any of `events` per day, counted here."""
    counts: Counter[str] = Counter()
    for row in ROWS:
        if row["event"] in events:
            when = dt.datetime.fromtimestamp(row["properties"]["time"], dt.UTC)
            counts[when.date().isoformat()] += 1
    return dict(counts)


def by_day(series: dict[str, Any]) -> dict[str, float]:
    return {key[:10]: value for key, value in series.items() if value}


@pytest.fixture
def ws(mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace) -> AsyncWorkspace:
    mixpanel_emulator.state.default.events.append(rows_of(ROWS))
    return mixpanel_workspace


async def test_inline_simple_behavior_counts_its_events_as_one(ws: AsyncWorkspace) -> None:
    result = await ws.query(o.Metric(o.SimpleBehavior(["Purchase", "Refund"])), **SEPT)
    assert list(result.series) == ["Purchase or Refund"]
    assert by_day(result.series["Purchase or Refund"]) == per_day("Purchase", "Refund")


async def test_saved_simple_behavior_by_id(ws: AsyncWorkspace) -> None:
    saved = await ws.create_behavior(
        o.CreateBehaviorParams(
            name="Money", behavior=o.SimpleBehavior(["Purchase", "Refund"], name="Money")
        )
    )
    result = await ws.query(o.Metric(o.BehaviorRef(saved.id, "simple")), **SEPT)
    [series] = result.series.values()
    assert by_day(series) == per_day("Purchase", "Refund")


async def test_saved_formula_metric(ws: AsyncWorkspace) -> None:
    saved = await ws.create_metric(
        o.CreateMetricParams(
            name="Buys per join",
            definition=o.Formula("A / B", metrics=[o.Metric("Purchase"), o.Metric("Sign Up")]),
        )
    )
    result = await ws.query([o.Metric("View"), o.MetricRef(saved.id)], **SEPT)
    buys, joins = per_day("Purchase"), per_day("Sign Up")
    want = {d: buys.get(d, 0) / n for d, n in joins.items() if buys.get(d, 0)}
    assert by_day(result.series["Buys per join"]) == pytest.approx(want)
    assert by_day(result.series["View"]) == per_day("View")  # the report's own metric is A
    assert set(result.series) == {"View", "Buys per join"}  # the operands stay hidden


async def test_inline_formula_with_its_own_operands(ws: AsyncWorkspace) -> None:
    ratio = o.Formula("B - A", label="Gap", metrics=[o.Metric("Refund"), o.Metric("Purchase")])
    result = await ws.query([o.Metric("View"), ratio], **SEPT)
    refunds, buys = per_day("Refund"), per_day("Purchase")
    want = {d: buys.get(d, 0) - refunds.get(d, 0) for d in set(buys) | set(refunds)}
    assert by_day(result.series["Gap"]) == {d: v for d, v in want.items() if v}


async def test_warehouse_metric_is_refused_by_name(
    ws: AsyncWorkspace, mixpanel_emulator: Emulator
) -> None:
    row = tables(mixpanel_emulator.state.default.entities, "saved_metric").insert(
        {"name": "ARR", "type": "warehouse", "description": "",
         "definition": {"query": "select 1", "metricType": "sum"}}
    )  # fmt: skip
    await refused(ws.query(o.MetricRef(row["id"], type="warehouse"), **SEPT), 400,
                  "warehouse metric")  # fmt: skip


async def test_simple_behavior_with_per_event_filters_is_refused(ws: AsyncWorkspace) -> None:
    step = o.FunnelStep("Purchase", filters=[o.Filter.equals("plan", "pro")])
    await refused(ws.query(o.Metric(o.SimpleBehavior([step, "Refund"])), **SEPT), 400,
                  "carry their own filters")  # fmt: skip


async def test_behavioral_custom_properties_are_refused_by_name(ws: AsyncWorkspace) -> None:
    made = await ws.create_custom_property(
        {"name": "Buys", "resource_type": "people",
         "behavior": {"type": "event", "name": "Purchase", "aggregation": "total"}}
    )  # fmt: skip
    by = o.GroupBy(o.CustomPropertyRef(made.custom_property_id))
    await refused(ws.query("Purchase", group_by=by, **SEPT), 400, "behavioral custom property")
    variable = await ws.create_custom_property(
        {"name": "Twice", "resource_type": "events", "display_formula": "A * 2",
         "composed_properties": {"A": {"resourceType": "event", "behavior": {"type": "x"}}}}
    )  # fmt: skip
    on = f'properties["$custom_property:{variable.custom_property_id}"]'
    await refused(ws.segmentation("Purchase", on=on, **SEPT), 400, "the variable A is computed")
