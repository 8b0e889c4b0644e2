"""The discovery engine (`emulator.engine.properties`) against a plain-Python recomputation.

The reference below decodes every record with the standard library's `json` and counts in
loops; it shares no code with the engine, whose flat-row regex path and orjson fallback must
both agree with it. Data: random events with missing keys, mixed value types, awkward keys and
values, serialised in three JSON styles.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import polars as pl
import pytest

from mixpanel_async.emulator.engine import properties as engine
from mixpanel_async.emulator.store import EVENT_SCHEMA, EventRow

DAY = 86_400_000
NOW = 1_767_225_600_000 + 15 * 3_600_000  # 2026-01-01 15:00 UTC
EVENTS = ["Sign Up", "page view", "Purchase", "purchase", "Émoji 🎉", "zeta", "Alpha"]
KEYS = ["plan", "amount", "$browser", "tags", "cart", "flag", "note", "with space",
        'quo"te', "back\\slash", "ünï", "a,b:c", "{brace}", "nested"]  # fmt: skip
STRINGS = ["free", "pro", "Pro", "", "x, y", "a:b", "{not json}", "[1]", 'say "hi"', "tab\there",
           "back\\slash", "ünïcödé", "🎉", "3", "true", "null", " spaced "]  # fmt: skip
RESERVED = {"distinct_id", "time", "$insert_id"}


# -- independent reference -------------------------------------------------------------------
def ref_render(value: Any) -> str | None:
    if value is None:
        return None
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value == int(value) and abs(value) < 1e16 else repr(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def ref_records(rows: Sequence[EventRow]) -> list[dict[str, Any]]:
    return [{"event": e, "user": d, "time": t, "props": json.loads(p)} for e, d, t, _, p in rows]


def ref_counts(recs: list[dict[str, Any]], event: str | None, limit: int) -> dict[str, int]:
    c: Counter[str] = Counter()
    for r in recs:
        if event is None or r["event"] == event:
            for k in r["props"]:
                if k not in RESERVED:
                    c[k] += 1
    ranked = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(ranked[:limit])


def ref_values(recs: list[dict[str, Any]], name: str, event: str | None, limit: int) -> list[str]:
    c: Counter[str] = Counter()
    for r in recs:
        if (event is None or r["event"] == event) and name in r["props"]:
            text = ref_render(r["props"][name])
            if text is not None:
                c[text] += 1
    return [v for v, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def ref_amounts(recs: list[dict[str, Any]], lo: int, hi: int, kind: str) -> dict[str, float]:
    total: Counter[str] = Counter()
    users: dict[str, set[str]] = defaultdict(set)
    for r in recs:
        if lo <= r["time"] < hi:
            total[r["event"]] += 1
            users[r["event"]].add(r["user"])
    if kind == "general":
        return dict(total)
    if kind == "unique":
        return {e: len(u) for e, u in users.items()}
    return {e: total[e] / len(users[e]) for e in total}


def ref_names(recs: list[dict[str, Any]], lo: int, hi: int, limit: int, kind: str) -> list[str]:
    amounts = ref_amounts(recs, lo, hi, kind)
    top = sorted(amounts, key=lambda e: (-amounts[e], e))[:limit]
    return sorted(top, key=lambda e: (e.lower(), e))


def ref_top(recs: list[dict[str, Any]], limit: int, kind: str) -> list[dict[str, Any]]:
    start = NOW - NOW % DAY
    today = ref_amounts(recs, start, NOW + 1, kind)
    before = ref_amounts(recs, start - DAY, NOW - DAY + 1, kind)
    out = []
    for e in sorted(today, key=lambda e: (-today[e], e))[:limit]:
        prior = before.get(e, 0)
        change = 1.0 if prior == 0 else (today[e] - prior) / prior
        out.append({"event": e, "amount": today[e], "percent_change": change})
    return out


# -- data ------------------------------------------------------------------------------------
def random_value(rnd: random.Random, depth: int = 0) -> Any:
    kind = rnd.randrange(10 if depth == 0 else 7)
    if kind == 0:
        return None
    if kind in (1, 2):
        return rnd.choice(STRINGS)
    if kind == 3:
        return rnd.choice([True, False])
    if kind == 4:
        return rnd.choice([0, 3, -7, 42, 2**53 + 1])
    if kind == 5:
        # 1e20 only at the top: nested JSON spells it differently per serialiser (1e20, 1e+20)
        return rnd.choice([3.0, 2.5, -0.125, 1e-3, 123456.75, *([1e20] if depth == 0 else [])])
    if kind == 6:
        return rnd.choice(STRINGS[:4])
    if kind == 7:
        return [random_value(rnd, depth + 1) for _ in range(rnd.randrange(3))]
    if kind == 8:
        return {"Brand": rnd.choice(["nike", "puma"]), "Price": rnd.choice([50, 7.5])}
    return [{"Brand": "nike", "Price": 50}, {"Brand": rnd.choice(STRINGS[:3])}]


def dumps(props: dict[str, Any], style: int) -> str:
    if style == 0:
        return json.dumps(props, separators=(",", ":"), ensure_ascii=False)
    if style == 1:
        return json.dumps(props, ensure_ascii=False)  # ", " and ": " separators
    return json.dumps(props)  # non-ASCII as \\u escapes


def make_rows(seed: int, n: int = 600) -> list[EventRow]:
    rnd = random.Random(seed)
    rows: list[EventRow] = []
    for i in range(n):
        event = rnd.choice(EVENTS[: 2 + i % len(EVENTS)])
        user = f"u{rnd.randrange(40)}"
        t = NOW - rnd.randrange(3 * DAY) + rnd.randrange(3_600_000)
        props: dict[str, Any] = {"distinct_id": user, "time": t // 1000}
        if rnd.random() < 0.8:
            props["$insert_id"] = f"id-{i}"
        for key in rnd.sample(KEYS, rnd.randrange(len(KEYS) // 2)):
            props[key] = random_value(rnd)
        rows.append((event, user, t, props.get("$insert_id"), dumps(props, rnd.randrange(3))))
    return rows


def frame_of(rows: Sequence[EventRow]) -> pl.DataFrame:
    columns: list[Sequence[Any]] = [[] for _ in EVENT_SCHEMA]
    if rows:
        columns = list(zip(*rows, strict=True))
    data = dict(zip(EVENT_SCHEMA, columns, strict=True))
    return pl.DataFrame(data, schema=EVENT_SCHEMA).sort("time")


@pytest.fixture(scope="module", params=[1, 2, 3])
def data(request: pytest.FixtureRequest) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
    rows = make_rows(request.param)
    return frame_of(rows), ref_records(rows)


# -- tests -----------------------------------------------------------------------------------
@pytest.mark.parametrize("event", [None, "Sign Up", "Émoji 🎉", "missing"])
@pytest.mark.parametrize("limit", [1, 5, 10, 1000])
def test_property_counts(data: Any, event: str | None, limit: int) -> None:
    frame, recs = data
    got = engine.property_counts(frame, event, limit)
    assert got == ref_counts(recs, event, limit)
    assert list(got) == list(ref_counts(recs, event, limit))  # order too


@pytest.mark.parametrize("name", [*KEYS, "distinct_id", "time", "absent"])
@pytest.mark.parametrize("event", [None, "page view"])
def test_property_values(data: Any, name: str, event: str | None) -> None:
    frame, recs = data
    for limit in (1, 3, 255):
        assert engine.property_values(frame, name, event, limit) == ref_values(
            recs, name, event, limit
        )


@pytest.mark.parametrize("kind", ["general", "unique", "average"])
@pytest.mark.parametrize("limit", [1, 3, 255])
def test_event_names(data: Any, kind: engine.CountType, limit: int) -> None:
    frame, recs = data
    for lo, hi in [(0, 2**62), (NOW - DAY, NOW), (NOW - 2 * DAY, NOW - DAY), (5, 6)]:
        assert engine.event_names(frame, lo, hi, limit, kind) == ref_names(
            recs, lo, hi, limit, kind
        )


@pytest.mark.parametrize("kind", ["general", "unique", "average"])
@pytest.mark.parametrize("limit", [1, 4, 100])
def test_top_events(data: Any, kind: engine.CountType, limit: int) -> None:
    frame, recs = data
    got = engine.top_events(frame, NOW, limit, kind)
    want = ref_top(recs, limit, kind)
    assert [(g["event"], g["amount"]) for g in got] == [(w["event"], w["amount"]) for w in want]
    for g, w in zip(got, want, strict=True):
        assert g["percent_change"] == pytest.approx(w["percent_change"])
    if kind != "average":
        assert all(isinstance(g["amount"], int) for g in got)


def test_serialisation_style_does_not_change_answers() -> None:
    """The same events as compact, spaced and ASCII-escaped JSON give the same answers."""
    rows = make_rows(7, 300)
    frames = []
    for style in range(3):
        restyled = [(e, d, t, i, dumps(json.loads(p), style)) for e, d, t, i, p in rows]
        frames.append(frame_of(restyled))
    answers = [
        (
            engine.property_counts(f, None, 100),
            [engine.property_values(f, k, None, 255) for k in KEYS],
        )
        for f in frames
    ]
    assert answers[0] == answers[1] == answers[2]


def test_render_value() -> None:
    assert engine.render_value(None) is None
    assert engine.render_value(True) == "true"
    assert engine.render_value(False) == "false"
    assert engine.render_value(3) == "3"
    assert engine.render_value(3.0) == "3"
    assert engine.render_value(2.5) == "2.5"
    assert engine.render_value("x") == "x"
    assert engine.render_value([1, "a", {"k": None}]) == '[1,"a",{"k":null}]'


def test_empty_frame() -> None:
    empty = frame_of([])
    assert engine.property_counts(empty) == {}
    assert engine.property_values(empty, "plan") == []
    assert engine.event_names(empty, 0, 2**62) == []
    assert engine.top_events(empty, NOW) == []


def test_null_valued_key_counts_but_has_no_value() -> None:
    rows: list[EventRow] = [("e", "u", NOW, None, '{"distinct_id":"u","time":1,"k":null}')]
    frame = frame_of(rows)
    assert engine.property_counts(frame, "e") == {"k": 1}
    assert engine.property_values(frame, "k", "e") == []


def test_top_events_change_is_against_the_same_stretch_of_yesterday() -> None:
    start = NOW - NOW % DAY
    rows: list[EventRow] = [
        ("a", "u1", start + 1000, None, '{"distinct_id":"u1","time":1}'),
        ("a", "u2", start + 2000, None, '{"distinct_id":"u2","time":1}'),
        ("a", "u1", start - DAY + 5, None, '{"distinct_id":"u1","time":1}'),
        # later in the day yesterday than it is now: not comparable, left out
        ("a", "u1", NOW - DAY + 60_000, None, '{"distinct_id":"u1","time":1}'),
        ("b", "u1", NOW, None, '{"distinct_id":"u1","time":1}'),
        ("c", "u1", NOW + 1, None, '{"distinct_id":"u1","time":1}'),  # the future
    ]
    top = engine.top_events(frame_of(rows), NOW)
    assert top == [
        {"event": "a", "amount": 2, "percent_change": 1.0},
        {"event": "b", "amount": 1, "percent_change": 1.0},
    ]
    top = engine.top_events(frame_of([*rows, rows[2], rows[2]]), NOW)
    assert top[0] == {"event": "a", "amount": 2, "percent_change": pytest.approx(-1 / 3)}
