"""Raw property columns cut from row slices in parallel equal the ones cut in one pass."""

from __future__ import annotations

import random

import orjson
import polars as pl
import pytest

from mixpanel_async.emulator.engine import raw_text


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
    monkeypatch.setattr(raw_text, "_MIN_PART", 1_000)  # 4 slices of 1,250 rows
    sliced = raw_text.parallel_select(frame, columns)
    assert sliced.equals(whole)
    # A selection too small to slice takes the one-pass path.
    monkeypatch.setattr(raw_text, "_MIN_PART", 10_000)
    assert raw_text.parallel_select(frame, columns).equals(whole)


def test_a_filtered_selection_reads_the_same_after_its_texts_are_copied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import datetime as dt

    from mixpanel_async.emulator.engine import rows
    from mixpanel_async.emulator.engine.expressions import parse

    frame = _frame(5_000).with_columns(
        event=pl.Series([("a", "b", "c")[i % 3] for i in range(5_000)]),
        distinct_id=pl.lit("u"),
        time=pl.int_range(0, 5_000, eager=True),
    )
    node = parse('properties["plan"] == "free" or properties["country"] == "FR"')
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def verdicts() -> list[bool]:
        rows.clear_cache()
        chosen = rows.select_rows(frame, ["a", "c"], 0, 10**9)
        assert chosen.scattered
        return list(rows.evaluate(chosen, node, "truth", now))

    copied = verdicts()
    monkeypatch.setattr(rows, "_compacted", lambda f: f)
    assert copied == verdicts()
    chosen = frame.filter(pl.col("event") != "b")["properties"]
    decoded = [orjson.loads(text) for text in chosen]
    assert copied == [p.get("plan") == "free" or p.get("country") == "FR" for p in decoded]
