# Generated from openapi/bookmarks.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs


@attrs.frozen(kw_only=True)
class BookmarkErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class BookmarkOkResponse:
    status: str | None = None
    results: Any | None = None


BookmarkType: TypeAlias = Literal["insights", "funnels", "retention", "flows", "launch-analysis"]


@attrs.frozen(kw_only=True)
class BookmarkMetadata:
    """Display and calculation settings that vary by report type."""

    table_display_mode: str | None = None
    compare_enabled: bool | None = None
    compare_filters: list[Any] | None = None
    retention_calculation_type: str | None = None
    event_name: str | None = None
    funnel_conversion_window: int | None = None
    funnel_breakdown_limit: int | None = None


@attrs.frozen(kw_only=True)
class Bookmark:
    id: int
    name: str
    bookmark_type: str = attrs.field(metadata={"wire": "type"})
    project_id: int | None = None
    workspace_id: int | None = None
    description: str | None = None
    icon: str | None = None
    params: dict[str, Any] | None = None
    dashboard_id: int | None = None
    include_in_dashboard: bool | None = None
    is_default: bool | None = None
    creator_id: int | None = None
    creator_name: str | None = None
    creator_email: str | None = None
    created: str | None = None
    modified: str | None = None
    last_modified_by_id: int | None = None
    last_modified_by_name: str | None = None
    last_modified_by_email: str | None = None
    metadata: BookmarkMetadata | None = None
    is_visibility_restricted: bool | None = None
    is_modification_restricted: bool | None = None
    can_update_basic: bool | None = None
    can_view: bool | None = None
    can_share: bool | None = None
    generation_type: str | None = None
    original_type: str | None = None
    unique_view_count: int | None = None
    total_view_count: int | None = None


@attrs.frozen(kw_only=True)
class BookmarkInfo:
    """A saved report as the discovery call `list_bookmarks` describes it (the same endpoint as `list_bookmarks_v2`, fewer fields)."""

    id: int
    name: str
    type: str
    project_id: int
    created: str
    modified: str
    workspace_id: int | None = None
    dashboard_id: int | None = None
    description: str | None = None
    creator_id: int | None = None
    creator_name: str | None = None


@attrs.frozen(kw_only=True)
class BookmarkResponse:
    results: Bookmark
    status: str | None = None


@attrs.frozen(kw_only=True)
class BookmarkListResponse:
    results: list[Bookmark]
    status: str | None = None


@attrs.frozen(kw_only=True)
class CreateBookmarkParams:
    name: str
    bookmark_type: Literal["insights", "funnels", "retention", "flows", "user"] = attrs.field(
        metadata={"wire": "type"}
    )
    params: dict[str, Any]
    description: str | None = None
    icon: str | None = None
    dashboard_id: int | None = None
    is_visibility_restricted: bool | None = None
    is_modification_restricted: bool | None = None


@attrs.frozen(kw_only=True)
class UpdateBookmarkParams:
    name: str | None = None
    params: dict[str, Any] | None = None
    description: str | None = None
    icon: str | None = None
    dashboard_id: int | None = None
    is_visibility_restricted: bool | None = None
    is_modification_restricted: bool | None = None
    deleted: bool | None = None


@attrs.frozen(kw_only=True)
class BulkDeleteBookmarksParams:
    bookmark_ids: list[int]


@attrs.frozen(kw_only=True)
class BulkUpdateBookmarkEntry:
    id: int
    name: str | None = None
    params: dict[str, Any] | None = None
    description: str | None = None
    icon: str | None = None
    is_visibility_restricted: bool | None = None
    is_modification_restricted: bool | None = None


@attrs.frozen(kw_only=True)
class BulkUpdateBookmarksParams:
    bookmarks: list[BulkUpdateBookmarkEntry]


@attrs.frozen(kw_only=True)
class BookmarkDashboardIdsResponse:
    results: list[int]
    status: str | None = None


@attrs.frozen(kw_only=True)
class BookmarkHistoryPagination:
    next_cursor: str | None = None
    previous_cursor: str | None = None
    page_size: int | None = 0


@attrs.frozen(kw_only=True)
class BookmarkHistoryResponse:
    """One page of history entries, newest first, and where the next page starts."""

    results: list[Any] | None = attrs.field(factory=list)
    pagination: BookmarkHistoryPagination | None = None


@attrs.frozen(kw_only=True)
class BookmarkHistoryEnvelope:
    results: BookmarkHistoryResponse
    status: str | None = None


@attrs.frozen(kw_only=True)
class BookmarkSections:
    show: list[dict[str, Any]]
    time: list[Any]
    cohorts: list[Any] | None = None
    filter: list[Any] | None = None
    formula: list[Any] | None = None
    global_data_group_id: str | None = attrs.field(
        default=None, metadata={"wire": "globalDataGroupId"}
    )
    group: list[Any] | None = None
    group_by: list[Any] | None = None
    metric_level_data_groups: bool | None = attrs.field(
        default=None, metadata={"wire": "metricLevelDataGroups"}
    )


