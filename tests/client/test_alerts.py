"""Custom alerts through AsyncWorkspace against the emulator: lifecycle, history, checks."""

from __future__ import annotations

from typing import Any

from mixpanel_async import (
    AlertFrequencyPreset,
    AsyncWorkspace,
    CreateAlertParams,
    UpdateAlertParams,
    ValidateAlertsForBookmarkParams,
)
from mixpanel_async._generated.operations import alerts as ops
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.entities import tables
from tests.helpers import FAST, deleted, refused, sends_nothing

ALERTS = "/projects/1/alerts/custom/"
CONDITION = {"keys": [{"header": "Sign Up", "value": "Sign Up"}], "op": "<", "value": 100}


def report(emulator: Emulator, name: str, kind: str = "insights") -> int:
    """A saved report in the emulated project (alerts only refer to one)."""
    row = tables(emulator.state.default.entities, "bookmark").insert({"name": name, "type": kind})
    return int(row["id"])


def alert(bookmark_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "bookmark_id": bookmark_id,
        "name": "Signups drop",
        "condition": CONDITION,
        "frequency": AlertFrequencyPreset.DAILY,
        "paused": False,
        "subscriptions": [{"type": "email", "value": "team@example.com"}],
        **fields,
    }


async def test_lifecycle(mixpanel_workspace: AsyncWorkspace, mixpanel_emulator: Emulator) -> None:
    ws = mixpanel_workspace
    signups = report(mixpanel_emulator, "Signups")
    revenue = report(mixpanel_emulator, "Revenue", "funnels")
    created = await ws.create_alert(CreateAlertParams(**alert(signups)))
    assert created.id > 0
    assert created.valid is True
    assert created.bookmark is not None
    assert (created.bookmark.id, created.bookmark.name, created.bookmark.type) == (
        signups,
        "Signups",
        "insights",
    )
    assert (created.frequency, created.paused) == (86400, False)
    assert created.project is not None
    assert created.project.id == 1
    assert created.workspace is not None
    assert created.workspace.id == 1
    assert created.creator is not None
    assert created.creator.email
    orphan = await ws.create_alert(alert(999, name="On nothing"))
    assert orphan.valid is False  # no such report

    assert [a.name for a in await ws.list_alerts()] == ["Signups drop", "On nothing"]
    assert [a.id for a in await ws.list_alerts(bookmark_id=signups)] == [created.id]
    assert await ws.list_alerts(bookmark_id=revenue, skip_user_filter=True) == []
    assert await ws.get_alert(created.id) == created

    paused = await ws.update_alert(created.id, UpdateAlertParams(paused=True, name="Paused"))
    assert (paused.paused, paused.name, paused.condition) == (True, "Paused", CONDITION)
    moved = await ws.update_alert(created.id, {"bookmark_id": revenue})
    assert moved.bookmark is not None
    assert moved.bookmark.name == "Revenue"
    assert [a.id for a in await ws.list_alerts(bookmark_id=revenue)] == [created.id]

    count = await ws.get_alert_count()
    assert (count.anomaly_alerts_count, count.is_below_limit) == (2, True)
    assert count.alert_limit > 2

    await deleted(ws.delete_alert, ws.get_alert, orphan.id)
    await ws.bulk_delete_alerts([created.id])
    assert await ws.list_alerts() == []


async def test_history_pages_by_cursor(
    mixpanel_workspace: AsyncWorkspace, mixpanel_emulator: Emulator
) -> None:
    ws = mixpanel_workspace
    created = await ws.create_alert(alert(report(mixpanel_emulator, "R")))
    for n in range(3):
        await ws.update_alert(created.id, {"frequency": AlertFrequencyPreset.HOURLY * (n + 1)})
    first = await ws.get_alert_history(created.id, page_size=3)
    assert [e["action"] for e in first.results or []] == ["update", "update", "update"]
    assert first.results
    assert first.results[0]["changes"]["frequency"] == 3 * 3600
    assert first.pagination is not None
    assert first.pagination.next_cursor is not None
    assert first.pagination.previous_cursor is None
    assert first.pagination.page_size == 3
    last = await ws.get_alert_history(
        created.id, page_size=3, next_cursor=first.pagination.next_cursor
    )
    assert [e["action"] for e in last.results or []] == ["create"]
    assert last.pagination is not None
    assert last.pagination.next_cursor is None
    back = await ws.get_alert_history(
        created.id, page_size=3, previous_cursor=last.pagination.previous_cursor
    )
    assert back.results == first.results


