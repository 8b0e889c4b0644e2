"""Session replays end to end: the browser SDK records a session in headless Chromium
(`record_sessions_percent: 100`), the emulator stores it, and both our client's 10 replay
members and the peer library read it back.

Expectations come from the page itself (the replay id the SDK reports, the user it identified,
the event it tracked) and from the recording as streamed (start and end are its extreme
timestamps, computed here), not from the emulator's engine.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.exceptions import ParamValidationError, ReplayNotFoundError
from tests.peers.browser.harness import chromium, run_page

TOKEN = "replay-token"
USER = "replay-user"
TODAY = time.strftime("%Y-%m-%d", time.gmtime())


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def recorded(emu: Emulator) -> str:
    """Record one session in the browser; its replay id."""
    chromium()
    report = asyncio.run(run_page(emu.url, TOKEN, "replay"))
    assert report["errors"] == []
    assert report["statuses"] == {"track_in_replay": 1}
    replay_id: str = report["values"]["recording"]["$mp_replay_id"]
    assert replay_id in report["values"]["replay_url"]
    return replay_id


async def test_discovery_and_signing(ours: AsyncWorkspace, recorded: str) -> None:
    (mine,) = await ours.list_replays(distinct_id=USER, from_date=TODAY, to_date=TODAY)
    assert (mine.replay_id, mine.distinct_id, mine.retention_days) == (recorded, USER, 30)
    (by_id,) = await ours.list_replays(replay_ids=[recorded])
    assert by_id.start_time == mine.start_time
    assert await ours.list_replays(distinct_id="nobody", from_date=TODAY, to_date=TODAY) == []
    signed = await ours.sign_replay(recorded)
    assert signed.replay_id == recorded
    assert signed.query_string not in repr(signed)
    assert not signed.is_expired
    assert [s.replay_id for s in await ours.sign_replays([recorded, "other"])] == [
        recorded,
        "other",
    ]


async def test_stream_and_fetch(ours: AsyncWorkspace, recorded: str) -> None:
    streamed = [e async for e in ours.stream_replay(recorded)]
    assert streamed[0]["type"] == 4  # rrweb's page meta comes first
    assert any(e["type"] == 2 for e in streamed)  # a full snapshot
    stamps = [e["timestamp"] for e in streamed]
    replay = await ours.fetch_replay(recorded, distinct_id=USER, include_mixpanel_events=True)
    assert replay.rrweb_events == streamed
    assert (replay.start_time, replay.end_time) == (min(stamps), max(stamps))
    clicks = [a for a in replay.actions if a.action == "click"]
    assert clicks
    assert all(a.target_desc.startswith("button#btn") for a in clicks)
    assert [e.event_name for e in replay.mixpanel_events] == ["Clicked In Replay"]
    assert replay.df.height == len(replay.actions)
    timeline = await ours.analyze_replay(recorded)
    assert f"# Replay {recorded}" in timeline
    assert "clicked button#btn" in timeline


async def test_events_of_replays(ours: AsyncWorkspace, recorded: str) -> None:
    day = TODAY
    exported = [
        e
        async for e in ours.stream_events(from_date=day, to_date=day, events=["Clicked In Replay"])
    ]
    (event,) = exported
    assert event["properties"]["$mp_replay_id"] == recorded
    (mine,) = await ours.events_for_replay(recorded, event_properties=["step"])
    assert mine.event_name == "Clicked In Replay"
    assert mine.event_time == int(event["event_time"].timestamp())
    assert mine.properties == {"step": "5"}
    assert await ours.events_for_replays([recorded, "none"]) == {recorded: [mine.__class__(
        recorded, "Clicked In Replay", mine.event_time)]}  # fmt: skip


async def test_bundles(ours: AsyncWorkspace, recorded: str) -> None:
    bundle = await ours.replays_for_user(USER, from_date=TODAY, to_date=TODAY)
    (replay,) = bundle.replays
    assert (replay.replay_id, replay.distinct_id) == (recorded, USER)
    assert [e.event_name for e in replay.mixpanel_events] == ["Clicked In Replay"]
    assert bundle.df["replay_id"].to_list() == [recorded]
    several = await ours.fetch_replays([recorded, "missing-replay"], retention_by_id={recorded: 30})
    assert [r.replay_id for r in several.replays] == [recorded]
    with pytest.raises(ReplayNotFoundError):
        await ours.fetch_replays(["missing-replay"])


async def test_arguments_are_checked_first(ours: AsyncWorkspace) -> None:
    bad: list[Any] = [
        ours.list_replays(),
        ours.list_replays(distinct_id="u", replay_ids=["r"]),
        ours.list_replays(distinct_id="u"),
        ours.sign_replays([]),
        ours.sign_replay("r", env="staging"),  # type: ignore[arg-type]
        ours.events_for_replays(["r"], event_properties=list("abcdef")),
        ours.fetch_replay("r", retention_days=3),
        ours.fetch_replays([]),
    ]
    for call in bad:
        with pytest.raises(ParamValidationError):
            await call
    with pytest.raises(ReplayNotFoundError):
        await ours.fetch_replay("never-recorded", retention_days=30)


async def test_the_cdn_needs_a_valid_signature(ours: AsyncWorkspace, recorded: str) -> None:
    signed = await ours.sign_replay(recorded)
    async with aiohttp.ClientSession() as http:
        first = f"{signed.url}0000-30.json"
        async with http.get(f"{first}?{signed.query_string}") as r:
            assert r.status == 200
            assert (await r.json())[0]["type"] == 4
        last = signed.query_string[-1]
        tampered = signed.query_string[:-1] + ("1" if last == "0" else "0")
        async with http.get(f"{first}?{tampered}") as r:
            assert r.status == 403
        async with http.get(first) as r:
            assert r.status == 403
        async with http.get(f"{signed.url}0000-7.json?{signed.query_string}") as r:
            assert r.status == 404


def test_the_peer_reads_the_same_replay(emu: Emulator, recorded: str, peer: Any) -> None:
    """The peer's calls are synchronous (each runs its own event loop): ours runs beside them."""

    async def ours() -> Any:
        async with AsyncWorkspace(base_url=emu.url, project="1", username="u", secret="s") as ws:
            return await ws.fetch_replay(recorded, include_mixpanel_events=True)

    mine = asyncio.run(ours())
    (summary,) = peer.list_replays(distinct_id=USER, from_date=TODAY, to_date=TODAY)
    assert (summary.replay_id, summary.retention_days) == (recorded, 30)
    assert peer.sign_replay(recorded).replay_id == recorded
    theirs = peer.fetch_replay(recorded, include_mixpanel_events=True)
    assert theirs.rrweb_events == mine.rrweb_events
    assert (theirs.start_time, theirs.end_time) == (mine.start_time, mine.end_time)
    assert [e.event_name for e in theirs.mixpanel_events] == ["Clicked In Replay"]
    assert list(peer.stream_replay(recorded)) == mine.rrweb_events
    assert [e.event_time for e in peer.events_for_replay(recorded)] == [
        e.event_time for e in mine.mixpanel_events
    ]
    bundle = peer.replays_for_user(USER, from_date=TODAY, to_date=TODAY)
    assert [r.replay_id for r in bundle.replays] == [recorded]
    assert isinstance(peer.analyze_replay(recorded), str)
