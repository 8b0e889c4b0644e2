"""Mixpanel's nesting limits on ingested events over loopback HTTP ("All nested object
properties must have fewer than 255 keys and a max nesting depth is 3. All array properties
must have fewer than 255 elements": Import Events and Track Events pages): `/import?strict=1`
reports the offending events and keeps the others; `/track` drops them."""

from __future__ import annotations

import time
import uuid
from typing import Any

import aiohttp
import orjson

from mixpanel_async.emulator import Emulator


def ev(name: str, **props: Any) -> dict[str, Any]:
    """An event of now with a fresh $insert_id."""
    iid = uuid.uuid4().hex
    properties = {"distinct_id": "u1", "time": int(time.time()), "$insert_id": iid, **props}
    return {"event": name, "properties": properties}


def deep(levels: int) -> Any:
    """A value of `levels` nested objects ({"k": {"k": ...{}}})."""
    value: Any = {}
    for _ in range(levels - 1):
        value = {"k": value}
    return value


ACCEPTED = [
    ev("keys 254", obj={str(i): i for i in range(254)}),
    ev("array 254", arr=list(range(254))),
    ev("depth 3", obj=deep(3)),
    ev("array depth 3", arr=[[{"a": 1}]]),
    ev("flat", plan="pro", n=1.5, ok=True, none=None),
]
REFUSED = [
    ev("keys 255", obj={str(i): i for i in range(255)}),
    ev("array 255", arr=list(range(255))),
    ev("depth 4", obj=deep(4)),
    ev("array depth 4", arr=[[[{"a": 1}]]]),
    ev("inner array 300", obj={"list": list(range(300))}),
]


async def test_import_strict_refuses_events_past_the_limits(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    batch = [*ACCEPTED, *REFUSED]
    async with http.post(emu.url + "/import?strict=1", data=orjson.dumps(batch)) as resp:
        status, body = resp.status, await resp.json()
    assert status == 400
    assert body["num_records_imported"] == len(ACCEPTED)
    failed = body["failed_records"]
    first = len(ACCEPTED)
    assert [f["index"] for f in failed] == list(range(first, first + len(REFUSED)))
    assert [f["field"] for f in failed] == ["properties.obj", "properties.arr",
                                            "properties.obj", "properties.arr",
                                            "properties.obj"]  # fmt: skip
    assert [f["$insert_id"] for f in failed] == [e["properties"]["$insert_id"] for e in REFUSED]
    assert sorted(e["event"] for e in emu.events()) == sorted(e["event"] for e in ACCEPTED)


async def test_track_drops_events_past_the_limits(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    batch = [ACCEPTED[0], REFUSED[2]]
    async with http.post(emu.url + "/track", data={"data": orjson.dumps(batch).decode()}) as resp:
        assert (resp.status, await resp.text()) == (200, "1")
    assert [e["event"] for e in emu.events()] == ["keys 254"]
