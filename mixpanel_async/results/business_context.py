"""Results of the business-context methods: the seed's `BusinessContext` (one scope) and
`BusinessContextChain` (the organization's and the project's together)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Literal

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.results._common import Result

if TYPE_CHECKING:
    import polars as pl
else:
    pl = LazyModule("polars")

BUSINESS_CONTEXT_MAX_CHARS = 50_000
"""The longest business-context text Mixpanel stores, in characters."""

BusinessContextLevel = Literal["organization", "project"]
"""The two scopes business context lives at."""


@attrs.frozen
class BusinessContext(Result):
    """The markdown kept at one scope: `organization_id` is set for the organization scope,
    `project_id` for the project scope; `content` is `""` when nothing is set."""

    level: BusinessContextLevel
    content: str
    organization_id: int | None = None
    project_id: str | None = None

    @property
    def is_empty(self) -> bool:
        """True when no text is set at this scope."""
        return not self.content

    @property
    def character_count(self) -> int:
        """The text's length in characters (compare with `BUSINESS_CONTEXT_MAX_CHARS`)."""
        return len(self.content)

    def to_dict(self) -> dict[str, Any]:
        """The fields plus `is_empty` and `character_count`, as the seed's dump has them."""
        return {
            **super().to_dict(),
            "is_empty": self.is_empty,
            "character_count": self.character_count,
        }

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """One row: level, ids, content, is_empty, character_count."""
        return pl.DataFrame([self.to_dict()])


@attrs.frozen
class BusinessContextChain(Result):
    """Both scopes of the current project's business context, read in one request."""

    organization: BusinessContext
    project: BusinessContext

    def to_dict(self) -> dict[str, Any]:
        """Both scopes, each as `BusinessContext.to_dict()` gives it."""
        return {"organization": self.organization.to_dict(), "project": self.project.to_dict()}

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """Two rows, organization first."""
        return pl.DataFrame([self.organization.to_dict(), self.project.to_dict()])
