"""Raw event export (`GET /api/2.0/export`) over loopback HTTP with a plain aiohttp client."""

from __future__ import annotations

import gzip
import time
from datetime import UTC, datetime
from typing import Any

import aiohttp
import orjson
import polars as pl
import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.engine import events as ev
from mixpanel_async.emulator.engine import expressions
from mixpanel_async.emulator.store import EventRow, EventStore
from tests.emulator.conftest import event_row, ms, query_get

EXPORT = "/api/2.0/export"


def moments(*stamped: tuple[str, str]) -> list[EventRow]:
    """Store rows of event `e` by user `u`, one per (ISO UTC time, $insert_id)."""
    return [event_row("e", "u", ms(when), insert_id) for when, insert_id in stamped]


def insert_ids(rows: list[dict[str, Any]]) -> list[str]:
    """The exported events' $insert_ids, in order."""
    return [r["properties"]["$insert_id"] for r in rows]


async def export(http: aiohttp.ClientSession, emu: Emulator, **params: Any) -> list[dict[str, Any]]:
    """Export and decode; asserts a 200 JSON-lines answer."""
    query = {k: v if isinstance(v, str) else orjson.dumps(v).decode() for k, v in params.items()}
    async with http.get(emu.url + EXPORT, params=query) as response:
        body = await response.read()
        assert response.status == 200, body
        assert response.content_type == "application/x-ndjson"
    assert body == b"" or body.endswith(b"\n")
    return [orjson.loads(line) for line in body.splitlines()]


async def error(http: aiohttp.ClientSession, emu: Emulator, query: str) -> dict[str, Any]:
    """Export with a raw query string that must fail with 400 in the export error shape."""
    async with http.get(f"{emu.url}{EXPORT}?{query}") as response:
        assert response.status == 400, await response.text()
        body: dict[str, Any] = await response.json()
    assert body["request"].startswith(EXPORT)
    return body


# --- dates -----------------------------------------------------------------------------------


async def test_dates_are_whole_days_both_inclusive(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    emu.state.default.events.append(
        moments(
            ("2023-12-31T23:59:59.999", "before"),
            ("2024-01-01T00:00:00", "first"),
            ("2024-01-02T23:59:59.999", "last"),
            ("2024-01-03T00:00:00", "after"),
        )
    )
    rows = await export(http, emu, from_date="2024-01-01", to_date="2024-01-02")
    assert insert_ids(rows) == ["first", "last"]
    one_day = await export(http, emu, from_date="2024-01-03", to_date="2024-01-03")
    assert insert_ids(one_day) == ["after"]
    assert await export(http, emu, from_date="2025-01-01", to_date="2025-01-31") == []


async def test_days_follow_the_project_timezone_across_dst(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    emu.state.default.timezone = "America/Los_Angeles"
    emu.state.default.events.append(
        moments(
            ("2024-03-10T07:59:59", "sat-2359-pst"),
            ("2024-03-10T08:00:00", "sun-0000-pst"),
            # 2024-03-10 is a 23-hour day in Los Angeles: it ends at 07:00 UTC, not 08:00.
            ("2024-03-11T06:59:59", "sun-2359-pdt"),
            ("2024-03-11T07:00:00", "mon-0000-pdt"),
        )
    )
    rows = await export(http, emu, from_date="2024-03-10", to_date="2024-03-10")
    assert insert_ids(rows) == ["sun-0000-pst", "sun-2359-pdt"]
    assert ev.day_window_ms("2024-03-10", "2024-03-10", "America/Los_Angeles") == (
        ms("2024-03-10T08:00:00"),
        ms("2024-03-11T07:00:00"),
    )


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("from_date=2024-13-01&to_date=2024-12-31", "from_date"),
        ("from_date=2024-01-01&to_date=2024-02-30", "to_date"),
        ("from_date=2024-1-1&to_date=2024-01-02", "from_date"),
        ("from_date=yesterday&to_date=2024-01-02", "from_date"),
        ("from_date=2024-01-01", "to_date"),
        ("to_date=2024-01-01", "from_date"),
        ("from_date=2024-01-03&to_date=2024-01-02", "must not be after"),
    ],
)
async def test_bad_dates_are_400(
    emu: Emulator, http: aiohttp.ClientSession, query: str, fragment: str
) -> None:
    body = await error(http, emu, query)
    assert fragment in body["error"]


# --- contents and filters ----------------------------------------------------------------------


