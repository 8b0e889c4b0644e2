"""The flat-text flags the event store computes at ingestion follow the deduplicated rows and
agree with a per-row check written here, and expressions read the same with or without them."""

from __future__ import annotations

import datetime as dt

import orjson
import polars as pl
import pytest

from mixpanel_async.emulator import flat_texts
from mixpanel_async.emulator import store as store_module
from mixpanel_async.emulator.engine import expressions, rows
from mixpanel_async.emulator.store import EventStore

TEXTS = [
    '{"plan":"free","n":1}',
    '{"plan":"pro","tags":["a"]}',
    '{"plan":"x\\"y"}',
    '{"o":{"plan":"inner"},"plan":"free"}',
    '{"plan":"free","plan":"pro"}',
]


def _flat_by_hand(text: str) -> bool:
    return not any(c in "[{\\" for c in text[1:])


def test_flags_follow_dedup_and_match_a_direct_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "COMPACT_EVERY", 1)  # a chunk per row, merged past 16
    store = EventStore()
    for i in range(30):
        text = TEXTS[i % len(TEXTS)]
        insert_id = f"id{i % 7}" if i % 3 else None
        store.append([("e", f"u{i % 4}", 1_000 * (30 - i), insert_id, text)])
    frame = store.deduped()
    flags = flat_texts.flat_rows(frame)
    assert flags is not None
    assert flags.to_list() == [_flat_by_hand(t) for t in frame["properties"]]
    node = expressions.parse('properties["plan"] == "free"')
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    got = rows.evaluate(rows.select_rows(frame, None, 0, 10**9), node, "truth", now)
    want = [orjson.loads(t).get("plan") == "free" for t in frame["properties"]]
    assert got.to_list() == want
    copy = frame.clone()  # not from the store: flags are computed per query
    assert flat_texts.flat_rows(copy) is None
    rows.clear_cache()
    assert (
        rows.evaluate(rows.select_rows(copy, None, 0, 10**9), node, "truth", now).to_list() == want
    )


def test_replace_and_clear_keep_flags_aligned() -> None:
    store = EventStore()
    store.replace(
        pl.DataFrame(
            {"event": ["e"] * 2, "distinct_id": ["a", "b"], "time": [2, 1],
             "insert_id": [None, None], "properties": [TEXTS[1], TEXTS[0]]}
        )
    )  # fmt: skip
    flags = flat_texts.flat_rows(store.deduped())
    assert flags is not None
    assert flags.to_list() == [True, False]
    store.clear()
    assert store.deduped().height == 0
