"""An emulator in a child process (so server work does not share the client's GIL), loaded
through its own /import endpoint; the peer's environment and the timing every benchmark uses."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import urllib3

EVENT_NAMES = ("Sign Up", "Log In", "View Page", "Search", "Add to Cart", "Purchase")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one run of `fn` took, and its result."""
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The best time of `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        seconds, result = timed(fn)
        times.append(seconds)
    return min(times), result


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds used so far by process `pid` (None: this process, all its
    threads); NaN where `/proc` cannot tell."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def point_peer(url: str) -> None:
    """Point the peer `mixpanel_headless` at the emulator on `url` (service-account variables
    for project 1), for this process."""
    os.environ.update(
        {
            "MP_API_BASE_URL": url,
            "MP_USERNAME": "u",
            "MP_SECRET": "s",
            "MP_PROJECT_ID": "1",
            "MP_REGION": "us",
        }
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str) -> None:
    """Return once the emulator on `url` answers `/health` (a minute at most)."""
    http = urllib3.PoolManager()
    for _ in range(1200):  # a loaded machine can take a while to start Python
        try:
            if http.request("GET", url + "/health", retries=False).status == 200:
                return
        except urllib3.exceptions.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"the emulator on {url} did not come up")


@contextlib.contextmanager
def emulator_child() -> Iterator[tuple[str, int]]:
    """An emulator in a child process, answering `/health`: its URL and process id."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mixpanel_async.emulator", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=60)


@contextlib.contextmanager
def emulator_process() -> Iterator[str]:
    """An emulator in a child process, answering `/health`: its URL."""
    with emulator_child() as (url, _):
        yield url


def synthetic_events(
    n: int, days: int = 30, end: dt.date = dt.date(2026, 10, 31)
) -> Iterator[dict[str, object]]:
    """`n` events spread evenly over `days` days ending at `end`, with a few properties."""
    start = int(
        dt.datetime.combine(end - dt.timedelta(days=days - 1), dt.time(), tzinfo=dt.UTC).timestamp()
    )
    span = days * 86400
    for i in range(n):
        yield {
            "event": EVENT_NAMES[i % len(EVENT_NAMES)],
            "properties": {
                "time": start + (i * span) // n,
                "distinct_id": f"user-{i % 5000}",
                "$insert_id": f"ins-{i}",
                "plan": ("free", "pro", "team")[i % 3],
                "amount": round((i % 997) * 0.37, 2),
                "count": i % 17,
                "$browser": "Chrome",
                "mp_country_code": ("US", "DE", "IN", "BR")[i % 4],
            },
        }


def load(url: str, n: int, days: int = 30) -> float:
    """Import `n` events (gzip batches of 2000); returns seconds taken."""
    http = urllib3.PoolManager(maxsize=4)
    batch: list[dict[str, object]] = []
    started = time.perf_counter()

    def send() -> None:
        body = gzip.compress(orjson.dumps(batch), compresslevel=1)
        r = http.request(
            "POST",
            url + "/import?strict=1",
            body=body,
            headers={
                "Content-Type": "application/json",
                "Content-Encoding": "gzip",
                "Authorization": "Basic dTpz",
            },
        )
        if r.status != 200:
            raise RuntimeError(f"import failed: {r.status} {r.data[:300]!r}")

    for event in synthetic_events(n, days):
        batch.append(event)
        if len(batch) == 2000:
            send()
            batch = []
    if batch:
        send()
    return time.perf_counter() - started


def wait_until_built(url: str) -> None:
    """Return once the emulator's app itself answers (`/health` is answered while it is still
    being built): throughput figures should not include its start-up."""
    status = urllib3.PoolManager().request("GET", url + "/__emulator/people", retries=False).status
    if status != 200:
        raise RuntimeError(f"the emulator on {url} answered /__emulator/people with {status}")
