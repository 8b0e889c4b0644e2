"""Lexicon writes, tags, history, tracking metadata, export and drop filters through
AsyncWorkspace against the emulator, with their effects seen through other endpoints
(discovery, export, ingestion)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from aiohttp import web

from mixpanel_async import (
    AsyncWorkspace,
    BulkEventUpdate,
    BulkUpdateEventsParams,
    CreateDropFilterParams,
    EventDefinition,
    UpdateDropFilterParams,
    UpdateEventDefinitionParams,
)
from mixpanel_async.emulator import Emulator
from tests.helpers import ev, refused, sends_nothing, serving, today_moment

DAY = dt.datetime.fromtimestamp(today_moment(), dt.UTC).date().isoformat()


def batch() -> list[dict[str, Any]]:
    """A small product: three events, properties of several kinds, two libraries."""
    at = today_moment()
    events = [
        ev("Purchase", "u1", at - 50, amount=10, plan="pro", mp_lib="web", **{"$os": "Mac"}),
        ev("Purchase", "u2", at - 40, amount=25, plan="free", mp_lib="python"),
        ev("Purchase", "u1", at - 30, amount=5, env="test", mp_lib="web", **{"$os": "iOS"}),
        ev("Sign Up", "u3", at - 20, plan="pro", mp_lib="web", **{"$os": "Mac"}),
        ev("Debug", "u3", at - 10, env="test"),
    ]
    for n, e in enumerate(events):
        e["properties"]["$insert_id"] = f"seed-{n}"
    return events


@pytest.fixture
def sent() -> list[dict[str, Any]]:
    """The batch a test's workspace holds (built once: `today_moment()` moves with the clock)."""
    return batch()


@pytest.fixture
async def ws(mixpanel_workspace: AsyncWorkspace, sent: list[dict[str, Any]]) -> AsyncWorkspace:
    await mixpanel_workspace.import_events(sent)
    return mixpanel_workspace


async def stored(ws: AsyncWorkspace) -> list[tuple[str, str]]:
    frame = await ws.export_events(DAY, DAY)
    return sorted(zip(frame["event"].to_list(), frame["distinct_id"].to_list(), strict=True))


async def test_definitions_by_name_have_ids_and_only_the_names_asked(ws: AsyncWorkspace) -> None:
    defs = await ws.get_event_definitions(names=["Sign Up", "Nope", "Purchase"])
    assert [d.name for d in defs] == ["Sign Up", "Purchase"]
    assert all(isinstance(d, EventDefinition) and d.id > 0 for d in defs)
    again = await ws.get_event_definitions(names=["Purchase"])
    assert again[0].id == defs[1].id  # ids are stable
    props = await ws.get_property_definitions(names=["amount"])
    assert [(p.name, p.resource_type) for p in props] == [("amount", "Event")]
    assert await ws.get_property_definitions(names=["amount"], resource_type="user") == []


async def test_update_shows_in_reads_and_history(ws: AsyncWorkspace) -> None:
    before = (await ws.get_event_definitions(names=["Purchase"]))[0]
    updated = await ws.update_event_definition(
        "Purchase",
        UpdateEventDefinitionParams(description="Paid", verified=True, tags=["core"]),
    )
    assert (updated.id, updated.description, updated.verified) == (before.id, "Paid", True)
    assert updated.tags == ["core"]
    read = (await ws.get_event_definitions(names=["Purchase"]))[0]
    assert (read.description, read.verified, read.tags) == ("Paid", True, ["core"])
    await ws.update_event_definition("Purchase", {"description": "Bought"})
    history = await ws.get_event_history("Purchase")
    assert [h["changes"]["description"] for h in history] == [
        {"old": before.description, "new": "Paid"},
        {"old": "Paid", "new": "Bought"},
    ]
    assert history[0]["changes"]["verified"] == {"old": False, "new": True}
    assert all(h["action"] == "update" and h["timestamp"] for h in history)
    assert [t.name for t in await ws.list_lexicon_tags()] == ["core"]  # created on first use
    assert await ws.get_event_history("Sign Up") == []
    await refused(ws.get_event_history("Nope"), 404)
    await refused(ws.update_event_definition("Nope", {"hidden": True}), 404)


async def test_hidden_event_leaves_discovery_not_the_data(ws: AsyncWorkspace) -> None:
    assert "Debug" in await ws.events()
    assert "Debug" in [t.event for t in await ws.top_events()]
    await ws.update_event_definition("Debug", {"hidden": True})
    assert "Debug" not in await ws.events()  # the write cleared the discovery cache
    assert "Debug" not in [t.event for t in await ws.top_events()]
    assert ("Debug", "u3") in await stored(ws)
    await ws.update_event_definition("Debug", {"hidden": False})
    assert "Debug" in await ws.events()
    assert "plan" in await ws.properties("Purchase")
    await ws.update_property_definition("plan", {"hidden": True})
    assert "plan" not in await ws.properties("Purchase")
    assert "amount" in await ws.properties("Purchase")


