"""Opt-in Mixpanel rate limits (`--rate-limits`, `Emulator(rate_limits=True)`).

Mixpanel's published limits, per project ("Rate Limits" in its API reference):

- Query API (operations whose `x-mixpanel-rate-limit` is `query` or `engage`): 60 queries per
  hour, 5 at once;
- raw export (`export`): 60 per hour, 3 per second, 100 at once;
- ingestion (`ingestion`: `/track`, `/engage`, `/groups`, `/import`): 2 GB of JSON per rolling
  minute (counted here as request bytes on the wire, compressed or not).

A request over a limit is refused before any work with a 429 in its family's error shape (for
`/import` Mixpanel's own `{"code": 429, "error": ..., "status": "Too Many Requests"}`) and a
`Retry-After` in whole seconds: when the oldest counted request leaves the window, or one
second for a concurrency refusal. Refused requests are not counted. Windows are rolling; their
lengths can be scaled (`RateLimits(scale=0.01)` makes "an hour" 36 s) so tests need not wait.

Every answer of a limited Query API or export operation announces the limits in force in the
header our client reads (`transport.limits.LIMITS_HEADER`), so a client can keep within them
from its second request on; Mixpanel itself announces nothing.
"""

from __future__ import annotations

import collections
import math
import time
from collections.abc import Awaitable, Callable

import attrs
from aiohttp import web

from mixpanel_async._generated.operations import ALL
from mixpanel_async.emulator import errors, render
from mixpanel_async.emulator.router import AUTH_PROJECT
from mixpanel_async.transport.limits import LIMITS_HEADER

__all__ = ["RATE_LIMITS", "RateLimits", "rate_limits_middleware"]


@attrs.frozen
class RateLimits:
    """The limits the emulator enforces (Mixpanel's by default)."""

    query_per_hour: int = 60
    query_concurrent: int = 5
    export_per_hour: int = 60
    export_per_second: int = 3
    export_concurrent: int = 100
    ingestion_bytes_per_minute: int = 2 * 1024**3
    scale: float = 1.0
    """Multiplies every window's length (1.0: real seconds, minutes and hours)."""


RATE_LIMITS: web.AppKey[RateLimits] = web.AppKey("rate_limits", RateLimits)
_COUNTERS: web.AppKey[_Counters] = web.AppKey("rate_limit_counters")
_FAMILY: web.RequestKey[str] = web.RequestKey("rate_limit_family", str)

_Next = Callable[[web.Request], Awaitable[web.StreamResponse]]


class _Window:
    """A rolling window of (time, weight) entries."""

    def __init__(self, seconds: float, limit: float) -> None:
        self.seconds = seconds
        self.limit = limit
        self._entries: collections.deque[tuple[float, float]] = collections.deque()
        self._total = 0.0

    def _expire(self, now: float) -> None:
        while self._entries and self._entries[0][0] <= now - self.seconds:
            self._total -= self._entries.popleft()[1]

    def wait(self, now: float, weight: float = 1.0) -> float:
        """0 when `weight` more fits now; else seconds until enough has left the window."""
        self._expire(now)
        if self._total + weight <= self.limit or not self._entries:
            return 0.0
        excess = self._total + weight - self.limit
        freed = 0.0
        for stamp, amount in self._entries:
            freed += amount
            if freed >= excess:
                return stamp + self.seconds - now
        return self.seconds

    def add(self, now: float, weight: float = 1.0) -> None:
        """Count `weight` at `now`."""
        self._entries.append((now, weight))
        self._total += weight


class _Counters:
    """Per (project, family): requests in flight and the rolling windows."""

    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self.in_flight: collections.Counter[tuple[str, str]] = collections.Counter()
        self._windows: dict[tuple[str, str], list[_Window]] = {}

    def windows(self, key: tuple[str, str]) -> list[_Window]:
        found = self._windows.get(key)
        if found is None:
            lim, scale = self.limits, self.limits.scale
            found = {
                "query": [_Window(3600 * scale, lim.query_per_hour)],
                "export": [
                    _Window(3600 * scale, lim.export_per_hour),
                    _Window(1 * scale, lim.export_per_second),
                ],
                "ingestion": [_Window(60 * scale, lim.ingestion_bytes_per_minute)],
            }[key[1]]
            self._windows[key] = found
        return found

    def concurrency(self, family: str) -> int | None:
        return {"query": self.limits.query_concurrent, "export": self.limits.export_concurrent}.get(
            family
        )


