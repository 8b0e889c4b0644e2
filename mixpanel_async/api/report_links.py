"""Report links: web URLs that open reports in Mixpanel. `saved_report_link()` builds a saved
report's (no request); `create_report_link()` stores an unsaved report under a fresh slug;
`resolve_report_link()` reads what a link (slug, saved report, short link) stands for;
`query_report_link()` runs it."""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast
from urllib.parse import urljoin, urlsplit

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.api.bookmarks import check_report
from mixpanel_async.api.checks import build
from mixpanel_async.exceptions import (
    APIError,
    AuthenticationError,
    ParamValidationError,
    ShortLinkResolutionError,
    UnsupportedReportLinkError,
    WorkspaceScopeError,
)
from mixpanel_async.transport import codec

if TYPE_CHECKING:
    from mixpanel_async._generated.models import bookmarks as bookmarks_models
    from mixpanel_async._generated.models import report_links as m
    from mixpanel_async._generated.operations import bookmarks as bookmark_ops
    from mixpanel_async._generated.operations import report_links as ops
    from mixpanel_async.reports import links
    from mixpanel_async.reports.links import ParsedLink
    from mixpanel_async.results import report_links as results_report_links
    from mixpanel_async.results._common import Result
    from mixpanel_async.results.flows import FlowQueryResult
    from mixpanel_async.results.insights_funnels import FunnelQueryResult, RetentionQueryResult
    from mixpanel_async.results.insights_query import QueryResult
    from mixpanel_async.results.report_links import (
        ReportLink,
        ReportLinkQueryResult,
        ResolvedReport,
    )
else:
    m = LazyModule("mixpanel_async._generated.models.report_links")
    bookmark_ops = LazyModule("mixpanel_async._generated.operations.bookmarks")
    ops = LazyModule("mixpanel_async._generated.operations.report_links")
    links = LazyModule("mixpanel_async.reports.links")
    results_report_links = LazyModule("mixpanel_async.results.report_links")
    bookmarks_models = LazyModule("mixpanel_async._generated.models.bookmarks")

log = logging.getLogger("mixpanel_async")
ReportType = Literal["insights", "funnels", "funnel", "retention", "flows", "launch-analysis"]
FlowsMode = Literal["sankey", "paths", "tree"]
REDIRECTS = frozenset({301, 302, 303, 307, 308})
"""The statuses whose `Location` is a short link's target."""
_SCRIPTED = re.compile(r'window\.location\.href\s*=\s*("(?:[^"\\]|\\.)*")')
"""A short link's target in the HTML page Mixpanel answers for very long targets."""
_SHORT_HINT = "Open the short link in a browser and copy the report's full URL."


class _Runners(Protocol):
    """The families' bookmark runners that `query_report_link` hands a report to."""

    async def run_params(
        self, params: dict[str, Any], *, workspace_id: int | None = None
    ) -> QueryResult: ...
    async def run_funnel_params(
        self, params: dict[str, Any], *, workspace_id: int | None = None
    ) -> FunnelQueryResult: ...
    async def run_retention_params(
        self, params: dict[str, Any], *, workspace_id: int | None = None
    ) -> RetentionQueryResult: ...
    async def run_flow_params(
        self,
        params: dict[str, Any],
        *,
        mode: FlowsMode | None = None,
        workspace_id: int | None = None,
    ) -> FlowQueryResult: ...


