"""The peer library and our client on one emulator, for every Lexicon write, tag, history,
export and drop filter member: what one writes the other reads, field for field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from tests.helpers import all_same, headless, row, same, today_moment

pytest.importorskip("mixpanel_headless")


@pytest.fixture
def emu() -> Iterator[Emulator]:
    """A fresh emulator per test, with a few events and one profile."""
    at = today_moment() * 1000
    with Emulator(port=0) as emulator:
        project = emulator.state.default
        project.events.append(
            [
                row("Purchase", "u1", at - 3000, "p1", amount=10, plan="pro", mp_lib="web"),
                row("Purchase", "u2", at - 2000, "p2", amount=5, env="test", mp_lib="python"),
                row("Sign Up", "u3", at - 1000, "s1", plan="free", mp_lib="web"),
            ]
        )
        project.profiles["u1"] = {"$name": "Ann", "plan": "pro"}
        yield emulator


def same_filters(theirs: list[Any], mine: list[Any]) -> None:
    """The peer's drop filters and ours, field for field."""
    fields = ("id", "event_name", "filters", "active", "display_name", "created")
    assert [tuple(getattr(f, n) for n in fields) for f in theirs] == [
        tuple(getattr(f, n) for n in fields) for f in mine
    ]


async def test_event_definitions_by_name(ours: AsyncWorkspace, peer: Any) -> None:
    names = ["Sign Up", "Nope", "Purchase"]
    theirs = peer.get_event_definitions(names=names)
    assert [d.name for d in theirs] == ["Sign Up", "Purchase"]
    all_same(theirs, await ours.get_event_definitions(names=names))
    props = peer.get_property_definitions(names=["amount"])
    assert [p.name for p in props] == ["amount"]
    all_same(props, await ours.get_property_definitions(names=["amount"]))
    users = peer.get_property_definitions(names=["plan"], resource_type="user")
    all_same(users, await ours.get_property_definitions(names=["plan"], resource_type="user"))


async def test_event_updates_both_ways(ours: AsyncWorkspace, peer: Any) -> None:
    mp = headless()
    theirs = peer.update_event_definition(
        "Purchase", mp.UpdateEventDefinitionParams(description="Paid", tags=["core"])
    )
    mine = (await ours.get_event_definitions(names=["Purchase"]))[0]
    same(theirs, mine)
    assert (mine.description, mine.tags) == ("Paid", ["core"])
    back = await ours.update_event_definition("Sign Up", {"verified": True, "hidden": True})
    same(peer.get_event_definitions(names=["Sign Up"])[0], back)
    assert "Sign Up" not in peer.events()  # hidden: gone from the peer's discovery too
    assert "Purchase" in peer.events()
    bulk = peer.bulk_update_event_definitions(
        mp.BulkUpdateEventsParams(events=[mp.BulkEventUpdate(name="Sign Up", display_name="Join")])
    )
    all_same(bulk, await ours.get_event_definitions(names=["Sign Up"]))
    mine_bulk = await ours.bulk_update_event_definitions(
        {"events": [{"id": mine.id, "display_name": "Buy"}]}
    )
    all_same(peer.get_event_definitions(names=["Purchase"]), mine_bulk)
    for name in ("Purchase", "Sign Up"):
        history = await ours.get_event_history(name)
        assert history == peer.get_event_history(name)
        assert len(history) == 2


async def test_event_delete_both_ways(ours: AsyncWorkspace, peer: Any) -> None:
    peer.delete_event_definition("Purchase")
    assert await ours.get_event_definitions(names=["Purchase"]) == []
    await ours.delete_event_definition("Sign Up")
    assert peer.get_event_definitions(names=["Sign Up", "Purchase"]) == []
    with pytest.raises(headless().QueryError):
        peer.delete_event_definition("Sign Up")