# Each operation's `x-mixpanel-rate-limit` family, as limited here (the engage query is one of
# the Query API's; the App API has no published limit).
_LIMITED = {"query": "query", "engage": "query", "export": "export", "ingestion": "ingestion"}


def _family(request: web.Request) -> str | None:
    operation_id = getattr(request.match_info.route.handler, "operation_id", None)
    operation = ALL.get(operation_id) if isinstance(operation_id, str) else None
    return None if operation is None else _LIMITED.get(operation.rate_limit)


def _project(request: web.Request) -> str:
    auth = request.get(AUTH_PROJECT)
    if auth is not None:
        return str(auth.project_id)
    return request.query.get("project_id", "")


def _refuse(request: web.Request, family: str, message: str, wait: float) -> web.Response:
    shape = {"query": "query", "export": "export"}.get(family) or (
        "import" if request.path.startswith("/import") else "ingestion"
    )
    extra = {"verbose": True} if shape == "ingestion" else {}
    response = render.error(shape, 429, message, request, **extra)
    response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


@web.middleware
async def rate_limits_middleware(request: web.Request, handler: _Next) -> web.StreamResponse:
    """Refuse requests over the configured limits with a 429 and `Retry-After`."""
    counters = request.app.get(_COUNTERS)
    family = _family(request) if counters is not None else None
    if counters is None or family is None or request.method == "OPTIONS":
        return await handler(request)
    request[_FAMILY] = family
    key = (_project(request), family)
    cap = counters.concurrency(family)
    if cap is not None and counters.in_flight[key] >= cap:
        text = errors.QUERY_RATE_LIMITED.format(limit=cap, what="concurrent queries")
        return _refuse(request, family, text, counters.limits.scale)
    weight = float(request.content_length or 0) if family == "ingestion" else 1.0
    now = time.monotonic()
    windows = counters.windows(key)
    for window in windows:
        wait = window.wait(now, weight)
        if wait > 0:
            if family == "ingestion":
                return _refuse(request, family, errors.INGEST_RATE_LIMITED, wait)
            per = "hour" if window is windows[0] else "second"
            text = errors.QUERY_RATE_LIMITED.format(limit=window.limit, what=f"queries per {per}")
            return _refuse(request, family, text, wait)
    for window in windows:
        window.add(now, weight)
    counters.in_flight[key] += 1
    try:
        return await handler(request)
    finally:
        counters.in_flight[key] -= 1


def _announcement(limits: RateLimits, family: str) -> str | None:
    """The `LIMITS_HEADER` value for `family` (None: nothing a client could pace by)."""
    hour = 3600 * limits.scale
    if family == "query":
        return (
            f"concurrency={limits.query_concurrent}; rate={limits.query_per_hour}; period={hour:g}"
        )
    if family == "export":
        return (
            f"concurrency={limits.export_concurrent}; rate={limits.export_per_hour}; "
            f"period={hour:g}; burst={limits.export_per_second}"
        )
    return None


async def announce_limits(request: web.Request, response: web.StreamResponse) -> None:
    """Name the limits in force on each answer of a limited family (refusals included)."""
    family = request.get(_FAMILY)
    counters = request.app.get(_COUNTERS)
    if family is None or counters is None:
        return
    value = _announcement(counters.limits, family)
    if value is not None:
        response.headers[LIMITS_HEADER] = value


def install_rate_limits(app: web.Application, limits: RateLimits | bool | None) -> None:
    """Turn the limits on for `app` (`True`: Mixpanel's; a `RateLimits`: those)."""
    if not limits:
        return
    chosen = limits if isinstance(limits, RateLimits) else RateLimits()
    app[RATE_LIMITS] = chosen
    app[_COUNTERS] = _Counters(chosen)
    app.on_response_prepare.append(announce_limits)
