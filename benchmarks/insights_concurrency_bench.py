"""50 Insights `query()` calls at once (ours, `asyncio.gather`) against the peer running the
same 50 one after another, on an emulator that answers each query after a fixed delay (a
stand-in for Mixpanel's compute time). The answers are compared before anything is timed."""

from __future__ import annotations

import asyncio
from typing import Any

import mixpanel_async
from benchmarks._server import point_peer, timed
from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import load_demo

QUERIES = 50
DELAY = 0.1


def _queries(lib: Any, events: list[str]) -> list[tuple[Any, dict[str, Any]]]:
    """50 distinct queries: each event, total and unique, by a few windows."""
    out = []
    for i in range(QUERIES):
        event = events[i % len(events)]
        metric = lib.Metric(event, math="unique") if i % 2 else event
        out.append((metric, {"last": 7 + i % 5, "mode": "total"}))
    return out


def run(queries: int = QUERIES, delay: float = DELAY) -> None:
    """Print both times and the ratio."""
    import mixpanel_headless as peer_lib

    with Emulator(port=0) as emu:
        load_demo(emu.state)
        point_peer(emu.url)

        async def ours_all() -> list[Any]:
            async with AsyncWorkspace(base_url=emu.url, project="1") as ws:
                events = (await ws.events())[:10]
                mine = _queries(mixpanel_async, events)
                return await asyncio.gather(*(ws.query(m, **kw) for m, kw in mine[:queries]))

        with peer_lib.Workspace() as peer:
            events = peer.events()[:10]
            theirs_q = _queries(peer_lib, events)[:queries]
            mine = asyncio.run(ours_all())
            theirs = [peer.query(m, **kw) for m, kw in theirs_q]
            assert [r.series for r in mine] == [r.series for r in theirs], "answers differ"
            emu.add_fault(operation="insights_query", latency=delay, count=10 * queries)
            ours_s, _ = timed(lambda: asyncio.run(ours_all()))
            peer_s, _ = timed(lambda: [peer.query(m, **kw) for m, kw in theirs_q])
    print(f"insights query() x{queries}, {delay * 1000:.0f} ms per answer")
    print(f"  ours, concurrent:  {ours_s:8.3f} s")
    print(f"  peer, sequential:  {peer_s:8.3f} s")
    print(f"  ratio:             {peer_s / ours_s:8.1f}x")
