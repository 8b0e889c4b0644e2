"""Admin endpoints that are the emulator's own (not Mixpanel's): health, reset,
inspection, faults. `/__parlel/*` paths are kept as aliases of `/__emulator/*`."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from aiohttp import web

from mixpanel_async._version import __version__
from mixpanel_async.emulator import errors
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.event_text import full_texts
from mixpanel_async.emulator.faults import FAULTS, Fault
from mixpanel_async.emulator.render import json_response
from mixpanel_async.emulator.router import STATE
from mixpanel_async.emulator.store import State
from mixpanel_async.emulator.tls import CA_PEM

ADMIN_TOKEN: web.AppKey[str] = web.AppKey("admin_token", str)
"""The token that opens the admin routes of a `strict_auth` emulator (`--admin-token`)."""
_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def events_of(
    state: State, project_id: str | None = None, *, deduped: bool = True
) -> list[dict[str, Any]]:
    """Stored events as `{"event", "properties"}` dicts (what export would return)."""
    projects = [state.by_id(project_id)] if project_id else list(state)
    out: list[dict[str, Any]] = []
    for project in projects:
        if project is None:
            continue
        frame = project.events.deduped() if deduped else project.events.frame()
        frame = frame.with_columns(full_texts(frame))  # the stored texts lack the column keys
        for event, props in zip(frame["event"], frame["properties"], strict=True):
            out.append({"event": event, "properties": orjson.loads(props)})
    return out


def profiles_of(state: State, project_id: str | None = None) -> list[dict[str, Any]]:
    """Stored user profiles as `{$distinct_id, $properties}` dicts (of every project by default)."""
    projects = [state.by_id(project_id)] if project_id else list(state)
    return [
        {"$distinct_id": did, "$properties": dict(props)}
        for project in projects
        if project is not None
        for did, props in project.profiles.items()
    ]


async def health(request: web.Request) -> web.Response:
    """GET /health: `{"status": "ok"}` while the emulator serves."""
    return json_response({"status": "ok"})


async def root(request: web.Request) -> web.Response:
    """GET /: what this server is, its version, mode and projects."""
    state = request.app[STATE]
    return json_response(
        {
            "service": "mixpanel-async emulator",
            "version": __version__,
            "mode": "open" if state.open else "configured",
            "projects": sorted(state.projects),
            "docs": "point clients at this URL with MP_API_BASE_URL",
        }
    )


async def reset(request: web.Request) -> web.Response:
    """POST /__emulator/reset: forget every event, profile, entity and fault."""
    request.app[STATE].reset()
    request.app[FAULTS].clear()
    return json_response({"status": "ok"})


async def list_events(request: web.Request) -> web.Response:
    """GET /__emulator/events: the stored events (of `project_id`, or all)."""
    return json_response(events_of(request.app[STATE], request.query.get("project_id")))


async def delete_events(request: web.Request) -> web.Response:
    """DELETE /__emulator/events: drop the stored events (of `project_id`, or all)."""
    state = request.app[STATE]
    pid = request.query.get("project_id")
    for project in [state.by_id(pid)] if pid else list(state):
        if project is not None:
            project.events.clear()
    return json_response({"status": "ok"})


async def list_people(request: web.Request) -> web.Response:
    """GET /__emulator/people: the stored profiles (of `project_id`, or all)."""
    return json_response(profiles_of(request.app[STATE], request.query.get("project_id")))


async def add_fault(request: web.Request) -> web.Response:
    """POST /__emulator/faults: inject a fault (a `Fault`'s fields as JSON)."""
    try:
        data = orjson.loads(await request.read())
        fault = Fault(**data)
        request.app[FAULTS].add(fault)
    except (orjson.JSONDecodeError, TypeError, ValueError) as exc:
        raise EmulatorError(400, errors.BAD_FAULT.format(exc=exc)) from None
    return json_response({"status": "ok", "faults": request.app[FAULTS].snapshot()})


async def clear_faults(request: web.Request) -> web.Response:
    """DELETE /__emulator/faults: drop every injected fault."""
    request.app[FAULTS].clear()
    return json_response({"status": "ok"})


def admin_allowed(request: web.Request) -> bool:
    """Whether a request may use the admin routes: always in permissive mode; under
    `strict_auth` only with `Authorization: Bearer <admin token>` (never without a token set)."""
    if not request.app[STATE].strict_auth:
        return True
    token = request.app.get(ADMIN_TOKEN)
    header = request.headers.get("Authorization", "")
    if not token or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer ") :].encode(), token.encode())


def _guarded(handler: _Handler) -> _Handler:
    async def guarded(request: web.Request) -> web.StreamResponse:
        if not admin_allowed(request):
            raise EmulatorError(401, errors.ADMIN_UNAUTHORIZED)
        return await handler(request)

    return guarded


async def ca_pem(request: web.Request) -> web.Response:
    """GET /__emulator/ca.pem: the CA certificate to trust (404 unless the emulator made one)."""
    pem = request.app.get(CA_PEM)
    if pem is None:
        raise EmulatorError(404, errors.NO_CA)
    return web.Response(body=pem, content_type="application/x-pem-file")


def install_admin(app: web.Application) -> None:
    """Add the admin routes: `/`, `/health` and `/__emulator/` (`/__parlel/` too); under
    `strict_auth` the `/__emulator/` and `/__parlel/` ones need the admin token."""
    app.router.add_get("/", root)
    app.router.add_get("/health", health)
    for prefix in ("/__emulator", "/__parlel"):
        app.router.add_post(f"{prefix}/reset", _guarded(reset))
        app.router.add_get(f"{prefix}/events", _guarded(list_events))
        app.router.add_delete(f"{prefix}/events", _guarded(delete_events))
        app.router.add_get(f"{prefix}/people", _guarded(list_people))
    app.router.add_post("/__emulator/faults", _guarded(add_fault))
    app.router.add_delete("/__emulator/faults", _guarded(clear_faults))
    app.router.add_get("/__emulator/ca.pem", ca_pem)
