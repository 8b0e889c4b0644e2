"""The seed's smaller public types that no request builder produces: account summaries, login
results, saved targets, cursor pages, flag-history paging, dashboard row inputs, warehouse
metrics, and a few `Literal` aliases.

They carry the seed's field names and defaults; dashboard rows and public workspaces are the
generated models under the seed's names.
"""

from __future__ import annotations

import enum
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import attrs

from mixpanel_async._generated.models.dashboards import Content, DashboardRowParams

T = TypeVar("T")

AccountType = Literal["service_account", "oauth_browser", "oauth_token"]
"""The kinds of account the config file holds."""

AccountStatus = Literal["ok", "needs_login", "needs_token", "untested"]
"""What is known about an account's credentials."""

EntityType = Literal["event", "profile"]
"""What a saved behaviour or filter is about."""

WarehouseAggregation = Literal[
    "none", "sum", "count", "average", "min", "max", "median", "last_value"
]
"""How a warehouse metric aggregates its query rows."""

WarehouseSyncInterval = Literal["hourly", "daily", "weekly", "manual"]
"""How long a warehouse metric's query result stays cached."""

DashboardRow = DashboardRowParams
"""One row of a new dashboard's layout (1-4 `contents`), the seed's name."""

DashboardRowContent = Content
"""One card of a dashboard row: `content_type` ("text" or "report") and `content_params`."""


class PropertyResourceType(enum.StrEnum):
    """Which kind of property a definition is about."""

    EVENT = "event"
    USER = "user"
    GROUPPROFILE = "groupprofile"


def _positive_or_none(_: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and value <= 0:
        raise ValueError(f"{attribute.name} must be a positive integer, got {value!r}")


@attrs.frozen(kw_only=True)
class CursorPagination:
    """Where one page of an App API list sits: its size and the cursors either side."""

    page_size: int
    next_cursor: str | None = None
    previous_cursor: str | None = None


@attrs.frozen(kw_only=True)
class PaginatedResponse(Generic[T]):
    """One page of an App API list: `status`, the `results`, and its `pagination`, if any."""

    status: str
    results: list[T]
    pagination: CursorPagination | None = None

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> PaginatedResponse[Any]:
        """Read an App API list answer (`{"status", "results", "pagination"?}`)."""
        page = body.get("pagination")
        return cls(
            status=str(body.get("status", "ok")),
            results=list(body.get("results") or []),
            pagination=CursorPagination(
                page_size=int(page.get("page_size", 0)),
                next_cursor=page.get("next_cursor"),
                previous_cursor=page.get("previous_cursor"),
            )
            if isinstance(page, dict)
            else None,
        )


@attrs.frozen(kw_only=True)
class FlagHistoryParams:
    """Paging of a flag's change log: the `page` cursor and `page_size`."""

    page: str | None = None
    page_size: int | None = attrs.field(default=None, validator=_positive_or_none)

    def to_query(self) -> dict[str, str]:
        """The set fields as query parameters."""
        out: dict[str, str] = {}
        if self.page is not None:
            out["page"] = self.page
        if self.page_size is not None:
            out["page_size"] = str(self.page_size)
        return out


@attrs.frozen(kw_only=True)
class AccountSummary:
    """One configured account as listed: kind, region, status and the targets naming it."""

    name: str
    type: AccountType
    region: Literal["us", "eu", "in"]
    status: AccountStatus = "untested"
    is_active: bool = False
    referenced_by_targets: list[str] = attrs.field(factory=list)
    user_email: str | None = None
    project_id: str | None = None
    project_name: str | None = None


@attrs.frozen(kw_only=True)
class AccountTestResult:
    """Whether an account's credentials were accepted; `error` set exactly when not `ok`."""

    account_name: str
    ok: bool
    user: dict[str, Any] | None = None
    accessible_project_count: int | None = None
    error: str | None = None
    error_code: str | None = None
    error_details: dict[str, Any] | None = None

    def __attrs_post_init__(self) -> None:
        if self.ok == (self.error is not None):
            raise ValueError("AccountTestResult: error must be set exactly when ok is False")


@attrs.frozen(kw_only=True)
class OAuthLoginResult:
    """What a browser login stored: the account, its user, expiry and the token files."""

    account_name: str
    tokens_path: Path
    client_path: Path
    user: dict[str, Any] | None = None
    expires_at: datetime | None = None


@attrs.frozen(kw_only=True)
class Target:
    """A saved (account, project, workspace) triple, `[targets.NAME]` in the config file."""

    name: str
    account: str
    project: str
    workspace: int | None = attrs.field(default=None, validator=_positive_or_none)


@attrs.frozen(kw_only=True)
class WarehouseMetric:
    """A saved metric computed by SQL on a warehouse source (queried by reference only).

    `aggregation` / `sync_interval` left as None mean Mixpanel's defaults ("none", "hourly") on
    a create and the stored values on an update.
    """

    source_id: int
    sql: str
    metric_type: Literal["numeric", "timeseries"]
    value_column: str | None = None
    time_column: str | None = None
    aggregation: WarehouseAggregation | None = None
    sync_interval: WarehouseSyncInterval | None = None

    def __attrs_post_init__(self) -> None:
        if not self.sql.strip():
            raise ValueError("WarehouseMetric.sql must not be empty")
        if self.metric_type not in ("numeric", "timeseries"):
            raise ValueError("WarehouseMetric.metric_type must be 'numeric' or 'timeseries'")
