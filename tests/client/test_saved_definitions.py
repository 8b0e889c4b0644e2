"""Saved metrics and saved behaviours through AsyncWorkspace against the emulator."""

from __future__ import annotations

import datetime as dt

import pytest

import mixpanel_async as o
from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.entities import tables
from mixpanel_async.exceptions import ParamValidationError
from tests.helpers import refused, sends_nothing

LOGINS = o.Metric("Login", math="unique")


async def test_metric_lifecycle(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    made = await ws.create_metric(
        o.CreateMetricParams(
            name="Logins",
            definition=LOGINS,
            description="unique logins",
            display=o.MetricDisplay(prefix="$", hide_trendline=True),
            goals=[o.MetricGoal(label="Q1", checkpoints=[(dt.date(2024, 3, 31), 10)])],
            owned_by=1,
            verified=True,
        )
    )
    assert (made.type, made.name, made.verified, made.owned_by and made.owned_by.id) == (
        "metric", "Logins", True, 1,
    )  # fmt: skip
    assert made.definition["behavior"]["name"] == "Login"
    assert made.definition["measurement"] == {"math": "unique"}
    assert made.definition["display"] == {"prefix": "$", "hideTrendline": True}
    [goal] = made.definition["goals"]
    assert (goal["label"], goal["checkpoints"]) == ("Q1", [["2024-03-31T00:00:00", 10.0]])
    assert isinstance(made.created, dt.datetime)
    assert made.last_verified is not None

    # A new definition keeps the stored display and goals; display merges field by field.
    changed = await ws.update_metric(
        made.id,
        o.UpdateMetricParams(
            definition=o.Metric("Purchase", math="total"), display=o.MetricDisplay(suffix="!")
        ),
    )
    assert changed.definition["behavior"]["name"] == "Purchase"
    assert changed.definition["display"] == {"prefix": "$", "hideTrendline": True, "suffix": "!"}
    assert changed.definition["goals"] == made.definition["goals"]

    raw = await ws.create_metric(
        o.CreateMetricParams(
            name="Raw", definition=o.RawMetricDefinition(type="formula", definition={"x": 1})
        )
    )
    assert (raw.type, raw.definition) == ("formula", {"x": 1})
    rows = await ws.bulk_update_metrics(
        [
            o.BulkUpdateMetricEntry(id=made.id, name="A"),
            o.BulkUpdateMetricEntry(id=raw.id, verified=True),
        ]
    )
    assert [(r.id, r.name, r.verified) for r in rows] == [
        (made.id, "A", True),
        (raw.id, "Raw", True),
    ]
    skipping = [o.BulkUpdateMetricEntry(id=raw.id + 1000, name="B")]
    rows = await ws.bulk_update_metrics([*skipping, o.BulkUpdateMetricEntry(id=raw.id, name="R")])
    assert [(r.id, r.name) for r in rows] == [(raw.id, "R")]
    raw = await ws.update_metric(raw.id, o.UpdateMetricParams(name="Raw"))
    assert [m.id for m in await ws.list_metrics(metric_type="formula")] == [raw.id]
    assert [m.id for m in await ws.list_metrics(name_contains="a")] == [made.id, raw.id]
    await ws.delete_metric(made.id)
    with pytest.raises(ParamValidationError, match="was not found") as caught:
        await ws.delete_metric(made.id)
    assert caught.value.code == "SM5_NOT_FOUND_FOR_DELETE"
    await ws.delete_metrics([raw.id, raw.id])
    assert await ws.list_metrics() == []
    await refused(ws.get_metric(raw.id), 404)
    assert await ws.bulk_update_metrics([]) == []


async def test_delete_needs_edit_rights(
    mixpanel_workspace: AsyncWorkspace, mixpanel_emulator: Emulator
) -> None:
    ws = mixpanel_workspace
    locked = await ws.create_metric(o.CreateMetricParams(name="Locked", definition=LOGINS))
    other = await ws.create_metric(o.CreateMetricParams(name="Other", definition=LOGINS))
    behavior = await ws.create_behavior(
        o.CreateBehaviorParams(name="B", behavior=o.SimpleBehavior(["A"]))
    )
    entities = mixpanel_emulator.state.default.entities
    tables(entities, "saved_metric").rows[locked.id]["can_update_basic"] = False
    tables(entities, "saved_behavior").rows[behavior.id]["can_update_basic"] = False
    for call in (ws.delete_metric(locked.id), ws.delete_metrics([other.id, locked.id])):
        with pytest.raises(ParamValidationError, match="can_update_basic is false"):
            await call
    with pytest.raises(ParamValidationError, match="can_update_basic is false"):
        await ws.delete_behaviors([behavior.id])
    assert len(await ws.list_metrics()) == 2  # nothing was deleted
    await ws.delete_metrics([other.id, locked.id], force=True)
    await ws.delete_behavior(behavior.id, force=True)
    assert await ws.list_metrics() == []
    assert await ws.list_behaviors() == []


async def test_behavior_lifecycle(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    funnel = await ws.create_behavior(
        o.CreateBehaviorParams(name="Buyers", behavior=o.FunnelBehavior(["View", "Buy"]))
    )
    assert (funnel.type, funnel.behavior_type) == ("funnel", "funnel")
    steps = [s["name"] for s in funnel.definition["behavior"]["behaviors"]]
    assert steps == ["View", "Buy"]
    assert "filter" not in funnel.definition["behavior"]
    with pytest.raises(ParamValidationError, match="is a funnel behavior"):
        await ws.update_behavior(
            funnel.id, o.UpdateBehaviorParams(behavior=o.SimpleBehavior(["A"]))
        )
    longer = await ws.update_behavior(
        funnel.id, o.UpdateBehaviorParams(behavior=o.FunnelBehavior(["View", "Cart", "Buy"]))
    )
    assert len(longer.definition["behavior"]["behaviors"]) == 3
    assert (await ws.get_behavior(funnel.id)).to_ref().id == funnel.id
    await ws.delete_behavior(funnel.id)
    await refused(ws.delete_behavior(funnel.id), 404)


test_arguments_refused = sends_nothing(
    (lambda ws: ws.get_metric(0), "metric_id must be a positive integer"),
    (lambda ws: ws.create_metric({"name": "x"}), "params must be a CreateMetricParams"),  # type: ignore[arg-type]
    (
        lambda ws: ws.create_metric(o.CreateMetricParams(name=" ", definition=LOGINS)),
        "name must not be empty",
    ),
    (
        lambda ws: ws.create_metric(o.CreateMetricParams(name="x" * 256, definition=LOGINS)),
        "at most 255",
    ),
    (
        lambda ws: ws.create_metric(o.CreateMetricParams(name="x", definition="Login")),  # type: ignore[arg-type]
        "definition must be a Metric",
    ),
    (
        lambda ws: ws.create_metric(
            o.CreateMetricParams(
                name="x", definition=o.RawMetricDefinition(type="warehouse", definition={})
            )
        ),
        "warehouse_source_id",
    ),
    (lambda ws: ws.update_metric(1, o.UpdateMetricParams(owned_by=0)), "owned_by"),
    (lambda ws: ws.bulk_update_metrics([o.BulkUpdateMetricEntry(id=-1)]), "entries"),
    (lambda ws: ws.delete_metrics(["1"]), "metric_ids must hold positive integers"),  # type: ignore[list-item]
    (lambda ws: ws.delete_metric(1, force="yes"), "force must be True or False"),  # type: ignore[arg-type]
    (lambda ws: ws.list_metrics(verified="yes"), "verified must be True or False"),  # type: ignore[arg-type]
    (
        lambda ws: ws.create_behavior(o.CreateBehaviorParams(name="b", behavior=LOGINS)),  # type: ignore[arg-type]
        "behavior must be a SimpleBehavior",
    ),
    (
        lambda ws: ws.create_behavior(
            o.CreateBehaviorParams(name="b", behavior=o.RawBehaviorDefinition(definition={}))
        ),
        "definition.behavior.type",
    ),
    (lambda ws: ws.get_behavior(True), "behavior_id must be a positive integer"),  # type: ignore[arg-type]
    (lambda ws: ws.delete_behaviors("12"), "behavior_ids must be a list"),  # type: ignore[arg-type]
)


async def test_warehouse_metric(mixpanel_workspace: AsyncWorkspace) -> None:
    """A `WarehouseMetric` is stored as a `warehouse` metric on its source; an update that leaves
    the aggregation or sync interval unset keeps the stored ones, and cannot change its kind
    or its source (refused before the update is sent)."""
    ws = mixpanel_workspace
    sql = "select day, count(*) as n from orders group by 1"
    made = await ws.create_metric(
        o.CreateMetricParams(
            name="Orders",
            definition=o.WarehouseMetric(
                source_id=7,
                sql=sql,
                metric_type="timeseries",
                time_column="day",
                value_column="n",
                aggregation="sum",
                sync_interval="daily",
            ),
        )
    )
    assert (made.type, made.warehouse_source_id) == ("warehouse", 7)
    assert made.definition == {
        "query": sql,
        "metricType": "timeseries",
        "aggregation": "sum",
        "syncInterval": "daily",
        "timeColumn": "day",
        "valueColumn": "n",
    }
    newer = o.WarehouseMetric(source_id=7, sql="select 1 as n", metric_type="numeric")
    changed = await ws.update_metric(made.id, o.UpdateMetricParams(definition=newer))
    assert changed.definition == {
        "query": "select 1 as n",
        "metricType": "numeric",
        "aggregation": "sum",
        "syncInterval": "daily",
    }
    elsewhere = o.WarehouseMetric(source_id=8, sql="select 1 as n", metric_type="numeric")
    with pytest.raises(ParamValidationError, match="warehouse source 7") as caught:
        await ws.update_metric(made.id, o.UpdateMetricParams(definition=elsewhere))
    assert caught.value.code == "SM3_KIND_CHANGE"
    with pytest.raises(ParamValidationError, match="cannot become a 'metric'"):
        await ws.update_metric(made.id, o.UpdateMetricParams(definition=LOGINS))
    assert (await ws.get_metric(made.id)).definition == changed.definition
