"""`mixpanel-async`: the command line (typer).

mixpanel-async demo                      # the demo, on an embedded emulator
mixpanel-async emulator --seed demo      # a local Mixpanel on port 4808
mixpanel-async export events --from 2024-01-01 --to 2024-01-31 --out events.parquet
mixpanel-async import events events.ndjson
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from mixpanel_async.cli.accounts import accounts_app, config_app
from mixpanel_async.cli.common import OneLineErrors
from mixpanel_async.cli.data import export_app, import_app
from mixpanel_async.cli.login import login
from mixpanel_async.cli.query import inspect_app, query_app
from mixpanel_async.cli.reference import help_command
from mixpanel_async.cli.registry import api, family_apps
from mixpanel_async.cli.targets import project_app, session_app, target_app, workspace_app
from mixpanel_async.serve import emulator

app = typer.Typer(
    cls=OneLineErrors,
    add_completion=True,
    no_args_is_help=True,
    help="Async Mixpanel client and local Mixpanel emulator.",
)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")
app.add_typer(query_app, name="query")
app.add_typer(inspect_app, name="inspect")
app.add_typer(accounts_app, name="account")
app.add_typer(accounts_app, name="accounts", hidden=True)
app.add_typer(config_app, name="config")
app.add_typer(project_app, name="project")
app.add_typer(workspace_app, name="workspace")
app.add_typer(target_app, name="target")
app.add_typer(session_app, name="session")
app.command("api")(api)
app.command("login")(login)
app.command("help")(help_command)
for _name, _family_app, _hidden in family_apps():
    app.add_typer(_family_app, name=_name, hidden=_hidden)


def _print_version(value: bool) -> None:
    if value:
        from mixpanel_async._version import __version__

        typer.echo(f"mixpanel-async {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = None,
) -> None:
    """Async Mixpanel client and local Mixpanel emulator."""


app.command()(emulator)  # defined in `mixpanel_async.serve`, importable on its own


@app.command()
def demo() -> None:
    """Start an embedded emulator with demo data and use the client against it."""
    from mixpanel_async.cli.demo import run

    asyncio.run(run())


def main() -> None:
    """Run the `mixpanel-async` command line."""
    app()


if __name__ == "__main__":
    main()
