"""The emulator's own surface: health, inspection, reset, faults, CORS, auth, persistence."""

from __future__ import annotations

import base64
from pathlib import Path

import aiohttp
import orjson
import pytest

from mixpanel_async.emulator import Emulator, ProjectSpec, projects_from_env
from mixpanel_async.emulator.seeding import rows_of

EVENT = {
    "event": "Sign Up",
    "properties": {"time": 1_790_000_000, "distinct_id": "u1", "$insert_id": "i-1", "plan": "pro"},
}


def basic(user: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()}


async def test_health_and_root(mixpanel_emulator: Emulator, http: aiohttp.ClientSession) -> None:
    async with http.get(mixpanel_emulator.url + "/health") as r:
        assert (r.status, await r.json()) == (200, {"status": "ok"})
    async with http.get(mixpanel_emulator.url + "/") as r:
        body = await r.json()
    assert body["mode"] == "open"
    assert body["projects"] == ["1"]


@pytest.mark.parametrize("prefix", ["/__emulator", "/__parlel"])
async def test_inspect_reset_and_delete(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession, prefix: str
) -> None:
    project = mixpanel_emulator.state.default
    project.events.append(rows_of([EVENT]))
    project.profiles["u1"] = {"plan": "pro"}
    async with http.get(mixpanel_emulator.url + prefix + "/events") as r:
        assert await r.json() == [EVENT]
    async with http.get(mixpanel_emulator.url + prefix + "/people") as r:
        assert await r.json() == [{"$distinct_id": "u1", "$properties": {"plan": "pro"}}]
    async with http.delete(mixpanel_emulator.url + prefix + "/events") as r:
        assert r.status == 200
    assert mixpanel_emulator.events() == []
    assert mixpanel_emulator.profiles() != []
    async with http.post(mixpanel_emulator.url + prefix + "/reset") as r:
        assert r.status == 200
    assert mixpanel_emulator.profiles() == []


async def test_fault_control_endpoint(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession
) -> None:
    url = mixpanel_emulator.url
    async with http.post(
        url + "/__emulator/faults",
        json={"path": "/api/app/me", "status": 503, "count": 2, "retry_after": 1},
    ) as r:
        assert r.status == 200
    for _ in range(2):
        async with http.get(url + "/api/app/me") as r:
            assert r.status == 503
            assert r.headers["Retry-After"] == "1"
            assert (await r.json())["status"] == "error"
    async with http.get(url + "/api/app/me") as r:
        assert r.status == 200


@pytest.mark.parametrize(
    "bad", [b"not json", b'{"status": 200}', b'{"count": 0, "status": 500}', b'{"nonsense": 1}']
)
async def test_bad_fault_is_400(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession, bad: bytes
) -> None:
    async with http.post(mixpanel_emulator.url + "/__emulator/faults", data=bad) as r:
        assert r.status == 400


async def test_latency_fault(mixpanel_emulator: Emulator, http: aiohttp.ClientSession) -> None:
    mixpanel_emulator.add_fault(operation="get_me", latency=0.05)
    async with http.get(mixpanel_emulator.url + "/api/app/me") as r:
        assert r.status == 200


async def test_cors_preflight(mixpanel_emulator: Emulator, http: aiohttp.ClientSession) -> None:
    async with http.options(mixpanel_emulator.url + "/track") as r:
        assert r.status == 204
        assert r.headers["Access-Control-Allow-Origin"] == "*"
    async with http.get(mixpanel_emulator.url + "/api/app/me") as r:
        assert r.headers["Access-Control-Allow-Origin"] == "*"


