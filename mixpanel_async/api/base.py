"""The one base every family mixin extends (mixins never extend each other).

It holds what several families share: the transport and caches `AsyncWorkspace` provides, the
App API call (workspace resolution and the `{"status", "results"}` envelope), the discovery
cache, and the dashboard-layout change that both dashboards and bookmarks make.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import attrs

from mixpanel_async.api.checks import build, entity_id

if TYPE_CHECKING:
    from mixpanel_async._generated.models.account import MeResults
    from mixpanel_async._operation import Request
    from mixpanel_async.config import Session
    from mixpanel_async.transport.session import Transport

from typing import TYPE_CHECKING

from mixpanel_async._operation import LazyModule

if TYPE_CHECKING:
    from mixpanel_async._generated.models import dashboards as dashboard_models
    from mixpanel_async._generated.operations import dashboards as dashboard_ops
else:
    dashboard_models = LazyModule("mixpanel_async._generated.models.dashboards")
    dashboard_ops = LazyModule("mixpanel_async._generated.operations.dashboards")

T = TypeVar("T")
P = ParamSpec("P")
DISCOVERY = "discovery"
"""First element of every discovery cache key, so clearing it leaves other caches alone."""
_MISSING = object()


@attrs.frozen(eq=False)
class _InFlight:
    """A cache entry whose fetch is still running: callers asking meanwhile await its task."""

    task: asyncio.Task[Any]


def report_card(bookmark_id: int) -> dashboard_models.DashboardContentChange:
    """The layout change that adds a saved report to a dashboard as a new row."""
    return dashboard_models.DashboardContentChange(
        action="create",
        content_type="report",
        content_params={"source_bookmark_id": entity_id(bookmark_id, "bookmark_id")},
    )


class Base:
    """Attributes and helpers `AsyncWorkspace` provides to the family mixins."""

    _transport: Transport
    _cache: dict[Any, Any]
    _resolved_workspace_id: int | None

    @property
    def session(self) -> Session:
        """The resolved account, project and workspace this workspace talks to."""
        raise NotImplementedError

    async def me(self, *, force_refresh: bool = False) -> MeResults:
        """The authenticated user, cached (see `AccountMixin.me`)."""
        raise NotImplementedError

    async def resolve_workspace_id(self) -> int:
        """The workspace id to use (see `AccountMixin.resolve_workspace_id`)."""
        raise NotImplementedError

    async def _app(self, request: Request[T]) -> T:
        """Send an App API request, resolving a workspace where the path needs one; the
        operation itself unwraps the `{"status": "ok", "results": ...}` envelope."""
        context = None
        if request.operation.scope == "require" and self.session.workspace_id is None:
            context = {"workspace_id": await self.resolve_workspace_id()}
        return await self._transport.call(request, context=context)

    async def _call(
        self, builder: Callable[P, Request[T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Build an App API request (arguments checked against the builder's signature and the
        spec: `ParamValidationError`) and send it with `_app`."""
        return await self._app(build(builder, *args, **kwargs))

    async def _cached(self, key: tuple[Any, ...], fetch: Callable[[], Awaitable[T]]) -> T:
        """A discovery result, fetched once per key until `clear_discovery_cache()`."""
        return await self._single_flight((DISCOVERY, *key), fetch)

    async def _single_flight(self, key: Any, fetch: Callable[[], Awaitable[T]]) -> T:
        """The cached value under `key`, else one fetch shared by every concurrent caller.

        The fetch runs as its own task, so a caller cancelled while waiting does not cancel it
        for the others; its value is cached when it succeeds, and a failure reaches every caller
        waiting then and caches nothing (the next call fetches again).
        """
        self._transport.check_usable()
        entry = self._cache.get(key, _MISSING)
        if entry is _MISSING:
            task: asyncio.Task[T] = asyncio.ensure_future(fetch())
            entry = _InFlight(task)
            self._cache[key] = entry
            task.add_done_callback(functools.partial(self._settle, key, entry))
        if isinstance(entry, _InFlight):
            result: T = await asyncio.shield(entry.task)
            return result
        value: T = entry
        return value

    def _settle(self, key: Any, entry: _InFlight, task: asyncio.Task[Any]) -> None:
        """Replace a finished fetch by its value (or forget it if it failed), unless the cache
        was cleared or refilled meanwhile."""
        if self._cache.get(key) is not entry:
            return
        if task.cancelled() or task.exception() is not None:
            del self._cache[key]
        else:
            self._cache[key] = task.result()

    def _forget_discovery(self, *key: Any) -> None:
        """Drop cached discovery results whose key starts with `key` (all of them by default)."""
        prefix = (DISCOVERY, *key)
        for cached in [
            k for k in self._cache if isinstance(k, tuple) and k[: len(prefix)] == prefix
        ]:
            del self._cache[cached]

    async def _dashboard_content(
        self, dashboard_id: int, change: dashboard_models.DashboardContentChange
    ) -> dashboard_models.Dashboard:
        """Apply one layout change (add or remove a card) to a dashboard."""
        body = dashboard_models.UpdateDashboardParams(content=change)
        request = dashboard_ops.update_dashboard(
            dashboard_id=entity_id(dashboard_id, "dashboard_id"), body=body
        )
        return await self._app(request)
