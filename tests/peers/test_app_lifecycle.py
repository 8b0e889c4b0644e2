"""The peer `mixpanel_headless` and our client share feature flags, experiments and alerts
through the emulator: what one creates or moves along its lifecycle, the other reads back field
for field.

The peer is synchronous; the plugin's emulator (empty at each test) runs on a background
thread, and the peer finds it through `MP_API_BASE_URL` and service-account variables (it
resolves the flags' workspace through the emulator, as our client does).
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.transport import codec
from tests.helpers import all_same, same

mp = pytest.importorskip("mixpanel_headless")

REPORT: dict[str, Any] = {
    "sections": {"show": [{"type": "metric", "behavior": {"name": "Sign Up"}}], "time": []},
    "displayOptions": {"chartType": "line"},
}


@pytest.fixture
def emu(mixpanel_emulator: Emulator) -> Emulator:
    """The plugin's emulator, for the `peer` and `ours` of tests/peers/conftest.py."""
    return mixpanel_emulator


async def test_feature_flags(peer: Any, ours: AsyncWorkspace) -> None:
    dark = peer.create_feature_flag(mp.CreateFeatureFlagParams(name="Dark mode", key="dark"))
    mine = await ours.get_feature_flag(dark.id)
    same(dark, mine)
    assert mine.ruleset == dark.ruleset
    assert mine.project_id == 1

    beta = await ours.create_feature_flag({"name": "Beta", "key": "beta", "tags": ["t"]})
    same(peer.get_feature_flag(beta.id), beta)
    with pytest.raises(mp.QueryError):  # the key is taken, whoever asks
        peer.create_feature_flag(mp.CreateFeatureFlagParams(name="Again", key="beta"))

    mine = await ours.update_feature_flag(
        dark.id,
        {"name": "Dark mode", "key": "dark", "status": "enabled", "ruleset": {"variants": []}},
    )
    theirs = peer.get_feature_flag(dark.id)
    assert theirs.status == mp.FeatureFlagStatus.ENABLED
    same(theirs, mine)
    theirs = peer.update_feature_flag(
        dark.id,
        mp.UpdateFeatureFlagParams(
            name="Dark", key="dark", status=mp.FeatureFlagStatus.DISABLED, ruleset={}
        ),
    )
    same(theirs, await ours.get_feature_flag(dark.id))

    peer.archive_feature_flag(beta.id)
    assert [f.key for f in await ours.list_feature_flags()] == ["dark"]
    all_same(
        peer.list_feature_flags(include_archived=True),
        await ours.list_feature_flags(include_archived=True),
    )
    restored = await ours.restore_feature_flag(beta.id)
    same(peer.get_feature_flag(beta.id), restored)

    copy = peer.duplicate_feature_flag(dark.id)
    same(copy, await ours.get_feature_flag(copy.id))
    peer.set_flag_test_users(dark.id, mp.SetTestUsersParams(users={"On": "alice"}))
    await ours.set_flag_test_users(copy.id, {"users": {"Off": "bob"}})
    # Stored as the SDKs read it: distinct id → variant key.
    assert ((await ours.get_feature_flag(dark.id)).ruleset or {})["test"] == {
        "users": {"alice": "On"}
    }
    assert peer.get_feature_flag(copy.id).ruleset["test"] == {"users": {"bob": "Off"}}

    history = peer.get_flag_history(dark.id, page="1", page_size=2)
    assert history.model_dump() == codec.unstructure(
        await ours.get_flag_history(dark.id, page="1", page_size=2)
    )
    assert history.count > 2
    assert len(history.events) == 2
    assert peer.get_flag_limits().model_dump(mode="json") == codec.unstructure(
        await ours.get_flag_limits()
    )

    await ours.delete_feature_flag(copy.id)
    peer.delete_feature_flag(beta.id)
    assert [f.key for f in peer.list_feature_flags(include_archived=True)] == ["dark"]


