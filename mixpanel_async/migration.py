"""Names kept for code migrating from `mixpanel_headless`: the synchronous `Workspace`, the
config-file functions, the built-in reference's records and errors, the replay label functions,
and the seed's small types and exception names. `mixpanel_async` re-exports every name here.
"""

from typing import TYPE_CHECKING

from mixpanel_async._lazy import lazy_exports

if TYPE_CHECKING:
    from mixpanel_async._generated.models.account import PublicWorkspace
    from mixpanel_async._generated.models.dashboards import BlueprintCard, RcaSourceData
    from mixpanel_async._generated.models.report_links import BookmarkUrl
    from mixpanel_async.accounts import login_unified
    from mixpanel_async.config import Account, Region
    from mixpanel_async.exceptions import (
        AccountExistsError,
        AccountInUseError,
        InvalidArgumentError,
        MixpanelHeadlessError,
        ParamTypeError,
        RegionProbeError,
        RegionProbeNetworkError,
    )
    from mixpanel_async.reference import (
        DocSections,
        FieldDoc,
        Group,
        HelpEntry,
        Hint,
        MemberDoc,
        ParamDoc,
        SearchHit,
        SearchResult,
        SignatureDoc,
        UsageDoc,
        help,
    )
    from mixpanel_async.reference_models import HelpDomainError, HelpDomainReason, HelpLookupError
    from mixpanel_async.replay_labels import default_label_fn, selector_label_fn, url_normalizer
    from mixpanel_async.reports.saved_writes import BehaviorDefinition, MetricDefinition
    from mixpanel_async.seed_types import (
        AccountSummary,
        AccountTestResult,
        AccountType,
        CursorPagination,
        DashboardRow,
        DashboardRowContent,
        EntityType,
        FlagHistoryParams,
        OAuthLoginResult,
        PaginatedResponse,
        PropertyResourceType,
        Target,
        WarehouseAggregation,
        WarehouseMetric,
        WarehouseSyncInterval,
    )
    from mixpanel_async.sync_workspace import Workspace

__all__ = [
    "Account",
    "AccountExistsError",
    "AccountInUseError",
    "AccountSummary",
    "AccountTestResult",
    "AccountType",
    "BehaviorDefinition",
    "BlueprintCard",
    "BookmarkUrl",
    "CursorPagination",
    "DashboardRow",
    "DashboardRowContent",
    "DocSections",
    "EntityType",
    "FieldDoc",
    "FlagHistoryParams",
    "Group",
    "HelpDomainError",
    "HelpDomainReason",
    "HelpEntry",
    "HelpLookupError",
    "Hint",
    "InvalidArgumentError",
    "MemberDoc",
    "MetricDefinition",
    "MixpanelHeadlessError",
    "OAuthLoginResult",
    "PaginatedResponse",
    "ParamDoc",
    "ParamTypeError",
    "PropertyResourceType",
    "PublicWorkspace",
    "RcaSourceData",
    "Region",
    "RegionProbeError",
    "RegionProbeNetworkError",
    "SearchHit",
    "SearchResult",
    "SignatureDoc",
    "Target",
    "UsageDoc",
    "WarehouseAggregation",
    "WarehouseMetric",
    "WarehouseSyncInterval",
    "Workspace",
    "default_label_fn",
    "help",
    "login_unified",
    "selector_label_fn",
    "url_normalizer",
]

if not TYPE_CHECKING:  # hidden from mypy, so that a name missing from the imports above is an error
    __getattr__, __dir__ = lazy_exports(__name__, __all__)
