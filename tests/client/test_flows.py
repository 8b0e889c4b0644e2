"""`AsyncWorkspace.query_saved_flows` (saved Flows reports) against the emulator, over loopback."""

from __future__ import annotations

from typing import Any, assert_type

import polars as pl
import pytest

from mixpanel_async import (
    AsyncWorkspace,
    BookmarkValidationError,
    FlowQueryResult,
    FlowsResult,
    FlowStep,
    FlowTreeNode,
    ParamValidationError,
    QueryError,
)
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


SANKEY_ROWS = [
    (0, "Landing", "NORMAL", 1, "RELATIVE_REVERSE"),
    (0, "$dropoff", "DROPOFF", 2, "RELATIVE_REVERSE"),
    (1, "Sign Up", "ANCHOR", 3, "NORMAL"),
    (2, "Purchase", "NORMAL", 2, "RELATIVE_FORWARD"),
    (2, "$dropoff", "DROPOFF", 1, "RELATIVE_FORWARD"),
    (3, "Purchase", "NORMAL", 1, "RELATIVE_FORWARD"),
    (3, "$dropoff", "DROPOFF", 2, "RELATIVE_FORWARD"),
]
"""The seeded week from "Sign Up", one step back and two forward, worked out by hand: a
(Landing, Sign Up, Purchase, Purchase), b (Sign Up, Purchase), c (Sign Up); within a column,
events by count, then the drop-off."""


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
    assert result.df.rows() == SANKEY_ROWS
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
    with pytest.raises(QueryError, match="count_type 'session' needs a session conversion_window"):
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


# --- query_flow / build_flow_params / run_flow_params ---------------------------------------

WEEK = {"from_date": "2026-09-01", "to_date": "2026-09-07"}


