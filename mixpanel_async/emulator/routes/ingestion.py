"""Emulator routes for openapi/ingestion.yaml: `/track`, `/engage`, `/groups` and `/import`.

`/track`, `/engage` and `/groups` take `data=` (query or form; JSON or base64 JSON; one message
or an array) or a JSON array body, and route each message to a project by its token. They answer
`1` (or `{"status": 1, "error": null}` with `verbose=1`) when at least one message was valid, as
Mixpanel documents; when none was, `0` (or `{"status": 0, "error": ...}`) with a 400. An unknown
token in configured mode refuses the whole request with 401 and Mixpanel's `{error, status}`.

`/import` takes a JSON array or NDJSON body (optionally gzipped) and answers
`{"code": 200, "num_records_imported": N, "status": "OK"}`; with `strict=1` any invalid event
makes it a 400 listing `failed_records` while the valid ones are still stored. The official
Python SDK's legacy form (`data=`, `verbose=1`) gets the `{status, error}` answer instead.
"""

from __future__ import annotations

import base64
import binascii
import re
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from mixpanel_async._gc import paused_gc
from mixpanel_async.emulator import errors, render
from mixpanel_async.emulator.engine.ingest import (
    MAX_RECORDS,
    ImportResult,
    import_records,
)
from mixpanel_async.emulator.engine.updates import iso_seconds, update_groups, update_profiles
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.render import json_response
from mixpanel_async.emulator.router import AUTH_PROJECT, Call, Routes, decode_data, project_for
from mixpanel_async.emulator.store import ProjectState, State

routes = Routes()

FORM = "application/x-www-form-urlencoded"
JSON_BODIES = ("application/json", "application/x-ndjson", "application/jsonl")

# A 1x1 transparent GIF, what `img=1` pixel tracking gets back.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
_CALLBACK = re.compile(r"[A-Za-z_$][\w$.]{0,127}").fullmatch
_TRUE = ("1", "true", "True")


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class _Refused(Exception):
    """A token refusal: Mixpanel answers these with `{"error", "status": "error"}`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# -- shared request decoding ---------------------------------------------------------------------


async def _payload(call: Call, flags: dict[str, bool]) -> Any:
    """The decoded `data` of a live-ingestion request (query, form or JSON body)."""
    if "data" in call.params:  # GET: decoded (JSON or base64) by the router
        return call.params["data"]
    request = call.request
    if request.content_type in JSON_BODIES:
        return await call.json()
    form = await call.form()
    flags["verbose"] = flags["verbose"] or form.get("verbose") in _TRUE
    text = form.get("data")
    if text is None:
        text = request.query.get("data")
    if text is None:
        raise errors.missing_param("data")
    return decode_data(text)


def _messages(payload: Any) -> list[Any]:
    """One message or an array of them, within Mixpanel's per-request limits."""
    if isinstance(payload, dict):
        return [payload]
    if not isinstance(payload, list):
        raise EmulatorError(400, errors.NOT_MESSAGES)
    if not payload:
        raise EmulatorError(400, errors.NO_RECORDS)
    if len(payload) > MAX_RECORDS:
        raise EmulatorError(
            400, errors.TOO_MANY_RECORDS.format(limit=MAX_RECORDS, count=len(payload))
        )
    return payload


def _event_token(message: Any) -> Any:
    if isinstance(message, dict):
        props = message.get("properties")
        if isinstance(props, dict):
            return props.get("token")
    return _UNROUTABLE


def _update_token(message: Any) -> Any:
    return message.get("$token") if isinstance(message, dict) else _UNROUTABLE


_UNROUTABLE = object()


