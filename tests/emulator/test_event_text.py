"""The stored form of event properties (`emulator.event_text`): texts without the keys the store
keeps as columns give back exactly what was sent (key order included) through the pure helpers,
raw export, filters and breakdowns on those keys; answers are checked against plain Python."""

from __future__ import annotations

import itertools
import random
from typing import Any

import aiohttp
import orjson
import polars as pl
import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.engine import events as ev
from mixpanel_async.emulator.event_text import (
    COLUMN_KEYS,
    column_key_texts,
    full_properties,
    full_texts,
    is_whole,
    plain_pieces,
    stored_form,
    stored_text,
)
from mixpanel_async.emulator.store import EVENT_SCHEMA
from tests.emulator.conftest import query_get

T0 = 1_790_000_000  # 2026-09-21T14:13:20Z


def _props(rng: random.Random, i: int) -> dict[str, Any]:
    """A whole properties object with the column keys in a random order and place."""
    did: Any = rng.choice([f"u{i % 7}", 'q"uote', "back\\slash", "tab\there", "", 42, 1.5])
    column: dict[str, Any] = {"time": T0 + i, "distinct_id": did}
    if rng.random() < 0.7:
        column["$insert_id"] = f"id-{i}"
    others: dict[str, Any] = {
        "plan": rng.choice(["free", "pro"]),
        "n": rng.choice([1, 2.5, None, True]),
        "nested": {"time": 1, "distinct_id": "inner"},
        "list": [1, "two"],
    }
    others = dict(rng.sample(list(others.items()), rng.randint(0, len(others))))
    keys = list(column.items())
    rng.shuffle(keys)
    if rng.random() < 0.8:  # usually leading, as SDKs send them
        items = keys + list(others.items())
    else:
        items = list(others.items()) + keys
        rng.shuffle(items)
    return dict(items)


def _row(props: dict[str, Any]) -> tuple[str, str, int, str | None, str]:
    did = props["distinct_id"]
    column_did = did if isinstance(did, str) else orjson.dumps(did).decode()
    return ("e", column_did, props["time"] * 1000, props.get("$insert_id"), "")


def test_stored_texts_give_back_the_whole_object_in_order() -> None:
    rng = random.Random(19)
    wholes = [_props(rng, i) for i in range(600)]
    rows = []
    for props in wholes:
        event, did, ms, iid, _ = _row(props)
        text = stored_text(dict(props))
        orjson.loads(text)  # still a JSON object
        rows.append((event, did, ms, iid, text))
        back = full_properties(text, ms, did, iid)
        assert list(back.items()) == list(props.items())
        if not is_whole(text):
            assert all(f'"{k}":' not in text.split('"nested"')[0] for k in COLUMN_KEYS)
    frame = pl.DataFrame(rows, schema=EVENT_SCHEMA, orient="row")
    expected = [orjson.dumps(p).decode() for p in wholes]
    assert full_texts(frame).to_list() == expected
    in_ms = [orjson.dumps({**p, "time": p["time"] * 1000}).decode() for p in wholes]
    assert full_texts(frame, time_in_ms=True).to_list() == in_ms
    # Most rows lead with their column keys and a string id: those are stored without them.
    stripped = sum(not is_whole(r[4]) for r in rows)
    assert stripped > 300


def test_every_order_of_the_leading_keys_has_its_own_tag() -> None:
    seen = set()
    for n in (2, 3):
        for order in itertools.permutations(COLUMN_KEYS[:n] if n == 2 else COLUMN_KEYS):
            values = {"time": T0, "distinct_id": "u", "$insert_id": "i"}
            props = {k: values[k] for k in order} | {"x": 1}
            text = stored_text(dict(props))
            assert text.endswith('"x":1}')
            assert not is_whole(text)
            seen.add((text, n))
            iid = "i" if n == 3 else None
            assert list(full_properties(text, T0 * 1000, "u", iid)) == [*order, "x"]
    assert len(seen) == 8


def _uniform_frame(
    order: tuple[str, ...], n: int, *, categorical: bool
) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
    """`n` rows whose column keys all lead in `order` (the usual case), with other keys."""
    wholes = []
    for i in range(n):
        values = {"time": T0 + i, "distinct_id": f"user-{i % 5}", "$insert_id": f"id-{i}"}
        wholes.append({k: values[k] for k in order} | {"plan": ["free", "pro"][i % 2], "n": i})
    rows = [
        (["Sign Up", 'Say "hi"'][i % 2], *_row(p)[1:4], stored_text(dict(p)))
        for i, p in enumerate(wholes)
    ]
    frame = pl.DataFrame(rows, schema=EVENT_SCHEMA, orient="row")
    if categorical:
        frame = frame.with_columns(pl.col("event", "distinct_id").cast(pl.Categorical()))
    return frame, wholes


