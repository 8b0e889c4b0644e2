"""`mixpanel-async login` and `account login|logout|token|export-bridge|remove-bridge`.

`login` adds (or refreshes) an account from credentials it can check without a browser: a
service account (`--service-account`, or `MP_USERNAME` and `MP_SECRET` set; the secret from
`--secret-stdin` or `MP_SECRET`) or an OAuth token (`--token-env VAR`, or `MP_OAUTH_TOKEN`).
It asks Mixpanel which projects the credentials see (trying the regions us, eu, in unless
`--region` says), picks `--project` (or `MP_PROJECT_ID`, or the only one), and writes the
account to the config file. Mixpanel's OAuth browser flow is not available here: `login`
without such credentials, and `account login NAME`, say so in one line and exit 3; `mp account
login NAME` stores the tokens where this tool reads them.

    MP_USERNAME=sa.user mixpanel-async login --service-account --secret-stdin --project 12345
    mixpanel-async account token prod
    mixpanel-async account export-bridge --account prod --to ./mixpanel_auth.json
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from mixpanel_async.cli.accounts import (
    _NAME,
    _checked,
    _editing,
    _read,
    _secret_value,
    accounts_app,
)
from mixpanel_async.cli.common import EXIT_CONFIG, cli_message, exit_code, fail, usage
from mixpanel_async.config import (
    REGIONS,
    account_from_config,
    auth_header,
    check_project,
    check_region,
    check_workspace,
    storage_dir,
)
from mixpanel_async.config_edit import write_private
from mixpanel_async.exceptions import AuthenticationError, ConfigError, MixpanelAsyncError
from mixpanel_async.workspace import AsyncWorkspace

NO_BROWSER_LOGIN = (
    "the OAuth browser login is not available in mixpanel-async: run `mp account login {name}` "
    "(mixpanel-async reads the tokens it stores), or log in with a service account "
    "(--service-account) or a token (--token-env VAR)"
)
"""The one line (exit 3) for the browser flow."""


def _config_error(exc: ConfigError) -> None:
    fail(str(exc).split("\n", 1)[0], EXIT_CONFIG)


def _account(name: str | None) -> tuple[str, dict[str, Any]]:
    """A configured account by name (default: the active one) and its raw entry."""
    raw = _read()
    name = name or raw.get("active", {}).get("account")
    if not name:
        fail("no active account; name one", EXIT_CONFIG)
    if name not in raw.get("accounts", {}):
        fail(f"no account {name!r}", EXIT_CONFIG)
    return name, raw


def _tokens_file(name: str) -> Path:
    return storage_dir(os.environ) / "accounts" / name / "tokens.json"


@accounts_app.command("login")
def account_login(
    name: Annotated[str, typer.Argument(help="An oauth_browser account.")],
    no_browser: Annotated[bool, typer.Option("--no-browser", help="(mp's option.)")] = False,
) -> None:
    """The OAuth browser login: not available here (one line, exit 3; see `mp account login`)."""
    _, raw = _account(name)
    kind = raw["accounts"][name].get("type", "service_account")
    if kind != "oauth_browser":
        usage(f"account {name!r} is a {kind} account; `account login` is for oauth_browser ones")
    fail(NO_BROWSER_LOGIN.format(name=name), EXIT_CONFIG)


@accounts_app.command("logout")
def logout(name: Annotated[str, typer.Argument(help="Account name.")]) -> None:
    """Remove the OAuth tokens stored for an account (nothing to do when there are none)."""
    _account(name)
    with contextlib.suppress(FileNotFoundError):
        _tokens_file(name).unlink()
    typer.echo(f"removed tokens for {name!r}", err=True)


@accounts_app.command("token")
def token(
    name: Annotated[str | None, typer.Argument(help="Account name (default: active).")] = None,
) -> None:
    """Print an OAuth account's bearer token (`N/A` for a service account)."""
    name, raw = _account(name)
    try:
        header = auth_header(account_from_config(name, raw))
    except ConfigError as exc:
        _config_error(exc)
    typer.echo(header.removeprefix("Bearer ") if header.startswith("Bearer ") else "N/A")


_CREDENTIAL_KEYS = ("username", "secret", "token", "token_env")


