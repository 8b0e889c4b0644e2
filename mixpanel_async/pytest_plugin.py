"""pytest fixtures for testing code that talks to Mixpanel, against the local emulator.

Installed as a `pytest11` entry point, so the fixtures are available wherever mixpanel-async is:

    async def test_signup_tracking(mixpanel_workspace, mixpanel_emulator):
        ...
        assert mixpanel_emulator.events()[0]["event"] == "Sign Up"

`mixpanel_emulator` is one running emulator per test session, reset before each test (a plain
fixture: sync tests can use it too); `mixpanel_workspace` is an `AsyncWorkspace` pointed at it.
The async fixtures work with pytest-asyncio in strict mode (mark tests `@pytest.mark.asyncio`)
and in auto mode, and without pytest-asyncio under anyio's pytest plugin (mark tests
`@pytest.mark.anyio`).
`mixpanel_tls_emulator` is the same emulator over HTTPS, with a CA of its own.

Retries keep their number of attempts but lose their backoff in tests (the test mode stamina
recommends): `mixpanel_workspace` uses `fast_retry_policy()`, through the overridable
`mixpanel_retry_policy` fixture, so a test of a 5xx that is retried waits milliseconds, not
seconds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import attrs
import pytest

try:  # pytest-asyncio (strict or auto mode) runs async fixtures declared through its decorator
    from pytest_asyncio import fixture as _async_fixture
except ImportError:  # anyio's pytest plugin (tests marked `anyio`) runs plain async fixtures
    _async_fixture = pytest.fixture  # type: ignore[assignment]

from mixpanel_async.emulator import Emulator
from mixpanel_async.transport.settings import RetryPolicy
from mixpanel_async.workspace import AsyncWorkspace


def fast_retry_policy(attempts: int | None = None) -> RetryPolicy:
    """The default `RetryPolicy` with backoff turned off (waits of 1-10 ms, no jitter).

    For tests: what is retried, and how often, stays as in production (`attempts` defaults to
    the production number); only the waiting goes. A `Retry-After` the server sends is still
    honoured, so a test of it still waits what it asked for.
    """
    policy = RetryPolicy(wait_initial=0.001, wait_max=0.01, wait_jitter=0.0)
    return policy if attempts is None else attrs.evolve(policy, attempts=attempts)


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


@pytest.fixture(scope="session")
def _mixpanel_tls_emulator_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Emulator]:
    with Emulator(port=0, tls=True, tls_dir=tmp_path_factory.mktemp("mixpanel-tls")) as emu:
        yield emu


@pytest.fixture
def mixpanel_tls_emulator(_mixpanel_tls_emulator_server: Emulator) -> Iterator[Emulator]:
    """A running HTTPS emulator (open mode), empty at the start of each test.

    Its CA is made for the test session: `emu.ca_path` is the bundle to trust,
    `emu.ssl_context()` a client context trusting it (`AsyncWorkspace(ssl_context=...)`), and
    `emu.tls_env()` the variables that make the official SDKs trust it.
    """
    _mixpanel_tls_emulator_server.reset()
    yield _mixpanel_tls_emulator_server
    _mixpanel_tls_emulator_server.clear_faults()


@pytest.fixture
def mixpanel_retry_policy() -> RetryPolicy:
    """The retry policy of `mixpanel_workspace`: `fast_retry_policy()`, production's attempts
    without the backoff. Override this fixture in a conftest.py for another policy."""
    return fast_retry_policy()


@_async_fixture
async def mixpanel_workspace(
    mixpanel_emulator: Emulator, mixpanel_retry_policy: RetryPolicy
) -> AsyncIterator[AsyncWorkspace]:
    """An `AsyncWorkspace` pointed at `mixpanel_emulator`, closed after the test.

    Its retries are fast: a 429/5xx/connection error is retried as often as in production, but
    after a millisecond or so instead of the production backoff (0.5 s doubling, jittered), so
    a test of a retried or exhausted failure takes no real waiting. Its policy comes from the
    `mixpanel_retry_policy` fixture (override it to change the policy); a workspace you build
    yourself gets the same with `retry=fast_retry_policy()`.
    """
    async with AsyncWorkspace(
        base_url=mixpanel_emulator.url,
        project="1",
        username="test",
        secret="test",
        retry=mixpanel_retry_policy,
    ) as ws:
        yield ws


@_async_fixture
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
        retry=fast_retry_policy(attempts=1),
    ) as ws:
        yield ws
