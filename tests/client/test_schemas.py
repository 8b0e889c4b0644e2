"""The schema registry, schema enforcement and the data audit through AsyncWorkspace against
the emulator: writes read back, enforcement acting on `/import` and `/track`, and an audit whose
findings are recomputed here from the planted events."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace, BulkCreateSchemasParams, SchemaEntry
from mixpanel_async.emulator import Emulator
from tests.helpers import FAST, ev, refused, sends_nothing, today_moment, ts

PURCHASE = {
    "description": "A completed order",
    "required": ["amount", "plan"],
    "properties": {
        "amount": {"type": "number"},
        "plan": {"type": "string"},
        "items": {"type": "integer"},
    },
    "metadata": {"com.mixpanel": {"tags": ["revenue"], "hidden": False}},
}


def planted() -> list[dict[str, Any]]:
    """Purchases that break the schema in known ways, and an event without a schema."""
    at = ts("2024-03-01T12:00:00")
    return [
        ev("Purchase", "u1", at, "p1", amount=10, plan="pro", items=2),
        ev("Purchase", "u2", at + 60, "p2", amount="12", plan="free", items=1.5),
        ev("Purchase", "u3", at + 120, "p3", amount=3, coupon="X"),
        ev("Purchase", "u4", at + 180, "p4", amount=4, plan="pro", coupon="Y", **{"$browser": "x"}),
        ev("Debug Log", "u1", at + 240, "d1", level="info"),
        ev("Debug Log", "u2", at + 300, "d2"),
    ]


def expected_violations(events: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The audit's findings, worked out from the events and PURCHASE alone."""
    props = PURCHASE["properties"]
    found: Counter[tuple[Any, ...]] = Counter()
    for e in events:
        own = {
            k: v
            for k, v in e["properties"].items()
            if k not in ("time", "distinct_id", "$insert_id")
        }
        if e["event"] != "Purchase":
            found[("Unexpected Event", e["event"], e["event"], None)] += 1
            continue
        for key, value in own.items():
            if key.startswith("$"):
                continue
            if key not in props:
                found[("Unexpected Property", key, "Purchase", None)] += 1
                continue
            kind = props[key]["type"]
            whole = isinstance(value, int | float) and value == int(value)
            ok = {
                "number": isinstance(value, int | float),
                "string": isinstance(value, str),
                "integer": whole,
            }[kind]
            if not ok:
                got = "string" if isinstance(value, str) else "number"
                found[
                    ("Unexpected Type for Property", key, "Purchase", f"expected {kind}, got {got}")
                ] += 1
        for key in PURCHASE["required"]:
            if key not in own:
                found[("Missing Property", key, "Purchase", None)] += 1
    return sorted((*k, n) for k, n in found.items())


