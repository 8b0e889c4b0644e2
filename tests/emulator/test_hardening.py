"""Input that used to make the emulator answer 500 or store nonsense: integers beyond 64 bits,
non-ASCII digits in cursors, dashboard layouts missing their optional parts, writes to
server-owned fields, stored documents that do not fit their spec."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from mixpanel_async.emulator import Emulator
from tests.helpers import sends_nothing

APP = "/api/app/projects/1"
HUGE = str(2**70)


async def call(
    http: aiohttp.ClientSession, emu: Emulator, method: str, path: str, **kwargs: Any
) -> tuple[int, Any]:
    """One request; its status and decoded JSON body (None when empty)."""
    async with http.request(method, emu.url + path, **kwargs) as resp:
        text = await resp.text()
        return resp.status, (None if not text else await resp.json(content_type=None))


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("GET", "/api/query/events/top", {"project_id": "1", "type": "general", "limit": HUGE}),
        ("GET", f"/api/app/projects/{HUGE}/dashboards", {}),
        ("GET", f"{APP}/dashboards/{HUGE}", {}),
        ("GET", f"/api/app/workspaces/{HUGE}/dashboards", {}),
        ("GET", f"/api/app/projects/1/workspaces/{HUGE}/feature-flags/", {}),
        ("GET", "/api/query/engage", {"project_id": "1", "page": HUGE, "session_id": "x"}),
    ],
)
async def test_integers_beyond_64_bits_are_a_400(
    mixpanel_emulator: Emulator,
    http: aiohttp.ClientSession,
    method: str,
    path: str,
    params: dict[str, str],
) -> None:
    status, body = await call(http, mixpanel_emulator, method, path, params=params)
    assert status == 400, body
    assert "64-bit" in body["error"] or "invalid" in body["error"]


async def test_a_flag_under_a_huge_workspace_id_is_refused_and_lists_still_work(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession
) -> None:
    flag = {"name": "F", "key": "f", "ruleset": {"variants": [], "rollout": []}}
    path = f"{APP}/workspaces/{HUGE}/feature-flags/"
    status, _ = await call(http, mixpanel_emulator, "POST", path, json=flag)
    assert status == 400
    status, body = await call(http, mixpanel_emulator, "GET", f"{APP}/workspaces/1/feature-flags/")
    assert (status, body["results"]) == (200, [])


@pytest.mark.parametrize("cursor", ["³", "-1", "1" * 30, "x"])
async def test_cursor_and_page_text_that_is_no_count_is_a_400(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession, cursor: str
) -> None:
    status, made = await call(
        http, mixpanel_emulator, "POST", f"{APP}/bookmarks",
        json={"name": "r", "type": "insights", "params": {}, "dashboard_id": await _dashboard(
            http, mixpanel_emulator
        )},
    )  # fmt: skip
    assert status == 200, made
    bookmark = made["results"]["id"]
    for name in ("cursor", "previous_cursor", "page_size"):
        status, body = await call(
            http, mixpanel_emulator, "GET", f"{APP}/bookmarks/{bookmark}/history",
            params={name: cursor},
        )  # fmt: skip
        assert status == 400, (name, body)
        assert body["status"] == "error"


async def _dashboard(http: aiohttp.ClientSession, emu: Emulator, **fields: Any) -> int:
    status, body = await call(http, emu, "POST", f"{APP}/dashboards", json={"title": "D", **fields})
    assert status == 200, body
    return int(body["results"]["id"])


@pytest.mark.parametrize("layout", [{}, {"rows": None}, {"rows": [{"id": "r"}]}])
async def test_a_layout_missing_its_parts_breaks_no_later_delete(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession, layout: dict[str, Any]
) -> None:
    emu = mixpanel_emulator
    board = await _dashboard(http, emu)
    report = {"name": "r", "type": "insights", "params": {}, "dashboard_id": board}
    status, made = await call(http, emu, "POST", f"{APP}/bookmarks", json=report)
    assert status == 200
    status, _ = await call(http, emu, "PATCH", f"{APP}/dashboards/{board}", json={"layout": layout})
    assert status == 200
    other = await _dashboard(http, emu, layout=layout)
    status, _ = await call(http, emu, "DELETE", f"{APP}/bookmarks/{made['results']['id']}")
    assert status == 204
    for dashboard in (board, other):
        status, body = await call(http, emu, "GET", f"{APP}/dashboards/{dashboard}")
        assert status == 200
        rows = body["results"]["layout"]["rows"]
        assert all(row["contents"] == [] for row in rows)  # (the delete drops emptied rows)


async def test_server_owned_fields_are_not_written(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession
) -> None:
    emu = mixpanel_emulator
    board = await _dashboard(http, emu)
    _, before = await call(http, emu, "GET", f"{APP}/dashboards/{board}")
    owned = {"id": 999, "created": "1999-01-01T00:00:00Z", "creator_id": 7, "creator_name": "X"}
    status, body = await call(
        http, emu, "PATCH", f"{APP}/dashboards/{board}", json={**owned, "title": "New"}
    )
    assert status == 200, body
    status, after = await call(http, emu, "GET", f"{APP}/dashboards/{board}")
    assert status == 200
    assert {k: after["results"][k] for k in owned} == {k: before["results"][k] for k in owned}
    assert after["results"]["title"] == "New"
    status, _ = await call(http, emu, "GET", f"{APP}/dashboards/999")
    assert status == 404
    status, made = await call(http, emu, "POST", f"{APP}/dashboards", json={"title": "T", "id": 5})
    assert made["results"]["id"] != 5


@pytest.mark.parametrize(
    ("path", "create", "change"),
    [
        ("dashboards", {"title": "D"}, {"title": None}),
        ("dashboards", {"title": "D"}, {"is_private": "yes"}),
        ("dashboards", {"title": "D"}, {"layout": {"rows": "x"}}),
        ("cohorts", {"name": "C"}, {"name": None}),
        ("cohorts", {"name": "C"}, {"count": "many"}),
    ],
)
async def test_a_change_that_leaves_a_document_unlike_its_spec_is_a_400_and_not_stored(
    mixpanel_emulator: Emulator,
    http: aiohttp.ClientSession,
    path: str,
    create: dict[str, Any],
    change: dict[str, Any],
) -> None:
    emu = mixpanel_emulator
    status, made = await call(http, emu, "POST", f"{APP}/{path}", json=create)
    assert status == 200, made
    entity = made["results"]["id"]
    _, before = await call(http, emu, "GET", f"{APP}/{path}/{entity}")
    status, body = await call(http, emu, "PATCH", f"{APP}/{path}/{entity}", json=change)
    assert status == 400, body
    assert body["status"] == "error"
    assert next(iter(change)) in body["error"]
    _, after = await call(http, emu, "GET", f"{APP}/{path}/{entity}")
    assert after == before


async def test_uuid_entities_have_uuid_ids_whichever_operation_comes_first(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession
) -> None:
    emu = mixpanel_emulator
    status, _ = await call(http, emu, "GET", f"{APP}/experiments/")
    assert status == 200
    status, made = await call(http, emu, "POST", f"{APP}/experiments/", json={"name": "E"})
    assert status == 200, made
    assert isinstance(made["results"]["id"], str)
    assert len(made["results"]["id"]) == 36


async def test_app_api_cohorts_say_is_visible_as_a_boolean(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession
) -> None:
    emu = mixpanel_emulator
    status, made = await call(http, emu, "POST", f"{APP}/cohorts", json={"name": "C"})
    assert (status, made["results"]["is_visible"]) == (200, True)
    async with http.post(emu.url + "/api/query/cohorts/list", params={"project_id": "1"}) as r:
        listed = await r.json()
    assert [c["is_visible"] for c in listed] == [1]  # the query host says 0/1, as its spec does


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/track", b"data=%FF%FE"),
        ("/track", b"data=\xff\xfe"),
        ("/engage", b"data=\xc3("),
        ("/api/query/engage", b"where=\xff"),
    ],
)
async def test_a_form_body_that_is_not_utf8_is_a_400(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession, path: str, body: bytes
) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    url = mixpanel_emulator.url + path + "?verbose=1&project_id=1"
    async with http.post(url, data=body, headers=headers) as r:
        assert r.status == 400
        assert "UTF-8" in (await r.json())["error"]
    assert mixpanel_emulator.events() == []
    assert mixpanel_emulator.profiles() == []


@pytest.mark.parametrize(
    ("path", "shape"),
    [
        ("/api/query/events/top", {"request", "error"}),
        ("/api/app/projects/1/dashboards", {"status", "error"}),
        ("/track", {"status", "error"}),
    ],
)
@pytest.mark.parametrize("size", [9_000, 100_000])
async def test_a_url_over_8_kb_gets_mixpanels_error_shape(
    mixpanel_emulator: Emulator,
    http: aiohttp.ClientSession,
    path: str,
    shape: set[str],
    size: int,
) -> None:
    params = {"verbose": "1", "project_id": "1", "x": "y" * size}
    async with http.get(mixpanel_emulator.url + path, params=params) as r:
        assert r.status == 400
        assert r.content_type == "application/json"
        body = await r.json()
    assert set(body) == shape
    assert "too long" in body["error"]


test_the_client_refuses_integers_beyond_64_bits_before_sending = sends_nothing(
    (lambda ws: ws.get_dashboard(2**63), "dashboard_id"),
    (lambda ws: ws.get_bookmark(-(2**63) - 1), "bookmark_id"),
    (lambda ws: ws.get_cohort(2**70), "cohort_id"),
    (lambda ws: ws.top_events(limit=2**64), "limit"),
)


@pytest.mark.parametrize("interval", ["3926154783", "999999999", "3000000"])
async def test_an_interval_past_the_last_date_is_a_400(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession, interval: str
) -> None:
    params = {
        "project_id": "1", "event": "E", "from_date": "2026-01-01", "to_date": "2026-01-02",
        "interval": interval, "unit": "day",
    }  # fmt: skip
    status, body = await call(
        http, mixpanel_emulator, "GET", "/api/query/segmentation", params=params
    )
    assert status == 400, body
    assert set(body) == {"request", "error"}


@pytest.mark.parametrize("window", [{"value": 10**9}, {"value": {}}, {"value": "x"}])
async def test_a_stream_window_past_the_first_date_is_a_400(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession, window: dict[str, Any]
) -> None:
    body = {"project_id": 1, "bookmark": {"dateRange": {"type": "in the last", "window": window}}}
    status, answer = await call(
        http, mixpanel_emulator, "POST", "/api/query/stream/bookmark", json=body
    )
    assert status == 400, answer
    assert set(answer) == {"request", "error"}
