"""`/health` while a heavy report computes: an emulator process with the demo seed answers the
widest funnel it accepts (2000-01-01 to the end of next year, by browser) while `/health` is
polled; prints the report's size and time and the slowest `/health` answer.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
import time

import aiohttp

from benchmarks._server import free_port


async def _measure(url: str) -> tuple[int, int, float, float, int]:
    last = dt.date(dt.date.today().year + 1, 12, 31)
    params = {"project_id": "1", "funnel_id": "7001", "from_date": "2000-01-01"}
    params |= {"to_date": last.isoformat(), "on": 'properties["$browser"]'}
    async with aiohttp.ClientSession() as http:
        started = time.perf_counter()

        async def report() -> tuple[int, int]:
            async with http.get(url + "/api/query/funnels", params=params) as r:
                return r.status, len(await r.read())

        task = asyncio.create_task(report())
        worst, polls = 0.0, 0
        while not task.done():
            asked = time.perf_counter()
            async with http.get(url + "/health") as r:
                await r.read()
            worst, polls = max(worst, time.perf_counter() - asked), polls + 1
            await asyncio.sleep(0.02)
        status, size = await task
        return status, size, time.perf_counter() - started, worst, polls


def run() -> float:
    """Poll `/health` during the heavy report; returns the slowest answer in seconds."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mixpanel_async.emulator", "--port", str(port), "--seed", "demo"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:

        async def up() -> None:
            async with aiohttp.ClientSession() as http:
                for _ in range(2400):
                    try:
                        async with http.get(url + "/health") as r:
                            if r.status == 200:
                                return
                    except aiohttp.ClientError:
                        await asyncio.sleep(0.05)
            raise RuntimeError("the emulator did not come up")

        asyncio.run(up())
        status, size, seconds, worst, polls = asyncio.run(_measure(url))
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    print("\n/health during the widest funnel report (demo seed, by browser)")
    print(f"  report: {status}, {size / 1e6:,.1f} MB in {seconds:.2f}s")
    print(f"  /health: slowest of {polls} answers {worst * 1000:,.0f} ms")
    return worst
