"""HTTP status → the library's exceptions, with Mixpanel's own error text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from mixpanel_async.exceptions import (
    APIError,
    AuthenticationError,
    QueryError,
    RateLimitError,
    ServerError,
)
from mixpanel_async.transport.redact import mask_query, masked, masked_params

_REQUEST_ID_HEADERS = ("X-Request-Id", "X-MP-Request-Id", "Request-Id")
_REASONS = {
    401: "Authentication failed",
    403: "Permission denied",
    404: "Resource not found",
    422: "Unprocessable entity",
    429: "Rate limit exceeded",
}


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from a `Retry-After` header (integer or decimal seconds); None if absent or bad."""
    raw = headers.get("Retry-After")
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value >= 0 else None


def error_text(body: bytes) -> tuple[str | None, str | dict[str, Any] | None]:
    """Mixpanel's error message and the decoded body (dict when JSON, else text)."""
    if not body:
        return None, None
    try:
        decoded: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        text = body[:2000].decode("utf-8", "replace")
        return text.strip() or None, text
    if isinstance(decoded, dict):
        err = decoded.get("error") or decoded.get("message") or decoded.get("details")
        if isinstance(err, dict):
            err = err.get("message") or err.get("detail")
        return (str(err) if err else None), decoded
    return None, str(decoded)


def request_id(headers: Mapping[str, str]) -> str | None:
    """Mixpanel's request id from the response headers, if any."""
    for name in _REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None


def to_exception(
    status: int,
    body: bytes,
    headers: Mapping[str, str],
    *,
    method: str,
    url: str,
    params: Mapping[str, Any] | None,
) -> APIError:
    """The exception for an error response (status ≥ 400)."""
    text, decoded = error_text(body)
    reason = _REASONS.get(status, "Server error" if status >= 500 else "Request failed")
    url = mask_query(url)
    message = f"{reason} ({status} {method} {url})" + (f": {mask_query(text)}" if text else "")
    kwargs: dict[str, Any] = {
        "status_code": status,
        "response_body": masked(decoded),
        "request_method": method,
        "request_url": url,
        "request_params": None if params is None else masked_params(params),
        "request_id": request_id(headers),
    }
    if status == 401:
        return AuthenticationError(message, **kwargs)
    if status == 429:
        return RateLimitError(message, retry_after=parse_retry_after(headers), **kwargs)
    if status >= 500:
        return ServerError(message, **kwargs)
    return QueryError(message, **kwargs)
