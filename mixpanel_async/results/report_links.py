"""Results of the report-link methods: the seed's `ReportLink` (`create_report_link()`),
`ResolvedReport` (`resolve_report_link()`) and `ReportLinkQueryResult` (`query_report_link()`)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from mixpanel_async._generated.models.bookmarks import Bookmark
from mixpanel_async._operation import LazyModule
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.results._common import Result
from mixpanel_async.results.flows import FlowQueryResult
from mixpanel_async.results.insights_funnels import FunnelQueryResult, RetentionQueryResult
from mixpanel_async.results.insights_query import QueryResult
from mixpanel_async.transport import codec

if TYPE_CHECKING:
    import polars as pl
else:
    pl = LazyModule("polars")

ReportLinkQueryResult: TypeAlias = (
    QueryResult | FunnelQueryResult | RetentionQueryResult | FlowQueryResult
)
"""What `query_report_link()` answers, by report type: insights, funnels, retention, flows
(narrow with `isinstance`, or by `ResolvedReport.report_type`)."""


@attrs.frozen
class ReportLink(Result):
    """An unsaved report stored under a slug: `url` opens it in Mixpanel (`str(link)` is the
    URL); `workspace_id` is the URL's workspace view (None: project-only); `created_at` is the
    server's stamp."""

    url: str
    slug: str
    report_type: str
    project_id: int
    workspace_id: int | None
    name: str = ""
    description: str = ""
    bookmark_id: int | None = None
    created_at: str | None = None

    def __str__(self) -> str:
        """The URL, so that `print(link)` prints something to open."""
        return self.url

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """The link as a one-row frame of its fields."""
        return pl.DataFrame([self.to_dict()])


@attrs.frozen
class ResolvedReport(Result):
    """What a report link stands for: the stored report's `params` (never merged with
    `overrides`), its `report_type`, and where it was found.

    `source` is `slug` (an unsaved report) or `bookmark` (a saved one); `workspace_id` is the
    link's workspace, else the workspace pinned when it was resolved, else None (project-wide):
    `query_report_link()` runs it under exactly that. `url` is the canonical link, `input` what
    was passed, `expanded_url` a short link's target.

    Raises:
        ParamValidationError: `RL5_RESOLVED_REPORT_INCONSISTENT` when a `slug` source has no
            `slug` or a `bookmark` source no `bookmark_id`.
    """

    source: Literal["slug", "bookmark"]
    report_type: str
    params: dict[str, Any]
    project_id: int
    workspace_id: int | None
    region: str
    url: str
    input: str
    expanded_url: str | None = None
    slug: str | None = None
    bookmark_id: int | None = None
    bookmark: Bookmark | None = None
    name: str | None = None
    description: str | None = None
    overrides: dict[str, Any] | None = None

    def __attrs_post_init__(self) -> None:
        """Refuse a source without the id that goes with it."""
        missing = {"slug": "slug", "bookmark": "bookmark_id"}.get(self.source)
        if missing is not None and getattr(self, missing) is None:
            raise ParamValidationError(
                f"a ResolvedReport from a {self.source} needs its {missing}",
                param=missing,
                code="RL5_RESOLVED_REPORT_INCONSISTENT",
            )

    def to_dict(self) -> dict[str, Any]:
        """Every field as plain data; `bookmark` with Mixpanel's own keys (`type`, ...)."""
        out = {f.name: getattr(self, f.name) for f in attrs.fields(type(self))}
        out["bookmark"] = None if self.bookmark is None else codec.unstructure(self.bookmark)
        return out

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """The report's identity as a one-row frame (no params or bookmark: see `to_dict()`)."""
        skip = {"params", "bookmark", "overrides"}
        return pl.DataFrame([{k: v for k, v in self.to_dict().items() if k not in skip}])