async def test_query_flow_sankey(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    result = await ws.query_flow("Sign Up", forward=2, reverse=1, **WEEK)
    assert_type(result, FlowQueryResult)
    assert result.mode == "sankey"
    assert result.params == ws.build_flow_params("Sign Up", forward=2, reverse=1, **WEEK)
    assert result.df.columns[5:] == ["is_custom_event", "conversion_rate_change"]
    assert result.df.select("is_custom_event", "conversion_rate_change").unique().rows() == [
        (False, None)  # no custom event here: isCustomEvent false; conversionRateChange null
    ]
    assert result.df[:, :5].rows() == SANKEY_ROWS
    assert result.df is result.nodes_df is result.nodes_df  # cached
    assert result.overall_conversion_rate == 1.0
    assert result.meta["count_type"] == "unique"
    assert result.trees == []
    assert result.paths_df.is_empty()
    assert result.trees_df.is_empty()
    # By hand: b and c came to Sign Up from nothing; a and b went on to Purchase.
    assert set(result.top_transitions(2)) == {
        ("$dropoff@0", "Sign Up@1", 2),
        ("Sign Up@1", "Purchase@2", 2),
    }
    summary = result.drop_off_summary()
    assert summary["step_1"] == {"total": 3, "dropoff": 1, "rate": 1 / 3}
    assert summary["step_2"]["dropoff"] == 1
    assert set(result.to_dict()) == {"computed_at", "steps", "flows", "breakdowns",
                                     "overall_conversion_rate", "params", "meta", "mode",
                                     "trees"}  # fmt: skip
    # A FlowStep carries its own directions; the same report either way.
    again = await ws.query_flow(FlowStep("Sign Up", forward=2, reverse=1), forward=1, **WEEK)
    assert again.df[:, :5].rows() == SANKEY_ROWS


async def test_run_flow_params(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    params = ws.build_flow_params("Sign Up", forward=2, reverse=1, **WEEK)
    result = await ws.run_flow_params(params, workspace_id=7)
    assert (result.mode, result.df[:, :5].rows()) == ("sankey", SANKEY_ROWS)
    assert result.params is params
    # The saved-report shape runs the same way.
    assert (await ws.run_flow_params(flows_params())).df[:, :5].rows() == SANKEY_ROWS


@pytest.mark.parametrize("mode", ["paths", "tree"])
async def test_query_flow_paths_and_trees(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace, mode: Any
) -> None:
    result = await mixpanel_workspace.query_flow("Sign Up", forward=2, mode=mode, **WEEK)
    assert result.mode == mode
    if mode == "tree":
        # By hand: Sign Up (3) → Purchase (a, b) → Purchase (a); c stops at the anchor.
        (root,) = result.trees
        assert (root.event, root.total_count, root.drop_off_count) == ("Sign Up", 3, 1)
        assert result.df.select("path", "total_count").rows() == [
            ("Sign Up", 3), ("Sign Up > Purchase", 2), ("Sign Up > Purchase > Purchase", 1)
        ]  # fmt: skip
    else:
        paths = {tuple(p["event"] for p in f["flowSteps"]) for f in result.flows}
        assert ("Sign Up", "Purchase", "Purchase") in paths
        assert result.df.columns == ["path_index", "step", "event", "type", "count"]


async def test_flow_refusals_are_query_errors(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    params = flows_params(count_type="session")
    with pytest.raises(QueryError, match="session"):
        await mixpanel_workspace.run_flow_params(params)


@pytest.mark.parametrize(
    ("mode", "params"),
    [
        ("tree", {"flows_merge_type": "tree", "chartType": "sankey"}),
        ("paths", {"flows_merge_type": "list"}),
        ("paths", {"chartType": "top-paths"}),
        ("paths", {"chartType": "paths"}),
        ("tree", {"chartType": "tree"}),
        ("sankey", {"flows_merge_type": "odd", "chartType": "odd"}),
        ("sankey", {}),
    ],
)
def test_flow_mode_from_params(mode: str, params: dict[str, Any]) -> None:
    from mixpanel_async.reports.flows import flow_mode

    assert flow_mode(params) == mode


def test_tree_answers_parse() -> None:
    from mixpanel_async.results.flows import trees_of

    leaf = {"step": {"event": "Buy", "type": "FORWARD", "stepNumber": 2}, "totalCount": 1}
    raw = {
        "trees": [
            {"root": {"step": {"event": "Sign Up", "type": "ANCHOR", "stepNumber": 1,
                               "anchorType": "NORMAL", "isComputed": True},
                      "totalCount": 4, "dropOffTotalCount": 1, "convertedTotalCount": 3,
                      "timePercentilesFromStart": {"p50": 1}, "children": [leaf, leaf]}},
            {"root": {"step": {}, "children": [
                {"step": {"event": "View", "type": "ANCHOR", "step_number": 1},
                 "total_count": "2", "drop_off_total_count": 2}]}},
            {"other": 1},
        ]
    }  # fmt: skip
    trees = trees_of(raw)
    assert [t.event for t in trees] == ["Sign Up", "View"]
    root = trees[0]
    assert (root.depth, root.node_count, root.leaf_count) == (1, 3, 2)
    assert (root.conversion_rate, root.drop_off_rate) == (0.75, 0.25)
    assert root.is_computed
    assert root.time_percentiles_from_start == {"p50": 1}
    assert [[n.event for n in p] for p in root.all_paths()] == [["Sign Up", "Buy"]] * 2
    assert len(root.find("Buy")) == 2
    assert (trees[1].total_count, trees[1].drop_off_rate) == (2, 1.0)
    assert root.to_dict()["children"][0]["event"] == "Buy"
    result = FlowQueryResult(computed_at="", mode="tree", trees=trees)
    assert result.df.select("tree_index", "depth", "path", "total_count").rows() == [
        (0, 0, "Sign Up", 4), (0, 1, "Sign Up > Buy", 1), (0, 1, "Sign Up > Buy", 1),
        (1, 0, "View", 2),
    ]  # fmt: skip
    assert isinstance(root.children[0], FlowTreeNode)
    paths = FlowQueryResult(
        computed_at="", mode="paths",
        flows=[{"flowSteps": [{"event": "A", "type": "ANCHOR", "totalCount": "5"}]}],
    )  # fmt: skip
    assert paths.df.rows() == [(0, 0, "A", "ANCHOR", 5)]


def bad_flow(**kwargs: Any) -> Any:
    """A `query_flow` call from "Sign Up" with `kwargs` changed."""
    args: dict[str, Any] = {"event": "Sign Up", **kwargs}
    return lambda ws: ws.query_flow(args.pop("event"), **args)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (bad_flow(event=[]), BookmarkValidationError, "at least one anchor"),
        (bad_flow(event=""), ParamValidationError, "non-empty event name"),
        (bad_flow(event="a\x00b"), ParamValidationError, "control characters"),
        (bad_flow(event=FlowStep("Sign Up", filters_combinator="some")), BookmarkValidationError,  # type: ignore[arg-type]
         "filters_combinator"),
        (bad_flow(forward=6), ParamValidationError, "forward is 6"),
        (bad_flow(forward=0, reverse=0), BookmarkValidationError, "both 0"),
        (bad_flow(forward=1.5), BookmarkValidationError, "forward must be an integer"),
        (bad_flow(cardinality=0), BookmarkValidationError, "cardinality"),
        (bad_flow(conversion_window=0), BookmarkValidationError, "conversion_window"),
        (bad_flow(conversion_window=53, conversion_window_unit="week"), BookmarkValidationError,
         "longer than the 52"),
        (bad_flow(count_type="session"), BookmarkValidationError, "needs conversion_window_unit"),
        (bad_flow(conversion_window_unit="session"), BookmarkValidationError, "exactly 1"),
        (bad_flow(count_type="users"), BookmarkValidationError, "count_type must be one of"),
        (bad_flow(mode="graph"), BookmarkValidationError, "mode must be one of"),
        (bad_flow(from_date="2026-02-30"), BookmarkValidationError, "not a day"),
        (bad_flow(from_date="09/01/2026"), BookmarkValidationError, "YYYY-MM-DD"),
        (bad_flow(to_date="2026-09-01"), BookmarkValidationError, "needs a from_date"),
        (bad_flow(from_date="2026-09-02", to_date="2026-09-01"), BookmarkValidationError,
         "comes after"),
        (bad_flow(from_date="2026-09-01", last=7), BookmarkValidationError, "exclude each other"),
        (bad_flow(last=0), BookmarkValidationError, "positive number of days"),
        (bad_flow(last=5000), BookmarkValidationError, "more than 3650"),
        (bad_flow(data_group_id=0), BookmarkValidationError, "data_group_id"),
        (bad_flow(hidden_events=[3]), BookmarkValidationError, "hidden events"),
        (bad_flow(where="plan == 1"), ParamValidationError, "where"),
        (bad_flow(segments=[3]), ParamValidationError, "segments"),
        (bad_flow(event=FlowStep("Sign Up", filters=["x"])), ParamValidationError, "filters"),
        (lambda ws: ws.run_flow_params([]), ParamValidationError, "params"),
        (lambda ws: ws.run_flow_params({}, mode="graph"), ParamValidationError, "mode"),
        (lambda ws: ws.run_flow_params({}, workspace_id=0), ParamValidationError, "workspace_id"),
    ],
)  # fmt: skip
async def test_bad_flow_arguments_send_nothing(
    mixpanel_offline_workspace: AsyncWorkspace, call: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match) as info:
        await call(mixpanel_offline_workspace)
    if isinstance(info.value, BookmarkValidationError):
        assert info.value.details["param"]
        assert info.value.details["errors"][0]["code"] == info.value.code


def test_flow_step_checks() -> None:
    with pytest.raises(ParamValidationError, match="anchors on '\\$session_start'"):
        FlowStep("Sign Up", session_event="start")
    assert FlowStep("$session_end", session_event="end").event == "$session_end"
    with pytest.raises(ParamValidationError, match="reverse is -1"):
        FlowStep("A", reverse=-1)
