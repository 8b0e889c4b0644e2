"""Who we are: `/me`, projects, workspaces."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.config import Project, WorkspaceRef
from mixpanel_async.exceptions import (
    ConfigError,
    QueryError,
    ResponseValidationError,
    WorkspaceScopeError,
)

if TYPE_CHECKING:
    from mixpanel_async._generated.models import account as models
    from mixpanel_async._generated.operations import account as ops
else:
    models = LazyModule("mixpanel_async._generated.models.account")
    ops = LazyModule("mixpanel_async._generated.operations.account")

_ME = "me"


class AccountMixin(Base):
    """Who the credentials are: `/me`, its projects and workspaces, and the workspace to use."""

    async def me(self, *, force_refresh: bool = False) -> models.MeResults:
        """The authenticated user with its organizations, projects and workspaces (cached)."""
        if force_refresh:
            self._cache.pop(_ME, None)
        return await self._single_flight(_ME, lambda: self._transport.call(ops.get_me()))

    async def projects(self, *, refresh: bool = False) -> list[Project]:
        """Projects the account can reach, sorted by name."""
        me = await self.me(force_refresh=refresh)
        found = [
            Project(id=pid, name=p.name, organization_id=p.organization_id, timezone=p.timezone)
            for pid, p in (me.projects or {}).items()
        ]
        return sorted(found, key=lambda p: (p.name or "").lower())

    async def workspaces(
        self, *, project_id: str | None = None, refresh: bool = False
    ) -> list[WorkspaceRef]:
        """Workspaces of a project (default: the current one), from `/me`, sorted by name."""
        pid = project_id if project_id is not None else self.session.project_id
        if not str(pid).isdigit():
            raise ConfigError(f"Project ID must be numeric, got: {pid!r}")
        me = await self.me(force_refresh=refresh)
        found = [
            WorkspaceRef(id=w.id, name=w.name, is_default=w.is_default)
            for w in (me.workspaces or {}).values()
            if w.project_id == int(pid)
        ]
        return sorted(found, key=lambda w: (w.name or "").lower())

    async def list_workspaces(self) -> list[models.PublicWorkspace]:
        """`GET /projects/{id}/workspaces/public`: every workspace of the current project."""
        results = await self._transport.call(ops.list_public_workspaces())
        if not isinstance(results, list):
            raise ResponseValidationError("workspaces/public did not answer with a list")
        return results

    async def resolve_workspace_id(self) -> int:
        """The pinned workspace, else the project's global/default workspace (cached)."""
        pinned = self.session.workspace_id
        if pinned is not None:
            return pinned
        if self._resolved_workspace_id is not None:
            return self._resolved_workspace_id
        candidates: list[tuple[int, str | None, bool | None, bool | None, bool | None]] = []
        try:
            for w in await self.list_workspaces():
                candidates.append((w.id, w.name, w.is_global, w.is_default, w.is_visible))
        except QueryError as exc:
            if exc.status_code not in (403, 404):
                raise
        if not candidates:
            me = await self.me()
            pid = int(self.session.project_id)
            candidates = [
                (w.id, w.name, w.is_global, w.is_default, w.is_visible)
                for w in (me.workspaces or {}).values()
                if w.project_id == pid
            ]
        chosen = _select(candidates)
        if chosen is None:
            raise WorkspaceScopeError(
                f"project {self.session.project_id} has no workspace visible to this account; "
                "pass workspace= or set MP_WORKSPACE_ID",
                code="NO_WORKSPACES",
                details={"project_id": self.session.project_id},
            )
        self._resolved_workspace_id = chosen
        return chosen


def _select(
    candidates: list[tuple[int, str | None, bool | None, bool | None, bool | None]],
) -> int | None:
    """Global view, else "All Project Data", else the default, else the first visible one."""
    for test in (
        lambda c: c[2] is True,
        lambda c: c[1] == "All Project Data",
        lambda c: c[3] is True,
        lambda c: c[4] is not False,
        lambda c: True,
    ):
        for c in candidates:
            if test(c):
                return c[0]
    return None