@attrs.frozen(kw_only=True)
class BookmarkDisplayOptions:
    chart_type: Literal[
        "bar",
        "line",
        "pie",
        "bar-stacked",
        "stacked-line",
        "table",
        "insights-metric",
        "column",
        "stacked-column",
        "metric",
        "sankey",
        "flows",
        "paths",
        "funnel-top-paths",
        "funnel-steps",
        "funnel-steps-metric",
        "funnel-trend",
        "funnel-frequency-line",
        "funnel-frequency-bar",
        "funnel-ttc-line",
        "funnel-ttc-bar",
        "funnel-median-ttc",
        "line-retention",
        "retention-trend",
        "retention-trend-metric",
        "retention-table",
        "retention-curve",
        "frequency",
        "impact-adoption",
        "impact-trends",
        "impact-propensity",
        "frequency-curve",
    ] = attrs.field(metadata={"wire": "chartType"})
    plot_style: Literal["standard", "stacked"] | None = attrs.field(
        default=None, metadata={"wire": "plotStyle"}
    )
    analysis: Literal["linear", "logarithmic", "rolling", "cumulative"] | None = None
    value: Literal["absolute", "relative"] | None = None
    rolling_window_size: int | None = attrs.field(
        default=None, metadata={"wire": "rollingWindowSize"}
    )
    time_unit: str | None = attrs.field(default=None, metadata={"wire": "timeUnit"})
    primary_y_axis_options: Any | None = attrs.field(
        default=None, metadata={"wire": "primaryYAxisOptions"}
    )
    secondary_y_axis_options: Any | None = attrs.field(
        default=None, metadata={"wire": "secondaryYAxisOptions"}
    )
    theme: Any | None = None
    x_axis_options: Any | None = attrs.field(default=None, metadata={"wire": "xAxisOptions"})
    annotation_options: dict[str, Any] | None = attrs.field(
        default=None, metadata={"wire": "annotationOptions"}
    )
    comment_options: dict[str, Any] | None = attrs.field(
        default=None, metadata={"wire": "commentOptions"}
    )
    query_time_sampling: bool | None = attrs.field(
        default=None, metadata={"wire": "queryTimeSampling"}
    )
    table_summary_aggregation: Literal["average", "sum", "min", "max", "median"] | None = (
        attrs.field(default=None, metadata={"wire": "tableSummaryAggregation"})
    )
    stat_sig_control: list[dict[str, Any]] | None = attrs.field(
        default=None, metadata={"wire": "statSigControl"}
    )
    funnel_steps_selected_table_columns: dict[str, Any] | None = attrs.field(
        default=None, metadata={"wire": "funnelStepsSelectedTableColumns"}
    )
    axis_assignments: Any | None = attrs.field(default=None, metadata={"wire": "axisAssignments"})


@attrs.frozen(kw_only=True)
class InsightsBookmarkParams:
    """The definition of an insights, funnels or retention report. Keys other than these are refused; the legacy ones listed last are tolerated."""

    sections: BookmarkSections
    display_options: BookmarkDisplayOptions = attrs.field(metadata={"wire": "displayOptions"})
    column_widths: Any | None = attrs.field(default=None, metadata={"wire": "columnWidths"})
    forecast_comparison: Any | None = attrs.field(
        default=None, metadata={"wire": "forecastComparison"}
    )
    legend: Any | None = None
    lift_comparison: Any | None = attrs.field(default=None, metadata={"wire": "liftComparison"})
    name: str | None = None
    sorting: dict[str, Any] | None = None
    time_comparison: Any | None = attrs.field(default=None, metadata={"wire": "timeComparison"})
    versions: list[str] | None = None
    executed_migrations: list[Any] | None = attrs.field(
        default=None, metadata={"wire": "executedMigrations"}
    )
    alignment: Any | None = None
    anchor_position: Any | None = None
    anchor_position_1: Any | None = attrs.field(default=None, metadata={"wire": "anchorPosition"})
    cardinality: Any | None = None
    cardinality_threshold: Any | None = None
    chart_type: Any | None = None
    chart_type_1: Any | None = attrs.field(default=None, metadata={"wire": "chartType"})
    count_type: Any | None = None
    date_range: Any | None = None
    error: Any | None = None
    exclusions: Any | None = None
    fields: Any | None = None
    filter_by_cohort: Any | None = None
    filter_by_event: Any | None = None
    global_access_type: Any | None = None
    graph_sort_priority: Any | None = None
    group_by: Any | None = None
    hidden_events: Any | None = None
    icon: Any | None = None
    id: Any | None = None
    is_new_qb_enabled: Any | None = attrs.field(default=None, metadata={"wire": "isNewQBEnabled"})
    modified: Any | None = None
    segments: Any | None = None
    smart_hub: Any | None = attrs.field(default=None, metadata={"wire": "smartHub"})
    steps: Any | None = None
    title: Any | None = None
    trend_unit: Any | None = None
    trend_type: Any | None = attrs.field(default=None, metadata={"wire": "trendType"})
    ttc_viz_type: Any | None = attrs.field(default=None, metadata={"wire": "ttcVizType"})
    use_query_sampling: Any | None = None
    user: Any | None = None
    user_id: Any | None = None


@attrs.frozen(kw_only=True)
class FlowsBookmarkParams:
    """The definition of a flows report (other keys are allowed)."""

    steps: list[dict[str, Any]]
    date_range: dict[str, Any]
