"""Custom events through AsyncWorkspace against the emulator: create (a form), list, update and
delete through the Lexicon's event definitions, and the checks made before any request."""

from __future__ import annotations

from mixpanel_async import AsyncWorkspace, CreateCustomEventParams
from tests.helpers import refused, sends_nothing


async def test_lifecycle(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    assert await ws.list_custom_events() == []
    views = await ws.create_custom_event(
        CreateCustomEventParams(name="Any view", alternatives=["Home Viewed", "Page Viewed"])
    )
    assert (views.name, [a.event for a in views.alternatives]) == (
        "Any view",
        ["Home Viewed", "Page Viewed"],
    )
    buys = await ws.create_custom_event({"name": "Buy", "alternatives": ["Purchase"]})
    assert buys.id != views.id

    listed = await ws.list_custom_events()
    assert [(d.name, d.custom_event_id) for d in listed] == [
        ("Any view", views.id),
        ("Buy", buys.id),
    ]
    plain = await ws.get_event_definitions(names=["Any view"])
    assert plain == []  # not a plain event definition

    changed = await ws.update_custom_event(views.id, {"hidden": True, "description": "views"})
    assert (changed.custom_event_id, changed.hidden, changed.description) == (
        views.id,
        True,
        "views",
    )
    assert [d.hidden for d in await ws.list_custom_events()] == [True, False]

    await ws.delete_custom_event(buys.id)
    assert [d.name for d in await ws.list_custom_events()] == ["Any view"]
    await refused(ws.delete_custom_event(buys.id), 404)
    await refused(ws.update_custom_event(buys.id, {"hidden": False}), 404)


async def test_duplicate_name_refused(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    await ws.create_custom_event({"name": "Buy", "alternatives": ["Purchase"]})
    await refused(ws.create_custom_event({"name": "Buy", "alternatives": ["Order"]}), 400)
    assert len(await ws.list_custom_events()) == 1


test_checked_before_sending = sends_nothing(
    (lambda ws: ws.create_custom_event({"name": "x", "alternatives": []}), "alternatives"),
    (lambda ws: ws.create_custom_event({"name": "x", "alternatives": ["a", "a"]}), "repeat"),
    (lambda ws: ws.create_custom_event({"name": "x", "alternatives": ["a", " "]}), "alternatives"),
    (lambda ws: ws.create_custom_event({"name": "", "alternatives": ["a"]}), "name"),
    (lambda ws: ws.create_custom_event("Buy"), "params"),
    (lambda ws: ws.update_custom_event(0, {"hidden": True}), "custom_event_id"),
    (lambda ws: ws.update_custom_event(1, {"hidden": "yes"}), "hidden"),
    (lambda ws: ws.delete_custom_event("one"), "custom_event_id"),
)
