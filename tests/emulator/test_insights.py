"""Insights and Flows reports sent as bookmark JSON (`POST /api/query/insights`,
`POST /api/query/arb_funnels`) and saved Insights reports (`GET /api/query/insights`) over
loopback HTTP with a plain aiohttp client: the wire shapes, the project timezone, and bad
input answered in the Query API's error shape. The numbers are checked against independent
computations in tests/unit/test_insights_engine.py and test_flows_engine.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import orjson
import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.store import EventRow
from tests.emulator.conftest import event_row, ms, running

INSIGHTS = "/api/query/insights"
FLOWS = "/api/query/arb_funnels"


def row(event: str, user: str, when: str, **props: Any) -> EventRow:
    """A store row of an event at an ISO UTC time."""
    return event_row(event, user, ms(when), **props)


EVENTS = [
    row("Buy", "ann", "2024-03-01T09:00:00", country="US"),
    row("Buy", "ann", "2024-03-01T10:00:00", country="US"),
    row("Buy", "bob", "2024-03-02T03:30:00", country="FR"),  # 22:30 on March 1st in New York
    row("Buy", "cat", "2024-03-02T12:00:00", country="DE"),
    row("Home", "cat", "2024-03-02T12:30:00"),
]


def bookmark(**display: Any) -> dict[str, Any]:
    return {
        "sections": {
            "show": [{"type": "metric", "behavior": {"type": "event", "name": "Buy"},
                      "measurement": {"math": "total"}}],
            "time": [{"dateRangeType": "between", "unit": "day",
                      "value": ["2024-03-01", "2024-03-02"]}],
            "group": [{"value": "country", "resourceType": "events"}],
        },
        "displayOptions": {"chartType": "line", **display},
    }  # fmt: skip


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with running(EVENTS, timezone="America/New_York") as emulator:
        yield emulator


async def post(http: aiohttp.ClientSession, url: str, body: Any) -> tuple[int, Any]:
    async with http.post(url, data=orjson.dumps(body)) as resp:
        return resp.status, await resp.json(content_type=None)


async def test_insights_answer_in_the_project_timezone(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    body = {"bookmark": bookmark(), "project_id": 1, "queryLimits": {"limit": 2}}
    status, answer = await post(http, emu.url + INSIGHTS, body)
    assert status == 200, answer
    assert set(answer) == {"computed_at", "date_range", "headers", "series", "meta"}
    assert answer["headers"] == ["$event", "country"]
    assert answer["date_range"] == {
        "from_date": "2024-03-01T00:00:00-05:00",
        "to_date": "2024-03-02T23:59:59.999000-05:00",
    }
    first, second = "2024-03-01T00:00:00-05:00", "2024-03-02T00:00:00-05:00"
    assert answer["series"] == {
        "Buy": {
            "$overall": {first: 3, second: 1},
            "US": {first: 2, second: 0},
            # one segment only survives the limit besides the most frequent: FR and DE tie at
            # one event each, and ties go by name
            "DE": {first: 0, second: 1},
        }
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"project_id": 1}, "bookmark"),
        ({"bookmark": [], "project_id": 1}, "bookmark"),
        ({"bookmark": bookmark(), "project_id": 1, "queryLimits": {"limit": 0}}, "limit"),
        ({"bookmark": bookmark(chartType="sankey"), "project_id": 1}, "'sankey'"),
        ({"bookmark": {"sections": {"show": []}}, "project_id": 1}, "at least one metric"),
    ],
)
async def test_bad_insights_bodies_are_400s(
    emu: Emulator, http: aiohttp.ClientSession, body: Any, message: str
) -> None:
    status, answer = await post(http, emu.url + INSIGHTS, body)
    assert status == 400, answer
    assert set(answer) == {"request", "error"}
    assert message in answer["error"]
    assert emu.state.default.events.deduped().height == len(EVENTS)  # nothing stored or lost


async def test_not_json_is_a_400(emu: Emulator, http: aiohttp.ClientSession) -> None:
    async with http.post(emu.url + INSIGHTS, data=b"{nope") as resp:
        assert resp.status == 400
        assert "error" in await resp.json()


async def test_saved_insights_needs_a_numeric_bookmark(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    for value in ("abc", "0"):
        async with http.get(emu.url + INSIGHTS, params={"bookmark_id": value}) as resp:
            assert resp.status == 400
            assert "bookmark_id" in (await resp.json())["error"]


async def test_flows_from_a_body(emu: Emulator, http: aiohttp.ClientSession) -> None:
    report = {
        "steps": [{"event": "Buy", "forward": 1, "reverse": 0}],
        "date_range": {"type": "between", "from_date": "2024-03-01", "to_date": "2024-03-02"},
        "count_type": "unique",
    }
    body = {"bookmark": report, "project_id": 1, "query_type": "flows_sankey"}
    status, answer = await post(http, emu.url + FLOWS, body)
    assert status == 200, answer
    anchor, after = answer["steps"]
    assert [(n["event"], n["totalCount"]) for n in anchor["nodes"]] == [("Buy", "3")]
    # ann buys again, cat goes home, bob stops
    assert [(n["event"], n["totalCount"]) for n in after["nodes"]] == [
        ("Buy", "1"),
        ("Home", "1"),
        ("$dropoff", "1"),
    ]
    status, answer = await post(http, emu.url + FLOWS, {**body, "query_type": "flows"})
    assert status == 200, answer
    root = answer["trees"][0]["root"]
    assert (root["step"]["event"], root["totalCount"], root["dropOffTotalCount"]) == ("Buy", 3, 1)
    status, answer = await post(http, emu.url + FLOWS, {"bookmark": report, "project_id": 1})
    assert status == 400
    assert "query_type" in answer["error"]
