"""mixpanel-async: an async Mixpanel client and a local Mixpanel emulator.

`async with AsyncWorkspace() as ws:` is the async twin of `mixpanel_headless.Workspace`.
"""

from mixpanel_async._version import __version__
from mixpanel_async.config import (
    OAuthBrowserAccount,
    OAuthTokenAccount,
    Project,
    Secret,
    ServiceAccount,
    Session,
    WorkspaceRef,
)
from mixpanel_async.exceptions import (
    AccountNotFoundError,
    APIError,
    AuthenticationError,
    BookmarkValidationError,
    ConfigError,
    DateRangeTooLargeError,
    EventNotFoundError,
    MixpanelAsyncError,
    MixpanelConnectionError,
    MixpanelTimeoutError,
    OAuthError,
    ParamValidationError,
    PartitionError,
    ProjectNotFoundError,
    QueryError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    WorkspaceScopeError,
)
from mixpanel_async.transport.limits import Limit
from mixpanel_async.transport.session import RetryPolicy, Timeouts
from mixpanel_async.workspace import AsyncWorkspace

__all__ = [
    "APIError",
    "AccountNotFoundError",
    "AsyncWorkspace",
    "AuthenticationError",
    "BookmarkValidationError",
    "ConfigError",
    "DateRangeTooLargeError",
    "EventNotFoundError",
    "Limit",
    "MixpanelAsyncError",
    "MixpanelConnectionError",
    "MixpanelTimeoutError",
    "OAuthBrowserAccount",
    "OAuthError",
    "OAuthTokenAccount",
    "ParamValidationError",
    "PartitionError",
    "Project",
    "ProjectNotFoundError",
    "QueryError",
    "RateLimitError",
    "ResponseValidationError",
    "RetryPolicy",
    "Secret",
    "ServerError",
    "ServiceAccount",
    "Session",
    "Timeouts",
    "WorkspaceRef",
    "WorkspaceScopeError",
    "__version__",
]
