"""The one request path: build → rate limit → send → retry → map errors → decode.

One `aiohttp.ClientSession` per workspace, created lazily inside the running loop (or injected
by the caller, in which case we never close it). Safe to share across tasks of one event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import logging
import platform
import ssl
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode, urlsplit

import attrs
import orjson

from mixpanel_async._operation import JsonLines, LazyModule, Operation, ParamError, Request
from mixpanel_async._version import __version__
from mixpanel_async.config import Session, auth_header
from mixpanel_async.exceptions import (
    ConfigError,
    ParamValidationError,
    ResponseValidationError,
    WorkspaceClosedError,
    WorkspaceLoopError,
    WorkspaceScopeError,
)
from mixpanel_async.transport import codec, retries, telemetry
from mixpanel_async.transport.hosts import Hosts
from mixpanel_async.transport.limits import Limiters
from mixpanel_async.transport.prepared import FORM, Prepared, encode_body
from mixpanel_async.transport.settings import ConnectionPool, RetryPolicy, Timeouts

if TYPE_CHECKING:
    import aiohttp
else:
    aiohttp = LazyModule("aiohttp")

T = TypeVar("T")
log = logging.getLogger("mixpanel_async.transport")
# A library logs, the application decides where it goes: with logging unconfigured, neither our
# records nor the retry library's own bare "stamina.retry_scheduled" lines reach stderr through
# Python's last-resort handler. Configured handlers (e.g. `logging.basicConfig`) still get both.
logging.getLogger("mixpanel_async").addHandler(logging.NullHandler())
logging.getLogger("stamina").addHandler(logging.NullHandler())
USER_AGENT = f"mixpanel-async/{__version__} (python/{platform.python_version()})"


class Transport:
    """Sends requests for one workspace."""

    def __init__(
        self,
        *,
        session: Session,
        hosts: Hosts,
        limiters: Limiters,
        retry: RetryPolicy | None = None,
        timeouts: Timeouts | None = None,
        http_session: aiohttp.ClientSession | None = None,
        headers: Mapping[str, str] | None = None,
        pool: ConnectionPool | None = None,
        trace_configs: Sequence[aiohttp.TraceConfig] = (),
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.session = session
        self.hosts = hosts
        self.limiters = limiters
        self.retry = retry or RetryPolicy()
        self.timeouts = timeouts or Timeouts()
        self.pool = pool or ConnectionPool()
        self._trace_configs = list(trace_configs)
        self._http = http_session
        self._owns_http = http_session is None
        self._extra_headers = dict(headers or {})
        self._closed = False
        self._ssl_context = ssl_context
        self._loop: asyncio.AbstractEventLoop | None = None
        self._parent: Transport | None = None

    def child(self, session: Session) -> Transport:
        """A transport for another account/project/workspace that shares this one's HTTP
        session, rate limiters, retries and timeouts; closing it leaves the parent open."""
        child = Transport(
            session=session,
            hosts=self.hosts,
            limiters=self.limiters,
            retry=self.retry,
            timeouts=self.timeouts,
            headers=self._extra_headers,
            pool=self.pool,
        )
        child._owns_http = False
        child._parent = self
        return child

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        """Whether the aiohttp session exists and is not closed."""
        if self._parent is not None:
            return not self._closed and self._parent.is_open
        return self._http is not None and not self._http.closed

    def http(self) -> aiohttp.ClientSession:
        """The aiohttp session, created on first use inside the running loop.

        Raises:
            WorkspaceClosedError: `close()` was called.
            WorkspaceLoopError: called from another event loop than the first call's.
        """
        self.check_usable()
        if self._parent is not None:
            return self._parent.http()
        if self._http is None or (self._owns_http and self._http.closed):
            self._http = aiohttp.ClientSession(
                connector=self.pool.connector(self._ssl_context),
                headers={"User-Agent": USER_AGENT},
                auto_decompress=True,
                trace_configs=self._trace_configs or None,
            )
            self._owns_http = True
        return self._http

    def check_usable(self) -> None:
        """Raise unless this transport may be used now, from the running event loop.

        Raises:
            WorkspaceClosedError: `close()` was called.
            WorkspaceLoopError: called from another event loop than the first call's.
        """
        if self._closed or (self._parent is not None and self._parent._closed):
            raise WorkspaceClosedError(
                "this workspace is closed (its `async with` ended or close() was called): "
                "open a new AsyncWorkspace"
            )
        if self._parent is not None:
            self._parent.check_usable()
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif loop is not self._loop:
            raise WorkspaceLoopError(
                "this workspace belongs to another event loop (an earlier asyncio.run or "
                "another thread's loop): create one AsyncWorkspace per event loop"
            )

    async def close(self) -> None:
        """Close the aiohttp session if we own it; idempotent. Later calls raise
        `WorkspaceClosedError`."""
        if self._http is not None and self._owns_http and not self._http.closed:
            await self._http.close()
        self._closed = True

    # -- building --------------------------------------------------------------------------------
    def headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """Authorization, custom headers (env pair, session, per call; later wins)."""
        import os

        out = {"Authorization": auth_header(self.session.account)}
        name, value = (
            os.environ.get("MP_CUSTOM_HEADER_NAME"),
            os.environ.get("MP_CUSTOM_HEADER_VALUE"),
        )
        if name and value:
            out[name] = value
        out.update(self.session.headers)
        out.update(self._extra_headers)
        if extra:
            out.update(extra)
        return out

    def prepare(
        self,
        request: Request[Any],
        *,
        gzip_body: bool = False,
        context: Mapping[str, Any] | None = None,
    ) -> Prepared:
        """Fill context parameters, render the path, encode query and body.

        `context` overrides the session's project_id/workspace_id (e.g. a resolved workspace).
        A `maybe`-scoped App API path moves under `/workspaces/{id}` when a workspace is pinned.
        """
        op = request.operation
        values = dict(request.params)
        template = op.path
        workspace_path = op.workspace_path()
        if workspace_path is not None and self.session.workspace_id is not None:
            template = workspace_path
            values["workspace_id"] = self.session.workspace_id
        for p in op.params:
            if p.context is None:
                continue
            value = (context or {}).get(p.context, self._context(p.context))
            if value is None:
                if p.required:
                    if p.context == "workspace_id":
                        raise WorkspaceScopeError(
                            f"{op.operation_id} needs a workspace: pass workspace= or set "
                            "MP_WORKSPACE_ID"
                        )
                    raise ConfigError(f"{op.operation_id} needs {p.context}")
                continue
            values[p.name] = value
        try:
            path = op.render_path(values, template)
        except ParamError as exc:
            raise ParamValidationError(str(exc), param=exc.param) from None
        params = [
            (p.name, text)
            for p in op.query_params
            if values.get(p.name) is not None
            for text in p.encode_all(values[p.name])
        ]
        headers: dict[str, str] = {}
        body = encode_body(op, request.body, headers)
        if body is not None and gzip_body:
            body = gzip.compress(body, compresslevel=1)
            headers["Content-Encoding"] = "gzip"
        return Prepared(
            op.method,
            self.hosts.url(op.host, path),
            op.host,
            op.rate_limit,
            params,
            body,
            headers,
            operation=op.operation_id,
            template=urlsplit(self.hosts.url(op.host, template)).path,
        )

    def _context(self, name: str) -> Any:
        if name == "project_id":
            return self.session.project_id
        if name == "workspace_id":
            return self.session.workspace_id
        raise ConfigError(f"unknown context parameter {name!r} in the spec")

    # -- sending ---------------------------------------------------------------------------------
    async def send(self, prepared: Prepared) -> tuple[int, bytes, Mapping[str, str]]:
        """Send with limits and retries; return (status, body, headers) of a 2xx response."""
        return await retries.retried(
            self.retry, self.limiters, prepared, lambda: self._once(prepared)
        )

    async def _once(self, prepared: Prepared) -> tuple[int, bytes, Mapping[str, str]]:
        async with self.http().request(
            prepared.method,
            prepared.url,
            params=prepared.params,
            data=prepared.body,
            headers=self.headers(prepared.headers),
            timeout=self.timeouts.for_family(prepared.family),
            allow_redirects=prepared.follow_redirects,
        ) as resp:
            body = await resp.read()
            telemetry.record_status(resp.status)
            self.limiters.learn(prepared.rate_limit, resp.headers)
            if resp.status < 400:
                return resp.status, body, resp.headers
            retries.raise_for(prepared, resp.status, body, resp.headers)
            raise AssertionError("unreachable")  # pragma: no cover

    async def call(
        self,
        request: Request[T],
        *,
        gzip_body: bool = False,
        context: Mapping[str, Any] | None = None,
    ) -> T:
        """Send `request` and return its decoded 200 body, as the request's type says.

        Args:
            request: A request from a generated builder; its type parameter is the answer's.
            gzip_body: Compress the body (the caller has not).
            context: Overrides of the session's `project_id`/`workspace_id`.

        Raises:
            APIError: Mixpanel answered with an error (after retries, for 429 and 5xx).
            ResponseValidationError: the answer is not JSON or does not fit the spec.
        """
        prepared = self.prepare(request, gzip_body=gzip_body, context=context)
        _, body, _ = await self.send(prepared)
        answer: T = self.decode(request.operation, body, prepared)
        return answer

    async def locate(self, request: Request[Any]) -> tuple[int, bytes, Mapping[str, str]]:
        """Send `request` without following a redirect: the status, body and headers of its
        2xx or 3xx answer (a short link's target is read from them, never fetched).

        Raises:
            APIError: Mixpanel answered with an error (after retries, for 429 and 5xx).
        """
        prepared = attrs.evolve(self.prepare(request), follow_redirects=False)
        return await self.send(prepared)

    async def call_as_sent(
        self, request: Request[object], *, context: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """Send `request` and return the JSON object answered, checked against the spec's model
        but as Mixpanel sent it: wire keys, string counts and `null`s kept, which the model would
        reshape (saved reports hand these on unchanged, as the seed does).

        `context` overrides the session's `project_id`/`workspace_id`, as for `call`.

        Raises:
            APIError: Mixpanel answered with an error (after retries, for 429 and 5xx).
            ResponseValidationError: the answer is not a JSON object or does not fit the spec.
        """
        prepared = self.prepare(request, context=context)
        _, body, _ = await self.send(prepared)
        self.decode(request.operation, body, prepared)
        data = codec.loads(body)
        if not isinstance(data, dict):
            raise ResponseValidationError(f"{prepared.url} answered with {type(data).__name__}")
        return data

    @staticmethod
    def decode(op: Operation, body: bytes, prepared: Prepared) -> Any:
        """Structure a 200 body into `op.response` and take its `op.unwrap` field, if any
        (an empty body is None).

        Raises:
            ResponseValidationError: the body is not JSON or does not fit the spec.
        """
        if not body.strip():
            return None
        try:
            data = codec.loads(body)
        except orjson.JSONDecodeError:
            raise ResponseValidationError(
                f"{prepared.method} {prepared.url} answered with non-JSON: {body[:200]!r}"
            ) from None
        data = codec.app_answer(op.host, op.unwrap, op.response, data)
        try:
            value = codec.structure(data, op.response)
        except Exception as exc:
            raise ResponseValidationError(
                f"{op.operation_id}: the response does not fit the spec: {exc}"
            ) from exc
        if op.unwrap is None or value is None:
            return value
        return getattr(value, op.unwrap)

    @contextlib.asynccontextmanager
    async def stream(
        self, request: Request[JsonLines[Any]], *, compressed: bool | None = None
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """Open a streamed response (status checked, retried until the body starts).

        The body is asked for gzipped unless `compressed=False`; by default a loopback host
        (the emulator) gets it plain, since compressing for a local socket only costs CPU.
        """
        prepared = self.prepare(request)
        if compressed is None:
            compressed = not self.hosts.local
        encoding = "gzip" if compressed else "identity"
        headers = self.headers({**prepared.headers, "Accept-Encoding": encoding})

        async def open_() -> aiohttp.ClientResponse:
            resp = await self.http().request(
                prepared.method,
                prepared.url,
                params=prepared.params,
                data=prepared.body,
                headers=headers,
                timeout=self.timeouts.for_family(prepared.family),
            )
            telemetry.record_status(resp.status)
            self.limiters.learn(prepared.rate_limit, resp.headers)
            if resp.status >= 400:
                body = await resp.read()
                resp.release()
                retries.raise_for(prepared, resp.status, body, resp.headers)
            return resp

        resp = await retries.retried(self.retry, self.limiters, prepared, open_)
        try:
            yield resp
        finally:
            resp.release()

    async def raw(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        family: str = "app",
    ) -> Any:
        """The escape hatch: any URL (absolute, or relative to `family`'s base), decoded JSON."""
        if not url.startswith(("http://", "https://")):
            url = self.hosts.base(family) + ("" if url.startswith("/") else "/") + url  # type: ignore[arg-type]
        body: bytes | None = None
        extra = dict(headers or {})
        if json is not None and data is not None:
            raise ParamValidationError("pass json= or data=, not both", param="json")
        if json is not None:
            body, extra["Content-Type"] = codec.dumps(json), "application/json"
        elif data is not None:
            body, extra["Content-Type"] = urlencode(dict(data)).encode(), FORM
        pairs = [(k, str(v)) for k, v in (params or {}).items() if v is not None]
        prepared = Prepared(method.upper(), url, family, family, pairs, body, extra)
        status, payload, _ = await self.send(prepared)
        if status == 204 or not payload.strip():
            return {"status": "ok"}
        try:
            return codec.loads(payload)
        except orjson.JSONDecodeError:
            return payload.decode("utf-8", "replace")
