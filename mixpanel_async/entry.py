"""The `mixpanel-async` console script: `mixpanel-async emulator ...` runs from
`mixpanel_async.serve` alone (the emulator answers `/health` without the client or the other
commands being imported); every other command runs the full command line."""

from __future__ import annotations

import sys


def main() -> None:
    """Run `mixpanel-async` with the process's arguments."""
    if sys.argv[1:2] == ["emulator"]:
        import typer

        from mixpanel_async.serve import emulator

        command = typer.Typer(add_completion=False)
        command.command()(emulator)
        command(args=sys.argv[2:], prog_name="mixpanel-async emulator")
        return
    from mixpanel_async.cli import main as full

    full()
