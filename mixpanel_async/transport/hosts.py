"""Base URLs per region and host family, and the single base-URL override."""

from __future__ import annotations

import ipaddress
from typing import get_args
from urllib.parse import urlsplit

import attrs

from mixpanel_async._operation import HOST_PREFIX, HostFamily
from mixpanel_async.exceptions import ConfigError

REGIONS = ("us", "eu", "in")

# Region → host names. Mixpanel's query/app/engage live on the web host; export on the data host;
# ingestion on the api host.
_WEB = {"us": "mixpanel.com", "eu": "eu.mixpanel.com", "in": "in.mixpanel.com"}
_DATA = {"us": "data.mixpanel.com", "eu": "data-eu.mixpanel.com", "in": "data-in.mixpanel.com"}
_INGEST = {"us": "api.mixpanel.com", "eu": "api-eu.mixpanel.com", "in": "api-in.mixpanel.com"}

_PREFIX = HOST_PREFIX


@attrs.frozen
class Hosts:
    """The base URL of every host family for one workspace."""

    query: str
    export: str
    engage: str
    app: str
    ingestion: str
    web: str
    local: bool = False
    """True when every family points at a loopback address (the emulator)."""

    def base(self, family: HostFamily) -> str:
        """The base URL of a host family."""
        url: str = getattr(self, family)
        return url

    def url(self, family: HostFamily, path: str) -> str:
        """The URL of `path` below a host family's base."""
        base = self.base(family)
        return base + path if path != "/" or family != "ingestion" else base + "/"


def for_region(region: str) -> Hosts:
    """Mixpanel's public hosts for `region` (us, eu or in)."""
    if region not in REGIONS:
        raise ConfigError(f"unknown region {region!r}: use one of {', '.join(REGIONS)}")
    web = f"https://{_WEB[region]}"
    return Hosts(
        query=web + _PREFIX["query"],
        export=f"https://{_DATA[region]}" + _PREFIX["export"],
        engage=web + _PREFIX["engage"],
        app=web + _PREFIX["app"],
        ingestion=f"https://{_INGEST[region]}",
        web=web,
    )


def for_base_url(base_url: str, *, app_base_url: str | None = None) -> Hosts:
    """Every family re-homed under one base URL, as `MP_API_BASE_URL` does for the peer."""
    base = _clean(base_url, "base_url")
    app = _clean(app_base_url, "MP_APP_BASE_URL") if app_base_url else base
    return Hosts(
        query=base + _PREFIX["query"],
        export=base + _PREFIX["export"],
        engage=base + _PREFIX["engage"],
        app=app + _PREFIX["app"],
        ingestion=base,
        web=base,
        local=_is_loopback(base) and _is_loopback(app),
    )


def with_app_base_url(hosts: Hosts, app_base_url: str) -> Hosts:
    """Re-home only the App API family (`MP_APP_BASE_URL`)."""
    app = _clean(app_base_url, "MP_APP_BASE_URL")
    return attrs.evolve(hosts, app=app + _PREFIX["app"], local=False)


def _clean(url: str, what: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"{what} must be an http(s) URL such as http://127.0.0.1:4808, got {url!r}"
        )
    return url.rstrip("/")


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


assert set(_PREFIX) == set(get_args(HostFamily))
