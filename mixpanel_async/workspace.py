"""`AsyncWorkspace`: the session lifecycle plus one mixin per API family."""

from __future__ import annotations

import copy
import inspect
import os
import ssl
import warnings
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.account import AccountMixin
from mixpanel_async.api.alerts import AlertsMixin
from mixpanel_async.api.annotations import AnnotationsMixin
from mixpanel_async.api.anomalies import AnomaliesMixin
from mixpanel_async.api.base import Base
from mixpanel_async.api.behaviors import BehaviorsMixin
from mixpanel_async.api.bookmarks import BookmarksMixin
from mixpanel_async.api.business_context import BusinessContextMixin
from mixpanel_async.api.cohorts import CohortsMixin
from mixpanel_async.api.custom_events import CustomEventsMixin
from mixpanel_async.api.custom_properties import CustomPropertiesMixin
from mixpanel_async.api.dashboards import DashboardsMixin
from mixpanel_async.api.data_definitions import DataDefinitionsMixin
from mixpanel_async.api.deletions import DeletionsMixin
from mixpanel_async.api.discovery import DiscoveryMixin
from mixpanel_async.api.engage import EngageMixin
from mixpanel_async.api.experiments import ExperimentsMixin
from mixpanel_async.api.export import ExportMixin
from mixpanel_async.api.export_frames import ExportFramesMixin
from mixpanel_async.api.export_parquet import ExportParquetMixin
from mixpanel_async.api.feature_flags import FeatureFlagsMixin
from mixpanel_async.api.flows import FlowsMixin
from mixpanel_async.api.ingestion import IngestionMixin
from mixpanel_async.api.insights import InsightsMixin
from mixpanel_async.api.insights_query import InsightsQueryMixin
from mixpanel_async.api.insights_reports import InsightsReportsMixin
from mixpanel_async.api.lexicon import LexiconMixin
from mixpanel_async.api.lexicon_definitions import LexiconDefinitionsMixin
from mixpanel_async.api.lookup_tables import LookupTablesMixin
from mixpanel_async.api.metrics import MetricsMixin
from mixpanel_async.api.query import QueryMixin
from mixpanel_async.api.replays import ReplaysMixin
from mixpanel_async.api.report_links import ReportLinksMixin
from mixpanel_async.api.schemas import SchemasMixin
from mixpanel_async.api.stream import StreamMixin
from mixpanel_async.api.webhooks import WebhooksMixin
from mixpanel_async.config import Account, Project, Session, WorkspaceRef, resolve_session
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.transport import hosts as _hosts
from mixpanel_async.transport.limits import LOCAL_LIMITS, MIXPANEL_LIMITS, Limit, Limiters
from mixpanel_async.transport.session import Transport
from mixpanel_async.transport.settings import ConnectionPool, RetryPolicy, Timeouts

if TYPE_CHECKING:
    import aiohttp
else:
    aiohttp = LazyModule("aiohttp")