@pytest.mark.parametrize("categorical", [False, True])
@pytest.mark.parametrize(
    "order", [*itertools.permutations(COLUMN_KEYS), *itertools.permutations(COLUMN_KEYS[:2])]
)
def test_uniform_rows_and_their_odd_neighbours_give_back_the_same_texts(
    order: tuple[str, ...], categorical: bool
) -> None:
    frame, wholes = _uniform_frame(order, 40, categorical=categorical)
    assert plain_pieces(frame) is not None  # the one-concatenation path
    expected = [orjson.dumps(p).decode() for p in wholes]
    assert full_texts(frame).to_list() == expected
    in_ms = [orjson.dumps({**p, "time": p["time"] * 1000}).decode() for p in wholes]
    assert full_texts(frame, time_in_ms=True).to_list() == in_ms
    # One odd row anywhere sends the frame down the general path, with the same answers:
    # an id needing escapes, no other key, another order, a whole text.
    odd: list[dict[str, Any]] = [
        {**wholes[3], "distinct_id": 'q"uote'},
        {k: v for k, v in wholes[3].items() if k in COLUMN_KEYS},
        dict(reversed(list(wholes[3].items()))),
        {"x": 1, **wholes[3]},
    ]
    for props in odd:
        text = stored_text(dict(props))
        row = (frame["event"][3], *_row(props)[1:4], text)
        patched = pl.concat(
            [
                frame.head(3),
                pl.DataFrame([row], schema=EVENT_SCHEMA, orient="row").cast(frame.schema),
                frame.slice(4),
            ]
        )
        assert plain_pieces(patched) is None
        want = [*expected[:3], orjson.dumps(props).decode(), *expected[4:]]
        assert full_texts(patched).to_list() == want, props


def test_export_lines_are_the_json_of_each_event() -> None:
    frame, wholes = _uniform_frame(COLUMN_KEYS, 30, categorical=True)
    stamps = [T0 * 1000 + 7 * i for i in range(30)]
    frame = frame.with_columns(pl.Series("mp_processing_time_ms", stamps))
    names = frame["event"].cast(pl.String).to_list()
    for in_ms in (False, True):
        want = b"".join(
            orjson.dumps(
                {
                    "event": name,
                    "properties": {
                        **p,
                        "time": p["time"] * (1000 if in_ms else 1),
                        "mp_processing_time_ms": ms,
                    },
                }
            )
            + b"\n"
            for name, p, ms in zip(names, wholes, stamps, strict=True)
        )
        assert bytes(ev.export_lines(frame, time_in_ms=in_ms)) == want
    # A stored property of that name is kept, not written twice.
    own = {**wholes[0], "mp_processing_time_ms": 5}
    first = pl.DataFrame(
        [(names[0], *_row(own)[1:4], stored_text(dict(own)))], schema=EVENT_SCHEMA, orient="row"
    )
    first = first.cast(frame.drop("mp_processing_time_ms").schema).with_columns(
        pl.lit(stamps[0]).alias("mp_processing_time_ms")
    )
    line = bytes(ev.export_lines(pl.concat([first, frame.slice(1)])))
    assert orjson.loads(line.split(b"\n")[0]) == {"event": names[0], "properties": own}


def test_column_key_texts_agree_with_decoding() -> None:
    rng = random.Random(7)
    wholes = [_props(rng, i) for i in range(300)]
    rows = [(*_row(p)[:4], stored_text(dict(p))) for p in wholes]
    frame = pl.DataFrame(rows, schema=EVENT_SCHEMA, orient="row")
    for name in COLUMN_KEYS:
        raw, exact = column_key_texts(name, frame)
        for props, text, ok in zip(wholes, raw.to_list(), exact.to_list(), strict=True):
            if ok:
                want = orjson.dumps(props[name]).decode() if name in props else None
                assert text == want, (name, props)


