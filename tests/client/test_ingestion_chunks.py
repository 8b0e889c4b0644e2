"""`import_events` passes a chunk of common-shape events whole (one check per field for the
chunk) instead of record by record: the chunk test must never pass a chunk that the per-record
path would change or refuse, and bad records must still be refused before anything is sent, with
their input index."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace, ParamValidationError
from mixpanel_async.bulk.records import event, sent_as_they_are
from mixpanel_async.emulator import Emulator

T = 1_720_000_000


def common(i: int) -> dict[str, Any]:
    return {
        "event": ("Open", "Click")[i % 2],
        "properties": {"time": T + i, "distinct_id": f"u{i % 5}", "$insert_id": f"c-{i}", "i": i},
    }


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], Any]:
    def change(e: dict[str, Any]) -> Any:
        e["properties"][key] = value
        return e

    return change


def _drop(key: str) -> Callable[[dict[str, Any]], Any]:
    def change(e: dict[str, Any]) -> Any:
        del e["properties"][key]
        return e

    return change


CHANGES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "float time": _set("time", T + 0.5),
    "millisecond time": _set("time", T * 1000),
    "bool time": _set("time", True),
    "text time": _set("time", "2024-07-01"),
    "no time": _drop("time"),
    "numeric distinct_id": _set("distinct_id", 7),
    "no distinct_id": _drop("distinct_id"),
    "no $insert_id": _drop("$insert_id"),
    "empty $insert_id": _set("$insert_id", ""),
    "37-character $insert_id": _set("$insert_id", "a" * 37),
    "36-character $insert_id": _set("$insert_id", "a-" * 18),
    "$insert_id with _": _set("$insert_id", "a_b"),
    "$insert_id with é": _set("$insert_id", "é"),
    "numeric $insert_id": _set("$insert_id", 3),
    "empty name": lambda e: {**e, "event": ""},
    "no name": lambda e: {"properties": e["properties"]},
    "normalised shape": lambda e: {
        "event_name": e["event"],
        "event_time": e["properties"]["time"],
        "distinct_id": "u",
        "properties": {},
    },
    "properties not a dict": lambda e: {**e, "properties": [1]},
    "not a dict": lambda e: "junk",
}


def test_a_common_chunk_passes_whole_and_is_what_event_returns() -> None:
    chunk = [common(i) for i in range(40)]
    assert sent_as_they_are(chunk)
    assert all(event(record, i) is record for i, record in enumerate(chunk))


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_chunk_passes_whole_only_if_each_record_would_go_unchanged(change: str) -> None:
    chunk = [common(i) for i in range(10)]
    chunk[4] = CHANGES[change](copy.deepcopy(chunk[4]))
    unchanged = True
    for i, record in enumerate(chunk):
        try:
            unchanged = unchanged and event(record, i) is record
        except ParamValidationError:
            unchanged = False
    assert sent_as_they_are(chunk) == unchanged


@pytest.mark.parametrize("lazy", [False, True])
async def test_a_bad_record_after_good_chunks_is_refused_with_its_index(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace, lazy: bool
) -> None:
    records = [common(i) for i in range(25)]
    records[23]["properties"]["$insert_id"] = "not valid!"
    source: Any = iter(records) if lazy else records
    with pytest.raises(ParamValidationError, match="event 23"):
        await mixpanel_workspace.import_events(source, batch_size=10)
    if not lazy:  # a list is checked whole first: nothing was sent
        assert len(mixpanel_emulator.state.default.events) == 0


@pytest.mark.parametrize("lazy", [False, True])
async def test_whole_and_per_record_chunks_mix(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace, lazy: bool
) -> None:
    records = [common(i) for i in range(30)]
    del records[12]["properties"]["$insert_id"]  # its chunk goes record by record
    source: Any = iter(records) if lazy else records
    result = await mixpanel_workspace.import_events(source, batch_size=10)
    assert (result.sent, result.imported, result.batches) == (30, 30, 3)
    stored = mixpanel_emulator.state.default.events.frame()
    assert sorted(stored["properties"].str.json_path_match("$.i").cast(int).to_list()) == list(
        range(30)
    )
    assert stored["insert_id"].null_count() == 0  # the one without an id was given one
