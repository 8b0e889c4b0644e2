"""The peer library `mixpanel_headless` discovers the emulator's data: event names, an event's
properties, property values, today's top events, saved funnels and cohorts.

The peer is synchronous, so the emulator runs on its background thread (`with Emulator()`);
the peer finds it through `MP_API_BASE_URL` and service-account variables, with HOME and
MP_CONFIG_PATH pointed at an empty directory so no real configuration is read.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.store import EventRow

mixpanel_headless = pytest.importorskip("mixpanel_headless")

DAY_MS = 86_400_000


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


def row(event: str, user: str, time_ms: int, insert_id: str | None = None, **props: Any
        ) -> EventRow:  # fmt: skip
    properties: dict[str, Any] = {"distinct_id": user, "time": time_ms // 1000, **props}
    if insert_id is not None:
        properties["$insert_id"] = insert_id
    return (event, user, time_ms, insert_id, orjson.dumps(properties).decode())


def today_moment() -> int:
    """A moment of today (UTC) that has already passed."""
    now = int(time.time() * 1000)
    start = now - now % DAY_MS
    return start + (now - start) // 2


CART = [{"Brand": "nike", "Price": 50}, {"Brand": "puma", "Price": 7.5}]
FUNNELS = [
    {"funnel_id": 12, "name": "Signup flow", "steps": ["Page View", "Sign Up"]},
    {"funnel_id": 11, "name": "Checkout", "steps": ["Sign Up", "Purchase"]},
]
COHORTS = [
    {"id": 9002, "name": "Pro plan", "count": 2, "description": "Profiles on pro",
     "created": "2024-02-05 10:00:00", "is_visible": 1, "where": 'properties["plan"] == "pro"'},
    {"id": 9001, "name": "Buyers", "count": 1, "description": None,
     "created": "2024-02-05 09:00:00", "is_visible": 0, "distinct_ids": ["alice"]},
]  # fmt: skip


def events() -> list[EventRow]:
    now = today_moment()
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
def emu(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Emulator]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("MP_CONFIG_PATH", str(home / ".mp" / "config.toml"))
    with Emulator(port=0) as emulator:
        env = {"MP_API_BASE_URL": emulator.url, "MP_USERNAME": "u", "MP_SECRET": "s",
               "MP_PROJECT_ID": "1", "MP_REGION": "us"}  # fmt: skip
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        project = emulator.state.default
        project.events.append(events())
        project.funnels[:] = [dict(f) for f in FUNNELS]
        project.cohorts[:] = [dict(c) for c in COHORTS]
        yield emulator


@pytest.fixture
def ws(emu: Emulator) -> Iterator[Any]:
    with mixpanel_headless.Workspace() as workspace:
        yield workspace


def test_events(ws: Any) -> None:
    assert ws.events() == ["Page View", "Purchase", "Sign Up"]


def test_properties(ws: Any) -> None:
    assert ws.properties("Sign Up") == ["plan", "source", "trial"]
    assert ws.properties("Purchase") == ["amount", "cart", "plan"]
    assert ws.properties("Page View") == ["page"]


def test_properties_of_unknown_event(ws: Any) -> None:
    with pytest.raises(mixpanel_headless.exceptions.EventNotFoundError) as info:
        ws.properties("sign up")
    assert info.value.similar_events == ["Sign Up"]


def test_property_values(ws: Any) -> None:
    assert ws.property_values("plan", event="Sign Up") == ["pro", "free"]
    assert ws.property_values("plan") == ["pro", "free"]
    assert ws.property_values("amount", event="Purchase") == ["30", "5.5"]
    assert ws.property_values("trial", event="Sign Up") == ["true"]
    assert ws.property_values("page", event="Page View", limit=1) == ["/home"]
    assert ws.property_values("missing") == []


def test_subproperties_parse_list_values(ws: Any) -> None:
    found = {sp.name: (sp.type, sp.sample_values) for sp in ws.subproperties("cart")}
    assert found == {"Brand": ("string", ("nike", "puma")), "Price": ("number", (50, 7.5))}


def test_top_events(ws: Any) -> None:
    top = ws.top_events()
    assert [(t.event, t.count) for t in top] == [("Page View", 2), ("Sign Up", 1)]
    assert top[0].percent_change == pytest.approx(1.0)  # 2 today against 1 yesterday
    unique = ws.top_events(type="unique", limit=1)
    assert [(t.event, t.count) for t in unique] == [("Page View", 2)]


def test_funnels(ws: Any) -> None:
    assert [(f.funnel_id, f.name) for f in ws.funnels()] == [(11, "Checkout"), (12, "Signup flow")]


def test_cohorts(ws: Any) -> None:
    got = [(c.id, c.name, c.count, c.description, c.created, c.is_visible) for c in ws.cohorts()]
    assert got == [
        (9001, "Buyers", 1, "", "2024-02-05 09:00:00", False),
        (9002, "Pro plan", 2, "Profiles on pro", "2024-02-05 10:00:00", True),
    ]
