"""AsyncWorkspace basics and the transport, against the emulator over loopback."""

from __future__ import annotations

import asyncio
import gc
import socket
import warnings

import aiohttp
import pytest

from mixpanel_async import (
    AsyncWorkspace,
    AuthenticationError,
    MixpanelConnectionError,
    QueryError,
    RateLimitError,
    ServerError,
    WorkspaceRef,
)
from mixpanel_async.emulator import Emulator
from tests.helpers import FAST


async def test_me_projects_workspaces(mixpanel_workspace: AsyncWorkspace) -> None:
    me = await mixpanel_workspace.me()
    assert me.user_email == "emulator@example.com"
    assert me.projects is not None
    assert "1" in me.projects
    projects = await mixpanel_workspace.projects()
    assert [p.id for p in projects] == ["1"]
    assert projects[0].timezone == "UTC"
    assert await mixpanel_workspace.workspaces() == [
        WorkspaceRef(id=1, name="All Project Data", is_default=True)
    ]
    public = await mixpanel_workspace.list_workspaces()
    assert [(w.id, w.is_global) for w in public] == [(1, True)]
    assert await mixpanel_workspace.resolve_workspace_id() == 1


async def test_me_is_cached_until_refresh(mixpanel_workspace: AsyncWorkspace) -> None:
    first = await mixpanel_workspace.me()
    assert await mixpanel_workspace.me() is first
    assert await mixpanel_workspace.me(force_refresh=True) is not first


async def test_pinned_workspace_wins(mixpanel_emulator: Emulator) -> None:
    async with AsyncWorkspace(base_url=mixpanel_emulator.url, workspace=42, retry=FAST) as ws:
        assert await ws.resolve_workspace_id() == 42


async def test_api_escape_hatch(mixpanel_workspace: AsyncWorkspace) -> None:
    body = await mixpanel_workspace.api.raw("GET", "/me")
    assert body["status"] == "ok"
    absolute = mixpanel_workspace.api.hosts.app + "/projects/1/workspaces/public"
    assert (await mixpanel_workspace.api.raw("GET", absolute))["results"][0]["id"] == 1


async def test_retries_5xx_then_succeeds(mixpanel_emulator: Emulator) -> None:
    mixpanel_emulator.add_fault(operation="get_me", status=503, count=2)
    async with AsyncWorkspace(base_url=mixpanel_emulator.url, retry=FAST) as ws:
        assert (await ws.me()).user_id == 1


async def test_plugin_workspace_retries_without_backoff(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    # Production's attempts (3 failures, then an answer), but none of its seconds of backoff.
    mixpanel_emulator.add_fault(operation="get_me", status=503, count=3)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert (await mixpanel_workspace.me()).user_id == 1
    assert loop.time() - started < 1.0


async def test_5xx_exhausted_is_server_error(mixpanel_emulator: Emulator) -> None:
    mixpanel_emulator.add_fault(operation="get_me", status=500, count=5)
    async with AsyncWorkspace(base_url=mixpanel_emulator.url, retry=FAST) as ws:
        with pytest.raises(ServerError) as info:
            await ws.me()
    assert info.value.status_code == 500
    assert info.value.request_url is not None
    assert info.value.request_url.endswith("/api/app/me")


async def test_429_honours_retry_after(mixpanel_emulator: Emulator) -> None:
    mixpanel_emulator.add_fault(operation="get_me", status=429, retry_after=0.2, count=1)
    async with AsyncWorkspace(base_url=mixpanel_emulator.url, retry=FAST) as ws:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await ws.me()
        # The default backoff here is ~1 ms; only Retry-After explains a longer wait.
        assert loop.time() - started >= 0.2


async def test_429_exhausted_is_rate_limit_error(mixpanel_emulator: Emulator) -> None:
    mixpanel_emulator.add_fault(operation="get_me", status=429, retry_after=0.01, count=9)
    async with AsyncWorkspace(base_url=mixpanel_emulator.url, retry=FAST) as ws:
        with pytest.raises(RateLimitError) as info:
            await ws.me()
    assert info.value.retry_after == pytest.approx(0.01)


async def test_4xx_is_not_retried(mixpanel_emulator: Emulator) -> None:
    mixpanel_emulator.add_fault(operation="get_me", status=404, count=1, body="gone")
    async with AsyncWorkspace(base_url=mixpanel_emulator.url, retry=FAST) as ws:
        with pytest.raises(QueryError, match="gone"):
            await ws.me()
        assert (await ws.me()).user_id == 1


async def test_strict_auth_rejects_unknown_credentials() -> None:
    async with Emulator(port=0, strict_auth=True, service_accounts={"sa": "right"}) as emu:
        async with AsyncWorkspace(
            base_url=emu.url, username="sa", secret="wrong", project="1", retry=FAST
        ) as ws:
            with pytest.raises(AuthenticationError) as info:
                await ws.me()
            assert info.value.status_code == 401
            assert "wrong" not in str(info.value)
            assert "wrong" not in repr(info.value.details)
        async with AsyncWorkspace(
            base_url=emu.url, username="sa", secret="right", project="1", retry=FAST
        ) as ws:
            assert (await ws.me()).user_id == 1


async def test_connection_refused_is_connection_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with AsyncWorkspace(base_url=f"http://127.0.0.1:{port}", retry=FAST) as ws:
        with pytest.raises(MixpanelConnectionError) as info:
            await ws.me()
    assert isinstance(info.value, ConnectionError)


async def test_shared_across_tasks(mixpanel_workspace: AsyncWorkspace) -> None:
    results = await asyncio.gather(*(mixpanel_workspace.me(force_refresh=True) for _ in range(20)))
    assert {r.user_id for r in results} == {1}


async def test_without_context_manager_and_idempotent_close(mixpanel_emulator: Emulator) -> None:
    ws = AsyncWorkspace(base_url=mixpanel_emulator.url, retry=FAST)
    assert (await ws.me()).user_id == 1
    await ws.close()
    await ws.close()


async def test_garbage_collected_open_workspace_warns(mixpanel_emulator: Emulator) -> None:
    ws = AsyncWorkspace(base_url=mixpanel_emulator.url, retry=FAST)
    await ws.me()
    session = ws.api.http()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del ws
        gc.collect()
    assert any(
        issubclass(w.category, ResourceWarning) and "AsyncWorkspace" in str(w.message)
        for w in caught
    )
    await session.close()


async def test_injected_session_is_not_closed(mixpanel_emulator: Emulator) -> None:
    async with aiohttp.ClientSession() as http:
        async with AsyncWorkspace(
            base_url=mixpanel_emulator.url, http_session=http, retry=FAST
        ) as ws:
            await ws.me()
        assert not http.closed