async def test_bulk_update_is_all_or_nothing(ws: AsyncWorkspace) -> None:
    purchase = (await ws.get_event_definitions(names=["Purchase"]))[0]
    done = await ws.bulk_update_event_definitions(
        BulkUpdateEventsParams(
            events=[
                BulkEventUpdate(id=purchase.id, display_name="Buy"),
                BulkEventUpdate(name="Sign Up", verified=True, contacts=["ann@example.com"]),
            ]
        )
    )
    assert [(d.name, d.display_name, d.verified) for d in done] == [
        ("Purchase", "Buy", False),
        ("Sign Up", "", True),
    ]
    owners = (await ws.get_event_definitions(names=["Sign Up"]))[0].contacts
    assert owners == ["ann@example.com"]
    await refused(
        ws.bulk_update_event_definitions(
            {"events": [{"name": "Sign Up", "hidden": True}, {"name": "Nope", "hidden": True}]}
        ),
        404,
    )
    assert (await ws.get_event_definitions(names=["Sign Up"]))[0].hidden is False


async def test_delete_removes_until_the_event_comes_back(ws: AsyncWorkspace) -> None:
    await ws.update_event_definition("Sign Up", {"description": "Joined"})
    await ws.delete_event_definition("Sign Up")
    assert await ws.get_event_definitions(names=["Sign Up"]) == []
    await refused(ws.delete_event_definition("Sign Up"), 404)
    assert [h["action"] for h in await ws.get_event_history("Sign Up")] == ["update", "delete"]
    graph = await ws.schema_graph(force_refresh=True)
    assert "Sign Up" not in [e["name"] for e in graph.events]
    assert all(e["name"] != "Sign Up" for p in graph.properties for e in p["events"])
    assert {"name": "Purchase"} in next(p for p in graph.properties if p["name"] == "plan")[
        "events"
    ]
    await ws.import_events([ev("Sign Up", "u9", today_moment(), "again-1")])
    back = await ws.get_event_definitions(names=["Sign Up"])
    assert [(d.name, d.description) for d in back] == [("Sign Up", "")]


async def test_property_definitions_update_bulk_and_history(ws: AsyncWorkspace) -> None:
    one = await ws.update_property_definition("plan", {"description": "Plan", "sensitive": True})
    assert (one.name, one.resource_type, one.description, one.sensitive) == (
        "plan", "Event", "Plan", True,
    )  # fmt: skip
    many = await ws.bulk_update_property_definitions(
        {"properties": [{"name": "amount", "resource_type": "Event", "display_name": "Amount"}]}
    )
    assert [(p.name, p.display_name) for p in many] == [("amount", "Amount")]
    history = await ws.get_property_history("plan", "event")
    assert history[0]["changes"]["description"] == {"old": "", "new": "Plan"}
    assert await ws.get_property_history("amount", "Event") != []
    await refused(ws.get_property_history("plan", "user"), 404)  # no profile has it
    await refused(ws.get_property_history("plan", "planet"), 400)
    await refused(ws.update_property_definition("nope", {"hidden": True}), 404)


async def test_tags_lifecycle_follows_definitions(ws: AsyncWorkspace) -> None:
    core = await ws.create_lexicon_tag({"name": "core"})
    await refused(ws.create_lexicon_tag({"name": "core"}), 400)
    await ws.update_event_definition("Purchase", {"tags": ["core", "money"]})
    assert next((t.id, t.name) for t in await ws.list_lexicon_tags()) == (core.id, "core")
    renamed = await ws.update_lexicon_tag(core.id, {"name": "key"})
    assert (renamed.id, renamed.name) == (core.id, "key")
    assert (await ws.get_event_definitions(names=["Purchase"]))[0].tags == ["key", "money"]
    await ws.delete_lexicon_tag("money")
    assert (await ws.get_event_definitions(names=["Purchase"]))[0].tags == ["key"]
    assert [t.name for t in await ws.list_lexicon_tags()] == ["key"]
    await refused(ws.delete_lexicon_tag("money"), 404)
    await refused(ws.update_lexicon_tag(999, {"name": "x"}), 404)


