"""`/import`'s whole-batch path: a batch of common-shape events is checked field by field for
the whole batch at once. Whatever a batch holds, what is stored and what is refused must be what
deciding each record alone (`normalize_event`) gives; and over HTTP, export gives back exactly
the properties that were sent."""

from __future__ import annotations

import copy
import time
from typing import Any

import aiohttp
import orjson
import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.engine.ingest import (
    _PLACEHOLDER_IDS,
    _PLACEHOLDER_SPELLINGS,
    RecordError,
    _whole_batch,
    import_records,
    normalize_event,
)
from mixpanel_async.emulator.event_text import full_properties
from mixpanel_async.emulator.store import ProjectState

NOW_MS = 1_800_000_000_000
T = 1_700_000_000


def common(i: int) -> dict[str, Any]:
    """A well-formed event in the shape most clients send."""
    return {
        "event": ("Sign Up", "Log In", "Purchase")[i % 3],
        "properties": {
            "time": T + i,
            "distinct_id": f"user-{i % 7}",
            "$insert_id": f"ins-{i}",
            "plan": ("free", "pro")[i % 2],
            "amount": i * 0.5,
            "count": i,
            "ok": i % 2 == 0,
        },
    }


def _set(key: str, value: Any) -> Any:
    def change(event: dict[str, Any]) -> Any:
        event["properties"][key] = value
        return event

    return change


def _drop(key: str) -> Any:
    def change(event: dict[str, Any]) -> Any:
        event["properties"].pop(key)
        return event

    return change


def _top(key: str, value: Any) -> Any:
    def change(event: dict[str, Any]) -> Any:
        event[key] = value
        return event

    return change


