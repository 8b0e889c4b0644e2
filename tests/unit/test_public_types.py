"""Pins the public API's types: mypy checks the `assert_type` calls (this file is in the mypy
run), and pytest runs them against the emulator so the annotated types are also the real ones."""

from __future__ import annotations

from typing import Any, assert_type

import polars as pl
import pytest

from mixpanel_async import (
    AsyncWorkspace,
    BookmarkValidationError,
    EventCountsResult,
    FrequencyResult,
    FunnelInfo,
    FunnelResult,
    NumericAverageResult,
    NumericBucketResult,
    NumericSumResult,
    PropertyCountsResult,
    RetentionResult,
    SavedCohort,
    SegmentationResult,
    SubPropertyInfo,
    TopEvent,
)
from mixpanel_async.emulator import Emulator


async def test_discovery_types(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    assert_type(await ws.events(), list[str])
    assert_type(await ws.property_values("plan"), list[str])
    assert_type(await ws.subproperties("cart"), list[SubPropertyInfo])
    assert_type(await ws.funnels(), list[FunnelInfo])
    assert_type(await ws.cohorts(), list[SavedCohort])
    assert_type(await ws.top_events(type="unique"), list[TopEvent])
    assert_type(ws.clear_discovery_cache(), None)


async def test_query_types(mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    mixpanel_emulator.state.default.funnels.append({"funnel_id": 1, "name": "F", "steps": ["A"]})
    seg = await ws.segmentation("A", from_date="2024-01-01", to_date="2024-01-02", on="plan")
    assert_type(seg, SegmentationResult)
    assert_type(seg.series, dict[str, dict[str, float]])
    assert_type(seg.df, pl.DataFrame)
    assert isinstance(seg.df, pl.DataFrame)
    assert_type(
        await ws.segmentation_numeric("A", from_date="2024-01-01", to_date="2024-01-02", on="n"),
        NumericBucketResult,
    )
    total = await ws.segmentation_sum("A", from_date="2024-01-01", to_date="2024-01-02", on="n")
    assert_type(total, NumericSumResult)
    assert_type(total.results, dict[str, float])
    assert_type(
        await ws.segmentation_average("A", from_date="2024-01-01", to_date="2024-01-02", on="n"),
        NumericAverageResult,
    )
    assert_type(
        await ws.event_counts(["A"], from_date="2024-01-01", to_date="2024-01-02"),
        EventCountsResult,
    )
    assert_type(
        await ws.property_counts("A", "p", from_date="2024-01-01", to_date="2024-01-02"),
        PropertyCountsResult,
    )
    assert_type(await ws.frequency(from_date="2024-01-01", to_date="2024-01-02"), FrequencyResult)
    retention = await ws.retention(
        born_event="A", return_event="B", from_date="2024-01-01", to_date="2024-01-02"
    )
    assert_type(retention, RetentionResult)
    assert_type(retention.cohorts[0].retention, list[float])
    funnel = await ws.funnel(1, from_date="2024-01-01", to_date="2024-01-02")
    assert_type(funnel, FunnelResult)
    assert_type(funnel.steps[0].count, int)
    assert_type(funnel.df, pl.DataFrame)


async def test_report_keywords_are_checked(mixpanel_workspace: AsyncWorkspace) -> None:
    """The query/build keywords are TypedDicts taken with `Unpack`: mypy refuses a misspelt
    keyword or a value of the wrong type (strict mypy reports an ignore that is not needed),
    and Python refuses them too, before any request."""
    ws = mixpanel_workspace
    assert_type(ws.build_params("A", last=7, mode="total"), dict[str, Any])
    assert_type(ws.build_funnel_params(["A", "B"], conversion_window=3), dict[str, Any])
    assert_type(ws.build_retention_params("A", "B", retention_unit="day"), dict[str, Any])
    assert_type(ws.build_user_params(limit=3), dict[str, Any])
    assert_type(ws.build_flow_params("A", forward=2), dict[str, Any])
    with pytest.raises(TypeError, match="lats"):
        ws.build_params("A", lats=7)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="windw"):
        await ws.query_funnel(["A", "B"], windw=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unti"):
        await ws.query_retention("A", "B", unti="day")  # type: ignore[call-arg]
    with pytest.raises(BookmarkValidationError):
        ws.build_params("A", mode="pie")  # type: ignore[arg-type]
    with pytest.raises(BookmarkValidationError):
        ws.build_funnel_params(["A", "B"], order="backwards")  # type: ignore[arg-type]


def test_sync_workspace_types(mixpanel_emulator: Emulator) -> None:
    """The synchronous `Workspace` has `AsyncWorkspace`'s signatures, unawaited."""
    from collections.abc import Iterator

    from mixpanel_async import Workspace

    mixpanel_emulator.state.default.funnels.append({"funnel_id": 1, "name": "F", "steps": ["A"]})
    with Workspace(base_url=mixpanel_emulator.url, project="1") as ws:
        assert_type(ws.events(), list[str])
        seg = ws.segmentation("A", from_date="2024-01-01", to_date="2024-01-02")
        assert_type(seg, SegmentationResult)
        assert isinstance(seg, SegmentationResult)
        stream = ws.stream_events(from_date="2024-01-01", to_date="2024-01-02")
        assert_type(stream, Iterator[dict[str, Any]])
        assert list(stream) == []
        assert_type(ws.scoped(project="2"), Workspace)
        assert_type(ws.funnels(), list[FunnelInfo])
        assert_type(ws.clear_discovery_cache(), None)
