"""`accounts`, `targets`, `session` and `login_unified` on the config file, round trips with the
peer's functions of the same names (tests/conftest.py gives every test its own HOME and
MP_CONFIG_PATH)."""

from __future__ import annotations

from typing import Any

import pytest

import mixpanel_async as ours
from mixpanel_async import (
    AccountExistsError,
    AccountInUseError,
    AsyncWorkspace,
    InvalidArgumentError,
    OAuthError,
    ParamValidationError,
)
from mixpanel_async.emulator import Emulator

headless = pytest.importorskip("mixpanel_headless")


def _peer_account(name: str) -> Any:
    """The account as the peer's config layer reads it (its public summary has no project)."""
    from mixpanel_headless._internal.config import ConfigManager

    return ConfigManager().get_account(name)


def test_accounts_added_here_are_read_by_the_peer() -> None:
    ours.accounts.add("prod", type="service_account", username="sa", secret="s3", region="eu",
                      default_project="123")  # fmt: skip
    ours.accounts.add("tok", type="oauth_token", token_env="MY_TOKEN")
    theirs = {a.name: a for a in headless.accounts.list()}
    assert set(theirs) == {"prod", "tok"}
    assert (theirs["prod"].type, theirs["prod"].region) == ("service_account", "eu")
    assert theirs["prod"].is_active
    assert not theirs["tok"].is_active
    assert theirs["tok"].type == "oauth_token"
    ours.accounts.use("tok")
    assert headless.accounts.show().name == "tok"
    ours.accounts.update("prod", default_project="456")
    assert _peer_account("prod").default_project == "456"
    with pytest.raises(AccountExistsError):
        ours.accounts.add("prod", type="oauth_token", token="x")


def test_accounts_added_by_the_peer_are_read_here() -> None:
    headless.accounts.add("peer", type="service_account", username="u", secret="p", region="in")
    headless.accounts.add("other", type="oauth_token", token="t0k", region="us")
    mine = {a.name: a for a in ours.accounts.list()}
    assert (mine["peer"].type, mine["peer"].region, mine["peer"].is_active) == (
        "service_account", "in", True,
    )  # fmt: skip
    assert ours.accounts.token("other") == "t0k"
    assert ours.accounts.token("peer") is None
    headless.accounts.use("other")
    assert ours.accounts.show().name == "other"


def test_targets_and_session_round_trip() -> None:
    ours.accounts.add("a", type="service_account", username="u", secret="s")
    headless.accounts.add("b", type="service_account", username="v", secret="t", region="us")
    ours.targets.add("staging", account="b", project="77", workspace=9)
    peer_target = headless.targets.show("staging")
    assert (peer_target.account, peer_target.project, peer_target.workspace) == ("b", "77", 9)
    headless.targets.add("dev", account="a", project="88")
    assert [t.name for t in ours.targets.list()] == ["dev", "staging"]
    ours.targets.use("staging")
    active = headless.session.show()
    assert (active.account, active.workspace) == ("b", 9)
    assert _peer_account("b").default_project == "77"
    headless.session.use(account="a", project="99")
    mine = ours.session.show()
    assert (mine.account, mine.workspace) == ("a", 9)  # session.use keeps the pin
    assert ours.accounts.show("a").project_id == "99"
    ours.session.use(workspace=5)
    assert headless.session.show().workspace == 5
    ours.accounts.use("b")
    assert (headless.session.show().account, headless.session.show().workspace) == ("b", None)
    with pytest.raises(AccountInUseError) as refused:
        ours.accounts.remove("b")
    assert refused.value.referenced_by == ["staging"]
    assert ours.accounts.remove("b", force=True) == ["staging"]
    assert "b" not in {a.name for a in headless.accounts.list()}
    ours.targets.remove("dev")
    assert [t.name for t in headless.targets.list()] == ["staging"]
    with pytest.raises(ParamValidationError):
        ours.session.use(target="staging", account="a")


def test_login_unified(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MP_USERNAME", "MP_SECRET", "MP_OAUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(OAuthError, match="browser"):
        ours.login_unified()
    with pytest.raises(OAuthError, match="browser"):
        ours.accounts.login("x")
    with pytest.raises(InvalidArgumentError) as both:
        ours.login_unified(service_account=True, token_env="T")
    assert both.value.violation == "mutually_exclusive"
    with pytest.raises(InvalidArgumentError) as misuse:
        ours.login_unified(token_env="T", no_browser=True)
    assert misuse.value.violation == "no_browser_misuse"
    summary = ours.login_unified(name="ci", token_env="CI_TOKEN", project="42")
    assert (summary.name, summary.type, summary.is_active) == ("ci", "oauth_token", True)
    monkeypatch.setenv("MP_USERNAME", "robot")
    monkeypatch.setenv("MP_SECRET", "hunter2")
    robot = ours.login_unified(name="robot", region="eu", project="43")
    assert (robot.type, robot.region, robot.project_id) == ("service_account", "eu", "43")
    assert headless.accounts.show().name == "robot"


def test_account_test_asks_the_emulator(
    mixpanel_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours.accounts.add("emu", type="service_account", username="u", secret="s", default_project="1")
    monkeypatch.setenv("MP_API_BASE_URL", mixpanel_emulator.url)
    result = ours.accounts.test("emu")
    assert result.ok
    assert result.error is None
    assert result.accessible_project_count is not None
    assert result.accessible_project_count >= 1
    mixpanel_emulator.add_fault(path="/", status=401, count=100)
    refused = ours.accounts.test("emu")
    assert not refused.ok
    assert refused.error_code


async def test_config_written_here_drives_our_workspace(mixpanel_emulator: Emulator) -> None:
    ours.accounts.add("w", type="service_account", username="u", secret="s")
    ours.targets.add("t", account="w", project="3", workspace=4)
    ours.targets.use("t")
    async with AsyncWorkspace(base_url=mixpanel_emulator.url) as ws:
        assert (ws.session.project_id, ws.session.workspace_id) == ("3", 4)
