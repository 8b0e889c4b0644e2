"""The seed's `accounts` namespace: accounts in the config file, as Python functions.

The file is the one `AsyncWorkspace` and the `mixpanel-async accounts` command read
(`~/.mp/config.toml`, or `$MP_CONFIG_PATH`), in the seed's layout, so an account added here is
usable by `mixpanel_headless` and the other way round. What needs Mixpanel's browser login
(PKCE: `login`, the browser branch of `login_unified`) raises `OAuthError`: this library does
not run that flow; add a service account or an OAuth token account instead.
"""

from __future__ import annotations

import builtins
import os
import re
import sys
from typing import Any

from mixpanel_async import config_edit
from mixpanel_async.config import (
    OAuthBrowserAccount,
    OAuthTokenAccount,
    account_from_config,
    auth_header,
    check_project,
    check_region,
)
from mixpanel_async.exceptions import (
    AccountExistsError,
    AccountInUseError,
    AccountNotFoundError,
    ConfigError,
    InvalidArgumentError,
    MixpanelAsyncError,
    OAuthError,
    ParamValidationError,
)
from mixpanel_async.seed_types import (
    AccountSummary,
    AccountTestResult,
    AccountType,
    OAuthLoginResult,
)

__all__ = [
    "add", "list", "login", "login_unified", "logout", "remove", "show", "test", "token",
    "update", "use",
]  # fmt: skip

_TYPES = ("service_account", "oauth_token", "oauth_browser")
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_NO_BROWSER_LOGIN = (
    "Mixpanel's browser (PKCE) login is not available in mixpanel-async. Log in once with the "
    "`mp` CLI of mixpanel-headless (its tokens are read from ~/.mp), or add a service account "
    "(type='service_account') or an OAuth token account (type='oauth_token', token_env=...)."
)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    reveal = getattr(value, "get_secret_value", None)
    return str(reveal() if reveal else value)


def _region(value: str | None) -> str:
    try:
        return check_region(value, "region") or "us"
    except ConfigError as exc:
        raise ParamValidationError(str(exc), param="region") from None


def _project(value: str | None) -> str | None:
    try:
        return check_project(value, "default_project")
    except ConfigError as exc:
        raise ParamValidationError(str(exc), param="default_project") from None


def _summary(raw: dict[str, Any], name: str) -> AccountSummary:
    account = account_from_config(name, raw)
    users = sorted(t for t, b in raw.get("targets", {}).items() if b.get("account") == name)
    return AccountSummary(
        name=name,
        type=account.type,
        region=account.region,
        is_active=raw.get("active", {}).get("account") == name,
        referenced_by_targets=users,
        project_id=account.default_project,
    )


def add(
    name: str | None = None,
    *,
    type: AccountType,
    region: str | None = None,
    default_project: str | None = None,
    username: str | None = None,
    secret: Any = None,
    token: Any = None,
    token_env: str | None = None,
    derive_name: bool = False,
) -> AccountSummary:
    """Add an account; the first one added becomes the active account.

    Raises:
        ParamValidationError: a missing or malformed argument, or fields of another type.
        AccountExistsError: an account of that name exists.
    """
    if name is None and derive_name:
        name = (username or token_env or type).split("@")[0].replace(".", "-")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ParamValidationError(
            f"name={name!r}: letters, digits, - and _ only (1-64 characters)", param="name"
        )
    if type not in _TYPES:
        raise ParamValidationError(f"type must be one of {', '.join(_TYPES)}", param="type")
    block: dict[str, Any] = {"type": type, "region": _region(region)}
    project = _project(default_project)
    if project is not None:
        block["default_project"] = project
    secret, token = _text(secret), _text(token)
    if type == "service_account":
        if not username or not secret:
            raise ParamValidationError(
                "a service account needs username and secret", param="username"
            )
        block |= {"username": username, "secret": secret}
    elif type == "oauth_token":
        if bool(token) == bool(token_env):
            raise ParamValidationError("give exactly one of token and token_env", param="token")
        block |= {"token": token} if token else {"token_env": token_env}
    if type != "service_account" and (username or secret):
        raise ParamValidationError(f"username/secret do not apply to {type}", param="username")
    if type != "oauth_token" and (token or token_env):
        raise ParamValidationError(f"token/token_env do not apply to {type}", param="token")
    with config_edit.editing() as raw:
        accounts = config_edit.section(raw, "accounts")
        if name in accounts:
            raise AccountExistsError(name)
        accounts[name] = block
        active = config_edit.section(raw, "active")
        if not active.get("account"):
            active["account"] = name
    return _summary(raw, name)


