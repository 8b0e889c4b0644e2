"""Expressions evaluated per row (`engine.rows.evaluate`) and event selections
(`engine.rows.select_rows`) against plain Python over rows decoded with the standard library.

The engine maps each row of a one-property expression to its result by the row's raw text, and
selects one event by equality; these tests hold those paths to a per-row recomputation, with
values of every JSON type, missing and null values, and rows the regex cannot read (nested
objects, escaped quotes, duplicate keys, spaces around colons).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest

from mixpanel_async.emulator.engine import rows
from mixpanel_async.emulator.engine.expressions import parse
from mixpanel_async.emulator.store import EventStore

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
MISSING = object()
VALUES: list[Any] = ["free", "pro", "", "ünï", 3, 3.0, 2.5, -1, True, False, None, MISSING]
EVENTS = ("a", "b", "c")


def _text(props: dict[str, Any], rng: random.Random) -> str:
    style = rng.random()
    if style < 0.05 and "plan" in props:  # a duplicate key: the last one counts
        return '{"plan":"shadowed",' + json.dumps(props, separators=(",", ":"))[1:]
    if style < 0.10:
        return json.dumps({"meta": {"plan": "nested"}, **props})
    if style < 0.15:
        return json.dumps({"note": 'x","plan":"fake', **props}, separators=(",", ":"))
    if style < 0.40:
        return json.dumps(props)  # spaces after colons and commas
    return json.dumps(props, separators=(",", ":"))


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    rng = random.Random(11)
    records = []
    for i in range(3_000):
        props: dict[str, Any] = {"distinct_id": f"u{i % 41}", "time": i}
        for key in ("plan", "tier"):
            value = rng.choice(VALUES)
            if value is not MISSING:
                props[key] = value
        records.append((rng.choice(EVENTS), f"u{i % 41}", i * 1000, None, _text(props, rng)))
    store = EventStore()
    store.append(records)
    return store.deduped()


def _decoded(frame: pl.DataFrame) -> list[tuple[str, dict[str, Any]]]:
    return [(e, json.loads(p)) for e, p in zip(frame["event"], frame["properties"], strict=True)]


def _label(props: dict[str, Any], key: str) -> str:
    value = props.get(key)
    if value is None:
        return "undefined"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(props: dict[str, Any], key: str) -> float | None:
    value = props.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


@pytest.mark.parametrize("events", [["a"], ["a", "c"], None])
def test_selections_hold_the_rows_of_their_events(
    frame: pl.DataFrame, events: list[str] | None
) -> None:
    rows.clear_cache()
    chosen = rows.select_rows(frame, events, 500_000, 2_500_000)
    want = [
        i
        for i, (e, t) in enumerate(zip(frame["event"], frame["time"], strict=True))
        if (events is None or e in events) and 500_000 <= t < 2_500_000
    ]
    assert chosen.column("_pos").to_list() == want
    assert chosen.column("properties").to_list() == frame["properties"].gather(want).to_list()


@pytest.mark.parametrize("events", [["b"], None])
def test_one_property_labels_numbers_and_verdicts_equal_python(
    frame: pl.DataFrame, events: list[str] | None
) -> None:
    rows.clear_cache()
    chosen = rows.select_rows(frame, events, 0, 10**12)
    decoded = [props for e, props in _decoded(frame) if events is None or e in events]
    plan = parse('properties["plan"]')
    assert rows.evaluate(chosen, plan, "label", NOW).to_list() == [
        _label(p, "plan") for p in decoded
    ]
    assert rows.evaluate(chosen, plan, "number", NOW).to_list() == [
        _number(p, "plan") for p in decoded
    ]
    free = parse('properties["plan"] == "free"')
    assert rows.evaluate(chosen, free, "truth", NOW).to_list() == [
        p.get("plan") == "free" for p in decoded
    ]


def test_two_property_verdicts_equal_python(frame: pl.DataFrame) -> None:
    rows.clear_cache()
    chosen = rows.select_rows(frame, ["a", "b"], 0, 10**12)
    node = parse('properties["plan"] == "pro" or properties["tier"] == "free"')
    want = [
        p.get("plan") == "pro" or p.get("tier") == "free"
        for e, p in _decoded(frame)
        if e in ("a", "b")
    ]
    assert rows.evaluate(chosen, node, "truth", NOW).to_list() == want


def test_a_window_smaller_than_half_its_selection_reads_the_same(frame: pl.DataFrame) -> None:
    rows.clear_cache()
    chosen = rows.select_rows(frame, ["c"], 100_000, 400_000)  # not cached: cut per window
    decoded = [
        p
        for (e, p), t in zip(_decoded(frame), frame["time"], strict=True)
        if e == "c" and 100_000 <= t < 400_000
    ]
    got = rows.evaluate(chosen, parse('properties["tier"]'), "label", NOW).to_list()
    assert got == [_label(p, "tier") for p in decoded]


FILTERS: dict[str, Callable[[dict[str, Any]], bool]] = {
    'properties["plan"] == "free"': lambda p: p.get("plan") == "free",
    'properties["plan"] in ["pro", "", "ünï"]': lambda p: p.get("plan") in ("pro", "", "ünï"),
    'not (properties["plan"] == "free")': lambda p: p.get("plan") != "free",
    'properties["plan"] == "free" and properties["tier"] == "pro"': (
        lambda p: p.get("plan") == "free" and p.get("tier") == "pro"
    ),
    'properties["plan"] == "pro" or not (properties["tier"] in ["free"])': (
        lambda p: p.get("plan") == "pro" or p.get("tier") != "free"
    ),
    '"re" in properties["plan"]': lambda p: isinstance(p.get("plan"), str) and "re" in p["plan"],
    'properties["plan"] == "plan"': lambda p: p.get("plan") == "plan",
}


@pytest.mark.parametrize("expression", list(FILTERS))
def test_string_equality_filters_equal_python(frame: pl.DataFrame, expression: str) -> None:
    """Filters read by literal searches (and a substring test, which is not one), on rows
    that also hold the key's name as a value."""
    rows.clear_cache()
    texts = frame["properties"].to_list()
    odd = [t.replace('"distinct_id"', '"plan_of":"plan","distinct_id"', 1) for t in texts[::7]]
    texts[::7] = odd
    mixed = frame.with_columns(pl.Series("properties", texts))
    chosen = rows.select_rows(mixed, ["a", "c"], 0, 10**12)
    want = [
        FILTERS[expression](json.loads(p))
        for e, p in zip(mixed["event"], mixed["properties"], strict=True)
        if e in ("a", "c")
    ]
    assert rows.evaluate(chosen, parse(expression), "truth", NOW).to_list() == want
    assert sum(want) > 0 or expression.endswith('== "plan"')
