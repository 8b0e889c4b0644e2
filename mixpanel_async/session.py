"""The seed's `session` namespace: the active account and workspace in the config file.

`show()` reads `[active]`; `use()` changes one or more axes in one write (`project=` goes to
the active account's `default_project`, as the seed keeps it; `target=` applies a saved
target's three axes).
"""

from __future__ import annotations

import attrs

from mixpanel_async import config_edit
from mixpanel_async.config import check_project, check_workspace
from mixpanel_async.exceptions import AccountNotFoundError, ConfigError, ParamValidationError

__all__ = ["ActiveSession", "show", "use"]


@attrs.frozen(kw_only=True)
class ActiveSession:
    """The `[active]` block: the active account and the pinned workspace, if any."""

    account: str | None = None
    workspace: int | None = None


def show() -> ActiveSession:
    """The persisted `[active]` block."""
    active = config_edit.read().get("active", {})
    return ActiveSession(
        account=active.get("account"),
        workspace=check_workspace(active.get("workspace"), "[active].workspace"),
    )


def use(
    *,
    account: str | None = None,
    project: str | None = None,
    workspace: int | None = None,
    target: str | None = None,
) -> None:
    """Change the active account, project and/or workspace in one write.

    Args:
        account: The account to make active (the workspace pin stays, as in the seed;
            `accounts.use()` is the call that drops it).
        project: A project id (digits), written to the active account's `default_project`.
        workspace: A workspace id to pin.
        target: A saved target whose account, project and workspace all become active; not
            combinable with the other arguments.

    Raises:
        ParamValidationError: `target=` with another argument, or a malformed id.
        AccountNotFoundError / ConfigError: an unknown account or target, or `project=` with
            no active account.
    """
    if target is not None:
        if account is not None or project is not None or workspace is not None:
            raise ParamValidationError(
                "target= cannot be combined with account=, project= or workspace=",
                param="target",
            )
        from mixpanel_async import targets

        targets.use(target)
        return
    project_id = _checked(check_project, project, "project")
    workspace_id = _checked(check_workspace, workspace, "workspace")
    with config_edit.editing() as raw:
        accounts = config_edit.section(raw, "accounts")
        active = config_edit.section(raw, "active")
        if account is not None:
            if account not in accounts:
                raise AccountNotFoundError(f"Account {account!r} not found.")
            active["account"] = account
        if workspace_id is not None:
            active["workspace"] = workspace_id
        if project_id is not None:
            name = active.get("account")
            if not name or name not in accounts:
                raise ConfigError("Cannot set project: no active account (pass account= too).")
            accounts[name]["default_project"] = project_id


def _checked(check: object, value: object, param: str) -> object:
    try:
        return check(value, param)  # type: ignore[operator]
    except ConfigError as exc:
        raise ParamValidationError(str(exc), param=param) from None
