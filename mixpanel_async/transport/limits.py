"""Client-side rate limits per limit family (`x-mixpanel-rate-limit` in the specs).

Defaults follow Mixpanel's published limits: the Query API (query, engage) allows 60 queries per
hour and 5 concurrent queries per project; Raw Export allows 60 per hour, 3 per second and 100
concurrent. App API and ingestion are not throttled client-side beyond a concurrency cap. Against
a loopback base URL (the emulator) rates are off by default and only concurrency caps remain (the
Query API's 5, 64 for the other families).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping

import attrs
from aiolimiter import AsyncLimiter


@attrs.frozen
class Limit:
    """One family's limits: `rate` requests per `period` seconds, at most `concurrency` at once."""

    concurrency: int
    rate: float | None = None
    period: float = 3600.0
    burst_per_second: float | None = None


_QUERY_API = frozenset({"query", "engage"})

MIXPANEL_LIMITS: Mapping[str, Limit] = {
    "query": Limit(concurrency=5, rate=60, period=3600),
    "engage": Limit(concurrency=5, rate=60, period=3600),
    "export": Limit(concurrency=100, rate=60, period=3600, burst_per_second=3),
    "app": Limit(concurrency=10),
    "ingestion": Limit(concurrency=10),
}

LOCAL_LIMITS: Mapping[str, Limit] = {
    family: Limit(concurrency=MIXPANEL_LIMITS[family].concurrency if family in _QUERY_API else 64)
    for family in MIXPANEL_LIMITS
}
"""Against the emulator: no rates, but the Query API's 5 at once stays, so code that gathers
dozens of queries behaves as it will against Mixpanel (and within `--rate-limits`)."""


class Limiters:
    """The live limiters of one workspace (created lazily, inside the running loop)."""

    def __init__(self, limits: Mapping[str, Limit]) -> None:
        self._limits = dict(limits)
        self._state: dict[str, tuple[asyncio.Semaphore, list[AsyncLimiter]]] = {}

    @property
    def limits(self) -> Mapping[str, Limit]:
        """The configured limit of each limit family."""
        return self._limits

    def _get(self, family: str) -> tuple[asyncio.Semaphore, list[AsyncLimiter]]:
        state = self._state.get(family)
        if state is None:
            limit = self._limits.get(family) or Limit(concurrency=10)
            rates = []
            if limit.rate is not None:
                rates.append(AsyncLimiter(limit.rate, limit.period))
            if limit.burst_per_second is not None:
                rates.append(AsyncLimiter(limit.burst_per_second, 1))
            state = (asyncio.Semaphore(limit.concurrency), rates)
            self._state[family] = state
        return state

    @contextlib.asynccontextmanager
    async def slot(self, family: str) -> AsyncIterator[None]:
        """Hold one request slot of `family` for the duration of the block."""
        semaphore, rates = self._get(family)
        async with semaphore:
            for rate in rates:
                await rate.acquire()
            yield
