"""Fixtures the peer-parity modules share: an emulator seeded with the demo product (one per
module), the peer library's synchronous `Workspace` and our `AsyncWorkspace`, both pointed at it.

A module that needs other data defines its own `emu` (or `peer`), which wins over these. The
peer's blocking calls inside async tests are served because the emulator runs on its own thread.
The peer finds the emulator through `MP_API_BASE_URL` and service-account variables
(`point_peer`); HOME and MP_CONFIG_PATH are already isolated for every test by tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import load_demo
from mixpanel_async.pytest_plugin import fast_retry_policy
from tests.peers.flag_cases import flagged
from tests.peers.sdks import tls_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        load_demo(emulator.state)
        yield emulator


@pytest.fixture
def point_peer(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Point the peer (and anything reading the MP_* variables) at an emulator's URL, with
    service-account credentials for project 1, for this test."""

    def point(url: str) -> None:
        env = {"MP_API_BASE_URL": url, "MP_USERNAME": "u", "MP_SECRET": "s",
               "MP_PROJECT_ID": "1", "MP_REGION": "us"}  # fmt: skip
        for name, value in env.items():
            monkeypatch.setenv(name, value)

    return point


@pytest.fixture
def peer(emu: Emulator, point_peer: Callable[[str], None]) -> Iterator[Any]:
    """The peer's `Workspace` on `emu`."""
    headless = pytest.importorskip("mixpanel_headless")
    point_peer(emu.url)
    with headless.Workspace() as workspace:
        yield workspace


@pytest.fixture
async def ours(emu: Emulator) -> AsyncIterator[AsyncWorkspace]:
    """Our `AsyncWorkspace` on `emu` (fast retries, as the plugin's)."""
    async with AsyncWorkspace(
        base_url=emu.url, project="1", username="u", secret="s", retry=fast_retry_policy()
    ) as ws:
        yield ws


@pytest.fixture(scope="module")
def flags_emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """A strict HTTPS emulator (`tests/peers/sdks.py:tls_emulator`) for the SDK flag tests."""
    with tls_emulator(tmp_path_factory.mktemp("tls")) as emulator:
        yield emulator


@pytest.fixture
async def sdk_flags(flags_emu: Emulator) -> AsyncIterator[AsyncWorkspace]:
    """Our client on `flags_emu`, emptied, with the flags of `tests/peers/flag_cases.py`."""
    async with flagged(flags_emu) as ws:
        yield ws
