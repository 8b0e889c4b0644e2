"""`AsyncWorkspace.schema_graph` against the emulator, over loopback."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from mixpanel_async import AsyncWorkspace, ParamValidationError, SchemaGraphResult, ServerError
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of

AT = 1_788_000_000


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    project = mixpanel_emulator.state.default
    project.events.append(
        rows_of(
            [
                {"event": "Purchase", "properties": {"time": AT, "distinct_id": "u", "amount": 3,
                                                     "coupon": None, "items": ["a"]}},
                {"event": "Purchase", "properties": {"time": AT + 1, "distinct_id": "u",
                                                     "coupon": "X"}},
                {"event": "Sign Up", "properties": {"time": AT, "distinct_id": "v", "plan": "pro",
                                                    "amount": 1}},
            ]
        )
    )  # fmt: skip
    project.profiles["u"] = {"$email": "u@example.com", "$name": "U"}
    project.profiles["v"] = {"$email": "v@example.com"}
    return mixpanel_emulator


async def test_graph_of_events_and_properties(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    graph = await mixpanel_workspace.schema_graph()
    assert isinstance(graph, SchemaGraphResult)
    assert [(e["name"], e["count"]) for e in graph.events] == [("Purchase", 2), ("Sign Up", 1)]
    assert [p["name"] for p in graph.properties] == ["amount", "coupon", "items", "plan"]
    assert graph.properties_for_event("Purchase") == ["amount", "coupon", "items"]
    assert graph.properties_for_event("Sign Up") == ["amount", "plan"]
    assert graph.events_for_property("amount") == ["Purchase", "Sign Up"]
    assert graph.orphan_properties() == []
    assert [(p["name"], p["count"]) for p in graph.user_properties] == [
        ("$email", 2),
        ("$name", 1),
    ]
    assert graph.meta["relationship_edges"] == 5
    assert graph.params == {"include_density": False, "include_user_properties": True}
    assert graph.df.columns == ["event", "property", "density_local"]
    assert graph.df.height == 5
    assert graph.df["density_local"].null_count() == 5
    assert graph.properties_df["resource_type"].to_list() == ["event"] * 4 + ["user"] * 2
    assert graph.events_df["count"].to_list() == [2, 1]
    assert graph.to_dict()["event_to_properties"]["Sign Up"] == ["amount", "plan"]
    assert sorted(graph.to_graph().successors("Purchase")) == ["amount", "coupon", "items"]


async def test_density_and_no_user_properties(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    graph = await mixpanel_workspace.schema_graph(
        include_density=True, include_user_properties=False
    )
    assert graph.include_density is True
    assert graph.user_properties == []
    density = {p["name"]: p["densityLocal"] for p in graph.properties}
    assert density["amount"] == pytest.approx(2 / 3)
    assert density["plan"] == pytest.approx(1 / 3)


async def test_empty_project(mixpanel_workspace: AsyncWorkspace) -> None:
    graph = await mixpanel_workspace.schema_graph()
    assert (graph.events, graph.properties, graph.user_properties) == ([], [], [])
    assert graph.df.height == 0
    assert graph.events_df.columns[0] == "name"


async def test_cached_until_refreshed(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    first = await ws.schema_graph()
    seeded.add_fault(path="/api/app", status=500, count=100)
    assert await ws.schema_graph() is first
    with pytest.raises(ServerError):  # force_refresh asks again, and the fault answers
        await ws.schema_graph(force_refresh=True)


async def test_wire_shapes(seeded: Emulator) -> None:
    async with aiohttp.ClientSession() as http:
        base = f"{seeded.url}/api/app/projects/1/data-definitions"
        async with http.get(f"{base}/properties/", params={"resourceType": "event"}) as resp:
            assert resp.status == 400  # only the capitalised values
            body: Any = await resp.json()
            assert body["status"] == "error"
        async with http.get(f"{seeded.url}/api/app/workspaces/7/data-definitions/events/") as resp:
            assert resp.status == 200
            assert [e["name"] for e in (await resp.json())["results"]] == ["Purchase", "Sign Up"]
        query = f"{seeded.url}/api/query/data_definitions/events"
        async with http.get(query, params={"project_id": "1"}) as resp:
            assert (await resp.json())["results"] == [{"name": "Purchase"}, {"name": "Sign Up"}]
        params = {"project_id": "1", "fetch_per_event_properties": "true"}
        async with http.get(query, params=params) as resp:
            rows = (await resp.json())["results"]
            assert rows[1] == {
                "name": "Sign Up",
                "properties": [
                    {"name": "amount", "type": "number"},
                    {"name": "plan", "type": "string"},
                ],
            }


async def test_bad_arguments_send_nothing(mixpanel_offline_workspace: AsyncWorkspace) -> None:
    ws: Any = mixpanel_offline_workspace
    for kwargs in ({"include_density": 1}, {"include_user_properties": "no"},
                   {"force_refresh": None}):  # fmt: skip
        with pytest.raises(ParamValidationError):
            await ws.schema_graph(**kwargs)
