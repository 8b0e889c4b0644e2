"""The live contract suite: the client against real Mixpanel, only when asked and configured.

Runs with `pytest -m live` when credentials are in the environment: `MP_USERNAME` and
`MP_SECRET` (a service account) or `MP_OAUTH_TOKEN`, with `MP_PROJECT_ID` and `MP_REGION`
(`MP_WORKSPACE_ID` optional), the variables the client itself reads; `MP_API_BASE_URL` points
the suite at another host (the emulator, for a dry run of the suite itself). Calls are read-only
unless `MP_LIVE_WRITE=1` is set *and* the project's name contains `test` (any case): only then
do the tests marked `live_write` create and delete entities, each named with `WRITE_PREFIX`.
Otherwise
every test here is skipped, and the normal suite (which strips every `MP_*` variable) never
opens a connection to Mixpanel.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest

from mixpanel_async import AsyncWorkspace

# Read at import, before the suite-wide fixture clears every MP_* variable for each test.
_NAMES = ("MP_USERNAME", "MP_SECRET", "MP_OAUTH_TOKEN", "MP_PROJECT_ID", "MP_REGION",
          "MP_WORKSPACE_ID", "MP_API_BASE_URL")  # fmt: skip
CREDENTIALS = {name: os.environ[name] for name in _NAMES if os.environ.get(name)}
WRITE_SWITCH = "MP_LIVE_WRITE"
WRITES_WANTED = os.environ.get(WRITE_SWITCH) == "1"
TEST_PROJECT_MARKER = "test"
"""Writes happen only in a project whose name contains this (case-insensitive)."""
WRITE_PREFIX = "mixpanel-async live contract"
"""Every entity the write tests create is named with this, and deleted at the end."""


def configured() -> bool:
    """Whether the environment names a project, a region and one kind of credentials."""
    has = CREDENTIALS.keys()
    login = {"MP_USERNAME", "MP_SECRET"} <= has or "MP_OAUTH_TOKEN" in has
    return login and {"MP_PROJECT_ID", "MP_REGION"} <= has


@pytest.fixture(autouse=True)
def _live_environment(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, _isolated_environment: None
) -> None:
    """Skip unless the run selected `live` and credentials exist; then put them back into the
    (isolated) environment for the client to read."""
    if "live" not in (request.config.option.markexpr or ""):
        pytest.skip("live contract tests run only with `pytest -m live`")
    if not configured():
        pytest.skip(
            "no Mixpanel credentials: set MP_USERNAME and MP_SECRET (or MP_OAUTH_TOKEN), "
            "MP_PROJECT_ID and MP_REGION"
        )
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
async def live() -> AsyncIterator[AsyncWorkspace]:
    """A workspace on real Mixpanel, configured from the environment."""
    async with AsyncWorkspace() as workspace:
        yield workspace


@pytest.fixture
async def writable(live: AsyncWorkspace) -> AsyncWorkspace:
    """`live`, when writes are allowed: `MP_LIVE_WRITE=1` and a project named for testing."""
    if not WRITES_WANTED:
        marker = TEST_PROJECT_MARKER
        pytest.skip(f"write calls need {WRITE_SWITCH}=1 (and a project named *{marker}*)")
    project_id = CREDENTIALS["MP_PROJECT_ID"]
    names = {p.id: p.name or "" for p in await live.projects()}
    name = names.get(project_id, "")
    if TEST_PROJECT_MARKER not in name.lower():
        pytest.skip(
            f"project {project_id} ({name!r}) is not named for testing: writes need "
            f"{TEST_PROJECT_MARKER!r} in its name"
        )
    return live
