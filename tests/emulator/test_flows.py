"""`GET /api/query/arb_funnels` (saved Flows reports) over loopback HTTP with a plain aiohttp
client: the Sankey wire shape, the project timezone, relative ranges, and every refusal in the
Query API's error shape. The numbers are checked against an independent computation in
tests/unit/test_flows_engine.py; here the data is small enough to count by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from mixpanel_async._generated.models.flows import FlowsReport
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.engine.saved_reports import NOT_KIND
from mixpanel_async.emulator.entities import tables
from mixpanel_async.transport import codec
from tests.emulator.conftest import event_row, ms, running
from tests.helpers import flows_report

PATH = "/api/query/arb_funnels"
APP = "/api/app/projects/1"


EVENTS = [
    event_row("Home", "ann", ms("2024-03-01T09:00:00")),
    event_row("Signup", "ann", ms("2024-03-01T10:00:00")),
    event_row("Buy", "ann", ms("2024-03-01T11:00:00")),
    # 22:30 on 2024-03-01 in New York: inside a New York March 1st, outside a UTC one.
    event_row("Signup", "bob", ms("2024-03-02T03:30:00")),
    event_row("Home", "bob", ms("2024-03-02T04:00:00")),
    event_row("Signup", "cat", ms("2024-03-02T12:00:00")),  # March 2nd everywhere
]


def report(**changes: Any) -> dict[str, Any]:
    """A one-step flows report at Signup on 2024-03-01 (`changes` replace top-level keys)."""
    return flows_report("Signup", "2024-03-01", "2024-03-01", **changes)


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with running(EVENTS, timezone="America/New_York") as emulator:
        yield emulator


async def save(
    http: aiohttp.ClientSession, emu: Emulator, params: dict[str, Any], kind: str = "flows"
) -> int:
    """Create the report over the App API, as a client would."""
    async with http.post(emu.url + APP + "/dashboards", json={"title": "Flows"}) as resp:
        assert resp.status == 200, await resp.text()
        dashboard = (await resp.json())["results"]["id"]
    body = {"name": "r", "type": kind, "params": params, "dashboard_id": dashboard}
    async with http.post(emu.url + APP + "/bookmarks", json=body) as resp:
        assert resp.status == 200, await resp.text()
        return int((await resp.json())["results"]["id"])


async def get(http: aiohttp.ClientSession, emu: Emulator, **params: Any) -> tuple[int, Any]:
    query = {"project_id": "1", "query_type": "flows_sankey", **params}
    async with http.get(emu.url + PATH, params={k: str(v) for k, v in query.items()}) as resp:
        return resp.status, await resp.json(content_type=None)


async def run(http: aiohttp.ClientSession, emu: Emulator, params: dict[str, Any]) -> Any:
    status, body = await get(http, emu, bookmark_id=await save(http, emu, params))
    assert status == 200, body
    return body


async def refused(http: aiohttp.ClientSession, emu: Emulator, **params: Any) -> str:
    status, body = await get(http, emu, **params)
    assert status == 400, body
    assert set(body) == {"request", "error"}
    assert body["request"].startswith(PATH + "?")
    return str(body["error"])


def counts(body: Any) -> list[dict[tuple[str, str], int]]:
    return [
        {(n["event"], n["type"]): int(n["totalCount"]) for n in column["nodes"]}
        for column in body["steps"]
    ]


async def test_sankey_wire_shape(http: aiohttp.ClientSession, emu: Emulator) -> None:
    body = await run(http, emu, report())
    assert set(body) == {"computed_at", "steps", "flows", "breakdowns",
                         "overallConversionRate", "metadata"}  # fmt: skip
    assert (body["flows"], body["breakdowns"], body["overallConversionRate"]) == ([], [], 1.0)
    # New York's March 1st holds ann's and bob's anchors, not cat's.
    assert counts(body) == [
        {("Home", "NORMAL"): 1, ("$dropoff", "DROPOFF"): 1},
        {("Signup", "ANCHOR"): 2},
        {("Buy", "NORMAL"): 1, ("Home", "NORMAL"): 1},
    ]
    anchor = body["steps"][1]["nodes"][0]
    assert anchor == {
        "event": "Signup",
        "type": "ANCHOR",
        "anchorType": "NORMAL",
        "totalCount": "2",
        "isCustomEvent": False,
        "conversionRateChange": None,
        "edges": [
            {"event": "Buy", "step": 2, "totalCount": "1", "type": "NORMAL"},
            {"event": "Home", "step": 2, "totalCount": "1", "type": "NORMAL"},
        ],
    }
    assert [n["anchorType"] for n in body["steps"][0]["nodes"]] == ["RELATIVE_REVERSE"] * 2
    assert body["steps"][2]["nodes"][0]["anchorType"] == "RELATIVE_FORWARD"
    assert body["metadata"]["count_type"] == "unique"
    assert body["metadata"]["date_range"] == {"from_date": "2024-03-01", "to_date": "2024-03-01"}
    report_model = codec.structure(body, FlowsReport)  # what the spec says, the emulator sends
    assert report_model.steps[1].nodes[0].total_count == "2"


async def test_workspace_id_and_total_counting(http: aiohttp.ClientSession, emu: Emulator) -> None:
    params = report(
        count_type="total",
        date_range={"type": "between", "from_date": "2024-03-01", "to_date": "2024-03-02"},
        steps=[{"event": "Signup", "forward": 2, "reverse": 0}],
    )
    bookmark = await save(http, emu, params)
    status, body = await get(http, emu, bookmark_id=bookmark, workspace_id=1)
    assert status == 200, body
    assert counts(body) == [
        {("Signup", "ANCHOR"): 3},
        {("Buy", "NORMAL"): 1, ("Home", "NORMAL"): 1, ("$dropoff", "DROPOFF"): 1},
        {("$dropoff", "DROPOFF"): 3},
    ]


async def test_relative_range_ends_today(http: aiohttp.ClientSession, emu: Emulator) -> None:
    now = int(dt.datetime.now(dt.UTC).timestamp() * 1000)
    day = 86_400_000
    emu.state.default.events.append(
        [event_row("Open", "new", now - day), event_row("Open", "old", now - 20 * day)]
    )
    last_week = {"type": "in the last", "from_date": {"unit": "day", "value": 7}, "to_date": "$now"}
    params = report(date_range=last_week, steps=[{"event": "Open", "forward": 1}])
    body = await run(http, emu, params)
    assert counts(body) == [{("Open", "ANCHOR"): 1}, {("$dropoff", "DROPOFF"): 1}]


async def test_no_anchor_in_range(http: aiohttp.ClientSession, emu: Emulator) -> None:
    empty = {"type": "between", "from_date": "2023-01-01", "to_date": "2023-01-31"}
    body = await run(http, emu, report(date_range=empty))
    assert (body["steps"], body["overallConversionRate"]) == ([], 0.0)


async def test_unknown_or_other_bookmarks(http: aiohttp.ClientSession, emu: Emulator) -> None:
    error = await refused(http, emu, bookmark_id=999)
    assert error == "bookmark 999 not found in this project"
    funnel = await save(http, emu, {"sections": {}}, kind="funnels")
    error = await refused(http, emu, bookmark_id=funnel)
    assert error == NOT_KIND.format(bookmark_id=funnel, kind="flows")
    # A row without a params object (written straight into the store) is refused, not a 500.
    table = tables(emu.state.default.entities, "bookmark")
    table.rows[777] = {"id": 777, "type": "flows", "params": "Signup"}
    assert "no params object" in await refused(http, emu, bookmark_id=777)


async def test_top_paths(http: aiohttp.ClientSession, emu: Emulator) -> None:
    bookmark = await save(http, emu, report())
    status, body = await get(http, emu, bookmark_id=bookmark, query_type="flows_top_paths")
    assert status == 200, body
    # bob's Signup has nothing before it; ann's has Home, and Buy after it.
    assert body["flows"] == [
        {"flowSteps": [{"event": "Signup", "type": "ANCHOR", "totalCount": "1"},
                       {"event": "Home", "type": "NORMAL", "totalCount": "1"}], "segments": []},
        {"flowSteps": [{"event": "Home", "type": "NORMAL", "totalCount": "1"},
                       {"event": "Signup", "type": "ANCHOR", "totalCount": "1"},
                       {"event": "Buy", "type": "NORMAL", "totalCount": "1"}], "segments": []},
    ]  # fmt: skip
    assert body["overallConversionRate"] == 1.0
    assert len(body["steps"]) == 3  # the Sankey's columns come along


async def test_trees(http: aiohttp.ClientSession, emu: Emulator) -> None:
    step = {"event": "Signup", "forward": 1, "reverse": 0}
    bookmark = await save(http, emu, report(steps=[step]))
    status, body = await get(http, emu, bookmark_id=bookmark, query_type="flows")
    assert status == 200, body
    (tree,) = body["trees"]
    root = tree["root"]
    assert root["step"] == {"event": "Signup", "type": "ANCHOR", "stepNumber": 0,
                            "anchorType": "NORMAL", "isComputed": False}  # fmt: skip
    assert (root["totalCount"], root["dropOffTotalCount"], root["convertedTotalCount"]) == (2, 0, 2)
    assert sorted((c["step"]["event"], c["totalCount"]) for c in root["children"]) == [
        ("Buy", 1),
        ("Home", 1),
    ]
    bookmark = await save(http, emu, report())  # reverse steps: a second tree, backwards
    status, body = await get(http, emu, bookmark_id=bookmark, query_type="flows")
    assert status == 200, body
    assert [t["root"]["step"]["event"] for t in body["trees"]] == ["Signup", "Signup"]
    assert {c["step"]["anchorType"] for c in body["trees"][1]["root"]["children"]} <= {
        "RELATIVE_REVERSE"
    }


async def test_step_filters_choose_the_anchors(http: aiohttp.ClientSession, emu: Emulator) -> None:
    late = {"property": {"name": "time", "source": "properties", "type": "number"},
            "type": "number",
            "filter": {"operator": ">", "operand": ms("2024-03-02T00:00:00") // 1000}}  # fmt: skip
    step = {"event": "Signup", "forward": 1, "reverse": 0, "property_filter_params_list": [late]}
    body = await run(http, emu, report(steps=[step]))
    anchors = body["steps"][0]["nodes"]
    assert [(n["event"], n["totalCount"]) for n in anchors] == [("Signup", "1")]  # bob only
    for entry, error in [
        ({"x": 1}, "a step filter names no property"),
        ({"property": {"name": "p", "source": "user"}},
         "a step filter on user properties is not supported by the emulator"),
    ]:  # fmt: skip
        step["property_filter_params_list"] = [entry]
        bookmark = await save(http, emu, report(steps=[step]))
        assert error == await refused(http, emu, bookmark_id=bookmark)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"bookmark_id": 1, "query_type": "sankey"}, "query_type"),
        ({"bookmark_id": 0}, "bookmark_id"),
        ({"bookmark_id": "x"}, "bookmark_id"),
        ({}, "bookmark_id"),
    ],
)
async def test_bad_parameters(
    http: aiohttp.ClientSession, emu: Emulator, params: dict[str, Any], match: str
) -> None:
    assert match in await refused(http, emu, **params)


STEP = {"event": "Signup", "forward": 1, "reverse": 1}


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"segments": [{"value": "country"}]}, "segments"),
        ({"data_group_id": 3}, "a data group (data_group_id)"),
    ],
)
async def test_unsupported_settings(
    http: aiohttp.ClientSession, emu: Emulator, changes: dict[str, Any], match: str
) -> None:
    bookmark = await save(http, emu, report(**changes))
    error = await refused(http, emu, bookmark_id=bookmark)
    assert match in error
    assert error.endswith("in a saved flows report is not supported by the emulator")


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"steps": []}, "needs an anchor step"),
        ({"steps": [{**STEP, "forward": 9}]}, "forward must be an integer from 0 to 5"),
        ({"count_type": "often"}, "count_type must be"),
        ({"cardinality_threshold": "3"}, "cardinality_threshold"),
        ({"hidden_events": ["Signup"]}, "in hidden_events"),
        ({"date_range": {"type": "between", "from_date": "2024-03-02", "to_date": "2024-03-01"}},
         "must not be after"),
        ({"conversion_window": {"unit": "day", "value": 400}}, "from 1 to 367"),
    ],
)  # fmt: skip
async def test_malformed_settings(
    http: aiohttp.ClientSession, emu: Emulator, changes: dict[str, Any], match: str
) -> None:
    bookmark = await save(http, emu, report(**changes))
    assert match in await refused(http, emu, bookmark_id=bookmark)
