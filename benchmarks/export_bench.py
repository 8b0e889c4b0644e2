"""Export: the floor (one raw download + polars.read_ndjson), the peer (mixpanel-headless
stream_events, bare and into a frame) and ours (AsyncWorkspace.stream_events; export_events
when it exists), against one emulator process holding the same events."""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

import aiohttp
import polars as pl

from benchmarks._server import emulator_process, load

FROM, TO = "2026-10-02", "2026-10-31"


def timed(label: str, fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - started
    return elapsed, result


async def floor(url: str) -> pl.DataFrame:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{url}/api/2.0/export", params={"from_date": FROM, "to_date": TO},
                            headers={"Authorization": "Basic dTpz"}) as r:
            body = await r.read()
    return pl.read_ndjson(body)


def peer(url: str, into_frame: bool) -> int:
    import mixpanel_headless as mp

    os.environ.update({"MP_API_BASE_URL": url, "MP_USERNAME": "u", "MP_SECRET": "s",
                       "MP_PROJECT_ID": "1", "MP_REGION": "us"})
    ws = mp.Workspace()
    try:
        rows = list(ws.stream_events(from_date=FROM, to_date=TO))
        if into_frame:
            return pl.DataFrame(rows).height
        return len(rows)
    finally:
        ws.close()


async def ours(url: str) -> int:
    from mixpanel_async import AsyncWorkspace

    n = 0
    async with AsyncWorkspace(base_url=url) as ws:
        async for _ in ws.stream_events(from_date=FROM, to_date=TO):
            n += 1
    return n


def run(n: int) -> None:
    with emulator_process() as url:
        took = load(url, n)
        print(f"loaded {n:,} events through /import in {took:.2f}s ({n / took:,.0f} events/s)")
        results: dict[str, float] = {}
        results["floor (download + read_ndjson)"], frame = timed(
            "floor", lambda: asyncio.run(floor(url)))
        assert frame.height == n, frame.height
        results["peer stream_events (bare)"], count = timed("peer", lambda: peer(url, False))
        assert count == n
        results["peer stream_events -> DataFrame"], _ = timed("peer", lambda: peer(url, True))
        results["ours stream_events (bare)"], count = timed("ours",
                                                            lambda: asyncio.run(ours(url)))
        assert count == n
    base = results["peer stream_events -> DataFrame"]
    print(f"\nexport of {n:,} events")
    for label, seconds in results.items():
        print(f"  {label:36s} {seconds:7.2f}s  {n / seconds:12,.0f} ev/s  "
              f"peer-frame/this = {base / seconds:5.2f}x")
