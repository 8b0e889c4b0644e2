"""CORS as browsers need it: every answer (errors and streamed bodies included) names the
caller's origin, with credentials allowed, and preflights allow what they ask for.

The browser SDK sends its XHRs `withCredentials`, so a wildcard `Access-Control-Allow-Origin`
makes Chromium hide the answer from the page (the SDK then sees status 0). With an `Origin`
header the emulator echoes it and adds `Access-Control-Allow-Credentials: true`; without one
(servers, curl) it answers `*`. Preflights echo `Access-Control-Request-Headers` (the SDK's
`traceparent`, say) and grant Chromium's private-network access when asked.
"""

from __future__ import annotations

from aiohttp import web

ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
DEFAULT_ALLOW_HEADERS = "Authorization, Content-Type, Content-Encoding, X-Requested-With"
MAX_AGE = "86400"


def preflight(request: web.Request) -> web.Response:
    """The 204 answer to an `OPTIONS` request, allowing the method and headers it asks for."""
    asked = request.headers.get("Access-Control-Request-Headers", "").strip()
    headers = {
        "Access-Control-Allow-Methods": ALLOW_METHODS,
        "Access-Control-Allow-Headers": asked or DEFAULT_ALLOW_HEADERS,
        "Access-Control-Max-Age": MAX_AGE,
    }
    if request.headers.get("Access-Control-Request-Private-Network", "").lower() == "true":
        headers["Access-Control-Allow-Private-Network"] = "true"
    return web.Response(status=204, headers=headers)


async def add_cors_headers(request: web.Request, response: web.StreamResponse) -> None:
    """`on_response_prepare` hook: let the caller's origin read this answer, whatever it is."""
    origin = request.headers.get("Origin")
    headers = response.headers
    if not origin:
        headers.setdefault("Access-Control-Allow-Origin", "*")
        return
    headers["Access-Control-Allow-Origin"] = origin
    headers["Access-Control-Allow-Credentials"] = "true"
    vary = headers.get("Vary")
    if vary is None:
        headers["Vary"] = "Origin"
    elif "origin" not in vary.lower():
        headers["Vary"] = f"{vary}, Origin"
