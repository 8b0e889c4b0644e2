"""`mixpanel-async login` and `account token|logout|login|export-bridge|remove-bridge`: what
they write is what `mixpanel-headless` reads (its config manager, its bridge loader, its token
store), and the browser login is refused in one line."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from mixpanel_async.cli import app
from mixpanel_async.emulator import Emulator

headless_config = pytest.importorskip("mixpanel_headless._internal.config")
headless_bridge = pytest.importorskip("mixpanel_headless._internal.auth.bridge")


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mixpanel_emulator: Emulator) -> Path:
    path = tmp_path / "mp" / "config.toml"
    monkeypatch.setenv("MP_CONFIG_PATH", str(path))
    monkeypatch.setenv("MP_STORAGE_DIR", str(tmp_path / "mp"))
    monkeypatch.setenv("MP_API_BASE_URL", mixpanel_emulator.url)
    monkeypatch.chdir(tmp_path)
    for name in ("MP_USERNAME", "MP_SECRET", "MP_PROJECT_ID", "MP_REGION", "MP_OAUTH_TOKEN",
                 "MP_AUTH_FILE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    return path


def cli(*args: str, stdin: str | None = None, code: int = 0) -> Any:
    done = CliRunner().invoke(app, list(args), input=stdin)
    assert done.exit_code == code, (args, done.output)
    if code:
        assert done.stderr.count("\n") == 1, done.stderr
        assert done.stderr.startswith("error: ")
        return done.stderr
    return done.stdout


def test_login_with_a_service_account(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MP_USERNAME", "sa.user")
    said = cli("login", "--service-account", "--secret-stdin", "--name", "prod", stdin="s3cret\n")
    assert "account prod (service_account, region us, project 1)" in said
    manager = headless_config.ConfigManager(config_path=config)
    prod = manager.get_account("prod")
    assert (prod.type, prod.username, prod.default_project) == ("service_account", "sa.user", "1")
    assert prod.secret.get_secret_value() == "s3cret"
    assert manager.get_active().account == "prod"
    assert cli("account", "token", "prod").strip() == "N/A"
    # A project the credentials do not see, and two kinds of login at once, are refused.
    monkeypatch.setenv("MP_SECRET", "s3cret")
    assert "not visible" in cli("login", "-S", "--project", "999", code=3)
    assert "give one" in cli("login", "-S", "--token-env", "T", code=2)


def test_login_with_a_token_and_the_token_command(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI_TOKEN", "tok-123")
    said = cli("login", "--token-env", "CI_TOKEN")
    name = said.split("account ", 1)[1].split(" ", 1)[0]  # derived from the project's name
    account = headless_config.ConfigManager(config_path=config).get_account(name)
    assert (account.type, account.token_env) == ("oauth_token", "CI_TOKEN")
    assert cli("account", "token").strip() == "tok-123"


def test_the_browser_login_is_one_line_and_exit_3(config: Path) -> None:
    message = cli("login", code=3)
    assert "mp account login" in message
    config.parent.mkdir(parents=True)
    config.write_text('[accounts.me]\ntype = "oauth_browser"\nregion = "us"\n')
    assert "mp account login me" in cli("account", "login", "me", code=3)
    assert "no account" in cli("account", "login", "nobody", code=3)


def test_logout_removes_the_stored_tokens_and_token_reads_them(config: Path) -> None:
    config.parent.mkdir(parents=True)
    config.write_text('[accounts.me]\ntype = "oauth_browser"\nregion = "eu"\n'
                      'default_project = "7"\n')  # fmt: skip
    tokens = config.parent / "accounts" / "me" / "tokens.json"
    tokens.parent.mkdir(parents=True)
    tokens.write_bytes(orjson.dumps({"access_token": "at-1", "refresh_token": "rt-1",
                                     "expires_at": "2030-01-01T00:00:00Z",
                                     "token_type": "Bearer", "scope": "read"}))  # fmt: skip
    assert cli("account", "token", "me").strip() == "at-1"

    bridge = config.parent / "bridge.json"
    cli("account", "export-bridge", "--account", "me", "--to", str(bridge), "--workspace", "3")
    loaded = headless_bridge.load_bridge(bridge)
    assert (loaded.account.type, loaded.account.region, loaded.workspace) == (
        "oauth_browser", "eu", 3)  # fmt: skip
    assert loaded.tokens.access_token.get_secret_value() == "at-1"

    cli("account", "logout", "me")
    assert not tokens.exists()
    cli("account", "logout", "me")  # nothing left to remove: still fine
    assert "no OAuth token stored" in cli("account", "token", "me", code=3)
    assert "no OAuth tokens" in cli("account", "export-bridge", "--account", "me", code=3)


def test_export_bridge_is_read_by_the_peer(config: Path) -> None:
    cli("account", "add", "prod", "--username", "sa.prod", "--secret-stdin", "--project", "42",
        stdin="s3cret\n")  # fmt: skip
    cli("account", "export-bridge", "--project", "42")  # the active account, ./mixpanel_auth.json
    written = Path("mixpanel_auth.json")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    loaded = headless_bridge.load_bridge(written)
    assert (loaded.account.name, loaded.account.username, loaded.project) == (
        "prod", "sa.prod", "42")  # fmt: skip
    assert loaded.account.secret.get_secret_value() == "s3cret"
    assert "--project" in cli("account", "export-bridge", "--project", "x", code=2)

    cli("account", "remove-bridge")  # found in the working directory
    assert not written.exists()
    cli("account", "remove-bridge")  # none left: still fine
