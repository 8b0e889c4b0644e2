"""Query API parameters of Mixpanel's published spec over loopback HTTP: `format=csv` on the
time-series reports, `interval` (the last N units) on `/events` and `/events/properties`, and
`on`/`limit` on `/retention/addiction`. Expected numbers are counted here in plain Python from
the rows the test stores, never taken from the engine.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import io
from typing import Any

import aiohttp

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.store import EventRow
from tests.emulator.conftest import event_row, ms, query_get, running

Q = "/api/query"
DAYS = {"from_date": "2024-03-01", "to_date": "2024-03-03"}
RAW = [
    ("Purchase", "ann", "2024-03-01T10:00:00", "pro"),
    ("Purchase", "ann", "2024-03-01T11:30:00", "pro"),
    ("Purchase", "ann", "2024-03-02T11:00:00", "pro"),
    ("Purchase", "bob", "2024-03-02T08:00:00", "free"),
    ("Purchase", "bob", "2024-03-02T08:40:00", "free"),
    ("Purchase", "bob", "2024-03-02T09:10:00", None),
    ("Purchase", "cat", "2024-03-03T10:30:00", "free"),
    ("View", "ann", "2024-03-01T09:05:00", "pro"),
]


def rows_of(raw: list[tuple[str, str, str, str | None]]) -> list[EventRow]:
    """Store rows (a `plan` property only where given)."""
    out = []
    for event, user, when, plan in raw:
        props = {} if plan is None else {"plan": plan}
        out.append(event_row(event, user, ms(when), **props))
    return out


async def text_get(http: aiohttp.ClientSession, emu: Emulator, path: str, **params: Any) -> Any:
    """GET a Query API path of project 1; status, content type and body text."""
    query = {"project_id": "1", **{k: str(v) for k, v in params.items()}}
    async with http.get(emu.url + Q + path, params=query) as resp:
        return resp.status, resp.content_type, await resp.text()


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# -- format=csv ---------------------------------------------------------------------------------
async def test_segmentation_csv(http: aiohttp.ClientSession) -> None:
    async with running(rows_of(RAW), timezone="UTC") as emu:
        status, kind, text = await text_get(
            http, emu, "/segmentation", event="Purchase", format="csv", **DAYS
        )
    assert (status, kind) == (200, "text/csv")
    per_day = collections.Counter(when[:10] for event, _, when, _ in RAW if event == "Purchase")
    assert table(text) == [
        ["date", "Purchase"],
        *[[day, str(per_day[day])] for day in ("2024-03-01", "2024-03-02", "2024-03-03")],
    ]


async def test_segmented_csv_has_one_column_per_segment(http: aiohttp.ClientSession) -> None:
    async with running(rows_of(RAW), timezone="UTC") as emu:
        status, _, text = await text_get(
            http,
            emu,
            "/segmentation",
            event="Purchase",
            on='properties["plan"]',
            type="unique",
            format="csv",
            **DAYS,
        )
        _, body = await query_get(http, emu, "/segmentation", event="Purchase", **DAYS)
    assert status == 200
    header, *lines = table(text)
    assert header[0] == "date"
    users: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for event, user, when, plan in RAW:
        if event == "Purchase":
            users[(plan or "undefined", when[:10])].add(user)
    for line in lines:
        for name, cell in zip(header[1:], line[1:], strict=True):
            assert int(cell) == len(users[(name, line[0])]), (name, line)
    assert sorted(header[1:]) == ["free", "pro", "undefined"]
    assert [line[0] for line in lines] == body["data"]["series"]


async def test_event_and_property_counts_csv(http: aiohttp.ClientSession) -> None:
    async with running(rows_of(RAW), timezone="UTC") as emu:
        _, kind, events = await text_get(
            http, emu, "/events", event='["Purchase","View"]', type="general", unit="day",
            format="csv", **DAYS,
        )  # fmt: skip
        _, _, props = await text_get(
            http, emu, "/events/properties", event="Purchase", name="plan", type="general",
            unit="day", format="csv", values='["pro"]', **DAYS,
        )  # fmt: skip
        status, json_kind, _ = await text_get(
            http, emu, "/events", event='["View"]', type="general", unit="day", format="json",
            **DAYS,
        )  # fmt: skip
    assert kind == "text/csv"
    header, *lines = table(events)
    counts = collections.Counter((e, when[:10]) for e, _, when, _ in RAW)
    for line in lines:
        for name, cell in zip(header[1:], line[1:], strict=True):
            assert int(cell) == counts[(name, line[0])]
    assert sorted(header[1:]) == ["Purchase", "View"]
    pro = collections.Counter(w[:10] for e, _, w, p in RAW if e == "Purchase" and p == "pro")
    assert table(props) == [["date", "pro"], *[[d, str(pro[d])] for d in sorted(pro | {
        "2024-03-03": 0})]]  # fmt: skip
    assert (status, json_kind) == (200, "application/json")


# -- interval: the last N units -----------------------------------------------------------------
def _recent() -> tuple[list[EventRow], dt.date]:
    today = dt.datetime.now(dt.UTC).date()
    stamps = [
        (today, "ann"),
        (today, "bob"),
        (today - dt.timedelta(days=1), "ann"),
        (today - dt.timedelta(days=2), "cat"),
        (today - dt.timedelta(days=5), "dan"),  # outside a 3-day interval
    ]
    rows = [
        event_row("Open", user, int(dt.datetime.combine(day, dt.time(0, 1), dt.UTC).timestamp())
                  * 1000, plan="pro" if user != "cat" else "free")
        for day, user in stamps
    ]  # fmt: skip
    return rows, today


async def test_events_interval_is_the_last_units(http: aiohttp.ClientSession) -> None:
    rows, today = _recent()
    async with running(rows, timezone="UTC") as emu:
        status, body = await query_get(
            http, emu, "/events", event='["Open"]', type="general", unit="day", interval=3
        )
        _, props = await query_get(
            http, emu, "/events/properties", event="Open", name="plan", type="unique",
            unit="day", interval=2,
        )  # fmt: skip
        _, weekly = await query_get(
            http, emu, "/events", event='["Open"]', type="general", unit="week", interval=1
        )
    assert status == 200, body
    days = [(today - dt.timedelta(days=i)).isoformat() for i in (2, 1, 0)]
    assert body["data"]["series"] == days
    assert body["data"]["values"] == {"Open": {days[0]: 1, days[1]: 1, days[2]: 2}}
    assert props["data"]["series"] == days[1:]
    assert props["data"]["values"] == {"pro": {days[1]: 1, days[2]: 2}}
    monday = today - dt.timedelta(days=today.weekday())
    expected = sum(
        1 for r in rows if dt.datetime.fromtimestamp(r[2] / 1000, dt.UTC).date() >= monday
    )
    assert weekly["data"]["series"] == [monday.isoformat()]
    assert weekly["data"]["values"] == {"Open": {monday.isoformat(): expected}}


async def test_dates_win_over_interval(http: aiohttp.ClientSession) -> None:
    async with running(rows_of(RAW), timezone="UTC") as emu:
        _, body = await query_get(
            http, emu, "/events", event='["View"]', type="general", unit="day", interval=1, **DAYS
        )
    assert body["data"]["series"] == ["2024-03-01", "2024-03-02", "2024-03-03"]


# -- frequency with `on` ------------------------------------------------------------------------
def _frequency_by_segment(raw: list[tuple[str, str, str, str | None]]) -> dict[str, Any]:
    """Plain Python: per plan and day, users active in at least k distinct hours."""
    hours: dict[tuple[str, str, str], set[str]] = collections.defaultdict(set)
    for event, user, when, plan in raw:
        if event == "Purchase":
            hours[(plan or "undefined", when[:10], user)].add(when[:13])
    out: dict[str, dict[str, list[int]]] = {}
    segments = {seg for seg, _, _ in hours}
    for seg in segments:
        out[seg] = {}
        for day in ("2024-03-01", "2024-03-02", "2024-03-03"):
            active = [len(h) for (s, d, _), h in hours.items() if s == seg and d == day]
            out[seg][day] = [sum(1 for n in active if n >= k) for k in range(1, 25)]
    return out


async def test_frequency_on_segments(http: aiohttp.ClientSession) -> None:
    async with running(rows_of(RAW), timezone="UTC") as emu:
        status, body = await query_get(
            http, emu, "/retention/addiction", unit="day", addiction_unit="hour",
            event="Purchase", on='properties["plan"]', **DAYS,
        )  # fmt: skip
        _, top = await query_get(
            http, emu, "/retention/addiction", unit="day", addiction_unit="hour",
            event="Purchase", on='properties["plan"]', limit=1, **DAYS,
        )  # fmt: skip
        _, plain = await query_get(
            http, emu, "/retention/addiction", unit="day", addiction_unit="hour",
            event="Purchase", **DAYS,
        )  # fmt: skip
    assert status == 200, body
    expected = _frequency_by_segment(RAW)
    assert body["data"] == expected
    users = {s: sum(c[0] for c in v.values()) for s, v in expected.items()}
    best = sorted(users, key=lambda s: (-users[s], s))[0]
    assert top["data"] == {best: expected[best]}
    assert set(plain["data"]) == set(DAYS.values()) | {"2024-03-02"}