def _route(
    state: State, messages: list[Any], token_of: Callable[[Any], Any]
) -> list[tuple[ProjectState, list[int]]]:
    """Group message indexes by project; every routable message must name a known project."""
    if state.open:
        return [(state.default, list(range(len(messages))))]
    groups: dict[str, tuple[ProjectState, list[int]]] = {}
    stray: list[int] = []
    for index, message in enumerate(messages):
        token = token_of(message)
        if token is _UNROUTABLE:
            stray.append(index)  # malformed: it fails validation wherever it goes
            continue
        if not isinstance(token, str) or not token:
            raise _Refused(401, errors.MISSING_TOKEN)
        project = state.by_token(token)
        if project is None:
            raise _Refused(401, errors.UNKNOWN_TOKEN)
        groups.setdefault(project.project_id, (project, []))[1].append(index)
    if stray:
        first = next(iter(groups.values()), (state.default, []))
        first[1].extend(stray)
        first[1].sort()
        groups.setdefault(first[0].project_id, first)
    return list(groups.values())


def _run(
    routed: list[tuple[ProjectState, list[int]]],
    messages: list[Any],
    apply: Callable[[ProjectState, list[Any]], ImportResult],
) -> ImportResult:
    """Apply each project's share of the batch; failure indexes are the batch's."""
    if len(routed) == 1 and len(routed[0][1]) == len(messages):
        return apply(routed[0][0], messages)
    total = ImportResult(0)
    for project, indexes in routed:
        result = apply(project, [messages[i] for i in indexes])
        for failure in result.failed:
            failure.index = indexes[failure.index]
        total.num_imported += result.num_imported
        total.failed.extend(result.failed)
    total.failed.sort(key=lambda f: f.index)
    return total


def _accepted(call: Call, verbose: bool) -> web.StreamResponse:
    """The success answer, in whichever form the request asked for."""
    query = call.request.query
    if call.params.get("img") == 1:
        return web.Response(
            body=PIXEL, content_type="image/gif", headers={"Cache-Control": "no-cache, no-store"}
        )
    redirect = call.params.get("redirect")
    if redirect:
        raise web.HTTPFound(location=redirect)
    callback = call.params.get("callback")
    body = '{"status":1,"error":null}' if verbose else "1"
    if callback:
        if not _CALLBACK(callback):
            raise errors.bad_param("callback", errors.NOT_A_FUNCTION)
        return web.Response(text=f"{callback}({body})", content_type="text/javascript")
    if verbose or query.get("verbose") in _TRUE:
        return web.Response(text=body, content_type="application/json")
    return web.Response(text="1", content_type="text/plain")


def _answer(call: Call, result: ImportResult, verbose: bool, strict: bool) -> web.StreamResponse:
    if result.failed and (strict or result.num_imported == 0):
        first = result.failed[0]
        message = (
            first.message
            if len(result.failed) == 1
            else errors.SOME_FAILED.format(first=first.message, more=len(result.failed) - 1)
        )
        if verbose:
            return json_response(
                {
                    "status": 0,
                    "error": message,
                    "num_records_imported": result.num_imported,
                    "failed_records": [f.as_json() for f in result.failed],
                },
                status=400,
            )
        return web.Response(text="0", content_type="text/plain")  # Mixpanel: a 200 `0`
    return _accepted(call, verbose)


async def _live(
    call: Call,
    token_of: Callable[[Any], Any],
    apply: Callable[[ProjectState, list[Any]], ImportResult],
) -> web.StreamResponse:
    """`/track`, `/engage`, `/groups`: decode, route by token, apply, answer."""
    flags = {"verbose": call.params.get("verbose") == 1}
    try:
        messages = _messages(await _payload(call, flags))
        routed = _route(call.state, messages, token_of)
    except EmulatorError as exc:
        exc.extra["verbose"] = flags["verbose"]
        raise
    except _Refused as exc:
        return json_response({"error": exc.message, "status": "error"}, status=exc.status)
    result = _run(routed, messages, apply)
    return _answer(call, result, flags["verbose"], call.params.get("strict") == 1)


def _track(project: ProjectState, messages: list[Any]) -> ImportResult:
    return import_records(project, messages, mode="track", strict=False, now_ms=_now_ms())


