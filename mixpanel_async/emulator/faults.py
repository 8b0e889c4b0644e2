"""Injectable faults for resilience tests: status codes, delays, streams cut mid-body.

A rule matches requests by operationId or by path prefix and fires for the next `count`
matching requests. `cut_after` makes a streamed response (export) stop after that many bytes
and drop the connection, as a flaky network would.
"""

from __future__ import annotations

import asyncio
import math
import threading
from collections.abc import AsyncIterator
from typing import Any

import attrs
from aiohttp import web

CUT_AFTER: web.RequestKey[int] = web.RequestKey("cut_after", int)


@attrs.define
class Fault:
    """One rule. `status=None` with `cut_after` or `latency` only degrades the response."""

    operation: str | None = None
    path: str | None = None
    status: int | None = None
    count: int = 1
    retry_after: float | None = None
    latency: float = 0.0
    cut_after: int | None = None
    body: Any = None

    def matches(self, operation_id: str | None, path: str) -> bool:
        """Whether the rule applies to a request of that operation and path."""
        if self.operation is not None:
            return self.operation == operation_id
        if self.path is not None:
            return path.startswith(self.path)
        return True


MAX_LATENCY = 600.0
"""The longest injected delay, in seconds."""


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check(fault: Fault) -> None:
    """Raise `ValueError` naming the first field of `fault` that a rule cannot hold."""
    for name in ("operation", "path"):
        if getattr(fault, name) is not None and not isinstance(getattr(fault, name), str):
            raise ValueError(f"{name} must be a string")
    if not _integer(fault.count) or fault.count < 1:
        raise ValueError("count must be an integer >= 1")
    if fault.status is not None and not (_integer(fault.status) and 400 <= fault.status <= 599):
        raise ValueError("status must be an HTTP error status (400-599)")
    if not _number(fault.latency) or not 0 <= fault.latency <= MAX_LATENCY:
        raise ValueError(f"latency must be a number of seconds from 0 to {MAX_LATENCY:g}")
    if fault.retry_after is not None and not (
        _number(fault.retry_after) and fault.retry_after >= 0
    ):
        raise ValueError("retry_after must be a number of seconds >= 0")
    if fault.cut_after is not None and not (_integer(fault.cut_after) and fault.cut_after >= 0):
        raise ValueError("cut_after must be an integer number of bytes >= 0")


class Faults:
    """The live rules of one emulator (thread-safe: tests may add rules from another thread)."""

    def __init__(self) -> None:
        self._rules: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        """Add a rule, checked field by field (`ValueError` naming the field): a positive count,
        an error status, a delay of 0 to `MAX_LATENCY` seconds, text where text goes."""
        check(fault)
        with self._lock:
            self._rules.append(fault)

    def clear(self) -> None:
        """Drop every rule."""
        with self._lock:
            self._rules.clear()

    def take(self, operation_id: str | None, path: str) -> Fault | None:
        """The first matching rule, consuming one of its uses."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(operation_id, path):
                    rule.count -= 1
                    if rule.count <= 0:
                        self._rules.remove(rule)
                    return rule
        return None

    def snapshot(self) -> list[dict[str, Any]]:
        """The live rules as JSON-ready dicts."""
        with self._lock:
            return [attrs.asdict(r) for r in self._rules]


async def write_stream(
    request: web.Request,
    response: web.StreamResponse,
    chunks: AsyncIterator[bytes] | AsyncIterator[bytes | memoryview],
) -> web.StreamResponse:
    """Write `chunks` to a prepared response, honouring a `cut_after` fault."""
    cut = request.get(CUT_AFTER)
    sent = 0
    async for chunk in chunks:
        if cut is not None and sent + len(chunk) >= cut:
            await response.write(chunk[: max(cut - sent, 0)])
            await asyncio.sleep(0)
            transport = request.transport
            if transport is not None:
                transport.abort()
            return response
        await response.write(chunk)
        sent += len(chunk)
    await response.write_eof()
    return response


FAULTS: web.AppKey[Faults] = web.AppKey("faults", Faults)
