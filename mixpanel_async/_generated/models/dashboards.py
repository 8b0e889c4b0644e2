# Generated from openapi/dashboards.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal

import attrs


@attrs.frozen(kw_only=True)
class DashboardErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class DashboardOkResponse:
    status: str | None = None
    results: Any | None = None


@attrs.frozen(kw_only=True)
class DashboardContent:
    """One card of a dashboard row (a report, a text card, ...)."""

    id: int | None = None
    content_type: str | None = None
    content_id: int | None = None
    content_params: dict[str, Any] | None = None
    markdown: str | None = None


@attrs.frozen(kw_only=True)
class DashboardRow:
    id: str | None = None
    contents: list[DashboardContent] | None = None


@attrs.frozen(kw_only=True)
class Layout:
    """Rows of cards, in order."""

    rows: list[DashboardRow] | None = None


@attrs.frozen(kw_only=True)
class Dashboard:
    id: int
    title: str
    description: str | None = None
    is_private: bool | None = None
    is_restricted: bool | None = None
    creator_id: int | None = None
    creator_name: str | None = None
    creator_email: str | None = None
    created: str | None = None
    modified: str | None = None
    is_favorited: bool | None = None
    pinned_date: str | None = None
    layout_version: str | None = None
    unique_view_count: int | None = None
    total_view_count: int | None = None
    last_modified_by_id: int | None = None
    last_modified_by_name: str | None = None
    last_modified_by_email: str | None = None
    filters: list[dict[str, Any]] | None = None
    breakdowns: list[dict[str, Any]] | None = None
    time_filter: dict[str, Any] | None = None
    generation_type: str | None = None
    parent_dashboard_id: int | None = None
    child_dashboards: list[dict[str, Any]] | None = None
    is_shared_with_project: bool | None = None
    layout: Layout | None = None
    contents: dict[str, Any] | None = None
    num_active_public_links: int | None = None
    template_type: str | None = None


@attrs.frozen(kw_only=True)
class DashboardResponse:
    results: Dashboard
    status: str | None = None


@attrs.frozen(kw_only=True)
class DashboardListResponse:
    results: list[Dashboard]
    status: str | None = None


@attrs.frozen(kw_only=True)
class Content:
    content_type: str
    content_params: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class DashboardRowParams:
    contents: list[Content] | None = None


@attrs.frozen(kw_only=True)
class CreateDashboardParams:
    title: str
    description: str | None = None
    is_private: bool | None = None
    is_restricted: bool | None = None
    filters: list[dict[str, Any]] | None = None
    breakdowns: list[dict[str, Any]] | None = None
    time_filter: dict[str, Any] | None = None
    duplicate: int | None = None
    rows: list[DashboardRowParams] | None = None


@attrs.frozen(kw_only=True)
class DashboardContentChange:
    """Add (action create) or remove (action delete) one card."""

    action: Literal["create", "delete", "update"]
    content_type: str
    content_id: int | None = None
    content_params: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class UpdateDashboardParams:
    title: str | None = None
    description: str | None = None
    is_private: bool | None = None
    is_restricted: bool | None = None
    filters: list[dict[str, Any]] | None = None
    breakdowns: list[dict[str, Any]] | None = None
    time_filter: dict[str, Any] | None = None
    layout: dict[str, Any] | None = None
    content: DashboardContentChange | None = None


@attrs.frozen(kw_only=True)
class BulkDeleteDashboardsParams:
    dashboard_ids: list[int]


@attrs.frozen(kw_only=True)
class BlueprintTemplate:
    title_key: str
    description_key: str
    name: str | None = None
    alternative_description_key: str | None = None
    number_of_reports: int | None = None


@attrs.frozen(kw_only=True)
class Results:
    templates: dict[str, BlueprintTemplate] | None = None


@attrs.frozen(kw_only=True)
class BlueprintTemplatesResponse:
    status: str | None = None
    results: Results | None = None


@attrs.frozen(kw_only=True)
class CreateBlueprintParams:
    template_type: str


@attrs.frozen(kw_only=True)
class BlueprintConfig:
    variables: dict[str, Any]


@attrs.frozen(kw_only=True)
class BlueprintConfigResponse:
    results: BlueprintConfig
    status: str | None = None


@attrs.frozen(kw_only=True)
class UpdateBlueprintCohortsParams:
    cohorts: list[dict[str, Any]]


@attrs.frozen(kw_only=True)
class BlueprintCard:
    card_type: Literal["report", "text"] = attrs.field(metadata={"wire": "type"})
    text_card_id: int | None = None
    bookmark_id: int | None = None
    markdown: str | None = None
    name: str | None = None
    params: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class BlueprintFinishParams:
    dashboard_id: int
    cards: list[BlueprintCard]


@attrs.frozen(kw_only=True)
class RcaSourceData:
    source_type: str = attrs.field(metadata={"wire": "type"})
    date: str | None = None
    metric_source: bool | None = None


@attrs.frozen(kw_only=True)
class CreateRcaDashboardParams:
    rca_source_id: int
    rca_source_data: RcaSourceData


@attrs.frozen(kw_only=True)
class DashboardIdsResponse:
    results: list[int]
    status: str | None = None


@attrs.frozen(kw_only=True)
class DashboardErfResponse:
    results: dict[str, Any]
    status: str | None = None


@attrs.frozen(kw_only=True)
class UpdateReportLinkParams:
    type: str


@attrs.frozen(kw_only=True)
class UpdateTextCardParams:
    markdown: str | None = None