def update(
    name: str,
    *,
    region: str | None = None,
    default_project: str | None = None,
    username: str | None = None,
    secret: Any = None,
    token: Any = None,
    token_env: str | None = None,
) -> AccountSummary:
    """Change some fields of an account in place (its type stays)."""
    with config_edit.editing() as raw:
        block = raw.get("accounts", {}).get(name)
        if not isinstance(block, dict):
            raise AccountNotFoundError(f"Account {name!r} not found.")
        kind = block.get("type", "service_account")
        if region is not None:
            block["region"] = _region(region)
        if default_project is not None:
            block["default_project"] = _project(default_project)
        for key, value, for_type in (
            ("username", username, "service_account"),
            ("secret", _text(secret), "service_account"),
            ("token", _text(token), "oauth_token"),
            ("token_env", token_env, "oauth_token"),
        ):
            if value is None:
                continue
            if kind != for_type:
                raise ParamValidationError(f"{key} does not apply to a {kind} account", param=key)
            if key in ("token", "token_env"):
                block.pop("token_env" if key == "token" else "token", None)
            block[key] = value
        account_from_config(name, raw)  # still complete and valid
    return _summary(raw, name)


def list() -> builtins.list[AccountSummary]:
    """Every configured account, by name."""
    raw = config_edit.read()
    return [_summary(raw, name) for name in sorted(raw.get("accounts", {}))]


def _named(raw: dict[str, Any], name: str | None) -> str:
    name = name or raw.get("active", {}).get("account")
    if not name:
        raise ConfigError("No active account configured.")
    return str(name)


def show(name: str | None = None) -> AccountSummary:
    """One account (the active one by default)."""
    raw = config_edit.read()
    return _summary(raw, _named(raw, name))


def use(name: str) -> None:
    """Make an account the active one (dropping the workspace pin)."""
    with config_edit.editing() as raw:
        if name not in raw.get("accounts", {}):
            raise AccountNotFoundError(f"Account {name!r} not found.")
        config_edit.section(raw, "active").pop("workspace", None)
        raw["active"]["account"] = name


def remove(name: str, *, force: bool = False) -> builtins.list[str]:
    """Delete an account; returns the targets left naming it (refused without `force`)."""
    with config_edit.editing() as raw:
        if name not in raw.get("accounts", {}):
            raise AccountNotFoundError(f"Account {name!r} not found.")
        users = sorted(t for t, b in raw.get("targets", {}).items() if b.get("account") == name)
        if users and not force:
            raise AccountInUseError(name, users)
        del raw["accounts"][name]
        if raw.get("active", {}).get("account") == name:
            raw["active"].pop("account", None)
            raw["active"].pop("workspace", None)
    return users


def token(name: str | None = None) -> str | None:
    """The bearer token of an OAuth account (None for a service account)."""
    raw = config_edit.read()
    account = account_from_config(_named(raw, name), raw)
    if not isinstance(account, OAuthTokenAccount | OAuthBrowserAccount):
        return None
    return auth_header(account).removeprefix("Bearer ")


