"""The event store keeps one frame sorted by time and hands it to readers without copying: the
rows it returns, their order, the duplicate winners and removals are checked against plain
Python kept beside the store (in ingestion order)."""

from __future__ import annotations

import random

import orjson
import polars as pl
import pytest

from mixpanel_async.emulator import store as store_module
from mixpanel_async.emulator.event_text import stored_text
from mixpanel_async.emulator.store import EventRow, EventStore


def _row(rng: random.Random, n: int) -> EventRow:
    insert_id = f"i{rng.randrange(40)}" if rng.random() < 0.8 else None
    user = f"u{rng.randrange(3)}"
    when = 1_700_000_000_000 + rng.randrange(6) * 700  # few seconds: many ties and rivals
    props: dict[str, object] = {"time": when // 1000, "distinct_id": user}
    if insert_id is not None:
        props["$insert_id"] = insert_id
    # The store keeps texts without their column keys (`event_text`), or whole when those do
    # not lead the object.
    leading = rng.random() < 0.5
    text = stored_text({**props, "n": n}) if leading else orjson.dumps({"n": n, **props}).decode()
    return ("e" if rng.random() < 0.7 else "f", user, when, insert_id, text)


def _batches(seed: int) -> list[list[EventRow]]:
    rng = random.Random(seed)
    count = 0
    out = []
    for _ in range(rng.randrange(1, 12)):
        size = rng.randrange(1, 30)
        out.append([_row(rng, count + i) for i in range(size)])
        count += size
    return out


def _sorted_by_time(rows: list[EventRow]) -> list[EventRow]:
    return [r for _, r in sorted(enumerate(rows), key=lambda p: (p[1][2], p[0]))]


def _mixpanel_dedup(rows: list[EventRow]) -> list[EventRow]:
    last: dict[tuple[object, ...], int] = {}
    for i, (event, user, when, insert_id, _) in enumerate(rows):
        if insert_id is not None:
            last[(event, user, when // 1000, insert_id)] = i
    kept = [
        r for i, r in enumerate(rows) if r[3] is None or last[(r[0], r[1], r[2] // 1000, r[3])] == i
    ]
    return _sorted_by_time(kept)


@pytest.mark.parametrize("frame_rows", [256, 10, 1])  # lists folded into frames: rarely to always
@pytest.mark.parametrize("compact_every", [7, 1000])  # several chunks to sort together, or one
@pytest.mark.parametrize("seed", range(12))
def test_reads_match_plain_python(
    seed: int, frame_rows: int, compact_every: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "COMPACT_EVERY", compact_every)
    monkeypatch.setattr(store_module, "FRAME_ROWS", frame_rows)
    store = EventStore()
    logged: list[EventRow] = []
    for batch in _batches(seed):
        store.append(batch)
        logged += batch
        if seed % 2:  # reads between appends merge the chunks into the sorted frame early
            store.deduped()
    assert store.frame().rows() == logged
    assert store.everything().drop("mp_processing_time_ms").rows() == _sorted_by_time(logged)
    assert store.deduped().rows() == _mixpanel_dedup(logged)
    assert len(store) == len(logged)


@pytest.mark.parametrize("seed", range(6))
def test_removal_takes_positions_in_ingestion_order(seed: int) -> None:
    rng = random.Random(seed)
    store = EventStore()
    logged: list[EventRow] = []
    for batch in _batches(seed):
        store.append(batch)
        logged += batch
    doomed = [rng.random() < 0.3 for _ in logged]
    later = _batches(seed + 100)[0]
    store.append(later)  # after the mask was taken: kept
    assert store.remove(pl.Series(doomed)) == sum(doomed)
    kept = [r for r, gone in zip(logged, doomed, strict=True) if not gone] + later
    assert store.frame().rows() == kept
    assert store.deduped().rows() == _mixpanel_dedup(kept)


def test_readers_share_the_stored_frame() -> None:
    store = EventStore()
    rows = [("e", "u", 1_000 * i, f"i{i}", '{"a":1}') for i in range(100)]
    store.append(rows[50:])
    store.append(rows[:50])  # out of time order: sorted once, on the first read
    deduped = store.deduped()
    assert deduped["time"].to_list() == sorted(r[2] for r in rows)
    assert store.deduped() is deduped
    everything = store.everything()
    as_text = {"event": pl.String, "distinct_id": pl.String}  # held as categoricals
    assert everything.drop("mp_processing_time_ms").cast(as_text).equals(deduped)
    # the same buffer, not a sorted copy per reader
    shared = [everything[name].to_arrow().buffers()[1].address for name in ("time", "insert_id")]
    assert shared == [
        deduped[name].to_arrow().buffers()[1].address for name in ("time", "insert_id")
    ]

    in_order = EventStore()
    in_order.append(rows)
    # Nothing to sort or merge: only the categorical columns are decoded for each reader.
    ours, log = in_order.deduped(), in_order.frame()
    assert ours.equals(log)
    for name in ("time", "insert_id"):
        address = ours[name].to_arrow().buffers()[1].address
        assert address == log[name].to_arrow().buffers()[1].address