async def test_lines_are_the_stored_json_in_time_order(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    late = event_row(
        'Späť "quoted"',
        "u2",
        ms("2024-01-01T12:00:00"),
        "b",
        nested={"time": 5},
        tags=["x", "y"],
        price=9.99,
    )
    early = event_row("Sign Up", "u1", ms("2024-01-01T06:00:00"), None, plan="pro")
    before = time.time_ns() // 1_000_000
    emu.state.default.events.append([late, early])
    after = time.time_ns() // 1_000_000
    async with http.get(
        emu.url + EXPORT, params={"from_date": "2024-01-01", "to_date": "2024-01-01"}
    ) as response:
        body = await response.read()
        assert response.headers["Content-Type"] == "application/x-ndjson; charset=utf-8"
    # Each line is the stored JSON, with when the emulator stored it added at the end.
    lines = body.splitlines()
    stamps = [orjson.loads(line)["properties"]["mp_processing_time_ms"] for line in lines]
    assert len(stamps) == 2
    assert all(before <= s <= after for s in stamps)
    expected = b"".join(
        b'{"event":'
        + orjson.dumps(r[0])
        + b',"properties":'
        + r[4][:-1].encode()
        + b',"mp_processing_time_ms":%d}}\n' % stamp
        for r, stamp in zip((early, late), stamps, strict=True)
    )
    assert body == expected


async def test_event_filter(emu: Emulator, http: aiohttp.ClientSession) -> None:
    t = ms("2024-01-01T10:00:00")
    emu.state.default.events.append(
        [event_row("a", "u", t), event_row("b", "u", t + 1), event_row("c", "u", t + 2)]
    )
    rows = await export(http, emu, from_date="2024-01-01", to_date="2024-01-01", event=["a", "c"])
    assert [r["event"] for r in rows] == ["a", "c"]
    none = await export(http, emu, from_date="2024-01-01", to_date="2024-01-01", event=["zzz"])
    assert none == []


@pytest.mark.parametrize("value", ['{"a":1}', '"a"', "[1,2]", "[a]", '["a",null]'])
async def test_event_filter_must_be_a_json_list_of_strings(
    emu: Emulator, http: aiohttp.ClientSession, value: str
) -> None:
    query = f"from_date=2024-01-01&to_date=2024-01-01&event={value}"
    body = await error(http, emu, query)
    assert "event" in body["error"]


async def test_where_filter(emu: Emulator, http: aiohttp.ClientSession) -> None:
    t = ms("2024-01-01T10:00:00")
    emu.state.default.events.append(
        [
            event_row("a", "u1", t, plan="pro", amount=5),
            event_row("a", "u2", t + 1000, plan="free", amount=50),
            event_row("b", "u3", t + 2000, plan="pro", amount=500),
            event_row("b", "u4", t + 3000),
        ]
    )
    rows = await export(
        http, emu, from_date="2024-01-01", to_date="2024-01-01", where='properties["plan"] == "pro"'
    )
    assert [r["properties"]["distinct_id"] for r in rows] == ["u1", "u3"]
    rows = await export(
        http,
        emu,
        from_date="2024-01-01",
        to_date="2024-01-01",
        event=["b"],
        where='properties["amount"] > 10 or not defined(properties["plan"])',
    )
    assert [r["properties"]["distinct_id"] for r in rows] == ["u3", "u4"]
    rows = await export(
        http,
        emu,
        from_date="2024-01-01",
        to_date="2024-01-01",
        event=["a", "b"],
        where='defined(properties["amount"])',
        limit="2",
    )
    assert [r["properties"]["distinct_id"] for r in rows] == ["u1", "u2"]


@pytest.mark.parametrize(
    "where",
    [
        'properties["plan"] ==',
        'properties["plan"] = "pro"',
        "plan == 1",
        '"pro" and properties["x"]',
    ],
)
async def test_bad_where_is_400_with_the_parser_message(
    emu: Emulator, http: aiohttp.ClientSession, where: str
) -> None:
    emu.state.default.events.append([event_row("a", "u", ms("2024-01-01T10:00:00"), x=True)])
    async with http.get(
        emu.url + EXPORT,
        params={"from_date": "2024-01-01", "to_date": "2024-01-01", "where": where},
    ) as response:
        assert response.status == 400
        assert response.content_type == "application/json"
        body = await response.json()
    assert set(body) == {"request", "error"}
    assert body["error"].startswith("invalid where expression: ")


async def test_limit_takes_the_earliest_rows_after_filtering(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    t = ms("2024-01-01T00:00:00")
    emu.state.default.events.append(
        [event_row("e", f"u{i}", t + (50 - i) * 1000, n=i) for i in range(50)]
    )
    rows = await export(http, emu, from_date="2024-01-01", to_date="2024-01-01", limit="3")
    assert [r["properties"]["n"] for r in rows] == [49, 48, 47]
    rows = await export(
        http,
        emu,
        from_date="2024-01-01",
        to_date="2024-01-01",
        limit="2",
        where='properties["n"] % 2 == 0',
    )
    assert [r["properties"]["n"] for r in rows] == [48, 46]


@pytest.mark.parametrize("limit", ["0", "100001", "-1", "ten"])
async def test_bad_limit_is_400(emu: Emulator, http: aiohttp.ClientSession, limit: str) -> None:
    body = await error(http, emu, f"from_date=2024-01-01&to_date=2024-01-01&limit={limit}")
    assert "limit" in body["error"]


async def test_export_keeps_duplicates_that_queries_merge(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    t = ms("2024-01-01T10:00:00")
    emu.state.default.events.append(
        [
            event_row("a", "u", t, "dup", version=1),
            event_row("a", "u", t + 500, "dup", version=2),  # same second: replaces version 1
            event_row("a", "u", t + 1000, "dup", version=3),  # next second: a distinct event
            event_row("a", "u", t, None, version=4),
            event_row("a", "u", t, None, version=5),  # no $insert_id: never merged
        ]
    )
    rows = await export(http, emu, from_date="2024-01-01", to_date="2024-01-01")
    # Raw export is not deduplicated (Mixpanel: "you may see duplicates")...
    assert sorted(r["properties"]["version"] for r in rows) == [1, 2, 3, 4, 5]
    # ... queries are: one per (event, distinct_id, second, $insert_id), the last one winning.
    status, body = await query_get(
        http, emu, "/segmentation", event="a", from_date="2024-01-01", to_date="2024-01-01",
        unit="day", type="general",
    )  # fmt: skip
    assert status == 200, body
    assert body["data"]["values"]["a"]["2024-01-01"] == 4


async def test_time_in_ms(emu: Emulator, http: aiohttp.ClientSession) -> None:
    t = ms("2024-01-01T10:00:00.123")
    emu.state.default.events.append(
        [event_row("a", "u", t, "i"), event_row("b", "u", t + 1, "j", meta={"time": 1})]
    )
    rows = await export(http, emu, from_date="2024-01-01", to_date="2024-01-01", time_in_ms="true")
    assert [r["properties"]["time"] for r in rows] == [t, t + 1]
    assert rows[1]["properties"]["meta"] == {"time": 1}
    seconds = await export(http, emu, from_date="2024-01-01", to_date="2024-01-01")
    assert [r["properties"]["time"] for r in seconds] == [t // 1000, t // 1000]


# --- transfer ----------------------------------------------------------------------------------


async def test_gzip_when_accepted(emu: Emulator) -> None:
    t = ms("2024-01-01T10:00:00")
    emu.state.default.events.append([event_row("a", f"u{i}", t + i, f"i{i}") for i in range(5000)])
    url = emu.url + EXPORT + "?from_date=2024-01-01&to_date=2024-01-01"
    async with aiohttp.ClientSession(auto_decompress=False) as raw:
        async with raw.get(url, headers={"Accept-Encoding": "gzip"}) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            zipped = await response.read()
        async with raw.get(url, headers={"Accept-Encoding": "identity"}) as response:
            assert "Content-Encoding" not in response.headers
            plain = await response.read()
    assert gzip.decompress(zipped) == plain
    assert len(zipped) < len(plain) / 4
    assert plain.count(b"\n") == 5000


async def test_a_large_export_streams_in_chunks(emu: Emulator, http: aiohttp.ClientSession) -> None:
    t = ms("2024-01-01T00:00:00")
    n = 100_000
    emu.state.default.events.append(
        [event_row("e", f"u{i % 977}", t + i * 500, f"i{i}", i=i) for i in range(n)]
    )
    async with http.get(
        emu.url + EXPORT, params={"from_date": "2024-01-01", "to_date": "2024-01-02"}
    ) as response:
        assert response.headers.get("Transfer-Encoding") == "chunked"
        assert "Content-Length" not in response.headers
        lines = 0
        first = last = b""
        buffer = b""
        async for piece in response.content.iter_chunked(1 << 16):
            buffer += piece
            *complete, buffer = buffer.split(b"\n")
            if complete and not first:
                first = complete[0]
            if complete:
                last = complete[-1]
            lines += len(complete)
    assert buffer == b""
    assert lines == n
    assert orjson.loads(first)["properties"]["i"] == 0
    assert orjson.loads(last)["properties"]["i"] == n - 1


async def test_cut_after_fault_breaks_the_stream(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    t = ms("2024-01-01T00:00:00")
    emu.state.default.events.append([event_row("e", "u", t + i, f"i{i}") for i in range(20_000)])
    emu.add_fault(operation="export_events", cut_after=50_000)
    url = emu.url + EXPORT + "?from_date=2024-01-01&to_date=2024-01-01"
    async with http.get(url) as response:
        assert response.status == 200
        with pytest.raises(aiohttp.ClientPayloadError):
            await response.read()
    # The fault was used up: the next export is whole.
    async with http.get(url) as response:
        assert (await response.read()).count(b"\n") == 20_000


async def test_status_fault_uses_the_export_error_shape(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    emu.add_fault(operation="export_events", status=429, retry_after=2)
    async with http.get(emu.url + EXPORT + "?from_date=2024-01-01&to_date=2024-01-01") as r:
        assert r.status == 429
        assert r.headers["Retry-After"] == "2"
        assert "error" in await r.json()


# --- engine helpers --------------------------------------------------------------------------


def test_export_lines_match_a_python_encoder() -> None:
    rows = [event_row("a\u2028b", "u", 1_000, "x", s="é\n"), event_row("c", "v", 2_000, None)]
    frame = pl.DataFrame(
        rows, schema=["event", "distinct_id", "time", "insert_id", "properties"], orient="row"
    )
    expected = b"".join(
        orjson.dumps({"event": r[0], "properties": orjson.loads(r[4])}) + b"\n" for r in rows
    )
    assert ev.export_lines(frame) == expected
    assert ev.export_lines(frame.head(0)) == b""


WHERE_ROWS: list[dict[str, Any]] = [
    {"plan": "pro", "n": 1},
    {"plan": "free", "n": 2.5, "flag": True},
    {"plan": None, "n": -3e5},
    {"n": "7"},
    {"plan": "pro", "nested": {"plan": "free"}},
    {"plan": 'p"r\\o', "list": [1, 2]},
    {"plan": "pro", "a key": "x", "$event_name": "override"},
    {"plan": 'pro,"n":5', "n": 1},
    {"plan": "é", "n": 10, "tags": ["pro"]},
    {},
]
WHERE_EXPRESSIONS = [
    'properties["plan"] == "pro"',
    'properties["n"] > 1 and defined(properties["plan"])',
    'not defined(properties["plan"]) or properties["n"] == "7"',
    'properties["$event_name"] == "b" or properties["$event_name"] == "override"',
    'properties["a key"] == "x"',
    '"pro" in properties["tags"]',
    'properties["plan"] == "é"',
    "1 == 1",
    'number(properties["n"]) >= 2',
]


@pytest.mark.parametrize("where", WHERE_EXPRESSIONS)
def test_where_mask_shortcut_agrees_with_row_by_row_evaluation(where: str) -> None:
    rows = []
    for i, extra in enumerate(WHERE_ROWS * 3):
        properties = {"distinct_id": f"u{i}", "time": 1_000 + i, **extra}
        text = orjson.dumps(properties).decode()
        if i % 7 == 0:
            text = text.replace(":", ": ")  # spacing a client may have sent
        rows.append(("ab"[i % 2], f"u{i}", (1_000 + i) * 1000, None, text))
    rows.append(("a", "d", 5, None, '{"plan":"free","time":0,"plan":"pro"}'))  # repeated key
    frame = pl.DataFrame(
        rows, schema=["event", "distinct_id", "time", "insert_id", "properties"], orient="row"
    )
    node = expressions.parse(where)
    now = datetime(2024, 1, 1, tzinfo=UTC)
    expected = [
        expressions.evaluate(node, orjson.loads(p), event=e, now=now) is True
        for e, p in zip(frame["event"], frame["properties"], strict=True)
    ]
    assert ev.where_mask(frame, node, now=now).to_list() == expected


def test_processing_time_of_rows_loaded_back_is_their_own_time() -> None:
    store = EventStore()
    store.append([event_row("a", "u", 1_000, None)])
    store.replace(store.frame())  # as persistence and deletion do: ingestion times are lost
    before = time.time_ns() // 1_000_000
    store.append([event_row("b", "u", 2_000, None)])
    stamps = store.everything()["mp_processing_time_ms"].to_list()
    assert stamps[0] == 1_000
    assert before <= stamps[1] <= time.time_ns() // 1_000_000


async def test_a_stored_processing_time_is_not_written_twice(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    t = ms("2024-01-01T10:00:00")
    emu.state.default.events.append(
        [event_row("a", "u", t, "i", mp_processing_time_ms=5), event_row("b", "u", t + 1, "j")]
    )
    async with http.get(
        emu.url + EXPORT, params={"from_date": "2024-01-01", "to_date": "2024-01-01"}
    ) as response:
        lines = (await response.read()).splitlines()
    assert lines[0].count(b'"mp_processing_time_ms"') == lines[1].count(b'"mp_processing_time_ms"')
    assert orjson.loads(lines[0])["properties"]["mp_processing_time_ms"] == 5
    assert orjson.loads(lines[1])["properties"]["mp_processing_time_ms"] > 5
