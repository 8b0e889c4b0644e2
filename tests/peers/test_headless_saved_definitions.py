"""The peer library and our client on one emulator for saved metrics and saved behaviours:
what one writes the other reads, field for field, and both compile a definition alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import mixpanel_async as o
from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator

h = pytest.importorskip("mixpanel_headless")

FIELDS = ("id", "name", "type", "description", "definition", "verified", "is_visible",
          "is_locked", "can_view", "can_update_basic", "can_share")  # fmt: skip


@pytest.fixture
def emu() -> Iterator[Emulator]:
    """A fresh, empty emulator per test."""
    with Emulator(port=0) as emulator:
        yield emulator


def same(theirs: Any, mine: Any) -> None:
    """A peer row and ours agree on every shared field (and on the owner's id)."""
    assert [getattr(theirs, f) for f in FIELDS] == [getattr(mine, f) for f in FIELDS]
    assert theirs.created_by.id == mine.created_by.id
    assert theirs.created.timestamp() == mine.created.timestamp()
    owner_t, owner_m = getattr(theirs, "owned_by", None), getattr(mine, "owned_by", None)
    assert (owner_t and owner_t.id) == (owner_m and owner_m.id)


async def test_metrics_peer_writes_we_read(peer: Any, ours: AsyncWorkspace) -> None:
    made = peer.create_metric(
        h.CreateMetricParams(
            name="Paid logins",
            definition=h.Metric("Login", math="unique", filters=[h.Filter.equals("plan", "pro")]),
            display=h.MetricDisplay(prefix="$", precision=2),
            goals=[h.MetricGoal(label="Q1", checkpoints=[("2024-03-31", 100)])],
            owned_by=1,
            verified=True,
        )
    )
    funnel = peer.create_metric(
        h.CreateMetricParams(
            name="Checkout", definition=h.FunnelMetric(h.FunnelBehavior(["A", "B"]))
        )
    )
    same(made, await ours.get_metric(made.id))
    mine = await ours.list_metrics()
    for theirs, ours_row in zip(peer.list_metrics(), mine, strict=True):
        same(theirs, ours_row)
    assert [m.id for m in await ours.list_metrics(verified=True)] == [made.id]
    assert [m.id for m in await ours.list_metrics(name_contains="CHECK")] == [funnel.id]
    peer.update_metric(made.id, h.UpdateMetricParams(display=h.MetricDisplay(suffix=" usd")))
    same(peer.get_metric(made.id), await ours.get_metric(made.id))
    peer.bulk_update_metrics([h.BulkUpdateMetricEntry(id=funnel.id, name="Checkout 2")])
    assert (await ours.get_metric(funnel.id)).name == "Checkout 2"
    peer.delete_metrics([made.id, funnel.id])
    assert await ours.list_metrics() == []


async def test_metrics_we_write_peer_reads(peer: Any, ours: AsyncWorkspace) -> None:
    made = await ours.create_metric(
        o.CreateMetricParams(
            name="Paid logins",
            definition=o.Metric("Login", math="unique", filters=[o.Filter.equals("plan", "pro")]),
            display=o.MetricDisplay(prefix="$", precision=2),
            owned_by=1,
            verified=True,
        )
    )
    same(peer.get_metric(made.id), made)
    # The same definition through the peer stores the same JSON.
    twin = peer.create_metric(
        h.CreateMetricParams(
            name="Twin",
            definition=h.Metric("Login", math="unique", filters=[h.Filter.equals("plan", "pro")]),
            display=h.MetricDisplay(prefix="$", precision=2),
        )
    )
    assert twin.definition == made.definition
    retention = await ours.create_metric(
        o.CreateMetricParams(
            name="Back", definition=o.RetentionMetric(o.RetentionBehavior("A", "B"))
        )
    )
    assert (
        retention.definition
        == peer.create_metric(
            h.CreateMetricParams(
                name="B2", definition=h.RetentionMetric(h.RetentionBehavior("A", "B"))
            )
        ).definition
    )
    await ours.update_metric(made.id, o.UpdateMetricParams(description="why", verified=False))
    same(peer.get_metric(made.id), await ours.get_metric(made.id))
    await ours.bulk_update_metrics([o.BulkUpdateMetricEntry(id=twin.id, name="Twin 2")])
    assert peer.get_metric(twin.id).name == "Twin 2"
    await ours.delete_metric(made.id)
    await ours.delete_metrics([twin.id, retention.id])
    assert [m.name for m in peer.list_metrics()] == ["B2"]


async def test_behaviors_both_ways(peer: Any, ours: AsyncWorkspace) -> None:
    theirs = peer.create_behavior(
        h.CreateBehaviorParams(name="Buyers", behavior=h.FunnelBehavior(["View", "Buy"]))
    )
    same(theirs, await ours.get_behavior(theirs.id))
    mine = await ours.create_behavior(
        o.CreateBehaviorParams(name="Buyers too", behavior=o.FunnelBehavior(["View", "Buy"]))
    )
    assert mine.definition == theirs.definition
    simple_t = peer.create_behavior(
        h.CreateBehaviorParams(name="Any", behavior=h.SimpleBehavior(["A", "B"]))
    )
    simple_m = await ours.create_behavior(
        o.CreateBehaviorParams(name="Any 2", behavior=o.SimpleBehavior(["A", "B"]))
    )
    assert simple_m.definition == simple_t.definition
    ret_t = peer.create_behavior(
        h.CreateBehaviorParams(name="Ret", behavior=h.RetentionBehavior("A", "B"))
    )
    ret_m = await ours.create_behavior(
        o.CreateBehaviorParams(name="Ret 2", behavior=o.RetentionBehavior("A", "B"))
    )
    assert ret_m.definition == ret_t.definition
    for t, m in zip(peer.list_behaviors(), await ours.list_behaviors(), strict=True):
        same(t, m)
    assert [b.id for b in await ours.list_behaviors(behavior_type="retention")] == [
        ret_t.id, ret_m.id,
    ]  # fmt: skip
    await ours.update_behavior(mine.id, o.UpdateBehaviorParams(name="Renamed", verified=True))
    same(peer.get_behavior(mine.id), await ours.get_behavior(mine.id))
    peer.update_behavior(theirs.id, h.UpdateBehaviorParams(description="peer"))
    assert (await ours.get_behavior(theirs.id)).description == "peer"
    peer.delete_behavior(theirs.id)
    await ours.delete_behavior(mine.id)
    await ours.delete_behaviors([simple_t.id, simple_m.id])
    peer.delete_behaviors([ret_t.id, ret_m.id])
    assert peer.list_behaviors() == []
    assert await ours.list_behaviors() == []


async def test_query_by_saved_metric_id(peer: Any, ours: AsyncWorkspace, emu: Emulator) -> None:
    from mixpanel_async.emulator.seeding import rows_of
    from tests.helpers import ev, today_moment

    now = today_moment()
    emu.state.default.events.append(
        rows_of(
            [
                ev("Login", f"u{i % 3}", now - i * 60, plan="pro" if i % 2 else "free")
                for i in range(12)
            ]
        )
    )
    saved = peer.create_metric(
        h.CreateMetricParams(
            name="Pro logins",
            definition=h.Metric("Login", filters=[h.Filter.equals("plan", "pro")]),
        )
    )
    theirs = peer.query(h.MetricRef(saved.id), last=2)
    mine = await ours.query(o.MetricRef(saved.id), last=2)
    assert theirs.series == mine.series
    [series] = mine.series.values()
    assert sum(series.values()) == 6  # the six "pro" logins, counted here


async def test_saved_formulas_and_simple_behaviors_in_queries(
    peer: Any, ours: AsyncWorkspace, emu: Emulator
) -> None:
    from mixpanel_async.emulator.seeding import rows_of
    from tests.helpers import ev, today_moment

    now = today_moment()
    names = ["Login", "Buy", "Login", "Refund"]
    emu.state.default.events.append(
        rows_of([ev(names[i % 4], f"u{i % 3}", now - i * 60) for i in range(16)])
    )
    formula = peer.create_metric(
        h.CreateMetricParams(
            name="Buys per login",
            definition=h.Formula("A / B", metrics=[h.Metric("Buy"), h.Metric("Login")]),
        )
    )
    assert (await ours.get_metric(formula.id)).type == "formula"
    theirs = peer.query(h.MetricRef(formula.id), last=2, mode="total")
    mine = await ours.query(o.MetricRef(formula.id), last=2, mode="total")
    assert theirs.series == mine.series
    assert mine.series["Buys per login"]["all"] == pytest.approx(4 / 8)  # 4 Buy, 8 Login here
    money = await ours.create_behavior(
        o.CreateBehaviorParams(name="Money", behavior=o.SimpleBehavior(["Buy", "Refund"]))
    )
    theirs = peer.query(h.Metric(h.BehaviorRef(money.id, "simple")), last=2, mode="total")
    mine = await ours.query(o.Metric(o.BehaviorRef(money.id, "simple")), last=2, mode="total")
    assert theirs.series == mine.series
    assert [v["all"] for v in mine.series.values()] == [8]  # 4 Buy + 4 Refund


async def test_warehouse_metrics_compile_alike(peer: Any, ours: AsyncWorkspace) -> None:
    """A warehouse metric made by each library is stored alike; each reads the other's."""
    args: dict[str, Any] = {"source_id": 4, "sql": "select 1 as n", "metric_type": "numeric",
                            "value_column": "n", "sync_interval": "hourly"}  # fmt: skip
    theirs = peer.create_metric(
        h.CreateMetricParams(name="W", definition=h.WarehouseMetric(**args))
    )
    mine = await ours.create_metric(
        o.CreateMetricParams(name="W", definition=o.WarehouseMetric(**args))
    )
    assert (theirs.definition, theirs.warehouse_source_id) == (
        mine.definition,
        mine.warehouse_source_id,
    )
    same(theirs, await ours.get_metric(theirs.id))
    same(peer.get_metric(mine.id), mine)
