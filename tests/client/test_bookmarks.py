"""Bookmarks (saved reports) through AsyncWorkspace against the emulator: lifecycle, dashboards,
history pages, the discovery view, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import (
    AsyncWorkspace,
    BookmarkInfo,
    BookmarkValidationError,
    BulkUpdateBookmarkEntry,
    CreateBookmarkParams,
    ParamValidationError,
    QueryError,
    UpdateBookmarkParams,
)
from mixpanel_async._generated.operations import bookmarks as ops
from mixpanel_async.emulator import Emulator
from tests.helpers import FAST, deleted, refused

REPORT: dict[str, Any] = {
    "sections": {"show": [{"type": "metric"}], "time": [{"unit": "day"}]},
    "displayOptions": {"chartType": "line"},
}


async def dashboard(ws: AsyncWorkspace, title: str = "Reports") -> int:
    return (await ws.create_dashboard({"title": title})).id


async def test_lifecycle(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    dash = await dashboard(ws)
    signups = await ws.create_bookmark(
        CreateBookmarkParams(
            name="Daily Signups", bookmark_type="insights", params=REPORT, dashboard_id=dash
        )
    )
    assert (signups.name, signups.bookmark_type, signups.project_id) == (
        "Daily Signups",
        "insights",
        1,
    )
    assert signups.params == REPORT
    assert signups.dashboard_id == dash
    funnel = await ws.create_bookmark(
        {"name": "Funnel", "bookmark_type": "funnels", "params": REPORT, "dashboard_id": dash}
    )
    assert funnel.bookmark_type == "funnels"

    # The report is on its dashboard's layout, not only linked to it.
    assert await ws.bookmark_linked_dashboard_ids(signups.id) == [dash]
    assert await ws.get_bookmark_dashboard_ids(signups.id) == [dash]

    assert [b.id for b in await ws.list_bookmarks_v2()] == [signups.id, funnel.id]
    assert [b.id for b in await ws.list_bookmarks_v2(bookmark_type="funnels")] == [funnel.id]
    assert [b.id for b in await ws.list_bookmarks_v2(ids=[funnel.id])] == [funnel.id]
    infos = await ws.list_bookmarks()
    assert isinstance(infos[0], BookmarkInfo)
    assert [(i.id, i.type, i.project_id) for i in infos] == [
        (signups.id, "insights", 1),
        (funnel.id, "funnels", 1),
    ]
    assert infos[0].created

    renamed = await ws.update_bookmark(signups.id, UpdateBookmarkParams(name="Signups"))
    assert renamed.name == "Signups"
    assert renamed.params == REPORT
    chart = {"displayOptions": {"chartType": "bar"}}
    assert (await ws.update_bookmark(signups.id, {"params": chart})).params == chart
    assert (await ws.get_bookmark(signups.id)).name == "Signups"

    await ws.bulk_update_bookmarks(
        [BulkUpdateBookmarkEntry(id=signups.id, description="a"), {"id": funnel.id, "icon": "x"}]
    )
    assert (await ws.get_bookmark(signups.id)).description == "a"
    assert (await ws.get_bookmark(funnel.id)).icon == "x"

    await deleted(ws.delete_bookmark, ws.get_bookmark, signups.id)
    # Deleting a report takes it off its dashboards.
    assert await ws.get_bookmark_dashboard_ids(signups.id) == []
    assert await ws.get_bookmark_dashboard_ids(funnel.id) == [dash]
    await ws.bulk_delete_bookmarks([funnel.id])
    assert await ws.list_bookmarks_v2() == []
    layout = (await ws.get_dashboard(dash)).layout
    assert layout is not None
    assert layout.rows == []


async def test_history_pages(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    report = await ws.create_bookmark(
        {
            "name": "H",
            "type": "flows",
            "params": {"steps": [], "date_range": {}},
            "dashboard_id": await dashboard(ws),
        }
    )
    for n in range(3):
        await ws.update_bookmark(report.id, {"name": f"H{n}"})
    everything = await ws.get_bookmark_history(report.id)
    assert [e["action"] for e in everything.results] == ["update"] * 3 + ["create"]
    assert everything.pagination is not None
    assert everything.pagination.next_cursor is None
    first = await ws.get_bookmark_history(report.id, page_size=3)
    assert first.pagination is not None
    assert [e["changes"].get("name") for e in first.results] == ["H2", "H1", "H0"]
    assert first.pagination.next_cursor is not None
    rest = await ws.get_bookmark_history(
        report.id, cursor=first.pagination.next_cursor, page_size=3
    )
    assert [e["action"] for e in rest.results] == ["create"]
    assert rest.pagination is not None
    assert (rest.pagination.next_cursor, rest.pagination.page_size) == (None, 3)
    assert rest.pagination.previous_cursor == "0"
    # History outlives the report.
    await ws.delete_bookmark(report.id)
    assert (await ws.get_bookmark_history(report.id)).results[0]["action"] == "delete"


async def test_pinned_workspace_and_v2(mixpanel_emulator: Emulator) -> None:
    async with AsyncWorkspace(base_url=mixpanel_emulator.url, workspace=1, retry=FAST) as ws:
        prepared = ws.api.prepare(ops.list_bookmarks_v2(type="insights"))
        assert prepared.url.endswith("/api/app/workspaces/1/bookmarks")
        assert ("v", "2") in prepared.params
        dash = await dashboard(ws)
        made = await ws.create_bookmark(
            {"name": "W", "type": "retention", "params": REPORT, "dashboard_id": dash}
        )
        assert [b.id for b in await ws.list_bookmarks_v2()] == [made.id]
    # The v2 body marker is not stored.
    assert "v" not in mixpanel_emulator.state.default.entities["bookmark"].rows[made.id]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda ws: ws.get_bookmark(0), ParamValidationError, "bookmark_id"),
        (lambda ws: ws.list_bookmarks_v2(bookmark_type="nope"), ParamValidationError, "type"),
        (lambda ws: ws.list_bookmarks(bookmark_type="nope"), ParamValidationError, "type"),
        (lambda ws: ws.list_bookmarks_v2(ids=[]), ParamValidationError, "ids"),
        (
            lambda ws: ws.create_bookmark({"name": "x", "type": "insights", "params": REPORT}),
            ParamValidationError,
            "dashboard_id",
        ),
        (
            lambda ws: ws.create_bookmark(
                {"name": "x", "type": "bogus", "params": REPORT, "dashboard_id": 1}
            ),
            ParamValidationError,
            "type",
        ),
        (
            lambda ws: ws.create_bookmark(
                {"name": " ", "type": "insights", "params": REPORT, "dashboard_id": 1}
            ),
            ParamValidationError,
            "name",
        ),
        (
            lambda ws: ws.create_bookmark(
                {
                    "name": "x",
                    "type": "insights",
                    "params": {"sections": {"show": []}, "displayOptions": {"chartType": "pies"}},
                    "dashboard_id": 1,
                }
            ),
            BookmarkValidationError,
            r"sections\.time.*|chartType",
        ),
        (
            lambda ws: ws.create_bookmark(
                {
                    "name": "x",
                    "type": "insights",
                    "params": {**REPORT, "bogus": 1},
                    "dashboard_id": 1,
                }
            ),
            BookmarkValidationError,
            "params.bogus",
        ),
        (
            lambda ws: ws.create_bookmark(
                {"name": "x", "type": "flows", "params": {"steps": []}, "dashboard_id": 1}
            ),
            BookmarkValidationError,
            "date_range",
        ),
        (
            lambda ws: ws.update_bookmark(1, {"params": {"displayOptions": {"chartType": "x"}}}),
            BookmarkValidationError,
            "chartType|chart_type",
        ),
        (
            lambda ws: ws.update_bookmark(
                1, {"params": {"sections": {"show": [], "time": [], "x": 1}}}
            ),
            BookmarkValidationError,
            "sections.x",
        ),
        (lambda ws: ws.bulk_delete_bookmarks([]), ParamValidationError, "ids"),
        (lambda ws: ws.bulk_update_bookmarks([{"name": "no id"}]), ParamValidationError, "id"),
        (lambda ws: ws.bulk_update_bookmarks([]), ParamValidationError, "entries"),
        (lambda ws: ws.get_bookmark_history(1, page_size=0), ParamValidationError, "page_size"),
    ],
)
async def test_bad_input_fails_before_any_request(
    mixpanel_offline_workspace: AsyncWorkspace, call: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(mixpanel_offline_workspace)


async def test_report_check_collects_every_problem(mixpanel_workspace: AsyncWorkspace) -> None:
    bad = {"sections": {"show": []}, "displayOptions": {"chartType": "pies"}, "bogus": 1}
    with pytest.raises(BookmarkValidationError) as info:
        await mixpanel_workspace.create_bookmark(
            {"name": "x", "type": "insights", "params": bad, "dashboard_id": 1}
        )
    assert len(info.value.details["errors"]) == 3


async def test_emulator_rejects_bad_bodies(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    raw = ws.api.raw
    dash = await dashboard(ws)
    good = {"name": "R", "type": "insights", "params": REPORT}
    await refused(raw("POST", "/projects/1/bookmarks", json=good), 400, match="dashboard_id")
    await refused(raw("POST", "/projects/1/bookmarks", json={**good, "dashboard_id": 999}), 404)
    await refused(
        raw(
            "POST",
            "/projects/1/bookmarks",
            json={"type": "insights", "params": {}, "dashboard_id": dash},
        ),
        match="name",
    )
    await refused(
        raw("POST", "/projects/1/bookmarks", json={**good, "type": "pie", "dashboard_id": dash}),
        match="type",
    )
    await refused(raw("GET", "/projects/1/bookmarks", params={"v": 2, "type": "pie"}), match="type")
    await refused(raw("GET", "/projects/1/bookmarks/77/linked-dashboard-ids"), 404)
    made = await raw("POST", "/projects/1/bookmarks", json={**good, "dashboard_id": dash})
    with pytest.raises(QueryError, match="cursor") as info:
        await raw(
            "GET", f"/projects/1/bookmarks/{made['results']['id']}/history", params={"cursor": "x"}
        )
    assert info.value.status_code == 400
    with pytest.raises(QueryError) as info:
        await raw(
            "POST",
            "/projects/1/bookmarks/bulk-delete",
            json={"bookmark_ids": [made["results"]["id"], 404]},
        )
    assert info.value.status_code == 404
    # Nothing was deleted: a bulk delete is all or nothing.
    assert len(await ws.list_bookmarks_v2()) == 1
