"""OpenTelemetry spans for the client's requests, when `opentelemetry-api` is installed.

One CLIENT span per logical request (its retries included), named `METHOD /path/{template}` as
OpenTelemetry's HTTP conventions ask, with `http.request.method`, `url.template`,
`server.address`/`server.port`, `http.response.status_code`, `mixpanel.operation` and
`mixpanel.attempts` (HTTP attempts made), and `error.type` on failure. Never the URL with its
ids, never query strings or headers, so no secret reaches a trace. Without the package, or
without an SDK configured by the application, this costs next to nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from mixpanel_async._version import __version__

try:
    from opentelemetry import trace as _trace
except ImportError:  # pragma: no cover - exercised only where the package is missing
    _trace = None  # type: ignore[assignment]


class _NoSpan:
    """Stands in for a span when OpenTelemetry is not installed."""

    def set_attribute(self, key: str, value: Any) -> None:
        """Ignore the attribute."""


NO_SPAN = _NoSpan()


@contextlib.contextmanager
def request_span(
    method: str, url: str, template: str | None, operation: str | None
) -> Iterator[Any]:
    """The span of one logical request (the current span while its attempts run); `url` is
    read only for its host and port."""
    if _trace is None:
        yield NO_SPAN
        return
    from opentelemetry.trace import SpanKind, Status, StatusCode

    tracer = _trace.get_tracer("mixpanel_async", __version__)
    name = f"{method} {template or 'raw'}"
    where = urlsplit(url)
    with tracer.start_as_current_span(
        name, kind=SpanKind.CLIENT, record_exception=False, set_status_on_exception=False
    ) as span:
        span.set_attribute("http.request.method", method)
        if template:
            span.set_attribute("url.template", template)
        if where.hostname:
            span.set_attribute("server.address", where.hostname)
        if where.port:
            span.set_attribute("server.port", where.port)
        if operation:
            span.set_attribute("mixpanel.operation", operation)
        try:
            yield span
        except BaseException as exc:
            status = getattr(exc, "status_code", None)
            if isinstance(status, int):
                span.set_attribute("http.response.status_code", status)
            span.set_attribute("error.type", type(exc).__name__)
            span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise


def record_status(status: int) -> None:
    """Put a response's status on the current request span (if there is one)."""
    if _trace is not None:
        _trace.get_current_span().set_attribute("http.response.status_code", status)
