"""`AsyncWorkspace.activity_feed` against the emulator's stream/bookmark route, over loopback."""

from __future__ import annotations

import datetime as dt
from typing import Any

import aiohttp
import polars as pl
import pytest

from mixpanel_async import ActivityFeedResult, AsyncWorkspace, ParamValidationError, QueryError
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev

DAY = 86_400
BASE = int(dt.datetime(2026, 9, 1, tzinfo=dt.UTC).timestamp())


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(
        rows_of(
            [
                ev("Sign Up", "u1", BASE + 10, "a1", plan="free"),
                ev("Log In", "u1", BASE + DAY + 5, "a2"),
                ev("Log In", "u1", BASE + DAY + 5, "a2"),  # a duplicate: deduplicated
                ev("Search", "u1", BASE + 2 * DAY - 1, "a3", query="red shoes"),
                ev("Purchase", "u1", BASE + 3 * DAY, "a4", amount=12.5),
                ev("Log In", "u2", BASE + DAY, "b1"),
                ev("Log In", "u3", BASE + DAY, "c1"),
                ev("Log In", "u1", BASE - DAY, "a0"),  # before the window
            ]
        )
    )
    return mixpanel_emulator


RANGE = {"from_date": "2026-09-01", "to_date": "2026-09-10"}


async def test_feed_of_users_in_order(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    result = await mixpanel_workspace.activity_feed(["u1", "u2"], **RANGE)
    assert isinstance(result, ActivityFeedResult)
    assert [(e.event, e.properties["distinct_id"]) for e in result.events] == [
        ("Sign Up", "u1"),
        ("Log In", "u2"),
        ("Log In", "u1"),
        ("Search", "u1"),
        ("Purchase", "u1"),
    ]
    assert result.events[0].time == dt.datetime.fromtimestamp(BASE + 10, tz=dt.UTC)
    assert result.sentinel_event is None
    assert result.distinct_ids == ["u1", "u2"]
    assert result.from_date == "2026-09-01"
    df = result.df
    assert df.columns[:3] == ["event", "time", "distinct_id"]
    assert df.height == 5
    assert df["distinct_id"].to_list()[:2] == ["u1", "u2"]
    assert df.schema["time"] == pl.Datetime("us", "UTC")
    assert df.filter(pl.col("event") == "Purchase")["amount"].to_list() == [12.5]
    assert result.df is df
    assert result.to_dict()["events"][0]["event"] == "Sign Up"


async def test_paging_backwards_with_sentinel(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    first = await mixpanel_workspace.activity_feed(["u1"], limit=2, **RANGE)
    assert [e.event for e in first.events] == ["Search", "Purchase"]
    assert first.sentinel_event is not None
    second = await mixpanel_workspace.activity_feed(
        ["u1"], limit=2, sentinel_event=first.sentinel_event, **RANGE
    )
    assert [e.event for e in second.events] == ["Sign Up", "Log In"]
    assert second.sentinel_event is None


async def test_paging_window_bounds_a_page(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    page = await mixpanel_workspace.activity_feed(["u1"], paging_window=1, **RANGE)
    assert [e.event for e in page.events] == ["Purchase"]
    seen = [e.event for e in page.events]
    while page.sentinel_event is not None:
        page = await mixpanel_workspace.activity_feed(
            ["u1"], paging_window=1, sentinel_event=page.sentinel_event, **RANGE
        )
        seen = [e.event for e in page.events] + seen
    assert seen == ["Sign Up", "Log In", "Search", "Purchase"]


async def test_filters_and_search(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    only = await ws.activity_feed(["u1"], include_events=["Log In"], **RANGE)
    assert [e.event for e in only.events] == ["Log In"]
    rest = await ws.activity_feed(["u1"], exclude_events=["Log In", "Search"], **RANGE)
    assert [e.event for e in rest.events] == ["Sign Up", "Purchase"]
    found = await ws.activity_feed(["u1"], search="RED", **RANGE)
    assert [e.event for e in found.events] == ["Search"]
    by_name = await ws.activity_feed(["u1"], search="purch", **RANGE)
    assert [e.event for e in by_name.events] == ["Purchase"]
    scoped = await ws.activity_feed(
        ["u1"], search="free", search_properties=[{"value": "query"}], **RANGE
    )
    assert scoped.events == []


async def test_date_range_forms(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    since = await ws.activity_feed(["u1"], from_date="2026-09-03")
    assert [e.event for e in since.events] == ["Purchase"]
    before = await ws.activity_feed(["u1"], to_date="2026-09-01")
    assert [e.event for e in before.events] == ["Log In", "Sign Up"]
    assert (await ws.activity_feed(["u1"])).events == []  # the last 30 days: nothing recent
    assert (await ws.activity_feed(["nobody"], **RANGE)).events == []


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"distinct_ids": []}, "distinct_ids"),
        ({"distinct_ids": "u1"}, "distinct_ids"),
        ({"from_date": "2026-13-01"}, "from_date"),
        ({"from_date": "2026-09-10", "to_date": "2026-09-01"}, "from_date"),
        ({"limit": 0}, "limit"),
        ({"limit": 15_001}, "limit"),
        ({"include_events": ["A"], "exclude_events": ["B"]}, "include_events"),
        ({"paging_window": 31}, "paging_window"),
        ({"search_properties": [{"value": "x"}]}, "search_properties"),
        ({"search": "x", "search_properties": ["x"]}, "search_properties"),
        ({"sentinel_event": "cursor"}, "sentinel_event"),
    ],
)
async def test_bad_arguments_send_nothing(
    mixpanel_offline_workspace: AsyncWorkspace, kwargs: dict[str, Any], param: str
) -> None:
    args = {"distinct_ids": ["u1"], **kwargs}
    with pytest.raises(ParamValidationError) as info:
        await mixpanel_offline_workspace.activity_feed(**args)
    assert info.value.param == param


async def test_emulator_rejects_bad_bodies(mixpanel_emulator: Emulator) -> None:
    base: dict[str, Any] = {
        "project_id": 1,
        "workspace_id": 1,
        "bookmark": {"dateRange": {"type": "between", "from": "2026-09-01"}, "entries": []},
        "distinct_ids": ["u1"],
        "mode": "raw",
    }
    url = f"{mixpanel_emulator.url}/api/query/stream/bookmark"
    async with aiohttp.ClientSession() as http:
        for body, fragment in [
            (base, "needs to"),
            ({**base, "distinct_ids": "u1"}, "distinct_ids"),
            ({**base, "include_events": ["A"], "exclude_events": ["B"]}, "mutually exclusive"),
            (
                {
                    **base,
                    "bookmark": {"dateRange": {"type": "between", "from": "x", "to": "y"}},
                },
                "entries",
            ),
            (
                {
                    **base,
                    "bookmark": {
                        "dateRange": {"type": "since", "from": "2026-02-30"},
                        "entries": [],
                    },
                },
                "dateRange",
            ),
            (
                {
                    **base,
                    "sentinel_event": {"nope": 1},
                    "bookmark": {
                        "dateRange": {"type": "since", "from": "2026-09-01"},
                        "entries": [],
                    },
                },
                "sentinel_event",
            ),
        ]:
            async with http.post(url, json=body) as resp:
                assert resp.status == 400, body
                payload = await resp.json()
                assert fragment in payload["error"]
                assert payload["request"].startswith("/api/query/stream/bookmark")


async def test_query_error_from_emulator(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    with pytest.raises(QueryError, match="sentinel_event"):
        await mixpanel_workspace.activity_feed(["u1"], sentinel_event={"bad": True}, **RANGE)
