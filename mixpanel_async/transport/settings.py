"""A workspace's transport settings: retries, timeouts, the connection pool."""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.exceptions import ParamValidationError

if TYPE_CHECKING:
    import aiohttp
else:
    aiohttp = LazyModule("aiohttp")


@attrs.frozen
class RetryPolicy:
    """Retries on 429 (honouring `Retry-After`), 5xx and connection errors, jittered backoff."""

    attempts: int = 4
    wait_initial: float = 0.5
    wait_max: float = 30.0
    wait_jitter: float = 1.0
    max_retry_after: float = 60.0
    timeout: float | None = 600.0


@attrs.frozen
class Timeouts:
    """Seconds per request, by host family (Mixpanel's server deadlines plus a margin)."""

    app: float = 135.0
    web: float = 135.0
    query: float = 503.0
    engage: float = 503.0
    ingestion: float = 135.0
    export_read: float = 600.0
    connect: float = 30.0

    def for_family(self, family: str) -> aiohttp.ClientTimeout:
        """The aiohttp timeout for a host family (export: a read timeout, no total)."""
        if family == "export":
            return aiohttp.ClientTimeout(
                total=None, sock_connect=self.connect, sock_read=self.export_read
            )
        total = getattr(self, family, self.query)
        return aiohttp.ClientTimeout(total=total, sock_connect=self.connect)


@attrs.frozen
class ConnectionPool:
    """The HTTP connection pool of one workspace (aiohttp's `TCPConnector` settings).

    Attributes:
        limit: Connections open at once, all hosts together (0: no limit).
        limit_per_host: Connections open at once to one host (0: no limit).
        keepalive_timeout: Seconds an idle connection is kept for reuse.
        ttl_dns_cache: Seconds a DNS answer is reused.
    """

    limit: int = 128
    limit_per_host: int = 0
    keepalive_timeout: float = 15.0
    ttl_dns_cache: int = 300

    def __attrs_post_init__(self) -> None:
        for name in ("limit", "limit_per_host", "ttl_dns_cache"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ParamValidationError(
                    f"ConnectionPool.{name} must be an integer >= 0, got {value!r}", param=name
                )
        keepalive = self.keepalive_timeout
        if isinstance(keepalive, bool) or not isinstance(keepalive, int | float) or keepalive < 0:
            raise ParamValidationError(
                f"ConnectionPool.keepalive_timeout must be a number >= 0, got {keepalive!r}",
                param="keepalive_timeout",
            )

    def connector(self, ssl_context: ssl.SSLContext | None = None) -> aiohttp.TCPConnector:
        """A connector with these settings (inside the running loop), verifying TLS with
        `ssl_context` (the system's trust store by default)."""
        return aiohttp.TCPConnector(
            limit=self.limit,
            limit_per_host=self.limit_per_host,
            keepalive_timeout=self.keepalive_timeout,
            ttl_dns_cache=self.ttl_dns_cache,
            ssl=ssl_context or True,
        )
