"""The peer library `mixpanel_headless` and our `AsyncWorkspace` run the same saved Flows report
on the emulator and read the same answer. The peer writes the report itself (its own
`build_flow_params` and `create_bookmark`), so the emulator sees the params real Mixpanel gets.

The peer is synchronous; the emulator runs on its background thread, so the peer's blocking
calls inside these async tests are served meanwhile.
"""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace

mixpanel_headless = pytest.importorskip("mixpanel_headless")


def peer_saves(peer: Any, params: dict[str, Any]) -> int:
    """Save a flows report through the peer's own App API calls."""
    dashboard = peer.create_dashboard(mixpanel_headless.CreateDashboardParams(title="Flows"))
    bookmark = peer.create_bookmark(
        mixpanel_headless.CreateBookmarkParams(
            name="Sign-up flow", bookmark_type="flows", params=params, dashboard_id=dashboard.id
        )
    )
    return int(bookmark.id)


@pytest.mark.parametrize(
    "options",
    [
        {"forward": 3, "reverse": 1},
        {"forward": 2, "reverse": 2, "count_type": "total", "cardinality": 2,
         "collapse_repeated": True, "hidden_events": ["View Page"], "conversion_window": 2,
         "conversion_window_unit": "week"},
    ],
)  # fmt: skip
async def test_saved_flows_parity(ours: AsyncWorkspace, peer: Any, options: Any) -> None:
    params = peer.build_flow_params(
        "Sign Up", from_date="2026-09-01", to_date="2026-09-30", **options
    )
    bookmark = peer_saves(peer, params)
    mine = await ours.query_saved_flows(bookmark)
    theirs = peer.query_saved_flows(bookmark)
    assert mine.steps == theirs.steps
    assert mine.overall_conversion_rate == theirs.overall_conversion_rate == 1.0
    assert mine.breakdowns == theirs.breakdowns == []
    assert mine.metadata == theirs.metadata
    assert mine.bookmark_id == theirs.bookmark_id == bookmark
    assert len(mine.steps) == options["forward"] + options["reverse"] + 1
    anchor = mine.df.filter(type="ANCHOR")
    assert anchor["count"].to_list()[0] > 100
    # The peer's own reading of the nodes agrees with our frame (it parses the string counts).
    flow = mixpanel_headless.FlowQueryResult(computed_at="", steps=theirs.steps)
    assert flow.nodes_df["count"].tolist() == mine.df["count"].to_list()
    assert flow.edges_df["count"].sum() == mine.edges_df["count"].sum()


async def test_peer_reads_refusals_as_query_errors(peer: Any) -> None:
    params = peer.build_flow_params("Sign Up", segments="plan", last=7)
    bookmark = peer_saves(peer, params)
    with pytest.raises(mixpanel_headless.QueryError, match="not supported by the emulator"):
        peer.query_saved_flows(bookmark)
    with pytest.raises(mixpanel_headless.QueryError, match="not found"):
        peer.query_saved_flows(987_654)


async def test_saved_report_of_type_flows_parity(ours: AsyncWorkspace, peer: Any) -> None:
    params = peer.build_flow_params("Sign Up", from_date="2026-09-01", to_date="2026-09-30")
    bookmark = peer_saves(peer, params)
    mine = await ours.query_saved_report(bookmark, bookmark_type="flows")
    theirs = peer.query_saved_report(bookmark, bookmark_type="flows")
    assert mine.report_type == theirs.report_type == "flows"
    assert {**mine.to_dict(), "computed_at": ""} == {**theirs.to_dict(), "computed_at": ""}
    assert len(mine.series["steps"]) == 4
    assert mine.df.equals((await ours.query_saved_flows(bookmark)).df)
