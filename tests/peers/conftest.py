"""Fixtures the peer-parity modules share: an emulator seeded with the demo product (one per
module), the peer library's synchronous `Workspace` and our `AsyncWorkspace`, both pointed at it.

A module that needs other data defines its own `emu` (or `peer`), which wins over these. The
peer's blocking calls inside async tests are served because the emulator runs on its own thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import load_demo


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        load_demo(emulator.state)
        yield emulator


@pytest.fixture
def peer(emu: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[Any]:
    headless = pytest.importorskip("mixpanel_headless")
    env = {"MP_API_BASE_URL": emu.url, "MP_USERNAME": "u", "MP_SECRET": "s",
           "MP_PROJECT_ID": "1", "MP_REGION": "us", "HOME": str(tmp_path),
           "MP_CONFIG_PATH": str(tmp_path / "config.toml")}  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with headless.Workspace() as workspace:
        yield workspace


@pytest.fixture
async def ours(emu: Emulator) -> AsyncIterator[AsyncWorkspace]:
    async with AsyncWorkspace(base_url=emu.url, project="1", username="u", secret="s") as ws:
        yield ws
