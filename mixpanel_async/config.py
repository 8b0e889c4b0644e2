"""Credentials and accounts: keyword arguments, environment variables and the config file.

Compatible with `mixpanel-headless`: the same variables (`MP_USERNAME`, `MP_SECRET`,
`MP_PROJECT_ID`, `MP_REGION`, `MP_OAUTH_TOKEN`, `MP_WORKSPACE_ID`, `MP_CONFIG_PATH`, ...) and the
same TOML file (`~/.mp/config.toml`: `[active]`, `[accounts.NAME]`, `[targets.NAME]`,
`[settings]`), resolved in the same order, so its users switch without reconfiguring.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import attrs
import orjson

from mixpanel_async.exceptions import AccountNotFoundError, ConfigError

Region = Literal["us", "eu", "in"]
REGIONS: tuple[Region, ...] = ("us", "eu", "in")
_DIGITS = re.compile(r"^\d+$")

NO_ACCOUNT_MESSAGE = """No Mixpanel credentials configured.

Set one of:
  - MP_USERNAME, MP_SECRET, MP_PROJECT_ID and MP_REGION (a service account)
  - MP_OAUTH_TOKEN, MP_PROJECT_ID and MP_REGION (an OAuth token)
  - an account in ~/.mp/config.toml (or MP_CONFIG_PATH), chosen by account=, target= or [active]
or pass username=, secret= and project= (or oauth_token=) to AsyncWorkspace(),
or base_url= pointing at a local emulator (`mixpanel-async emulator`)."""


class Secret:
    """A string that never shows itself in `repr`, `str`, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        """The secret itself (never shown by `repr` or `str`)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def _secret(value: str | Secret) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


@attrs.frozen
class ServiceAccount:
    """A service account: Basic auth with username and secret."""

    name: str
    region: Region
    username: str
    secret: Secret = attrs.field(converter=_secret)
    default_project: str | None = None
    type: Literal["service_account"] = "service_account"


@attrs.frozen
class OAuthTokenAccount:
    """A static OAuth bearer token, given directly or read from an environment variable."""

    name: str
    region: Region
    token: Secret | None = attrs.field(default=None, converter=attrs.converters.optional(_secret))
    token_env: str | None = None
    default_project: str | None = None
    type: Literal["oauth_token"] = "oauth_token"


@attrs.frozen
class OAuthBrowserAccount:
    """A browser (PKCE) login made with the `mp` CLI; its token is read from the token store."""

    name: str
    region: Region
    default_project: str | None = None
    type: Literal["oauth_browser"] = "oauth_browser"


Account = ServiceAccount | OAuthTokenAccount | OAuthBrowserAccount


@attrs.frozen
class Project:
    """The project a workspace talks to."""

    id: str
    name: str | None = None
    organization_id: int | None = None
    timezone: str | None = None


@attrs.frozen
class WorkspaceRef:
    """A Mixpanel workspace (a view on a project)."""

    id: int
    name: str | None = None
    is_default: bool | None = None
    project_id: str | None = None


def _read_only(headers: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(headers))


@attrs.frozen
class Session:
    """Who we are and where we point: account, project, optional workspace, extra headers."""

    account: Account
    project: Project
    workspace: WorkspaceRef | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=_read_only)

    @property
    def project_id(self) -> str:
        """The project's id (digits)."""
        return self.project.id

    @property
    def workspace_id(self) -> int | None:
        """The pinned workspace id, if any."""
        return self.workspace.id if self.workspace else None

    @property
    def region(self) -> Region:
        """The account's data residency region."""
        return self.account.region

    def replace(self, **changes: Any) -> Session:
        """A copy with some fields changed."""
        return attrs.evolve(self, **changes)


def auth_header(account: Account, env: Mapping[str, str] | None = None) -> str:
    """The `Authorization` header value for an account (read at request time for tokens)."""
    import base64

    env = os.environ if env is None else env
    if isinstance(account, ServiceAccount):
        raw = f"{account.username}:{account.secret.get_secret_value()}".encode()
        return "Basic " + base64.b64encode(raw).decode()
    if isinstance(account, OAuthTokenAccount):
        if account.token is not None:
            return "Bearer " + account.token.get_secret_value()
        value = env.get(account.token_env or "")
        if not value:
            raise ConfigError(
                f"account {account.name!r} reads its token from "
                f"${account.token_env}, which is not set"
            )
        return "Bearer " + value
    token_file = storage_dir(env) / "accounts" / account.name / "tokens.json"
    try:
        tokens = orjson.loads(token_file.read_bytes())
        return "Bearer " + str(tokens["access_token"])
    except (OSError, KeyError, orjson.JSONDecodeError):
        raise ConfigError(
            f"no OAuth token stored for account {account.name!r}; "
            f"log in with `mp account login {account.name}`"
        ) from None


