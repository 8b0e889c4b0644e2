"""Credential and account resolution, in the peer's order, with no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from mixpanel_async import AsyncWorkspace, ConfigError, ParamValidationError
from mixpanel_async.config import (
    OAuthTokenAccount,
    Secret,
    ServiceAccount,
    auth_header,
    resolve_session,
)
from mixpanel_async.exceptions import AccountNotFoundError

CONFIG = """
[active]
account = "team"
workspace = 3448414

[accounts.team]
type = "service_account"
region = "us"
default_project = "3713224"
username = "sa.user"
secret = "hunter2"

[accounts.ci]
type = "oauth_token"
region = "eu"
default_project = "42"
token_env = "MY_TOKEN"

[targets.prod]
account = "ci"
project = "99"
workspace = 7

[settings]
custom_header = { name = "X-Mixpanel-Cluster", value = "internal-1" }
"""


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    monkeypatch.setenv("MP_CONFIG_PATH", str(path))
    return path


def env_quad(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MP_USERNAME", "env-user")
    monkeypatch.setenv("MP_SECRET", "env-secret")
    monkeypatch.setenv("MP_PROJECT_ID", "12345")
    monkeypatch.setenv("MP_REGION", "eu")


def test_nothing_configured_names_what_to_set() -> None:
    with pytest.raises(ConfigError) as info:
        AsyncWorkspace()
    message = str(info.value)
    for name in ("MP_USERNAME", "MP_SECRET", "MP_PROJECT_ID", "MP_REGION", "MP_OAUTH_TOKEN"):
        assert name in message
    assert info.value.code == "CONFIG_ERROR"


def test_env_service_account(monkeypatch: pytest.MonkeyPatch) -> None:
    env_quad(monkeypatch)
    session = resolve_session()
    assert isinstance(session.account, ServiceAccount)
    assert session.account.name == "env-service-account"
    assert session.project_id == "12345"
    assert session.region == "eu"
    assert session.workspace is None


def test_partial_env_is_not_an_account(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MP_USERNAME", "u")
    monkeypatch.setenv("MP_SECRET", "s")
    monkeypatch.setenv("MP_PROJECT_ID", "1")
    with pytest.raises(ConfigError):
        resolve_session()


def test_env_oauth_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MP_OAUTH_TOKEN", "tok")
    monkeypatch.setenv("MP_PROJECT_ID", "7")
    monkeypatch.setenv("MP_REGION", "in")
    session = resolve_session()
    assert isinstance(session.account, OAuthTokenAccount)
    assert auth_header(session.account) == "Bearer tok"


def test_env_beats_account_kwarg(monkeypatch: pytest.MonkeyPatch, config_file: Path) -> None:
    env_quad(monkeypatch)
    assert resolve_session(account="team").account.name == "env-service-account"


def test_explicit_credentials_win(monkeypatch: pytest.MonkeyPatch) -> None:
    env_quad(monkeypatch)
    session = resolve_session(username="me", secret="pw", project="5")
    assert session.account.name == "explicit"
    # MP_PROJECT_ID still wins over project=, as in the peer.
    assert session.project_id == "12345"


def test_active_account_from_config(config_file: Path) -> None:
    session = resolve_session()
    assert session.account.name == "team"
    assert session.project_id == "3713224"
    assert session.workspace_id == 3448414
    assert session.headers == {"X-Mixpanel-Cluster": "internal-1"}


def test_target(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_TOKEN", "from-env")
    session = resolve_session(target="prod")
    assert session.account.name == "ci"
    assert (session.project_id, session.workspace_id, session.region) == ("99", 7, "eu")
    assert auth_header(session.account) == "Bearer from-env"


def test_target_excludes_other_axes(config_file: Path) -> None:
    with pytest.raises(ParamValidationError) as info:
        resolve_session(target="prod", project="1")
    assert info.value.code == "WS1_TARGET_MUTUALLY_EXCLUSIVE"
    assert isinstance(info.value, ValueError)


def test_unknown_account(config_file: Path) -> None:
    with pytest.raises(AccountNotFoundError, match="nope"):
        resolve_session(account="nope")


def test_unknown_target(config_file: Path) -> None:
    with pytest.raises(ConfigError, match="Target 'nope' not found"):
        resolve_session(target="nope")


@pytest.mark.parametrize(
    ("var", "value", "match"),
    [
        ("MP_REGION", "EU", "MP_REGION"),
        ("MP_PROJECT_ID", "12x", "MP_PROJECT_ID"),
        ("MP_WORKSPACE_ID", "-3", "MP_WORKSPACE_ID"),
    ],
)
def test_bad_env_values(monkeypatch: pytest.MonkeyPatch, var: str, value: str, match: str) -> None:
    env_quad(monkeypatch)
    monkeypatch.setenv(var, value)
    with pytest.raises(ConfigError, match=match):
        resolve_session()


def test_bad_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[accounts.x\n")
    monkeypatch.setenv("MP_CONFIG_PATH", str(path))
    with pytest.raises(ConfigError, match="not valid TOML"):
        resolve_session()


def test_secrets_never_print(monkeypatch: pytest.MonkeyPatch) -> None:
    env_quad(monkeypatch)
    session = resolve_session()
    for text in (repr(session), str(session), repr(session.account), str(Secret("x"))):
        assert "env-secret" not in text
    assert session.account.secret.get_secret_value() == "env-secret"  # type: ignore[union-attr]


def test_workspace_repr_hides_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    env_quad(monkeypatch)
    ws = AsyncWorkspace()
    assert "env-secret" not in repr(ws)
    assert "env-secret" not in repr(ws.session)


def test_basic_auth_header() -> None:
    account = ServiceAccount("a", "us", "user", "pw")
    assert auth_header(account) == "Basic dXNlcjpwdw=="


def test_loopback_base_url_needs_no_credentials() -> None:
    ws = AsyncWorkspace(base_url="http://127.0.0.1:4808")
    assert ws.project.id == "1"


def test_remote_base_url_still_needs_credentials() -> None:
    with pytest.raises(ConfigError):
        AsyncWorkspace(base_url="https://mixpanel.example.com")


def test_use_switches_project_and_clears_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    env_quad(monkeypatch)
    monkeypatch.setenv("MP_WORKSPACE_ID", "3")
    ws = AsyncWorkspace()
    assert ws.workspace is not None
    ws.use(project="777")
    assert ws.project.id == "777"
    assert ws.workspace is None
    ws.use(workspace=9)
    assert ws.workspace is not None
    assert ws.workspace.id == 9
    with pytest.raises(ConfigError):
        ws.use(project="abc")
