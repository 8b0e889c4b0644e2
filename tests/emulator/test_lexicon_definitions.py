"""The emulator's Lexicon governance endpoints over raw HTTP: repeated `name[]`, workspace
paths, Mixpanel's 4xx shapes for bad input (never a 500, state untouched), `/track` screened
like `/import`, and governance state surviving a snapshot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from mixpanel_async.emulator import Emulator
from tests.emulator.conftest import event_row, running
from tests.helpers import today_moment

APP = "/api/app/projects/1/data-definitions"


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    at = today_moment() * 1000
    rows = [event_row("Purchase", "u1", at, "a", amount=3), event_row("Debug", "u2", at, "b")]
    async with running(rows) as emulator:
        yield emulator


async def call(
    http: aiohttp.ClientSession, emu: Emulator, method: str, path: str, **kw: Any
) -> tuple[int, Any]:
    async with http.request(method, emu.url + path, **kw) as resp:
        return resp.status, await resp.json(content_type=None)


async def test_names_repeat_and_workspace_paths(emu: Emulator, http: aiohttp.ClientSession) -> None:
    query = [("name[]", "Debug"), ("name[]", "Purchase"), ("name[]", "Debug")]
    status, body = await call(http, emu, "GET", f"{APP}/events/", params=query)
    assert status == 200
    assert [d["name"] for d in body["results"]] == ["Debug", "Purchase"]
    status, body = await call(
        http, emu, "GET", "/api/app/workspaces/1/data-definitions/events/drop-filters/limits/"
    )
    assert (status, body) == (200, {"status": "ok", "results": {"filterLimit": 10}})


@pytest.mark.parametrize(
    ("method", "path", "payload", "status"),
    [
        ("PATCH", "/events/", [1, 2], 400),
        ("PATCH", "/events/", {"description": "no name"}, 400),
        ("PATCH", "/events/", {"events": [{"hidden": True}]}, 400),
        ("PATCH", "/events/", {"name": "Purchase", "hidden": "yes"}, 400),
        ("PATCH", "/events/", {"name": "Nope", "hidden": True}, 404),
        ("DELETE", "/events/", {}, 400),
        ("PATCH", "/properties/", {"properties": [{"name": "amount"}]}, 400),
        ("PATCH", "/properties/", {"name": "amount", "resourceType": "event"}, 400),
        ("POST", "/tags/", {"delete": True}, 400),
        ("PATCH", "/tags/abc/", {"name": "x"}, 400),
        ("POST", "/events/drop-filters/", {"event_name": "Debug"}, 400),
        ("POST", "/events/drop-filters/", {"event_name": "Debug", "filters": "env"}, 400),
        ("POST", "/events/drop-filters/", {"event_name": "D", "filters": [{"property": 1}]}, 400),
        ("PATCH", "/events/drop-filters/", {"id": 5, "active": False}, 404),
        ("DELETE", "/events/drop-filters/", {"id": "one"}, 400),
    ],
)
async def test_bad_input_is_refused_in_mixpanels_shape(
    emu: Emulator,
    http: aiohttp.ClientSession,
    method: str,
    path: str,
    payload: Any,
    status: int,
) -> None:
    got, body = await call(http, emu, method, APP + path, json=payload)
    assert got == status, body
    assert isinstance(body["error"], str)
    assert body["error"]
    _, events = await call(http, emu, "GET", f"{APP}/events/")
    assert all(not d["hidden"] and not d["description"] for d in events["results"])
    _, filters = await call(http, emu, "GET", f"{APP}/events/drop-filters/")
    assert filters["results"] == []


@pytest.mark.parametrize(
    "query",
    [
        {"export_type": "All Events and Properties"},  # not a JSON list
        {"export_type": '["Everything"]'},
    ],
)
async def test_bad_export_type(emu: Emulator, http: aiohttp.ClientSession, query: Any) -> None:
    status, body = await call(http, emu, "GET", f"{APP}/export/", params=query)
    assert status == 400
    assert body["error"]


async def test_track_is_screened_like_import(emu: Emulator, http: aiohttp.ClientSession) -> None:
    status, _ = await call(
        http,
        emu,
        "POST",
        f"{APP}/events/drop-filters/",
        json={"event_name": "Debug", "filters": {"property": "env", "value": "test"}},
    )
    assert status == 200
    events = [
        {"event": "Debug", "properties": {"token": "t", "distinct_id": "d", "env": "test"}},
        {"event": "Debug", "properties": {"token": "t", "distinct_id": "k", "env": "prod"}},
    ]
    data = {"data": orjson.dumps(events).decode()}
    async with http.post(emu.url + "/track", data=data) as resp:
        assert await resp.text() == "1"
    users = [e["properties"]["distinct_id"] for e in emu.events() if e["event"] == "Debug"]
    assert sorted(users) == ["k", "u2"]


async def test_state_survives_a_snapshot(tmp_path: Path) -> None:
    at = today_moment() * 1000
    async with Emulator(port=0, data_dir=tmp_path) as emu, aiohttp.ClientSession() as http:
        emu.state.default.events.append([event_row("Purchase", "u1", at, "a")])
        await call(http, emu, "PATCH", f"{APP}/events/", json={"name": "Purchase", "tags": ["t"]})
        await call(
            http, emu, "POST", f"{APP}/events/drop-filters/",
            json={"event_name": "Noise", "filters": []},
        )  # fmt: skip
    async with Emulator(port=0, data_dir=tmp_path) as emu, aiohttp.ClientSession() as http:
        _, body = await call(http, emu, "GET", f"{APP}/events/", params={"name[]": "Purchase"})
        assert body["results"][0]["tags"] == ["t"]
        _, history = await call(http, emu, "GET", f"{APP}/events/Purchase/history/")
        assert [h["action"] for h in history["results"]] == ["update"]
        _, tags = await call(http, emu, "GET", f"{APP}/tags/")
        assert [t["name"] for t in tags["results"]] == ["t"]
        _, filters = await call(http, emu, "GET", f"{APP}/events/drop-filters/")
        assert [f["eventName"] for f in filters["results"]] == ["Noise"]
