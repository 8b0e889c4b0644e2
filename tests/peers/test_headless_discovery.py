"""The peer library `mixpanel_headless` discovers the emulator's data: event names, an event's
properties, property values, today's top events, saved funnels and cohorts.

The peer is synchronous, so the emulator runs on its background thread (`with Emulator()`);
the peer finds it through `MP_API_BASE_URL` and service-account variables, with HOME and
MP_CONFIG_PATH at an empty directory (tests/conftest.py), so no real configuration is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.store import EventRow
from tests.helpers import COHORTS, DAY, FUNNELS, ms, row, today_moment

mixpanel_headless = pytest.importorskip("mixpanel_headless")

DAY_MS = DAY * 1000
CART = [{"Brand": "nike", "Price": 50}, {"Brand": "puma", "Price": 7.5}]


def events() -> list[EventRow]:
    now = today_moment() * 1000
    return [
        row("Sign Up", "alice", ms("2024-02-01T09:00:00"), "s1", plan="pro", source="ads"),
        row("Sign Up", "bob", ms("2024-02-01T10:00:00"), "s2", plan="free", source="seo"),
        row("Sign Up", "carol", ms("2024-02-01T11:00:00"), "s3", plan="pro", trial=True),
        row("Purchase", "alice", ms("2024-02-02T11:00:00"), "p1", amount=30, cart=CART),
        row("Purchase", "alice", ms("2024-02-02T11:00:00"), "p1", amount=30, cart=CART),  # dup
        row("Purchase", "bob", ms("2024-02-03T12:00:00"), "p2", amount=5.5, plan="free"),
        row("Page View", "carol", now, None, page="/home"),
        row("Page View", "dave", now - 1, None, page="/pricing"),
        row("Page View", "dave", now - DAY_MS, None, page="/home"),  # yesterday
        row("Sign Up", "erin", now, "s4", plan="pro"),
    ]


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        project = emulator.state.default
        project.events.append(events())
        project.funnels[:] = [dict(f) for f in FUNNELS]
        project.cohorts[:] = [dict(c) for c in COHORTS]
        yield emulator


def test_events(peer: Any) -> None:
    assert peer.events() == ["Page View", "Purchase", "Sign Up"]


def test_properties(peer: Any) -> None:
    assert peer.properties("Sign Up") == ["plan", "source", "trial"]
    assert peer.properties("Purchase") == ["amount", "cart", "plan"]
    assert peer.properties("Page View") == ["page"]


def test_properties_of_unknown_event(peer: Any) -> None:
    with pytest.raises(mixpanel_headless.exceptions.EventNotFoundError) as info:
        peer.properties("sign up")
    assert info.value.similar_events == ["Sign Up"]


def test_property_values(peer: Any) -> None:
    assert peer.property_values("plan", event="Sign Up") == ["pro", "free"]
    assert peer.property_values("plan") == ["pro", "free"]
    assert peer.property_values("amount", event="Purchase") == ["30", "5.5"]
    assert peer.property_values("trial", event="Sign Up") == ["true"]
    assert peer.property_values("page", event="Page View", limit=1) == ["/home"]
    assert peer.property_values("missing") == []


def test_subproperties_parse_list_values(peer: Any) -> None:
    found = {sp.name: (sp.type, sp.sample_values) for sp in peer.subproperties("cart")}
    assert found == {"Brand": ("string", ("nike", "puma")), "Price": ("number", (50, 7.5))}


def test_top_events(peer: Any) -> None:
    top = peer.top_events()
    assert [(t.event, t.count) for t in top] == [("Page View", 2), ("Sign Up", 1)]
    assert top[0].percent_change == pytest.approx(1.0)  # 2 today against 1 yesterday
    unique = peer.top_events(type="unique", limit=1)
    assert [(t.event, t.count) for t in unique] == [("Page View", 2)]


def test_funnels(peer: Any) -> None:
    assert [(f.funnel_id, f.name) for f in peer.funnels()] == [
        (11, "Checkout"),
        (12, "Signup flow"),
    ]


def test_cohorts(peer: Any) -> None:
    got = [(c.id, c.name, c.count, c.description, c.created, c.is_visible) for c in peer.cohorts()]
    assert got == [
        (9001, "Buyers", 1, "", "2024-02-05 09:00:00", False),
        (9002, "Pro plan", 2, "Profiles on pro", "2024-02-05 10:00:00", True),
    ]