class ReportLinksMixin(Base):
    """Links that open reports in Mixpanel's web app, and the reports behind them."""

    def saved_report_link(
        self,
        bookmark_id: int,
        *,
        report_type: ReportType = "insights",
        workspace_id: int | None = None,
    ) -> str:
        """The web URL that opens saved report `bookmark_id` (built here; not awaited).

        Args:
            bookmark_id: The saved report.
            report_type: Its bookmark type (`funnel` is taken as `funnels`).
            workspace_id: Open it in this workspace's view; default the pinned one, if any.

        Raises:
            ParamValidationError: a non-positive id (`RL6_INVALID_ID`), an unknown type
                (`RL1_UNKNOWN_REPORT_TYPE`).
        """
        chosen = workspace_id if workspace_id is not None else self.session.workspace_id
        return links.saved_report_url(
            self.session.region,
            int(self.session.project_id),
            bookmark_id,
            report_type,
            chosen,
        )

    async def create_report_link(
        self,
        params: dict[str, Any] | Result,
        *,
        report_type: m.ReportLinkType | None = None,
        name: str = "",
        description: str = "",
        workspace_id: int | None = None,
        bookmark_id: int | None = None,
        validate: bool = True,
    ) -> ReportLink:
        """Store a report's params under a fresh slug and return the link that opens it.

        Args:
            params: Bookmark params (e.g. from `build_params()`), or the result of `query()`,
                `query_funnel()`, `query_retention()` or `query_flow()`, which gives both the
                params and the report type.
            report_type: `insights`, `funnels`, `retention` or `flows`; default `insights` for
                params, the result's own type for a result.
            name: A name stored with the report.
            description: A description stored with the report.
            workspace_id: The workspace view of the URL; default the pinned one, else the
                resolved one, else none (a project-only URL).
            bookmark_id: A saved report to store a reference to.
            validate: Check the params as `create_bookmark()` does before sending (default).

        Raises:
            ParamValidationError: `RL4_REPORT_TYPE_CONFLICT` (a `report_type` that contradicts
                the result's), `RL1_UNKNOWN_REPORT_TYPE`, `RL6_INVALID_ID` (a non-positive
                `workspace_id` or `bookmark_id`), or another bad argument: all before any
                request, so nothing is stored.
            BookmarkValidationError: the params are not a valid report definition.
            QueryError: Mixpanel refused the record.
        """
        raw, kind = links.link_inputs(params, report_type)
        links.create_args(name, description, workspace_id, bookmark_id, validate)
        if validate:
            check_report(raw, kind)
        slug = links.new_slug()
        wid = await self._link_workspace(workspace_id)
        project_id = int(self.session.project_id)
        url = links.slug_url(self.session.region, project_id, slug, kind, wid)
        body = m.CreateBookmarkUrlParams(
            slug=slug, type=cast(m.ReportLinkType, kind), params=raw,
            name=name or None, description=description or None, bookmark_id=bookmark_id,
        )  # fmt: skip
        record = await self._call(ops.create_bookmark_url, body=body)
        return results_report_links.ReportLink(
            url=url, slug=slug, report_type=kind, project_id=project_id, workspace_id=wid,
            name=name, description=description, bookmark_id=bookmark_id,
            created_at=None if record.created_at is None else str(record.created_at),
        )  # fmt: skip

    async def _link_workspace(self, explicit: int | None) -> int | None:
        """The workspace of a new link's URL: explicit, pinned, resolved, or none."""
        if explicit is not None:
            return explicit
        if self.session.workspace_id is not None:
            return int(self.session.workspace_id)
        try:
            return await self.resolve_workspace_id()
        except WorkspaceScopeError:
            return None

    async def resolve_report_link(self, link: str) -> ResolvedReport:
        """What a report link stands for: its report type and params, and where it lives.

        Takes a report's web URL (an unsaved report's slug or a saved report), a bare
        12-character slug, or a short link (`https://mixpanel.com/s/{code}`, read once, not
        followed). The link's region, project and (when one is pinned) workspace must be the
        session's; that is checked before the report is fetched (a short link's project and
        workspace after it is expanded).

        Raises:
            ReportLinkParseError: not a report link.
            UnsupportedReportLinkError: a dashboard link or a legacy `~(...)` hash.
            ReportLinkScopeMismatchError: another region, project or pinned workspace.
            ReportLinkNotFoundError: no such slug, saved report or short link.
            ShortLinkResolutionError: a short link whose target cannot be read, or that leads
                to another short link.
            AuthenticationError: bad credentials, or a short link that leads to the login page.
        """
        if not isinstance(link, str):
            raise ParamValidationError(
                f"link must be a string (got {type(link).__name__})", param="link"
            )
        parsed = links.parse_link(
            link, links.local_host(self._transport.hosts.web, self.session.region)
        )
        expanded: str | None = None
        if parsed.kind == "short_link":
            self._check_scope(parsed)
            parsed, expanded = await self._expand(parsed)
        links.refuse_unsupported(parsed)
        self._check_scope(parsed)
        pinned = self.session.workspace_id
        wid = parsed.workspace_id if parsed.workspace_id is not None else pinned
        found: dict[str, Any] = {
            "source": "slug", "input": link, "expanded_url": expanded, "workspace_id": wid,
            "project_id": int(self.session.project_id), "region": self.session.region,
        }  # fmt: skip
        if parsed.kind == "slug":
            return await self._resolve_slug(parsed, found)
        return await self._resolve_saved(parsed, {**found, "source": "bookmark"})

    def _check_scope(self, parsed: ParsedLink) -> None:
        links.check_scope(
            parsed, self.session.region, int(self.session.project_id), self.session.workspace_id
        )

    async def _expand(self, parsed: ParsedLink) -> tuple[ParsedLink, str]:
        """Read a short link's target (one GET, not followed) and parse it."""
        code = str(parsed.short_code)
        request = build(ops.resolve_short_link, code=code)
        url = self._transport.prepare(request).url
        try:
            status, body, headers = await self._transport.locate(request)
        except APIError as exc:
            if exc.status_code != 404:
                raise
            raise links.not_found(
                parsed, "SHORT_LINK_NOT_FOUND", f"short link /s/{code} does not exist",
                "check the short link, or open it in a browser and copy the full URL",
            ) from exc  # fmt: skip
        target = _short_link_target(status, body, headers)
        if target is None:
            what = "no Location" if status in REDIRECTS else "an unrecognised answer"
            raise ShortLinkResolutionError(
                f"short link /s/{code} answered HTTP {status} with {what}",
                code="SHORT_LINK_NO_LOCATION" if status in REDIRECTS
                else "SHORT_LINK_UNEXPECTED_RESPONSE",
                details={**parsed.details(), "status": status, "hint": _SHORT_HINT},
            )  # fmt: skip
        target = urljoin(url, target)
        path = urlsplit(target).path
        if path == "/login" or path.startswith("/login/"):
            raise AuthenticationError(
                f"short link /s/{code} needs a login: it leads to the login page",
                status_code=status, request_method="GET", request_url=url,
            )  # fmt: skip
        found = links.parse_link(
            target, links.local_host(self._transport.hosts.web, self.session.region)
        )
        if found.kind == "short_link":
            raise ShortLinkResolutionError(
                f"short link /s/{code} leads to another short link ({target}); one is followed",
                code="SHORT_LINK_CHAIN",
                details={**parsed.details(), "target": target,
                         "hint": "resolve the target short link itself"},
            )  # fmt: skip
        return found, target

    async def _resolve_slug(self, parsed: ParsedLink, found: dict[str, Any]) -> ResolvedReport:
        slug = str(parsed.slug)
        try:
            record = await self._call(ops.get_bookmark_url, slug=slug)
        except APIError as exc:
            if exc.status_code != 404:
                raise
            raise links.not_found(
                parsed, "REPORT_LINK_SLUG_NOT_FOUND",
                f"no unsaved report with slug {slug} in project {found['project_id']} "
                f"({found['region']}): a slug is readable only in the project that stored it",
                "switch to the project and region that created the link and retry",
            ) from exc  # fmt: skip
        kind = record.bookmark_type
        app_type = kind if kind in links.SLUG_APP else (parsed.report_type_hint or "insights")
        if app_type not in links.SLUG_APP:
            app_type = "insights"
        saved = (
            None
            if record.bookmark is None
            else codec.structure(record.bookmark, bookmarks_models.Bookmark)
        )
        url = links.slug_url(
            found["region"], found["project_id"], record.slug, app_type, found["workspace_id"]
        )
        return results_report_links.ResolvedReport(
            **found, report_type=kind, params=dict(record.params or {}), url=url,
            slug=record.slug, bookmark_id=saved.id if saved else record.bookmark_id,
            bookmark=saved, name=record.name, description=record.description,
            overrides=record.overrides,
        )  # fmt: skip

    async def _resolve_saved(self, parsed: ParsedLink, found: dict[str, Any]) -> ResolvedReport:
        bookmark_id = int(parsed.bookmark_id or 0)
        try:
            saved = await self._call(bookmark_ops.get_bookmark, bookmark_id=bookmark_id)
        except APIError as exc:
            if exc.status_code != 404:
                raise
            pinned = self.session.workspace_id
            where = "" if pinned is None else f" under the pinned workspace {pinned}"
            raise links.not_found(
                parsed, "REPORT_LINK_BOOKMARK_NOT_FOUND",
                f"no saved report {bookmark_id} in project {found['project_id']} "
                f"({found['region']}){where}",
                "check the id; the report may belong to another project or workspace",
            ) from exc  # fmt: skip
        if parsed.overrides is not None:
            log.warning("ignoring the link's overrides %r: running the saved report as saved",
                        parsed.overrides)  # fmt: skip
        kind = saved.bookmark_type
        url_type = kind if kind in links.SAVED_REPORT_TAIL else (
            parsed.report_type_hint or "insights"
        )  # fmt: skip
        url = links.saved_report_url(
            found["region"], found["project_id"], saved.id, url_type, found["workspace_id"]
        )
        return results_report_links.ResolvedReport(
            **found, report_type=kind, params=dict(saved.params or {}), url=url,
            bookmark_id=saved.id, bookmark=saved, name=saved.name,
            description=saved.description,
        )  # fmt: skip

    async def query_report_link(
        self, link: str | ResolvedReport, *, mode: FlowsMode | None = None
    ) -> ReportLinkQueryResult:
        """Run the report behind a link through its engine, under the link's workspace.

        Args:
            link: A link (resolved first, as `resolve_report_link()`) or a `ResolvedReport`
                (not fetched again; its region, project and workspace are checked against the
                session's).
            mode: A flows report's chart: `sankey`, `paths` or `tree`; default the params'
                `chartType` when it is one of those, else `sankey`. Other reports ignore it.

        Returns:
            `QueryResult` (insights), the funnel or retention result (funnels, retention), or
            `FlowQueryResult` (flows).

        Raises:
            UnsupportedReportLinkError: `UNSUPPORTED_REPORT_TYPE` (e.g. `launch-analysis`).
            ReportLinkScopeMismatchError: a `ResolvedReport` of another region, project or
                workspace (before any request).
            ReportLinkError: the link could not be resolved (see `resolve_report_link()`).
            QueryError: Mixpanel refused the report.
        """
        links.flows_mode(mode)
        if isinstance(link, results_report_links.ResolvedReport):
            self._check_scope(links.ParsedLink(
                link.source, link.input, region=link.region, project_id=link.project_id,
                workspace_id=link.workspace_id, slug=link.slug, bookmark_id=link.bookmark_id,
            ))  # fmt: skip
            resolved = link
        else:
            resolved = await self.resolve_report_link(link)
        run = cast(_Runners, self)
        params, wid, kind = resolved.params, resolved.workspace_id, resolved.report_type
        if kind == "insights":
            return await run.run_params(params, workspace_id=wid)
        if kind == "funnels":
            return await run.run_funnel_params(params, workspace_id=wid)
        if kind == "retention":
            return await run.run_retention_params(params, workspace_id=wid)
        if kind == "flows":
            chart = params.get("chartType")
            chosen = mode or (chart if chart in ("sankey", "paths", "tree") else "sankey")
            return await run.run_flow_params(params, mode=chosen, workspace_id=wid)
        raise UnsupportedReportLinkError(
            f"a {kind!r} report cannot be run here",
            code="UNSUPPORTED_REPORT_TYPE",
            details={"report_type": kind,
                     "hint": "insights, funnels, retention and flows reports can be run"},
        )  # fmt: skip


def _short_link_target(status: int, body: bytes, headers: Any) -> str | None:
    """The target a short link's answer names (its `Location`, or the page's script), if any."""
    if status in REDIRECTS:
        return str(headers.get("Location") or "") or None
    if status != 200:
        return None
    found = _SCRIPTED.search(body.decode("utf-8", "replace"))
    try:
        target = json.loads(found.group(1)) if found else None
    except ValueError:
        return None
    return target if isinstance(target, str) and target else None