def test_whole_texts_loaded_back_are_stored_without_their_keys() -> None:
    rows = [
        ("a", "u1", T0 * 1000, "i1", '{"distinct_id":"u1","time":1790000000,"$insert_id":"i1"}'),
        ("a", "u1", T0 * 1000, None, '{"time":1790000000,"x":1,"distinct_id":"u1"}'),
        ("a", "u2", T0 * 1000, None, '{"time":1790000001,"distinct_id":"u2"}'),  # time differs
    ]
    frame = pl.DataFrame(rows, schema=EVENT_SCHEMA, orient="row")
    stored = stored_form(frame)["properties"].to_list()
    assert stored[0] == "{\t}"
    assert stored[1:] == [rows[1][4], rows[2][4]]  # kept whole: not leading / not agreeing
    again = frame.with_columns(pl.Series("properties", stored))
    assert full_texts(again).to_list() == [r[4] for r in rows[:1]] + [
        '{"time":1790000000,"x":1,"distinct_id":"u1"}',
        '{"time":1790000001,"distinct_id":"u2"}',
    ]


SENT: list[dict[str, Any]] = [
    {"event": "a", "properties": {"distinct_id": "u1", "time": T0, "$insert_id": "k1", "p": 1}},
    {"event": "a", "properties": {"time": T0 + 1, "p": 2, "distinct_id": "u2"}},
    {"event": "b", "properties": {"$insert_id": "k3", "time": T0 + 2, "distinct_id": 7}},
    {"event": "b", "properties": {"token": "t", "distinct_id": "u1", "time": T0 + 3, "q": "x"}},
    {"event": "a", "properties": {"time": T0 + 4, "distinct_id": 'u"3', "$insert_id": "k5"}},
]


@pytest.fixture
async def loaded(emu: Emulator, http: aiohttp.ClientSession) -> Emulator:
    headers = {"Content-Type": "application/json"}
    url = emu.url + "/import?strict=1"
    async with http.post(url, data=orjson.dumps(SENT), headers=headers) as r:
        assert r.status == 200, await r.text()
    return emu


async def test_export_gives_back_what_was_sent_in_its_order(
    loaded: Emulator, http: aiohttp.ClientSession
) -> None:
    params = {"from_date": "2026-09-21", "to_date": "2026-09-21", "project_id": "1"}
    async with http.get(loaded.url + "/api/2.0/export", params=params) as r:
        lines = [orjson.loads(line) for line in (await r.read()).splitlines()]
    got = [{"event": e["event"], "properties": list(e["properties"].items())[:-1]} for e in lines]
    expected = [
        {
            "event": s["event"],
            "properties": [kv for kv in s["properties"].items() if kv[0] != "token"],
        }
        for s in SENT
    ]
    assert got == expected
    assert all(list(e["properties"])[-1] == "mp_processing_time_ms" for e in lines)


@pytest.mark.parametrize(
    ("event", "where"),
    [
        ("b", 'properties["distinct_id"] == "u1"'),
        ("b", 'properties["distinct_id"] == 7'),
        ("b", 'properties["$insert_id"] == "k3"'),
        ("a", 'properties["distinct_id"] == "u\\"3"'),
        ("a", 'properties["time"] >= 1790000002'),
        ("a", 'defined(properties["$insert_id"])'),
    ],
)
async def test_filters_on_column_keys_read_them_as_properties(
    loaded: Emulator, http: aiohttp.ClientSession, event: str, where: str
) -> None:
    status, body = await query_get(
        http, loaded, "/segmentation", event=event, from_date="2026-09-21", to_date="2026-09-21",
        where=where, unit="day", type="general",
    )  # fmt: skip
    assert status == 200, body
    mine = [s["properties"] for s in SENT if s["event"] == event]
    expected = sum(1 for props in mine if _python_where(where, props))
    assert expected > 0
    assert sum(body["data"]["values"][event].values()) == expected


def _python_where(where: str, props: dict[str, Any]) -> bool:
    """The five filters above, in plain Python (JSON equality: 7 == 7, "7" != 7)."""
    if where.startswith("defined"):
        return props.get("$insert_id") is not None
    if "time" in where:
        return bool(props["time"] >= 1790000002)
    key = "distinct_id" if "distinct_id" in where else "$insert_id"
    value = orjson.loads(where.split("== ", 1)[1])
    return props.get(key) == value and type(props.get(key)) is type(value)


async def test_breakdown_by_distinct_id_as_a_property(
    loaded: Emulator, http: aiohttp.ClientSession
) -> None:
    status, body = await query_get(
        http, loaded, "/segmentation", event="b", from_date="2026-09-21", to_date="2026-09-21",
        on='properties["distinct_id"]', unit="day", type="general",
    )  # fmt: skip
    assert status == 200, body
    totals = {name: sum(days.values()) for name, days in body["data"]["values"].items()}
    assert totals == {"7": 1, "u1": 1}
