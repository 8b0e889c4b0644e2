"""The peer `mixpanel_headless` and our client share App API entities through the emulator:
bookmarks, cohorts, annotations and webhooks written by one are read back, field for field, by
the other.

The peer is synchronous; the plugin's emulator (empty at each test) runs on a background
thread, and the peer finds it through `MP_API_BASE_URL` and service-account variables.
"""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from tests.helpers import same

mp = pytest.importorskip("mixpanel_headless")

REPORT: dict[str, Any] = {
    "sections": {"show": [{"type": "metric"}], "time": [{"unit": "day"}]},
    "displayOptions": {"chartType": "line"},
}


@pytest.fixture
def emu(mixpanel_emulator: Emulator) -> Emulator:
    """The plugin's emulator, for the `peer` and `ours` of tests/peers/conftest.py."""
    return mixpanel_emulator


async def test_bookmarks_peer_writes_we_read(peer: Any, ours: AsyncWorkspace) -> None:
    dash = peer.create_dashboard(mp.CreateDashboardParams(title="Reports"))
    theirs = peer.create_bookmark(
        mp.CreateBookmarkParams(
            name="Signups", bookmark_type="insights", params=REPORT, dashboard_id=dash.id
        )
    )
    other = peer.create_bookmark(
        mp.CreateBookmarkParams(
            name="Funnel", bookmark_type="funnels", params=REPORT, dashboard_id=dash.id
        )
    )
    same(theirs, await ours.get_bookmark(theirs.id))
    theirs = peer.update_bookmark(theirs.id, mp.UpdateBookmarkParams(description="daily"))
    same(theirs, await ours.get_bookmark(theirs.id))
    peer.bulk_update_bookmarks([mp.BulkUpdateBookmarkEntry(id=other.id, icon="chart")])
    for a, b in zip(peer.list_bookmarks_v2(), await ours.list_bookmarks_v2(), strict=True):
        same(a, b)
    assert [(b.id, b.type) for b in peer.list_bookmarks()] == [
        (b.id, b.type) for b in await ours.list_bookmarks()
    ]
    assert peer.bookmark_linked_dashboard_ids(theirs.id) == [dash.id]
    assert await ours.bookmark_linked_dashboard_ids(theirs.id) == [dash.id]
    history = peer.get_bookmark_history(theirs.id, page_size=1)
    mine = await ours.get_bookmark_history(theirs.id, page_size=1)
    assert history.results == mine.results
    assert mine.pagination is not None
    assert history.pagination.next_cursor == mine.pagination.next_cursor
    assert peer.get_bookmark_history(theirs.id, cursor=history.pagination.next_cursor).results == [
        (await ours.get_bookmark_history(theirs.id)).results[1]
    ]
    peer.delete_bookmark(theirs.id)
    peer.bulk_delete_bookmarks([other.id])
    assert await ours.list_bookmarks_v2() == []
    assert await ours.get_bookmark_dashboard_ids(other.id) == []


async def test_bookmarks_we_write_peer_reads(peer: Any, ours: AsyncWorkspace) -> None:
    dash = await ours.create_dashboard({"title": "Ours"})
    mine = await ours.create_bookmark(
        {"name": "Ours", "bookmark_type": "retention", "params": REPORT, "dashboard_id": dash.id}
    )
    same(peer.get_bookmark(mine.id), mine)
    assert peer.get_bookmark(mine.id).bookmark_type == "retention"
    assert peer.get_bookmark_dashboard_ids(mine.id) == [dash.id]
    mine = await ours.update_bookmark(mine.id, {"name": "Renamed"})
    same(peer.list_bookmarks_v2(bookmark_type="retention")[0], mine)
    await ours.delete_bookmark(mine.id)
    assert peer.list_bookmarks_v2() == []


async def test_cohorts_both_ways(peer: Any, ours: AsyncWorkspace) -> None:
    theirs = peer.create_cohort(
        mp.CreateCohortParams(name="Power Users", definition={"behaviors": {"b": {"x": 1}}})
    )
    same(theirs, await ours.get_cohort(theirs.id))
    mine = await ours.create_cohort({"name": "Ours", "description": "made here"})
    same(peer.get_cohort(mine.id), mine)
    peer.update_cohort(mine.id, mp.UpdateCohortParams(name="Renamed"))
    assert (await ours.get_cohort(mine.id)).name == "Renamed"
    await ours.update_cohort(theirs.id, {"is_locked": True})
    assert peer.get_cohort(theirs.id).is_locked is True
    peer.bulk_update_cohorts([mp.BulkUpdateCohortEntry(id=theirs.id, description="bulk")])
    for a, b in zip(peer.list_cohorts_full(), await ours.list_cohorts_full(), strict=True):
        same(a, b)
    # The query host's list shows the same cohorts, to the peer and to us.
    assert sorted((c.id, c.name) for c in peer.cohorts()) == sorted(
        (c.id, c.name) for c in await ours.cohorts()
    )
    peer.delete_cohort(mine.id)
    peer.bulk_delete_cohorts([theirs.id])
    assert await ours.list_cohorts_full() == []


async def test_annotations_both_ways(peer: Any, ours: AsyncWorkspace) -> None:
    tag = peer.create_annotation_tag(mp.CreateAnnotationTagParams(name="releases"))
    theirs = peer.create_annotation(
        mp.CreateAnnotationParams(date="2026-03-31 00:00:00", description="v2.5", tags=[tag.id])
    )
    same(theirs, await ours.get_annotation(theirs.id))
    mine = await ours.create_annotation({"date": "2026-04-02 10:00:00", "description": "Ours"})
    same(peer.get_annotation(mine.id), mine)
    peer.update_annotation(mine.id, mp.UpdateAnnotationParams(tags=[tag.id]))
    assert [t.name for t in (await ours.get_annotation(mine.id)).tags] == ["releases"]
    window = {"from_date": "2026-04-01", "to_date": "2026-04-30"}
    assert [a.id for a in peer.list_annotations(**window)] == [
        a.id for a in await ours.list_annotations(**window)
    ]
    for a, b in zip(peer.list_annotation_tags(), await ours.list_annotation_tags(), strict=True):
        same(a, b)
    await ours.delete_annotation(theirs.id)
    peer.delete_annotation(mine.id)
    assert peer.list_annotations() == []


async def test_webhooks_both_ways(peer: Any, ours: AsyncWorkspace) -> None:
    theirs = peer.create_webhook(
        mp.CreateWebhookParams(name="Pipeline", url="https://example.com/hook")
    )
    mine = await ours.create_webhook({"name": "Ours", "url": "https://example.org/x"})
    for a, b in zip(peer.list_webhooks(), await ours.list_webhooks(), strict=True):
        same(a, b)
    assert peer.update_webhook(mine.id, mp.UpdateWebhookParams(is_enabled=False)).id == mine.id
    assert [h.is_enabled for h in await ours.list_webhooks()] == [True, False]
    result = peer.test_webhook(mp.WebhookTestParams(url="https://example.com/hook"))
    assert (result.success, result.status_code) == (True, 200)
    peer.delete_webhook(mine.id)
    await ours.delete_webhook(theirs.id)
    assert peer.list_webhooks() == []
