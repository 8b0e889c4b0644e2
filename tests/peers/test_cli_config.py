"""`mixpanel-async accounts ...` writes the config file `mixpanel-headless` reads, and reads the
one it writes; an account added on the command line reaches the emulator from both libraries."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from mixpanel_async import AsyncWorkspace
from mixpanel_async.cli import app
from mixpanel_async.emulator import Emulator

headless_config = pytest.importorskip("mixpanel_headless._internal.config")


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "mp" / "config.toml"
    monkeypatch.setenv("MP_CONFIG_PATH", str(path))
    for name in ("MP_USERNAME", "MP_SECRET", "MP_PROJECT_ID", "MP_REGION", "MP_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return path


def cli(*args: str, stdin: str | None = None) -> Any:
    done = CliRunner().invoke(app, list(args), input=stdin)
    assert done.exit_code == 0, (args, done.output)
    return done.stdout


def test_peer_reads_what_we_write(config: Path) -> None:
    cli("accounts", "add", "prod", "--username", "sa.prod", "--secret-stdin",
        "--project", "12345", "--region", "eu", stdin="s3cret\n")  # fmt: skip
    cli("accounts", "add", "ci", "--type", "oauth_token", "--token-env", "CI_TOKEN")
    cli("config", "workspace", "77")
    assert stat.S_IMODE(config.stat().st_mode) == 0o600

    manager = headless_config.ConfigManager(config_path=config)
    prod = manager.get_account("prod")
    assert (prod.type, prod.region, prod.default_project, prod.username) == (
        "service_account", "eu", "12345", "sa.prod")  # fmt: skip
    assert prod.secret.get_secret_value() == "s3cret"
    assert manager.get_account("ci").token_env == "CI_TOKEN"
    active = manager.get_active()
    assert (active.account, active.workspace) == ("prod", 77)  # the first added is active

    cli("accounts", "use", "ci")
    cli("accounts", "update", "prod", "--project", "999")
    assert headless_config.ConfigManager(config_path=config).get_active().account == "ci"
    assert manager.get_account("prod").default_project == "999"
    cli("accounts", "remove", "ci")
    assert [a.name for a in manager.list_accounts()] == ["prod"]


def test_we_read_what_the_peer_writes(config: Path) -> None:
    manager = headless_config.ConfigManager(config_path=config)
    manager.add_account(
        "team", type="service_account", region="us", default_project="4", username="u",
        secret="hidden",
    )  # fmt: skip
    manager.set_active(account="team")
    listed = orjson.loads(cli("accounts", "list", "--format", "json"))
    assert listed == [{"name": "team", "type": "service_account", "region": "us",
                       "default_project": "4", "active": True}]  # fmt: skip
    shown = cli("accounts", "show")
    assert "hidden" not in shown
    assert orjson.loads(shown)["username"] == "u"
    assert "all valid" in cli("config", "check")


async def test_an_account_added_on_the_command_line_reaches_the_emulator(
    config: Path, mixpanel_emulator: Emulator
) -> None:
    cli("accounts", "add", "local", "--username", "u", "--secret", "s", "--project", "1")
    async with AsyncWorkspace(base_url=mixpanel_emulator.url) as ws:
        assert ws.session.account.name == "local"
        assert ws.session.project_id == "1"
        assert await ws.list_dashboards() == []


def test_bad_input_is_refused_without_writing(config: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["accounts", "add", "x y", "--username", "u"]).exit_code == 2
    done = runner.invoke(app, ["accounts", "add", "a", "--username", "u"])
    assert done.exit_code == 2
    assert "--secret" in done.stderr
    assert runner.invoke(app, ["accounts", "add", "a", "--username", "u", "--secret", "s",
                               "--region", "mars"]).exit_code == 2  # fmt: skip
    assert not config.exists()


def test_targets_project_and_workspace_match_the_peer(config: Path) -> None:
    cli("accounts", "add", "a", "--username", "u", "--secret", "s", "--project", "1")
    cli("accounts", "add", "b", "--username", "v", "--secret", "t")
    cli("target", "add", "ecom", "--account", "b", "--project", "42", "--workspace", "9")
    manager = headless_config.ConfigManager(config_path=config)
    (target,) = manager.list_targets()
    assert (target.name, target.account, target.project, target.workspace) == (
        "ecom", "b", "42", 9)  # fmt: skip

    cli("target", "use", "ecom")
    active = manager.get_active()
    assert (active.account, active.workspace) == ("b", 9)
    assert manager.get_account("b").default_project == "42"
    assert orjson.loads(cli("session", "show")) == {"account": "b", "project": "42",
                                                     "workspace": 9}  # fmt: skip

    cli("project", "use", "43")
    cli("workspace", "use", "10")
    assert manager.get_account("b").default_project == "43"
    assert manager.get_active().workspace == 10
    assert cli("project", "show").strip() == "43"
    cli("target", "remove", "ecom")
    assert manager.list_targets() == []
