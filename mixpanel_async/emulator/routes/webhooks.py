"""Webhooks: what the generic entity handlers (`entity_routes.py`) do not cover."""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import body, ok
from mixpanel_async.emulator.router import Call, Routes

routes = Routes()


@routes("test_webhook")
async def test_webhook(call: Call) -> web.Response:
    """POST webhooks/test/: Mixpanel calls the URL and reports what it answered.

    The emulator never connects anywhere (a test suite must not reach the network, nor a
    webhook be used to probe one): it checks the URL's shape, an absolute http(s) URL with a
    host, and answers as if the endpoint had replied 200; a malformed URL is a 400.
    """
    url = str((await body(call))["url"])
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EmulatorError(400, errors.BAD_WEBHOOK_URL.format(url=url))
    return ok(
        {"success": True, "status_code": 200, "message": "The emulator did not call the URL."}
    )
