"""The official browser SDK (npm `mixpanel-browser`) in headless Chromium writes to the emulator.

One page (`tests/peers/browser/scenario.js`) calls every public method the SDK has for sending
data — track and its variants, super properties, identify/alias/reset, every `people` and group
operation, link and form tracking, opt-out and opt-in, autocapture, and each transport (XHR
POST and GET, JSON payloads, batches, `sendBeacon`) — with the emulator on another origin, so
each call is a credentialed cross-origin request. The tests read back what the SDK's callbacks
received (status 1, the verbose object) and check the data through our client's export and
engage calls, against values written here from the scenario, not from the emulator.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from tests.peers.browser.harness import chromium, run_page

pytestmark = pytest.mark.usefixtures("report")  # the page runs before any read-back

TOKEN = "browser-token"
DEVICE = "$device:"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def report(emu: Emulator) -> dict[str, Any]:
    """Run the page once for the module; wait (bounded) for the batched instance's flush."""
    chromium()
    result = asyncio.run(run_page(emu.url, TOKEN, "sdk"))
    for _ in range(100):  # the batched instance flushes on its own timer
        if sum(e["event"].startswith("Batched") for e in emu.events()) == 2:
            break
        time.sleep(0.1)
    return result


async def exported(ws: AsyncWorkspace) -> list[dict[str, Any]]:
    day = time.strftime("%Y-%m-%d", time.gmtime())
    return [e async for e in ws.stream_events(from_date=day, to_date=day, raw=True)]


def named(events: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [e["properties"] for e in events if e["event"] == name]


def test_every_callback_sees_the_emulators_answer(report: dict[str, Any]) -> None:
    assert report["errors"] == []
    statuses = report["statuses"]
    not_sent = {"track_disabled", "track_opted_out"}
    for name, status in statuses.items():
        if name == "verbose.track":
            assert status == {"status": 1, "error": None}
        elif name in not_sent:
            assert status == "not sent" or status == 0, name
        elif name != "alias":
            assert status == 1, name
    assert {"track", "people.set", "group.set", "set_group", "track_with_groups"} <= set(statuses)


def test_settings_read_back(report: dict[str, Any], emu: Emulator) -> None:
    values = report["values"]
    assert values["api_host"] == emu.url
    assert values["plan_property"] == "pro"
    assert values["cookie_expiration"] == 30
    assert values["identified"] == "user-1"
    assert values["opted_out"] is True
    assert values["opted_in"] is True
    assert values["first_distinct_id"].startswith(DEVICE)
    assert values["after_reset"].startswith(DEVICE)
    assert values["after_reset"] != values["first_distinct_id"]


async def test_events_arrive_with_super_properties(ours: AsyncWorkspace) -> None:
    events = await exported(ours)
    names = {e["event"] for e in events}
    sent = {
        "Page Loaded", "Checkout", "$mp_web_page_view", "$identify", "Group Event",
        "Link Clicked", "Form Sent", "$create_alias", "$opt_in", "Opted In Event",
        "After Reset", "Verbose Event", "Batched 1", "Batched 2", "Beacon Event", "GET Event",
        "JSON Event", "$mp_click",
    }  # fmt: skip
    assert sent <= names
    assert not names & {"Disabled Event", "Opted Out Event"}
    for props in named(events, "Page Loaded") + named(events, "Checkout"):
        assert props["plan"] == "pro"
        assert props["first_seen"] == "yes"
        assert "temp" not in props
        # Sent anonymously, read back under user-1: identify() tied the device to user-1's
        # identity cluster, earlier events included (ID merge).
        assert props["distinct_id"] == "user-1"
        assert props["$device_id"]
        assert props["$browser"] == "Chrome"
        assert props["mp_lib"] == "web"
    (page,) = named(events, "Page Loaded")
    assert page["n"] == 1
    (checkout,) = named(events, "Checkout")
    assert checkout["cart"] == 3
    assert checkout["$duration"] > 0
    (view,) = named(events, "$mp_web_page_view")
    assert view["page"] == "home"
    assert page["pushed"] is True  # push(['register', ...])
    assert page["mp_name_tag"] == "ada"
    (beacon,) = named(events, "Beacon Event")  # sent with navigator.sendBeacon
    assert beacon["kind"] == "beacon"
    (click,) = named(events, "$mp_click")  # autocapture
    assert (click["$el_id"], click["$el_tag_name"]) == ("btn", "button")


async def test_identity_calls(ours: AsyncWorkspace, report: dict[str, Any]) -> None:
    events = await exported(ours)
    identified = {p["distinct_id"] for p in named(events, "$identify")}
    # alias() identifies as the alias, which joined user-1's cluster: read back as user-1.
    assert {"user-1", "user-2", "batch-user"} <= identified
    assert "alias-1" not in identified
    assert any(p.get("$user_id") == "alias-1" for p in named(events, "$identify"))
    first = next(p for p in named(events, "$identify") if p["distinct_id"] == "user-1")
    assert first["$anon_distinct_id"] == report["values"]["first_distinct_id"]
    (alias,) = named(events, "$create_alias")
    assert (alias["alias"], alias["distinct_id"]) == ("alias-1", "user-1")
    (after,) = named(events, "After Reset")
    # Sent from the device reset() made; the batched instance (same token, so the same stored
    # identity) then identified that device as batch-user, whose cluster it reads back under.
    assert DEVICE + after["$device_id"] == report["values"]["after_reset"]
    assert after["distinct_id"] == "batch-user"
    (batch,) = (p for p in named(events, "$identify") if p["$user_id"] == "batch-user")
    assert batch["$anon_distinct_id"] == report["values"]["after_reset"]
    assert "plan" not in after  # reset cleared the super properties
    assert {p["distinct_id"] for p in named(events, "Batched 1")} == {"batch-user"}


async def test_groups_links_and_forms(ours: AsyncWorkspace) -> None:
    events = await exported(ours)
    (grouped,) = named(events, "Group Event")
    assert (grouped["company"], grouped["n"]) == ("acme", 2)
    (link,) = named(events, "Link Clicked")
    assert link["kind"] == "link"
    assert link["url"].endswith("#link-followed")
    (form,) = named(events, "Form Sent")
    assert form["kind"] == "form"
    groups = [g async for g in ours.stream_profiles(group_id="company", raw=True)]
    assert [g["$distinct_id"] for g in groups] == ["acme"]
    props = groups[0]["$properties"]
    assert (props["size"], props["founded"], props["tags"]) == (10, 1999, ["y"])
    assert "drop" not in props


async def test_people_operations(ours: AsyncWorkspace) -> None:
    profiles = {p["$distinct_id"]: p["$properties"] async for p in ours.stream_profiles(raw=True)}
    assert "user-2" not in profiles  # delete_user
    # opt_out_tracking deletes the profile by default (then clears its charges, recreating it)
    assert profiles["optout-user"].get("x") is None
    assert profiles["optout-user"]["$transactions"] == []
    user = profiles["user-1"]
    expected = {
        "name": "Ada", "plan": "pro", "created": "2024", "logins": 3, "visits": 3,
        "tags": ["b"], "langs": ["py", "js"], "$transactions": [], "company": ["acme"],
    }  # fmt: skip
    assert {k: user.get(k) for k in expected} == expected
    assert "drop" not in user
    assert user["$initial_referrer"] == "$direct"
    assert user["$browser"] == "Chrome"
    assert profiles["batch-user"]["batched"] is True
