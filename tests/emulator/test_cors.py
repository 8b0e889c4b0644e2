"""CORS as a browser page needs it: the caller's origin echoed with credentials allowed on every
answer (success, 4xx, unknown route, streamed export), and preflights that grant what they ask."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping

import aiohttp

from mixpanel_async.emulator import Emulator

ORIGIN = "http://127.0.0.1:5173"


def assert_page_may_read(headers: Mapping[str, str]) -> None:
    """The headers a credentialed cross-origin read needs."""
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in headers["Vary"]


async def test_preflight_allows_the_requested_headers(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    asked = {
        "Origin": ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,traceparent",
        "Access-Control-Request-Private-Network": "true",
    }
    async with http.options(emu.url + "/track/", headers=asked) as r:
        assert r.status == 204
        assert_page_may_read(r.headers)
        assert r.headers["Access-Control-Allow-Headers"] == "content-type,traceparent"
        assert "POST" in r.headers["Access-Control-Allow-Methods"]
        assert r.headers["Access-Control-Allow-Private-Network"] == "true"


async def test_every_answer_names_the_origin(emu: Emulator, http: aiohttp.ClientSession) -> None:
    event = {"event": "e", "properties": {"token": "t", "distinct_id": "u", "time": time.time()}}
    sent = {"Origin": ORIGIN}
    async with http.post(
        emu.url + "/track/", data={"data": json.dumps([event])}, headers=sent
    ) as r:
        assert (r.status, await r.text()) == (200, "1")
        assert_page_may_read(r.headers)
    async with http.get(emu.url + "/api/query/segmentation", headers=sent) as r:
        assert r.status == 400
        assert_page_may_read(r.headers)
    async with http.get(emu.url + "/api/app/nope", headers=sent) as r:
        assert r.status == 404
        assert_page_may_read(r.headers)
    day = time.strftime("%Y-%m-%d", time.gmtime())
    params = {"project_id": "1", "from_date": day, "to_date": day}
    async with http.get(emu.url + "/api/2.0/export", params=params, headers=sent) as r:
        assert r.status == 200
        assert_page_may_read(r.headers)
        assert (await r.text()).count("\n") == 1


async def test_without_an_origin_any_reader_is_allowed(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(emu.url + "/api/app/nope") as r:
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in r.headers