def storage_dir(env: Mapping[str, str]) -> Path:
    """Where credentials and caches live (`MP_STORAGE_DIR`, else `~/.mp`)."""
    root = env.get("MP_STORAGE_DIR") or env.get("MP_OAUTH_STORAGE_DIR")
    return Path(root) if root else Path.home() / ".mp"


def config_path(env: Mapping[str, str]) -> Path:
    """The config file (`MP_CONFIG_PATH`, else `~/.mp/config.toml`)."""
    path = env.get("MP_CONFIG_PATH")
    return Path(path) if path else Path.home() / ".mp" / "config.toml"


def load_config(path: Path) -> dict[str, Any]:
    """The parsed config file, or `{}` when there is none."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def check_region(value: str | None, source: str) -> Region | None:
    """A region name (`us`, `eu`, `in`) or None; `ConfigError` naming `source` otherwise."""
    if value in (None, ""):
        return None
    for region in REGIONS:
        if value == region:
            return region
    raise ConfigError(f"{source}={value!r} is not one of {sorted(REGIONS)}.")


def check_project(value: str | int | None, source: str) -> str | None:
    """A project id as a digit string, or None; `ConfigError` naming `source` otherwise."""
    if value is None or value == "":
        return None
    text = str(value)
    if not _DIGITS.match(text):
        raise ConfigError(f"{source}={value!r} must be a digit string (a Mixpanel project id).")
    return text


def check_workspace(value: str | int | None, source: str) -> int | None:
    """A workspace id as a positive int, or None; `ConfigError` naming `source` otherwise."""
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number <= 0:
        raise ConfigError(f"{source}={value!r} is not a positive integer.")
    return number


def account_from_config(name: str, config: Mapping[str, Any]) -> Account:
    """Build the named `[accounts.NAME]` entry."""
    entry = config.get("accounts", {}).get(name)
    if not isinstance(entry, dict):
        available = ", ".join(sorted(config.get("accounts", {}))) or "none"
        raise AccountNotFoundError(f"Account {name!r} not found (configured: {available}).")
    region = check_region(entry.get("region", "us"), f"accounts.{name}.region") or "us"
    project = check_project(entry.get("default_project"), f"accounts.{name}.default_project")
    kind = entry.get("type", "service_account")
    if kind == "service_account":
        if not entry.get("username") or not entry.get("secret"):
            raise ConfigError(f"accounts.{name} needs username and secret")
        return ServiceAccount(name, region, entry["username"], entry["secret"], project)
    if kind == "oauth_token":
        if bool(entry.get("token")) == bool(entry.get("token_env")):
            raise ConfigError(f"accounts.{name} needs exactly one of token or token_env")
        return OAuthTokenAccount(name, region, entry.get("token"), entry.get("token_env"), project)
    if kind == "oauth_browser":
        return OAuthBrowserAccount(name, region, project)
    raise ConfigError(
        f"accounts.{name}.type={kind!r} is not one of service_account, oauth_token, oauth_browser"
    )


_ENV_SETS = (
    ("a service account", ("MP_USERNAME", "MP_SECRET", "MP_PROJECT_ID", "MP_REGION")),
    ("an OAuth token", ("MP_OAUTH_TOKEN", "MP_PROJECT_ID", "MP_REGION")),
)


def _partial_env_hint(env: Mapping[str, str]) -> str:
    """A first line naming what is missing when credentials are half set in the environment
    (e.g. everything but `MP_REGION`), else nothing."""
    for kind, names in _ENV_SETS:
        if not env.get(names[0]):
            continue
        missing = [n for n in names if not env.get(n)]
        if missing:
            return (
                f"{', '.join(n for n in names if env.get(n))} set for {kind}, but "
                f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not.\n"
            )
    return ""


def resolve_session(
    *,
    account: str | None = None,
    project: str | int | None = None,
    workspace: int | None = None,
    target: str | None = None,
    username: str | None = None,
    secret: str | None = None,
    oauth_token: str | None = None,
    region: str | None = None,
    env: Mapping[str, str] | None = None,
    anonymous: bool = False,
) -> Session:
    """Resolve account, project and workspace independently, in the peer's order.

    Account: explicit credentials (`username`/`secret` or `oauth_token`) → the environment's
    service account (`MP_USERNAME`, `MP_SECRET`, `MP_PROJECT_ID`, `MP_REGION`) → its OAuth token
    (`MP_OAUTH_TOKEN`, `MP_PROJECT_ID`, `MP_REGION`) → `account=` → the target's account →
    `[active].account`. Project: `MP_PROJECT_ID` → `project=` → target → the account's default.
    Workspace: `MP_WORKSPACE_ID` → `workspace=` → target → `[active].workspace` → none (resolved
    lazily). With `anonymous=True` (a loopback emulator) a missing account is not an error.
    """
    env = os.environ if env is None else env
    if target is not None and (account or project or workspace):
        from mixpanel_async.exceptions import ParamValidationError

        raise ParamValidationError(
            "target= cannot be combined with account=, project= or workspace=",
            param="target",
            code="WS1_TARGET_MUTUALLY_EXCLUSIVE",
        )
    env_region = check_region(env.get("MP_REGION"), "MP_REGION")
    env_project = check_project(env.get("MP_PROJECT_ID"), "MP_PROJECT_ID")
    env_workspace = check_workspace(env.get("MP_WORKSPACE_ID"), "MP_WORKSPACE_ID")
    kw_region = check_region(region, "region")
    kw_project = check_project(project, "project")
    kw_workspace = check_workspace(workspace, "workspace")

    config: dict[str, Any] | None = None

    def cfg() -> dict[str, Any]:
        nonlocal config
        if config is None:
            config = load_config(config_path(env))
        return config

    target_entry: dict[str, Any] = {}
    if target is not None:
        entry = cfg().get("targets", {}).get(target)
        if not isinstance(entry, dict):
            raise ConfigError(f"Target {target!r} not found.")
        target_entry = entry

    acct: Account | None = None
    the_region: Region = kw_region or env_region or "us"
    if username or secret:
        if not (username and secret):
            raise ConfigError("pass both username= and secret= for a service account")
        acct = ServiceAccount("explicit", the_region, username, secret)
    elif oauth_token:
        acct = OAuthTokenAccount("explicit", the_region, token=oauth_token)
    elif env.get("MP_USERNAME") and env.get("MP_SECRET") and env_project and env_region:
        acct = ServiceAccount(
            "env-service-account", env_region, env["MP_USERNAME"], env["MP_SECRET"]
        )
    elif env.get("MP_OAUTH_TOKEN") and env_project and env_region:
        acct = OAuthTokenAccount("env-oauth-token", env_region, token=env["MP_OAUTH_TOKEN"])
    else:
        name = account or target_entry.get("account") or cfg().get("active", {}).get("account")
        if name:
            acct = account_from_config(str(name), cfg())
    if acct is None:
        if not anonymous:
            raise ConfigError(_partial_env_hint(env) + NO_ACCOUNT_MESSAGE)
        acct = ServiceAccount("emulator", the_region, "emulator", "emulator", "1")

    project_id = (
        env_project
        or kw_project
        or check_project(target_entry.get("project"), f"targets.{target}.project")
        or acct.default_project
    )
    if project_id is None:
        raise ConfigError(
            f"No project configured for account {acct.name!r}: set MP_PROJECT_ID or pass project=."
        )
    workspace_id = (
        env_workspace
        or kw_workspace
        or check_workspace(target_entry.get("workspace"), f"targets.{target}.workspace")
    )
    if workspace_id is None:
        active = cfg().get("active", {})
        workspace_id = check_workspace(active.get("workspace"), "[active].workspace")
    headers: dict[str, str] = {}
    custom = cfg().get("settings", {}).get("custom_header")
    if isinstance(custom, dict):
        if not isinstance(custom.get("name"), str) or not isinstance(custom.get("value"), str):
            raise ConfigError("[settings].custom_header needs string name and value")
        headers[custom["name"]] = custom["value"]
    ws_ref = WorkspaceRef(workspace_id, project_id=project_id) if workspace_id else None
    return Session(account=acct, project=Project(project_id), workspace=ws_ref, headers=headers)