CHANGES: dict[str, Any] = {
    "no time": _drop("time"),
    "float time": _set("time", T + 0.5),
    "integral float time": _set("time", float(T)),
    "time in milliseconds": _set("time", T * 1000 + 7),
    "bool time": _set("time", True),
    "text time": _set("time", "1700000000"),
    "time before 1971": _set("time", 1_000),
    "time within the hour ahead": _set("time", NOW_MS // 1000 + 60),
    "time days ahead": _set("time", NOW_MS // 1000 + 86_400 * 3),
    "token": _set("token", "abc"),
    "no distinct_id": _drop("distinct_id"),
    "empty distinct_id": _set("distinct_id", ""),
    "numeric distinct_id": _set("distinct_id", 42),
    "placeholder distinct_id": _set("distinct_id", "NuLL"),
    "placeholder distinct_id 2": _set("distinct_id", "Anonymous"),
    "distinct_id 0": _set("distinct_id", "0"),
    "placeholder distinct_id with a Kelvin sign": _set("distinct_id", "UN\u212aNOWN"),
    "non-ASCII distinct_id": _set("distinct_id", "usér"),
    "no $insert_id": _drop("$insert_id"),
    "null $insert_id": _set("$insert_id", None),
    "empty $insert_id": _set("$insert_id", ""),
    "long $insert_id": _set("$insert_id", "a" * 37),
    "36-character $insert_id": _set("$insert_id", "a-" * 18),
    "$insert_id with _": _set("$insert_id", "a_b"),
    "$insert_id with é": _set("$insert_id", "abé"),
    "$insert_id with a newline": _set("$insert_id", "a\nb"),
    "placeholder $insert_id": _set("$insert_id", "UNDEFINED"),
    "numeric $insert_id": _set("$insert_id", 5),
    "braces in a string": _set("note", "a {b} [c] {"),
    "shallow object": _set("obj", {"a": 1, "b": [1, 2]}),
    "too deep": _set("obj", {"a": {"b": {"c": {"d": 1}}}}),
    "long list": _set("list", list(range(300))),
    "254 properties": lambda e: e["properties"].update({f"p{i}": i for i in range(247)}) or e,
    "255 properties": lambda e: e["properties"].update({f"p{i}": i for i in range(248)}) or e,
    "unserialisable": _set("big", 10**30),
    "over 1 MB": _set("blob", "x" * (1024 * 1024)),
    "over 1 MB in UTF-8, not in characters": _set("blob", "é" * 600_000),
    "under 1 MB in UTF-8, wide characters": _set("blob", "é" * 500_000),
    "non-ASCII value": _set("city", "Zürich ☃"),
    "escaped newline in a value": _set("text", "a\nb"),
    "empty name": _top("event", ""),
    "numeric name": _top("event", 7),
    "properties a list": _top("properties", []),
    "no properties": lambda e: {"event": e["event"]},
    "identity event": _top("event", "$identify"),
    "$user_id": _set("$user_id", "known-1"),
    "$device_id": _set("$device_id", "dev-1"),
    "$device_id as a value": _set("x", "$device_id"),
    "a list, not an event": lambda e: [e],
    "a string, not an event": lambda e: "junk",
}


def per_record(records: list[Any], mode: str) -> tuple[list[tuple[Any, ...]], list[int]]:
    """What deciding each record alone gives (then identity merging, reading every row): the
    rows kept, and the refused indexes."""
    rows, refused = [], []
    for index, record in enumerate(records):
        try:
            rows.append(normalize_event(record, index=index, now_ms=NOW_MS, mode=mode))  # type: ignore[arg-type]
        except RecordError:
            refused.append(index)
    merged = ProjectState("1").identity.observe(rows, imported=mode == "import")  # reads every row
    return merged, refused


def stored(records: list[Any], mode: str = "import") -> tuple[list[tuple[Any, ...]], list[int]]:
    project = ProjectState("1")
    result = import_records(project, records, mode=mode, strict=True, now_ms=NOW_MS)  # type: ignore[arg-type]
    assert result.num_imported == project.events.frame().height
    return project.events.frame().rows(), [f.index for f in result.failed]


def test_a_common_batch_is_stored_as_each_record_alone_would_be() -> None:
    records = [common(i) for i in range(50)]
    assert _whole_batch(records, NOW_MS, False) is not None  # the path under test is taken
    mine, refused = stored(records)
    expected, none = per_record(records, "import")
    assert (mine, refused) == (expected, none)
    assert not none
    # the texts are the properties as sent, in their order
    whole = [full_properties(r[4], r[2], r[1], r[3]) for r in mine]
    assert [list(p.items()) for p in whole] == [list(r["properties"].items()) for r in records]


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_one_unusual_record_in_a_common_batch(change: str) -> None:
    records = [common(i) for i in range(20)]
    records[7] = CHANGES[change](copy.deepcopy(records[7]))
    before = copy.deepcopy(records)
    assert stored(records) == per_record(records, "import")
    assert records == before  # the caller's records are never changed


def test_the_size_limit_counts_utf8_bytes_not_characters() -> None:
    records = [common(i) for i in range(3)]
    records[1]["properties"]["blob"] = "é" * 600_000  # 600,000 characters, 1.2 MB
    records[2]["properties"]["blob"] = "é" * 500_000  # 1.0 MB: within the limit
    assert stored(records)[1] == [1]


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_record_unusual_the_same_way(change: str) -> None:
    records = [CHANGES[change](common(i)) for i in range(5)]
    assert stored(records) == per_record(records, "import")


def test_no_insert_ids_at_all_and_track_mode() -> None:
    records = [_drop("$insert_id")(common(i)) for i in range(10)]
    assert stored(records) == per_record(records, "import")
    recent = [_set("time", NOW_MS // 1000 - 3600 - i)(common(i)) for i in range(10)]
    assert stored(recent, "track") == per_record(recent, "track")
    old = [*recent, common(0)]  # 2023: outside /track's 5 days
    assert stored(old, "track") == per_record(old, "track")


async def test_import_over_http_gives_back_what_was_sent(emu: Emulator) -> None:
    now = int(time.time())
    events: list[dict[str, Any]] = [
        {"event": "Played", "properties": {"time": now - 3600 - i, "distinct_id": f"u{i % 3}",
                                            "$insert_id": f"id-{i}", "level": i, "hero": "Zoë",
                                            "score": i / 4, "won": i % 2 == 1}}
        for i in range(300)
    ]  # fmt: skip
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            emu.url + "/import?strict=1",
            data=orjson.dumps(events),
            headers={"Content-Type": "application/json"},
        ) as resp,
    ):
        assert resp.status == 200
        assert await resp.json() == {"code": 200, "num_records_imported": 300, "status": "OK"}
    got = sorted(emu.events(), key=lambda e: e["properties"]["$insert_id"])
    want = sorted(events, key=lambda e: e["properties"]["$insert_id"])
    assert [(e["event"], {k: v for k, v in e["properties"].items() if k != "mp_processing_time_ms"})
            for e in got] == [(e["event"], e["properties"]) for e in want]  # fmt: skip


def test_the_placeholder_spellings_are_every_string_lowering_to_one() -> None:
    lowering_to: dict[str, set[str]] = {}
    for point in range(0x110000):
        char = chr(point)
        lowering_to.setdefault(char.lower(), set()).add(char)
    for placeholder in _PLACEHOLDER_IDS:
        count = 1
        for char in placeholder:
            count *= len(lowering_to[char])
        spelt = {s for s in _PLACEHOLDER_SPELLINGS if s.lower() == placeholder}
        assert len(spelt) == count, placeholder
    assert all(s.lower() in _PLACEHOLDER_IDS for s in _PLACEHOLDER_SPELLINGS)
