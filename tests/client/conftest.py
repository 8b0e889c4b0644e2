"""Fixtures the client modules share, beside the plugin's `mixpanel_emulator`,
`mixpanel_workspace` and `mixpanel_offline_workspace`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from typer.testing import CliRunner

from mixpanel_async import AsyncWorkspace, RetryPolicy
from mixpanel_async.emulator import Emulator
from tests.helpers import FAST


@pytest.fixture
def retry_policy() -> RetryPolicy:
    """The policy of `fast_workspace`: `FAST` (three attempts, no backoff); a module whose
    faults are counted against another number of attempts overrides it."""
    return FAST


@pytest.fixture
async def fast_workspace(
    mixpanel_emulator: Emulator, retry_policy: RetryPolicy
) -> AsyncIterator[AsyncWorkspace]:
    """A workspace on `mixpanel_emulator` (project 1, no credentials) with `retry_policy`."""
    async with AsyncWorkspace(
        base_url=mixpanel_emulator.url, project="1", retry=retry_policy
    ) as workspace:
        yield workspace


@pytest.fixture
async def unreachable() -> AsyncIterator[AsyncWorkspace]:
    """A workspace whose every request would fail to connect: what raises before a request
    is proven to have sent none."""
    async with AsyncWorkspace(base_url="http://127.0.0.1:9", project="1", retry=FAST) as workspace:
        yield workspace


@pytest.fixture
def cli_runner(
    mixpanel_emulator: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> CliRunner:
    """A typer runner for the command line, pointed at the emulator, with an empty config file
    and no credentials in the environment."""
    monkeypatch.setenv("MP_API_BASE_URL", mixpanel_emulator.url)
    monkeypatch.setenv("MP_CONFIG_PATH", str(tmp_path / "config.toml"))
    for name in ("MP_USERNAME", "MP_SECRET", "MP_PROJECT_ID", "MP_REGION", "MP_OAUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()
