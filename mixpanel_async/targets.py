"""The seed's `targets` namespace: saved (account, project, workspace) triples.

A target is `[targets.NAME]` in the config file; `use(name)` makes its account active, writes
its project to that account's `default_project` and pins (or clears) its workspace.
"""

from __future__ import annotations

import builtins
from typing import Any

from mixpanel_async import config_edit
from mixpanel_async.config import check_project, check_workspace
from mixpanel_async.exceptions import AccountNotFoundError, ConfigError, ParamValidationError
from mixpanel_async.seed_types import Target

__all__ = ["add", "list", "remove", "show", "use"]


def _target(name: str, block: Any) -> Target:
    if not isinstance(block, dict):
        raise ConfigError(f"Target {name!r} not found.")
    return Target(
        name=name,
        account=str(block.get("account", "")),
        project=str(block.get("project", "")),
        workspace=check_workspace(block.get("workspace"), f"targets.{name}.workspace"),
    )


def add(name: str, *, account: str, project: str, workspace: int | None = None) -> Target:
    """Save a new target (the account must exist; the name must be new)."""
    if not name or not isinstance(name, str):
        raise ParamValidationError("name must be a non-empty string", param="name")
    try:
        project_id = check_project(project, "project")
        workspace_id = check_workspace(workspace, "workspace")
    except ConfigError as exc:
        raise ParamValidationError(str(exc), param="project/workspace") from None
    if project_id is None:
        raise ParamValidationError("project is required", param="project")
    with config_edit.editing() as raw:
        if account not in raw.get("accounts", {}):
            raise AccountNotFoundError(f"Account {account!r} not found.")
        targets = config_edit.section(raw, "targets")
        if name in targets:
            raise ConfigError(f"Target {name!r} already exists.")
        block: dict[str, Any] = {"account": account, "project": project_id}
        if workspace_id is not None:
            block["workspace"] = workspace_id
        targets[name] = block
    return _target(name, block)


def list() -> builtins.list[Target]:
    """Every saved target, by name."""
    saved = config_edit.read().get("targets", {})
    return [_target(name, saved[name]) for name in sorted(saved)]


def show(name: str) -> Target:
    """One saved target (`ConfigError` when there is none of that name)."""
    return _target(name, config_edit.read().get("targets", {}).get(name))


def remove(name: str) -> None:
    """Delete a saved target."""
    with config_edit.editing() as raw:
        if name not in raw.get("targets", {}):
            raise ConfigError(f"Target {name!r} not found.")
        del raw["targets"][name]


def use(name: str) -> None:
    """Make a target's account, project and workspace the active ones, in one write."""
    with config_edit.editing() as raw:
        target = _target(name, raw.get("targets", {}).get(name))
        account = raw.get("accounts", {}).get(target.account)
        if not isinstance(account, dict):
            raise AccountNotFoundError(
                f"Target {name!r} names account {target.account!r}, which is not configured."
            )
        account["default_project"] = target.project
        active: dict[str, Any] = {"account": target.account}
        if target.workspace is not None:
            active["workspace"] = target.workspace
        raw["active"] = active