async def test_unknown_route_keeps_family_error_shape(
    mixpanel_emulator: Emulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(mixpanel_emulator.url + "/api/app/nope") as r:
        assert (r.status, (await r.json())["status"]) == (404, "error")
    async with http.get(mixpanel_emulator.url + "/api/query/nope") as r:
        body = await r.json()
        assert r.status == 404
        assert body["request"] == "/api/query/nope"


async def test_strict_auth(http: aiohttp.ClientSession) -> None:
    async with Emulator(
        port=0,
        strict_auth=True,
        service_accounts={"sa": "pw"},
        projects=[ProjectSpec("5", "tok", "sec")],
    ) as emu:
        async with http.get(emu.url + "/api/app/me") as r:
            assert r.status == 401
            assert (await r.json())["status"] == "error"
        async with http.get(emu.url + "/api/app/me", headers=basic("sa", "nope")) as r:
            assert r.status == 401
        async with http.get(emu.url + "/api/app/me", headers=basic("sa", "pw")) as r:
            assert r.status == 200
        # Legacy API-secret auth: the secret as user name, empty password.
        async with http.get(emu.url + "/api/app/me", headers=basic("sec", "")) as r:
            assert r.status == 200


async def test_configured_projects_are_isolated(http: aiohttp.ClientSession) -> None:
    async with Emulator(port=0, projects=["5:tok5", "6:tok6"]) as emu:
        params = {"from_date": "2026-09-01", "to_date": "2026-09-30", "project_id": "7"}
        async with http.get(emu.url + "/api/2.0/export", params=params) as r:
            assert r.status == 400
            assert "7" in (await r.json())["error"]
        emu.state.projects["5"].events.append(rows_of([EVENT]))
        assert emu.events("5") == [EVENT]
        assert emu.events("6") == []


def test_project_spec_parsing() -> None:
    assert ProjectSpec.parse("12:tok:sec") == ProjectSpec("12", "tok", "sec")
    assert ProjectSpec.parse("12") == ProjectSpec("12")
    for bad in ("abc", "1:2:3:4", ""):
        with pytest.raises(ValueError, match="ID"):
            ProjectSpec.parse(bad)


def test_seed_environment_declares_a_project() -> None:
    assert projects_from_env({}) == []
    assert projects_from_env({"MIXPANEL_TOKEN": "parlel", "MIXPANEL_API_SECRET": "s"}) == [
        ProjectSpec("1", "parlel", "s")
    ]


def test_sync_mode_and_persistence(tmp_path: Path) -> None:
    with Emulator(port=0, data_dir=tmp_path) as emu:
        emu.state.default.events.append(rows_of([EVENT]))
        emu.state.default.profiles["u1"] = {"plan": "pro", "n": 2}
        emu.state.default.groups[("company", "acme")] = {"seats": 3}
    assert (tmp_path / "MANIFEST.json").exists()
    with Emulator(port=0, data_dir=tmp_path) as emu:
        assert emu.events() == [EVENT]
        assert emu.profiles() == [{"$distinct_id": "u1", "$properties": {"plan": "pro", "n": 2}}]
        assert emu.state.default.groups == {("company", "acme"): {"seats": 3}}


async def test_demo_seed() -> None:
    async with Emulator(port=0, seed="demo") as emu:
        project = emu.state.default
        assert len(project.events) > 100_000
        assert len(project.profiles) == 3000
        assert {f["name"] for f in project.funnels} == {"Onboarding", "Checkout"}


def test_unknown_seed() -> None:
    with pytest.raises(ValueError, match="seed"), Emulator(port=0, seed="nope"):
        pass


async def test_api_secret_pins_the_project(http: aiohttp.ClientSession) -> None:
    async with Emulator(port=0, strict_auth=True, projects=["5:t5:s5", "6:t6:s6"]) as emu:

        async def export_as(user: str, **project: str) -> tuple[int, str, bytes]:
            params = {"from_date": "2026-09-01", "to_date": "2026-09-30", **project}
            url = emu.url + "/api/2.0/export"
            async with http.get(url, params=params, headers=basic(user, "")) as r:
                return r.status, r.content_type, await r.read()

        status, content_type, body = await export_as("s5", project_id="6")
        assert (status, content_type) == (403, "application/json")
        assert "6" in orjson.loads(body)["error"]
        assert (await export_as("s5", project_id="5"))[0] == 200
        assert (await export_as("wrong"))[0] == 401


async def test_app_entities_survive_a_restart(tmp_path: Path) -> None:
    from mixpanel_async import AsyncWorkspace

    async with Emulator(port=0, data_dir=tmp_path) as emu, AsyncWorkspace(base_url=emu.url) as ws:
        first = await ws.create_dashboard({"title": "Kept"})
    async with Emulator(port=0, data_dir=tmp_path) as emu, AsyncWorkspace(base_url=emu.url) as ws:
        assert [d.title for d in await ws.list_dashboards()] == ["Kept"]
        second = await ws.create_dashboard({"title": "New"})
        assert second.id != first.id
