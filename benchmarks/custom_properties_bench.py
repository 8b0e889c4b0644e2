"""Segmentation by a custom property against segmentation by a plain one: `n` Purchase events
in an in-process emulator, over loopback HTTP, each query warmed once and then timed (best of
3). The custom property is a channel grouping (`if`, `lower`, `or`) over `utm_source`; the
ratio is what computing the formula costs on top of reading the property."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import time
from typing import Any

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator


def row(i: int, first_ms: int, source: str, price: float) -> tuple[str, str, int, str, str]:
    """One stored Purchase (the store's row convention: time in seconds inside the JSON)."""
    at = first_ms + i * 1000
    props = {"distinct_id": f"u{i % 5000}", "time": at // 1000, "$insert_id": f"i{i}",
             "utm_source": source, "price": price}  # fmt: skip
    return ("Purchase", f"u{i % 5000}", at, f"i{i}", json.dumps(props))


FORMULA = 'if(lower(A) == "facebook" or lower(A) == "twitter", "Social", A)'


async def _best(ws: AsyncWorkspace, on: str, window: dict[str, Any]) -> float:
    await ws.segmentation("Purchase", on=on, **window)  # warm the raw column cache
    times = []
    for _ in range(3):
        start = time.perf_counter()
        await ws.segmentation("Purchase", on=on, **window)
        times.append(time.perf_counter() - start)
    return min(times)


async def _run(n: int) -> dict[str, float]:
    rng = random.Random(1)
    async with Emulator(port=0) as emu:
        first = int(dt.datetime(2026, 3, 2, tzinfo=dt.UTC).timestamp() * 1000)
        sources = ["Facebook", "twitter", "google", "bing"]
        emu.state.default.events.append(
            [row(i, first, rng.choice(sources), rng.random() * 10) for i in range(n)]
        )
        async with AsyncWorkspace(base_url=emu.url, project="1") as ws:
            made = await ws.create_custom_property(
                {"name": "Channel", "resource_type": "events", "display_formula": FORMULA,
                 "composed_properties": {"A": {"resourceType": "event", "value": "utm_source"}}}
            )  # fmt: skip
            last = time.strftime("%Y-%m-%d", time.gmtime((first + n * 1000) / 1000))
            window = {"from_date": "2026-03-02", "to_date": last}
            custom = f'properties["$custom_property:{made.custom_property_id}"]'
            return {
                "plain": await _best(ws, 'properties["utm_source"]', window),
                "custom": await _best(ws, custom, window),
            }


def run(n: int = 200_000) -> dict[str, float]:
    """Time both segmentations over `n` events; returns seconds per case."""
    seconds = asyncio.run(_run(n))
    for name, value in seconds.items():
        ratio = value / seconds["plain"]
        print(
            f"segmentation on a {name:7} property  {n:>9,} events"
            f"  {value * 1000:8.1f} ms  x{ratio:.2f}"
        )
    return seconds


if __name__ == "__main__":
    run()
