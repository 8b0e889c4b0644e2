"""The aiohttp application: routes from every family plus middlewares for errors, CORS,
authentication and injected faults."""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from mixpanel_async._operation import HOST_PREFIX
from mixpanel_async.emulator import cors, errors, render
from mixpanel_async.emulator.admin import install_admin
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.faults import CUT_AFTER, FAULTS, Faults
from mixpanel_async.emulator.persistence import journal_middleware
from mixpanel_async.emulator.rate_limits import (
    RateLimits,
    install_rate_limits,
    rate_limits_middleware,
)
from mixpanel_async.emulator.router import AUTH_PROJECT, MAX_WIRE_BODY, STATE, install
from mixpanel_async.emulator.store import State
from mixpanel_async.transport.redact import mask_query

log = logging.getLogger("mixpanel_async.emulator")

_Next = Callable[[web.Request], Awaitable[web.StreamResponse]]
MAX_URL = 8190
"""The longest request URL (path and query) served; longer ones get a Mixpanel-shaped 400. The
HTTP parser's own line limit is set above it (`PARSER_LIMITS`) so that such a request reaches
the errors middleware instead of getting aiohttp's plain-text 400."""
PARSER_LIMITS: dict[str, Any] = {"max_line_size": 1 << 20, "max_field_size": 1 << 16}


def family_of(path: str) -> str:
    """The error-shape family of a request path."""
    if path.startswith(HOST_PREFIX["app"]):
        return "app"
    if path.startswith("/import"):
        return "import"
    if path.startswith("/record"):
        return "record"
    if path.startswith(("/track", "/engage", "/groups")):
        return "ingestion"
    if path.startswith("/flags"):
        return "flags"
    if path.startswith("/lookup-tables"):
        return "lookup"
    if path.startswith(HOST_PREFIX["export"]):
        return "export"
    return "query"


@web.middleware
async def errors_middleware(request: web.Request, handler: _Next) -> web.StreamResponse:
    """Turn every failure into Mixpanel's error shape for the route's family."""
    family = family_of(request.path)
    if len(request.raw_path) > MAX_URL:
        return render.error(family, 400, errors.URL_TOO_LONG.format(limit=MAX_URL), request)
    try:
        response = await handler(request)
    except EmulatorError as exc:
        return render.error(family, exc.status, exc.message, request, **exc.extra)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        text = exc.reason or "error"
        return render.error(family, exc.status, text, request)
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception:
        log.exception("unhandled error on %s %s", request.method, mask_query(request.path_qs))
        return render.error(family, 500, errors.INTERNAL, request)
    return response


@web.middleware
async def cors_middleware(request: web.Request, handler: _Next) -> web.StreamResponse:
    """Answer CORS preflights; every answer's CORS headers come from `cors.add_cors_headers`."""
    if request.method == "OPTIONS":
        return cors.preflight(request)
    return await handler(request)


@web.middleware
async def faults_middleware(request: web.Request, handler: _Next) -> web.StreamResponse:
    """Apply the first injected fault that matches the request, if any."""
    if request.path.startswith(("/__emulator", "/__parlel", "/health")):
        return await handler(request)
    route = request.match_info.route
    operation_id = getattr(route.handler, "operation_id", None)
    fault = request.app[FAULTS].take(operation_id, request.path)
    if fault is None:
        return await handler(request)
    if fault.latency:
        await asyncio.sleep(fault.latency)
    if fault.status is not None:
        headers = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = f"{fault.retry_after:g}"
        message = fault.body or render.STATUS_TEXT.get(fault.status, "injected fault")
        response = render.error(family_of(request.path), fault.status, str(message), request)
        response.headers.update(headers)
        return response
    if fault.cut_after is not None:
        request[CUT_AFTER] = fault.cut_after
    return await handler(request)


@web.middleware
async def auth_middleware(request: web.Request, handler: _Next) -> web.StreamResponse:
    """Permissive by default; with `strict_auth`, only configured credentials pass.

    A project's API secret (legacy auth: the secret as user name, empty password, or
    `api_key=`) also pins the request to that project: naming another `project_id` is a 403.
    """
    state = request.app[STATE]
    family = family_of(request.path)
    if request.path.startswith(("/__emulator", "/__parlel", "/health")) or family in (
        "ingestion",
        "record",
    ):
        return await handler(request)
    if family == "flags":  # token auth, checked by the handler (the token names the project)
        return await handler(request)
    header = request.headers.get("Authorization", "")
    user, secret = _basic(header)
    legacy = user if (user is not None and not secret) else request.query.get("api_key")
    secret_project = state.by_secret(legacy) if legacy and not state.open else None
    if secret_project is not None:
        request[AUTH_PROJECT] = secret_project
        asked = request.query.get("project_id")
        if asked is not None and asked != secret_project.project_id:
            raise EmulatorError(403, errors.FORBIDDEN_PROJECT.format(project_id=asked))
    if not state.strict_auth:
        return await handler(request)
    service_ok = bool(user and secret) and state.service_accounts.get(user or "") == secret
    bearer_ok = header.startswith("Bearer ") and header[7:] in state.service_accounts.values()
    if not (service_ok or bearer_ok or secret_project is not None):
        if request.path.startswith("/s/"):  # the web host sends a visitor to its login page
            raise web.HTTPFound(f"/login?next={request.path}")
        raise EmulatorError(401, errors.UNAUTHORIZED)
    return await handler(request)


def _basic(header: str) -> tuple[str | None, str | None]:
    if not header.startswith("Basic "):
        return None, None
    try:
        user, _, secret = base64.b64decode(header[6:], validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise EmulatorError(401, errors.UNAUTHORIZED) from None
    return user, secret


def create_app(
    state: State | None = None, *, rate_limits: bool | RateLimits = False
) -> web.Application:
    """The emulator's aiohttp application over `state` (a fresh open one by default), with
    Mixpanel's rate limits when `rate_limits` is true (or those given)."""
    from mixpanel_async.emulator.routes import ALL_ROUTES
    from mixpanel_async.emulator.routes.lookup_tables import install_lookup_storage
    from mixpanel_async.emulator.routes.replays import install_replay_cdn

    app = web.Application(
        client_max_size=MAX_WIRE_BODY,
        middlewares=[
            errors_middleware,
            cors_middleware,
            auth_middleware,
            rate_limits_middleware,  # before faults: an injected latency is time in flight
            faults_middleware,
        ],
    )
    app.middlewares.append(journal_middleware)  # innermost: logs a request's changes first
    app[STATE] = state or State()
    app[FAULTS] = Faults()
    app.on_response_prepare.append(cors.add_cors_headers)
    install(app, ALL_ROUTES)
    install_admin(app)
    install_rate_limits(app, rate_limits)
    install_replay_cdn(app)
    install_lookup_storage(app)
    return app
