"""`mixpanel-async target|project|workspace|session ...`: the active session in the config file.

As in `mp`: `[targets.NAME]` saves an (account, project, workspace) triple; `target use` makes it
the active session (the account active, its `default_project` the target's project, the
workspace pinned or cleared); `project use` changes the active account's `default_project`;
`workspace use` pins `[active].workspace`.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from mixpanel_async.cli.accounts import _checked, _editing, _read, _usage
from mixpanel_async.cli.common import EXIT_CONFIG, AccountOpt, BaseUrl, Target, fail, run
from mixpanel_async.cli.output import FormatOpt, JqOpt, OutOpt, check_output, columns_of, emit
from mixpanel_async.cli.signature import add_method_command
from mixpanel_async.config import WorkspaceRef, check_project, check_workspace

target_app = typer.Typer(no_args_is_help=True, help="Saved (account, project, workspace) triples.")
project_app = typer.Typer(no_args_is_help=True, help="Projects, and the active one.")
workspace_app = typer.Typer(no_args_is_help=True, help="Workspaces, and the active one.")
session_app = typer.Typer(no_args_is_help=True, help="The active account, project, workspace.")

add_method_command(project_app, "list", "projects")

Name = Annotated[str, typer.Argument(help="Target name.")]


def _active_account(raw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    name = raw.get("active", {}).get("account")
    block = raw.get("accounts", {}).get(name) if name else None
    if not isinstance(block, dict):
        fail("no active account; add one with `mixpanel-async account add`", EXIT_CONFIG)
    return str(name), block


def _session(raw: dict[str, Any]) -> dict[str, Any]:
    active = raw.get("active", {})
    account = active.get("account")
    block = raw.get("accounts", {}).get(account, {}) if account else {}
    return {
        "account": account,
        "project": block.get("default_project"),
        "workspace": active.get("workspace"),
    }


@target_app.command("add")
def add_target(
    name: Name,
    account: Annotated[str, typer.Option("--account", "-a", help="A configured account.")],
    project: Annotated[str, typer.Option("--project", "-p", help="Project id.")],
    workspace: Annotated[
        int | None, typer.Option("--workspace", "-w", help="Workspace id.")
    ] = None,
) -> None:
    """Save a target."""
    with _editing() as raw:
        if account not in raw.get("accounts", {}):
            _usage(f"no account {account!r}")
        targets = raw.setdefault("targets", {})
        if name in targets:
            _usage(f"target {name!r} exists")
        block: dict[str, Any] = {
            "account": account,
            "project": _checked(check_project, project, "--project"),
        }
        if workspace is not None:
            block["workspace"] = _checked(check_workspace, workspace, "--workspace")
        targets[name] = block
    typer.echo(f"added target {name!r}", err=True)


@target_app.command("use")
def use_target(name: Name) -> None:
    """Make a target the active session."""
    with _editing() as raw:
        block = raw.get("targets", {}).get(name)
        if not isinstance(block, dict):
            _usage(f"no target {name!r}")
        account = raw.get("accounts", {}).get(block.get("account"))
        if not isinstance(account, dict):
            _usage(f"target {name!r} names account {block.get('account')!r}, which is gone")
        account["default_project"] = block["project"]
        raw["active"] = {"account": block["account"]}
        if block.get("workspace") is not None:
            raw["active"]["workspace"] = block["workspace"]
    typer.echo(f"active target: {name}", err=True)


@target_app.command("list")
def list_targets(fmt: FormatOpt = "table", jq: JqOpt = None, out: OutOpt = None) -> None:
    """The saved targets."""
    rows = [{"name": n, **b} for n, b in sorted(_read().get("targets", {}).items())]
    emit(rows, fmt, jq, out, ("name", "account", "project", "workspace"))


@target_app.command("show")
def show_target(name: Name, fmt: FormatOpt = "json", jq: JqOpt = None, out: OutOpt = None) -> None:
    """One target."""
    block = _read().get("targets", {}).get(name)
    if not isinstance(block, dict):
        _usage(f"no target {name!r}")
    emit({"name": name, **block}, fmt, jq, out)


@target_app.command("remove")
def remove_target(
    name: Name,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Accepted for mp's scripts: nothing asks here.")
    ] = False,
) -> None:
    """Remove a target (without asking)."""
    with _editing() as raw:
        if name not in raw.get("targets", {}):
            _usage(f"no target {name!r}")
        del raw["targets"][name]
    typer.echo(f"removed target {name!r}", err=True)


@project_app.command("use")
def use_project(project_id: Annotated[str, typer.Argument(help="Project id.")]) -> None:
    """Make a project the active account's default project."""
    with _editing() as raw:
        _, block = _active_account(raw)
        block["default_project"] = _checked(check_project, project_id, "PROJECT_ID")
    typer.echo(f"active project: {project_id}", err=True)


@project_app.command("show")
def show_project() -> None:
    """The active project id."""
    typer.echo(_session(_read())["project"] or "none")


@workspace_app.command("list")
def list_workspaces(
    project: Annotated[
        str | None, typer.Option("--project", "-p", help="Project id (default: the active one).")
    ] = None,
    refresh: Annotated[bool, typer.Option("--refresh", help="Ask Mixpanel again.")] = False,
    fmt: FormatOpt = "table",
    jq: JqOpt = None,
    out: OutOpt = None,
    base_url: BaseUrl = None,
    account: AccountOpt = None,
) -> None:
    """The workspaces of a project."""
    check_output(fmt, jq, out)
    target = Target(base_url=base_url, project=project, account=account)
    emit(
        run(lambda ws: ws.workspaces(refresh=refresh), target),
        fmt,
        jq,
        out,
        columns_of(list[WorkspaceRef]),
    )


@workspace_app.command("use")
def use_workspace(workspace_id: Annotated[int, typer.Argument(help="Workspace id.")]) -> None:
    """Pin a workspace (`[active].workspace`)."""
    with _editing() as raw:
        raw.setdefault("active", {})["workspace"] = _checked(
            check_workspace, workspace_id, "WORKSPACE_ID"
        )
    typer.echo(f"active workspace: {workspace_id}", err=True)


@workspace_app.command("show")
def show_workspace() -> None:
    """The pinned workspace id."""
    typer.echo(_session(_read())["workspace"] or "none")


@session_app.command("show")
def show_session(fmt: FormatOpt = "json", jq: JqOpt = None, out: OutOpt = None) -> None:
    """The active account, project and workspace from the config file."""
    emit(_session(_read()), fmt, jq, out)