def _bridge_record(name: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The account as a bridge file holds it: the whole record, secrets included."""
    try:
        account = account_from_config(name, raw)
    except ConfigError as exc:
        _config_error(exc)
    record: dict[str, Any] = {"type": account.type, "name": name, "region": account.region}
    if account.default_project is not None:
        record["default_project"] = account.default_project
    entry = raw["accounts"][name]
    for key in _CREDENTIAL_KEYS:
        if entry.get(key):
            record[key] = entry[key]
    return record


@accounts_app.command("export-bridge")
def export_bridge(
    name: Annotated[
        str | None, typer.Option("--account", help="Account (default: active).")
    ] = None,
    to: Annotated[Path, typer.Option("--to", help="The bridge file.")] = Path("mixpanel_auth.json"),
    project: Annotated[str | None, typer.Option("--project", help="Pin a project id.")] = None,
    workspace: Annotated[int | None, typer.Option("--workspace", help="Pin a workspace.")] = None,
) -> None:
    """Write an account as a bridge file (version 2, secrets inline) for `mixpanel_headless`."""
    name, raw = _account(name)
    bridge: dict[str, Any] = {"version": 2, "account": _bridge_record(name, raw)}
    if bridge["account"]["type"] == "oauth_browser":
        try:
            bridge["tokens"] = orjson.loads(_tokens_file(name).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            fail(f"no OAuth tokens stored for {name!r}; log in with `mp account login`", 3)
    if project is not None:
        bridge["project"] = _checked(check_project, project, "--project")
    if workspace is not None:
        bridge["workspace"] = _checked(check_workspace, workspace, "--workspace")
    custom = raw.get("settings", {}).get("custom_header")
    headers = {custom["name"]: custom["value"]} if isinstance(custom, dict) else {}
    bridge["headers"] = headers
    to.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_private(to, orjson.dumps(bridge, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    typer.echo(f"wrote bridge file {to}", err=True)


def bridge_paths() -> tuple[Path, ...]:
    """Where a bridge file is looked for when none is named: `~/.claude/mixpanel/auth.json`,
    then `./mixpanel_auth.json`."""
    return (Path.home() / ".claude" / "mixpanel" / "auth.json", Path.cwd() / "mixpanel_auth.json")


@accounts_app.command("remove-bridge")
def remove_bridge(
    at: Annotated[Path | None, typer.Option("--at", help="The bridge file.")] = None,
) -> None:
    """Delete a bridge file (--at, else $MP_AUTH_FILE, else the first default that exists)."""
    if at is None and os.environ.get("MP_AUTH_FILE"):
        at = Path(os.environ["MP_AUTH_FILE"])
    target = at if at is not None else next((p for p in bridge_paths() if p.exists()), None)
    if target is None or not target.exists():
        typer.echo("no bridge file to remove", err=True)
        return
    target.unlink()
    typer.echo(f"removed bridge file {target}", err=True)


def _credentials(
    service_account: bool, token_env: str | None, secret_stdin: bool, no_browser: bool
) -> dict[str, Any]:
    """The account entry `login` would write (without region and project), or exit."""
    if service_account and token_env is not None:
        usage("--service-account and --token-env are two kinds of login: give one")
    env = os.environ
    if token_env is None and not service_account:
        if env.get("MP_USERNAME") and env.get("MP_SECRET"):
            service_account = True
        elif env.get("MP_OAUTH_TOKEN"):
            token_env = "MP_OAUTH_TOKEN"
    if no_browser and (service_account or token_env):
        usage("--no-browser is for the browser login only")
    if secret_stdin and not service_account:
        usage("--secret-stdin is for a service account (--service-account)")
    if token_env is not None:
        if not env.get(token_env):
            fail(f"--token-env: ${token_env} is not set", EXIT_CONFIG)
        return {"type": "oauth_token", "token_env": token_env}
    if not service_account:
        fail(NO_BROWSER_LOGIN.format(name="NAME"), EXIT_CONFIG)
    secret = _secret_value(None, secret_stdin, "--secret") or env.get("MP_SECRET")
    if not env.get("MP_USERNAME") or not secret:
        fail("a service account login needs MP_USERNAME and the secret (MP_SECRET or "
             "--secret-stdin)", EXIT_CONFIG)  # fmt: skip
    return {"type": "service_account", "username": env["MP_USERNAME"], "secret": secret}


async def _visible(entry: dict[str, Any], region: str, base_url: str | None) -> list[Any]:
    """The projects the credentials see in `region`."""
    token = os.environ[entry["token_env"]] if entry["type"] == "oauth_token" else None
    async with AsyncWorkspace(
        username=entry.get("username"),
        secret=entry.get("secret"),
        oauth_token=token,
        region=region,
        project="0",  # a session needs one; listing the projects does not use it
        base_url=base_url,
    ) as ws:
        return await ws.projects()


def _probe(entry: dict[str, Any], regions: tuple[str, ...], base_url: str | None) -> Any:
    """(region, projects): the first region whose Mixpanel accepts the credentials."""

    async def probe() -> Any:
        for region in regions:
            try:
                return region, await _visible(entry, region, base_url)
            except AuthenticationError:
                continue
        return None

    try:
        found = asyncio.run(probe())
    except MixpanelAsyncError as exc:
        fail(cli_message(exc), exit_code(exc))
    if found is None:
        fail(f"the credentials were refused in region(s) {', '.join(regions)}", EXIT_CONFIG)
    return found


def _pick(projects: list[Any], wanted: str | None) -> Any:
    ids = sorted(str(p.id) for p in projects)
    if wanted is not None:
        if wanted not in ids:
            fail(f"project {wanted} is not visible to these credentials (visible: "
                 f"{', '.join(ids) or 'none'})", EXIT_CONFIG)  # fmt: skip
        return next(p for p in projects if str(p.id) == wanted)
    if len(ids) != 1:
        fail(f"{len(ids)} projects visible ({', '.join(ids)}); choose one with --project",
             EXIT_CONFIG)  # fmt: skip
    return projects[0]


def _derived_name(project: Any) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", str(project.name or "")).strip("-").lower()[:64]
    return name or f"project-{project.id}"


def login(
    name: Annotated[
        str | None, typer.Option("--name", help="Account name (default: derived).")
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="us, eu or in (default: tried).")
    ] = None,
    project: Annotated[str | None, typer.Option("--project", help="Project id to use.")] = None,
    service_account: Annotated[
        bool, typer.Option("--service-account", "-S", help="Log in as MP_USERNAME.")
    ] = False,
    token_env: Annotated[
        str | None, typer.Option("--token-env", help="Environment variable holding a token.")
    ] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="(mp's option.)")] = False,
    secret_stdin: Annotated[
        bool, typer.Option("--secret-stdin", help="Read the secret from standard input.")
    ] = False,
    base_url: Annotated[
        str | None, typer.Option("--base-url", envvar="MP_API_BASE_URL", help="Send here.")
    ] = None,
) -> None:
    """Add (or refresh) an account from a service account or token, checked against Mixpanel."""
    entry = _credentials(service_account, token_env, secret_stdin, no_browser)
    if name is not None and not _NAME.match(name):
        usage(f"--name {name!r} may hold only letters, digits, - and _ (1-64)")
    regions = (_checked(check_region, region, "--region"),) if region else REGIONS
    wanted = project or os.environ.get("MP_PROJECT_ID")
    if wanted is not None:
        wanted = _checked(check_project, wanted, "--project" if project else "MP_PROJECT_ID")
    found_region, projects = _probe(entry, regions, base_url)
    chosen = _pick(projects, wanted)
    name = name or _derived_name(chosen)
    with _editing() as raw:
        accounts = raw.setdefault("accounts", {})
        old = accounts.get(name)
        if isinstance(old, dict) and old.get("type", "service_account") != entry["type"]:
            usage(f"account {name!r} is a {old.get('type')} account; pick another --name")
        kept = {k: v for k, v in (old or {}).items() if k not in _CREDENTIAL_KEYS}
        block = {**kept, **entry, "region": found_region}
        block.setdefault("default_project", str(chosen.id))
        accounts[name] = block
        raw.setdefault("active", {})["account"] = name
    typer.echo(f"logged in: account {name} ({entry['type']}, region {found_region}, "
               f"project {block['default_project']})")  # fmt: skip
