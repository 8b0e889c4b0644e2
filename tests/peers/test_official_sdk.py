"""The official `mixpanel` Python SDK (5.4.x) writes to the emulator; state equals what it sent.

The SDK is synchronous, so the emulator runs on its background thread (`with Emulator(...)`).
A recording consumer keeps every message the SDK sends, and the assertions derive the expected
state from those messages: events as sent minus `token` with `time` in whole seconds, profiles
and groups with the operators applied.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from typing import Any

import mixpanel
import pytest
from mixpanel import (
    BufferedConsumer,
    Consumer,
    Mixpanel,
    MixpanelException,
    ServiceAccountCredentials,
)

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.engine.updates import iso_seconds

TOKEN = "tok42"
SECRET = "sec42"
SA_USER, SA_SECRET = "sa-user", "sa-secret"


@pytest.fixture(scope="module")
def server() -> Iterator[Emulator]:
    with Emulator(port=0) as emu:
        yield emu


@pytest.fixture
def emu(server: Emulator) -> Emulator:
    server.reset()
    return server


@pytest.fixture(scope="module")
def strict_server() -> Iterator[Emulator]:
    """Configured mode with strict auth: one project, its secret and one service account."""
    with Emulator(
        port=0,
        projects=[f"42:{TOKEN}:{SECRET}"],
        strict_auth=True,
        service_accounts={SA_USER: SA_SECRET},
    ) as emu:
        yield emu


@pytest.fixture
def strict_emu(strict_server: Emulator) -> Emulator:
    strict_server.reset()
    return strict_server


def urls(emu: Emulator) -> dict[str, Any]:
    return {
        "events_url": emu.url + "/track",
        "people_url": emu.url + "/engage",
        "groups_url": emu.url + "/groups",
        "import_url": emu.url + "/import",
        "request_timeout": 30,
        "retry_limit": 0,
    }


class Recording(Consumer):  # type: ignore[misc]
    """A `Consumer` that also remembers what it sent, per endpoint."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def send(
        self, endpoint: str, json_message: str, api_key: Any = None, api_secret: Any = None
    ) -> None:
        super().send(endpoint, json_message, api_key, api_secret)
        messages = json.loads(json_message)
        for message in messages if isinstance(messages, list) else [messages]:
            self.sent.append((endpoint, message))


def client(consumer: Any, token: str = TOKEN) -> Mixpanel:
    mp = Mixpanel(token, consumer=consumer)
    ids = itertools.count()
    mp._make_insert_id = lambda: f"ins-{next(ids):04d}"  # deterministic, still SDK-shaped
    return mp


def stored(message: dict[str, Any]) -> dict[str, Any]:
    """What the emulator should keep of an event the SDK sent."""
    props = {k: v for k, v in message["properties"].items() if k != "token"}
    props["time"] = int(props["time"])
    return {"event": message["event"], "properties": props}


