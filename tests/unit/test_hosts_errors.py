"""Hosts per region, the base-URL override, and status → exception mapping."""

from __future__ import annotations

import pytest

from mixpanel_async import (
    AuthenticationError,
    ConfigError,
    QueryError,
    RateLimitError,
    ServerError,
)
from mixpanel_async.transport import hosts
from mixpanel_async.transport.errors import parse_retry_after, to_exception


@pytest.mark.parametrize(
    ("region", "query", "export", "ingestion"),
    [
        (
            "us",
            "https://mixpanel.com/api/query",
            "https://data.mixpanel.com/api/2.0",
            "https://api.mixpanel.com",
        ),
        (
            "eu",
            "https://eu.mixpanel.com/api/query",
            "https://data-eu.mixpanel.com/api/2.0",
            "https://api-eu.mixpanel.com",
        ),
        (
            "in",
            "https://in.mixpanel.com/api/query",
            "https://data-in.mixpanel.com/api/2.0",
            "https://api-in.mixpanel.com",
        ),
    ],
)
def test_regions(region: str, query: str, export: str, ingestion: str) -> None:
    h = hosts.for_region(region)
    assert (h.query, h.export, h.ingestion) == (query, export, ingestion)
    assert h.engage == query + "/engage"
    assert h.app == query.replace("/api/query", "/api/app")
    assert not h.local


def test_unknown_region() -> None:
    with pytest.raises(ConfigError, match="unknown region"):
        hosts.for_region("apac")


def test_base_url_maps_families_like_the_peer() -> None:
    h = hosts.for_base_url("http://127.0.0.1:4808/")
    assert h.query == "http://127.0.0.1:4808/api/query"
    assert h.export == "http://127.0.0.1:4808/api/2.0"
    assert h.engage == "http://127.0.0.1:4808/api/query/engage"
    assert h.app == "http://127.0.0.1:4808/api/app"
    assert h.ingestion == "http://127.0.0.1:4808"
    assert h.local


def test_app_base_override() -> None:
    h = hosts.with_app_base_url(hosts.for_region("us"), "https://app.internal")
    assert h.app == "https://app.internal/api/app"
    assert h.query == "https://mixpanel.com/api/query"


@pytest.mark.parametrize("bad", ["localhost:4808", "ftp://x", ""])
def test_bad_base_url(bad: str) -> None:
    with pytest.raises(ConfigError):
        hosts.for_base_url(bad)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, QueryError),
        (401, AuthenticationError),
        (403, QueryError),
        (404, QueryError),
        (422, QueryError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
    ],
)
def test_status_mapping(status: int, kind: type[Exception]) -> None:
    body = b'{"request": "/api/2.0/export", "error": "from_date is invalid"}'
    exc = to_exception(
        status,
        body,
        {"X-Request-Id": "req-1", "Retry-After": "3"},
        method="GET",
        url="http://h/api/2.0/export",
        params={"a": "1"},
    )
    assert type(exc) is kind
    assert exc.status_code == status
    assert exc.request_id == "req-1"
    assert "from_date is invalid" in str(exc)
    assert exc.response_body == {"request": "/api/2.0/export", "error": "from_date is invalid"}
    if isinstance(exc, RateLimitError):
        assert exc.retry_after == 3


def test_app_error_shape_and_text_bodies() -> None:
    exc = to_exception(
        400,
        b'{"status": "error", "error": "title is required"}',
        {},
        method="POST",
        url="u",
        params=None,
    )
    assert "title is required" in str(exc)
    exc = to_exception(502, b"<html>bad gateway</html>", {}, method="GET", url="u", params=None)
    assert "bad gateway" in str(exc)


@pytest.mark.parametrize(
    ("raw", "value"), [("5", 5.0), ("0.25", 0.25), ("-1", None), ("soon", None)]
)
def test_retry_after(raw: str, value: float | None) -> None:
    assert parse_retry_after({"Retry-After": raw}) == value
