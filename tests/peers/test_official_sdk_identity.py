"""The official `mixpanel` Python SDK's identity calls against the emulator: `alias()`, `merge()`
and events carrying `$device_id` / `$user_id`; our client and the peer library then read the
events under the canonical id.

`alias()` always builds its own `Consumer()` (api.mixpanel.com); the test points that default
at the emulator, as a user would with their HTTP proxy or DNS.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator

import mixpanel
import pytest
from mixpanel import Consumer, Mixpanel, MixpanelException

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.pytest_plugin import fast_retry_policy
from tests.peers.test_official_sdk import urls

TODAY = time.strftime("%Y-%m-%d", time.gmtime())


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(port=0, projects=["5:tok5:sec5"]) as emulator:
        yield emulator


async def exported_ids(emu: Emulator) -> list[tuple[str, str]]:
    async with AsyncWorkspace(
        base_url=emu.url, project="5", username="u", secret="s", retry=fast_retry_policy()
    ) as ws:
        frame = await ws.export_events(TODAY, TODAY)
    return list(zip(frame["event"].to_list(), frame["distinct_id"].to_list(), strict=True))


async def test_alias_merge_and_device_ids(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mixpanel, "Consumer", functools.partial(Consumer, **urls(emu)))
    mp = Mixpanel("tok5", consumer=Consumer(**urls(emu)))
    mp.track("legacy-id", "Opened")
    mp.alias("legacy-id", "user-1")
    mp.track("", "Browsed", {"$device_id": "dev-9"})
    mp.track("user-1", "Logged In", {"$device_id": "dev-9", "$user_id": "user-1"})
    mp.track("other-id", "Opened")
    mp.merge(None, "user-1", "other-id", api_secret="sec5")
    with pytest.raises(MixpanelException, match="Invalid token"):
        Mixpanel("nope", consumer=Consumer(**urls(emu))).alias("x-1", "user-1")
    # No credentials: a refusal the SDK can read (it indexes the JSON answer's `status`).
    with pytest.raises(MixpanelException, match="Mixpanel error"):
        mp.merge(None, "user-1", "someone-else")
    rows = await exported_ids(emu)
    users = {d for e, d in rows if not e.startswith("$")}
    assert users == {"user-1"}
    assert [e for e, _ in rows if e.startswith("$")] == ["$create_alias", "$merge"]


async def test_the_peer_sees_the_canonical_ids(
    emu: Emulator, point_peer: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    headless = pytest.importorskip("mixpanel_headless")
    mp = Mixpanel("tok5", consumer=Consumer(**urls(emu)))
    mp.track("", "Browsed", {"$device_id": "dev-1"})
    mp.track("u-7", "Bought", {"$device_id": "dev-1", "$user_id": "u-7"})
    mp.track("", "Browsed", {"$device_id": "dev-2"})
    ours = await exported_ids(emu)
    point_peer(emu.url)
    monkeypatch.setenv("MP_PROJECT_ID", "5")
    with headless.Workspace() as peer:
        raw = list(peer.stream_events(from_date=TODAY, to_date=TODAY, raw=True))
        theirs = [(e["event"], e["properties"]["distinct_id"]) for e in raw]
        counts = peer.segmentation("Browsed", from_date=TODAY, to_date=TODAY)
    assert ours == theirs == [("Browsed", "u-7"), ("Bought", "u-7"), ("Browsed", "$device:dev-2")]
    assert counts.total == 2
