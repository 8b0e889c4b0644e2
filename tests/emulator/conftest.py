"""What the emulator's HTTP tests share: a fresh emulator and a client session (fixtures), store
rows and timestamps, and calls to the Query API with checks of its error shape (helpers, imported
from here by the test modules)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.store import EventRow
from tests.helpers import ms
from tests.helpers import row as event_row

__all__ = ["assert_query_400", "event_row", "ms", "query_get", "running"]

QUERY = "/api/query"


@asynccontextmanager
async def running(
    events: Iterable[EventRow] = (), timezone: str | None = None
) -> AsyncIterator[Emulator]:
    """An open-mode emulator on a free port, holding `events`, its project in `timezone`."""
    async with Emulator(port=0) as emulator:
        project = emulator.state.default
        if events:
            project.events.append(list(events))
        if timezone is not None:
            project.timezone = timezone
        yield emulator


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    """A fresh, empty emulator (modules that need data define their own `emu`)."""
    async with running() as emulator:
        yield emulator


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp client session."""
    async with aiohttp.ClientSession() as session:
        yield session


async def query_get(
    http: aiohttp.ClientSession, emu: Emulator, path: str, **params: Any
) -> tuple[int, Any]:
    """GET a Query API path of project 1 (parameters as text); the status and decoded body."""
    query = {"project_id": "1", **{k: str(v) for k, v in params.items()}}
    async with http.get(emu.url + QUERY + path, params=query) as resp:
        return resp.status, await resp.json(content_type=None)


async def assert_query_400(
    http: aiohttp.ClientSession, emu: Emulator, path: str, **params: Any
) -> str:
    """GET a Query API path that must fail: a 400 in the Query API's error shape; its text."""
    status, body = await query_get(http, emu, path, **params)
    assert status == 400, body
    assert set(body) == {"request", "error"}
    assert body["request"].startswith(QUERY + path + "?")
    assert isinstance(body["error"], str)
    assert body["error"]
    return str(body["error"])
