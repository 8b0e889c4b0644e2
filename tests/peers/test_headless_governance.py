"""The peer `mixpanel_headless` and our client share the schema registry, schema enforcement,
the audit, anomalies and deletion requests through the emulator: what one writes the other
reads, field for field, and both see the same computed answers."""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.transport import codec
from tests.helpers import ev, refused, ts

mp = pytest.importorskip("mixpanel_headless")

CART = {
    "description": "Added to cart",
    "required": ["sku"],
    "properties": {"sku": {"type": "string"}, "price": {"type": "number"}},
}


@pytest.fixture
def emu(mixpanel_emulator: Emulator) -> Emulator:
    """The plugin's emulator (empty at each test), for `peer` and `ours`."""
    return mixpanel_emulator


def agree(theirs: Any, mine: Any) -> None:
    """A peer model (or dict) and ours carry equal values under every wire key both have."""
    a = theirs.model_dump(mode="json", by_alias=True) if hasattr(theirs, "model_dump") else theirs
    b = codec.unstructure(mine) if not isinstance(mine, dict) else mine
    shared = {k for k in a.keys() & b.keys() if a[k] is not None and b[k] is not None}
    assert shared
    assert {k: a[k] for k in shared} == {k: b[k] for k in shared}


def registry(entries: list[Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(e.entity_type, e.name): e.schema_definition for e in entries}


async def test_registry_both_ways(peer: Any, ours: AsyncWorkspace) -> None:
    peer.create_schema("event", "Add To Cart", CART)
    await ours.create_schema("profile", "$user", {"properties": {"plan": {"type": "string"}}})
    assert registry(peer.list_schema_registry()) == registry(await ours.list_schema_registry())
    assert registry(await ours.list_schema_registry(entity_type="event")) == {
        ("event", "Add To Cart"): CART
    }
    peer.update_schema("event", "Add To Cart", {"properties": {"qty": {"type": "integer"}}})
    (entry,) = await ours.list_schema_registry(entity_type="event")
    assert sorted(entry.schema_definition["properties"]) == ["price", "qty", "sku"]
    await ours.update_schema("event", "Add To Cart", {"description": "Cart add"})
    (theirs,) = peer.list_schema_registry(entity_type="event")
    assert theirs.schema_definition["description"] == "Cart add"

    entries = [mp.SchemaEntry(entity_type="event", name=n, schema_definition={}) for n in "AB"]
    made = peer.create_schemas_bulk(mp.BulkCreateSchemasParams(entries=entries))
    assert (made.added, made.deleted) == (2, 0)
    assert {n for _, n in registry(await ours.list_schema_registry(entity_type="event"))} == {
        "A",
        "B",
        "Add To Cart",
    }
    mine = await ours.create_schemas_bulk(
        {
            "entries": [{"entityType": "event", "name": "C", "schemaJson": {}}],
            "truncate": True,
            "entityType": "event",
        }
    )
    assert (mine.added, mine.deleted) == (1, 3)
    assert {n for _, n in registry(peer.list_schema_registry(entity_type="event"))} == {"C"}

    patch = {
        "entries": [
            {"entityType": "event", "name": "C", "schemaJson": {"description": "c"}},
            {"entityType": "event", "name": "Z", "schemaJson": {}},
        ]
    }
    their_results = peer.update_schemas_bulk(mp.BulkCreateSchemasParams(**patch))
    my_results = await ours.update_schemas_bulk(patch)
    for a, b in zip(their_results, my_results, strict=True):
        agree(a, b)

    assert peer.delete_schemas(entity_type="event", entity_name="C").delete_count == 1
    assert (await ours.delete_schemas(entity_type="profile")).delete_count == 1
    assert peer.list_schema_registry() == []
    await ours.create_schema("event", "D", {})
    assert peer.delete_schemas().delete_count == 1
    assert await ours.list_schema_registry() == []


async def test_enforcement_both_ways(peer: Any, ours: AsyncWorkspace) -> None:
    await ours.create_schema("event", "Add To Cart", CART)
    started = peer.init_schema_enforcement(
        mp.InitSchemaEnforcementParams(rule_event="Warn and Hide")
    )
    agree(peer.get_schema_enforcement(), await ours.get_schema_enforcement())
    assert started["events"] == [{"name": "Add To Cart", "properties": ["price", "sku"]}]

    await ours.update_schema_enforcement({"events": ["Checkout"], "rule_event": "Warn and Drop"})
    config = peer.get_schema_enforcement()
    assert config.rule_event == "Warn and Drop"
    assert [e["name"] for e in config.events] == ["Add To Cart", "Checkout"]
    peer.update_schema_enforcement(
        mp.UpdateSchemaEnforcementParams(properties={"Checkout": ["total"]})
    )
    mine = await ours.get_schema_enforcement()
    assert mine.events is not None
    assert {"name": "Checkout", "properties": ["total"]} in mine.events
    agree(
        peer.get_schema_enforcement(fields="ruleEvent,state"),
        await ours.get_schema_enforcement(fields="ruleEvent,state"),
    )

    peer.replace_schema_enforcement(
        mp.ReplaceSchemaEnforcementParams(
            events=[{"name": "Signup", "properties": []}],
            common_properties=[],
            user_properties=[],
            rule_event="Warn and Accept",
            notification_emails=["a@b.c"],
        )
    )
    mine = await ours.get_schema_enforcement()
    assert (mine.rule_event, mine.notification_emails) == ("Warn and Accept", ["a@b.c"])
    await ours.replace_schema_enforcement(
        {
            "events": [],
            "common_properties": [],
            "user_properties": [],
            "rule_event": "Warn and Drop",
            "notification_emails": [],
        }
    )
    assert peer.get_schema_enforcement().events == []
    assert peer.delete_schema_enforcement()["ruleEvent"] == "Warn and Drop"
    await refused(ours.get_schema_enforcement(), 404)
    await ours.init_schema_enforcement({"rule_event": "Warn and Accept"})
    await ours.delete_schema_enforcement()
    with pytest.raises(mp.QueryError):
        peer.get_schema_enforcement()


async def test_audits_agree(peer: Any, ours: AsyncWorkspace) -> None:
    at = ts("2024-06-01T12:00:00")
    await ours.import_events(
        [
            ev("Add To Cart", "u1", at, "a", sku="x", price="9"),
            ev("Add To Cart", "u2", at + 1, "b", price=3, gift=True),
            ev("Stray", "u2", at + 2, "c"),
        ]
    )
    with pytest.raises(mp.QueryError):
        peer.run_audit()
    peer.create_schema("event", "Add To Cart", CART)
    for theirs, mine in (
        (peer.run_audit(), await ours.run_audit()),
        (peer.run_audit_events_only(), await ours.run_audit_events_only()),
    ):
        assert theirs.computed_at
        assert mine.computed_at
        assert len(theirs.violations) == len(mine.violations) > 0
        for a, b in zip(theirs.violations, mine.violations, strict=True):
            agree(a, b)
    kinds = {v.violation for v in peer.run_audit().violations}
    assert kinds == {
        "Unexpected Event",
        "Unexpected Property",
        "Missing Property",
        "Unexpected Type for Property",
    }


def spiky() -> list[dict[str, Any]]:
    """Ten quiet days of logins and one loud one."""
    out = []
    for d in range(12):
        start = ts(f"2024-03-{d + 1:02d}T08:00:00")
        count = 60 if d == 10 else 5
        out += [ev("Login", f"u{i}", start + i, f"l{d}-{i}") for i in range(count)]
    return out


async def test_anomalies_both_ways(peer: Any, ours: AsyncWorkspace) -> None:
    await ours.import_events(spiky())
    theirs = peer.list_data_volume_anomalies()
    mine = await ours.list_data_volume_anomalies()
    assert len(theirs) == len(mine) >= 1
    for a, b in zip(theirs, mine, strict=True):
        agree(a, b)
    target = mine[0]
    peer.update_anomaly(
        mp.UpdateAnomalyParams(id=target.id, status="dismissed", anomaly_class="Event")
    )
    assert (await ours.list_data_volume_anomalies(query_params={"status": "dismissed"}))[0].id == (
        target.id
    )
    await ours.bulk_update_anomalies(
        {"anomalies": [{"id": target.id, "anomalyClass": "Event"}], "status": "open"}
    )
    assert [a.id for a in peer.list_data_volume_anomalies(query_params={"status": "open"})] == [
        target.id
    ]
    peer.bulk_update_anomalies(
        mp.BulkUpdateAnomalyParams(
            anomalies=[mp.BulkAnomalyEntry(id=target.id, anomaly_class="Event")], status="dismissed"
        )
    )
    assert (await ours.list_data_volume_anomalies())[0].status == "dismissed"


async def test_deletion_requests_both_ways(peer: Any, ours: AsyncWorkspace, emu: Emulator) -> None:
    await ours.import_events(spiky())
    preview = {"event_name": "Login", "from_date": "2024-03-11", "to_date": "2024-03-11"}
    theirs = peer.preview_deletion_filters(mp.PreviewDeletionFiltersParams(**preview))
    assert theirs == await ours.preview_deletion_filters(preview)
    assert theirs[-1]["count"] == 60

    listed = peer.create_deletion_request(mp.CreateDeletionRequestParams(**preview))
    (mine,) = await ours.list_deletion_requests()  # Submitted -> Processing
    agree(listed[0], {**codec.unstructure(mine), "status": "Submitted"})
    (done,) = peer.list_deletion_requests()  # Processing -> Completed
    assert (done.status, done.deleted_events_count) == ("Completed", 60)
    assert len(emu.state.default.events.deduped()) == 5 * 11

    made = await ours.create_deletion_request(
        {"event_name": "Login", "from_date": "2024-03-01", "to_date": "2024-03-12"}
    )
    cancelled = peer.cancel_deletion_request(made[0].id)
    assert [r.status for r in cancelled] == ["Cancelled", "Completed"]
    again = peer.create_deletion_request(mp.CreateDeletionRequestParams(**preview))
    assert [r.status for r in await ours.cancel_deletion_request(again[0].id)] == [
        "Cancelled",
        "Cancelled",
        "Completed",
    ]
    for a, b in zip(
        peer.list_deletion_requests(), await ours.list_deletion_requests(), strict=True
    ):
        agree(a, b)
    assert len(emu.state.default.events.deduped()) == 5 * 11
