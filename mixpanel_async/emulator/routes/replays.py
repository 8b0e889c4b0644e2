"""Emulator routes for openapi/replays.yaml: the recorder's `/record/`, App API signing, and the
signed "CDN" that serves a recording's files.

`/record/` stores each batch of rrweb events under its replay id and sequence number, in the
project its token (the Basic auth user name) names; the first batch of a replay also stores
the `$mp_session_record` event Mixpanel derives from it (`$mp_replay_id`,
`$mp_replay_retention_period`, the recording's start as its time), so discovery queries find it.
Signing answers a URL prefix on this emulator (`/__emulator/replays/...`) and a query string
holding an expiry and an HMAC of the replay, so only signed reads pass (403 once expired or
tampered with); files are the stored batches in sequence order, `0000`, `0001`, ... and the
first missing one is a 404.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import zlib
from typing import Any

import attrs
import orjson
from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine.ingest import import_records
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.render import json_response
from mixpanel_async.emulator.router import STATE, Call, Routes, project_for
from mixpanel_async.emulator.routes.ingestion import _basic_user
from mixpanel_async.emulator.store import ProjectState

routes = Routes()

CDN_PREFIX = "/__emulator/replays"
SIGNATURE_TTL = 300  # seconds, as Mixpanel's signed CDN URLs
RETENTION_DAYS = 30  # the retention the emulator gives every recording
_KEY = secrets.token_bytes(32)  # signs CDN URLs; new per process, so old URLs never verify
_FILE = r"{number:\d{4}}-{retention:\d+}.json"
RECORD_EVENT = "$mp_session_record"


@attrs.define
class Recording:
    """One replay's stored batches (rrweb event lists by sequence number) and who made it."""

    replay_id: str
    distinct_id: str
    start_ms: int
    retention_days: int = RETENTION_DAYS
    batches: dict[int, list[Any]] = attrs.field(factory=dict)

    def files(self) -> list[list[Any]]:
        """The batches as CDN files: in sequence order, up to the first gap."""
        out: list[list[Any]] = []
        while len(out) in self.batches:
            out.append(self.batches[len(out)])
        return out


def recordings(project: ProjectState) -> dict[str, Recording]:
    """The project's recordings by replay id."""
    return project.replays


def _batch(raw: bytes, gzipped: bool) -> list[Any]:
    try:
        if gzipped:
            raw = zlib.decompress(raw, wbits=31)
        events = orjson.loads(raw)
    except (zlib.error, orjson.JSONDecodeError) as exc:
        raise EmulatorError(400, errors.BAD_REPLAY_BATCH.format(exc=exc)) from None
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise EmulatorError(400, errors.BAD_REPLAY_BATCH.format(exc="not a list of objects"))
    return events


def _announce(project: ProjectState, recording: Recording, params: dict[str, Any]) -> None:
    """Store the `$mp_session_record` event of a new recording."""
    properties: dict[str, Any] = {
        "distinct_id": recording.distinct_id,
        "time": recording.start_ms / 1000,
        "$insert_id": recording.replay_id,
        "$mp_replay_id": recording.replay_id,
        "$mp_replay_retention_period": recording.retention_days,
    }
    for name, key in (("replay_start_url", "$current_url"), ("device_id", "$device_id"),
                      ("user_id", "$user_id"), ("mp_lib", "mp_lib")):  # fmt: skip
        if params.get(name) is not None:
            properties[key] = params[name]
    event = {"event": RECORD_EVENT, "properties": properties}
    import_records(project, [event], mode="import", strict=False, now_ms=time.time_ns() // 10**6)


@routes("record_replay")
async def record_replay(call: Call) -> web.StreamResponse:
    """POST /record/: store one batch of a recording; the first batch announces the replay."""
    params = call.params
    for name in ("replay_id", "seq", "distinct_id"):
        if params.get(name) in (None, ""):
            raise errors.missing_param(name)
    token = _basic_user(call.request)
    project = call.state.by_token(token) if token else None
    if project is None and call.state.open:
        project = call.state.default
    if project is None:
        raise EmulatorError(401, errors.UNAUTHORIZED)
    events = _batch(await call.request.read(), params.get("format") == "gzip")
    table = recordings(project)
    recording = table.get(params["replay_id"])
    if recording is None:
        started = params.get("replay_start_time") or params.get("batch_start_time") or time.time()
        recording = Recording(params["replay_id"], str(params["distinct_id"]), int(started * 1000))
        table[recording.replay_id] = recording
        _announce(project, recording, params)
    recording.batches[params["seq"]] = events
    return json_response({"code": 200, "status": "OK"})


def _signature(project_id: str, replay_id: str, expires: int) -> str:
    message = f"{project_id}/{replay_id}/{expires}".encode()
    return hmac.new(_KEY, message, hashlib.sha256).hexdigest()


@routes("sign_replays")
async def sign_replays(call: Call) -> web.StreamResponse:
    """POST /projects/{project_id}/replays/sign/bulk: a signed URL prefix per replay."""
    project = project_for(call)
    body = await call.fields()
    asked = body.get("replays")
    if not isinstance(asked, list) or not all(
        isinstance(r, dict) and isinstance(r.get("replay_id"), str) and r["replay_id"]
        for r in asked
    ):
        raise EmulatorError(400, errors.BAD_BODY.format(problems="replays: a list of {replay_id}"))
    expires = int(time.time()) + SIGNATURE_TTL
    origin = call.request.url.origin()
    results = [
        {
            "replay_id": r["replay_id"],
            "url": f"{origin}{CDN_PREFIX}/{project.project_id}/{r['replay_id']}/",
            "query_string": f"expires={expires}&signature="
            + _signature(project.project_id, r["replay_id"], expires),
        }
        for r in asked
    ]
    return json_response({"status": "ok", "results": results})


async def replay_file(request: web.Request) -> web.StreamResponse:
    """GET a recording file under a signed prefix: 200 with its events, 403 unsigned or
    expired, 404 past the last file (or for a replay that does not exist)."""
    info = request.match_info
    project_id, replay_id = info["project_id"], info["replay_id"]
    try:
        expires = int(request.query.get("expires", ""))
    except ValueError:
        expires = 0
    given = request.query.get("signature", "")
    if expires < time.time() or not hmac.compare_digest(
        given, _signature(project_id, replay_id, expires)
    ):
        return web.Response(status=403, text="Forbidden: the signature is invalid or expired")
    project = request.app[STATE].by_id(project_id)
    recording = recordings(project).get(replay_id) if project is not None else None
    files = recording.files() if recording is not None else []
    number, retention = int(info["number"]), int(info["retention"])
    if recording is None or retention != recording.retention_days or number >= len(files):
        return web.Response(status=404, text="Not Found")
    return json_response(files[number])


def install_replay_cdn(app: web.Application) -> None:
    """Serve the signed recording files (not a Mixpanel API path: a CDN's)."""
    app.router.add_get(CDN_PREFIX + "/{project_id}/{replay_id}/" + _FILE, replay_file)
