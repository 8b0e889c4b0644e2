"""Client-side rate limits per limit family (`x-mixpanel-rate-limit` in the specs).

Defaults follow Mixpanel's published limits: the Query API (query, engage) allows 60 queries per
hour and 5 concurrent queries per project; Raw Export allows 60 per hour, 3 per second and 100
concurrent. App API and ingestion are not throttled client-side beyond a concurrency cap. Against
a loopback base URL (the emulator) rates are off by default and only concurrency caps remain: 64
per family, except that the Query API's first request goes alone and, when the answer carries
`ADVERTISED_CONCURRENCY` (an emulator started with `--rate-limits` sends its cap), that cap is
kept from then on.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping

import attrs
from aiolimiter import AsyncLimiter

ADVERTISED_CONCURRENCY = "X-Emulator-Concurrency-Limit"
"""The response header in which a rate-limited emulator states how many requests of the
family it accepts at once."""


@attrs.frozen
class Limit:
    """One family's limits: `rate` requests per `period` seconds, at most `concurrency` at once."""

    concurrency: int
    rate: float | None = None
    period: float = 3600.0
    burst_per_second: float | None = None
    learn: bool = False
    """Send the first request alone and adopt the concurrency its answer advertises, if lower."""


_QUERY_API = frozenset({"query", "engage"})

MIXPANEL_LIMITS: Mapping[str, Limit] = {
    "query": Limit(concurrency=5, rate=60, period=3600),
    "engage": Limit(concurrency=5, rate=60, period=3600),
    "export": Limit(concurrency=100, rate=60, period=3600, burst_per_second=3),
    "app": Limit(concurrency=10),
    "ingestion": Limit(concurrency=10),
}

LOCAL_LIMITS: Mapping[str, Limit] = {
    family: Limit(concurrency=64, learn=family in _QUERY_API) for family in MIXPANEL_LIMITS
}
"""Against the emulator: no rates and 64 at once; the Query API learns the emulator's cap from
its first answer, so gathered queries stay within `--rate-limits` unaided and run freely
otherwise."""


@attrs.define
class _Family:
    """One family's live limiters; `learnt` is set once the first answer was seen (None: the
    family learns nothing)."""

    semaphore: asyncio.Semaphore
    rates: list[AsyncLimiter]
    learnt: asyncio.Event | None
    probing: bool = False
    advertised: int | None = None


class Limiters:
    """The live limiters of one workspace (created lazily, inside the running loop)."""

    def __init__(self, limits: Mapping[str, Limit]) -> None:
        self._limits = dict(limits)
        self._state: dict[str, _Family] = {}

    @property
    def limits(self) -> Mapping[str, Limit]:
        """The configured limit of each limit family."""
        return self._limits

    def _get(self, family: str) -> _Family:
        state = self._state.get(family)
        if state is None:
            limit = self._limits.get(family) or Limit(concurrency=10)
            rates = []
            if limit.rate is not None:
                rates.append(AsyncLimiter(limit.rate, limit.period))
            if limit.burst_per_second is not None:
                rates.append(AsyncLimiter(limit.burst_per_second, 1))
            learnt = asyncio.Event() if limit.learn else None
            state = _Family(asyncio.Semaphore(limit.concurrency), rates, learnt)
            self._state[family] = state
        return state

    def observe(self, family: str, headers: Mapping[str, str]) -> None:
        """Note the concurrency an answer of `family` advertises (see `ADVERTISED_CONCURRENCY`),
        while the family is still learning it."""
        state = self._state.get(family)
        if state is None or state.learnt is None or state.learnt.is_set():
            return
        text = headers.get(ADVERTISED_CONCURRENCY)
        if text is not None and text.isdigit() and int(text) > 0:
            state.advertised = int(text)

    @contextlib.asynccontextmanager
    async def slot(self, family: str) -> AsyncIterator[None]:
        """Hold one request slot of `family` for the duration of the block."""
        state = self._get(family)
        learnt = state.learnt
        if learnt is not None and not learnt.is_set() and not state.probing:
            state.probing = True  # this request goes alone; its answer sets the cap
            try:
                async with self._held(state):
                    yield
            finally:
                cap = self._limits.get(family, Limit(concurrency=10)).concurrency
                if state.advertised is not None and state.advertised < cap:
                    state.semaphore = asyncio.Semaphore(state.advertised)
                learnt.set()
        else:
            if learnt is not None:
                await learnt.wait()
            async with self._held(state):
                yield

    @contextlib.asynccontextmanager
    async def _held(self, state: _Family) -> AsyncIterator[None]:
        async with state.semaphore:
            for rate in state.rates:
                await rate.acquire()
            yield
