"""ID merge over loopback HTTP: events sent under several ids of one user read back under the
cluster's canonical id, in export and in queries.

The expected ids are written out by hand from the user flows of Mixpanel's "Identifying Users
(Simplified)" page (tables of `$device_id`, `$user_id` and the `distinct_id` Mixpanel sets),
not computed by the emulator's code.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import aiohttp
import orjson

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.engine.identity import IdentityMap
from tests.emulator.conftest import query_get

NOW = int(time.time())
TODAY = time.strftime("%Y-%m-%d", time.gmtime(NOW))


def event(name: str, n: int, **props: Any) -> dict[str, Any]:
    """An event `n` seconds into the last hour, with its own `$insert_id`."""
    return {
        "event": name,
        "properties": {"time": NOW - 3600 + n, "$insert_id": f"e{n}-{name[:8]}", **props},
    }


async def track(http: aiohttp.ClientSession, emu: Emulator, *events: dict[str, Any]) -> None:
    form = {"data": orjson.dumps(list(events)).decode()}
    async with http.post(emu.url + "/track", data=form) as r:
        assert (r.status, await r.text()) == (200, "1")


async def import_(http: aiohttp.ClientSession, emu: Emulator, *events: dict[str, Any]) -> Any:
    async with http.post(emu.url + "/import", json=list(events)) as r:
        return r.status, await r.json()


async def exported(http: aiohttp.ClientSession, emu: Emulator) -> list[tuple[str, str]]:
    """(event, distinct_id) of every exported line, in time order."""
    params = {"from_date": TODAY, "to_date": TODAY}
    async with http.get(emu.url + "/api/2.0/export", params=params) as r:
        assert r.status == 200
        lines = (await r.read()).splitlines()
    return [(e["event"], e["properties"]["distinct_id"]) for e in map(orjson.loads, lines)]


async def uniques(http: aiohttp.ClientSession, emu: Emulator, name: str) -> int:
    status, body = await query_get(
        http, emu, "/segmentation", event=name, from_date=TODAY, to_date=TODAY, type="unique"
    )
    assert status == 200, body
    return int(body["data"]["values"][name][TODAY])


async def test_returning_user_on_a_new_device(emu: Emulator, http: aiohttp.ClientSession) -> None:
    await track(
        http,
        emu,
        event("View", 1, **{"$device_id": "D1", "distinct_id": "$device:D1"}),
        event("View", 2, **{"$device_id": "D1", "distinct_id": "$device:D1"}),
        event("Login", 3, **{"$device_id": "D1", "$user_id": "U1"}),
        event("View", 4, **{"$device_id": "D2"}),  # no distinct_id: Mixpanel sets $device:D2
    )
    assert Counter(d for _, d in await exported(http, emu)) == {"U1": 3, "$device:D2": 1}
    assert await uniques(http, emu, "View") == 2
    await track(http, emu, event("Login", 5, **{"$device_id": "D2", "$user_id": "U1"}))
    # Retroactively: every event of both devices is U1's now.
    assert {d for _, d in await exported(http, emu)} == {"U1"}
    assert await uniques(http, emu, "View") == 1


async def test_multiple_users_one_device(emu: Emulator, http: aiohttp.ClientSession) -> None:
    await track(
        http,
        emu,
        event("View", 1, **{"$device_id": "D1"}),
        event("Login", 2, **{"$device_id": "D1", "$user_id": "U1"}),
        event("View", 3, **{"$device_id": "D2"}),
        event("View", 4, **{"$device_id": "D2"}),
        event("Login", 5, **{"$device_id": "D2", "$user_id": "U2"}),
        # D1 already belongs to U1: another user on it does not move it.
        event("Login", 6, **{"$device_id": "D1", "$user_id": "U2"}),
    )
    assert [d for _, d in await exported(http, emu)] == ["U1", "U1", "U2", "U2", "U2", "U2"]
    assert await uniques(http, emu, "View") == 2


async def test_original_merge_events(emu: Emulator, http: aiohttp.ClientSession) -> None:
    await track(
        http,
        emu,
        event("A", 1, distinct_id="anon-1"),
        event("A", 2, distinct_id="old-alias"),
        event("A", 3, distinct_id="other"),
        event("A", 4, distinct_id="not-merged"),
        {"event": "$identify", "properties": {"$identified_id": "U", "$anon_id": "anon-1"}},
        {"event": "$create_alias", "properties": {"distinct_id": "U", "alias": "old-alias"}},
        # $merge counts from /import only, as Mixpanel documents.
        {"event": "$merge", "properties": {"$distinct_ids": ["U", "not-merged"]}},
    )
    by_event = await exported(http, emu)
    assert [d for e, d in by_event if e == "A"] == ["U", "U", "other", "not-merged"]
    # Mixpanel's $merge payload has neither time, distinct_id nor $insert_id.
    merge = {"event": "$merge", "properties": {"$distinct_ids": ["U", "other"]}}
    status, body = await import_(http, emu, merge)
    assert (status, body["num_records_imported"]) == (200, 1)
    assert [d for e, d in await exported(http, emu) if e == "A"] == ["U", "U", "U", "not-merged"]
    assert await uniques(http, emu, "A") == 2
    # The identity events are stored like any other.
    assert {e for e, _ in await exported(http, emu)} >= {"$identify", "$create_alias", "$merge"}


async def test_identify_never_takes_an_id_from_another_cluster(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    await track(
        http,
        emu,
        event("A", 1, distinct_id="visitor"),
        {"event": "$identify", "properties": {"$identified_id": "U1", "$anon_id": "visitor"}},
        {"event": "$identify", "properties": {"$identified_id": "U2", "$anon_id": "visitor"}},
        {"event": "$create_alias", "properties": {"distinct_id": "U2", "alias": "visitor"}},
    )
    assert [d for e, d in await exported(http, emu) if e == "A"] == ["U1"]


async def test_reset_forgets_the_clusters(emu: Emulator, http: aiohttp.ClientSession) -> None:
    await track(http, emu, event("Login", 1, **{"$device_id": "D", "$user_id": "U"}))
    emu.reset()
    await track(http, emu, event("View", 2, distinct_id="D"))
    assert await exported(http, emu) == [("View", "D")]


def test_map_clusters_and_canonical_ids() -> None:
    ids = IdentityMap()
    row = ("e", "", 0, None, '{"$device_id":"d","$user_id":7,"time":0,"distinct_id":""}')
    (out,) = ids.observe([row], imported=False)
    assert out[1] == "7"
    assert orjson.loads(out[4])["distinct_id"] == "7"
    assert ids.cluster("d") == {"7", "d", "$device:d"}
    assert ids.canonical("$device:d") == "7"
    merge = orjson.dumps({"$distinct_ids": ["x", "7"], "time": 0, "distinct_id": ""}).decode()
    ids.observe([("$merge", "", 0, None, merge)], imported=False)
    assert ids.canonical("7") == "7"  # not from /import: no effect
    ids.observe([("$merge", "", 0, None, merge)], imported=True)
    assert ids.canonical("d") == "x"
    assert len(ids) == 3


async def test_clusters_survive_a_restart_with_a_data_dir(
    http: aiohttp.ClientSession, tmp_path: Any
) -> None:
    async with Emulator(port=0, data_dir=tmp_path) as first:
        await track(
            http,
            first,
            event("View", 1, **{"$device_id": "D9"}),
            event("Login", 2, **{"$device_id": "D9", "$user_id": "U9"}),
        )
    async with Emulator(port=0, data_dir=tmp_path) as again:
        assert await exported(http, again) == [("View", "U9"), ("Login", "U9")]
        await track(http, again, event("View", 3, distinct_id="D9"))
        assert [d for _, d in await exported(http, again)] == ["U9", "U9", "U9"]


async def test_profile_updates_by_any_id_reach_the_canonical_profile(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    await track(http, emu, event("Login", 1, **{"$device_id": "D5", "$user_id": "U5"}))
    for distinct_id, props in (("U5", {"plan": "pro"}), ("$device:D5", {"seats": 3})):
        update = {"$token": "t", "$distinct_id": distinct_id, "$set": props}
        form = {"data": orjson.dumps(update).decode()}
        async with http.post(emu.url + "/engage", data=form) as r:
            assert (r.status, await r.text()) == (200, "1")
    (profile,) = emu.profiles()
    assert profile["$distinct_id"] == "U5"
    assert {k: v for k, v in profile["$properties"].items() if k != "$last_seen"} == {
        "plan": "pro",
        "seats": 3,
    }
