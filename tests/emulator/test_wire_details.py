"""Small wire behaviours the official SDKs depend on, each as Mixpanel answers it."""

from __future__ import annotations

import base64
import time
from collections.abc import AsyncIterator

import aiohttp
import orjson
import pytest

from mixpanel_async.emulator import Emulator
from tests.emulator.conftest import assert_query_400

NOW = int(time.time())


@pytest.fixture
async def strict() -> AsyncIterator[Emulator]:
    async with Emulator(port=0, projects=["7:tok7:sec7"], strict_auth=True) as emulator:
        yield emulator


def event(**props: object) -> str:
    body = {"event": "E", "properties": {"time": NOW, "distinct_id": "u", **props}}
    return orjson.dumps(body).decode()


async def test_track_with_nothing_valid_is_a_200_zero(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    stale = event(time=NOW - 30 * 86_400)
    async with http.post(emu.url + "/track", data={"data": stale}) as r:
        assert (r.status, await r.text()) == (200, "0")
    async with http.get(emu.url + "/track", params={"data": "{broken"}) as r:
        assert (r.status, await r.text()) == (200, "0")
    assert emu.events() == []


async def test_verbose_is_read_from_the_form_body(
    strict: Emulator, http: aiohttp.ClientSession
) -> None:
    # The Python SDK posts `data`, `verbose=1` and `ip=0` as a form and reads `status` from
    # the JSON answer, errors included.
    stale = event(time=NOW - 30 * 86_400, token="tok7")
    async with http.post(strict.url + "/track", data={"data": stale, "verbose": "1"}) as r:
        answer = await r.json(content_type=None)
        assert (r.status, answer["status"]) == (400, 0)
        assert "5 days" in answer["error"]
    # /import without credentials answers JSON too, never a bare `0` the SDK cannot index.
    async with Emulator(port=0, projects=["8:tok8"]) as configured:
        form = {"data": event(), "verbose": "1"}
        async with http.post(configured.url + "/import", data=form) as r:
            answer = await r.json(content_type=None)
            assert (r.status, answer["status"]) == (401, 0)
            assert isinstance(answer["error"], str)
    async with http.post(strict.url + "/import", data={"data": event(), "verbose": "1"}) as r:
        answer = await r.json(content_type=None)
        assert r.status == 401
        assert answer["error"]


async def test_import_takes_the_secret_as_api_key_in_strict_mode(
    strict: Emulator, http: aiohttp.ClientSession
) -> None:
    body = [orjson.loads(event(**{"$insert_id": "k1"}))]
    async with http.post(strict.url + "/import?api_key=sec7", json=body) as r:
        assert r.status == 200, await r.text()
        assert (await r.json())["num_records_imported"] == 1
    async with http.post(strict.url + "/import?api_key=wrong", json=body) as r:
        assert r.status == 401
    assert [e["properties"]["$insert_id"] for e in strict.events("7")] == ["k1"]


async def test_union_takes_a_single_value(emu: Emulator, http: aiohttp.ClientSession) -> None:
    updates = [
        {"$token": "t", "$distinct_id": "u", "$union": {"tags": "a"}},
        {"$token": "t", "$distinct_id": "u", "$union": {"tags": ["a", "b"]}},
        {"$token": "t", "$distinct_id": "u", "$union": {"tags": "c", "n": 5}},
    ]
    for update in updates:
        data = base64.b64encode(orjson.dumps(update)).decode()
        async with http.post(emu.url + "/engage", data={"data": data}) as r:
            assert (r.status, await r.text()) == (200, "1")
    group = {"$token": "t", "$group_key": "co", "$group_id": "g", "$union": {"tags": "x"}}
    async with http.post(emu.url + "/groups", data={"data": orjson.dumps(group).decode()}) as r:
        assert (r.status, await r.text()) == (200, "1")
    (profile,) = emu.profiles()
    assert profile["$properties"]["tags"] == ["a", "b", "c"]
    assert profile["$properties"]["n"] == [5]
    assert emu.state.default.groups[("co", "g")] == {"tags": ["x"]}


@pytest.mark.parametrize(
    "on", ['properties["plan"', "properties.plan", "plan", 'properties["a"] +', "1 +* 2"]
)
@pytest.mark.parametrize("path", ["/segmentation", "/segmentation/numeric", "/retention"])
async def test_malformed_on_is_a_clear_400(
    emu: Emulator, http: aiohttp.ClientSession, path: str, on: str
) -> None:
    day = time.strftime("%Y-%m-%d", time.gmtime(NOW))
    text = await assert_query_400(
        http, emu, path, event="E", from_date=day, to_date=day, on=on, born_event="E"
    )
    assert "on" in text