def test(name: str | None = None) -> AccountTestResult:  # noqa: PT028 - the seed's name
    """Ask Mixpanel (or `$MP_API_BASE_URL`) who the account is; never raises for a refusal."""
    from mixpanel_async.sync_workspace import Workspace

    name = _named(config_edit.read(), name)
    try:
        with Workspace(account=name) as ws:
            me = ws.me()
    except MixpanelAsyncError as exc:
        return AccountTestResult(
            account_name=name, ok=False, error=exc.message, error_code=exc.code,
            error_details=exc.details or None,
        )  # fmt: skip
    user = {"id": me.user_id, "email": me.user_email} if me.user_id is not None else None
    projects = len(me.projects or {})
    return AccountTestResult(
        account_name=name, ok=True, user=user, accessible_project_count=projects
    )


def login(name: str, *, open_browser: bool = True) -> OAuthLoginResult:
    """The seed's browser login: not available here (raises `OAuthError`)."""
    raise OAuthError(_NO_BROWSER_LOGIN, details={"account_name": name})


def logout(name: str) -> None:
    """Delete the stored browser-login tokens of an account, if any."""
    raw = config_edit.read()
    account_from_config(name, raw)
    tokens = config_edit.path().parent / "accounts" / name / "tokens.json"
    tokens.unlink(missing_ok=True)


def login_unified(
    *,
    name: str | None = None,
    region: str | None = None,
    project: str | None = None,
    account_type: AccountType | None = None,
    no_browser: bool = False,
    secret_stdin: bool = False,
    token_env: str | None = None,
    service_account: bool = False,
    project_picker: Any = None,
    progress: Any = None,
) -> AccountSummary:
    """Add (or update) and activate an account in one call, choosing its kind as the seed does.

    The kind: `account_type`, else `service_account=True`, else `token_env` (an OAuth token
    account), else `MP_USERNAME`+`MP_SECRET` (a service account; `secret_stdin` reads the secret
    from standard input), else `MP_OAUTH_TOKEN`, else a browser login — which raises
    `OAuthError` here.

    Raises:
        InvalidArgumentError: flags that do not go together (`violation` says which).
        OAuthError: the browser login would be needed.
    """
    if service_account:
        if account_type not in (None, "service_account"):
            raise InvalidArgumentError(
                f"service_account=True conflicts with account_type={account_type!r}",
                violation="mutually_exclusive", detected_auth_type=account_type,
            )  # fmt: skip
        if token_env is not None:
            raise InvalidArgumentError(
                "service_account=True and token_env= are mutually exclusive: pick one",
                violation="mutually_exclusive", detected_auth_type="service_account",
            )  # fmt: skip
        account_type = "service_account"
    kind: AccountType = account_type or (
        "oauth_token"
        if token_env is not None
        else "service_account"
        if os.environ.get("MP_USERNAME") and os.environ.get("MP_SECRET")
        else "oauth_token"
        if os.environ.get("MP_OAUTH_TOKEN")
        else "oauth_browser"
    )
    if no_browser and kind != "oauth_browser":
        raise InvalidArgumentError(
            f"no_browser=True applies only to a browser login; the account would be {kind}",
            violation="no_browser_misuse", detected_auth_type=kind,
        )  # fmt: skip
    if secret_stdin and kind != "service_account":
        raise InvalidArgumentError(
            f"secret_stdin=True applies only to a service account; the account would be {kind}",
            violation="secret_stdin_misuse", detected_auth_type=kind,
        )  # fmt: skip
    if kind == "oauth_browser":
        raise OAuthError(_NO_BROWSER_LOGIN)
    fields: dict[str, Any] = {"region": region, "default_project": project}
    if kind == "service_account":
        secret = sys.stdin.readline().strip() if secret_stdin else os.environ.get("MP_SECRET")
        fields |= {"username": os.environ.get("MP_USERNAME"), "secret": secret}
        default_name = "service-account"
    elif token_env is not None:
        fields["token_env"] = token_env
        default_name = "oauth-token"
    else:
        fields["token_env"] = "MP_OAUTH_TOKEN"
        default_name = "oauth-token"
    name = name or default_name
    if name in config_edit.read().get("accounts", {}):
        summary = update(name, **{k: v for k, v in fields.items() if v is not None})
    else:
        summary = add(name, type=kind, **fields)
    use(name)
    return _summary(config_edit.read(), summary.name)
