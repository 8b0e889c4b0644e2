"""Engage pages read a few at a time (`profile_parse.parse_pages`, what `export_profiles` does)
join into the same frame as pages read one by one, whatever the pages hold: types that change
from page to page, nested values, ids that are not text, empty pages, per-page `$last_seen`
formats, pretty-printed bodies. Values are also checked against the records themselves."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import orjson
import pytest
from polars.testing import assert_frame_equal

from mixpanel_async.bulk import tabular
from mixpanel_async.bulk.profile_parse import parse_pages


def _page(records: list[dict[str, Any]], number: int = 0) -> bytes:
    return orjson.dumps(
        {"page": number, "page_size": 1000, "results": records, "session_id": "s", "total": 9}
    )


def _joined(bodies: list[bytes], together: bool) -> Any:
    hints = tabular.Hints()
    if together:
        frames = parse_pages(bodies, hints)
    else:
        frames = [f for body in bodies for f in parse_pages([body], hints)]
    assert len(frames) == len(bodies)  # one frame per page, always
    return tabular.concat(frames, tabular.empty_profiles())


def _records(rng: random.Random, first: int, count: int, kinds: list[str]) -> list[dict[str, Any]]:
    """`count` profiles whose property `v` is of the kinds listed (one kind per page)."""
    kind = rng.choice(kinds)
    out = []
    for i in range(first, first + count):
        value: Any = {
            "int": i,
            "float": i + 0.5,
            "text": f"t{i}",
            "bool": i % 2 == 0,
            "null": None,
            "nested": {"a": i, "b": [i, i + 1]},
            "list": [i, f"x{i}"],
            "stamp": f"2024-02-{1 + i % 28:02d}T08:00:00",
        }[kind]
        props: dict[str, Any] = {"v": value, "plan": ("free", "pro")[i % 2]}
        if rng.random() < 0.5:
            props[f"extra{rng.randrange(3)}"] = i
        if rng.random() < 0.7:
            props["$last_seen"] = rng.choice(
                [f"2024-01-{1 + i % 28:02d}T10:00:00", f"2024-01-{1 + i % 28:02d} 10:00:00"]
            )
        out.append({"$distinct_id": f"u{i}", "$properties": props})
    return out


FLAT = ["int", "float", "text", "bool", "null", "stamp"]


@pytest.mark.parametrize("seed", range(60))
def test_pages_read_together_join_like_pages_read_one_by_one(seed: int) -> None:
    rng = random.Random(seed)
    kinds = rng.sample(FLAT if seed % 2 else [*FLAT, "nested", "list"], 2 + seed % 3)
    bodies, first = [], 0
    for number in range(rng.randrange(2, 7)):
        count = rng.choice([0, 1, 5, 40])
        bodies.append(_page(_records(rng, first, count, kinds), number))
        first += count
    assert_frame_equal(_joined(bodies, together=True), _joined(bodies, together=False))


def test_flat_pages_read_together_hold_the_records_values() -> None:
    pages = [
        [{"$distinct_id": "a", "$properties": {"n": 1, "$last_seen": "2024-01-02T03:04:05"}}],
        [],
        [{"$distinct_id": "b", "$properties": {"n": 2.5, "s": "x"}}],
    ]
    df = _joined([_page(p) for p in pages], together=True)
    assert df["distinct_id"].to_list() == ["a", "b"]
    assert df["last_seen"].to_list() == [dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC), None]
    assert df["properties"].to_list() == [{"n": 1.0, "s": None}, {"n": 2.5, "s": "x"}]


def test_pretty_printed_pages_and_ids_that_are_numbers_are_read_page_by_page() -> None:
    pretty = json.dumps({"results": [{"$distinct_id": "a", "$properties": {"n": 1}}]}, indent=2)
    numbers = _page([{"$distinct_id": 7, "$properties": {"n": 2}}])
    bodies = [pretty.encode(), numbers, _page([{"$distinct_id": "c", "$properties": {"n": 3}}])]
    df = _joined(bodies, together=True)
    assert df["distinct_id"].to_list() == ["a", "7", "c"]
    assert df["properties"].struct.field("n").to_list() == [1, 2, 3]
    assert_frame_equal(df, _joined(bodies, together=False))
