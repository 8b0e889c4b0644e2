"""Raw property columns cut from row slices in parallel equal the ones cut in one pass."""

from __future__ import annotations

import random

import orjson
import polars as pl
import pytest

from mixpanel_async.emulator.engine import rows


def _frame(n: int) -> pl.DataFrame:
    rng = random.Random(7)
    texts = []
    for i in range(n):
        props: dict[str, object] = {"distinct_id": f"u{i % 97}", "time": i}
        if rng.random() < 0.7:
            props["plan"] = rng.choice(["free", "pro", 3, 2.5, True, None])
        if rng.random() < 0.5:
            props["country"] = rng.choice(["US", "FR", "DE"])
        texts.append(orjson.dumps(props).decode())
    return pl.DataFrame({"properties": texts})


def test_slices_give_the_same_columns_as_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = _frame(5_000)
    columns = [
        pl.col("properties").str.extract_all('"plan":[^,}]*').list.last().alias("plan"),
        pl.col("properties").str.contains("country").alias("has_country"),
    ]
    whole = frame.select(columns)
    monkeypatch.setattr(rows, "_MIN_PART", 1_000)  # 4 slices of 1,250 rows
    sliced = rows._parallel_select(frame, columns)
    assert sliced.equals(whole)
    # A selection too small to slice takes the one-pass path.
    monkeypatch.setattr(rows, "_MIN_PART", 10_000)
    assert rows._parallel_select(frame, columns).equals(whole)
