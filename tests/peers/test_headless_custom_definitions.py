"""The peer library and our client on one emulator, for every custom property and custom event
member: what one writes the other reads, field for field, and both are refused alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace, CustomEventRef, CustomPropertyRef, GroupBy, Metric
from mixpanel_async.emulator import Emulator
from mixpanel_async.transport import codec
from tests.helpers import (
    all_same,
    headless,
    ms,
    our_outcome,
    peer_outcome,
    row,
    same,
    same_frames,
)

pytest.importorskip("mixpanel_headless")

FORMULA = 'if(defined(A), upper(A), "none")'
VARIABLES = {"A": {"resourceType": "event", "value": "plan"}}


@pytest.fixture
def emu() -> Iterator[Emulator]:
    """A fresh, empty emulator per test."""
    with Emulator(port=0) as emulator:
        yield emulator


def same_property(theirs: Any, mine: Any) -> None:
    """A peer custom property and ours agree on every field both have (wire names)."""
    a = theirs.model_dump(mode="json", by_alias=True, exclude_none=True)
    b = codec.unstructure(mine)
    shared = a.keys() & b.keys()
    assert {"customPropertyId", "name", "displayFormula", "composedProperties"} <= shared
    assert {k: a[k] for k in shared} == {k: b[k] for k in shared}


def peer_params(**extra: Any) -> Any:
    mp = headless()
    return mp.CreateCustomPropertyParams(
        name="Plan shout",
        resource_type="events",
        display_formula=FORMULA,
        composed_properties={"A": mp.ComposedPropertyValue(resource_type="event", value="plan")},
        **extra,
    )


async def test_custom_properties_peer_writes(ours: AsyncWorkspace, peer: Any) -> None:
    mp = headless()
    made = peer.create_custom_property(peer_params(description="loud"))
    key = str(made.custom_property_id)
    same_property(made, await ours.get_custom_property(key))
    changed = peer.update_custom_property(key, mp.UpdateCustomPropertyParams(name="Shout"))
    same_property(changed, await ours.get_custom_property(key))
    for theirs, mine in zip(
        peer.list_custom_properties(), await ours.list_custom_properties(), strict=True
    ):
        same_property(theirs, mine)
    verdict = peer.validate_custom_property(peer_params())
    assert verdict == await ours.validate_custom_property(
        {
            "name": "Plan shout",
            "resource_type": "events",
            "display_formula": FORMULA,
            "composed_properties": VARIABLES,
        }
    )
    peer.delete_custom_property(key)
    assert await ours.list_custom_properties() == []


async def test_custom_properties_our_writes(ours: AsyncWorkspace, peer: Any) -> None:
    made = await ours.create_custom_property(
        {
            "name": "Plan shout",
            "resource_type": "events",
            "display_formula": FORMULA,
            "composed_properties": VARIABLES,
        }
    )
    key = str(made.custom_property_id)
    same_property(peer.get_custom_property(key), made)
    changed = await ours.update_custom_property(key, {"description": "loud", "is_locked": True})
    same_property(peer.get_custom_property(key), changed)
    [theirs] = peer.list_custom_properties()
    same_property(theirs, changed)
    await ours.delete_custom_property(key)
    assert peer.list_custom_properties() == []


async def test_custom_property_refusals_alike(ours: AsyncWorkspace, peer: Any) -> None:
    mp = headless()
    bad = mp.CreateCustomPropertyParams(
        name="Broken",
        resource_type="events",
        display_formula="if(A, ",
        composed_properties={"A": mp.ComposedPropertyValue(resource_type="event", value="plan")},
    )
    mine_bad = {"name": "Broken", "resource_type": "events", "display_formula": "if(A, ",
                "composed_properties": VARIABLES}  # fmt: skip
    for theirs, mine in (
        (
            lambda: peer.validate_custom_property(bad),
            lambda: ours.validate_custom_property(mine_bad),
        ),
        (lambda: peer.create_custom_property(bad), lambda: ours.create_custom_property(mine_bad)),
        (lambda: peer.get_custom_property("77"), lambda: ours.get_custom_property("77")),
        (lambda: peer.delete_custom_property("77"), lambda: ours.delete_custom_property("77")),
    ):
        a, b = peer_outcome(theirs), await our_outcome(mine)
        assert a[0] == b[0] == "QueryError"
        assert a[2] == b[2]
        assert b[1] in a[1]


async def test_custom_events_both_ways(ours: AsyncWorkspace, peer: Any) -> None:
    mp = headless()
    theirs = peer.create_custom_event(
        mp.CreateCustomEventParams(name="Any view", alternatives=["Home Viewed", "Page Viewed"])
    )
    mine = await ours.create_custom_event({"name": "Buy", "alternatives": ["Purchase"]})
    assert theirs.model_dump(mode="json") == {
        "id": theirs.id, "name": "Any view",
        "alternatives": [{"event": "Home Viewed"}, {"event": "Page Viewed"}],
    }  # fmt: skip
    assert codec.unstructure(mine) == {
        "id": mine.id,
        "name": "Buy",
        "alternatives": [{"event": "Purchase"}],
    }
    all_same(peer.list_custom_events(), await ours.list_custom_events())

    changed = peer.update_custom_event(mine.id, mp.UpdateEventDefinitionParams(hidden=True))
    assert changed.custom_event_id == mine.id
    same(changed, (await ours.list_custom_events())[1])
    ours_changed = await ours.update_custom_event(theirs.id, {"description": "views"})
    same(peer.list_custom_events()[0], ours_changed)

    peer.delete_custom_event(mine.id)
    assert [d.name for d in await ours.list_custom_events()] == ["Any view"]
    await ours.delete_custom_event(theirs.id)
    assert peer.list_custom_events() == []
    a = peer_outcome(lambda: peer.delete_custom_event(theirs.id))
    b = await our_outcome(lambda: ours.delete_custom_event(theirs.id))
    assert a[0] == b[0] == "QueryError"
    assert a[2] == b[2] == 404


@pytest.fixture
def busy(emu: Emulator) -> Emulator:
    """`emu` with a few days of purchases and refunds carrying plans and amounts."""
    plans = ["pro", "free", None, "Pro", "team"]
    emu.state.default.events.append(
        [
            row(
                ["Purchase", "Refund", "Page View"][n % 3],
                f"u{n % 4}",
                ms(f"2026-03-0{2 + n % 3}T10:00:00") + n,
                f"i{n}",
                **({"plan": plans[n % 5]} if plans[n % 5] else {}),
                amount=n % 7,
            )
            for n in range(30)
        ]
    )
    return emu


async def test_queries_see_custom_definitions_alike(
    busy: Emulator, ours: AsyncWorkspace, peer: Any
) -> None:
    mp = headless()
    made = await ours.create_custom_property(
        {
            "name": "Plan shout",
            "resource_type": "events",
            "display_formula": FORMULA,
            "composed_properties": VARIABLES,
        }
    )
    money = peer.create_custom_event(
        mp.CreateCustomEventParams(name="Money", alternatives=["Purchase", "Refund"])
    )
    window = {"from_date": "2026-03-02", "to_date": "2026-03-04"}
    on = f'properties["$custom_property:{made.custom_property_id}"]'
    theirs = peer.segmentation("Purchase", on=on, **window)
    mine = await ours.segmentation("Purchase", on=on, **window)
    assert mine.series == theirs.series
    assert set(mine.series) == {"PRO", "FREE", "TEAM", "none"}
    event = f"$custom_event:{money.id}"
    assert (await ours.segmentation(event, **window)).total == peer.segmentation(
        event, **window
    ).total

    options = {"mode": "total", **window}
    theirs_q = peer.query(
        mp.Metric(mp.CustomEventRef(money.id)),
        group_by=mp.GroupBy(mp.CustomPropertyRef(made.custom_property_id)),
        **options,
    )
    mine_q = await ours.query(
        Metric(CustomEventRef(money.id)),
        group_by=GroupBy(CustomPropertyRef(made.custom_property_id)),
        **options,
    )
    assert mine_q.series == theirs_q.series
    same_frames(mine_q.df, theirs_q.df)


async def test_flows_anchored_at_a_custom_event_alike(
    busy: Emulator, ours: AsyncWorkspace, peer: Any
) -> None:
    mp = headless()
    money = peer.create_custom_event(
        mp.CreateCustomEventParams(name="Money", alternatives=["Purchase", "Refund"])
    )
    event = f"$custom_event:{money.id}"
    options = {"forward": 1, "reverse": 1, "from_date": "2026-03-02", "to_date": "2026-03-04"}
    theirs = peer.query_flow(event, **options)
    mine = await ours.query_flow(event, **options)
    assert mine.steps == theirs.steps
    anchors = [n for step in mine.steps for n in step["nodes"] if n["type"] == "ANCHOR"]
    assert [(n["event"], n["isCustomEvent"]) for n in anchors] == [(event, True)]
    assert int(anchors[0]["totalCount"]) == 4  # u0..u3 each buy or refund in the range
