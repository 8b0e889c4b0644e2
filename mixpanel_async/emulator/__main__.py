"""`python -m mixpanel_async.emulator`: the same flags as `mixpanel-async emulator`."""

import typer

from mixpanel_async.serve import emulator

if __name__ == "__main__":
    typer.run(emulator)