async def test_tracking_metadata_counts_what_is_stored(
    ws: AsyncWorkspace, sent: list[dict[str, Any]]
) -> None:
    meta = await ws.get_tracking_metadata("Purchase")
    purchases = [e["properties"] for e in sent if e["event"] == "Purchase"]
    assert meta["totalCount"] == meta["last30DaysCount"] == len(purchases)
    first = dt.datetime.fromtimestamp(min(p["time"] for p in purchases), dt.UTC)
    assert meta["firstSeen"] == first.strftime("%Y-%m-%dT%H:%M:%SZ")
    libs = Counter(p["mp_lib"] for p in purchases)
    assert {x["name"]: x["count"] for x in meta["libraries"]} == libs
    assert {x["name"] for x in meta["platforms"]} == {"Mac", "iOS"}
    await refused(ws.get_tracking_metadata("Nope"), 404)


async def test_export_lexicon(ws: AsyncWorkspace, mixpanel_emulator: Emulator) -> None:
    mixpanel_emulator.state.default.profiles["u1"] = {"$name": "Ann", "tier": 2}
    await ws.update_event_definition("Purchase", {"description": "Paid"})
    everything = await ws.export_lexicon()
    assert sorted(everything) == ["eventProperties", "events", "userProperties"]
    assert {e["name"]: e["description"] for e in everything["events"]}["Purchase"] == "Paid"
    assert {"amount", "plan", "env"} <= {p["name"] for p in everything["eventProperties"]}
    assert {p["name"] for p in everything["userProperties"]} == {"$name", "tier"}
    users = await ws.export_lexicon(export_types=["All User Profile Properties"])
    assert sorted(users) == ["userProperties"]


async def test_drop_filters_act_at_ingestion(ws: AsyncWorkspace) -> None:
    made = await ws.create_drop_filter(
        CreateDropFilterParams(event_name="Purchase", filters={"property": "env", "value": "test"})
    )
    assert [(f.event_name, f.filters, f.active) for f in made] == [
        ("Purchase", [{"property": "env", "value": "test"}], True)
    ]
    at = today_moment()
    result = await ws.import_events(
        [
            ev("Purchase", "d1", at, "drop-1", env="test"),
            ev("Purchase", "k1", at, "keep-1", env="prod"),
            ev("Sign Up", "k2", at, "keep-2", env="test"),
        ]
    )
    assert result.imported == 3  # accepted, then dropped: as Mixpanel answers
    await ws.track("Purchase", {"env": "test"}, distinct_id="d2", token="t")
    await ws.track("Purchase", {"env": "live"}, distinct_id="k3", token="t")
    rows = await stored(ws)
    assert ("Purchase", "d1") not in rows
    assert ("Purchase", "d2") not in rows
    assert {("Purchase", "k1"), ("Sign Up", "k2"), ("Purchase", "k3")} <= set(rows)
    assert ("Purchase", "u1") in rows  # stored before the filter: kept
    seg = await ws.segmentation("Purchase", from_date=DAY, to_date=DAY)
    assert sum(seg.df["count"].to_list()) == 5  # 3 seeded + k1 + k3

    paused = await ws.update_drop_filter(UpdateDropFilterParams(id=made[0].id, active=False))
    assert paused[0].active is False
    await ws.import_events([ev("Purchase", "d3", at, "drop-3", env="test")])
    assert ("Purchase", "d3") in await stored(ws)
    assert await ws.delete_drop_filter(made[0].id) == []
    await refused(ws.delete_drop_filter(made[0].id), 404)


async def test_drop_filter_conditions_and_limit(ws: AsyncWorkspace) -> None:
    await ws.create_drop_filter(
        {
            "event_name": "Debug",
            "filters": [
                {"property": "env", "operator": "equals", "value": ["test", "dev"]},
                {"property": "owner", "operator": "is not set"},
            ],
        }
    )
    await ws.create_drop_filter({"event_name": "Noise", "filters": []})  # every Noise event
    at = today_moment()
    await ws.import_events(
        [
            ev("Debug", "a", at, "c-1", env="dev"),
            ev("Debug", "b", at, "c-2", env="dev", owner="x"),
            ev("Debug", "c", at, "c-3", env="prod"),
            ev("Noise", "d", at, "c-4"),
        ]
    )
    rows = set(await stored(ws))
    assert ("Debug", "a") not in rows
    assert ("Noise", "d") not in rows
    assert {("Debug", "b"), ("Debug", "c")} <= rows
    limit = (await ws.get_drop_filter_limits()).filter_limit
    for n in range(limit - 2):
        await ws.create_drop_filter({"event_name": f"E{n}", "filters": []})
    await refused(ws.create_drop_filter({"event_name": "One more", "filters": []}), 400)
    await refused(
        ws.create_drop_filter({"event_name": "X", "filters": {"property": "p", "operator": "~"}}),
        400,
    )


