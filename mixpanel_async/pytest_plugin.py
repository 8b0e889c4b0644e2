"""pytest fixtures for testing code that talks to Mixpanel, against the local emulator.

Installed as a `pytest11` entry point, so the fixtures are available wherever mixpanel-async is:

    async def test_signup_tracking(mixpanel_workspace, mixpanel_emulator):
        ...
        assert mixpanel_emulator.events()[0]["event"] == "Sign Up"

`mixpanel_emulator` is one running emulator per test session, reset before each test;
`mixpanel_workspace` is an `AsyncWorkspace` pointed at it. Both need pytest-asyncio.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.transport.session import RetryPolicy
from mixpanel_async.workspace import AsyncWorkspace


@pytest.fixture(scope="session")
def _mixpanel_emulator_server() -> Iterator[Emulator]:
    # A background-thread server serves both async and sync tests, whatever their event loop.
    with Emulator(port=0) as emu:
        yield emu


@pytest.fixture
def mixpanel_emulator(_mixpanel_emulator_server: Emulator) -> Iterator[Emulator]:
    """A running emulator (open mode), empty at the start of each test."""
    _mixpanel_emulator_server.reset()
    yield _mixpanel_emulator_server
    _mixpanel_emulator_server.clear_faults()


@pytest.fixture
async def mixpanel_workspace(mixpanel_emulator: Emulator) -> AsyncIterator[AsyncWorkspace]:
    """An `AsyncWorkspace` pointed at `mixpanel_emulator`, closed after the test."""
    async with AsyncWorkspace(
        base_url=mixpanel_emulator.url, project="1", username="test", secret="test"
    ) as ws:
        yield ws


@pytest.fixture
async def mixpanel_offline_workspace(
    mixpanel_emulator: Emulator,
) -> AsyncIterator[AsyncWorkspace]:
    """An `AsyncWorkspace` on which every request fails (the emulator answers 500 to anything,
    retries off): a call that raises `ParamValidationError` here provably sent nothing."""
    mixpanel_emulator.add_fault(path="/", status=500, count=1_000_000)
    async with AsyncWorkspace(
        base_url=mixpanel_emulator.url,
        project="1",
        username="test",
        secret="test",
        retry=RetryPolicy(attempts=1),
    ) as ws:
        yield ws
