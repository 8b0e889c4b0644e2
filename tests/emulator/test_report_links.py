"""The emulator's report links over HTTP: unsaved-report slug records (`bookmark-urls`) and the
web host's short links (`/s/{code}`), with Mixpanel's error shapes for bad input."""

from __future__ import annotations

import base64
from typing import Any

import aiohttp
import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.entities import tables
from mixpanel_async.emulator.routes.report_links import SCRIPTED_AFTER, add_short_link

SLUGS = "/api/app/projects/1/bookmark-urls/"
RECORD = {"slug": "AbCdEfGhJk12", "type": "funnels", "params": {"sections": {"show": []}}}


async def post(http: aiohttp.ClientSession, emu: Emulator, data: Any) -> tuple[int, Any]:
    """POST a body to the slug records of project 1; the status and decoded answer."""
    async with http.post(emu.url + SLUGS, json=data) as resp:
        return resp.status, await resp.json()


async def get(http: aiohttp.ClientSession, emu: Emulator, slug: str) -> tuple[int, Any]:
    """GET one slug record of project 1; the status and decoded answer."""
    async with http.get(f"{emu.url}{SLUGS}{slug}/") as resp:
        return resp.status, await resp.json()


async def test_a_stored_record_is_read_back(emu: Emulator, http: aiohttp.ClientSession) -> None:
    status, created = await post(http, emu, {**RECORD, "name": "Checkout", "workspace_id": 7})
    assert status == 200
    assert created["status"] == "ok"
    record = created["results"]
    assert record.keys() == {"slug", "type", "params", "name", "description", "bookmark_id",
                             "created_at", "project_id", "user_id"}  # fmt: skip
    expected = {**RECORD, "name": "Checkout", "description": "", "bookmark_id": None}
    assert {k: record[k] for k in expected} == expected  # workspace_id is dropped
    assert (record["project_id"], record["user_id"]) == (1, 1)
    assert await get(http, emu, RECORD["slug"]) == (200, created)


async def test_a_saved_report_is_embedded(emu: Emulator, http: aiohttp.ClientSession) -> None:
    bookmarks = tables(emu.state.default.entities, "bookmark")  # as the bookmarks routes store
    row = bookmarks.insert({"name": "Saved", "type": "insights", "params": {}})
    await post(http, emu, {**RECORD, "bookmark_id": row["id"]})
    await post(http, emu, {**RECORD, "slug": "ZZZZZZZZZZZZ", "bookmark_id": 999})
    _, found = await get(http, emu, RECORD["slug"])
    assert "bookmark_id" not in found["results"]
    assert found["results"]["bookmark"]["name"] == "Saved"
    _, dangling = await get(http, emu, "ZZZZZZZZZZZZ")
    assert dangling["results"]["bookmark_id"] == 999
    assert "bookmark" not in dangling["results"]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"slug": "short"}, "invalid slug"),
        ({"slug": "twelve chars"}, "invalid slug"),
        ({"type": "dashboards"}, "body.type"),
        ({"params": [1, 2]}, "body.params"),
        ({"params": None}, "body.params"),
        ({"bookmark_id": "7"}, "body.bookmark_id"),
    ],
)
async def test_bad_records_are_400s(
    emu: Emulator, http: aiohttp.ClientSession, change: dict[str, Any], says: str
) -> None:
    status, answer = await post(http, emu, {**RECORD, **change})
    assert status == 400
    assert answer["status"] == "error"
    assert says in answer["error"]
    assert emu.state.default.entities.get("bookmark_url") is None or not (
        emu.state.default.entities["bookmark_url"].rows
    )


async def test_a_slug_is_never_overwritten(emu: Emulator, http: aiohttp.ClientSession) -> None:
    await post(http, emu, RECORD)
    status, answer = await post(http, emu, {**RECORD, "type": "flows"})
    assert status == 400
    assert "already exists" in answer["error"]
    assert (await get(http, emu, RECORD["slug"]))[1]["results"]["type"] == "funnels"


async def test_missing_fields_and_unknown_slugs(emu: Emulator, http: aiohttp.ClientSession) -> None:
    for missing in ("slug", "type", "params"):
        status, answer = await post(http, emu, {k: v for k, v in RECORD.items() if k != missing})
        assert status == 400
        assert missing in answer["error"]
    async with http.post(emu.url + SLUGS, data=b"[1") as resp:
        assert resp.status == 400
    status, answer = await get(http, emu, "NoSuchSlug99")
    assert status == 404
    assert answer == {"status": "error", "error": "no report link with slug 'NoSuchSlug99' in "
                      "this project"}  # fmt: skip


async def test_short_links_redirect_on_the_host_asked(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    code = add_short_link(emu.state, "/project/1/view/1/app/insights#AbCdEfGhJk12")
    async with http.get(f"{emu.url}/s/{code}", allow_redirects=False) as resp:
        assert resp.status == 302
        assert resp.headers["Location"] == f"{emu.url}/project/1/view/1/app/insights#AbCdEfGhJk12"
    headers = {"Host": "mixpanel.com"}  # what a client of the real host sends
    async with http.get(f"{emu.url}/s/{code}", allow_redirects=False, headers=headers) as resp:
        assert resp.headers["Location"].startswith("http://mixpanel.com/project/1/")
    absolute = add_short_link(emu.state, "https://eu.mixpanel.com/project/2/app/flows#report/3")
    async with http.get(f"{emu.url}/s/{absolute}", allow_redirects=False) as resp:
        assert resp.headers["Location"] == "https://eu.mixpanel.com/project/2/app/flows#report/3"


async def test_long_targets_are_a_page(emu: Emulator, http: aiohttp.ClientSession) -> None:
    target = "/project/1/app/insights#report/5/" + "t" * SCRIPTED_AFTER
    code = add_short_link(emu.state, target, code="long")
    async with http.get(f"{emu.url}/s/long", allow_redirects=False) as resp:
        assert (resp.status, resp.content_type) == (200, "text/html")
        assert f'window.location.href = "{emu.url}{target}"' in await resp.text()
    assert code == "long"


async def test_unknown_short_links_are_404s(emu: Emulator, http: aiohttp.ClientSession) -> None:
    async with http.get(f"{emu.url}/s/nope", allow_redirects=False) as resp:
        assert resp.status == 404
        assert (await resp.json())["error"] == "short link 'nope' not found"


async def test_short_links_send_strangers_to_login() -> None:
    async with Emulator(port=0, strict_auth=True, service_accounts={"u": "s"}) as emu:
        code = add_short_link(emu.state, "/project/1/app/insights#AbCdEfGhJk12")
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{emu.url}/s/{code}", allow_redirects=False) as resp:
                assert resp.status == 302
                assert resp.headers["Location"] == f"/login?next=/s/{code}"
            auth = {"Authorization": "Basic " + base64.b64encode(b"u:s").decode()}
            async with http.get(f"{emu.url}/s/{code}", allow_redirects=False, headers=auth) as resp:
                assert resp.status == 302
                assert resp.headers["Location"].endswith("#AbCdEfGhJk12")
