"""The engage profile query and its stats endpoint over loopback HTTP with plain aiohttp."""

from __future__ import annotations

from typing import Any

import aiohttp
import orjson
import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.routes import engage

ENGAGE = "/api/query/engage"


def add_profiles(emu: Emulator, n: int) -> None:
    for i in range(n):
        emu.state.default.profiles[f"u{i:04d}"] = {
            "plan": "pro" if i % 4 == 0 else "free",
            "n": i,
            "$email": f"user{i}@example.com",
            "$name": f"User {i}",
        }


async def post(
    http: aiohttp.ClientSession, emu: Emulator, path: str = "/", *, status: int = 200, **kwargs: Any
) -> dict[str, Any]:
    async with http.post(emu.url + ENGAGE + path + "?project_id=1", **kwargs) as response:
        body: dict[str, Any] = await response.json()
        assert response.status == status, body
    if status >= 400:
        assert set(body) == {"request", "error"}
        assert body["request"].startswith(ENGAGE)
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [p["$distinct_id"] for p in body["results"]]


# --- paging ----------------------------------------------------------------------------------


async def test_pages_of_1000_with_session_and_total(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    add_profiles(emu, 2500)
    first = await post(http, emu, json={"project_id": 1, "page": 0})
    assert first["page"] == 0
    assert first["page_size"] == 1000
    assert first["total"] == 2500
    assert first["status"] == "ok"
    assert isinstance(first["computed_at"], str)
    assert first["results"][0] == {
        "$distinct_id": "u0000",
        "$properties": emu.state.default.profiles["u0000"],
    }
    session_id = first["session_id"]
    seen = ids(first)
    sizes = [len(first["results"])]
    page = 0
    while True:
        page += 1
        body = await post(http, emu, json={"page": page, "session_id": session_id})
        assert body["page"] == page
        if not body["results"]:
            break
        sizes.append(len(body["results"]))
        seen += ids(body)
    assert sizes == [1000, 1000, 500]
    assert seen == sorted(emu.state.default.profiles)


async def test_pages_come_from_the_snapshot_of_page_zero(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    add_profiles(emu, 1500)
    first = await post(http, emu, json={"page": 0, "where": 'properties["plan"] == "free"'})
    assert first["total"] == 1125
    profiles = emu.state.default.profiles
    for i in range(1500, 1700):  # new matches after page 0 are not in this walk
        profiles[f"u{i:04d}"] = {"plan": "free"}
    del profiles["u1499"]  # a deleted profile is skipped
    profiles["u1498"] = {"plan": "pro", "changed": True}  # a changed one is served as it is now
    second = await post(
        http,
        emu,
        json={
            "page": 1,
            "session_id": first["session_id"],
            "where": 'properties["plan"] == "free"',
        },
    )
    assert len(second["results"]) == 124
    assert second["results"][-1] == {
        "$distinct_id": "u1498",
        "$properties": {"plan": "pro", "changed": True},
    }
    assert all(not d.startswith("u15") and not d.startswith("u16") for d in ids(second))
    fresh = await post(http, emu, json={"page": 0, "where": 'properties["plan"] == "free"'})
    assert fresh["total"] == 1125 - 2 + 200


async def test_session_errors(emu: Emulator, http: aiohttp.ClientSession) -> None:
    add_profiles(emu, 3)
    body = await post(http, emu, json={"page": 1}, status=400)
    assert "session_id" in body["error"]
    body = await post(http, emu, json={"page": 1, "session_id": "123-NOPE"}, status=400)
    assert "session_id" in body["error"]
    await post(http, emu, json={"page": -1}, status=400)
    await post(http, emu, json={"page": "two"}, status=400)
    # Page 0 may repeat the session.
    first = await post(http, emu, json={"page": 0})
    again = await post(http, emu, json={"page": 0, "session_id": first["session_id"]})
    assert ids(again) == ids(first)


def test_sessions_are_bounded_in_number_and_age(monkeypatch: pytest.MonkeyPatch) -> None:
    sessions = engage.Sessions()
    monkeypatch.setattr(engage, "MAX_SESSIONS", 3)
    made = [sessions.add(engage.Session("1", None, [], 0, frozenset())) for _ in range(4)]
    assert sessions.get(made[0]) is None
    assert all(sessions.get(s) is not None for s in made[1:])
    monkeypatch.setattr(engage, "SESSION_TTL", -1.0)
    assert sessions.get(made[-1]) is None


# --- filters ---------------------------------------------------------------------------------


async def test_where_filter_and_its_errors(emu: Emulator, http: aiohttp.ClientSession) -> None:
    add_profiles(emu, 40)
    body = await post(
        http, emu, data={"where": 'properties["plan"] == "pro" and properties["n"] >= 20'}
    )
    assert ids(body) == ["u0020", "u0024", "u0028", "u0032", "u0036"]
    assert body["total"] == 5
    error = await post(http, emu, data={"where": 'properties["plan"] = "pro"'}, status=400)
    assert error["error"].startswith("invalid where expression: ")
    error = await post(http, emu, data={"where": 'properties["plan"] and true'}, status=400)
    assert "where" in error["error"]


async def test_output_properties_as_text_or_decoded(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    add_profiles(emu, 2)
    as_form = await post(http, emu, data={"output_properties": '["plan", "missing"]'})
    as_json = await post(http, emu, json={"output_properties": ["plan", "missing"]})
    expected = [
        {"$distinct_id": "u0000", "$properties": {"plan": "pro"}},
        {"$distinct_id": "u0001", "$properties": {"plan": "free"}},
    ]
    assert as_form["results"] == expected
    assert as_json["results"] == expected
    await post(http, emu, data={"output_properties": "[plan"}, status=400)
    await post(http, emu, json={"output_properties": {"plan": 1}}, status=400)


async def test_distinct_id_and_distinct_ids(emu: Emulator, http: aiohttp.ClientSession) -> None:
    add_profiles(emu, 10)
    body = await post(http, emu, json={"distinct_ids": '["u0007", "nobody", "u0002", "u0007"]'})
    assert ids(body) == ["u0007", "u0002"]
    body = await post(http, emu, data={"distinct_id": "u0003"})
    assert ids(body) == ["u0003"]
    assert (await post(http, emu, data={"distinct_id": "nobody"}))["results"] == []
    error = await post(http, emu, json={"distinct_id": "u1", "distinct_ids": ["u2"]}, status=400)
    assert "mutually exclusive" in error["error"]


async def test_cohort_filter(emu: Emulator, http: aiohttp.ClientSession) -> None:
    add_profiles(emu, 10)
    emu.state.default.cohorts.extend(
        [
            {"id": 11, "name": "listed", "distinct_ids": ["u0001", "u0005", "ghost"]},
            {"id": 12, "name": "by rule", "where": 'properties["n"] > 7'},
        ]
    )
    body = await post(http, emu, json={"filter_by_cohort": '{"id": 11}'})
    assert ids(body) == ["u0001", "u0005", "ghost"]  # include_all_users defaults to true
    assert body["results"][-1]["$properties"] == {}
    body = await post(
        http, emu, json={"filter_by_cohort": {"id": "11"}, "include_all_users": False}
    )
    assert ids(body) == ["u0001", "u0005"]
    body = await post(
        http, emu, data={"filter_by_cohort": '{"id": 12}', "where": 'properties["plan"] == "pro"'}
    )
    assert ids(body) == ["u0008"]
    body = await post(
        http, emu, json={"filter_by_cohort": {"raw_cohort": {"distinct_ids": ["u0002"]}}}
    )
    assert ids(body) == ["u0002"]
    error = await post(http, emu, json={"filter_by_cohort": '{"id": 999}'}, status=400)
    assert "999" in error["error"]
    await post(http, emu, json={"filter_by_cohort": '{"id": 11}', "behaviors": "[]"}, status=400)


async def test_group_profiles(emu: Emulator, http: aiohttp.ClientSession) -> None:
    add_profiles(emu, 3)
    emu.state.default.groups[("company", "acme")] = {"$name": "Acme", "seats": 10}
    emu.state.default.groups[("company", "initech")] = {"$name": "Initech", "seats": 3}
    emu.state.default.groups[("team", "red")] = {"$name": "Red"}
    body = await post(
        http, emu, json={"data_group_id": "company", "where": 'properties["seats"] > 5'}
    )
    assert body["results"] == [
        {"$distinct_id": "acme", "$properties": {"$name": "Acme", "seats": 10}}
    ]
    second = await post(http, emu, json={"data_group_id": "company", "page": 0})
    assert ids(second) == ["acme", "initech"]


async def test_sort_search_and_limit(emu: Emulator, http: aiohttp.ClientSession) -> None:
    add_profiles(emu, 12)
    emu.state.default.profiles["u0003"].pop("n")
    body = await post(http, emu, json={"sort_key": 'properties["n"]'})
    assert ids(body)[:3] == ["u0011", "u0010", "u0009"]  # descending by default
    assert ids(body)[-1] == "u0003"  # undefined sorts last
    body = await post(
        http, emu, json={"sort_key": 'properties["n"]', "sort_order": "ascending", "limit": 3}
    )
    assert ids(body) == ["u0000", "u0001", "u0002"]
    assert body["total"] == 12
    body = await post(http, emu, json={"search": "USER1"})
    assert ids(body) == ["u0001", "u0010", "u0011"]
    await post(http, emu, json={"sort_order": "sideways"}, status=400)
    await post(http, emu, json={"limit": 0}, status=400)


async def test_get_and_form_bodies_are_accepted(emu: Emulator, http: aiohttp.ClientSession) -> None:
    add_profiles(emu, 5)
    async with http.get(emu.url + ENGAGE, params={"where": 'properties["n"] == 2'}) as r:
        assert r.status == 200
        assert ids(await r.json()) == ["u0002"]
    body = await post(http, emu, data={"where": 'properties["n"] < 2', "page": "0"})
    assert ids(body) == ["u0000", "u0001"]
    async with http.post(
        emu.url + ENGAGE + "/", data=b"[1]", headers={"Content-Type": "application/json"}
    ) as r:
        assert r.status == 400


# --- stats -------------------------------------------------------------------------------------


async def test_stats_count(emu: Emulator, http: aiohttp.ClientSession) -> None:
    add_profiles(emu, 2500)
    body = await post(http, emu, "/stats", data={"action": "count()"})
    assert body["results"] == 2500
    assert body["status"] == "ok"
    assert isinstance(body["computed_at"], str)
    body = await post(
        http, emu, "/stats", json={"action": "count()", "selector": 'properties["plan"] == "pro"'}
    )
    assert body["results"] == 625


async def test_stats_aggregates_and_segments(emu: Emulator, http: aiohttp.ClientSession) -> None:
    add_profiles(emu, 11)
    emu.state.default.profiles["u0005"]["n"] = "five"  # not a number: left out
    emu.state.default.cohorts.append({"id": 3, "distinct_ids": ["u0001", "u0002", "u0010"]})
    extremes = await post(http, emu, "/stats", data={"action": 'extremes(properties["n"])'})
    assert extremes["results"] == {"min": 0, "max": 10}
    median = await post(http, emu, "/stats", data={"action": 'percentile(properties["n"], 50)'})
    assert median["results"] == 5.0  # 0-4 and 6-10: halfway between 4 and 6
    summary = await post(
        http,
        emu,
        "/stats",
        json={"action": 'numeric_summary(properties["n"])', "segment_by_cohorts": '{"3": true}'},
    )
    assert summary["results"] == {
        "3": {
            "count": 3,
            "mean": 13 / 3,
            "var": pytest.approx(((1 - 13 / 3) ** 2 + (2 - 13 / 3) ** 2 + (10 - 13 / 3) ** 2) / 3),
            "sum_of_squares": 105,
        }
    }
    counted = await post(
        http, emu, "/stats", json={"action": "count()", "filter_by_cohort": {"id": 3}}
    )
    assert counted["results"] == 3


@pytest.mark.parametrize(
    "action",
    [
        "sum()",
        "count(1)",
        'percentile(properties["n"])',
        'percentile(properties["n"], 101)',
        "extremes(",
        'extremes(properties["n"] ==)',
    ],
)
async def test_stats_bad_actions(emu: Emulator, http: aiohttp.ClientSession, action: str) -> None:
    body = await post(http, emu, "/stats", data={"action": action}, status=400)
    assert body["error"]


async def test_stats_bad_selector(emu: Emulator, http: aiohttp.ClientSession) -> None:
    body = await post(
        http, emu, "/stats", data={"action": "count()", "selector": "nope =="}, status=400
    )
    assert body["error"].startswith("invalid selector expression")
    assert orjson.dumps(body)