class AsyncWorkspace(
    AccountMixin,
    AlertsMixin,
    AnnotationsMixin,
    BookmarksMixin,
    CohortsMixin,
    DashboardsMixin,
    DataDefinitionsMixin,
    DiscoveryMixin,
    EngageMixin,
    ExperimentsMixin,
    ExportMixin,
    ExportFramesMixin,
    ExportParquetMixin,
    FeatureFlagsMixin,
    FlowsMixin,
    IngestionMixin,
    InsightsMixin,
    InsightsQueryMixin,
    InsightsReportsMixin,
    LexiconMixin,
    LexiconDefinitionsMixin,
    QueryMixin,
    ReportLinksMixin,
    StreamMixin,
    WebhooksMixin,
    SchemasMixin,
    AnomaliesMixin,
    DeletionsMixin,
    ReplaysMixin,
    CustomPropertiesMixin,
    CustomEventsMixin,
    BusinessContextMixin,
    MetricsMixin,
    BehaviorsMixin,
    LookupTablesMixin,
    Base,
):
    """The async entry point to one Mixpanel project.

    Use it as `async with AsyncWorkspace() as ws:`, or keep one for an application's lifetime and
    `await ws.close()` at shutdown. One aiohttp session serves every call; it is safe to share
    across tasks of one event loop.

    Args:
        account: Named account from the config file.
        project: Project id (digit string).
        workspace: Workspace id to pin.
        target: Named target (account + project + workspace) from the config file.
        session: A resolved `Session` (skips config resolution).
        username: Service-account user name (with `secret`); wins over the environment.
        secret: Service-account secret.
        oauth_token: An OAuth bearer token instead of a service account.
        region: `us`, `eu` or `in` for explicit credentials.
        base_url: Send every family to this base URL (like `MP_API_BASE_URL`), e.g. the emulator.
        http_session: An aiohttp session to use; the caller keeps ownership and closes it.
        limits: Per-family `Limit` overrides (keys: query, export, engage, app, ingestion).
        retry: Retry policy; `RetryPolicy(attempts=1)` turns retries off.
        timeouts: Request timeouts per family.
        pool: HTTP connection-pool settings (`ConnectionPool`: connections in all and per host,
            keep-alive, DNS cache); ignored with `http_session`.
        trace_configs: aiohttp `TraceConfig`s for the session this workspace opens (request
            hooks for telemetry); ignored with `http_session`.
        ssl_context: TLS settings for the session this workspace opens, e.g. one trusting an
            HTTPS emulator's CA (`emu.ssl_context()`); the system's trust store by default;
            ignored with `http_session`.
    """

    def __init__(
        self,
        *,
        account: str | None = None,
        project: str | None = None,
        workspace: int | None = None,
        target: str | None = None,
        session: Session | None = None,
        username: str | None = None,
        secret: str | None = None,
        oauth_token: str | None = None,
        region: str | None = None,
        base_url: str | None = None,
        http_session: aiohttp.ClientSession | None = None,
        limits: Mapping[str, Limit] | None = None,
        retry: RetryPolicy | None = None,
        timeouts: Timeouts | None = None,
        pool: ConnectionPool | None = None,
        trace_configs: Sequence[aiohttp.TraceConfig] = (),
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        base_url = base_url or os.environ.get("MP_API_BASE_URL") or None
        hosts = None
        if base_url:
            hosts = _hosts.for_base_url(base_url)
        if session is None:
            session = resolve_session(
                account=account,
                project=project,
                workspace=workspace,
                target=target,
                username=username,
                secret=secret,
                oauth_token=oauth_token,
                region=region,
                anonymous=hosts is not None and hosts.local,
            )
        if hosts is None:
            hosts = _hosts.for_region(session.region)
        app_base = os.environ.get("MP_APP_BASE_URL")
        if app_base:
            hosts = _hosts.with_app_base_url(hosts, app_base)
        chosen = dict(LOCAL_LIMITS if hosts.local else MIXPANEL_LIMITS)
        chosen.update(limits or {})
        # The emulator may announce its own limits (`--rate-limits`): learn those not set here.
        learn = set(LOCAL_LIMITS) - set(limits or {}) if hosts.local else set()
        self._transport = Transport(
            session=session,
            hosts=hosts,
            limiters=Limiters(chosen, learn=learn),
            retry=retry,
            timeouts=timeouts,
            http_session=http_session,
            pool=pool,
            trace_configs=trace_configs,
            ssl_context=ssl_context,
        )
        self._resolved_workspace_id: int | None = None
        self._cache: dict[Any, Any] = {}

    # -- lifecycle -------------------------------------------------------------------------------
    async def __aenter__(self) -> Self:
        self._transport.http()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session (if this workspace opened it). Safe to call twice."""
        await self._transport.close()

    def __del__(self) -> None:
        transport = getattr(self, "_transport", None)
        if transport is not None and transport._owns_http and transport.is_open:
            warnings.warn(
                "AsyncWorkspace was garbage-collected while open: use `async with` or "
                "`await ws.close()`",
                ResourceWarning,
                stacklevel=2,
            )

    def __repr__(self) -> str:
        ws = self.session.workspace_id
        return (
            f"AsyncWorkspace(account={self.account.name!r}, project={self.project.id!r}, "
            f"workspace={ws!r}, base={self._transport.hosts.query!r})"
        )

    # -- session state (no requests) -------------------------------------------------------------
    @property
    def session(self) -> Session:
        """The resolved account, project and workspace (no request)."""
        return self._transport.session

    @property
    def account(self) -> Account:
        """The account whose credentials sign requests."""
        return self.session.account

    @property
    def project(self) -> Project:
        """The project every call addresses."""
        return self.session.project

    @property
    def workspace(self) -> WorkspaceRef | None:
        """The pinned workspace, if any."""
        return self.session.workspace

    @property
    def api(self) -> Transport:
        """The transport, for calls this library does not wrap: `await ws.api.raw("GET", url)`."""
        return self._transport

    def scoped(
        self,
        *,
        account: str | None = None,
        project: str | None = None,
        workspace: int | None = None,
        target: str | None = None,
    ) -> Self:
        """A workspace for another account, project or workspace that shares this one's HTTP
        connections, rate limits and retry policy (no request).

        Unlike `use()`, which re-points this workspace for every task using it, the copy is
        independent: a service handling requests for several projects at once takes one per
        request (`ws.scoped(project=...)`). Its caches are its own; closing it leaves this one
        open, and closing this one closes it.

        Raises:
            ParamValidationError: invalid ids, or `target=` with the others.
            ConfigError: an unknown account or target.
        """
        clone = copy.copy(self)
        clone._transport = self._transport.child(self.session)
        clone._cache = {}
        clone._resolved_workspace_id = None
        return clone.use(account=account, project=project, workspace=workspace, target=target)

    def use(
        self,
        *,
        account: str | None = None,
        project: str | None = None,
        workspace: int | None = None,
        target: str | None = None,
    ) -> Self:
        """Point this workspace at another account, project or workspace (no request).

        A project or account change clears the pinned workspace unless `workspace=` is given.
        Caches are dropped; the HTTP session is kept.
        """
        if target is not None and (account or project or workspace):
            raise ParamValidationError(
                "target= cannot be combined with account=, project= or workspace=",
                param="target",
                code="WS1_TARGET_MUTUALLY_EXCLUSIVE",
            )
        current = self.session
        if target is not None or account is not None:
            new = resolve_session(
                account=account, project=project, workspace=workspace, target=target
            )
        else:
            from mixpanel_async.config import check_project, check_workspace

            pid = check_project(project, "project") or current.project_id
            wid = check_workspace(workspace, "workspace")
            new = current.replace(
                project=Project(pid) if pid != current.project_id else current.project,
                workspace=WorkspaceRef(wid, project_id=pid) if wid else None,
            )
        self._transport.session = new
        self._resolved_workspace_id = None
        self._cache.clear()
        return self


def _name_methods_after(cls: type) -> None:
    """Give the family mixins' public methods the facade's name, so Python's own messages
    (`AsyncWorkspace.segmentation() got an unexpected keyword argument 'evnt'`) and reprs name
    the class users call rather than an internal mixin."""
    for base in cls.__mro__[1:]:
        if not base.__module__.startswith("mixpanel_async.api."):
            continue
        for name, member in vars(base).items():
            if not name.startswith("_") and inspect.isfunction(member):
                member.__qualname__ = f"{cls.__name__}.{name}"


_name_methods_after(AsyncWorkspace)
