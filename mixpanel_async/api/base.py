"""The one base every family mixin extends (mixins never extend each other).

It holds what several families share: the transport and caches `AsyncWorkspace` provides, the
App API call (workspace resolution and the `{"status", "results"}` envelope), the discovery
cache, and the dashboard-layout change that both dashboards and bookmarks make.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from mixpanel_async._generated.models import dashboards as dashboard_models
from mixpanel_async._generated.operations import dashboards as dashboard_ops
from mixpanel_async.api.checks import build, entity_id

if TYPE_CHECKING:
    from mixpanel_async._operation import Request
    from mixpanel_async.config import Session
    from mixpanel_async.transport.session import Transport

T = TypeVar("T")
P = ParamSpec("P")
DISCOVERY = "discovery"
"""First element of every discovery cache key, so clearing it leaves other caches alone."""


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
        full = (DISCOVERY, *key)
        if full not in self._cache:
            self._cache[full] = await fetch()
        result: T = self._cache[full]
        return result

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
