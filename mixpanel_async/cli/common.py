"""What every command shares: where to connect, running a workspace call, errors as one line.

Exit codes (also in the README):

    0  success
    1  Mixpanel answered with an error, or could not be reached
    2  bad arguments (rejected before any request)
    3  configuration or credentials (no account, unknown account, authentication refused)
    130 interrupted
"""

from __future__ import annotations

import asyncio
import inspect
import re
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, NoReturn, TypeVar

import attrs
import typer
from typer import _click as click  # typer's own click: its exceptions are not `click`'s
from typer.core import TyperGroup

from mixpanel_async.exceptions import (
    AuthenticationError,
    BookmarkValidationError,
    ConfigError,
    MixpanelAsyncError,
    ParamValidationError,
)
from mixpanel_async.workspace import AsyncWorkspace

T = TypeVar("T")

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_INTERRUPTED = 130

BaseUrl = Annotated[
    str | None,
    typer.Option("--base-url", envvar="MP_API_BASE_URL", help="Send every request here."),
]
ProjectOpt = Annotated[str | None, typer.Option("--project", help="Project id.")]
AccountOpt = Annotated[str | None, typer.Option("--account", help="Account from config.")]
WorkspaceOpt = Annotated[int | None, typer.Option("--workspace", help="Workspace id.")]


@attrs.frozen
class Target:
    """Where a command connects: the connection options every command takes."""

    base_url: str | None = None
    project: str | None = None
    account: str | None = None
    workspace: int | None = None


def connection_parameters() -> list[inspect.Parameter]:
    """The connection options as signature parameters (for commands made at import time)."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    return [
        inspect.Parameter("base_url", keyword, annotation=BaseUrl, default=None),
        inspect.Parameter("project", keyword, annotation=ProjectOpt, default=None),
        inspect.Parameter("account", keyword, annotation=AccountOpt, default=None),
        inspect.Parameter("workspace", keyword, annotation=WorkspaceOpt, default=None),
    ]


def pop_target(values: dict[str, Any]) -> Target:
    """Take the connection options out of a command's parsed values."""
    return Target(
        base_url=values.pop("base_url", None),
        project=values.pop("project", None),
        account=values.pop("account", None),
        workspace=values.pop("workspace", None),
    )


_NO_CREDENTIALS = (
    "no Mixpanel credentials: set MP_USERNAME, MP_SECRET, MP_PROJECT_ID and MP_REGION, "
    "add one with `mixpanel-async account add`, or point --base-url at an emulator"
)
_PASS_KEYWORD = re.compile(r"\bpass (\w+)=(?:True\b)?")
_BODY_FIELD = re.compile(r" @ params\.(\w+)")


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def cli_message(exc: BaseException) -> str:
    """An error's message on one line, in command-line terms (options, not keywords)."""
    text = str(exc)
    if isinstance(exc, ConfigError) and "No Mixpanel credentials configured" in text:
        first = text.split("\n", 1)[0]
        hint = "" if first.startswith("No Mixpanel") else first.rstrip(".") + "; "
        return hint + _NO_CREDENTIALS
    text = _PASS_KEYWORD.sub(lambda m: "use " + _option(m.group(1)), text)
    text = _BODY_FIELD.sub(lambda m: ": " + _option(m.group(1).removeprefix("is_")), text)
    text = text.replace("base_url=", "--base-url").replace("AsyncWorkspace()", "the command")
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def exit_code(exc: BaseException) -> int:
    """The exit code for an error (see the module docstring)."""
    if isinstance(exc, ParamValidationError | BookmarkValidationError):
        return EXIT_USAGE
    if isinstance(exc, ConfigError | AuthenticationError):
        return EXIT_CONFIG
    return EXIT_API


def fail(message: str, code: int) -> NoReturn:
    """Print `error: message` on stderr and exit with `code`."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def usage(message: str) -> NoReturn:
    """Refuse the command's arguments in one line (exit 2)."""
    fail(message, EXIT_USAGE)


def run(work: Callable[[AsyncWorkspace], Awaitable[T]], target: Target) -> T:
    """Run `work` with a workspace for `target`; library errors become one line and an exit
    code."""

    async def main() -> T:
        async with AsyncWorkspace(
            base_url=target.base_url,
            project=target.project,
            account=target.account,
            workspace=target.workspace,
        ) as ws:
            return await work(ws)

    try:
        return asyncio.run(main())
    except MixpanelAsyncError as exc:
        fail(cli_message(exc), exit_code(exc))
    except KeyboardInterrupt:
        fail("interrupted", EXIT_INTERRUPTED)


class OneLineErrors(TyperGroup):
    """The root group: click's own usage errors (a missing or unknown option, a bad choice, an
    unknown command) print one `error:` line and exit 2, like the commands' own refusals."""

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; in standalone mode, errors become one line and an exit code."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            answer = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            if exc.format_message():  # rich help is already printed, plain help is here
                click.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            sys.exit(_click_error(exc))
        except typer.Abort:
            typer.secho("error: interrupted", fg=typer.colors.RED, err=True)
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(answer if isinstance(answer, int) else EXIT_OK)


def _click_error(exc: click.ClickException) -> int:
    """Print a click error as one line (naming the command's help) and return its exit code."""
    message = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    typer.secho(f"error: {message}{hint}", fg=typer.colors.RED, err=True)
    return exc.exit_code
