"""Parquet export of N events (5M by default) over 30 days, in a child process whose peak
resident memory (`ru_maxrss`) is reported: the export streams partition by partition, chunk
by chunk, so its peak stays bounded whatever N is (target: < 1 GiB for 5M events)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._server import emulator_process, synthetic_events
from mixpanel_async import AsyncWorkspace

FROM, TO = "2026-10-02", "2026-10-31"

CHILD = """
import asyncio, json, resource, sys, time
from mixpanel_async import AsyncWorkspace

async def main(url, path, layout):
    async with AsyncWorkspace(base_url=url) as ws:
        return await ws.export_events_to_parquet(path, "{FROM}", "{TO}", layout=layout)

started = time.perf_counter()
result = asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
print(json.dumps({{
    "seconds": time.perf_counter() - started,
    "rows": result.rows,
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}}))
"""


async def _load(url: str, n: int) -> None:
    async with AsyncWorkspace(base_url=url) as ws:
        result = await ws.import_events(synthetic_events(n))  # a generator: memory stays flat
    assert result.imported == n, result


def run(n: int = 5_000_000) -> dict[str, dict[str, float]]:
    script = CHILD.format(FROM=FROM, TO=TO)
    results: dict[str, dict[str, float]] = {}
    with emulator_process() as url, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        asyncio.run(_load(url, n))
        print(f"loaded {n:,} events in {time.perf_counter() - started:.1f}s")
        for layout, name in (("file", "events.parquet"), ("directory", "events")):
            out = Path(tmp) / name
            done = subprocess.run(
                [sys.executable, "-c", script, url, str(out), layout],
                capture_output=True,
                text=True,
                check=True,
            )
            results[layout] = json.loads(done.stdout.strip().splitlines()[-1])
            assert results[layout]["rows"] == n, results[layout]
    print(f"\nParquet export of {n:,} events (a child process; peak RSS of the whole process)")
    for layout, figures in results.items():
        print(
            f"  {layout:10s} {figures['seconds']:7.2f}s  {n / figures['seconds']:10,.0f} ev/s  "
            f"peak RSS {figures['peak_rss_mib']:7.0f} MiB (target < 1024)"
        )
    return results
