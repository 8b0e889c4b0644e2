"""Import into an emulator process: ours (`AsyncWorkspace.import_events`: batches of 2000,
encoded in worker threads, 8 in flight) against the official `mixpanel` SDK's import path
(`Mixpanel.import_data` through a `BufferedConsumer`, 50 events per request, as far as it
goes). Each contender gets a fresh emulator. Prints events/s and the ratio.
"""

from __future__ import annotations

import asyncio
from typing import Any

import polars as pl
from mixpanel import BufferedConsumer, Mixpanel, ServiceAccountCredentials

from benchmarks._server import emulator_process, synthetic_events, timed, wait_until_built
from mixpanel_async import AsyncWorkspace

# Both libraries are imported up front: import time is not what is measured.


async def ours(url: str, events: Any, project: str = "1") -> int:
    async with AsyncWorkspace(base_url=url, project=project) as ws:
        result = await ws.import_events(events)
    assert result.imported == result.sent, result
    return result.imported


def official(url: str, events: list[dict[str, Any]]) -> int:
    consumer = BufferedConsumer(
        max_size=50,
        import_url=url + "/import",
        credentials=ServiceAccountCredentials("u", "s", "1"),
        retry_limit=0,
        request_timeout=60,
    )
    mp = Mixpanel("token", consumer=consumer)
    for event in events:
        props = dict(event["properties"])
        did, when = props.pop("distinct_id"), props.pop("time")
        mp.import_data(None, did, event["event"], when, props)
    consumer.flush()
    return len(events)


def run(n: int, sdk_n: int | None = None) -> dict[str, float]:
    """Import `n` events with ours (dicts, dicts without `$insert_id`, a frame) and
    `sdk_n` (default min(n, 100k)) with the official SDK; returns events/s per contender."""
    sdk_n = min(n, 100_000) if sdk_n is None else sdk_n
    events = list(synthetic_events(n))
    bare = [
        {"event": e["event"], "properties": {k: v for k, v in e["properties"].items()
                                              if k != "$insert_id"}}
        for e in events
    ]  # fmt: skip
    rates: dict[str, float] = {}
    with emulator_process() as url:
        wait_until_built(url)
        asyncio.run(ours(url, events[:100], project="2"))  # untimed: loads the modules it uses
        seconds, count = timed(lambda: asyncio.run(ours(url, events)))
        rates["ours import_events (dicts)"] = count / seconds
    with emulator_process() as url:
        wait_until_built(url)
        seconds, count = timed(lambda: asyncio.run(ours(url, bare)))
        rates["ours import_events (dicts, $insert_id generated)"] = count / seconds
    # The same events as a flat frame: every property a column.
    columns: dict[str, list[Any]] = {"event": [e["event"] for e in events]}
    for key in events[0]["properties"]:
        name = {"distinct_id": "distinct_id", "time": "time", "$insert_id": "insert_id"}.get(
            key, key
        )
        columns[name] = [e["properties"][key] for e in events]
    frame = pl.DataFrame(columns)
    with emulator_process() as url:
        wait_until_built(url)
        seconds, count = timed(lambda: asyncio.run(ours(url, frame)))
        rates["ours import_events (DataFrame)"] = count / seconds
    if sdk_n:
        with emulator_process() as url:
            wait_until_built(url)
            seconds, count = timed(lambda: official(url, events[:sdk_n]))
            rates[f"official SDK import_data + BufferedConsumer ({sdk_n:,})"] = count / seconds
    print(f"\nimport of {n:,} events")
    for label, rate in rates.items():
        print(f"  {label:56s} {rate:12,.0f} ev/s")
    mine = rates["ours import_events (dicts)"]
    print(f"  ours: {mine:,.0f} ev/s (target >= 400,000)")
    if sdk_n:
        sdk = rates[f"official SDK import_data + BufferedConsumer ({sdk_n:,})"]
        print(f"  ours / official SDK = {mine / sdk:.1f}x (target >= 5)")
    return rates
