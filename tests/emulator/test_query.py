"""Classic Query API routes over loopback HTTP with a plain aiohttp client: segmentation (and
numeric, sum, average), event and property counts, funnels, retention and frequency; their
wire shapes, the project timezone, and bad input answered in the Query API's error shape.

The numbers themselves are checked against independent computations in
tests/unit/test_query_engine.py; here the data is small enough to count by hand.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.store import EventRow
from tests.emulator.conftest import assert_query_400, event_row, ms, query_get, running

Q = "/api/query"
DAYS = {"from_date": "2024-03-01", "to_date": "2024-03-03"}


def row(event: str, user: str, when: str, **props: Any) -> EventRow:
    """A store row of an event at an ISO UTC time."""
    return event_row(event, user, ms(when), **props)


EVENTS = [
    row("Sign Up", "ann", "2024-03-01T09:00:00", plan="pro", amount=30),
    row("Sign Up", "bob", "2024-03-01T23:30:00", plan="free", amount=5.5),  # 18:30 in New York
    row("Sign Up", "cat", "2024-03-02T10:00:00", amount="7"),
    row("Purchase", "ann", "2024-03-01T10:00:00", plan="pro", amount=10),
    row("Purchase", "ann", "2024-03-02T11:00:00", plan="pro", amount=2500),
    row("Purchase", "bob", "2024-03-03T08:00:00", plan="free", amount=2000),
    row("Purchase", "cat", "2024-03-02T10:30:00", amount=2150),
    row("View", "ann", "2024-03-01T09:05:00"),
    row("View", "ann", "2024-03-01T12:00:00"),
    row("View", "bob", "2024-03-02T00:30:00"),
]
FUNNELS = [
    {"funnel_id": 7, "name": "Buy", "steps": ["Sign Up", "Purchase"]},
    {
        "funnel_id": 8,
        "name": "Quick buy",
        "steps": ["Sign Up", "Purchase"],
        "length": 2,
        "length_unit": "hour",
    },
]


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with running(EVENTS) as emulator:
        emulator.state.default.funnels[:] = [dict(f) for f in FUNNELS]
        yield emulator


async def ok(http: aiohttp.ClientSession, emu: Emulator, path: str, **params: Any) -> Any:
    status, body = await query_get(http, emu, path, **params)
    assert status == 200, body
    return body


SERIES = ["2024-03-01", "2024-03-02", "2024-03-03"]


# -- segmentation -------------------------------------------------------------------------------
async def test_segmentation(http: aiohttp.ClientSession, emu: Emulator) -> None:
    body = await ok(http, emu, "/segmentation", event="Purchase", **DAYS)
    assert body == {
        "data": {
            "series": SERIES,
            "values": {"Purchase": {"2024-03-01": 1, "2024-03-02": 2, "2024-03-03": 1}},
        },
        "legend_size": 1,
    }


async def test_segmentation_on_where_type(http: aiohttp.ClientSession, emu: Emulator) -> None:
    body = await ok(
        http,
        emu,
        "/segmentation",
        event="Purchase",
        on='properties["plan"]',
        type="unique",
        where='properties["amount"] > 100',
        **DAYS,
    )
    assert body["data"]["values"] == {
        "pro": {"2024-03-01": 0, "2024-03-02": 1, "2024-03-03": 0},
        "free": {"2024-03-01": 0, "2024-03-02": 0, "2024-03-03": 1},
        "undefined": {"2024-03-01": 0, "2024-03-02": 1, "2024-03-03": 0},
    }
    assert body["legend_size"] == 3
    top = await ok(
        http, emu, "/segmentation", event="Purchase", on='properties["plan"]', limit=1, **DAYS
    )
    assert list(top["data"]["values"]) == ["pro"]
    average = await ok(http, emu, "/segmentation", event="View", type="average", **DAYS)
    assert average["data"]["values"]["View"] == {
        "2024-03-01": 2.0,
        "2024-03-02": 1.0,
        "2024-03-03": 0.0,
    }


async def test_segmentation_units(http: aiohttp.ClientSession, emu: Emulator) -> None:
    hours = await ok(
        http,
        emu,
        "/segmentation",
        event="View",
        unit="hour",
        from_date="2024-03-01",
        to_date="2024-03-01",
    )
    assert len(hours["data"]["series"]) == 24
    assert hours["data"]["series"][9] == "2024-03-01 09:00:00"
    assert hours["data"]["values"]["View"]["2024-03-01 09:00:00"] == 1
    month = await ok(http, emu, "/segmentation", event="View", unit="month", **DAYS)
    assert month["data"] == {"series": ["2024-03-01"], "values": {"View": {"2024-03-01": 3}}}
    weeks = await ok(http, emu, "/segmentation", event="View", unit="week", **DAYS)
    assert weeks["data"]["series"] == ["2024-02-26"]  # the Monday starting that week


async def test_project_timezone_decides_days(http: aiohttp.ClientSession, emu: Emulator) -> None:
    emu.state.default.timezone = "America/New_York"
    body = await ok(http, emu, "/segmentation", event="View", **DAYS)
    # 00:30 UTC on the 2nd is the evening of the 1st in New York
    assert body["data"]["values"]["View"] == {"2024-03-01": 3, "2024-03-02": 0, "2024-03-03": 0}


async def test_unknown_event_is_empty(http: aiohttp.ClientSession, emu: Emulator) -> None:
    body = await ok(http, emu, "/segmentation", event="Nope", on='properties["plan"]', **DAYS)
    assert body == {"data": {"series": SERIES, "values": {}}, "legend_size": 0}
    counts = await ok(http, emu, "/events", event='["Nope"]', type="general", unit="day", **DAYS)
    assert counts == {"data": {"series": SERIES, "values": {}}, "legend_size": 0}


async def test_numeric_sum_average(http: aiohttp.ClientSession, emu: Emulator) -> None:
    numeric = await ok(
        http, emu, "/segmentation/numeric", event="Purchase", on='properties["amount"]', **DAYS
    )
    assert numeric["data"]["values"] == {
        "0 - 1,000": {"2024-03-01": 1, "2024-03-02": 0, "2024-03-03": 0},
        "2,000 - 3,000": {"2024-03-01": 0, "2024-03-02": 2, "2024-03-03": 1},
    }
    total = await ok(
        http, emu, "/segmentation/sum", event="Sign Up", on='properties["amount"]', **DAYS
    )
    assert total["status"] == "ok"
    assert isinstance(total["computed_at"], str)
    assert total["results"] == {"2024-03-01": 35.5, "2024-03-02": 0, "2024-03-03": 0}
    mean = await ok(
        http,
        emu,
        "/segmentation/average",
        event="Sign Up",
        on='properties["amount"]',
        unit="hour",
        from_date="2024-03-01",
        to_date="2024-03-01",
    )
    assert mean["results"]["2024-03-01 09:00:00"] == 30.0
    assert mean["results"]["2024-03-01 23:00:00"] == 5.5
    assert len(mean["results"]) == 24


# -- event and property counts -----------------------------------------------------------------
async def test_event_counts(http: aiohttp.ClientSession, emu: Emulator) -> None:
    body = await ok(
        http, emu, "/events", event='["View", "Sign Up", "Nope"]', type="unique", unit="day", **DAYS
    )
    assert body == {
        "data": {
            "series": SERIES,
            "values": {
                "View": {"2024-03-01": 1, "2024-03-02": 1, "2024-03-03": 0},
                "Sign Up": {"2024-03-01": 2, "2024-03-02": 1, "2024-03-03": 0},
            },
        },
        "legend_size": 2,
    }


async def test_property_counts(http: aiohttp.ClientSession, emu: Emulator) -> None:
    body = await ok(
        http,
        emu,
        "/events/properties",
        event="Purchase",
        name="plan",
        type="general",
        unit="month",
        **DAYS,
    )
    assert body["data"]["values"] == {
        "pro": {"2024-03-01": 2},
        "free": {"2024-03-01": 1},
        "undefined": {"2024-03-01": 1},
    }
    chosen = await ok(
        http,
        emu,
        "/events/properties",
        event="Purchase",
        name="plan",
        values='["free"]',
        type="general",
        unit="day",
        **DAYS,
    )
    assert list(chosen["data"]["values"]) == ["free"]
    top = await ok(
        http,
        emu,
        "/events/properties",
        event="Purchase",
        name="plan",
        limit=1,
        type="general",
        unit="day",
        **DAYS,
    )
    assert list(top["data"]["values"]) == ["pro"]


# -- funnels ------------------------------------------------------------------------------------
async def test_funnel(http: aiohttp.ClientSession, emu: Emulator) -> None:
    body = await ok(http, emu, "/funnels", funnel_id=7, **DAYS)
    assert body["meta"] == {"dates": SERIES}
    first = body["data"]["2024-03-01"]
    assert [s["count"] for s in first["steps"]] == [2, 2]  # ann after 1 h, bob after 32.5 h
    assert first["steps"][1] == {
        "count": 2,
        "avg_time": (3600 + 117000) // 2,
        "avg_time_from_start": 60300,
        "step_conv_ratio": 1.0,
        "overall_conv_ratio": 1.0,
        "goal": "Purchase",
        "event": "Purchase",
    }
    assert first["steps"][0]["avg_time"] is None
    assert first["analysis"] == {"completion": 2, "starting_amount": 2, "steps": 2, "worst": 1}
    assert [s["count"] for s in body["data"]["2024-03-02"]["steps"]] == [1, 1]
    assert [s["count"] for s in body["data"]["2024-03-03"]["steps"]] == [0, 0]


async def test_funnel_window_and_segments(http: aiohttp.ClientSession, emu: Emulator) -> None:
    quick = await ok(http, emu, "/funnels", funnel_id=8, **DAYS)  # saved 2-hour window
    assert [s["count"] for s in quick["data"]["2024-03-01"]["steps"]] == [2, 1]
    override = await ok(http, emu, "/funnels", funnel_id=8, length=2, length_unit="day", **DAYS)
    assert [s["count"] for s in override["data"]["2024-03-01"]["steps"]] == [2, 2]
    weekly = await ok(http, emu, "/funnels", funnel_id=7, unit="week", **DAYS)
    assert weekly["meta"]["dates"] == ["2024-02-26"]
    split = await ok(http, emu, "/funnels", funnel_id=7, on='properties["plan"]', **DAYS)
    day = split["data"]["2024-03-01"]
    assert set(day) == {"$overall", "pro", "free", "undefined"}
    assert [s["count"] for s in day["pro"]] == [1, 1]
    assert [s["count"] for s in day["$overall"]] == [2, 2]


async def test_funnel_bad_input(http: aiohttp.ClientSession, emu: Emulator) -> None:
    assert "not found" in await assert_query_400(http, emu, "/funnels", funnel_id=99, **DAYS)
    await assert_query_400(http, emu, "/funnels", funnel_id=7, length=91, length_unit="day", **DAYS)
    await assert_query_400(http, emu, "/funnels", funnel_id=7, length_unit="week", **DAYS)
    await assert_query_400(http, emu, "/funnels", funnel_id="seven", **DAYS)
    await assert_query_400(http, emu, "/funnels", funnel_id=7, on='properties["plan"', **DAYS)


# -- retention and frequency --------------------------------------------------------------------
async def test_retention(http: aiohttp.ClientSession, emu: Emulator) -> None:
    body = await ok(
        http, emu, "/retention", born_event="Sign Up", event="Purchase", interval_count=2, **DAYS
    )
    assert body == {
        "2024-03-01": {"first": 2, "counts": [1, 2, 0]},  # ann: +1 h, +26 h; bob: +32.5 h
        "2024-03-02": {"first": 1, "counts": [1, 0, 0]},  # cat: +30 min
        "2024-03-03": {"first": 0, "counts": [0, 0, 0]},
    }
    recurring = await ok(
        http,
        emu,
        "/retention",
        retention_type="compounded",
        event="View",
        interval_count=1,
        unbounded_retention="true",
        **DAYS,
    )
    assert recurring["2024-03-01"] == {"first": 1, "counts": [1, 0]}


async def test_frequency(http: aiohttp.ClientSession, emu: Emulator) -> None:
    body = await ok(http, emu, "/retention/addiction", unit="day", addiction_unit="hour", **DAYS)
    assert set(body) == {"data"}
    assert list(body["data"]) == SERIES
    assert all(len(v) == 24 for v in body["data"].values())
    assert body["data"]["2024-03-01"][:4] == [2, 1, 1, 0]  # ann: 09, 10, 12 h; bob: 23 h
    weekly = await ok(
        http,
        emu,
        "/retention/addiction",
        unit="week",
        addiction_unit="day",
        event="Purchase",
        **DAYS,
    )
    assert weekly["data"]["2024-03-01"] == [3, 1, 0, 0, 0, 0, 0]


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/segmentation", {"event": "View", "from_date": "2024-3-1", "to_date": "2024-03-03"}),
        ("/segmentation", {"event": "View", "from_date": "2024-02-30", "to_date": "2024-03-03"}),
        ("/segmentation", {"event": "View", "from_date": "2024-03-04", "to_date": "2024-03-03"}),
        ("/segmentation", {"event": "View", **DAYS, "unit": "fortnight"}),
        ("/segmentation", {"event": "View", **DAYS, "type": "median"}),
        ("/segmentation", {"event": "View", **DAYS, "where": 'properties["a"] = 1'}),
        ("/segmentation", {"event": "View", **DAYS, "on": "properties["}),
        ("/segmentation", {"event": "Purchase", **DAYS, "where": 'properties["plan"] and true'}),
        ("/segmentation", {"event": "View", **DAYS, "limit": "0"}),
        ("/segmentation", {"from_date": "2024-03-01", "to_date": "2024-03-03"}),
        (
            "/segmentation",
            {"event": "View", "from_date": "2020-01-01", "to_date": "2024-03-03", "unit": "minute"},
        ),
        ("/segmentation/numeric", {"event": "View", **DAYS}),
        ("/segmentation/numeric", {"event": "View", **DAYS, "on": "x", "unit": "week"}),
        ("/segmentation/sum", {"event": "View", **DAYS, "on": 'properties["amount"'}),
        ("/segmentation/average", {"event": "View", **DAYS, "on": "1", "unit": "month"}),
        ("/events", {"event": "View", "type": "general", "unit": "day", **DAYS}),
        ("/events", {"event": '"View"', "type": "general", "unit": "day", **DAYS}),
        ("/events", {"event": '["View"]', "unit": "day", **DAYS}),
        (
            "/events/properties",
            {
                "event": "View",
                "name": "plan",
                "type": "general",
                "unit": "day",
                "values": '{"a": 1}',
                **DAYS,
            },
        ),
        ("/retention", {"event": "View", **DAYS}),
        ("/retention", {"born_event": "View", **DAYS, "retention_type": "rolling"}),
        ("/retention", {"born_event": "View", **DAYS, "interval_count": "-1"}),
        ("/retention", {"born_event": "View", **DAYS, "born_where": "(("}),
        ("/retention/addiction", {**DAYS, "unit": "day", "addiction_unit": "week"}),
        ("/retention/addiction", {**DAYS, "addiction_unit": "hour"}),
        (
            "/retention/addiction",
            {**DAYS, "unit": "day", "addiction_unit": "hour", "on": 'properties["plan"'},
        ),
        ("/retention/addiction", {**DAYS, "unit": "day", "addiction_unit": "hour", "limit": "0"}),
        ("/events", {"event": '["View"]', "type": "general", "unit": "day"}),
        ("/events", {"event": '["View"]', "type": "general", "unit": "day", "interval": "0"}),
        (
            "/events",
            {"event": '["View"]', "type": "general", "unit": "day", "format": "xml", **DAYS},
        ),
        ("/segmentation", {"event": "View", **DAYS, "format": "tsv"}),
    ],
)
async def test_bad_input(
    http: aiohttp.ClientSession, emu: Emulator, path: str, params: dict[str, str]
) -> None:
    await assert_query_400(http, emu, path, **params)


async def test_error_messages(http: aiohttp.ClientSession, emu: Emulator) -> None:
    order = await assert_query_400(
        http, emu, "/segmentation", event="View", from_date="2024-03-04", to_date="2024-03-03"
    )
    assert "from_date" in order
    where = await assert_query_400(http, emu, "/segmentation", event="View", where="((", **DAYS)
    assert where.startswith("invalid where expression")
    unit = await assert_query_400(http, emu, "/segmentation", event="View", unit="year", **DAYS)
    assert "unit" in unit
