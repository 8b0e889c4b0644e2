"""Discovery endpoints over loopback HTTP with a plain aiohttp client: event names, top events,
an event's top properties, property values, funnels and cohorts; shapes, limits, filters and
bad input in the Query API's error shape."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from mixpanel_async.emulator import Emulator
from tests.emulator.conftest import assert_query_400, event_row, query_get

DAY_MS = 86_400_000
Q = "/api/query"


def clock() -> tuple[int, int]:
    """(a moment earlier today that is already past, the same moment yesterday), UTC ms."""
    now = int(time.time() * 1000)
    start = now - now % DAY_MS
    moment = start + (now - start) // 2
    return moment, moment - DAY_MS


def day(offset: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=offset)).isoformat()


# -- /events/names -----------------------------------------------------------------------------
@pytest.fixture
def names_data(emu: Emulator) -> None:
    now, _ = clock()
    rows = []
    # volume: b 5, A 4, c 3 (3 users), d 2 — all within the last 31 days
    rows += [event_row("b", "u1", now - i * 1000, f"b{i}") for i in range(5)]
    rows += [event_row("A", f"u{i}", now - 3 * DAY_MS - i, f"a{i}") for i in range(4)]
    rows += [event_row("c", f"u{i}", now - 10 * DAY_MS - i) for i in range(3)]
    rows += [event_row("d", "u1", now - 30 * DAY_MS, "d0"), event_row("d", "u2", now - 30 * DAY_MS)]
    rows += [event_row("old", "u1", now - 45 * DAY_MS - i, f"o{i}") for i in range(9)]
    rows += [event_row("b", "u1", now - i * 1000, f"b{i}") for i in range(5)]  # duplicates: deduped
    emu.state.default.events.append(rows)


@pytest.mark.usefixtures("names_data")
async def test_event_names_default_window_is_31_days(http: Any, emu: Emulator) -> None:
    status, body = await query_get(http, emu, "/events/names", type="general")
    assert status == 200
    assert body == ["A", "b", "c", "d"]  # alphabetical, case-insensitive


@pytest.mark.usefixtures("names_data")
async def test_event_names_limit_picks_most_common(http: Any, emu: Emulator) -> None:
    assert (await query_get(http, emu, "/events/names", type="general", limit=2))[1] == ["A", "b"]
    assert (await query_get(http, emu, "/events/names", type="general", limit=1))[1] == ["b"]
    # by distinct users: A 4, c 3, d 2, b 1
    assert (await query_get(http, emu, "/events/names", type="unique", limit=2))[1] == ["A", "c"]
    # above Mixpanel's 5000 ceiling: clamped, not an error
    assert (await query_get(http, emu, "/events/names", type="general", limit=10**6))[0] == 200


@pytest.mark.usefixtures("names_data")
async def test_event_names_date_window(http: Any, emu: Emulator) -> None:
    status, body = await query_get(
        http, emu, "/events/names", type="general", from_date="2000-01-01", to_date=day(0)
    )
    assert (status, body) == (200, ["A", "b", "c", "d", "old"])
    _, body = await query_get(http, emu, "/events/names", type="general", from_date=day(-50),
                        to_date=day(-40))  # fmt: skip
    assert body == ["old"]
    _, body = await query_get(http, emu, "/events/names", type="general", to_date=day(-40))
    assert body == ["old"]  # the 31 days ending then
    _, body = await query_get(http, emu, "/events/names", type="general", from_date=day(-5))
    assert body == ["A", "b"]  # until today


@pytest.mark.parametrize(
    "params",
    [
        {},  # type is required
        {"type": "bogus"},
        {"type": "general", "limit": 0},
        {"type": "general", "limit": -3},
        {"type": "general", "limit": "ten"},
        {"type": "general", "from_date": "2024-13-01"},
        {"type": "general", "from_date": "2024-02-30"},
        {"type": "general", "to_date": "yesterday"},
        {"type": "general", "from_date": "2024-03-02", "to_date": "2024-03-01"},
        {"type": "general", "from_date": "1999-12-31", "to_date": "2024-03-01"},
    ],
)
async def test_event_names_bad_input(http: Any, emu: Emulator, params: dict[str, Any]) -> None:
    await assert_query_400(http, emu, "/events/names", **params)


# -- /events/top ---------------------------------------------------------------------------------
@pytest.fixture
def top_data(emu: Emulator) -> None:
    now, then = clock()
    rows = [event_row("view", f"u{i % 2}", now - i, f"v{i}") for i in range(6)]  # 6 events, 2 users
    rows += [event_row("buy", f"u{i}", now - i, f"p{i}") for i in range(4)]  # 4 events, 4 users
    rows += [event_row("view", "u1", then - i, f"yv{i}") for i in range(3)]  # yesterday: 3
    rows += [event_row("buy", "u1", then - i, f"yp{i}") for i in range(8)]  # yesterday: 8
    rows += [event_row("gone", "u1", then)]  # only yesterday: not a top event today
    emu.state.default.events.append(rows)


@pytest.mark.usefixtures("top_data")
async def test_top_events_shape_and_change(http: Any, emu: Emulator) -> None:
    status, body = await query_get(http, emu, "/events/top", type="general")
    assert status == 200
    assert body["type"] == "general"
    assert [set(e) for e in body["events"]] == [{"event", "amount", "percent_change"}] * 2
    assert [(e["event"], e["amount"]) for e in body["events"]] == [("view", 6), ("buy", 4)]
    changes = {e["event"]: e["percent_change"] for e in body["events"]}
    assert changes == {"view": pytest.approx(1.0), "buy": pytest.approx(-0.5)}


@pytest.mark.usefixtures("top_data")
async def test_top_events_types_and_limit(http: Any, emu: Emulator) -> None:
    _, body = await query_get(http, emu, "/events/top", type="unique")
    assert body["type"] == "unique"
    assert [(e["event"], e["amount"]) for e in body["events"]] == [("buy", 4), ("view", 2)]
    _, body = await query_get(http, emu, "/events/top", type="average")
    assert [(e["event"], e["amount"]) for e in body["events"]] == [("view", 3.0), ("buy", 1.0)]
    _, body = await query_get(http, emu, "/events/top", type="general", limit=1)
    assert [e["event"] for e in body["events"]] == ["view"]


async def test_top_events_empty_project(http: Any, emu: Emulator) -> None:
    assert await query_get(http, emu, "/events/top", type="unique") == (
        200, {"events": [], "type": "unique"},
    )  # fmt: skip


@pytest.mark.parametrize("params", [{}, {"type": "all"}, {"type": "general", "limit": 0}])
async def test_top_events_bad_input(http: Any, emu: Emulator, params: dict[str, Any]) -> None:
    await assert_query_400(http, emu, "/events/top", **params)


# -- /events/properties/top and /events/properties/values ----------------------------------------
@pytest.fixture
def props_data(emu: Emulator) -> None:
    now, _ = clock()
    rows = []
    for i in range(12):  # property p<k> on 12 - k of the Sign Up events
        extra = {f"p{k:02d}": k for k in range(12) if i < 12 - k}
        rows.append(event_row("Sign Up", f"u{i}", now - i, f"s{i}", **extra))
    mixed = ["pro", "pro", "pro", 3, 3.0, True, False, None, [1, "x"], {"k": "v"}, "free"]
    for i, value in enumerate(mixed):
        rows.append(event_row("Purchase", f"u{i}", now - i, f"p{i}", plan=value, amount=i % 3))
    rows.append(event_row("Page View", "u0", now, None, plan="team"))
    emu.state.default.events.append(rows)


@pytest.mark.usefixtures("props_data")
async def test_properties_top_shape_and_default_limit(http: Any, emu: Emulator) -> None:
    status, body = await query_get(http, emu, "/events/properties/top", event="Sign Up")
    assert status == 200
    # Mixpanel's default limit is 10; distinct_id, time and $insert_id are not properties
    assert body == {f"p{k:02d}": {"count": 12 - k} for k in range(10)}
    assert list(body) == [f"p{k:02d}" for k in range(10)]


@pytest.mark.usefixtures("props_data")
async def test_properties_top_limit_and_event_filter(http: Any, emu: Emulator) -> None:
    _, body = await query_get(http, emu, "/events/properties/top", event="Sign Up", limit=3)
    assert body == {"p00": {"count": 12}, "p01": {"count": 11}, "p02": {"count": 10}}
    _, body = await query_get(http, emu, "/events/properties/top", event="Purchase", limit=100)
    assert body == {"amount": {"count": 11}, "plan": {"count": 11}}
    _, body = await query_get(http, emu, "/events/properties/top", event="Page View")
    assert body == {"plan": {"count": 1}}


@pytest.mark.usefixtures("props_data")
async def test_properties_top_unknown_event_is_400(http: Any, emu: Emulator) -> None:
    message = await assert_query_400(http, emu, "/events/properties/top", event="Nope")
    assert "Nope" in message


@pytest.mark.parametrize("params", [{}, {"event": "Sign Up", "limit": 0}])
async def test_properties_top_bad_input(http: Any, emu: Emulator, params: dict[str, Any]) -> None:
    await assert_query_400(http, emu, "/events/properties/top", **params)


@pytest.mark.usefixtures("props_data")
async def test_property_values_rendering_and_order(http: Any, emu: Emulator) -> None:
    status, body = await query_get(
        http, emu, "/events/properties/values", name="plan", event="Purchase"
    )
    assert status == 200
    # most common first, ties by value; numbers, booleans and JSON values as strings; no null
    assert body == ["pro", "3", '[1,"x"]', "false", "free", "true", '{"k":"v"}']
    _, body = await query_get(http, emu, "/events/properties/values", name="plan")
    assert body == ["pro", "3", '[1,"x"]', "false", "free", "team", "true", '{"k":"v"}']
    _, body = await query_get(http, emu, "/events/properties/values", name="plan", limit=2)
    assert body == ["pro", "3"]
    _, body = await query_get(
        http, emu, "/events/properties/values", name="amount", event="Purchase"
    )
    assert body == ["0", "1", "2"]
    _, body = await query_get(http, emu, "/events/properties/values", name="nothing")
    assert body == []


@pytest.mark.parametrize(
    "params", [{}, {"name": "plan", "limit": 0}, {"name": "plan", "limit": "x"}]
)
async def test_property_values_bad_input(http: Any, emu: Emulator, params: dict[str, Any]) -> None:
    await assert_query_400(http, emu, "/events/properties/values", **params)


# -- /funnels/list and /cohorts/list --------------------------------------------------------------
async def test_funnels_list(http: Any, emu: Emulator) -> None:
    assert await query_get(http, emu, "/funnels/list") == (200, [])
    emu.state.default.funnels[:] = [
        {"funnel_id": 7, "name": "Signup", "steps": ["Visit", "Sign Up"]},
        {"funnel_id": 3, "name": "Checkout", "steps": ["Cart", "Purchase"]},
    ]
    status, body = await query_get(http, emu, "/funnels/list")
    assert status == 200
    assert body == [{"funnel_id": 7, "name": "Signup"}, {"funnel_id": 3, "name": "Checkout"}]


async def test_cohorts_list_is_a_post(http: aiohttp.ClientSession, emu: Emulator) -> None:
    emu.state.default.cohorts[:] = [
        {"id": 1000, "name": "Cohort One", "count": 150, "description": "Visible",
         "created": "2019-03-19 23:49:51", "is_visible": 1, "distinct_ids": ["a"]},
        {"id": 2000, "name": "Cohort Two", "count": 25, "description": None,
         "created": datetime(2020, 1, 2, 3, 4, 5), "is_visible": False},
    ]  # fmt: skip
    url = emu.url + Q + "/cohorts/list"
    async with http.post(url, params={"project_id": "1"}) as resp:
        assert resp.status == 200
        body = await resp.json()
    assert body == [
        {"id": 1000, "name": "Cohort One", "count": 150, "description": "Visible",
         "created": "2019-03-19 23:49:51", "is_visible": 1, "project_id": 1},
        {"id": 2000, "name": "Cohort Two", "count": 25, "description": "",
         "created": "2020-01-02 03:04:05", "is_visible": 0, "project_id": 1},
    ]  # fmt: skip
    async with http.get(url, params={"project_id": "1"}) as resp:
        assert resp.status == 405
        assert "error" in await resp.json()


async def test_cohorts_list_empty(http: aiohttp.ClientSession, emu: Emulator) -> None:
    async with http.post(emu.url + Q + "/cohorts/list?project_id=1") as resp:
        assert (resp.status, await resp.json()) == (200, [])


# -- projects -----------------------------------------------------------------------------------
async def test_configured_projects_are_isolated(http: aiohttp.ClientSession) -> None:
    now, _ = clock()
    async with Emulator(port=0, projects=["10", "20"]) as emu:
        emu.state.projects["10"].events.append([event_row("ten", "u", now, plan="a")])
        emu.state.projects["20"].events.append([event_row("twenty", "u", now, plan="b")])
        for pid, name, value in (("10", "ten", "a"), ("20", "twenty", "b")):
            params = {"project_id": pid, "type": "general"}
            async with http.get(emu.url + Q + "/events/names", params=params) as resp:
                assert await resp.json() == [name]
            params = {"project_id": pid, "name": "plan"}
            async with http.get(emu.url + Q + "/events/properties/values", params=params) as resp:
                assert await resp.json() == [value]
        params = {"project_id": "30", "type": "general"}
        async with http.get(emu.url + Q + "/events/names", params=params) as resp:
            assert resp.status == 400
            assert set(await resp.json()) == {"request", "error"}
