"""Parity with the peer: `stream_events`, `stream_profiles` and the frames give what
`mixpanel_headless` gives for the same data, read from the same emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from tests.helpers import ms, row

mixpanel_headless = pytest.importorskip("mixpanel_headless")


EVENTS = [
    row("Sign Up", "alice", ms("2024-02-01T09:00:00"), "s1", plan="pro", n=1, tags=["a"]),
    row("Sign Up", "bob", ms("2024-02-01T10:00:00"), "s2", plan="free", meta={"k": "v"}),
    row("Purchase", "alice", ms("2024-02-02T11:00:00"), "p1", amount=30),
    row("Purchase", "alice", ms("2024-02-02T11:00:00"), "p1", amount=31),  # export keeps both
    row("Purchase", "bob", ms("2024-02-03T12:00:00"), "p2", amount=5.5, plan="free"),
    row("Page View", "carol", ms("2024-02-03T23:59:59"), None, page="/home"),
]
RANGE = {"from_date": "2024-02-01", "to_date": "2024-02-03"}


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        project = emulator.state.default
        project.events.append(EVENTS)
        for i in range(2300):
            project.profiles[f"user-{i:04d}"] = {
                "plan": ["free", "pro", "team"][i % 3],
                "n": i,
                "$last_seen": f"2024-01-{1 + i % 28:02d}T00:00:00",
            }
        yield emulator


@pytest.mark.parametrize(
    "options",
    [{}, {"events": ["Purchase", "Page View"]}, {"where": 'properties["plan"] == "free"'}],
)
async def test_stream_events_raw(peer: Any, ours: AsyncWorkspace, options: dict[str, Any]) -> None:
    theirs = list(peer.stream_events(**RANGE, **options, raw=True))
    mine = [e async for e in ours.stream_events(**RANGE, **options, raw=True)]
    assert mine == theirs
    assert mine


async def test_stream_events_normalised(peer: Any, ours: AsyncWorkspace) -> None:
    theirs = list(peer.stream_events(**RANGE))
    mine = [e async for e in ours.stream_events(**RANGE)]
    assert len(mine) == len(theirs) == 6
    for a, b in zip(mine, theirs, strict=True):
        if b["properties"].get("page") == "/home":  # no $insert_id: the peer invents a uuid
            a, b = {**a, "insert_id": None}, {**b, "insert_id": None}
        assert a == b


async def test_export_events_frame_matches_the_peer(peer: Any, ours: AsyncWorkspace) -> None:
    theirs = list(peer.stream_events(**RANGE))
    frame = await ours.export_events(RANGE["from_date"], RANGE["to_date"])
    assert frame["event"].to_list() == [e["event_name"] for e in theirs]
    assert frame["distinct_id"].to_list() == [e["distinct_id"] for e in theirs]
    assert frame["time"].to_list() == [e["event_time"] for e in theirs]
    ids = frame["insert_id"].to_list()
    assert ids[:5] == [e["insert_id"] for e in theirs[:5]]
    assert ids[5] is None
    for props, event in zip(frame["properties"].to_list(), theirs, strict=True):
        present = {k: v for k, v in props.items() if v is not None}
        expected = dict(event["properties"])
        if "meta" in expected:  # an object in one partition only stays an object
            assert present["meta"] == expected["meta"]
        assert present == expected


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"where": 'properties["plan"] == "team"', "output_properties": ["plan", "n"]},
        {"distinct_ids": ["user-0007", "user-2299", "nobody"]},
    ],
)
async def test_stream_profiles(peer: Any, ours: AsyncWorkspace, options: dict[str, Any]) -> None:
    assert [p async for p in ours.stream_profiles(**options, raw=True)] == list(
        peer.stream_profiles(**options, raw=True)
    )
    assert [p async for p in ours.stream_profiles(**options)] == list(
        peer.stream_profiles(**options)
    )


async def test_export_profiles_frame_matches_the_peer(peer: Any, ours: AsyncWorkspace) -> None:
    theirs = list(peer.stream_profiles())
    frame = await ours.export_profiles()
    assert frame["distinct_id"].to_list() == [p["distinct_id"] for p in theirs]
    assert [t.strftime("%Y-%m-%dT%H:%M:%S") for t in frame["last_seen"]] == [
        p["last_seen"] for p in theirs
    ]
    assert frame["properties"].to_list() == [p["properties"] for p in theirs]