async def test_registry_writes_read_back(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    created = await ws.create_schema("event", "Purchase", PURCHASE)
    assert created["schemaJson"] == PURCHASE
    assert created["version"]
    await ws.create_schema("profile", "$user", {"properties": {"plan": {"type": "string"}}})
    listed = {(s.entity_type, s.name): s for s in await ws.list_schema_registry()}
    assert listed[("event", "Purchase")].schema_definition == PURCHASE
    assert [s.name for s in await ws.list_schema_registry(entity_type="profile")] == ["$user"]

    # a replacement keeps stored metadata keys it lacks (Mixpanel's documented merge)
    await ws.create_schema("event", "Purchase", {"properties": {"amount": {"type": "number"}}})
    await ws.update_schema("event", "Purchase", {"properties": {"tax": {"type": "number"}}})
    (entry,) = await ws.list_schema_registry(entity_type="event")
    assert entry.schema_definition == {
        "properties": {"amount": {"type": "number"}, "tax": {"type": "number"}},
        "metadata": PURCHASE["metadata"],
    }
    # the Lexicon view reads the same entries, not a stale cache
    assert sorted((await ws.lexicon_schema("event", "Purchase")).schema_json.properties) == [
        "amount",
        "tax",
    ]
    await ws.update_schema("event", "Purchase", {"properties": {"tax": None}})
    assert sorted((await ws.lexicon_schema("event", "Purchase")).schema_json.properties) == [
        "amount"
    ]

    bulk = await ws.create_schemas_bulk(
        BulkCreateSchemasParams(
            entries=[
                SchemaEntry(entity_type="event", name="Login", schema_definition={}),
                SchemaEntry(entity_type="event", name="Signup", schema_definition={}),
            ],
            truncate=True,
            entity_type="event",
        )
    )
    assert (bulk.added, bulk.deleted) == (2, 1)
    names = {(s.entity_type, s.name) for s in await ws.list_schema_registry()}
    assert names == {("event", "Login"), ("event", "Signup"), ("profile", "$user")}

    results = await ws.update_schemas_bulk(
        {
            "entries": [
                {"entityType": "event", "name": "Login", "schemaJson": {"description": "in"}},
                {"entity_type": "event", "name": "Gone", "schema_definition": {}},
            ]
        }
    )
    assert [(r.name, r.status) for r in results] == [("Login", "ok"), ("Gone", "error")]
    assert results[1].error

    assert (await ws.delete_schemas(entity_type="event", entity_name="Login")).delete_count == 1
    assert (await ws.delete_schemas(entity_type="event", entity_name="Login")).delete_count == 0
    assert (await ws.delete_schemas(entity_type="event")).delete_count == 1
    assert (await ws.delete_schemas()).delete_count == 1
    assert await ws.list_schema_registry() == []


async def test_registry_refusals(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    await refused(ws.update_schema("event", "Nothing", {"description": "x"}), 404)
    await refused(ws.create_schema("event", "Bad", {"properties": {"a": {"type": "decimal"}}}), 400)
    await refused(ws.create_schema("event", "Bad", {"properties": []}), 400)
    await refused(ws.run_audit(), 400, match="no schemas")
    await refused(ws.run_audit_events_only(), 400)


async def test_audit_reports_the_planted_differences(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    events = planted()
    await ws.import_events(events)
    await ws.create_schema("event", "Purchase", PURCHASE)
    audit = await ws.run_audit()
    assert audit.computed_at
    got = sorted(
        (v.violation, v.name, v.event, v.property_type_error, v.count) for v in audit.violations
    )
    assert got == expected_violations(events)
    frame = audit.df
    assert frame.columns[:4] == ["violation", "name", "event", "count"]
    assert (
        sorted(
            frame.select("violation", "name", "event", "property_type_error", "count").iter_rows()
        )
        == got
    )
    only = await ws.run_audit_events_only()
    assert [(v.violation, v.name, v.count) for v in only.violations] == [
        ("Unexpected Event", "Debug Log", 2)
    ]
    # planning the event clears its violation
    await ws.create_schema("event", "Debug Log", {"properties": {"level": {"type": "string"}}})
    assert (await ws.run_audit_events_only()).violations == []


async def test_enforcement_lifecycle(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    await refused(ws.get_schema_enforcement(), 404)
    await refused(ws.delete_schema_enforcement(), 404)
    await refused(ws.update_schema_enforcement({"rule_event": "Warn and Drop"}), 400)
    await ws.create_schema("event", "Purchase", PURCHASE)

    started = await ws.init_schema_enforcement({"rule_event": "Warn and Accept"})
    assert started["state"] == "planned"
    assert [e["name"] for e in started["events"]] == ["Purchase"]
    await refused(ws.init_schema_enforcement({"rule_event": "Warn and Accept"}), 400)

    await ws.update_schema_enforcement(
        {
            "rule_event": "Warn and Hide",
            "events": ["Login"],
            "properties": {"Login": ["method"]},
            "notification_emails": ["data@example.com"],
        }
    )
    config = await ws.get_schema_enforcement()
    assert config.rule_event == "Warn and Hide"
    assert config.notification_emails == ["data@example.com"]
    assert config.events is not None
    assert {e["name"]: e["properties"] for e in config.events} == {
        "Login": ["method"],
        "Purchase": ["amount", "items", "plan"],
    }
    some = await ws.get_schema_enforcement(fields="ruleEvent,state")
    assert (some.rule_event, some.state, some.events) == ("Warn and Hide", "planned", None)

    replaced = await ws.replace_schema_enforcement(
        {
            "events": [{"name": "Signup", "properties": []}],
            "common_properties": [],
            "user_properties": [{"name": "plan"}],
            "rule_event": "Warn and Drop",
            "notification_emails": [],
        }
    )
    assert [e["name"] for e in replaced["events"]] == ["Signup"]
    removed = await ws.delete_schema_enforcement()
    assert removed["ruleEvent"] == "Warn and Drop"
    await refused(ws.get_schema_enforcement(), 404)


async def test_init_from_ingested_data(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    now = today_moment()
    await ws.import_events(
        [ev("Recent", "u1", now, "r1", plan="pro"), ev("Old", "u1", now - 90 * 86_400, "o1")]
    )
    started = await ws.init_schema_enforcement({"rule_event": "Warn and Accept"})
    assert started["state"] == "ingested"
    assert started["events"] == [{"name": "Recent", "properties": ["plan"]}]
    assert started["initializedFrom"] < started["initializedTo"]


@pytest.mark.parametrize(
    ("rule", "kept"),
    [
        ("Warn and Accept", {"Planned", "Stray"}),
        ("Warn and Hide", {"Planned", "Stray"}),
        ("Warn and Drop", {"Planned"}),
    ],
)
async def test_enforcement_acts_at_ingestion(
    mixpanel_workspace: AsyncWorkspace, mixpanel_emulator: Emulator, rule: str, kept: set[str]
) -> None:
    ws = mixpanel_workspace
    await ws.create_schema("event", "Planned", {})
    await ws.init_schema_enforcement({"rule_event": rule})
    at = ts("2024-05-01T10:00:00")
    result = await ws.import_events([ev("Planned", "u1", at, "a"), ev("Stray", "u1", at + 1, "b")])
    assert (result.imported, result.failed) == (2, ())
    await ws.track("Stray", {"source": "live"}, distinct_id="u2", token="t")
    await ws.track("Planned", distinct_id="u2", token="t")
    frame = await ws.export_events("2024-05-01", "2024-05-01")
    live = mixpanel_emulator.state.default.events.deduped()
    assert set(frame["event"]) == kept
    assert set(live["event"]) == kept
    if rule == "Warn and Hide":
        raw = mixpanel_emulator.state.default.entities["schema_enforcement"]
        assert raw["hiddenEvents"] == ["Stray"]
    # enforcement off again: everything is stored
    await ws.delete_schema_enforcement()
    await ws.import_events([ev("Stray", "u9", at + 5, "c")])
    assert "Stray" in set((await ws.export_events("2024-05-01", "2024-05-01"))["event"])


test_bad_input_fails_before_any_request = sends_nothing(
    (lambda ws: ws.list_schema_registry(entity_type="events"), "entity_type"),
    (lambda ws: ws.create_schema("cohort", "x", {}), "entity_type"),
    (lambda ws: ws.create_schema("event", " ", {}), "entity_name"),
    (lambda ws: ws.create_schema("event", "x", ["not", "a", "dict"]), "schema_json"),
    (lambda ws: ws.update_schema("event", "x", "text"), "schema_json"),
    (lambda ws: ws.delete_schemas(entity_name="Purchase"), "entity_type"),
    (lambda ws: ws.create_schemas_bulk({"truncate": True}), "entries"),
    (
        lambda ws: ws.create_schemas_bulk(
            {"entries": [{"entityType": "group", "name": "x", "schemaJson": {}}]}
        ),
        "entity_type",
    ),
    (
        lambda ws: ws.update_schemas_bulk(
            {"entries": [{"entityType": "event", "name": "", "schemaJson": {}}]}
        ),
        "name",
    ),
    (lambda ws: ws.init_schema_enforcement({"rule_event": "Drop"}), "rule_event"),
    (lambda ws: ws.init_schema_enforcement({}), "rule"),
    (lambda ws: ws.update_schema_enforcement({"rule_event": "warn and drop"}), "rule_event"),
    (lambda ws: ws.replace_schema_enforcement({"rule_event": "Warn and Drop"}), "events"),
)


async def test_a_pinned_workspace_reaches_the_same_project(mixpanel_emulator: Emulator) -> None:
    async with AsyncWorkspace(
        base_url=mixpanel_emulator.url, project="1", workspace=1, retry=FAST
    ) as ws:
        await ws.create_schema("event", "Login", {})
        assert [s.name for s in await ws.list_schema_registry(entity_type="event")] == ["Login"]
        await ws.init_schema_enforcement({"rule_event": "Warn and Accept"})
        assert (await ws.get_schema_enforcement()).rule_event == "Warn and Accept"
        assert (await ws.run_audit_events_only()).violations == []
        assert await ws.list_data_volume_anomalies() == []
        assert await ws.list_deletion_requests() == []
