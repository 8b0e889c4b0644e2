"""The query engines' per-frame cache (`engine.frame_cache`) is bounded by bytes as well as by
entries: the least recently used values go first, and what it counts is checked by hand."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest

from mixpanel_async.emulator.engine import frame_cache


@pytest.fixture(autouse=True)
def empty() -> Iterator[None]:
    frame_cache.clear_cache()
    yield
    frame_cache.clear_cache()


def test_footprint_counts_columns_and_string_views() -> None:
    numbers = pl.Series("n", range(1000), dtype=pl.Int64)
    texts = pl.Series("t", ["x" * 40] * 1000)
    assert frame_cache.footprint(numbers) == 8 * 1000
    assert frame_cache.footprint(texts, shares_texts=True) == 16 * 1000
    assert frame_cache.footprint(texts) == 16 * 1000 + texts.estimated_size()
    frame = pl.DataFrame([numbers, texts])
    assert frame_cache.footprint(frame, shares_texts=True) == 8 * 1000 + 16 * 1000
    assert frame_cache.footprint((numbers, [numbers, "other"])) == 2 * 8 * 1000


def test_least_recently_used_values_go_past_the_byte_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(frame_cache, "CACHE_BYTES", 20_000)
    frame = pl.DataFrame({"a": [1]})
    value = {k: pl.Series(k, range(1000), dtype=pl.Int64) for k in "abcd"}  # 8,000 bytes each
    for key in "abc":
        frame_cache.cached(frame, (key,), lambda key=key: value[key])
    # a and b fit (16,000); c pushed the total to 24,000, so a (the oldest) went.
    assert frame_cache.hit(frame, ("a",)) is None
    assert frame_cache.cache_bytes() == 16_000
    assert frame_cache.cached(frame, ("b",), lambda: None) is value["b"]  # b is used again
    frame_cache.cached(frame, ("d",), lambda: value["d"])
    assert frame_cache.hit(frame, ("c",)) is None  # c was the least recently used
    assert frame_cache.hit(frame, ("b",)) is value["b"]
    assert frame_cache.cache_bytes() == 16_000


def test_one_value_larger_than_the_bound_is_still_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frame_cache, "CACHE_BYTES", 100)
    frame = pl.DataFrame({"a": [1]})
    big = pl.Series("big", range(1000), dtype=pl.Int64)
    frame_cache.cached(frame, ("small",), lambda: pl.Series("s", [1], dtype=pl.Int8))
    frame_cache.cached(frame, ("big",), lambda: big)
    assert frame_cache.hit(frame, ("big",)) is big
    assert frame_cache.hit(frame, ("small",)) is None


def test_values_go_with_their_frame() -> None:
    frame = pl.DataFrame({"a": [1]})
    frame_cache.cached(frame, ("k",), lambda: pl.Series("v", range(10)))
    assert frame_cache.cache_bytes() > 0
    del frame
    assert frame_cache.cache_bytes() == 0