async def test_test_screenshot_and_validation(
    mixpanel_workspace: AsyncWorkspace, mixpanel_emulator: Emulator
) -> None:
    ws = mixpanel_workspace
    signups = report(mixpanel_emulator, "Signups")
    checked = await ws.test_alert(alert(signups))
    assert checked["valid"] is True
    assert checked["notified"] == 1
    assert (await ws.test_alert(alert(404)))["valid"] is False
    assert await ws.list_alerts() == []  # a test saves nothing

    shot = await ws.get_alert_screenshot_url("alerts/7/shot.png")
    assert shot.signed_url.startswith("https://")
    assert "alerts/7/shot.png" in shot.signed_url

    good = await ws.create_alert(alert(signups, name="Good"))
    other = await ws.create_alert(
        alert(signups, name="Other", condition={"keys": [{"value": "X"}]})
    )
    result = await ws.validate_alerts_for_bookmark(
        ValidateAlertsForBookmarkParams(
            alert_ids=[good.id, other.id, 999],
            bookmark_type="insights",
            bookmark_params={"sections": {"show": [{"behavior": {"name": "Sign Up"}}]}},
        )
    )
    assert result.invalid_count == 2
    verdicts = {v.alert_id: (v.valid, v.reason) for v in result.alert_validations or []}
    assert verdicts[good.id] == (True, None)
    assert verdicts[other.id][0] is False
    assert "'X'" in str(verdicts[other.id][1])
    assert verdicts[999][0] is False
    funnels = await ws.validate_alerts_for_bookmark(
        {"alert_ids": [good.id], "bookmark_type": "funnels", "bookmark_params": {"x": "Sign Up"}}
    )
    assert funnels.invalid_count == 1  # the alert watches an insights report


async def test_pinned_workspace_uses_workspace_paths(mixpanel_emulator: Emulator) -> None:
    async with AsyncWorkspace(base_url=mixpanel_emulator.url, workspace=1, retry=FAST) as ws:
        assert ws.api.prepare(ops.get_alert_count()).url.endswith(
            "/api/app/workspaces/1/alerts/custom/alert-count/"
        )
        created = await ws.create_alert(alert(report(mixpanel_emulator, "R")))
        assert [a.id for a in await ws.list_alerts()] == [created.id]
        assert (await ws.get_alert_count()).anomaly_alerts_count == 1


test_bad_input_fails_before_any_request = sends_nothing(
    (lambda ws: ws.get_alert(0), "alert_id"),
    (lambda ws: ws.get_alert("3"), "alert_id"),
    (lambda ws: ws.create_alert(alert(1, name="x" * 51)), "50"),
    (lambda ws: ws.create_alert(alert(1, name="")), "name"),
    (lambda ws: ws.create_alert(alert(0)), "bookmark_id"),
    (lambda ws: ws.create_alert({"bookmark_id": 1, "name": "n"}), "condition"),
    (lambda ws: ws.create_alert(alert(1, frequency="daily")), "frequency"),
    (lambda ws: ws.create_alert(alert(1, subscriptions={"type": "email"})), "subscriptions"),
    (lambda ws: ws.update_alert(1, {"name": "y" * 60}), "50"),
    (lambda ws: ws.update_alert(1, {"paused": "no"}), "paused"),
    (lambda ws: ws.bulk_delete_alerts([]), "ids"),
    (lambda ws: ws.list_alerts(bookmark_id=-1), "bookmark_id"),
    (lambda ws: ws.get_alert_history(1, page_size=0), "page_size"),
    (lambda ws: ws.test_alert(alert(1, paused=None)), "paused"),
    (lambda ws: ws.get_alert_screenshot_url(""), "gcs_key"),
    (
        lambda ws: ws.validate_alerts_for_bookmark(
            {"alert_ids": [], "bookmark_type": "insights", "bookmark_params": {}}
        ),
        "alert_ids",
    ),
    (
        lambda ws: ws.validate_alerts_for_bookmark(
            {"alert_ids": [1], "bookmark_type": "flows", "bookmark_params": {}}
        ),
        "bookmark_type",
    ),
)


async def test_emulator_rejects_bad_bodies(mixpanel_workspace: AsyncWorkspace) -> None:
    raw = mixpanel_workspace.api.raw
    await refused(
        raw("POST", ALERTS, json={k: v for k, v in alert(1).items() if k != "subscriptions"}),
        400,
        match="subscriptions",
    )
    created = (await raw("POST", ALERTS, json=alert(1)))["results"]
    await refused(
        raw("POST", f"{ALERTS}bulk-delete/", json={"alert_ids": [created["id"], 404]}), 404
    )
    assert len((await raw("GET", ALERTS))["results"]) == 1  # all or nothing
    await refused(raw("GET", f"{ALERTS}{created['id']}/history/", params={"next_cursor": "x"}), 400)
    await refused(
        raw(
            "POST",
            f"{ALERTS}validate-alerts-for-bookmark/",
            json={"alert_ids": [1], "bookmark_type": "flows", "bookmark_params": {}},
        ),
        match="bookmark_type",
    )
    await refused(raw("GET", f"{ALERTS}screenshot/"), match="gcs_key")
