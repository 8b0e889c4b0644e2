"""The admin surface: under `strict_auth` the `/__emulator/` and `/__parlel/` routes need the
admin token; the fault API refuses what it cannot hold instead of failing a later request."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import orjson
import pytest

from mixpanel_async.emulator import Emulator, ProjectSpec
from mixpanel_async.emulator.seeding import rows_of

TOKEN = "admin-token-1"
EVENT = {"event": "E", "properties": {"time": 1_790_000_000, "distinct_id": "u", "$insert_id": "i"}}
ADMIN = [
    ("GET", "/__emulator/events"),
    ("GET", "/__parlel/events"),
    ("GET", "/__emulator/people"),
    ("DELETE", "/__emulator/events"),
    ("POST", "/__emulator/reset"),
    ("POST", "/__parlel/reset"),
    ("POST", "/__emulator/faults"),
    ("DELETE", "/__emulator/faults"),
]


@pytest.fixture
async def strict() -> AsyncIterator[Emulator]:
    """A strict emulator with one event stored and an admin token."""
    projects = [ProjectSpec("1", "t", "s")]
    async with Emulator(port=0, projects=projects, strict_auth=True, admin_token=TOKEN) as emu:
        emu.state.projects["1"].events.append(rows_of([EVENT]))
        yield emu


@pytest.mark.parametrize(("method", "path"), ADMIN)
@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic czo="}]
)
async def test_admin_routes_need_the_admin_token_under_strict_auth(
    strict: Emulator, http: aiohttp.ClientSession, method: str, path: str, headers: dict[str, str]
) -> None:
    body = orjson.dumps({"status": 503}) if path.endswith("faults") else None
    async with http.request(method, strict.url + path, headers=headers, data=body) as r:
        assert r.status == 401
        assert "admin token" in (await r.json())["error"]
    assert len(strict.events()) == 1  # nothing was reset or deleted
    async with http.get(strict.url + "/api/app/me", headers={"Authorization": "Basic czo="}) as r:
        assert r.status != 503  # no fault was injected


async def test_the_admin_token_opens_them(strict: Emulator, http: aiohttp.ClientSession) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    async with http.get(strict.url + "/__emulator/events", headers=auth) as r:
        assert (r.status, len(await r.json())) == (200, 1)
    async with http.post(strict.url + "/__emulator/reset", headers=auth) as r:
        assert r.status == 200
    assert strict.events() == []


async def test_without_a_configured_token_strict_admin_routes_stay_shut(
    http: aiohttp.ClientSession,
) -> None:
    async with Emulator(port=0, projects=["1:t:s"], strict_auth=True) as emu:
        async with http.get(
            emu.url + "/__emulator/events", headers={"Authorization": "Bearer "}
        ) as r:
            assert r.status == 401
        async with http.get(emu.url + "/health") as r:
            assert r.status == 200


async def test_permissive_admin_routes_stay_open(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(mixpanel_emulator.url + "/__emulator/events") as r:
        assert r.status == 200


@pytest.mark.parametrize(
    "fault",
    [
        {"latency": "x"},
        {"latency": -1},
        {"latency": 1e9},
        {"latency": float("nan")},
        {"status": "500"},
        {"status": 500.5},
        {"status": True},
        {"count": "2", "status": 500},
        {"retry_after": "soon", "status": 429},
        {"cut_after": -5},
        {"cut_after": 1.5},
        {"operation": 5, "status": 500},
        {"path": ["/"], "status": 500},
        ["status", 500],
        "x",
    ],
)
async def test_a_fault_it_cannot_hold_is_a_400_and_breaks_nothing_later(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession, fault: object
) -> None:
    url = mixpanel_emulator.url
    async with http.post(url + "/__emulator/faults", data=orjson.dumps(fault)) as r:
        assert r.status == 400
        assert "invalid fault" in (await r.json())["error"]
    async with http.get(url + "/api/app/me") as r:
        assert r.status == 200