def by_insert_id(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(events, key=lambda e: e["properties"]["$insert_id"])


def test_track(emu: Emulator) -> None:
    consumer = Recording(**urls(emu))
    mp = client(consumer)
    mp.track("u1", "Signed Up", {"plan": "pro", "seats": 3, "tags": ["a", "b"]})
    mp.track("u2", "Played", {"nested": {"level": 2}})
    expected = [stored(m) for _, m in consumer.sent]
    assert by_insert_id(emu.events()) == by_insert_id(expected)
    first = emu.events()[0]["properties"]
    assert first["mp_lib"] == "python"
    assert first["$lib_version"] == mixpanel.__version__


def test_import_with_service_account(strict_emu: Emulator) -> None:
    creds = ServiceAccountCredentials(SA_USER, SA_SECRET, "42")
    consumer = Recording(**urls(strict_emu), credentials=creds)
    mp = client(consumer)
    old = int(time.time()) - 200 * 86_400
    mp.import_data(None, "u1", "Imported", old, {"source": "backfill"})
    mp.import_data(None, "u2", "Imported", old + 1, {"source": "backfill"})
    expected = [stored(m) for _, m in consumer.sent]
    assert by_insert_id(strict_emu.events("42")) == by_insert_id(expected)
    assert {e["properties"]["time"] for e in strict_emu.events("42")} == {old, old + 1}


def test_import_with_the_legacy_secret(strict_emu: Emulator) -> None:
    consumer = Recording(**urls(strict_emu))
    mp = client(consumer)
    mp.import_data("api-key", "u1", "Legacy", int(time.time()) - 30 * 86_400, api_secret=SECRET)
    assert strict_emu.events("42") == [stored(consumer.sent[0][1])]


def test_bad_credentials_and_tokens_raise(strict_emu: Emulator) -> None:
    creds = ServiceAccountCredentials(SA_USER, "wrong", "42")
    mp = client(Consumer(**urls(strict_emu), credentials=creds))
    with pytest.raises(MixpanelException, match="Invalid credentials"):
        mp.import_data(None, "u1", "Nope", int(time.time()) - 86_400)
    stranger = client(Consumer(**urls(strict_emu)), token="not-a-token")
    with pytest.raises(MixpanelException, match="Invalid token"):
        stranger.track("u1", "Nope")
    with pytest.raises(MixpanelException, match="Invalid token"):
        stranger.people_set("u1", {"a": 1})
    assert strict_emu.events() == []
    assert strict_emu.profiles() == []


def test_invalid_events_raise(emu: Emulator) -> None:
    mp = client(Consumer(**urls(emu)))
    with pytest.raises(MixpanelException, match="last 5 days"):
        mp.track("u1", "Too Old", {"time": time.time() - 6 * 86_400})
    with pytest.raises(MixpanelException, match="1971"):
        mp.import_data(None, "u1", "Epoch", 0, api_secret="anything")
    assert emu.events() == []


def test_people_operations(emu: Emulator) -> None:
    consumer = Recording(**urls(emu))
    mp = client(consumer)
    mp.people_set("u1", {"$name": "Ann", "plan": "free", "tags": ["a"], "temp": 1})
    mp.people_set_once("u1", {"plan": "pro", "$created": "2024-01-01T00:00:00"})
    mp.people_increment("u1", {"logins": 1, "credits": 10})
    mp.people_increment("u1", {"logins": 1, "credits": -2.5})
    mp.people_append("u1", {"events": "signup"})
    mp.people_append("u1", {"events": "login"})
    mp.people_union("u1", {"tags": ["a", "b", "c"]})
    mp.people_remove("u1", {"tags": "c"})
    mp.people_unset("u1", ["temp"])
    mp.people_track_charge("u1", 9.99, {"sku": "x"})
    mp.people_set("u2", {"plan": "pro"})
    mp.people_delete("u2")
    mp.people_set("u3", {"quiet": True}, meta={"$ignore_time": True})

    profiles = {p["$distinct_id"]: p["$properties"] for p in emu.profiles()}
    assert set(profiles) == {"u1", "u3"}
    last_u1 = max(m["$time"] for _, m in consumer.sent if m["$distinct_id"] == "u1")
    assert profiles["u1"] == {
        "$name": "Ann",
        "plan": "free",
        "tags": ["a", "b"],
        "$created": "2024-01-01T00:00:00",
        "logins": 2,
        "credits": 7.5,
        "events": ["signup", "login"],
        "$transactions": [{"sku": "x", "$amount": 9.99}],
        "$last_seen": iso_seconds(last_u1),
    }
    assert profiles["u3"] == {"quiet": True}
    assert all(endpoint == "people" for endpoint, _ in consumer.sent)


def test_group_operations(emu: Emulator) -> None:
    mp = client(Recording(**urls(emu)))
    mp.group_set("company", "acme", {"name": "Acme", "plan": "free", "regions": ["eu"]})
    mp.group_set_once("company", "acme", {"name": "Other", "founded": 1999})
    mp.group_union("company", "acme", {"regions": ["eu", "us"]})
    mp.group_remove("company", "acme", {"regions": "eu"})
    mp.group_unset("company", "acme", ["plan"])
    mp.group_set("company", "gone", {"name": "Gone"})
    mp.group_delete("company", "gone")
    mp.group_set("team", 7, {"size": 4})
    assert emu.state.default.groups == {
        ("company", "acme"): {"name": "Acme", "regions": ["us"], "founded": 1999},
        ("team", "7"): {"size": 4},
    }


def test_buffered_consumer_batches(emu: Emulator) -> None:
    buffered = BufferedConsumer(max_size=50, **urls(emu))
    sent: list[dict[str, Any]] = []
    inner_send = buffered._consumer.send

    def spy(endpoint: str, json_message: str, api_key: Any = None, api_secret: Any = None) -> None:
        batch = json.loads(json_message)
        assert isinstance(batch, list)
        assert len(batch) <= 50
        sent.extend(m for m in batch if endpoint == "events")
        inner_send(endpoint, json_message, api_key, api_secret)

    buffered._consumer.send = spy
    mp = client(buffered)
    for n in range(120):
        mp.track(f"user-{n % 7}", "Viewed", {"n": n})
    for n in range(60):
        mp.people_increment(f"user-{n % 3}", {"views": 1})
    buffered.flush()
    assert len(sent) == 120
    assert by_insert_id(emu.events()) == by_insert_id([stored(m) for m in sent])
    views = {p["$distinct_id"]: p["$properties"]["views"] for p in emu.profiles()}
    assert views == {"user-0": 20, "user-1": 20, "user-2": 20}


def test_buffered_import_batches(emu: Emulator) -> None:
    creds = ServiceAccountCredentials(SA_USER, SA_SECRET, "1")
    buffered = BufferedConsumer(max_size=50, credentials=creds, **urls(emu))
    mp = client(buffered)
    start = int(time.time()) - 10 * 86_400
    for n in range(101):
        mp.import_data(None, f"u{n}", "Backfilled", start + n, {"n": n})
    buffered.flush()
    events = emu.events()
    assert [e["properties"]["n"] for e in events] == list(range(101))  # sorted by time
    assert events[0]["properties"]["time"] == start
