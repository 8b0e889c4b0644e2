"""Tests for the synthetic demo dataset (mixpanel_async.emulator.demo)."""

from __future__ import annotations

import calendar
import datetime
import itertools
import json
import re
from collections import defaultdict
from typing import Any

import pytest

from mixpanel_async.emulator.demo import DEFAULT_END, EVENT_NAMES, DemoData, generate

INSERT_ID = re.compile(r"^[A-Za-z0-9-]{16,36}$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
PROFILE_KEYS = {"$email", "$name", "$created", "plan", "$city", "mp_country_code", "ltv"}
PROFILE_KEYS |= {"company", "seats", "$last_seen"}


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate()


def _window(end: datetime.date, days: int) -> tuple[int, int]:
    first = end - datetime.timedelta(days=days - 1)
    start = calendar.timegm(first.timetuple())
    return start, start + days * 86400 - 1


def _users_by_event(data: DemoData) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for e in data.events:
        out[e["event"]].add(e["properties"]["distinct_id"])
    return out


def test_deterministic_byte_for_byte() -> None:
    a = generate(users=200, days=30, seed=11)
    b = generate(users=200, days=30, seed=11)
    assert a == b
    assert json.dumps(a.events) == json.dumps(b.events)
    assert json.dumps(a.profiles) == json.dumps(b.profiles)


def test_different_seed_differs() -> None:
    a = generate(users=200, days=30, seed=11)
    b = generate(users=200, days=30, seed=12)
    assert a.events != b.events
    assert a.profiles != b.profiles
    ids_a = {e["properties"]["$insert_id"] for e in a.events}
    ids_b = {e["properties"]["$insert_id"] for e in b.events}
    assert not ids_a & ids_b


def test_default_counts(demo: DemoData) -> None:
    assert 100_000 <= len(demo.events) <= 150_000
    assert len(demo.profiles) == 3000
    assert {e["event"] for e in demo.events} == set(EVENT_NAMES)
    assert len(EVENT_NAMES) == 20


def test_times_within_default_window_and_sorted(demo: DemoData) -> None:
    lo, hi = _window(DEFAULT_END, 90)
    times = [e["properties"]["time"] for e in demo.events]
    assert all(type(t) is int for t in times)
    assert lo <= min(times)
    assert max(times) <= hi
    assert times == sorted(times)


@pytest.mark.parametrize(("end", "days"), [(datetime.date(2024, 2, 29), 7), (None, 1)])
def test_times_within_custom_window(end: datetime.date | None, days: int) -> None:
    data = generate(users=150, days=days, end=end, seed=3)
    lo, hi = _window(end or DEFAULT_END, days)
    assert data.events
    assert all(lo <= e["properties"]["time"] <= hi for e in data.events)


def test_event_shape(demo: DemoData) -> None:
    for e in demo.events[:2000]:
        assert set(e) == {"event", "properties"}
        props = e["properties"]
        assert isinstance(props["distinct_id"], str)
        assert {"$os", "$device", "platform", "plan"} <= set(props)
        if props["platform"] != "web":
            assert "$browser" not in props
    purchases = [e["properties"] for e in demo.events if e["event"] == "Purchase"]
    assert purchases
    assert all(isinstance(p["amount"], float) and p["amount"] > 0 for p in purchases)
    assert all(type(p["item_count"]) is int for p in purchases)
    # Some properties are missing on some events.
    assert any("$city" not in e["properties"] for e in demo.events)
    assert any("utm_source" in e["properties"] for e in demo.events)
    assert any("utm_source" not in e["properties"] for e in demo.events)


def test_weekly_seasonality(demo: DemoData) -> None:
    per_weekday = [0] * 7
    for e in demo.events:
        per_weekday[
            datetime.datetime.fromtimestamp(e["properties"]["time"], datetime.UTC).weekday()
        ] += 1
    assert max(per_weekday[5:]) < min(per_weekday[:5])


def test_funnels_monotonic(demo: DemoData) -> None:
    users = _users_by_event(demo)
    steps = ["View Page", "Add to Cart", "Checkout Started", "Purchase"]
    for earlier, later in itertools.pairwise(steps):
        assert users[later] <= users[earlier]
        assert len(users[later]) < len(users[earlier])
    assert len(users["Invite Sent"]) < len(users["Create Project"]) < len(users["Sign Up"])
    first: dict[tuple[str, str], int] = {}
    for e in demo.events:
        first.setdefault((e["event"], e["properties"]["distinct_id"]), e["properties"]["time"])
    for user in users["Purchase"]:
        assert first[("Add to Cart", user)] < first[("Checkout Started", user)]
        assert first[("Checkout Started", user)] < first[("Purchase", user)]


def test_sign_up_is_each_users_first_event(demo: DemoData) -> None:
    seen: dict[str, str] = {}
    for e in demo.events:
        seen.setdefault(e["properties"]["distinct_id"], e["event"])
    assert set(seen.values()) == {"Sign Up"}
    signup_days = {e["properties"]["time"] // 86400 for e in demo.events if e["event"] == "Sign Up"}
    assert len(signup_days) > 60  # many cohorts for retention


def test_insert_ids_unique_and_well_formed(demo: DemoData) -> None:
    ids = [e["properties"]["$insert_id"] for e in demo.events]
    assert len(set(ids)) == len(ids)
    assert all(INSERT_ID.match(i) for i in ids)


def test_profiles_cover_every_user(demo: DemoData) -> None:
    distinct = {e["properties"]["distinct_id"] for e in demo.events}
    profile_ids = [p["$distinct_id"] for p in demo.profiles]
    assert len(profile_ids) == len(set(profile_ids))
    assert set(profile_ids) == distinct
    signup = {
        e["properties"]["distinct_id"]: e["properties"]["time"]
        for e in demo.events
        if e["event"] == "Sign Up"
    }
    for profile in demo.profiles:
        props: dict[str, Any] = profile["$properties"]
        assert set(profile) == {"$distinct_id", "$properties"}
        assert props.keys() >= PROFILE_KEYS
        assert ISO.match(props["$created"])
        assert ISO.match(props["$last_seen"])
        assert props["$created"] <= props["$last_seen"]
        created = datetime.datetime.fromisoformat(props["$created"]).replace(tzinfo=datetime.UTC)
        assert int(created.timestamp()) == signup[profile["$distinct_id"]]
        assert isinstance(props["ltv"], float)
        assert props["ltv"] >= 0
        assert type(props["seats"]) is int
        assert props["seats"] >= 1
        assert "@" in props["$email"]


def test_edge_arguments() -> None:
    assert generate(users=0) == DemoData(events=[], profiles=[])
    with pytest.raises(ValueError, match="days"):
        generate(days=0)
    with pytest.raises(ValueError, match="users"):
        generate(users=-1)