async def test_property_updates_both_ways(ours: AsyncWorkspace, peer: Any) -> None:
    mp = headless()
    theirs = peer.update_property_definition(
        "plan", mp.UpdatePropertyDefinitionParams(description="Plan", resource_type="User")
    )
    all_same([theirs], await ours.get_property_definitions(names=["plan"], resource_type="User"))
    mine = await ours.update_property_definition("amount", {"sensitive": True})
    same(peer.get_property_definitions(names=["amount"])[0], mine)
    bulk = peer.bulk_update_property_definitions(
        mp.BulkUpdatePropertiesParams(
            properties=[mp.BulkPropertyUpdate(name="env", resource_type="Event", hidden=True)]
        )
    )
    all_same(bulk, await ours.get_property_definitions(names=["env"]))
    mine_bulk = await ours.bulk_update_property_definitions(
        {"properties": [{"name": "env", "resourceType": "Event", "exampleValue": "test"}]}
    )
    all_same(peer.get_property_definitions(names=["env"]), mine_bulk)
    for name, entity in (("plan", "user"), ("amount", "event"), ("env", "event")):
        history = await ours.get_property_history(name, entity)
        assert history == peer.get_property_history(name, entity)
        assert history


async def test_tags_both_ways(ours: AsyncWorkspace, peer: Any) -> None:
    mp = headless()
    made = peer.create_lexicon_tag(mp.CreateTagParams(name="core"))
    all_same([made], await ours.list_lexicon_tags())
    mine = await ours.update_lexicon_tag(made.id, {"name": "key"})
    all_same(peer.list_lexicon_tags(), [mine])
    other = await ours.create_lexicon_tag({"name": "other"})
    renamed = peer.update_lexicon_tag(other.id, mp.UpdateTagParams(name="misc"))
    all_same([renamed], [t for t in await ours.list_lexicon_tags() if t.id == other.id])
    peer.delete_lexicon_tag("key")
    await ours.delete_lexicon_tag("misc")
    assert peer.list_lexicon_tags() == []
    assert await ours.list_lexicon_tags() == []


async def test_metadata_and_export_agree(ours: AsyncWorkspace, peer: Any) -> None:
    assert await ours.get_tracking_metadata("Purchase") == peer.get_tracking_metadata("Purchase")
    await ours.update_event_definition("Purchase", {"description": "Paid"})
    mine = await ours.export_lexicon()
    assert mine == peer.export_lexicon()
    assert sorted(mine) == ["eventProperties", "events", "userProperties"]
    kinds = ["All User Profile Properties"]
    assert await ours.export_lexicon(export_types=kinds) == peer.export_lexicon(export_types=kinds)


async def test_drop_filters_both_ways(ours: AsyncWorkspace, peer: Any, emu: Emulator) -> None:
    mp = headless()
    made = peer.create_drop_filter(
        mp.CreateDropFilterParams(event_name="Purchase", filters={"property": "env", "value": "x"})
    )
    same_filters(made, await ours.list_drop_filters())
    mine = await ours.create_drop_filter({"event_name": "Noise", "filters": []})
    same_filters(peer.list_drop_filters(), mine)
    theirs = peer.update_drop_filter(mp.UpdateDropFilterParams(id=made[0].id, active=False))
    same_filters(theirs, await ours.list_drop_filters())
    mine = await ours.update_drop_filter({"id": made[0].id, "active": True, "event_name": "Buy"})
    same_filters(peer.list_drop_filters(), mine)
    assert (
        peer.get_drop_filter_limits().filter_limit
        == (await ours.get_drop_filter_limits()).filter_limit
    )
    # The peer's filter acts on what our client imports.
    before = len(emu.events())
    await ours.import_events(
        [{"event": "Noise", "properties": {"time": today_moment(), "distinct_id": "z"}}]
    )
    assert len(emu.events()) == before
    same_filters(peer.delete_drop_filter(made[0].id), await ours.list_drop_filters())
    assert await ours.delete_drop_filter(mine[1].id) == []
    assert peer.list_drop_filters() == []
