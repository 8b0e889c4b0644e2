"""`AsyncWorkspace.query_saved_flows` (saved Flows reports) against the emulator, over loopback."""

from __future__ import annotations

from typing import Any, assert_type

import polars as pl
import pytest

from mixpanel_async import AsyncWorkspace, FlowsResult, ParamValidationError, QueryError
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev, flows_report, save_report

HOUR = 3600
SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z


def flows_params(**changes: Any) -> dict[str, Any]:
    """The first week of September from "Sign Up", two steps forward."""
    return flows_report("Sign Up", "2026-09-01", "2026-09-07", forward=2, **changes)


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    rows = [
        ev("Landing", "a", SEP1),
        ev("Sign Up", "a", SEP1 + HOUR),
        ev("Purchase", "a", SEP1 + 2 * HOUR),
        ev("Purchase", "a", SEP1 + 3 * HOUR),
        ev("Sign Up", "b", SEP1 + HOUR),
        ev("Purchase", "b", SEP1 + 5 * HOUR),
        ev("Sign Up", "c", SEP1 + 2 * HOUR),
    ]
    mixpanel_emulator.state.default.events.append(rows_of(rows))
    return mixpanel_emulator


async def test_query_saved_flows(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    bookmark = await save_report(ws, "flows", flows_params())
    result = await ws.query_saved_flows(bookmark)
    assert_type(result, FlowsResult)
    assert isinstance(result, FlowsResult)
    assert result.bookmark_id == bookmark
    assert result.computed_at
    assert result.overall_conversion_rate == 1.0
    assert result.breakdowns == []
    assert result.metadata["count_type"] == "unique"
    assert result.df.schema == pl.Schema(
        {"step": pl.Int64, "event": pl.String, "type": pl.String, "count": pl.Int64,
         "anchor_type": pl.String}
    )  # fmt: skip
    # Within a column: events by count, then the drop-off.
    assert result.df.rows() == [
        (0, "Landing", "NORMAL", 1, "RELATIVE_REVERSE"),
        (0, "$dropoff", "DROPOFF", 2, "RELATIVE_REVERSE"),
        (1, "Sign Up", "ANCHOR", 3, "NORMAL"),
        (2, "Purchase", "NORMAL", 2, "RELATIVE_FORWARD"),
        (2, "$dropoff", "DROPOFF", 1, "RELATIVE_FORWARD"),
        (3, "Purchase", "NORMAL", 1, "RELATIVE_FORWARD"),
        (3, "$dropoff", "DROPOFF", 2, "RELATIVE_FORWARD"),
    ]
    assert result.df is result.df  # cached
    edges = result.edges_df.filter(source_step=1).sort("target_event")
    assert edges.select("target_event", "count", "target_type").rows() == [
        ("$dropoff", 1, "DROPOFF"),
        ("Purchase", 2, "NORMAL"),
    ]
    assert set(result.to_dict()) == {"bookmark_id", "computed_at", "steps", "breakdowns",
                                     "overall_conversion_rate", "metadata"}  # fmt: skip
    assert result.to_dict()["steps"][1]["nodes"][0]["totalCount"] == "3"


async def test_raw_answer_keeps_the_wire_keys(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    bookmark = await save_report(ws, "flows", flows_params(count_type="total"))
    report = await ws.query_saved_report(bookmark, bookmark_type="flows")
    assert (report.report_type, report.from_date, report.to_date) == ("flows", "", "")
    raw = report.series
    assert set(raw) == {"steps", "breakdowns", "overallConversionRate"}
    assert raw["overallConversionRate"] == 1.0
    node = raw["steps"][1]["nodes"][0]
    assert (node["totalCount"], node["conversionRateChange"]) == ("3", None)


async def test_empty_report(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    september = {"type": "between", "from_date": "2025-09-01", "to_date": "2025-09-02"}
    result = await mixpanel_workspace.query_saved_flows(
        await save_report(mixpanel_workspace, "flows", flows_params(date_range=september))
    )
    assert (result.steps, result.overall_conversion_rate) == ([], 0.0)
    assert result.df.is_empty()
    assert result.df.columns == ["step", "event", "type", "count", "anchor_type"]
    assert result.edges_df.is_empty()


async def test_refusals_are_query_errors(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    with pytest.raises(QueryError, match="bookmark 999 not found in this project"):
        await ws.query_saved_flows(999)
    funnel_params = {"sections": {"show": [], "time": []},
                     "displayOptions": {"chartType": "funnel-steps"}}  # fmt: skip
    funnel = await save_report(ws, "funnels", funnel_params)
    with pytest.raises(QueryError, match="is not a saved flows report"):
        await ws.query_saved_flows(funnel)
    sessions = await save_report(ws, "flows", flows_params(count_type="session"))
    with pytest.raises(QueryError, match=r"'session' .* not supported by the emulator"):
        await ws.query_saved_flows(sessions)


@pytest.mark.parametrize("bookmark_id", [0, -3, True, "12", 1.5, None])
async def test_bad_bookmark_id_sends_nothing(
    mixpanel_offline_workspace: AsyncWorkspace, bookmark_id: Any
) -> None:
    ws: Any = mixpanel_offline_workspace
    with pytest.raises(ParamValidationError, match="bookmark_id must be a positive integer"):
        await ws.query_saved_flows(bookmark_id)
    with pytest.raises(ParamValidationError, match="bookmark_id"):
        await ws.query_saved_report(bookmark_id, bookmark_type="flows")


def test_result_frames_tolerate_odd_nodes() -> None:
    result = FlowsResult(
        bookmark_id=1,
        computed_at="",
        steps=[{"nodes": [{"event": "A", "totalCount": "x"}, "junk"]}, {"other": 1}],
    )
    assert result.df.rows() == [(0, "A", None, None, None)]
    assert result.edges_df.height == 0
