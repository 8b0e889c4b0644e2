"""The SDK-facing flag routes (`/flags`, `/flags/definitions`) and `GET /import`, over HTTP:
shapes, refusals and project routing."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.entities import tables

FLAG = {
    "id": "0b6c3f5e-3c1e-4a59-9d59-1b3f0f4d2a10",
    "project_id": 1,
    "name": "Dark",
    "key": "dark",
    "status": "enabled",
    "context": "distinct_id",
    "experiment_id": "e1",
    "ruleset": {
        "variants": [
            {"key": "On", "value": True, "split": 1.0},
            {"key": "Off", "value": False, "split": 0.0},
        ],
        "rollout": [{"rollout_percentage": 1.0}],
        "test": {"users": {"tester": "Off"}},
    },
}


def store_flags(emu: Emulator, project_id: str, *flags: dict[str, Any]) -> None:
    project = emu.state.by_id(project_id)
    assert project is not None
    table = tables(project.entities, "feature_flag", "uuid")
    for flag in flags:
        table.rows[flag["id"]] = flag


@pytest.fixture
async def configured() -> AsyncIterator[Emulator]:
    async with Emulator(port=0, projects=["1:tok1:sec1", "2:tok2:sec2"]) as emu:
        yield emu


async def get(http: aiohttp.ClientSession, url: str, **params: str) -> tuple[int, Any]:
    async with http.get(url, params=params) as resp:
        return resp.status, await resp.json(content_type=None)


async def test_remote_evaluation_shape(emu: Emulator, http: aiohttp.ClientSession) -> None:
    off = {**FLAG, "id": "7e0b5e57-5d8e-4c4f-8a9a-1a0f7c7b2b11", "key": "off", "status": "disabled"}
    store_flags(emu, "1", FLAG, off)
    ctx = json.dumps({"distinct_id": "u1"})
    status, body = await get(http, emu.url + "/flags", token="t", context=ctx)
    assert status == 200
    assert body == {
        "code": 200,
        "flags": {
            "dark": {
                "variant_key": "On",
                "variant_value": True,
                "experiment_id": "e1",
                "is_experiment_active": None,  # no such experiment
                "is_qa_tester": False,
            }
        },
    }
    tester = json.dumps({"distinct_id": "tester"})
    _, body = await get(http, emu.url + "/flags", token="t", context=tester, flag_key="dark")
    assert body["flags"]["dark"]["variant_key"] == "Off"
    assert body["flags"]["dark"]["is_qa_tester"] is True
    _, body = await get(http, emu.url + "/flags", token="t", context=ctx, flag_key="nope")
    assert body == {"code": 200, "flags": {}}
    _, body = await get(http, emu.url + "/flags", token="t", context="{}")
    assert body == {"code": 200, "flags": {}}  # no distinct_id: no variant


async def test_definitions_shape(emu: Emulator, http: aiohttp.ClientSession) -> None:
    store_flags(emu, "1", FLAG)
    status, body = await get(http, emu.url + "/flags/definitions", token="t")
    assert status == 200
    (served,) = body["flags"]
    assert body["code"] == 200
    assert [v["key"] for v in served["ruleset"]["variants"]] == ["Off", "On"]  # key order
    assert served["ruleset"]["test"] == {"users": {"tester": "Off"}}
    assert {k: served[k] for k in ("id", "key", "status", "context", "project_id")} == {
        "id": FLAG["id"],
        "key": "dark",
        "status": "enabled",
        "context": "distinct_id",
        "project_id": 1,
    }


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/flags", {"context": "{}"}, 400),  # no token
        ("/flags", {"token": "t"}, 400),  # no context
        ("/flags", {"token": "t", "context": "{oops"}, 400),
        ("/flags", {"token": "t", "context": "[1]"}, 400),
        ("/flags/definitions", {}, 400),
    ],
)
async def test_refusals(
    emu: Emulator, http: aiohttp.ClientSession, path: str, params: dict[str, str], status: int
) -> None:
    got, body = await get(http, emu.url + path, **params)
    assert got == status
    assert isinstance(body["error"], str)


async def test_project_routing(configured: Emulator, http: aiohttp.ClientSession) -> None:
    store_flags(configured, "2", FLAG)
    ctx = json.dumps({"distinct_id": "u1"})
    url = configured.url + "/flags"
    assert (await get(http, url, token="tok1", context=ctx))[1]["flags"] == {}
    assert list((await get(http, url, token="tok2", context=ctx))[1]["flags"]) == ["dark"]
    got = await get(http, url, token="tok1", project_id="2", context=ctx)
    assert list(got[1]["flags"]) == ["dark"]
    status, body = await get(http, url, token="nope", context=ctx)
    assert status == 401
    assert body["error"] == "Invalid token"  # (a token is never quoted back)


def data(*events: dict[str, Any]) -> str:
    return base64.b64encode(json.dumps(list(events)).encode()).decode()


EVENT = {
    "event": "E",
    "properties": {"distinct_id": "a", "time": 1_700_000_000, "$insert_id": "i1"},
}


async def test_import_get_auth_modes(configured: Emulator, http: aiohttp.ClientSession) -> None:
    url = configured.url + "/import"
    secret = {"Authorization": aiohttp.encode_basic_auth("sec2", "")}
    token = {"Authorization": aiohttp.encode_basic_auth("tok2", "")}
    for n, (headers, extra) in enumerate(
        [({}, {"api_key": "sec2"}), (secret, {}), (token, {}), ({}, {"project_id": "2"})]
    ):
        event = {**EVENT, "properties": {**EVENT["properties"], "$insert_id": f"i{n}"}}
        params = {"data": data(event), "verbose": "0", "ip": "0", **extra}
        async with http.get(url, params=params, headers=headers) as resp:
            assert (resp.status, await resp.text()) == (200, "1")
    assert len(configured.events("2")) == 4
    assert configured.events("1") == []


async def test_import_get_refusals(configured: Emulator, http: aiohttp.ClientSession) -> None:
    url = configured.url + "/import"
    async with http.get(url, params={"data": data(EVENT)}) as resp:
        assert (resp.status, await resp.text()) == (401, "0")
    params = {"data": data(EVENT), "verbose": "1", "api_key": "wrong"}
    async with http.get(url, params=params) as resp:
        assert resp.status == 401
        assert (await resp.json())["status"] == 0
    bad = {"event": "E", "properties": {"distinct_id": "a"}}  # no time
    params = {"data": data(bad), "verbose": "1", "api_key": "sec1", "strict": "1"}
    async with http.get(url, params=params) as resp:
        assert resp.status == 400
        assert (await resp.json())["failed_records"][0]["field"] == "properties.time"
    async with http.get(url, params={"data": "%%%", "api_key": "sec1"}) as resp:
        assert resp.status == 400
    assert configured.events() == []
