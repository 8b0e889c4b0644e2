"""The browser SDK's (npm `mixpanel-browser`) public methods `test_browser_sdk.py` and
`test_browser_replays.py` leave out, in headless Chromium (the `more` scenario of
`tests/peers/browser/scenario.js`): `add_hook`/`remove_hook`, `enable`, `stop_batch_senders`/
`start_batch_senders`, group `delete`, `get_api_host`, `get_tab_id`, the persistence helpers
(`update_search_keyword`, `update_referrer_info`, `properties`, `get_cross_subdomain`, `clear`)
and `start_`/`pause_`/`resume_session_recording` with sampling at 0%. Checked through export,
engage and our client's replay listing, against values written here from the scenario.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from tests.peers.browser.harness import chromium, run_page, settle

pytestmark = pytest.mark.usefixtures("report")  # the page runs before any read-back

TODAY = time.strftime("%Y-%m-%d", time.gmtime())
USER = "more-user"  # the page identifies as this user


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    """An open emulator of its own: the page's events are the only ones."""
    with Emulator(port=0) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def report(emu: Emulator) -> dict[str, Any]:
    """Run the `more` page once for the module; what it reported."""
    chromium()
    result = asyncio.run(run_page(emu.url, "browser-more-token", "more"))
    assert result["errors"] == []
    names = {"Batched Again", "$mp_session_record"}  # sent on timers
    asyncio.run(settle(lambda: names <= {e["event"] for e in emu.events()}))
    return result


async def exported(ws: AsyncWorkspace) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    async for e in ws.stream_events(from_date=TODAY, to_date=TODAY, raw=True):
        out.setdefault(e["event"], []).append(e["properties"])
    return out


def test_callbacks_and_read_back_values(report: dict[str, Any], emu: Emulator) -> None:
    assert set(report["statuses"].values()) == {1}
    values = report["values"]
    assert values["api_host"] == emu.url
    assert values["tab_id"].startswith("$tab-")
    assert values["cross_subdomain"] is True
    persisted = values["persisted"]
    assert (persisted["$search_engine"], persisted["mp_keyword"]) == ("google", "emulator")
    assert persisted["$initial_referrer"] == "$direct"  # update_referrer_info keeps the first
    assert persisted["distinct_id"] == USER
    assert values["after_clear"] == {}
    assert values["paused"] == {}  # no replay id while paused


async def test_hooks_enable_and_batch_senders(ours: AsyncWorkspace) -> None:
    events = await exported(ours)
    (hooked,) = events["Hook Event (hooked)"]  # before_track renamed it and added a property
    assert (hooked["n"], hooked["hooked"]) == (1, True)
    (plain,) = events["Plain Event"]  # the hook was removed
    assert "hooked" not in plain
    assert "While Disabled" not in events
    assert len(events["Later"]) == 1  # enable(['Later']) undid disable(['Later'])
    (unbatched,) = events["Unbatched"]  # before_send_events saw the unbatched request
    assert unbatched["stamped"] is True
    assert "stamped" not in events["Batched Again"][0]
    (after,) = events["After Keyword"]
    assert (after["$search_engine"], after["mp_keyword"]) == ("google", "emulator")
    assert {p["distinct_id"] for ps in events.values() for p in ps} == {USER}


async def test_group_delete(ours: AsyncWorkspace) -> None:
    groups = [g async for g in ours.stream_profiles(group_id="team", raw=True)]
    assert [(g["$distinct_id"], g["$properties"]["color"]) for g in groups] == [("blue", "blue")]


async def test_recording_started_by_hand(ours: AsyncWorkspace, report: dict[str, Any]) -> None:
    replay_id = report["values"]["recording"]["$mp_replay_id"]
    (replay,) = await ours.list_replays(distinct_id=USER, from_date=TODAY, to_date=TODAY)
    assert (replay.replay_id, replay.distinct_id) == (replay_id, USER)
    events = await exported(ours)
    (clicked,) = events["Clicked In Manual Replay"]
    assert clicked["$mp_replay_id"] == replay_id
