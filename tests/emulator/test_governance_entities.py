"""Lookup tables, saved metrics and behaviours, and business context over raw HTTP: bad input
gets the App API's 4xx error shape (never a 500) and leaves the stored state as it was."""

from __future__ import annotations

import base64
from typing import Any

import aiohttp

from mixpanel_async.emulator import Emulator

AUTH = {"Authorization": "Basic " + base64.b64encode(b"u:s").decode()}
APP = "/api/app/projects/1"


async def call(
    http: aiohttp.ClientSession, emu: Emulator, method: str, path: str, **kwargs: Any
) -> tuple[int, Any]:
    async with http.request(method, emu.url + path, headers=AUTH, **kwargs) as resp:
        return resp.status, await resp.json(content_type=None)


def app_error(answer: tuple[int, Any], status: int) -> str:
    """An App API error of that status: `{"status": "error", "error": <text>}`."""
    code, body = answer
    assert code == status, body
    assert body["status"] == "error"
    assert isinstance(body["error"], str)
    return str(body["error"])


async def test_business_context_refusals(emu: Emulator, http: aiohttp.ClientSession) -> None:
    path = f"{APP}/business-context"
    assert "content" in app_error(await call(http, emu, "PUT", path, json={}), 400)
    app_error(await call(http, emu, "PUT", path, json={"content": 5}), 400)
    app_error(await call(http, emu, "PUT", path, json={"content": "x" * 50_001}), 400)
    app_error(await call(http, emu, "GET", "/api/app/organizations/2/business-context"), 404)
    assert await call(http, emu, "GET", path) == (200, {"status": "ok", "results": {"content": ""}})


async def test_saved_definition_refusals(emu: Emulator, http: aiohttp.ClientSession) -> None:
    metrics = f"{APP}/metrics"
    app_error(await call(http, emu, "POST", metrics, json={"name": "m", "type": "metric"}), 400)
    app_error(await call(http, emu, "POST", metrics, json=[1, 2]), 400)
    made = await call(
        http, emu, "POST", metrics, json={"name": "m", "type": "metric", "definition": {}}
    )
    assert made[0] == 200
    (mid,) = made[1]["results"]
    app_error(await call(http, emu, "GET", f"{metrics}/999"), 404)
    app_error(await call(http, emu, "GET", f"{metrics}/abc"), 400)
    # A bulk update with one bad entry changes nothing; a delete naming an unknown id neither.
    bulk = {"metrics": [{"id": int(mid), "name": "renamed"}, {"id": int(mid), "definition": 5}]}
    app_error(await call(http, emu, "PATCH", metrics, json=bulk), 400)
    app_error(await call(http, emu, "DELETE", metrics, json={"metrics": [{"id": 999}]}), 404)
    app_error(await call(http, emu, "DELETE", metrics, json={"metrics": "all"}), 400)
    listed = await call(http, emu, "GET", metrics)
    assert [row["name"] for row in listed[1]["results"].values()] == ["m"]
    # A bulk update skips ids that name no metric, as Mixpanel does, and applies the others.
    bulk = {"metrics": [{"id": int(mid), "name": "renamed"}, {"id": 999, "name": "x"}]}
    status, answer = await call(http, emu, "PATCH", metrics, json=bulk)
    assert status == 200, answer
    assert [row["name"] for row in answer["results"].values()] == ["renamed"]
    app_error(await call(http, emu, "PATCH", metrics, json={"metrics": [{"id": "abc"}]}), 400)
    # Permission flags are the server's to say, not a writer's.
    patched = await call(http, emu, "PATCH", f"{metrics}/{mid}", json={"can_update_basic": False})
    assert patched[1]["results"][mid]["can_update_basic"] is True
    app_error(await call(http, emu, "POST", f"{APP}/behaviors", json={"name": "b"}), 400)


async def test_lookup_table_refusals(emu: Emulator, http: aiohttp.ClientSession) -> None:
    tables = f"{APP}/data-definitions/lookup-tables/"
    form = {"name": "t", "key": "never-uploaded"}
    assert "PUT the CSV" in app_error(await call(http, emu, "POST", tables, data=form), 400)
    app_error(await call(http, emu, "POST", tables, data={"key": "k"}), 400)
    _, upload = await call(
        http, emu, "GET", tables + "upload-url/", params={"content-type": "text/csv"}
    )
    async with http.put(upload["results"]["url"], data=b"\xff\xfe\xfa") as put:
        assert put.status == 200
    bad_csv = {"name": "t", "key": upload["results"]["key"]}
    assert "cannot be read" in app_error(await call(http, emu, "POST", tables, data=bad_csv), 400)
    app_error(await call(http, emu, "PATCH", tables, json={"name": "x", "data-group-id": 5}), 404)
    app_error(await call(http, emu, "PATCH", tables, json={"name": "x"}), 400)
    app_error(await call(http, emu, "DELETE", tables, json={"data-group-ids": [5]}), 404)
    missing = {"data-group-id": "5"}
    app_error(await call(http, emu, "GET", tables + "download-url/", params=missing), 404)
    app_error(
        await call(http, emu, "GET", tables + "download/", params={"data-group-id": "x"}), 400
    )
    assert await call(http, emu, "GET", tables) == (200, {"status": "ok", "results": []})
