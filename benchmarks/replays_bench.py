"""Session replays: one recording of `files` CDN files (`per_file` rrweb events each, posted
through `/record/` as the browser SDK does), read whole by the peer (`stream_replay`) and by ours
(`stream_replay`, counting events as they come, and `fetch_replay`), then ours again under
tracemalloc for the peak Python memory of streaming (holds one batch of files) against
fetching (holds every event). Prints seconds, the ratio and the peaks."""

from __future__ import annotations

import asyncio
import base64
import time
import tracemalloc
from collections.abc import Coroutine
from typing import Any
from urllib.parse import urlencode

import mixpanel_headless
import orjson
import urllib3

from benchmarks._server import emulator_process, point_peer, timed
from mixpanel_async import AsyncWorkspace

REPLAY = "bench-replay"


def record(url: str, files: int, per_file: int) -> None:
    http = urllib3.PoolManager()
    auth = "Basic " + base64.b64encode(b"bench-token:").decode()
    start = int(time.time() * 1000) - files * per_file
    for seq in range(files):
        events = [
            {"type": 2 if seq == i == 0 else 3, "timestamp": start + seq * per_file + i,
             "data": {"source": 1, "positions": [{"x": i % 800, "y": seq % 600, "id": 7}]}}
            for i in range(per_file)
        ]  # fmt: skip
        fields = {"replay_id": REPLAY, "distinct_id": "bench-user", "seq": str(seq),
                  "replay_start_time": str(start / 1000)}  # fmt: skip
        r = http.request("POST", url + "/record/?" + urlencode(fields),
                         body=orjson.dumps(events), headers={"Authorization": auth})  # fmt: skip
        assert r.status == 200, r.data[:200]


def peer() -> int:
    with mixpanel_headless.Workspace() as ws:
        return sum(1 for _ in ws.stream_replay(REPLAY, retention_days=30))


async def ours_stream(url: str) -> int:
    async with AsyncWorkspace(base_url=url) as ws:
        n = 0
        async for _ in ws.stream_replay(REPLAY, retention_days=30):
            n += 1
        return n


async def ours_fetch(url: str) -> int:
    async with AsyncWorkspace(base_url=url) as ws:
        return len((await ws.fetch_replay(REPLAY, retention_days=30)).rrweb_events)


def peak_mb(work: Coroutine[Any, Any, int]) -> float:
    tracemalloc.start()
    try:
        asyncio.run(work)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def run(files: int = 400, per_file: int = 500) -> dict[str, float]:
    results: dict[str, float] = {}
    total = files * per_file
    with emulator_process() as url:
        record(url, files, per_file)
        point_peer(url)
        results["peer stream_replay (sync)"], count = timed(peer)
        assert count == total, count
        results["ours stream_replay"], count = timed(lambda: asyncio.run(ours_stream(url)))
        assert count == total, count
        results["ours fetch_replay"], count = timed(lambda: asyncio.run(ours_fetch(url)))
        assert count == total, count
        stream_peak = peak_mb(ours_stream(url))
        fetch_peak = peak_mb(ours_fetch(url))
    print(f"\nreplays: one recording of {files} files x {per_file} rrweb events ({total:,})")
    for label, seconds in results.items():
        print(f"  {label:40s} {seconds:7.2f}s")
    base = results["peer stream_replay (sync)"]
    print(f"  ours stream_replay vs peer: {base / results['ours stream_replay']:.2f}x")
    print(f"  peak Python memory: stream_replay {stream_peak:.1f} MB, "
          f"fetch_replay {fetch_peak:.1f} MB")  # fmt: skip
    return results
