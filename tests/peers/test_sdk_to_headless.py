"""End to end through three independent clients: the official `mixpanel` SDK writes, the peer
`mixpanel-headless` reads back, and our AsyncWorkspace sees exactly what the peer sees."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import mixpanel
import mixpanel_headless
import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.pytest_plugin import fast_retry_policy


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as server:
        yield server


def sdk(emu: Emulator) -> mixpanel.Mixpanel:
    consumer = mixpanel.Consumer(
        events_url=f"{emu.url}/track",
        people_url=f"{emu.url}/engage",
        groups_url=f"{emu.url}/groups",
        import_url=f"{emu.url}/import",
        retry_limit=0,
    )
    return mixpanel.Mixpanel("any-token", consumer=consumer)


async def ours(emu: Emulator, day: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    async with AsyncWorkspace(base_url=emu.url, retry=fast_retry_policy()) as ws:
        events = [
            e
            async for e in ws.stream_events(
                from_date=day,
                to_date=day,
                events=["Purchase"],
                where='properties["amount"] > 10',
                raw=True,
            )
        ]
        profiles = [p async for p in ws.stream_profiles(raw=True)]
    return events, profiles


def test_written_by_the_sdk_read_by_the_peer_and_by_us(
    emu: Emulator, point_peer: Callable[[str], None]
) -> None:
    emu.reset()
    mp = sdk(emu)
    now = int(time.time())
    day = time.strftime("%Y-%m-%d", time.gmtime(now))
    for amount in (5, 20, 30):
        props = {"amount": amount, "time": now, "$insert_id": f"buy-{amount}"}
        mp.track("u1", "Purchase", props)
    mp.track("u1", "Purchase", {"amount": 20, "time": now, "$insert_id": "buy-20"})  # a retry
    mp.track("u2", "Sign Up", {"time": now})
    mp.people_set("u1", {"plan": "pro"})
    mp.people_set_once("u1", {"first_seen": "a"})
    mp.people_set_once("u1", {"first_seen": "b"})
    mp.people_increment("u1", {"purchases": 2})
    mp.people_increment("u1", {"purchases": 1})

    point_peer(emu.url)
    peer = mixpanel_headless.Workspace()
    try:
        peer_events = list(
            peer.stream_events(
                from_date=day,
                to_date=day,
                events=["Purchase"],
                where='properties["amount"] > 10',
                raw=True,
            )
        )
        peer_profiles = list(peer.stream_profiles(raw=True))
    finally:
        peer.close()

    # Raw export keeps the retried copy (Mixpanel deduplicates in queries, not in export).
    assert sorted(e["properties"]["amount"] for e in peer_events) == [20, 20, 30]
    (profile,) = peer_profiles
    assert profile["$properties"]["first_seen"] == "a"  # $set_once kept the first value
    assert profile["$properties"]["purchases"] == 3  # $add applied twice
    assert profile["$properties"]["plan"] == "pro"

    our_events, our_profiles = asyncio.run(ours(emu, day))
    assert our_events == peer_events
    assert our_profiles == peer_profiles
