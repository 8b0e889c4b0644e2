"""Discovery through `AsyncWorkspace` against the emulator: event names, properties, values,
subproperties, funnels, cohorts, top events, and the seed's caching semantics."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from mixpanel_async import (
    AsyncWorkspace,
    EventNotFoundError,
    FunnelInfo,
    ParamValidationError,
    QueryError,
    SavedCohort,
    SubPropertyInfo,
    TopEvent,
)
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import COHORTS, DAY, FUNNELS, ev, today_moment, ts

CART = [{"Brand": "nike", "Price": 50, "Sale": True}, {"Brand": "puma", "Price": 7.5}]


def events() -> list[dict[str, Any]]:
    now = today_moment()
    return [
        ev("Sign Up", "alice", ts("2024-02-01T09:00:00"), "s1", plan="pro", source="ads"),
        ev("Sign Up", "bob", ts("2024-02-01T10:00:00"), "s2", plan="free", source="seo"),
        ev("Sign Up", "carol", ts("2024-02-01T11:00:00"), "s3", plan="pro", trial=True),
        ev("Purchase", "alice", ts("2024-02-02T11:00:00"), "p1", amount=30, cart=CART),
        ev("Purchase", "bob", ts("2024-02-03T12:00:00"), "p2", amount=5.5, plan="free"),
        ev("Page View", "carol", now, "v1", page="/home"),
        ev("Page View", "dave", now - 1, "v2", page="/pricing"),
        ev("Page View", "dave", now - DAY, "v3", page="/home"),  # yesterday
        ev("Sign Up", "erin", now, "s4", plan="pro"),
    ]


@pytest.fixture
def emu(mixpanel_emulator: Emulator) -> Emulator:
    project = mixpanel_emulator.state.default
    project.events.append(rows_of(events()))
    project.funnels[:] = [dict(f) for f in FUNNELS]
    project.cohorts[:] = [dict(c) for c in COHORTS]
    return mixpanel_emulator


@pytest.fixture
def ws(emu: Emulator, mixpanel_workspace: AsyncWorkspace) -> AsyncWorkspace:
    return mixpanel_workspace


def fail_every_request(emu: Emulator) -> None:
    """Any request from now on is a 500, so a test passing proves none was sent."""
    emu.add_fault(path="/", status=500, count=1000)


async def test_events_sorted(ws: AsyncWorkspace) -> None:
    assert await ws.events() == ["Page View", "Purchase", "Sign Up"]
    assert await ws.events(from_date="2024-02-02", to_date="2024-02-03") == ["Purchase"]
    assert await ws.events(limit=1) in (["Page View"], ["Purchase"], ["Sign Up"])


async def test_events_retries_inside_the_history_limit(ws: AsyncWorkspace, emu: Emulator) -> None:
    emu.add_fault(
        operation="list_event_names", status=403, body="Date range exceeds 30 days into the past"
    )
    # Only today's and yesterday's events are within the last 30 days.
    assert await ws.events() == ["Page View", "Sign Up"]


async def test_events_does_not_retry_an_explicit_from_date(
    ws: AsyncWorkspace, emu: Emulator
) -> None:
    emu.add_fault(
        operation="list_event_names", status=403, body="Date range exceeds 30 days into the past"
    )
    with pytest.raises(QueryError, match="exceeds 30 days") as info:
        await ws.events(from_date="2024-01-01")
    assert info.value.status_code == 403


async def test_discovery_is_cached_until_cleared(ws: AsyncWorkspace, emu: Emulator) -> None:
    assert await ws.events() == ["Page View", "Purchase", "Sign Up"]
    assert [f.funnel_id for f in await ws.funnels()] == [11, 12]
    assert await ws.property_values("plan", event="Sign Up") == ["pro", "free"]
    emu.state.default.events.append(rows_of([ev("Refund", "bob", today_moment(), "r1", plan="x")]))
    emu.state.default.funnels.append({"funnel_id": 13, "name": "A", "steps": ["Refund"]})
    # Cached results are copies: editing one does not edit the cache.
    (await ws.events()).append("mutated")
    assert await ws.events() == ["Page View", "Purchase", "Sign Up"]
    assert [f.funnel_id for f in await ws.funnels()] == [11, 12]
    top = await ws.top_events()  # live data, never cached
    assert "Refund" in [t.event for t in top]

    ws.clear_discovery_cache()
    assert await ws.events() == ["Page View", "Purchase", "Refund", "Sign Up"]
    assert [f.funnel_id for f in await ws.funnels()] == [13, 11, 12]
    assert await ws.property_values("plan") == ["pro", "free", "x"]


async def test_use_drops_the_cache_and_clearing_keeps_me(ws: AsyncWorkspace, emu: Emulator) -> None:
    me = await ws.me()
    await ws.cohorts()
    ws.clear_discovery_cache()
    assert await ws.me() is me  # only discovery results are dropped
    emu.state.default.cohorts.append({"id": 1, "name": "New", "count": 0, "created": "x"})
    assert len(await ws.cohorts()) == 3
    emu.state.default.cohorts.pop()
    assert len(await ws.cohorts()) == 3
    ws.use(project="1")
    assert len(await ws.cohorts()) == 2


async def test_properties(ws: AsyncWorkspace) -> None:
    assert await ws.properties("Sign Up") == ["plan", "source", "trial"]
    assert await ws.properties("Purchase") == ["amount", "cart", "plan"]


async def test_properties_of_unknown_event_suggests_names(ws: AsyncWorkspace) -> None:
    with pytest.raises(EventNotFoundError) as info:
        await ws.properties("sign up")
    assert info.value.event_name == "sign up"
    assert info.value.similar_events == ["Sign Up"]
    assert "Did you mean: Sign Up?" in str(info.value)
    with pytest.raises(EventNotFoundError) as info:
        await ws.properties("Page")
    assert info.value.similar_events == ["Page View"]
    with pytest.raises(EventNotFoundError) as info:
        await ws.properties("zzz")
    assert info.value.similar_events == []


async def test_property_values(ws: AsyncWorkspace) -> None:
    assert await ws.property_values("plan", event="Sign Up") == ["pro", "free"]
    assert await ws.property_values("amount", event="Purchase") == ["30", "5.5"]
    assert await ws.property_values("trial", event="Sign Up") == ["true"]
    assert await ws.property_values("page", event="Page View", limit=1) == ["/home"]
    assert await ws.property_values("missing") == []


async def test_subproperties(ws: AsyncWorkspace) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every key has one scalar type: nothing to warn about
        found = await ws.subproperties("cart", event="Purchase")
    assert found == [
        SubPropertyInfo(name="Brand", type="string", sample_values=("nike", "puma")),
        SubPropertyInfo(name="Price", type="number", sample_values=(50, 7.5)),
        SubPropertyInfo(name="Sale", type="boolean", sample_values=(True,)),
    ]
    assert await ws.subproperties("plan") == []  # plain strings are not objects


def test_subproperty_inference_warns_on_mixed_types() -> None:
    from mixpanel_async.api.discovery import infer_subproperties

    raw = [
        '[{"id": 1, "when": "2024-01-02T03:04:05Z", "tags": ["a"], "gone": null}]',
        '{"id": "x", "when": "2024-01-03", "tags": "b", "gone": null}',
        "not json",
        "42",
    ]
    with pytest.warns(UserWarning, match="Subproperty") as warned:
        found = {sp.name: (sp.type, sp.sample_values) for sp in infer_subproperties(raw)}
    assert found == {
        "id": ("string", (1, "x")),
        "tags": ("string", ("b",)),
        "when": ("datetime", ("2024-01-02T03:04:05Z", "2024-01-03")),
    }
    messages = sorted(str(w.message) for w in warned)
    assert len(messages) == 3
    assert any("'gone'" in m and "null" in m for m in messages)
    assert any("'id'" in m and "mixed" in m for m in messages)
    assert any("'tags'" in m and "nested" in m for m in messages)


async def test_funnels_and_cohorts(ws: AsyncWorkspace) -> None:
    assert await ws.funnels() == [
        FunnelInfo(funnel_id=11, name="Checkout"),
        FunnelInfo(funnel_id=12, name="Signup flow"),
    ]
    assert await ws.cohorts() == [
        SavedCohort(id=9001, name="Buyers", count=1, description="",
                    created="2024-02-05 09:00:00", is_visible=False),
        SavedCohort(id=9002, name="Pro plan", count=2, description="Profiles on pro",
                    created="2024-02-05 10:00:00", is_visible=True),
    ]  # fmt: skip
    assert (await ws.funnels())[0].to_dict() == {"funnel_id": 11, "name": "Checkout"}


async def test_top_events(ws: AsyncWorkspace) -> None:
    top = await ws.top_events()
    assert [(t.event, t.count) for t in top] == [("Page View", 2), ("Sign Up", 1)]
    assert top[0] == TopEvent(event="Page View", count=2, percent_change=pytest.approx(1.0))
    unique = await ws.top_events(type="unique", limit=1)
    assert [(t.event, t.count) for t in unique] == [("Page View", 2)]


async def test_empty_project(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    assert await ws.events() == []
    assert await ws.funnels() == []
    assert await ws.cohorts() == []
    assert await ws.top_events() == []


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (lambda ws: ws.events(limit=0), "limit"),
        (lambda ws: ws.events(from_date="2024-13-01"), "from_date"),
        (lambda ws: ws.events(from_date="2024-02-02", to_date="2024-02-01"), "from_date"),
        (lambda ws: ws.events(to_date="yesterday"), "to_date"),
        (lambda ws: ws.properties(""), "event"),
        (lambda ws: ws.property_values(" "), "property_name"),
        (lambda ws: ws.property_values("plan", limit=0), "limit"),
        (lambda ws: ws.property_values("plan", event=""), "event"),
        (lambda ws: ws.subproperties("cart", sample_size=0), "sample_size"),
        (lambda ws: ws.top_events(type="bogus"), "type"),
        (lambda ws: ws.top_events(limit=-1), "limit"),
    ],
)
async def test_bad_arguments_fail_before_any_request(
    ws: AsyncWorkspace, emu: Emulator, call: Any, param: str
) -> None:
    fail_every_request(emu)
    with pytest.raises(ParamValidationError) as info:
        await call(ws)
    assert info.value.param == param
