"""`mixpanel-async account ...` and `config ...`: the config file both tools read.

The file is `~/.mp/config.toml` (or `$MP_CONFIG_PATH`), in `mixpanel-headless`' layout:
`[accounts.NAME]` (`type`, `region`, `default_project`, and `username`/`secret`, `token` or
`token_env`), `[active]` (`account`, `workspace`), `[targets.NAME]`, `[settings]`. An account
added here is usable by `mp` and `mixpanel_headless.Workspace`, and the other way round.

    mixpanel-async account add prod --username sa.user --secret-stdin --project 12345
    mixpanel-async account use prod
    mixpanel-async account list --format table
"""

from __future__ import annotations

import contextlib
import re
import stat
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from mixpanel_async import config_edit
from mixpanel_async.cli.common import EXIT_CONFIG, EXIT_USAGE, Target, fail, run
from mixpanel_async.cli.output import FormatOpt, JqOpt, OutOpt, emit
from mixpanel_async.config import (
    account_from_config,
    check_project,
    check_region,
    check_workspace,
)
from mixpanel_async.exceptions import ConfigError
from mixpanel_async.workspace import AsyncWorkspace

accounts_app = typer.Typer(no_args_is_help=True, help="Accounts in ~/.mp/config.toml.")
config_app = typer.Typer(no_args_is_help=True, help="The config file both mp and we read.")

TYPES = ("service_account", "oauth_token", "oauth_browser")
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SECRET_KEYS = ("secret", "token")


def _read() -> dict[str, Any]:
    try:
        return config_edit.read()
    except ConfigError as exc:
        fail(str(exc), EXIT_CONFIG)


def _write(raw: dict[str, Any]) -> None:
    """Write the whole file at once, readable by its owner only, in a directory only its owner
    can enter."""
    with contextlib.suppress(OSError):
        config_edit.path().parent.chmod(stat.S_IRWXU)
    config_edit.write(raw)


@contextlib.contextmanager
def _editing() -> Iterator[dict[str, Any]]:
    """The parsed file, written back when the block succeeds (untouched when it fails)."""
    raw = _read()
    yield raw
    _write(raw)


def _usage(message: str) -> None:
    fail(message, EXIT_USAGE)


def _checked(fn: Any, value: Any, source: str) -> Any:
    try:
        return fn(value, source)
    except ConfigError as exc:
        _usage(str(exc))


def _redacted(block: dict[str, Any]) -> dict[str, Any]:
    return {k: ("********" if k in _SECRET_KEYS else v) for k, v in block.items()}


def _secret_value(secret: str | None, from_stdin: bool, option: str) -> str | None:
    if from_stdin:
        if secret is not None:
            _usage(f"give {option} or {option}-stdin, not both")
        return sys.stdin.readline().strip() or None
    return secret


Region = Annotated[str | None, typer.Option(help="Data residency: us, eu or in.")]
ProjectId = Annotated[str | None, typer.Option("--project", help="Default project id.")]
Username = Annotated[str | None, typer.Option(help="Service account username.")]
SecretOpt = Annotated[
    str | None, typer.Option(help="Service account secret (prefer --secret-stdin).")
]
SecretStdin = Annotated[
    bool, typer.Option("--secret-stdin", help="Read the secret from standard input.")
]
Token = Annotated[str | None, typer.Option(help="OAuth token (prefer --token-env).")]
TokenEnv = Annotated[str | None, typer.Option(help="Environment variable holding the OAuth token.")]


@accounts_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Account name (letters, digits, - and _).")],
    type_: Annotated[
        str,
        typer.Option("--type", help="service_account, oauth_token or oauth_browser."),
    ] = "service_account",
    region: Region = "us",
    project: ProjectId = None,
    username: Username = None,
    secret: SecretOpt = None,
    secret_stdin: SecretStdin = False,
    token: Token = None,
    token_env: TokenEnv = None,
    use: Annotated[bool, typer.Option("--use", help="Make it the active account.")] = False,
) -> None:
    """Add an account (the first one added becomes the active one)."""
    if not _NAME.match(name):
        _usage(f"account name {name!r} may hold only letters, digits, - and _ (1-64)")
    if type_ not in TYPES:
        _usage(f"--type must be one of {', '.join(TYPES)}")
    block: dict[str, Any] = {"type": type_, "region": _checked(check_region, region, "--region")}
    if project is not None:
        block["default_project"] = _checked(check_project, project, "--project")
    secret = _secret_value(secret, secret_stdin, "--secret")
    if type_ == "service_account":
        if not username or not secret:
            _usage("a service account needs --username and --secret (or --secret-stdin)")
        block |= {"username": username, "secret": secret}
    elif type_ == "oauth_token":
        if bool(token) == bool(token_env):
            _usage("an oauth_token account needs exactly one of --token and --token-env")
        block |= {"token": token} if token else {"token_env": token_env}
    with _editing() as raw:
        accounts = raw.setdefault("accounts", {})
        if name in accounts:
            _usage(f"account {name!r} exists; change it with `account update {name}`")
        accounts[name] = block
        active = raw.setdefault("active", {})
        if use or not active.get("account"):
            active["account"] = name
    typer.echo(f"added account {name!r} to {config_edit.path()}", err=True)


