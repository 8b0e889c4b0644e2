"""The peer library `mixpanel_headless` and our `AsyncWorkspace` run the same saved funnel and
retention reports on the emulator (report definitions built by the peer's own builders) and get
the same results.

The peer is synchronous; the emulator runs on its background thread, so the peer's blocking
calls inside these async tests are served meanwhile.
"""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from tests.helpers import save_report

mixpanel_headless = pytest.importorskip("mixpanel_headless")


def same(mine: Any, theirs: Any) -> None:
    assert mine.to_dict() == theirs.to_dict()
    assert mine.report_type == theirs.report_type


async def test_saved_funnel_parity(ours: AsyncWorkspace, peer: Any) -> None:
    params = peer.build_funnel_params(
        ["Sign Up", "Purchase"], conversion_window=7, from_date="2026-09-01", to_date="2026-09-30"
    )
    bookmark = await save_report(ours, "funnels", params)
    window = {"from_date": "2026-09-01", "to_date": "2026-09-20"}
    mine = await ours.query_saved_report(bookmark, bookmark_type="funnels", **window)
    theirs = peer.query_saved_report(bookmark, bookmark_type="funnels", **window)
    assert len(mine.series) == 20
    assert mine.df.filter(step=1)["count"].sum() > 100
    same(mine, theirs)


async def test_saved_retention_parity(ours: AsyncWorkspace, peer: Any) -> None:
    params = peer.build_retention_params(
        "Sign Up", "Purchase", retention_unit="week", from_date="2026-09-01", to_date="2026-10-31"
    )
    bookmark = await save_report(ours, "retention", params)
    mine = await ours.query_saved_report(bookmark, bookmark_type="retention")
    theirs = peer.query_saved_report(bookmark, bookmark_type="retention")
    assert sum(c["first"] for c in mine.series.values()) > 100
    same(mine, theirs)


def same_report(mine: Any, theirs: Any) -> None:
    """Equal but for `computed_at`, which each run stamps anew."""
    assert {**mine.to_dict(), "computed_at": ""} == {**theirs.to_dict(), "computed_at": ""}
    assert mine.report_type == theirs.report_type == "insights"


async def test_saved_insights_parity(ours: AsyncWorkspace, peer: Any) -> None:
    params = peer.build_params(
        ["Sign Up", "Purchase"],
        math="unique",
        group_by="$browser",
        where=mixpanel_headless.Filter.is_set("referrer"),
        from_date="2026-09-01",
        to_date="2026-09-30",
        unit="week",
    )
    bookmark = await save_report(ours, "insights", params)
    mine = await ours.query_saved_report(bookmark)
    theirs = peer.query_saved_report(bookmark)
    assert mine.headers == ["$event", "$browser"]
    assert sum(mine.series["Sign Up"]["$overall"].values()) > 50
    purchases = mine.series["Purchase"]["$overall"]
    assert purchases == dict.fromkeys(purchases, 0)
    same_report(mine, theirs)


async def test_saved_insights_totals_parity(ours: AsyncWorkspace, peer: Any) -> None:
    params = peer.build_params(
        "Purchase",
        math="average",
        math_property="amount",
        mode="total",
        from_date="2026-09-01",
        to_date="2026-10-31",
    )
    bookmark = await save_report(ours, "insights", params)
    mine = await ours.query_saved_report(bookmark)
    theirs = peer.query_saved_report(bookmark)
    assert list(mine.series["Purchase"]) == ["all"]
    assert mine.df.columns == ["event", "count"]
    same_report(mine, theirs)


async def test_saved_funnel_with_filters_parity(ours: AsyncWorkspace, peer: Any) -> None:
    headless = mixpanel_headless
    params = peer.build_funnel_params(
        [headless.FunnelStep("Sign Up", filters=[headless.Filter.is_set("referrer")]), "Purchase"],
        where=headless.Filter.not_equals("plan", "enterprise"),
        group_by="plan",
        from_date="2026-09-01",
        to_date="2026-09-30",
    )
    bookmark = await save_report(ours, "funnels", params)
    window = {"from_date": "2026-09-01", "to_date": "2026-09-10"}
    mine = await ours.query_saved_report(bookmark, bookmark_type="funnels", **window)
    theirs = peer.query_saved_report(bookmark, bookmark_type="funnels", **window)
    segments = {key for day in mine.series.values() for key in day}
    assert "$overall" in segments
    assert "enterprise" not in segments
    same(mine, theirs)
