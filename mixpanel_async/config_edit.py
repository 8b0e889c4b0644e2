"""Reading and rewriting the config file (`~/.mp/config.toml` or `$MP_CONFIG_PATH`) as a whole.

Shared by the `accounts`, `targets` and `session` namespaces: a change is made on the parsed
file and written back at once (a temporary file renamed over it, readable by its owner only),
so a failed change leaves the file as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomli_w

from mixpanel_async.config import config_path, load_config


def path() -> Path:
    """Where the config file is."""
    return config_path(os.environ)


def read() -> dict[str, Any]:
    """The parsed config file (`{}` when there is none)."""
    return load_config(path())


def write(raw: dict[str, Any]) -> None:
    """Replace the whole file with `raw`, atomically, owner-only."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_private(target, tomli_w.dumps(raw).encode())


def write_private(target: Path, data: bytes) -> None:
    """Write `data` at `target` at once (a temporary file renamed over it), readable by its
    owner only; a reader never sees half of it, and a failed write leaves the old file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-")
    try:
        with os.fdopen(handle, "wb") as sink:
            sink.write(data)
        os.chmod(temporary, stat.S_IRUSR | stat.S_IWUSR)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def editing() -> Iterator[dict[str, Any]]:
    """The parsed file, written back only when the block succeeds."""
    raw = read()
    yield raw
    write(raw)


def section(raw: dict[str, Any], name: str) -> dict[str, Any]:
    """A top-level table of the file, created empty when missing."""
    table = raw.setdefault(name, {})
    if not isinstance(table, dict):
        raise TypeError(f"[{name}] in {path()} is not a table")
    return table
