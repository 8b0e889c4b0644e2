"""Client-side rate limits per limit family (`x-mixpanel-rate-limit` in the specs).

Defaults follow Mixpanel's published limits: the Query API (query, engage) allows 60 queries per
hour and 5 concurrent queries per project; Raw Export allows 60 per hour, 3 per second and 100
concurrent. App API and ingestion are not throttled client-side beyond a concurrency cap.

Against a loopback base URL (the emulator) there are no rates and 64 requests of a family may be in
flight, unless the emulator announces limits of its own (`--rate-limits`): the first request of
each family then goes alone, and the limits its answer names in `LIMITS_HEADER` are adopted before
any other request of that family leaves, so gathered calls stay inside them without a single 429.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable, Mapping

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

LOCAL_LIMITS: Mapping[str, Limit] = {family: Limit(concurrency=64) for family in MIXPANEL_LIMITS}
"""Against the emulator: no rates and 64 at once, until it announces limits (`LIMITS_HEADER`)."""

LIMITS_HEADER = "X-Emulator-Rate-Limit"
"""Announced by an emulator that enforces rate limits, on every answer of a limited family:
`concurrency=5; rate=60; period=3600; burst=3` (rate, period and burst optional)."""


def parse_announced(value: str | None) -> Limit | None:
    """The `Limit` an emulator announces in `LIMITS_HEADER`, or None (absent or unreadable)."""
    if not value:
        return None
    fields: dict[str, float] = {}
    for part in value.split(";"):
        key, _, number = part.strip().partition("=")
        try:
            fields[key] = float(number)
        except ValueError:
            return None
    concurrency = fields.get("concurrency")
    if concurrency is None or concurrency < 1:
        return None
    return Limit(
        concurrency=int(concurrency),
        rate=fields.get("rate"),
        period=fields.get("period", 3600.0),
        burst_per_second=fields.get("burst"),
    )


class Limiters:
    """The live limiters of one workspace (created lazily, inside the running loop)."""

    def __init__(self, limits: Mapping[str, Limit], *, learn: Iterable[str] = ()) -> None:
        self._limits = dict(limits)
        self._state: dict[str, tuple[asyncio.Semaphore, list[AsyncLimiter]]] = {}
        self._learning = set(learn)
        """Families whose limits the server may still announce (their first request goes alone)."""
        self._probes: dict[str, asyncio.Event] = {}

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

    def learn(self, family: str, headers: Mapping[str, str]) -> None:
        """Adopt the limits a server announces for `family` in an answer's headers (only while
        that family is still being learnt; later answers change nothing)."""
        if family not in self._learning:
            return
        self._learning.discard(family)
        announced = parse_announced(headers.get(LIMITS_HEADER))
        if announced is not None:
            self._limits[family] = announced
            self._state.pop(family, None)

    @contextlib.asynccontextmanager
    async def slot(self, family: str) -> AsyncIterator[None]:
        """Hold one request slot of `family` for the duration of the block."""
        if family in self._learning:
            probe = self._probes.get(family)
            if probe is None:
                self._probes[family] = probe = asyncio.Event()
                try:
                    yield  # the first request goes alone; its answer may announce limits
                finally:
                    learnt = family not in self._learning
                    self._learning.discard(family)
                    probe.set()
                if learnt:
                    for rate in self._get(family)[1]:
                        await rate.acquire()  # the first request counts against them too
                return
            await probe.wait()
        semaphore, rates = self._get(family)
        async with semaphore:
            for rate in rates:
                await rate.acquire()
            yield
