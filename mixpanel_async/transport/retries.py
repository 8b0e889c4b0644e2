"""Retries of one request: what is retried and how long to wait (stamina, honouring
`Retry-After`), the rate-limit slot each attempt runs in, the log line of each scheduled retry,
the telemetry span around them, and the library's exception for what finally escapes."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from mixpanel_async._operation import LazyModule
from mixpanel_async.exceptions import (
    APIError,
    MixpanelConnectionError,
    MixpanelTimeoutError,
)
from mixpanel_async.transport import telemetry
from mixpanel_async.transport.errors import parse_retry_after, to_exception
from mixpanel_async.transport.limits import Limiters
from mixpanel_async.transport.prepared import Prepared
from mixpanel_async.transport.redact import mask_query
from mixpanel_async.transport.settings import RetryPolicy

if TYPE_CHECKING:
    import aiohttp
    import stamina
else:
    aiohttp = LazyModule("aiohttp")
    stamina = LazyModule("stamina")

T = TypeVar("T")
log = logging.getLogger("mixpanel_async.transport")


class RetryableStatus(Exception):
    """A response worth retrying (429/5xx); carries the error to raise if retries run out."""

    def __init__(self, error: APIError, retry_after: float | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def raise_for(prepared: Prepared, status: int, body: bytes, headers: Mapping[str, str]) -> None:
    """Raise the library's error for an error answer; a 429 or 5xx wrapped so that it is
    retried."""
    error = to_exception(
        status,
        body,
        headers,
        method=prepared.method,
        url=prepared.url,
        params=dict(prepared.params),
    )
    if status == 429 or status >= 500:
        raise RetryableStatus(error, parse_retry_after(headers))
    raise error


def retry_hook(policy: RetryPolicy, exc: Exception) -> bool | float:
    """Whether (or after how many seconds, for a `Retry-After`) `exc` is retried."""
    if isinstance(exc, RetryableStatus):
        if exc.retry_after is not None:
            return min(exc.retry_after, policy.max_retry_after)
        return True
    return isinstance(
        exc, aiohttp.ClientConnectionError | aiohttp.ClientPayloadError | asyncio.TimeoutError
    )


def _retrying(policy: RetryPolicy) -> Any:
    return stamina.retry_context(
        on=functools.partial(retry_hook, policy),
        attempts=policy.attempts,
        timeout=policy.timeout,
        wait_initial=policy.wait_initial,
        wait_max=policy.wait_max,
        wait_jitter=policy.wait_jitter,
    )


async def retried(
    policy: RetryPolicy,
    limiters: Limiters,
    prepared: Prepared,
    attempt: Callable[[], Awaitable[T]],
) -> T:
    """Run `attempt` in a rate-limit slot, retrying what `retry_hook` allows, and map what
    finally escapes to the library's exceptions (one place for `send` and `stream`).

    Each scheduled retry is logged (logger `mixpanel_async.transport`, WARNING) with the
    method, the URL without its query, the attempt number, the wait and the cause; the
    error finally raised records how many HTTP attempts were made (`details["attempts"]`).
    """
    tries = 0
    with telemetry.request_span(
        prepared.method, prepared.url, prepared.template, prepared.operation
    ) as span:
        try:
            async for retry in _retrying(policy):
                with retry:
                    tries = retry.num
                    try:
                        async with limiters.slot(prepared.rate_limit):
                            return await attempt()
                    except Exception as exc:
                        _log_retry(policy, prepared, retry.num, retry.next_wait, exc)
                        raise
        except RetryableStatus as exc:
            exc.error.details["attempts"] = tries
            raise exc.error from None
        except TimeoutError as exc:
            raise MixpanelTimeoutError(
                f"{prepared.method} {prepared.url} timed out after {tries} attempt(s)",
                details={"url": prepared.url, "attempts": tries},
            ) from exc
        except aiohttp.ClientError as exc:
            raise MixpanelConnectionError(
                f"{prepared.method} {prepared.url} failed after {tries} attempt(s): "
                f"{mask_query(str(exc))}",
                details={"url": prepared.url, "attempts": tries},
            ) from exc
        finally:
            span.set_attribute("mixpanel.attempts", tries)
    raise AssertionError("unreachable")  # pragma: no cover


def _log_retry(
    policy: RetryPolicy, prepared: Prepared, num: int, wait: float, exc: Exception
) -> None:
    """Log a retry that is about to be scheduled (nothing when the attempts are spent or
    the error is not retried)."""
    verdict = retry_hook(policy, exc)
    if verdict is False or num >= policy.attempts:
        return
    if not isinstance(verdict, bool):
        wait = verdict
    cause = exc.error if isinstance(exc, RetryableStatus) else exc
    log.warning(
        "retrying %s %s (attempt %d of %d failed: %s); next attempt in %.2f s",
        prepared.method,
        prepared.url,
        num,
        policy.attempts,
        type(cause).__name__,
        wait,
        extra={
            "mixpanel_method": prepared.method,
            "mixpanel_url": prepared.url,
            "mixpanel_attempt": num,
            "mixpanel_attempts": policy.attempts,
            "mixpanel_wait": round(wait, 3),
            "mixpanel_status": getattr(cause, "status_code", None),
        },
    )
