"""The emulator's own speed: /import throughput (gzip batches of 2000, 8 in flight), export
throughput (plain and gzip), and resident memory while holding N events."""

from __future__ import annotations

import asyncio
import gzip
import time
from pathlib import Path

import aiohttp
import orjson

from benchmarks._server import emulator_child, synthetic_events, wait_until_built

AUTH = {"Authorization": "Basic dTpz"}


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _ingest(url: str, n: int, in_flight: int = 8) -> float:
    batches: list[bytes] = []
    batch: list[dict[str, object]] = []
    for event in synthetic_events(n):
        batch.append(event)
        if len(batch) == 2000:
            batches.append(gzip.compress(orjson.dumps(batch), compresslevel=1))
            batch = []
    if batch:
        batches.append(gzip.compress(orjson.dumps(batch), compresslevel=1))
    queue = iter(batches)
    headers = {**AUTH, "Content-Type": "application/json", "Content-Encoding": "gzip"}

    async def worker(http: aiohttp.ClientSession) -> None:
        for body in queue:
            async with http.post(f"{url}/import?strict=1", data=body, headers=headers) as r:
                if r.status != 200:
                    raise RuntimeError(f"/import answered {r.status}: {await r.text()}")

    async with aiohttp.ClientSession() as http:
        started = time.perf_counter()
        async with asyncio.TaskGroup() as tg:
            for _ in range(in_flight):
                tg.create_task(worker(http))
        return time.perf_counter() - started


async def _export(url: str, gzip_on: bool) -> tuple[float, int, int]:
    headers = {**AUTH, "Accept-Encoding": "gzip" if gzip_on else "identity"}
    params = {"from_date": "2026-10-02", "to_date": "2026-10-31"}
    async with aiohttp.ClientSession(auto_decompress=True) as http:
        started = time.perf_counter()
        lines = size = 0
        async with http.get(f"{url}/api/2.0/export", params=params, headers=headers) as r:
            async for chunk in r.content.iter_chunked(1 << 20):
                lines += chunk.count(b"\n")
                size += len(chunk)
        return time.perf_counter() - started, lines, size


def run(n: int) -> None:
    with emulator_child() as (url, pid):
        wait_until_built(url)
        idle = rss_mib(pid)
        took = asyncio.run(_ingest(url, n))
        held = rss_mib(pid)
        print(f"\nemulator, {n:,} events")
        print(
            f"  /import (gzip x2000, 8 in flight)  {took:7.2f}s  {n / took:12,.0f} ev/s"
            "  (target >= 400,000)"
        )
        for gz in (False, True):
            seconds, lines, size = asyncio.run(_export(url, gz))
            assert lines == n, (lines, n)
            label = "export (gzip)" if gz else "export (plain)"
            print(
                f"  {label:34s} {seconds:7.2f}s  {n / seconds:12,.0f} ev/s  "
                f"{size / seconds / 1e6:7.1f} MB/s"
            )
        print(
            f"  RSS idle {idle:,.0f} MiB; holding {n:,} events {held:,.0f} MiB; "
            f"after export {rss_mib(pid):,.0f} MiB"
        )
