"""Replay members against recordings stored without a browser: discovery's `$time` minimum and
`$distinct_id` filter checked against plain Python over the same rows, a walk over more files
than one batch, and expired signatures."""

from __future__ import annotations

import base64
import json
import random
import time

import aiohttp
import pytest

from mixpanel_async import (
    APIError,
    AsyncWorkspace,
    ReplayNotFoundError,
    SessionReplayAccessError,
    SignedURLExpiredError,
)
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.routes import replays as replay_routes
from tests.helpers import row

AUTH = {"Authorization": "Basic " + base64.b64encode(b"any-token:").decode()}
NOW = int(time.time() * 1000)
TODAY = time.strftime("%Y-%m-%d", time.gmtime(NOW / 1000))


async def record(emu: Emulator, replay_id: str, user: str, batches: list[list[dict]]) -> None:
    """Post `batches` to `/record/` as the browser SDK does."""
    async with aiohttp.ClientSession() as http:
        for seq, events in enumerate(batches):
            params = {"replay_id": replay_id, "distinct_id": user, "seq": str(seq),
                      "replay_start_time": str(events[0]["timestamp"] / 1000)}  # fmt: skip
            async with http.post(emu.url + "/record/", params=params, headers=AUTH,
                                 data=json.dumps(events)) as r:  # fmt: skip
                assert r.status == 200


def rrweb(at: int, n: int, first: bool) -> list[dict]:
    return [{"type": 2 if first and i == 0 else 3, "data": {"source": 1}, "timestamp": at + i}
            for i in range(n)]  # fmt: skip


async def test_discovery_agrees_with_plain_python(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    rng = random.Random(15)
    rows, expected = [], {}
    for k in range(12):
        user, replay_id = f"u{k % 3}", f"r{k}"
        times = [NOW - rng.randrange(3_600_000) for _ in range(rng.randrange(1, 4))]
        retention = rng.choice([7, 30, 90])
        for t in times:  # a replay may be announced more than once: the minimum wins
            rows.append(row("$mp_session_record", user, t, None, **{
                "$mp_replay_id": replay_id, "$mp_replay_retention_period": retention}))  # fmt: skip
        rows.append(row("Other", user, NOW - 10, None, **{"$mp_replay_id": replay_id}))
        expected[replay_id] = (user, min(times) // 1000 * 1000, retention)
    mixpanel_emulator.state.default.events.append(rows)
    for user in ("u0", "u1", "u2"):
        found = await mixpanel_workspace.list_replays(
            distinct_id=user, from_date=TODAY, to_date=TODAY
        )
        mine = {s.replay_id: (user, s.start_time, s.retention_days) for s in found}
        assert mine == {r: v for r, v in expected.items() if v[0] == user}
    some = await mixpanel_workspace.list_replays(replay_ids=["r1", "r5"], limit=1)
    assert len(some) == 1
    events = await mixpanel_workspace.events_for_replays(["r1", "r2"])
    assert {r: [(e.event_name, e.event_time) for e in v] for r, v in events.items()} == {
        r: [("Other", (NOW - 10) // 1000)] for r in ("r1", "r2")
    }


async def test_a_walk_over_many_files(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    batches = [rrweb(NOW + 100 * i, 3, i == 0)[::-1] for i in range(23)]  # each file unsorted
    await record(mixpanel_emulator, "long", "u", batches)
    streamed = [
        e async for e in mixpanel_workspace.stream_replay("long", cdn_concurrency=5, max_files=50)
    ]
    assert [e["timestamp"] for e in streamed] == [NOW + 100 * i + j for i in range(23)
                                                   for j in range(3)]  # fmt: skip
    capped = [e async for e in mixpanel_workspace.stream_replay("long", max_files=4)]
    assert len(capped) == 12
    replay = await mixpanel_workspace.fetch_replay("long", cdn_concurrency=7)
    assert (replay.start_time, replay.end_time) == (NOW, NOW + 2202)
    with pytest.raises(ReplayNotFoundError):
        await mixpanel_workspace.fetch_replay("unknown", retention_days=7)


async def test_an_expired_signature(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    await record(mixpanel_emulator, "short", "u", [rrweb(NOW, 2, True)])
    monkeypatch.setattr(replay_routes, "SIGNATURE_TTL", -1)  # every signature born expired
    for re_sign in (True, False):
        with pytest.raises(SignedURLExpiredError):
            await anext(mixpanel_workspace.stream_replay(
                "short", retention_days=30, re_sign_on_expiry=re_sign))  # fmt: skip


async def test_sensitive_replays_are_refused_by_name(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    body = "Forbidden: SESSION_RECORDING_SENSITIVE_DATA is set for this project"
    mixpanel_emulator.add_fault(operation="sign_replays", status=403, body=body, count=1)
    with pytest.raises(SessionReplayAccessError) as caught:
        await mixpanel_workspace.sign_replay("r")
    assert caught.value.status_code == 403
    mixpanel_emulator.add_fault(operation="sign_replays", status=403, body="no", count=1)
    with pytest.raises(APIError) as other:
        await mixpanel_workspace.sign_replay("r")
    assert not isinstance(other.value, SessionReplayAccessError)