@accounts_app.command("update")
def update(
    name: Annotated[str, typer.Argument(help="Account name.")],
    region: Region = None,
    project: ProjectId = None,
    username: Username = None,
    secret: SecretOpt = None,
    secret_stdin: SecretStdin = False,
    token: Token = None,
    token_env: TokenEnv = None,
) -> None:
    """Change some fields of an account (its type stays)."""
    secret = _secret_value(secret, secret_stdin, "--secret")
    with _editing() as raw:
        block = raw.get("accounts", {}).get(name)
        if not isinstance(block, dict):
            _usage(f"no account {name!r}")
        kind = block.get("type", "service_account")
        changes: dict[str, Any] = {}
        if region is not None:
            changes["region"] = _checked(check_region, region, "--region")
        if project is not None:
            changes["default_project"] = _checked(check_project, project, "--project")
        for option, key, value, for_type in (
            ("--username", "username", username, "service_account"),
            ("--secret", "secret", secret, "service_account"),
            ("--token", "token", token, "oauth_token"),
            ("--token-env", "token_env", token_env, "oauth_token"),
        ):
            if value is None:
                continue
            if kind != for_type:
                _usage(f"{option} does not apply to a {kind} account")
            changes[key] = value
        if "token" in changes:
            block.pop("token_env", None)
        if "token_env" in changes:
            block.pop("token", None)
        block.update(changes)
    typer.echo(f"updated account {name!r}", err=True)


@accounts_app.command("list")
def list_accounts(fmt: FormatOpt = "table", jq: JqOpt = None, out: OutOpt = None) -> None:
    """The configured accounts (secrets never shown)."""
    raw = _read()
    active = raw.get("active", {}).get("account")
    rows = [
        {
            "name": name,
            "type": block.get("type", "service_account"),
            "region": block.get("region", "us"),
            "default_project": block.get("default_project"),
            "active": name == active,
        }
        for name, block in sorted(raw.get("accounts", {}).items())
    ]
    emit(rows, fmt, jq, out, ("name", "type", "region", "default_project", "active"))


@accounts_app.command("show")
def show(
    name: Annotated[str | None, typer.Argument(help="Account name (default: active).")] = None,
    fmt: FormatOpt = "json",
    jq: JqOpt = None,
    out: OutOpt = None,
) -> None:
    """One account's fields (secrets masked)."""
    raw = _read()
    name = name or raw.get("active", {}).get("account")
    block = raw.get("accounts", {}).get(name) if name else None
    if not isinstance(block, dict):
        fail(f"no account {name!r}" if name else "no active account", EXIT_CONFIG)
    emit({"name": name, **_redacted(block)}, fmt, jq, out)


@accounts_app.command("use")
def use(name: Annotated[str, typer.Argument(help="Account name.")]) -> None:
    """Make an account the active one."""
    with _editing() as raw:
        if name not in raw.get("accounts", {}):
            _usage(f"no account {name!r}")
        raw.setdefault("active", {})["account"] = name
    typer.echo(f"active account: {name}", err=True)


@accounts_app.command("remove")
def remove(
    name: Annotated[str, typer.Argument(help="Account name.")],
    force: Annotated[bool, typer.Option(help="Also when targets refer to it.")] = False,
) -> None:
    """Remove an account (refused while a target refers to it, unless --force)."""
    with _editing() as raw:
        if name not in raw.get("accounts", {}):
            _usage(f"no account {name!r}")
        users = sorted(t for t, b in raw.get("targets", {}).items() if b.get("account") == name)
        if users and not force:
            _usage(f"targets {', '.join(users)} use account {name!r}; add --force to remove it")
        del raw["accounts"][name]
        if raw.get("active", {}).get("account") == name:
            raw["active"].pop("account", None)
            raw["active"].pop("workspace", None)
    typer.echo(f"removed account {name!r}", err=True)


@accounts_app.command("test")
def check_account(
    name: Annotated[str | None, typer.Argument(help="Account name (default: active).")] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", envvar="MP_API_BASE_URL", help="Send here.")
    ] = None,
) -> None:
    """Check that an account's credentials are accepted (lists its projects)."""

    async def work(ws: AsyncWorkspace) -> int:
        return len(await ws.projects())

    count = run(work, Target(base_url=base_url, account=name))
    typer.echo(f"ok: {count} project(s) visible")


@config_app.command("path")
def path() -> None:
    """Print where the config file is ($MP_CONFIG_PATH or ~/.mp/config.toml)."""
    typer.echo(str(config_edit.path()))


@config_app.command("show")
def show_config(fmt: FormatOpt = "json", jq: JqOpt = None, out: OutOpt = None) -> None:
    """The whole config file (secrets masked)."""
    raw = _read()
    accounts = {n: _redacted(b) for n, b in raw.get("accounts", {}).items()}
    emit({**raw, "accounts": accounts} if accounts else raw, fmt, jq, out)


@config_app.command("workspace")
def workspace(
    workspace_id: Annotated[int | None, typer.Argument(help="Workspace id (none: clear).")] = None,
) -> None:
    """Set (or clear) the active workspace, `[active].workspace`."""
    with _editing() as raw:
        active = raw.setdefault("active", {})
        if workspace_id is None:
            active.pop("workspace", None)
        else:
            active["workspace"] = _checked(check_workspace, workspace_id, "WORKSPACE_ID")
    typer.echo(f"active workspace: {workspace_id or 'none'}", err=True)


@config_app.command("check")
def check() -> None:
    """Check that every account in the file is complete and valid."""
    raw = _read()
    problems = []
    for name in raw.get("accounts", {}):
        try:
            account_from_config(name, raw)
        except ConfigError as exc:
            problems.append(str(exc))
    if problems:
        fail("; ".join(problems), EXIT_CONFIG)
    typer.echo(f"{config_edit.path()}: {len(raw.get('accounts', {}))} account(s), all valid")


__all__ = ["accounts_app", "config_app"]
