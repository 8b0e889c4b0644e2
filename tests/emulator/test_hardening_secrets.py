"""Credentials are never echoed: `api_key`, `secret` and `token` values are masked in the
emulator's error bodies and log lines, and in the client's exceptions."""

from __future__ import annotations

import logging

import aiohttp
import orjson
import pytest
from aiohttp import web

from mixpanel_async.emulator import Emulator, ProjectSpec
from mixpanel_async.emulator.app import errors_middleware
from mixpanel_async.exceptions import APIError
from mixpanel_async.transport.redact import mask_query, masked_params
from mixpanel_async.workspace import AsyncWorkspace
from tests.helpers import serving

SECRET = "s3cr3t-value-42"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/a?project_id=1&api_key=abc&b=2", "/a?project_id=1&api_key=***&b=2"),
        ("/a?secret=abc", "/a?secret=***"),
        ("token=abc&API_KEY=def", "token=***&API_KEY=***"),
        (
            "/a?tokens=keep&my_token=keep&x_secret=keep",
            "/a?tokens=keep&my_token=keep&x_secret=keep",
        ),
    ],
)
def test_mask_query(text: str, expected: str) -> None:
    assert mask_query(text) == expected


def test_masked_params() -> None:
    assert masked_params({"api_key": "x", "Token": "y", "limit": 5}) == {
        "api_key": "***",
        "Token": "***",
        "limit": 5,
    }


@pytest.mark.parametrize("name", ["api_key", "secret", "token"])
async def test_error_bodies_do_not_quote_secret_parameters(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession, name: str
) -> None:
    params = {"project_id": "1", name: SECRET, "limit": "x"}
    async with http.get(mixpanel_emulator.url + "/api/query/events/top", params=params) as r:
        assert r.status == 400
        text = await r.text()
    assert SECRET not in text
    assert f"{name}=***" in (await r.json())["request"]


async def test_a_wrong_token_is_not_quoted(http: aiohttp.ClientSession) -> None:
    async with Emulator(port=0, projects=[ProjectSpec("7", "good-token")]) as emu:
        for path in ("/track", "/engage"):
            message = {"event": "e", "$token": SECRET, "properties": {"token": SECRET}}
            data = orjson.dumps(message).decode()
            async with http.get(emu.url + path, params={"verbose": "1", "data": data}) as r:
                text = await r.text()
            assert "Invalid token" in text or "token" in text, text
            assert SECRET not in text


async def test_a_strict_emulator_does_not_quote_a_refused_api_key(
    http: aiohttp.ClientSession,
) -> None:
    async with Emulator(port=0, projects=[ProjectSpec("1", "t", "right")], strict_auth=True) as emu:
        params = {"project_id": "1", "api_key": SECRET, "type": "general"}
        async with http.get(emu.url + "/api/query/events/top", params=params) as r:
            assert r.status == 401
            assert SECRET not in await r.text()


async def test_log_lines_do_not_quote_secret_parameters(
    http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(request: web.Request) -> web.Response:
        raise RuntimeError("boom")

    app = web.Application(middlewares=[errors_middleware])
    app.router.add_get("/api/query/broken", broken)
    caplog.set_level(logging.ERROR, logger="mixpanel_async.emulator")
    async with (
        serving(app) as url,
        http.get(url + "/api/query/broken", params={"api_key": SECRET}) as r,
    ):
        assert r.status == 500
        assert SECRET not in await r.text()
    assert "api_key=***" in caplog.text
    assert SECRET not in caplog.text


async def test_client_exceptions_do_not_quote_secret_parameters(
    mixpanel_workspace: AsyncWorkspace,
) -> None:
    params = {"project_id": "1", "api_key": SECRET, "limit": "x"}
    with pytest.raises(APIError) as caught:
        await mixpanel_workspace.api.raw("GET", "/events/top", params=params, family="query")
    error = caught.value
    assert error.status_code == 400
    assert SECRET not in str(error)
    assert SECRET not in repr(error.to_dict())
    assert error.request_params is not None
    assert error.request_params["api_key"] == "***"
