"""Start-up, each in fresh processes, best of `repeat` (wall time from launch, interpreter start
included):

- imports: `import mixpanel_async` (target <= 0.2 s), `from mixpanel_async import
  AsyncWorkspace` (target <= 0.2 s), beside `python -c pass` and the peer's `import
  mixpanel_headless`;
- a first call: import, open an `AsyncWorkspace` and `await ws.events()` against a running
  emulator, in a fresh process (what a short script pays before its first answer);
- the emulator: `mixpanel-async emulator` (empty seed) answering `/health` (target <= 0.4 s),
  and its first answer to a real request (`GET /`, held until the emulator has loaded); beside
  `python -m mixpanel_async.emulator`, which takes the same path (its package loads nothing
  until a name is used).

Every process runs with bytecode caching on (`PYTHONDONTWRITEBYTECODE` removed), as an
installed package has it (pip compiles at install; the peer's site-packages have theirs): the
first of the repeats writes the caches, and the best of them is reported.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks._server import free_port

IMPORTS = {
    "python -c pass": "pass",
    "import mixpanel_async": "import mixpanel_async",
    "from mixpanel_async import AsyncWorkspace": "from mixpanel_async import AsyncWorkspace",
    "peer: import mixpanel_headless": "import mixpanel_headless",
}


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The processes' environment: bytecode caches read and written, as in an installed package."""
FIRST_CALL = """
import asyncio
from mixpanel_async import AsyncWorkspace

async def main():
    async with AsyncWorkspace(base_url={url!r}, project="1", username="u", secret="s") as ws:
        await ws.events()

asyncio.run(main())
"""


def _import_time(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=ENV)
    return time.perf_counter() - started


def _first_call(repeat: int) -> float:
    """Best of `repeat` fresh processes: import, open a workspace, one discovery call."""
    script = str(Path(sys.executable).with_name("mixpanel-async"))
    with _emulator([script, "emulator"]) as (port, _, _):
        if not _get(port, "/"):  # the app itself is built
            raise RuntimeError("the emulator did not answer GET /")
        code = FIRST_CALL.format(url=f"http://127.0.0.1:{port}")
        return min(_import_time(code) for _ in range(repeat))


def _get(port: int, path: str) -> bool:
    """One `GET path`; True on a 200, False while nothing listens."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=60) as conn:
            request = f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
            conn.sendall(request.encode())
            return conn.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


@contextlib.contextmanager
def _emulator(command: list[str]) -> Iterator[tuple[int, float, float]]:
    """An emulator launched with `command`: its port, when it was launched and when `/health`
    first answered 200 (`time.perf_counter()`; a minute at most)."""
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**ENV, "MIXPANEL_TOKEN": ""},
    )
    try:
        while not _get(port, "/health"):
            if time.perf_counter() - started > 60:
                raise RuntimeError("the emulator did not answer /health")
            time.sleep(0.002)
        yield port, started, time.perf_counter()
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def _launch(command: list[str]) -> tuple[float, float]:
    """Seconds from launch to the first 200 from `/health`, then to the first answer to `/`."""
    with _emulator(command) as (port, started, healthy):
        if not _get(port, "/"):
            raise RuntimeError("the emulator did not answer GET /")
        return healthy - started, time.perf_counter() - started


def run(repeat: int = 5) -> dict[str, float]:
    """Print the start-up figures against their targets; returns them by label."""
    results: dict[str, float] = {}
    for _ in range(repeat):  # interleaved, so that every contender sees the same load
        for label, code in IMPORTS.items():
            results[label] = min(results.get(label, 1e9), _import_time(code))
    results["AsyncWorkspace + first call (events)"] = _first_call(repeat)
    script = str(Path(sys.executable).with_name("mixpanel-async"))
    launches = {
        "mixpanel-async emulator": [script, "emulator"],
        "python -m mixpanel_async.emulator": [sys.executable, "-m", "mixpanel_async.emulator"],
    }
    for _ in range(repeat):
        for label, command in launches.items():
            health, first = _launch(command)
            results[f"{label}: /health"] = min(results.get(f"{label}: /health", 1e9), health)
            results[f"{label}: GET /"] = min(results.get(f"{label}: GET /", 1e9), first)
    print(f"\nstart-up, best of {repeat} fresh processes (load {os.getloadavg()[0]:.1f})")
    targets = {
        "import mixpanel_async": 0.2,
        "from mixpanel_async import AsyncWorkspace": 0.2,
        "mixpanel-async emulator: /health": 0.4,
    }
    for label, seconds in results.items():
        target = f"  (target <= {targets[label]})" if label in targets else ""
        print(f"  {label:50s} {seconds:6.3f}s{target}")
    ours = results["import mixpanel_async"]
    print(f"  peer import / ours = {results['peer: import mixpanel_headless'] / ours:.1f}x")
    workspace = results["from mixpanel_async import AsyncWorkspace"]
    peer = results["peer: import mixpanel_headless"]
    print(f"  peer import / `from mixpanel_async import AsyncWorkspace` = {peer / workspace:.1f}x")
    slow = results["python -m mixpanel_async.emulator: /health"]
    fast = results["mixpanel-async emulator: /health"]
    print(f"  /health: python -m / console script = {slow / fast:.1f}x")
    return results