def _engage(project: ProjectState, messages: list[Any]) -> ImportResult:
    return update_profiles(project, messages, now_iso=iso_seconds(time.time()))


@routes("track_events")
@routes("track_events_get")
async def track_events(call: Call) -> web.StreamResponse:
    """POST and GET /track: events, each routed to its project by token."""
    return await _live(call, _event_token, _track)


@routes("engage_profiles")
@routes("engage_profiles_get")
async def engage_profiles(call: Call) -> web.StreamResponse:
    """POST and GET /engage: profile updates, each routed to its project by `$token`."""
    return await _live(call, _update_token, _engage)


@routes("update_groups")
@routes("update_groups_get")
async def update_group_profiles(call: Call) -> web.StreamResponse:
    """POST and GET /groups: group profile updates, each routed to its project by `$token`."""
    return await _live(call, _update_token, update_groups)


# -- /import -------------------------------------------------------------------------------------


def _basic_user(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        user = base64.b64decode(header[6:], validate=True).decode().partition(":")[0]
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user or None


def _import_project(call: Call) -> ProjectState:
    """`project_id` (service account), the legacy secret, or the token as Basic user name."""
    state = call.state
    if (
        call.params.get("project_id") is not None
        or state.open
        or call.request.get(AUTH_PROJECT) is not None
    ):
        return project_for(call)
    user = _basic_user(call.request)
    project = (state.by_token(user) or state.by_secret(user)) if user else None
    if project is None:
        raise EmulatorError(401, errors.UNAUTHORIZED)
    return project


@routes("import_events")
async def import_events(call: Call) -> web.StreamResponse:
    """POST /import: import a batch of events, historical ones included (server-side)."""
    if call.request.content_type == FORM:
        return await _legacy_import(call)
    project = _import_project(call)
    await call.body_bytes()  # read and gunzip now, so that `call.json()` below never suspends
    strict = call.params.get("strict") == 1
    with paused_gc():  # parsing allocates the batch's dicts: see `paused_gc`
        messages = _messages(await call.json())
        result = import_records(project, messages, mode="import", strict=strict, now_ms=_now_ms())
        del messages  # freed by refcount while the collector is off: nothing left to scan
    if result.failed and (strict or result.num_imported == 0):
        raise EmulatorError(
            400,
            errors.VALIDATION_FAILED,
            num_records_imported=result.num_imported,
            failed_records=[f.as_json() for f in result.failed],
        )
    return json_response({"code": 200, "num_records_imported": result.num_imported, "status": "OK"})


async def _legacy_import(call: Call) -> web.StreamResponse:
    """The official SDK's form post: `data`, `verbose`, `ip` (and `api_key` with a secret)."""
    verbose = call.params.get("verbose") == 1
    try:
        form = await call.form()  # first: the SDK's `verbose` is in the body, errors need it
        verbose = verbose or form.get("verbose") in _TRUE
        project = _import_project(call)
        text = form.get("data")
        if text is None:
            raise errors.missing_param("data")
        messages = _messages(decode_data(text))
    except EmulatorError as exc:
        return render.error("ingestion", exc.status, exc.message, call.request, verbose=verbose)
    strict = call.params.get("strict") == 1
    result = import_records(project, messages, mode="import", strict=strict, now_ms=_now_ms())
    return _answer(call, result, verbose, strict)


@routes("import_events_get")
async def import_events_get(call: Call) -> web.StreamResponse:
    """GET /import: import the events in `data=` (the Node SDK's single `import`), answered
    as live ingestion is (`1`, or `{status, error}` with `verbose=1`)."""
    verbose = call.params.get("verbose") == 1
    try:
        project = _import_project(call)
        messages = _messages(call.params["data"])
    except EmulatorError as exc:
        return render.error("ingestion", exc.status, exc.message, call.request, verbose=verbose)
    strict = call.params.get("strict") == 1
    result = import_records(project, messages, mode="import", strict=strict, now_ms=_now_ms())
    return _answer(call, result, verbose, strict)
