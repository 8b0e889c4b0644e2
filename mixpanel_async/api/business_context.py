"""Business context: markdown about the organization and the project, for AI assistants.

Two scopes, `organization` and `project`; both paths are fixed whatever workspace is pinned.
An organization id the caller does not give comes from `/me`: the current project's
organization, else the account's only organization.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, get_args

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import choice, entity_id
from mixpanel_async.exceptions import (
    BusinessContextValidationError,
    ParamValidationError,
    WorkspaceScopeError,
)

if TYPE_CHECKING:
    from mixpanel_async._generated.models import account as account_models
    from mixpanel_async._generated.models import business_context as m
    from mixpanel_async._generated.models.account import MeResults
    from mixpanel_async._generated.operations import business_context as ops
    from mixpanel_async.results import business_context as results_business_context
    from mixpanel_async.results.business_context import (
        BusinessContext,
        BusinessContextChain,
        BusinessContextLevel,
    )
else:
    m = LazyModule("mixpanel_async._generated.models.business_context")
    ops = LazyModule("mixpanel_async._generated.operations.business_context")
    results_business_context = LazyModule("mixpanel_async.results.business_context")
    account_models = LazyModule("mixpanel_async._generated.models.account")

_ME_KEY = "me"
"""Where `AccountMixin.me()` caches `/me` (read here without fetching it)."""


def _level(level: Any) -> BusinessContextLevel:
    """`level` checked: `organization` or `project`."""
    checked = choice(level, "level", get_args(results_business_context.BusinessContextLevel))
    return "organization" if checked == "organization" else "project"


def _content(content: Any) -> str:
    """Text Mixpanel will store: a string of at most 50,000 characters."""
    if not isinstance(content, str):
        raise ParamValidationError(
            f"content must be a string, got {type(content).__name__}", param="content"
        )
    most = results_business_context.BUSINESS_CONTEXT_MAX_CHARS
    if len(content) > most:
        raise BusinessContextValidationError(
            f"content must be at most {most} characters, got {len(content)}",
            param="content",
        )
    return content


class BusinessContextMixin(Base):
    """Read and replace business context at the organization or project scope."""

    async def get_business_context(
        self, *, level: BusinessContextLevel = "project", organization_id: int | None = None
    ) -> BusinessContext:
        """The text at one scope (`content == ""` when nothing is set)."""
        if _level(level) == "organization":
            org = await self._organization_id(organization_id)
            got = await self._call(ops.get_organization_business_context, organization_id=org)
            return results_business_context.BusinessContext(
                "organization", got.content, organization_id=org
            )
        project = await self._call(ops.get_project_business_context)
        return results_business_context.BusinessContext(
            "project", project.content, project_id=self.session.project_id
        )

    async def set_business_context(
        self,
        content: str,
        *,
        level: BusinessContextLevel = "project",
        organization_id: int | None = None,
    ) -> BusinessContext:
        """Replace the text at one scope (`""` clears it); longer than 50,000 characters is
        refused with `BusinessContextValidationError` before any request."""
        scope = _level(level)
        text = _content(content)
        body = m.SetBusinessContextParams(content=text)
        if scope == "organization":
            org = await self._organization_id(organization_id)
            saved = await self._call(
                ops.set_organization_business_context, organization_id=org, body=body
            )
            return results_business_context.BusinessContext(
                "organization", saved.content, organization_id=org
            )
        got = await self._call(ops.set_project_business_context, body=body)
        return results_business_context.BusinessContext(
            "project", got.content, project_id=self.session.project_id
        )

    async def clear_business_context(
        self, *, level: BusinessContextLevel = "project", organization_id: int | None = None
    ) -> BusinessContext:
        """Clear the text at one scope (the same as setting `""`)."""
        return await self.set_business_context("", level=level, organization_id=organization_id)

    async def get_business_context_chain(self) -> BusinessContextChain:
        """Both scopes of the current project in one request; the organization's id is filled
        in only when `/me` is already cached (no extra request is made for it)."""
        chain = await self._call(ops.get_business_context_chain)
        cached = self._cache.get(_ME_KEY)
        org = (
            _project_org(cached, self.session.project_id)
            if isinstance(cached, account_models.MeResults)
            else None
        )
        return results_business_context.BusinessContextChain(
            organization=results_business_context.BusinessContext(
                "organization", chain.org_context, organization_id=org
            ),
            project=results_business_context.BusinessContext(
                "project", chain.project_context, project_id=self.session.project_id
            ),
        )

    async def _organization_id(self, organization_id: int | None) -> int:
        """The organization to address: the one given, else the project's, else the only one."""
        if organization_id is not None:
            return entity_id(organization_id, "organization_id")
        me = await self.me()
        found = _project_org(me, self.session.project_id)
        if found is not None:
            return found
        orgs = list((me.organizations or {}).values())
        if len(orgs) == 1:
            return orgs[0].id
        raise WorkspaceScopeError(
            "cannot tell which organization to use; pass organization_id",
            code="ORGANIZATION_AMBIGUOUS",
            details={"organizations": [o.id for o in orgs]},
        )


def _project_org(me: MeResults, project_id: str) -> int | None:
    """The organization `/me` lists for a project, if any."""
    project = (me.projects or {}).get(str(project_id))
    org = project.organization_id if project is not None else None
    return int(org) if org is not None else None
