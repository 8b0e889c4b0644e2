"""`python -m mixpanel_async.emulator` takes the console script's fast path: importing the
package loads none of the emulator (its names load on first use), so the command binds and
answers `/health` before the emulator is built, and then serves."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import orjson

import mixpanel_async.emulator
from mixpanel_async.emulator.server import Emulator as DeclaredEmulator
from tests.helpers import fresh_python


def test_importing_the_package_loads_none_of_the_emulator() -> None:
    code = (
        "import sys, mixpanel_async.emulator\n"
        "heavy = ('polars', 'pyarrow', 'aiohttp', 'mixpanel_async.emulator.',"
        " 'mixpanel_async.workspace')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    assert fresh_python(code) == "[]"


def test_the_package_names_resolve_to_their_modules() -> None:
    assert mixpanel_async.emulator.Emulator is DeclaredEmulator
    for name in mixpanel_async.emulator.__all__:
        assert getattr(mixpanel_async.emulator, name) is not None, name
    assert callable(mixpanel_async.emulator.projects_from_env)


def _get(url: str) -> tuple[int, bytes] | None:
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            return answer.status, answer.read()
    except (urllib.error.URLError, ConnectionError):
        return None


def test_the_module_entry_point_serves_after_health(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path / "out.txt").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mixpanel_async.emulator", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "MIXPANEL_TOKEN": ""},
    )
    try:
        for _ in range(6000):
            if _get(f"http://127.0.0.1:{port}/health") is not None:
                break
            time.sleep(0.01)
        root = _get(f"http://127.0.0.1:{port}/")
        assert root is not None
        assert root[0] == 200
        assert orjson.loads(root[1])["mode"] == "open"
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
    out = (tmp_path / "out.txt").read_text()
    assert f"Mixpanel emulator on http://127.0.0.1:{port} (open)" in out
    assert proc.returncode == 0
