"""Route registration from the generated operations, and the `Call` handed to each handler.

A handler is registered by operationId; the path, method, host prefix and parameter definitions
come from the generated `Operation`, so the emulator and the client cannot disagree on them.
"""

from __future__ import annotations

import base64
import datetime as dt
import zlib
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

import attrs
import orjson
from aiohttp import web

from mixpanel_async._generated.operations import ALL
from mixpanel_async._operation import HOST_PREFIX, Operation, Param, ParamError
from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import custom_columns, params
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.store import ProjectState, State

STATE: web.AppKey[State] = web.AppKey("state", State)
AUTH_PROJECT: web.RequestKey[ProjectState] = web.RequestKey("auth_project", ProjectState)
MAX_BODY = 10 * 1024 * 1024  # Mixpanel's 10 MB uncompressed limit on /import
MAX_WIRE_BODY = 64 * 1024 * 1024

Handler = Callable[["Call"], Awaitable[web.StreamResponse]]


@attrs.define
class Call:
    """One request to an operation, with its parameters decoded and validated."""

    request: web.Request
    op: Operation
    state: State
    params: dict[str, Any]
    """Decoded query/path parameters by Python name (absent ones are missing, not None)."""
    _raw_body: bytes | None = None

    @property
    def family(self) -> str:
        """The operation's host family (`app`, `query`, `export`, `ingestion`, ...)."""
        return self.op.host

    def fail(self, status: int, message: str, **extra: Any) -> EmulatorError:
        """An `EmulatorError` to raise (a shorthand for handlers)."""
        return EmulatorError(status, message, **extra)

    async def body_bytes(self) -> bytes:
        """The request body, gunzipped/inflated per `Content-Encoding`, size-checked."""
        if self._raw_body is None:
            raw = await self.request.read()
            encoding = self.request.headers.get("Content-Encoding", "").strip().lower()
            if encoding not in DECODERS:
                raise EmulatorError(415, errors.UNKNOWN_ENCODING.format(encoding=encoding))
            try:
                raw = DECODERS[encoding](raw)
            except (OSError, EOFError, zlib.error):
                raise EmulatorError(400, errors.BAD_ENCODING.format(encoding=encoding)) from None
            if len(raw) > MAX_BODY:
                raise EmulatorError(413, errors.TOO_LARGE.format(limit=MAX_BODY))
            self._raw_body = raw
        return self._raw_body

    async def form(self) -> dict[str, str]:
        """Form fields (URL-encoded body), falling back to the query string for GET."""
        if self.request.method == "GET":
            return dict(self.request.query)
        try:
            text = (await self.body_bytes()).decode("utf-8")
            return dict(parse_qsl(text, keep_blank_values=True, errors="strict"))
        except UnicodeDecodeError:
            raise EmulatorError(400, errors.BAD_ENCODING.format(encoding="UTF-8")) from None

    async def json(self) -> Any:
        """The body as JSON (or NDJSON when the content type says so)."""
        raw = await self.body_bytes()
        ctype = self.request.content_type
        try:
            if ctype in ("application/x-ndjson", "application/jsonl") or (
                ctype != "application/json" and b"\n{" in raw.strip()
            ):
                return [orjson.loads(line) for line in raw.splitlines() if line.strip()]
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise EmulatorError(400, errors.BAD_JSON_BODY.format(exc=exc)) from None

    async def fields(self) -> dict[str, Any]:
        """Body fields whatever the encoding (JSON object or form); JSON-text values decoded
        where the spec's body model says the field is structured."""
        ctype = self.request.content_type
        if self.request.method != "GET" and ctype == "application/json":
            data = await self.json()
            if not isinstance(data, dict):
                raise EmulatorError(400, errors.BODY_NOT_OBJECT)
            return data
        return dict(await self.form())


def _bounded_inflate(raw: bytes) -> bytes:
    """Inflate a zlib stream (HTTP's `deflate`; a raw deflate stream is accepted too) into at
    most `MAX_BODY + 1` bytes, enough to tell "too large" without inflating a bomb."""
    try:
        inflater = zlib.decompressobj(wbits=15)
        out = inflater.decompress(raw, MAX_BODY + 1)
    except zlib.error:
        inflater = zlib.decompressobj(wbits=-15)
        out = inflater.decompress(raw, MAX_BODY + 1)
    if len(out) <= MAX_BODY and not inflater.eof:
        raise EOFError("compressed data ended before the end-of-stream marker")
    return out


def _bounded_gunzip(raw: bytes) -> bytes:
    """Gunzip at most `MAX_BODY + 1` bytes (enough to tell "too large"), every gzip member."""
    parts: list[bytes] = []
    room = MAX_BODY + 1
    while raw:
        inflater = zlib.decompressobj(wbits=31)  # zlib directly: ~2x GzipFile, /import's hot path
        part = inflater.decompress(raw, room)
        parts.append(part)
        room -= len(part)
        if room <= 0:
            break
        if not inflater.eof:
            raise EOFError("compressed data ended before the end-of-stream marker")
        raw = inflater.unused_data
    return b"".join(parts)


DECODERS: dict[str, Callable[[bytes], bytes]] = {
    "": lambda raw: raw,
    "identity": lambda raw: raw,
    "gzip": _bounded_gunzip,
    "x-gzip": _bounded_gunzip,
    "deflate": _bounded_inflate,
}
"""Request body decoders by `Content-Encoding`, each bounded by `MAX_BODY`; any other
encoding is refused with a 415."""


def check_date(name: str, value: Any) -> None:
    """A 400 for a `format: date` parameter outside the years Mixpanel serves."""
    try:
        year = value.year if isinstance(value, dt.date) else int(str(value)[:4])
    except ValueError:
        return  # not a date: the decoder has said so already
    if not params.EARLIEST_YEAR <= year <= dt.date.today().year + params.LATEST_YEARS_AHEAD:
        raise EmulatorError(400, errors.BAD_YEAR_OF.format(name=name))


