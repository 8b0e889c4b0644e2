"""Mixpanel's profile limits over loopback HTTP ("each individual update ... a maximum of 1 MB";
"Attempts to add more than 2000 user properties for a user profile will fail"): the offending
update is refused and changes nothing, the others of the batch apply."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import aiohttp
import orjson

from mixpanel_async.emulator import Emulator


async def engage(http: aiohttp.ClientSession, emu: Emulator, path: str, updates: object) -> str:
    """POST a form batch to /engage or /groups with verbose answers; the answer text."""
    form = urlencode({"data": orjson.dumps(updates).decode(), "verbose": "1"}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    async with http.post(emu.url + path, data=io.BytesIO(form), headers=headers) as resp:
        return await resp.text()


async def test_update_over_a_megabyte_is_refused(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    big = "x" * (1024 * 1024)
    updates = [
        {"$token": "t", "$distinct_id": "big", "$set": {"blob": big}},
        {"$token": "t", "$distinct_id": "small", "$set": {"plan": "pro"}},
    ]
    assert orjson.loads(await engage(http, emu, "/engage", updates))["status"] == 1  # one applied
    answer = orjson.loads(await engage(http, emu, "/engage", updates[:1]))
    assert answer["status"] == 0
    assert "1MB" in answer["error"]
    profiles = emu.state.default.profiles
    assert "big" not in profiles
    assert profiles["small"]["plan"] == "pro"
    group = [{"$token": "t", "$group_key": "company", "$group_id": "c", "$set": {"blob": big}}]
    assert orjson.loads(await engage(http, emu, "/groups", group))["status"] == 0
    assert not emu.state.default.groups


async def test_a_profile_holds_at_most_2000_properties(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    first = {f"p{i}": i for i in range(1990)}
    ok = [{"$token": "t", "$distinct_id": "u", "$set": first}]
    assert orjson.loads(await engage(http, emu, "/engage", ok))["status"] == 1
    more = {f"q{i}": i for i in range(10)}  # exactly 2000
    ok = [{"$token": "t", "$distinct_id": "u", "$set": more}]
    assert orjson.loads(await engage(http, emu, "/engage", ok))["status"] == 1
    over = [{"$token": "t", "$distinct_id": "u", "$set": {"one_more": 1}}]
    answer = orjson.loads(await engage(http, emu, "/engage", over))
    assert answer["status"] == 0
    assert "2000" in answer["error"]
    profile = emu.state.default.profiles["u"]
    assert "one_more" not in profile
    assert len(profile) - ("$last_seen" in profile) == 2000
    shrink = [{"$token": "t", "$distinct_id": "u", "$unset": ["p0"], "$set": {"p1": -1}}]
    assert orjson.loads(await engage(http, emu, "/engage", shrink))["status"] == 1
