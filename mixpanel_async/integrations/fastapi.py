"""FastAPI (and Starlette) integration: one workspace for the app's lifetime, handed to routes
through a dependency, and the library's errors mapped to HTTP responses.

    from fastapi import FastAPI
    from mixpanel_async.integrations.fastapi import MixpanelWorkspace, install, mixpanel_lifespan

    app = FastAPI(lifespan=mixpanel_lifespan())   # AsyncWorkspace(...) keyword arguments here
    install(app)                                  # error responses

    @app.get("/events")
    async def events(ws: MixpanelWorkspace) -> list[str]:
        return await ws.events()

A route serving several projects takes the workspace and calls `ws.scoped(project=...)`
per request: the scoped copy shares the app's connections and rate limits, and concurrent
requests for different projects never see each other's project (`use()` would re-point the
shared workspace for everyone). Needs the `fastapi` extra.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from mixpanel_async.exceptions import (
    APIError,
    AuthenticationError,
    MixpanelAsyncError,
    MixpanelConnectionError,
    MixpanelTimeoutError,
    ParamValidationError,
    QueryError,
    RateLimitError,
)
from mixpanel_async.workspace import AsyncWorkspace

STATE_KEY = "mixpanel"
"""The attribute of `app.state` holding the workspace."""


def mixpanel_lifespan(
    **workspace_options: Any,
) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    """A FastAPI `lifespan` that opens an `AsyncWorkspace(**workspace_options)` at start-up,
    keeps it in `app.state.mixpanel`, and closes it at shutdown.

    The workspace is built when the app starts (credentials are read then, and a `ConfigError`
    stops the start-up with its message), inside the server's event loop, which it then
    belongs to.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncWorkspace(**workspace_options) as ws:
            setattr(app.state, STATE_KEY, ws)
            try:
                yield
            finally:
                delattr(app.state, STATE_KEY)

    return lifespan


def workspace(request: Request) -> AsyncWorkspace:
    """The app's workspace, for `Depends(workspace)`.

    Raises:
        RuntimeError: the app was not started with `mixpanel_lifespan()`.
    """
    ws = getattr(request.app.state, STATE_KEY, None)
    if not isinstance(ws, AsyncWorkspace):
        raise RuntimeError(
            "no workspace: create the app with FastAPI(lifespan=mixpanel_lifespan())"
        )
    return ws


MixpanelWorkspace = Annotated[AsyncWorkspace, Depends(workspace)]
"""A route parameter annotated with this receives the app's workspace."""


def status_for(exc: MixpanelAsyncError) -> int:
    """The HTTP status a service answers for a library error.

    The caller's own mistakes are 4xx (a bad argument 422); Mixpanel refusing or failing is a
    bad gateway (502), except a rate limit (503 with `Retry-After`) and a timeout (504); our
    own configuration is a 500.
    """
    if isinstance(exc, ParamValidationError):
        return 422
    if isinstance(exc, RateLimitError):
        return 503
    if isinstance(exc, MixpanelTimeoutError):
        return 504
    if isinstance(exc, AuthenticationError | MixpanelConnectionError):
        return 502
    if isinstance(exc, QueryError) and exc.status_code == 404:
        return 404
    if isinstance(exc, APIError):
        return 502
    return 500


def error_response(exc: MixpanelAsyncError) -> JSONResponse:
    """`{"error": {"code", "message"}}` with `status_for(exc)`; a rate limit carries
    `Retry-After`. Mixpanel's response body and the request sent are not passed on."""
    headers = {}
    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
        headers["Retry-After"] = str(max(1, round(exc.retry_after)))
    return JSONResponse(
        {"error": {"code": exc.code, "message": exc.message}},
        status_code=status_for(exc),
        headers=headers,
    )


def install(app: FastAPI) -> None:
    """Answer every `MixpanelAsyncError` a route lets escape with `error_response`."""

    async def handle(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, MixpanelAsyncError)
        return error_response(exc)

    app.add_exception_handler(MixpanelAsyncError, handle)
