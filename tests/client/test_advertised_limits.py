"""Against the emulator the Query API learns its concurrency from the first answer: an emulator
with `--rate-limits` advertises its cap and the client keeps within it; a plain one advertises
nothing and the client's own (wider) cap stands."""

from __future__ import annotations

import asyncio
import time

import aiohttp

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator, RateLimits
from mixpanel_async.pytest_plugin import fast_retry_policy
from mixpanel_async.transport.limits import ADVERTISED_CONCURRENCY, Limit, Limiters

DAY = time.strftime("%Y-%m-%d", time.gmtime())


async def _peak(limiters: Limiters, family: str, n: int, advertise: str | None) -> list[int]:
    """Run `n` slots; the first one holds until the others queue. Returns the number inside
    at each entry."""
    inside = 0
    seen: list[int] = []
    release = asyncio.Event()

    async def one(first: bool) -> None:
        nonlocal inside
        async with limiters.slot(family):
            inside += 1
            seen.append(inside)
            if first:
                await release.wait()
                if advertise is not None:
                    limiters.observe(family, {ADVERTISED_CONCURRENCY: advertise})
            else:
                await asyncio.sleep(0.01)
            inside -= 1

    first = asyncio.create_task(one(True))
    await asyncio.sleep(0)
    rest = [asyncio.create_task(one(False)) for _ in range(n - 1)]
    for _ in range(5):
        await asyncio.sleep(0)
    assert seen == [1]  # the others wait for the first answer
    release.set()
    await asyncio.gather(first, *rest)
    return seen


async def test_first_request_goes_alone_then_the_advertised_cap_holds() -> None:
    limiters = Limiters({"query": Limit(concurrency=64, learn=True)})
    seen = await _peak(limiters, "query", 12, advertise="3")
    assert max(seen) == 3


async def test_without_an_advertised_cap_the_configured_one_stands() -> None:
    limiters = Limiters({"query": Limit(concurrency=64, learn=True)})
    seen = await _peak(limiters, "query", 12, advertise=None)
    assert max(seen) == 11  # all of the others at once
    # A family that learns nothing never holds its first request back.
    plain = Limiters({"app": Limit(concurrency=4)})
    async with plain.slot("app"), plain.slot("app"):
        pass


async def test_only_a_rate_limited_emulator_advertises_its_cap() -> None:
    params = {"project_id": "1", "event": "E", "from_date": DAY, "to_date": DAY}
    for limits, expected in ((RateLimits(query_concurrent=3), "3"), (None, None)):
        async with (
            Emulator(port=0, rate_limits=limits) as emu,
            aiohttp.ClientSession() as http,
            http.get(emu.url + "/api/query/segmentation", params=params) as response,
        ):
            assert response.status == 200
            assert response.headers.get(ADVERTISED_CONCURRENCY) == expected


async def test_gathered_queries_keep_within_an_advertised_cap_unaided() -> None:
    # A cap other than Mixpanel's 5: any query past it would be a 429, and no retries are allowed.
    async with Emulator(port=0, rate_limits=RateLimits(query_concurrent=2)) as emu:
        emu.add_fault(operation="segmentation", latency=0.05, count=12)
        async with AsyncWorkspace(base_url=emu.url, project="1", retry=fast_retry_policy(1)) as ws:
            results = await asyncio.gather(
                *(ws.segmentation("E", from_date=DAY, to_date=DAY) for _ in range(12))
            )
    assert len(results) == 12
