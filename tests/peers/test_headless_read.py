"""The peer library `mixpanel_headless` reads events and profiles back from the emulator.

The peer is synchronous, so the emulator runs on its background thread (`with Emulator()`);
the peer finds it through `MP_API_BASE_URL` and service-account variables, with HOME and
MP_CONFIG_PATH at an empty directory (tests/conftest.py), so no real configuration is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from mixpanel_async.emulator import Emulator
from tests.helpers import ms, row, without_processing_time

mixpanel_headless = pytest.importorskip("mixpanel_headless")


EVENTS = [
    row("Sign Up", "alice", ms("2024-02-01T09:00:00"), "s1", plan="pro", source="ads"),
    row("Sign Up", "bob", ms("2024-02-01T10:00:00"), "s2", plan="free", source="seo"),
    row("Purchase", "alice", ms("2024-02-02T11:00:00"), "p1", amount=30, plan="pro"),
    row("Purchase", "alice", ms("2024-02-02T11:00:00.400"), "p1", amount=31, plan="pro"),  # dup
    row("Purchase", "bob", ms("2024-02-03T12:00:00"), "p2", amount=5, plan="free"),
    row("Page View", "carol", ms("2024-02-04T00:00:00"), None, page="/home"),
    row("Sign Up", "dave", ms("2024-01-31T23:59:59"), "s0", plan="pro"),  # before the range
]


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        project = emulator.state.default
        project.events.append(EVENTS)
        for i in range(2300):
            project.profiles[f"user-{i:04d}"] = {
                "plan": ["free", "pro", "team"][i % 3],
                "$email": f"user{i}@example.com",
                "n": i,
            }
        yield emulator


def stored(event_filter: set[str] | None = None, plan: str | None = None) -> list[dict[str, Any]]:
    """What export must return for 2024-02-01..2024-02-03: every stored row (duplicates too:
    raw export does not deduplicate), oldest first."""
    kept = [r for r in EVENTS if ms("2024-02-01T00:00:00") <= r[2] < ms("2024-02-04T00:00:00")]
    kept.sort(key=lambda r: r[2])
    out = [{"event": r[0], "properties": orjson.loads(r[4])} for r in kept]
    return [
        e
        for e in out
        if (event_filter is None or e["event"] in event_filter)
        and (plan is None or e["properties"].get("plan") == plan)
    ]


def test_stream_events_raw_is_exactly_what_was_stored(peer: Any) -> None:
    got = list(peer.stream_events(from_date="2024-02-01", to_date="2024-02-03", raw=True))
    assert without_processing_time(got) == stored()
    assert all(isinstance(e["properties"]["mp_processing_time_ms"], int) for e in got)


def test_stream_events_with_events_and_where(peer: Any) -> None:
    got = list(
        peer.stream_events(
            from_date="2024-02-01",
            to_date="2024-02-03",
            events=["Purchase", "Page View"],
            where='properties["plan"] == "pro"',
            raw=True,
        )
    )
    assert without_processing_time(got) == stored({"Purchase", "Page View"}, plan="pro")
    assert [e["properties"]["amount"] for e in got] == [30, 31]


def test_stream_events_normalised(peer: Any) -> None:
    got = list(peer.stream_events(from_date="2024-02-04", to_date="2024-02-04"))
    assert got == [
        {
            "event_name": "Page View",
            "event_time": datetime(2024, 2, 4, tzinfo=UTC),
            "distinct_id": "carol",
            "insert_id": got[0]["insert_id"],  # the peer invents one when the row has none
            "properties": {
                "page": "/home",
                "mp_processing_time_ms": got[0]["properties"]["mp_processing_time_ms"],
            },
        }
    ]


def test_stream_events_bad_where_is_a_query_error(peer: Any) -> None:
    with pytest.raises(mixpanel_headless.QueryError):
        list(
            peer.stream_events(
                from_date="2024-02-01", to_date="2024-02-03", where='properties["plan"] = "pro"'
            )
        )


def test_stream_profiles_walks_every_page(peer: Any, emu: Emulator) -> None:
    got = list(peer.stream_profiles(raw=True))
    assert got == [
        {"$distinct_id": did, "$properties": props}
        for did, props in emu.state.default.profiles.items()
    ]


def test_stream_profiles_where_and_output_properties(peer: Any, emu: Emulator) -> None:
    got = list(
        peer.stream_profiles(
            where='properties["plan"] == "team"', output_properties=["plan", "n"], raw=True
        )
    )
    expected = [
        {"$distinct_id": did, "$properties": {"plan": "team", "n": p["n"]}}
        for did, p in emu.state.default.profiles.items()
        if p["plan"] == "team"
    ]
    assert got == expected
    assert len(got) == 766


def test_stream_profiles_distinct_ids(peer: Any, emu: Emulator) -> None:
    wanted = ["user-0007", "user-2299", "nobody", "user-0007"]
    got = list(peer.stream_profiles(distinct_ids=wanted))
    profiles = emu.state.default.profiles
    assert got == [
        {"distinct_id": did, "last_seen": None, "properties": profiles[did]}
        for did in ("user-0007", "user-2299")
    ]


def test_stream_profiles_by_cohort(peer: Any, emu: Emulator) -> None:
    emu.state.default.cohorts.append(
        {"id": 5, "name": "vip", "distinct_ids": ["user-0001", "user-0002"]}
    )
    got = list(peer.stream_profiles(cohort_id="5", raw=True))
    assert [p["$distinct_id"] for p in got] == ["user-0001", "user-0002"]
