"""The emulator's recording routes without a browser: `/record/` batches (plain and gzipped),
the `$mp_session_record` event of a new replay, and Mixpanel-shaped refusals of bad input."""

from __future__ import annotations

import base64
import gzip
import json
import time

import aiohttp

from mixpanel_async.emulator import Emulator

TOKEN = "rec-token"
AUTH = {"Authorization": "Basic " + base64.b64encode(f"{TOKEN}:".encode()).decode()}


def batch(start_ms: int, n: int) -> list[dict[str, object]]:
    """`n` rrweb-shaped events from `start_ms`, a full snapshot first."""
    return [{"type": 2 if i == 0 else 3, "data": {"i": i}, "timestamp": start_ms + i}
            for i in range(n)]  # fmt: skip


async def test_batches_are_stored_in_sequence(emu: Emulator, http: aiohttp.ClientSession) -> None:
    start = int(time.time() * 1000)
    query = {"replay_id": "r1", "distinct_id": "u1", "replay_start_time": str(start / 1000)}
    body0 = json.dumps(batch(start, 3)).encode()
    async with http.post(emu.url + "/record/", params={**query, "seq": "0", "format": "body"},
                         data=body0, headers=AUTH) as r:  # fmt: skip
        assert (r.status, await r.json()) == (200, {"code": 200, "status": "OK"})
    body1 = gzip.compress(json.dumps(batch(start + 10, 2)).encode())
    async with http.post(emu.url + "/record/", params={**query, "seq": "1", "format": "gzip"},
                         data=body1, headers=AUTH) as r:  # fmt: skip
        assert r.status == 200
    (record,) = [e for e in emu.events() if e["event"] == "$mp_session_record"]
    props = record["properties"]
    assert (props["distinct_id"], props["$mp_replay_id"]) == ("u1", "r1")
    assert props["$mp_replay_retention_period"] == 30
    assert props["time"] == start // 1000
    recording = emu.state.default.replays["r1"]
    assert [len(f) for f in recording.files()] == [3, 2]


async def test_bad_batches_are_refused(emu: Emulator, http: aiohttp.ClientSession) -> None:
    query = {"replay_id": "r2", "distinct_id": "u", "seq": "0"}
    for params, body in (
        (query, b"not json"),
        (query, b'{"type": 2}'),
        ({**query, "format": "gzip"}, b"[]"),
        ({"replay_id": "r2", "seq": "0"}, b"[]"),
        ({**query, "seq": "x"}, b"[]"),
    ):
        async with http.post(emu.url + "/record/", params=params, data=body, headers=AUTH) as r:
            assert r.status == 400, params
    assert emu.state.default.replays == {}
    assert emu.events() == []


async def test_signing_needs_replay_ids(emu: Emulator, http: aiohttp.ClientSession) -> None:
    url = emu.url + "/api/app/projects/1/replays/sign/bulk"
    for body in ({}, {"replays": "r"}, {"replays": [{"replay_id": ""}]}):
        async with http.post(url, json=body) as r:
            assert r.status == 400
            assert (await r.json())["status"] == "error"


async def test_the_token_picks_the_project(http: aiohttp.ClientSession) -> None:
    async with Emulator(port=0, projects=["42:tok42:sec42"], strict_auth=True) as strict:
        params = {"replay_id": "r3", "distinct_id": "u", "seq": "0"}
        body = json.dumps(batch(int(time.time() * 1000), 1))
        for user, status in (("tok42", 200), ("nope", 401), ("", 401)):
            auth = {"Authorization": "Basic " + base64.b64encode(f"{user}:".encode()).decode()}
            async with http.post(strict.url + "/record/", params=params, data=body,
                                 headers=auth) as r:  # fmt: skip
                assert r.status == status, user
        assert list(strict.state.by_id("42").replays) == ["r3"]  # type: ignore[union-attr]
        assert [e["event"] for e in strict.events("42")] == ["$mp_session_record"]