async def test_dropped_definitions_stop_ingestion(ws: AsyncWorkspace) -> None:
    await ws.update_event_definition("Debug", {"dropped": True})
    await ws.update_property_definition("env", {"dropped": True})
    at = today_moment()
    await ws.import_events(
        [ev("Debug", "n1", at, "x-1"), ev("Purchase", "n2", at, "x-2", env="a", amount=1)]
    )
    frame = await ws.export_events(DAY, DAY)
    assert "n1" not in frame["distinct_id"].to_list()
    new = frame.filter(frame["distinct_id"] == "n2")["properties"].to_list()[0]
    assert new.get("env") is None
    assert new["amount"] == 1


test_refused_before_sending = sends_nothing(
    (lambda ws: ws.get_event_definitions(names=[]), "names"),
    (lambda ws: ws.get_event_definitions(names="Purchase"), "names"),
    (lambda ws: ws.get_property_definitions(names=["a"], resource_type="group"), "resourceType"),
    (lambda ws: ws.update_event_definition("", {"hidden": True}), "event_name"),
    (lambda ws: ws.update_event_definition("E", {"hidden": "yes"}), "params"),
    (lambda ws: ws.delete_event_definition(" "), "event_name"),
    (lambda ws: ws.bulk_update_event_definitions({"events": []}), "events"),
    (lambda ws: ws.bulk_update_event_definitions({"events": [{"hidden": True}]}), "events"),
    (lambda ws: ws.update_property_definition("p", {"resource_type": "Group"}), "params"),
    (
        lambda ws: ws.bulk_update_property_definitions({"properties": [{"name": "p"}]}),
        "resource_type",
    ),
    (lambda ws: ws.create_lexicon_tag({"name": ""}), "name"),
    (lambda ws: ws.update_lexicon_tag(0, {"name": "x"}), "tag_id"),
    (lambda ws: ws.delete_lexicon_tag(""), "tag_name"),
    (lambda ws: ws.get_tracking_metadata(""), "event_name"),
    (lambda ws: ws.get_property_history("p", ""), "entity_type"),
    (lambda ws: ws.export_lexicon(export_types=["Everything"]), "export_types"),
    (lambda ws: ws.create_drop_filter({"event_name": "E"}), "params"),
    (lambda ws: ws.create_drop_filter({"event_name": "E", "filters": [{"value": 1}]}), "filters"),
    (lambda ws: ws.update_drop_filter({"id": -1}), "id"),
    (lambda ws: ws.delete_drop_filter(True), "drop_filter_id"),
)


async def test_lexicon_schemas_carry_definition_changes(ws: AsyncWorkspace) -> None:
    await ws.update_event_definition(
        "Purchase", {"description": "Paid", "hidden": True, "tags": ["core"]}
    )
    await ws.delete_event_definition("Debug")
    ws.clear_discovery_cache()
    schemas = {s.name: s for s in await ws.lexicon_schemas(entity_type="event")}
    assert "Debug" not in schemas
    purchase = schemas["Purchase"].schema_json
    assert purchase.description == "Paid"
    assert purchase.metadata is not None
    assert (purchase.metadata.hidden, purchase.metadata.tags) == (True, ["core"])
    assert schemas["Sign Up"].schema_json.metadata is not None
    assert schemas["Sign Up"].schema_json.metadata.hidden is False


async def test_answers_mixpanel_may_give_in_other_shapes() -> None:
    """Tags listed as bare names (id 0) and an export Mixpanel mails instead of answering."""

    async def tags(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "results": ["core", "money"]})

    async def export(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "results": "The export will be emailed"})

    app = web.Application()
    app.router.add_get("/api/app/projects/1/data-definitions/tags/", tags)
    app.router.add_get("/api/app/projects/1/data-definitions/export/", export)
    async with (
        serving(app) as url,
        AsyncWorkspace(base_url=url, project="1", username="u", secret="s") as ws,
    ):
        assert [(t.id, t.name) for t in await ws.list_lexicon_tags()] == [
            (0, "core"), (0, "money"),
        ]  # fmt: skip
        assert await ws.export_lexicon() == {
            "status": "pending",
            "message": "The export will be emailed",
        }


async def test_history_of_names_with_slashes_and_unicode(ws: AsyncWorkspace) -> None:
    odd = "Page/View ü?#"
    await ws.import_events([ev(odd, "u1", today_moment(), "odd-1", **{"a/b c": 1})])
    await ws.update_event_definition(odd, {"description": "d"})
    await ws.update_property_definition("a/b c", {"description": "d"})
    assert [h["changes"] for h in await ws.get_event_history(odd)] == [
        {"description": {"old": "", "new": "d"}}
    ]
    assert len(await ws.get_property_history("a/b c", "event")) == 1
