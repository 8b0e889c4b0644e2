"""`mixpanel-async`: the command line (typer).

mixpanel-async demo                      # the demo, on an embedded emulator
mixpanel-async emulator --seed demo      # a local Mixpanel on port 4808
mixpanel-async export events --from 2024-01-01 --to 2024-01-31 --out events.parquet
mixpanel-async import events events.ndjson
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from pathlib import Path
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
from mixpanel_async.emulator import DEFAULT_PORT, Emulator, projects_from_env

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


@app.command()
def emulator(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = DEFAULT_PORT,
    seed: Annotated[str, typer.Option(help="Initial data: demo or empty.")] = "empty",
    strict_auth: Annotated[
        bool, typer.Option("--strict-auth", help="Accept only the configured credentials.")
    ] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            help="Keep state here: a write-ahead log of every acknowledged write plus Parquet "
            "snapshots (compacted periodically and on shutdown), read back on start."
        ),
    ] = None,
    project: Annotated[
        list[str] | None,
        typer.Option(help="Declare a project ID[:TOKEN[:SECRET]] (repeatable); none = open mode."),
    ] = None,
    admin_token: Annotated[
        str | None,
        typer.Option(
            envvar="MP_EMULATOR_ADMIN_TOKEN",
            help="With --strict-auth, the bearer token the /__emulator/ admin routes require.",
        ),
    ] = None,
    fsync: Annotated[
        str,
        typer.Option(
            help="With --data-dir: 'always' syncs the log to disk before answering a write "
            "(group commit), 'interval' answers once it is written (it survives the process "
            "being killed) and syncs every second, 'never' leaves syncing to the OS."
        ),
    ] = "interval",
    checkpoint_interval: Annotated[
        float,
        typer.Option(help="With --data-dir: seconds between compactions of the log into Parquet."),
    ] = 300.0,
    tls: Annotated[
        bool, typer.Option("--tls", help="Serve HTTPS with a certificate from a local CA.")
    ] = False,
    tls_cert: Annotated[
        Path | None, typer.Option(help="Serve HTTPS with this certificate (PEM; with --tls-key).")
    ] = None,
    tls_key: Annotated[Path | None, typer.Option(help="The private key of --tls-cert.")] = None,
    tls_dir: Annotated[
        Path | None,
        typer.Option(help="Where the local CA is kept (default: ~/.cache/mixpanel-async/tls)."),
    ] = None,
    rate_limits: Annotated[
        bool,
        typer.Option("--rate-limits", help="Enforce Mixpanel's rate limits (429 + Retry-After)."),
    ] = False,
) -> None:
    """Run the emulator until interrupted."""
    if seed not in ("demo", "empty"):
        raise typer.BadParameter("use demo or empty", param_hint="--seed")
    specs = list(project or []) or projects_from_env(os.environ)
    accounts = {}
    if os.environ.get("MP_USERNAME") and os.environ.get("MP_SECRET"):
        accounts[os.environ["MP_USERNAME"]] = os.environ["MP_SECRET"]
    try:
        emu = Emulator(
            host=host,
            port=port,
            projects=specs,
            strict_auth=strict_auth,
            service_accounts=accounts,
            seed=None if seed == "empty" else seed,
            data_dir=data_dir,
            admin_token=admin_token,
            fsync=fsync,
            checkpoint_interval=checkpoint_interval,
            tls=tls,
            tls_dir=tls_dir,
            tls_cert=tls_cert,
            tls_key=tls_key,
            rate_limits=rate_limits,
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    _listen(emu)


def _listen(emu: Emulator) -> None:
    """Serve until interrupted; an address that cannot be bound, or a `--data-dir` that cannot
    be loaded, is one line and exit 1."""
    from mixpanel_async.emulator.wal import PersistenceError

    try:
        asyncio.run(_serve(emu))
    except PersistenceError as exc:
        typer.secho(f"error: cannot load --data-dir: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        typer.secho(
            f"error: cannot listen on {emu.host}:{emu.port}: {reason}; "
            "pick another --port (0 picks a free one)",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(1) from None


async def _serve(emu: Emulator) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)
    for sig in signals:  # both stop cleanly (and save a --data-dir)
        loop.add_signal_handler(sig, stop.set)
    try:
        async with emu:
            mode = "open" if emu.state.open else f"projects {', '.join(emu.state.projects)}"
            typer.echo(
                f"Mixpanel emulator on {emu.url} ({mode}); point clients at it with "
                f"MP_API_BASE_URL={emu.url}"
            )
            if emu.ca_path is not None:
                typer.echo(
                    f"TLS: trust the CA in {emu.ca_path} (also at {emu.url}/__emulator/ca.pem):"
                )
                for name, value in emu.tls_env().items():
                    typer.echo(f"  export {name}={value}")
            with contextlib.suppress(asyncio.CancelledError):  # cancelled: stop as cleanly
                await stop.wait()
            typer.echo("stopping" + (f"; saving {emu.data_dir}" if emu.data_dir else ""))
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


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