def decode_data(text: str) -> Any:
    """An ingestion `data=` value: JSON text or base64 of JSON text."""
    stripped = text.strip()
    if not stripped:
        raise EmulatorError(400, errors.DATA_EMPTY)
    if stripped[0] in "[{":
        try:
            return orjson.loads(stripped)
        except orjson.JSONDecodeError as exc:
            raise EmulatorError(400, errors.DATA_NOT_JSON.format(exc=exc)) from None
    try:
        padded = stripped + "=" * (-len(stripped) % 4)
        decoded = base64.b64decode(
            padded.replace(" ", "+"),
            altchars=b"-_" if "-" in padded or "_" in padded else None,
            validate=True,
        )
        return orjson.loads(decoded)
    except (ValueError, orjson.JSONDecodeError):
        raise EmulatorError(400, errors.DATA_UNDECODABLE) from None


class Routes:
    """Handlers of one family, keyed by operationId."""

    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}

    def __call__(
        self, operation_id: str, *, also: tuple[str, ...] = ()
    ) -> Callable[[Handler], Handler]:
        """Register a handler; `also` adds HTTP methods Mixpanel accepts besides the spec's
        (e.g. GET on the engage query, which legacy clients still use)."""
        if operation_id not in ALL:
            raise KeyError(f"no operation {operation_id!r} in openapi/")

        def register(handler: Handler) -> Handler:
            if also:
                handler.extra_methods = also  # type: ignore[attr-defined]
            self.handlers[operation_id] = handler
            return handler

        return register


def parse_params(op: Operation, request: web.Request) -> dict[str, Any]:
    """Decode and validate query and path parameters; raise `EmulatorError(400)` if bad."""
    values: dict[str, Any] = {}
    for p in op.params:
        if p.location == "query" and p.type == "array" and not p.json:
            items = request.query.getall(p.name, [])
            if items:
                values[p.attr] = list(items)
            elif p.required and request.method == "GET":
                raise errors.missing_param(p.name)
            continue
        if p.location == "path":
            raw = request.match_info.get(p.name)
        elif p.location == "query":
            raw = request.query.get(p.name)
        else:
            raw = request.headers.get(p.name)
        if raw is None or raw == "":
            if p.required and p.default is None and p.context is None and request.method == "GET":
                raise errors.missing_param(p.name)
            if p.default is not None:
                values[p.attr] = p.default
            continue
        if p.json and op.host == "ingestion":
            # Ingestion's `data=` is JSON text or base64 of it (pixel/GET clients send base64).
            values[p.attr] = decode_data(raw)
            continue
        try:
            values[p.attr] = p.decode(raw)
        except ParamError as exc:
            raise errors.bad_param(p.name, exc.message) from None
        if p.format == "date":
            check_date(p.name, values[p.attr])
    return values


def install(app: web.Application, routes: Mapping[str, Handler]) -> None:
    """Add one aiohttp route per handler, at the operation's real Mixpanel path."""

    # Static segments before placeholders: `/dashboards/blueprints-all` must win over
    # `/dashboards/{dashboard_id}` (aiohttp matches in registration order).
    def order(item: tuple[str, Handler]) -> tuple[int, str]:
        op = ALL[item[0]]
        return op.path.count("{"), op.path

    for operation_id, handler in sorted(routes.items(), key=order):
        op = ALL[operation_id]
        wrapped = _wrap(op, handler)
        paths = [op.path, *filter(None, [op.workspace_path()])]
        for method in (op.method, *getattr(handler, "extra_methods", ())):
            for relative in paths:
                path = HOST_PREFIX[op.host] + relative
                app.router.add_route(method, path, wrapped)
                # Clients disagree on trailing slashes (`/engage/` vs `/engage`); accept both.
                alt = path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"
                if alt:
                    app.router.add_route(method, alt, wrapped)


_WORKSPACE = Param("workspace_id", "workspace_id", "path", type="integer")


def _wrap(
    op: Operation, handler: Handler
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def endpoint(request: web.Request) -> web.StreamResponse:
        params = parse_params(op, request)
        if "project_id" not in params and "workspace_id" in request.match_info:
            # A workspace-scoped path: every emulated workspace id is its project's id.
            params["project_id"] = request.match_info["workspace_id"]
        if "workspace_id" in request.match_info:  # not always a declared parameter
            try:
                _WORKSPACE.decode(request.match_info["workspace_id"])
            except ParamError as exc:
                raise errors.bad_param(exc.param, exc.message) from None
        call = Call(request, op, request.app[STATE], params)
        custom_columns.SOURCE.set(lambda: project_for(call).entities)
        return await handler(call)

    endpoint.operation_id = op.operation_id  # type: ignore[attr-defined]
    return endpoint


def project_for(call: Call, *, project_id: Any = None, token: str | None = None) -> ProjectState:
    """The project a request addresses, by explicit id, token, or (open mode) the only one."""
    state = call.state
    if project_id is None:
        project_id = call.params.get("project_id")
    if project_id is not None:
        project = state.by_id(project_id)
        if project is None:
            raise EmulatorError(
                404 if call.family == "app" else 400,
                errors.UNKNOWN_PROJECT.format(project_id=project_id),
            )
        return project
    if token is not None:
        project = state.by_token(token)
        if project is None:
            raise EmulatorError(401, errors.UNKNOWN_TOKEN)
        return project
    auth_project: ProjectState | None = call.request.get(AUTH_PROJECT)
    if auth_project is not None:
        return auth_project
    if state.open:
        return state.default
    raise errors.missing_param("project_id")