async def test_experiments(peer: Any, ours: AsyncWorkspace) -> None:
    theirs = peer.create_experiment(mp.CreateExperimentParams(name="Checkout", hypothesis="h"))
    assert theirs.status == mp.ExperimentStatus.DRAFT
    same(theirs, await ours.get_experiment(theirs.id))

    # The lifecycle, alternating hands: launch (ours), conclude (peer), decide (ours).
    launched = await ours.launch_experiment(theirs.id)
    same(peer.get_experiment(theirs.id), launched)
    concluded = peer.conclude_experiment(
        theirs.id, params=mp.ExperimentConcludeParams(end_date="2024-03-01")
    )
    same(concluded, await ours.get_experiment(theirs.id))
    with pytest.raises(mp.QueryError) as info:  # concluded → concluded is illegal
        peer.conclude_experiment(theirs.id)
    assert info.value.status_code == 400
    decided = await ours.decide_experiment(theirs.id, {"success": False, "message": "no lift"})
    assert peer.get_experiment(theirs.id).status == mp.ExperimentStatus.FAIL
    same(peer.get_experiment(theirs.id), decided)

    mine = await ours.create_experiment({"name": "Pricing"})
    theirs_launched = peer.launch_experiment(mine.id)
    assert theirs_launched.status == mp.ExperimentStatus.ACTIVE
    with pytest.raises(mp.QueryError):
        peer.decide_experiment(mine.id, mp.ExperimentDecideParams(success=True))
    updated = peer.update_experiment(mine.id, mp.UpdateExperimentParams(description="v2"))
    same(updated, await ours.get_experiment(mine.id))

    assert peer.list_erf_experiments() == await ours.list_erf_experiments()
    peer.archive_experiment(theirs.id)
    all_same(peer.list_experiments(), await ours.list_experiments())
    assert len(await ours.list_experiments(include_archived=True)) == 2
    same(peer.restore_experiment(theirs.id), await ours.get_experiment(theirs.id))

    copy = await ours.duplicate_experiment(theirs.id, {"name": "Checkout v2"})
    same(peer.get_experiment(copy.id), copy)
    peer_copy = peer.duplicate_experiment(mine.id, mp.DuplicateExperimentParams(name="Copy"))
    same(peer_copy, await ours.get_experiment(peer_copy.id))
    all_same(peer.list_experiments(), await ours.list_experiments())

    peer.delete_experiment(copy.id)
    await ours.delete_experiment(peer_copy.id)
    assert {e.name for e in peer.list_experiments()} == {"Checkout", "Pricing"}


async def test_alerts(peer: Any, ours: AsyncWorkspace) -> None:
    dash = peer.create_dashboard(mp.CreateDashboardParams(title="Reports"))
    report = peer.create_bookmark(
        mp.CreateBookmarkParams(
            name="Signups", bookmark_type="insights", params=REPORT, dashboard_id=dash.id
        )
    )
    params = mp.CreateAlertParams(
        bookmark_id=report.id,
        name="Signups drop",
        condition={"keys": [{"header": "Sign Up", "value": "Sign Up"}], "op": "<", "value": 5},
        frequency=mp.AlertFrequencyPreset.DAILY,
        paused=False,
        subscriptions=[{"type": "email", "value": "team@example.com"}],
    )
    theirs = peer.create_alert(params)
    assert theirs.bookmark is not None
    assert theirs.bookmark.name == "Signups"
    same(theirs, await ours.get_alert(theirs.id))

    mine = await ours.create_alert({**params.model_dump(mode="json"), "name": "Ours"})
    same(peer.get_alert(mine.id), mine)
    mine = await ours.update_alert(mine.id, {"paused": True, "frequency": 3600})
    same(peer.get_alert(mine.id), mine)
    theirs = peer.update_alert(theirs.id, mp.UpdateAlertParams(name="Renamed"))
    same(theirs, await ours.get_alert(theirs.id))

    all_same(peer.list_alerts(), await ours.list_alerts())
    all_same(
        peer.list_alerts(bookmark_id=report.id, skip_user_filter=True),
        await ours.list_alerts(bookmark_id=report.id, skip_user_filter=True),
    )
    assert peer.get_alert_count().model_dump() == codec.unstructure(await ours.get_alert_count())

    page = peer.get_alert_history(theirs.id, page_size=1)
    assert page.pagination is not None
    assert page.pagination.next_cursor is not None
    our_page = await ours.get_alert_history(theirs.id, page_size=1)
    assert page.results == our_page.results
    assert page.pagination.model_dump() == attrs.asdict(our_page.pagination)
    rest = peer.get_alert_history(theirs.id, page_size=1, next_cursor=page.pagination.next_cursor)
    assert [e["action"] for e in page.results + rest.results] == ["update", "create"]

    assert peer.test_alert(params) == await ours.test_alert(params.model_dump(mode="json"))
    assert (
        peer.get_alert_screenshot_url("a/b.png").signed_url
        == (await ours.get_alert_screenshot_url("a/b.png")).signed_url
    )
    check = {"alert_ids": [theirs.id, mine.id], "bookmark_type": "insights"}
    verdict = peer.validate_alerts_for_bookmark(
        mp.ValidateAlertsForBookmarkParams(**check, bookmark_params={"other": "Purchase"})
    )
    assert verdict.invalid_count == 2
    assert verdict.model_dump() == codec.unstructure(
        await ours.validate_alerts_for_bookmark({**check, "bookmark_params": {"other": "Purchase"}})
    )
    assert (
        await ours.validate_alerts_for_bookmark({**check, "bookmark_params": REPORT})
    ).invalid_count == 0

    peer.bulk_delete_alerts([theirs.id])
    await ours.delete_alert(mine.id)
    assert peer.list_alerts() == []
    assert await ours.list_alerts() == []
