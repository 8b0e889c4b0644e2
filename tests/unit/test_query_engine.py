"""The classic Query API engine (`emulator.engine.segmentation`, `funnels`, `retention`,
`frequency`) against independent recomputations.

The references share no code with the engine: plain Python over records decoded with the
standard library's `json` (with `zoneinfo` for local time) and DuckDB SQL over the same JSON
text. Expressions are re-evaluated by hand-written Python lambdas, not by the expression
module. Data: random events over six days that straddle local midnights in three timezones
(one of them changing to daylight saving time in the window), repeated users, missing keys,
values of mixed types, nested objects placed before the top-level keys, escaped strings,
duplicate keys and three JSON styles; plus events exactly at and just before midnight.
"""

from __future__ import annotations

import calendar
import json
import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import orjson
import polars as pl
import pytest

from mixpanel_async.emulator.engine import expressions
from mixpanel_async.emulator.engine import frequency as frequency_engine
from mixpanel_async.emulator.engine import funnels as funnel_engine
from mixpanel_async.emulator.engine import retention as retention_engine
from mixpanel_async.emulator.engine import rows as rows_engine
from mixpanel_async.emulator.engine import segmentation as seg
from mixpanel_async.emulator.store import EventRow, EventStore

TZS = ["UTC", "America/New_York", "Asia/Kolkata"]
FROM, TO = "2024-03-08", "2024-03-12"  # New York moves to EDT on 2024-03-10
EVENTS = ["View", "Sign Up", "Purchase"]
MISSING = object()
PLANS: list[Any] = ["free", "pro", "Pro", 3, 3.0, 2.5, True, False, None, "", "ünï", MISSING]
AMOUNTS: list[Any] = [5, 12, 12.5, "12", True, None, -3, 0, 100, 1000.25, MISSING, MISSING]
COUNTRIES: list[Any] = ["US", "FR", "DE", "", "Ünïcode", MISSING]  # one JSON type
PRICES: list[Any] = [1, 2.5, 20, 20.0, 33.3, -7, 250, MISSING]  # one JSON type
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


# -- data -----------------------------------------------------------------------------------------
def _encode(props: dict[str, Any], rng: random.Random, dupes: bool) -> str:
    style = rng.random()
    if dupes and style < 0.04 and "plan" in props:  # a duplicate key: JSON readers keep the last
        body = json.dumps(props, separators=(",", ":"))
        return '{"plan":"shadowed",' + body[1:]
    if style < 0.10:  # a nested object before the top-level keys, with the same key names
        return json.dumps({"meta": {"plan": "nested", "amount": 99}, **props})
    if style < 0.16:  # a string holding JSON-like text: escaped quotes
        return json.dumps({"note": 'x","plan":"fake', **props}, separators=(",", ":"))
    if style < 0.45:  # the standard library's default: spaces, ASCII escapes
        return json.dumps(props)
    return orjson.dumps(props).decode()


def make_rows(seed: int, n: int = 2500, *, dupes: bool = True) -> list[EventRow]:
    rng = random.Random(seed)
    users = [f"u{i}" for i in range(120)] + ["ünï", "42"]
    start = ms("2024-03-07T00:00:00")
    moments = [start + rng.randrange(7 * 86_400_000) for _ in range(n)]
    for tz in TZS:  # exactly at and just before each local midnight
        for d in range(6, 15):
            midnight = datetime(2024, 3, d, tzinfo=ZoneInfo(tz))
            edge = int(midnight.timestamp() * 1000)
            moments += [edge, edge - 1, edge, edge + 1]
    rows: list[EventRow] = []
    for t in moments:
        user = rng.choice(users)
        props: dict[str, Any] = {"distinct_id": user, "time": t // 1000}
        for key, pool in (
            ("plan", PLANS),
            ("amount", AMOUNTS),
            ("country", COUNTRIES),
            ("price", PRICES),
        ):
            value = rng.choice(pool)
            if value is not MISSING:
                props[key] = value
        if rng.random() < 0.05:
            props["plan"] = ["a", "b"]
        event = rng.choices(EVENTS, weights=[5, 2, 2])[0]
        rows.append((event, user, t, None, _encode(props, rng, dupes)))
    return rows


def frame_of(rows: Sequence[EventRow]) -> pl.DataFrame:
    store = EventStore()
    store.append(list(rows))
    return store.deduped()


@pytest.fixture(scope="module")
def rows() -> list[EventRow]:
    return make_rows(7)


@pytest.fixture(scope="module")
def frame(rows: list[EventRow]) -> pl.DataFrame:
    return frame_of(rows)


@pytest.fixture(scope="module")
def recs(rows: list[EventRow]) -> list[dict[str, Any]]:
    """Records in the store's order: by time, ties in arrival order (a stable sort)."""
    decoded = [
        {"event": e, "user": u, "time": t, "props": json.loads(p), "arrival": i}
        for i, (e, u, t, _, p) in enumerate(rows)
    ]
    ordered = sorted(decoded, key=lambda r: r["time"])
    for pos, r in enumerate(ordered):
        r["pos"] = pos
    return ordered


# -- independent reference helpers -------------------------------------------------------------
def ref_label(value: Any) -> str:
    if value is None:
        return "undefined"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value == int(value) and abs(value) < 1e16 else repr(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def local(t_ms: int, tz: str) -> datetime:
    return datetime.fromtimestamp(t_ms / 1000, ZoneInfo(tz))


def bounds(first: str, last: str, tz: str) -> tuple[int, int]:
    a = datetime.combine(date.fromisoformat(first), datetime.min.time(), ZoneInfo(tz))
    b = datetime.combine(
        date.fromisoformat(last) + timedelta(days=1), datetime.min.time(), ZoneInfo(tz)
    )
    return int(a.timestamp() * 1000), int(b.timestamp() * 1000)


def ref_key(t_ms: int, tz: str, unit: str) -> str:
    when = local(t_ms, tz)
    if unit == "minute":
        return when.strftime("%Y-%m-%d %H:%M:00")
    if unit == "hour":
        return when.strftime("%Y-%m-%d %H:00:00")
    day = when.date()
    if unit == "week":
        day -= timedelta(days=day.weekday())
    elif unit == "month":
        day = day.replace(day=1)
    return day.isoformat()


def ref_keys(first: str, last: str, tz: str, unit: str) -> list[str]:
    start, end = bounds(first, last, tz)
    step = 60_000 if unit == "minute" else 3_600_000  # every local hour starts a new key, if any
    out: list[str] = []
    for t in range(start, end, step):
        key = ref_key(t, tz, unit)
        if key not in out:
            out.append(key)
    return out


def ref_series(
    recs: list[dict[str, Any]],
    first: str,
    last: str,
    tz: str,
    unit: str,
    count_type: str,
    segment: Callable[[dict[str, Any]], str],
    keep: Callable[[dict[str, Any]], bool],
    limit: int | None = None,
) -> dict[str, Any]:
    start, end = bounds(first, last, tz)
    keys = ref_keys(first, last, tz, unit)
    events: dict[tuple[str, str], int] = defaultdict(int)
    users: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in recs:
        if start <= r["time"] < end and keep(r):
            cell = (segment(r), ref_key(r["time"], tz, unit))
            events[cell] += 1
            users[cell].add(r["user"])
    amounts: dict[str, dict[str, Any]] = defaultdict(dict)
    for (s, k), n in events.items():
        u = len(users[(s, k)])
        amounts[s][k] = n if count_type == "general" else u if count_type == "unique" else n / u
    ranked = sorted(amounts, key=lambda s: (-sum(amounts[s].values()), s))
    zero = 0.0 if count_type == "average" else 0
    values = {s: {k: amounts[s].get(k, zero) for k in keys} for s in ranked[:limit]}
    return {"data": {"series": keys, "values": values}, "legend_size": len(values)}


def assert_close(got: Any, want: Any, path: str = "") -> None:
    if isinstance(want, dict):
        assert isinstance(got, dict), path
        assert set(got) == set(want), (path, set(got) ^ set(want))
        for k in want:
            assert_close(got[k], want[k], f"{path}/{k}")
    elif isinstance(want, list):
        assert isinstance(got, list), path
        assert len(got) == len(want), (path, got, want)
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_close(g, w, f"{path}[{i}]")
    elif isinstance(want, float):
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9), path
    else:
        assert got == want, (path, got, want)


def plan_of(r: dict[str, Any]) -> Any:
    return r["props"].get("plan")


def amount_over_10(r: dict[str, Any]) -> bool:
    a = r["props"].get("amount")
    return is_num(a) and a > 10


def everything(_: dict[str, Any]) -> bool:
    return True


# -- segmentation -------------------------------------------------------------------------------
@pytest.mark.parametrize("tz", TZS)
@pytest.mark.parametrize(
    ("unit", "count_type"),
    [
        ("day", "general"),
        ("day", "unique"),
        ("week", "average"),
        ("month", "unique"),
        ("hour", "general"),
        ("minute", "general"),
    ],
)
def test_segmentation_by_plan(
    frame: pl.DataFrame, recs: list[dict[str, Any]], tz: str, unit: str, count_type: str
) -> None:
    last = FROM if unit == "minute" else TO
    window = seg.Window(from_date=FROM, to_date=last, timezone=tz, unit=unit)
    got = seg.segmentation(
        frame, window, event="View", count_type=count_type, on='properties["plan"]', limit=None
    )
    view = [r for r in recs if r["event"] == "View"]
    want = ref_series(
        view, FROM, last, tz, unit, count_type, lambda r: ref_label(plan_of(r)), everything
    )
    assert_close(got, want)
    assert "undefined" in got["data"]["values"]
    assert "nested" not in got["data"]["values"]
    assert "fake" not in got["data"]["values"]


@pytest.mark.parametrize("tz", TZS)
def test_segmentation_where_limit_and_computed_on(
    frame: pl.DataFrame, recs: list[dict[str, Any]], tz: str
) -> None:
    window = seg.Window(from_date=FROM, to_date=TO, timezone=tz, where='properties["amount"] > 10')
    got = seg.segmentation(frame, window, event="Purchase", on='properties["amount"] * 2', limit=3)

    def doubled(r: dict[str, Any]) -> str:
        a = r["props"].get("amount")
        return ref_label(a * 2 if is_num(a) else None)

    buys = [r for r in recs if r["event"] == "Purchase"]
    want = ref_series(buys, FROM, TO, tz, "day", "general", doubled, amount_over_10, limit=3)
    assert_close(got, want)
    assert got["legend_size"] == 3
    plain = seg.segmentation(frame, window, event="Purchase")
    assert_close(
        plain,
        ref_series(buys, FROM, TO, tz, "day", "general", lambda r: "Purchase", amount_over_10),
    )


def test_segmentation_interval_buckets(frame: pl.DataFrame, recs: list[dict[str, Any]]) -> None:
    window = seg.Window(from_date=FROM, to_date=TO, timezone="UTC", interval=2)
    got = seg.segmentation(frame, window, event="View", count_type="unique")
    start, end = bounds(FROM, TO, "UTC")
    users: dict[str, set[str]] = {"2024-03-08": set(), "2024-03-10": set(), "2024-03-12": set()}
    for r in recs:
        if r["event"] == "View" and start <= r["time"] < end:
            day = (r["time"] - start) // 86_400_000
            users[["2024-03-08", "2024-03-10", "2024-03-12"][day // 2]].add(r["user"])
    assert got["data"]["values"] == {"View": {k: len(v) for k, v in users.items()}}


def test_unknown_event_is_empty(frame: pl.DataFrame) -> None:
    window = seg.Window(from_date=FROM, to_date=TO)
    got = seg.segmentation(frame, window, event="Nope", on='properties["plan"]')
    assert got == {
        "data": {"series": ref_keys(FROM, TO, "UTC", "day"), "values": {}},
        "legend_size": 0,
    }


@pytest.mark.parametrize("cutoff", [0, rows_engine._MAX_COMBOS])
def test_compiled_and_per_value_paths_agree(
    frame: pl.DataFrame, recs: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, cutoff: int
) -> None:
    """With the cut-off at 0 every expression tries the polars compilation first (it applies
    to `country` and `price`, each of one JSON type; `amount` is mixed and stays per value)."""
    monkeypatch.setattr(rows_engine, "_MAX_COMBOS", cutoff)
    tz = "America/New_York"
    start, end = bounds(FROM, TO, tz)
    keys = ref_keys(FROM, TO, tz, "day")
    cases: list[tuple[str, Callable[[dict[str, Any]], bool]]] = [
        (
            'properties["price"] >= 2 and properties["price"] < 100',
            lambda p: is_num(p.get("price")) and 2 <= p["price"] < 100,
        ),
        (
            'properties["amount"] >= 5 and properties["amount"] < 500',
            lambda p: is_num(p.get("amount")) and 5 <= p["amount"] < 500,
        ),
    ]
    for where, keep in cases:
        window = seg.Window(from_date=FROM, to_date=TO, timezone=tz, where=where)
        got = seg.aggregate(frame, window, how="sum", event="View", on='properties["price"] * 3')
        want = dict.fromkeys(keys, 0.0)
        for r in recs:
            price = r["props"].get("price")
            if r["event"] == "View" and start <= r["time"] < end and keep(r["props"]):
                want[ref_key(r["time"], tz, "day")] += price * 3 if is_num(price) else 0.0
        assert_close({k: float(v) for k, v in got.items()}, want)
        labels = seg.segmentation(
            frame, window, event="View", on='properties["country"]', count_type="unique", limit=None
        )
        view = [r for r in recs if r["event"] == "View"]
        assert_close(
            labels,
            ref_series(
                view,
                FROM,
                TO,
                tz,
                "day",
                "unique",
                lambda r: ref_label(r["props"].get("country")),
                lambda r: keep(r["props"]),  # noqa: B023 - used within this iteration
            ),
        )


# -- numeric, sum, average ----------------------------------------------------------------------
def ref_ranges(values: list[float]) -> tuple[float, int, int]:
    lo, hi = min(values), max(values)
    width = 10.0 ** math.floor(math.log10(hi - lo)) if hi > lo else 1.0
    return width, math.floor(round(lo / width, 9)), math.floor(round(hi / width, 9))


@pytest.mark.parametrize(("tz", "count_type"), [("UTC", "general"), ("Asia/Kolkata", "unique")])
def test_numeric_buckets(
    frame: pl.DataFrame, recs: list[dict[str, Any]], tz: str, count_type: str
) -> None:
    window = seg.Window(from_date=FROM, to_date=TO, timezone=tz)
    got = seg.numeric(
        frame, window, event="Purchase", on='properties["amount"]', count_type=count_type
    )
    start, end = bounds(FROM, TO, tz)
    buys = [
        r
        for r in recs
        if r["event"] == "Purchase"
        and start <= r["time"] < end
        and is_num(r["props"].get("amount"))
    ]
    width, _, _ = ref_ranges([r["props"]["amount"] for r in buys])
    assert width == 1000.0  # -3 .. 1000.25

    def bucket(r: dict[str, Any]) -> str:
        k = math.floor(round(r["props"]["amount"] / width, 9))
        return f"{k * width:,.0f} - {(k + 1) * width:,.0f}"

    want = ref_series(buys, FROM, TO, tz, "day", count_type, bucket, everything)
    assert_close(got, want)
    assert set(got["data"]["values"]) == {"-1,000 - 0", "0 - 1,000", "1,000 - 2,000"}


def test_numeric_ranges_small_spread() -> None:
    index, labels = seg.numeric_ranges(pl.Series([0.31, 0.3, 0.45, 0.39]))  # spread 0.15
    assert (labels, index.to_list()) == (["0.3 - 0.4", "0.4 - 0.5"], [0, 0, 1, 0])
    index, labels = seg.numeric_ranges(pl.Series([0.3, 0.7, 0.1]))  # 0.3 / 0.1 < 3 in floats
    assert (labels, index.to_list()) == (
        ["0.1 - 0.2", "0.2 - 0.3", "0.3 - 0.4", "0.4 - 0.5", "0.5 - 0.6", "0.6 - 0.7", "0.7 - 0.8"],
        [2, 6, 0],
    )
    index, labels = seg.numeric_ranges(pl.Series([2034.0, 2490, 2100]))
    assert (labels, index.to_list()) == (
        ["2,000 - 2,100", "2,100 - 2,200", "2,200 - 2,300", "2,300 - 2,400", "2,400 - 2,500"],
        [0, 4, 1],
    )
    index, labels = seg.numeric_ranges(pl.Series([7.0, 7.0]))
    assert (labels, index.to_list()) == (["7 - 8"], [0, 0])


@pytest.mark.parametrize("tz", TZS)
@pytest.mark.parametrize("unit", ["day", "hour"])
def test_sum_and_average(
    frame: pl.DataFrame, recs: list[dict[str, Any]], tz: str, unit: str
) -> None:
    window = seg.Window(
        from_date=FROM, to_date=TO, timezone=tz, unit=unit, where='properties["plan"] != "free"'
    )
    got_sum = seg.aggregate(frame, window, how="sum", event="Purchase", on='properties["amount"]')
    got_avg = seg.aggregate(
        frame, window, how="average", event="Purchase", on='properties["amount"]'
    )
    start, end = bounds(FROM, TO, tz)
    keys = ref_keys(FROM, TO, tz, unit)
    total, count = dict.fromkeys(keys, 0.0), dict.fromkeys(keys, 0)
    for r in recs:
        if r["event"] != "Purchase" or not start <= r["time"] < end:
            continue
        if plan_of(r) == "free":  # `!=` is true across types and for undefined
            continue
        a = r["props"].get("amount")
        key = ref_key(r["time"], tz, unit)
        total[key] += a if is_num(a) else 0.0
        count[key] += 1
    assert_close({k: float(v) for k, v in got_sum.items()}, total)
    assert_close(
        {k: float(v) for k, v in got_avg.items()},
        {k: total[k] / count[k] if count[k] else 0.0 for k in keys},
    )
    assert all(isinstance(v, int) == float(v).is_integer() for v in got_sum.values())


# -- event and property counts (DuckDB) ---------------------------------------------------------
@pytest.fixture(scope="module")
def clean_rows() -> list[EventRow]:
    return make_rows(11, dupes=False)


@pytest.fixture(scope="module")
def duck(clean_rows: list[EventRow]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE ev (event VARCHAR, distinct_id VARCHAR, time BIGINT, props VARCHAR)")
    con.executemany(
        "INSERT INTO ev VALUES (?, ?, ?, ?)", [(e, u, t, p) for e, u, t, _, p in clean_rows]
    )
    return con


SQL_KEY = {
    "day": "strftime(date_trunc('day', {local}), '%Y-%m-%d')",
    "week": "strftime(date_trunc('week', {local}), '%Y-%m-%d')",
    "month": "strftime(date_trunc('month', {local}), '%Y-%m-%d')",
    "hour": "strftime(date_trunc('hour', {local}), '%Y-%m-%d %H:00:00')",
}
SQL_AMOUNT = {
    "general": "count(*)",
    "unique": "count(DISTINCT distinct_id)",
    "average": "count(*) / count(DISTINCT distinct_id)",
}


def duck_series(
    con: duckdb.DuckDBPyConnection,
    segment_sql: str,
    where_sql: str,
    tz: str,
    unit: str,
    count_type: str,
) -> dict[str, dict[str, Any]]:
    start, end = bounds(FROM, TO, tz)
    local = f"timezone('{tz}', to_timestamp(time / 1000))"
    key = SQL_KEY[unit].format(local=local)
    sql = f"""
        SELECT {segment_sql} AS s, {key} AS k, {SQL_AMOUNT[count_type]} AS v FROM ev
        WHERE time >= {start} AND time < {end} AND {where_sql} GROUP BY 1, 2"""
    keys = ref_keys(FROM, TO, tz, unit)
    zero = 0.0 if count_type == "average" else 0
    out: dict[str, dict[str, Any]] = {}
    for s, k, v in con.execute(sql).fetchall():
        out.setdefault(s, dict.fromkeys(keys, zero))[k] = v
    return out


@pytest.mark.parametrize("tz", TZS)
@pytest.mark.parametrize(
    ("unit", "count_type"),
    [("day", "general"), ("week", "unique"), ("month", "average"), ("hour", "unique")],
)
def test_event_counts_against_duckdb(
    clean_rows: list[EventRow], duck: duckdb.DuckDBPyConnection, tz: str, unit: str, count_type: str
) -> None:
    window = seg.Window(from_date=FROM, to_date=TO, timezone=tz, unit=unit)
    got = seg.event_counts(
        frame_of(clean_rows), window, events=["View", "Purchase", "Missing"], count_type=count_type
    )
    want = duck_series(duck, "event", "event IN ('View', 'Purchase')", tz, unit, count_type)
    assert_close(got["data"]["values"], want)
    assert got["legend_size"] == 2
    assert got["data"]["series"] == ref_keys(FROM, TO, tz, unit)


PLAN_SQL = """CASE json_type(props, '$.plan')
    WHEN 'VARCHAR' THEN json_extract_string(props, '$.plan')
    WHEN 'BOOLEAN' THEN json_extract_string(props, '$.plan')
    WHEN 'BIGINT' THEN json_extract_string(props, '$.plan')
    WHEN 'UBIGINT' THEN json_extract_string(props, '$.plan')
    WHEN 'DOUBLE' THEN CASE
        WHEN CAST(json_extract(props, '$.plan') AS DOUBLE)
             = floor(CAST(json_extract(props, '$.plan') AS DOUBLE))
        THEN CAST(CAST(json_extract(props, '$.plan') AS DOUBLE) AS BIGINT)::VARCHAR
        ELSE json_extract_string(props, '$.plan') END
    WHEN 'ARRAY' THEN CAST(json_extract(props, '$.plan') AS VARCHAR)
    ELSE 'undefined' END"""


@pytest.mark.parametrize("tz", TZS)
def test_property_counts_against_duckdb(
    clean_rows: list[EventRow], duck: duckdb.DuckDBPyConnection, tz: str
) -> None:
    frame = frame_of(clean_rows)
    window = seg.Window(from_date=FROM, to_date=TO, timezone=tz)
    got = seg.property_counts(frame, window, event="View", name="plan", limit=None)
    want = duck_series(duck, PLAN_SQL, "event = 'View'", tz, "day", "general")
    assert_close(got["data"]["values"], want)
    chosen = seg.property_counts(
        frame, window, event="View", name="plan", values=["pro", "3"], count_type="unique"
    )
    unique = duck_series(duck, PLAN_SQL, "event = 'View'", tz, "day", "unique")
    assert_close(chosen["data"]["values"], {"pro": unique["pro"], "3": unique["3"]})
    top = seg.property_counts(frame, window, event="View", name="plan", limit=2)
    ranked = sorted(want, key=lambda s: (-sum(want[s].values()), s))[:2]
    assert list(top["data"]["values"]) == ranked


# -- funnels ------------------------------------------------------------------------------------
def ref_funnel(
    recs: list[dict[str, Any]],
    steps: list[str],
    tz: str,
    span_ms: int,
    unit: str,
    on: Callable[[dict[str, Any]], str] | None,
    keep: Callable[[dict[str, Any]], bool],
) -> dict[str, Any]:
    start, end = bounds(FROM, TO, tz)
    per_user: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in recs:
        per_user[r["user"]].append(r)
    journeys = []
    for mine in per_user.values():
        entry = next(
            (r for r in mine if r["event"] == steps[0] and start <= r["time"] < end and keep(r)),
            None,
        )
        if entry is None:
            continue
        times, last = [entry["time"]], entry["pos"]
        for step in steps[1:]:
            hit = next(
                (
                    r
                    for r in mine
                    if r["pos"] > last
                    and r["event"] == step
                    and keep(r)
                    and r["time"] <= entry["time"] + span_ms
                ),
                None,
            )
            if hit is None:
                break
            times.append(hit["time"])
            last = hit["pos"]
        segment = on(entry) if on else ""
        journeys.append((ref_key(entry["time"], tz, unit), segment, times))
    keys = ref_keys(FROM, TO, tz, unit)

    def steps_of(group: list[list[int]]) -> list[dict[str, Any]]:
        out, counts = [], [sum(1 for g in group if len(g) > k) for k in range(len(steps))]
        for k, name in enumerate(steps):
            done = [g for g in group if len(g) > k]
            prev = counts[k - 1] if k else counts[0]
            out.append(
                {
                    "count": counts[k],
                    "avg_time": round(sum(g[k] - g[k - 1] for g in done) / len(done) / 1000)
                    if k and done
                    else None,
                    "avg_time_from_start": round(sum(g[k] - g[0] for g in done) / len(done) / 1000)
                    if k and done
                    else None,
                    "step_conv_ratio": counts[k] / prev if prev else 0.0,
                    "overall_conv_ratio": counts[k] / counts[0] if counts[0] else 0.0,
                    "goal": name,
                    "event": name,
                }
            )
        return out

    data: dict[str, Any] = {}
    segments = sorted(
        {s for _, s, _ in journeys}, key=lambda s: (-sum(1 for _, x, _ in journeys if x == s), s)
    )
    for key in keys:
        group = [t for k, _, t in journeys if k == key]
        if on is None:
            listed = steps_of(group)
            ratios = [s["step_conv_ratio"] for s in listed]
            worst = min(range(1, len(ratios)), key=lambda i: ratios[i]) if len(ratios) > 1 else 0
            data[key] = {
                "steps": listed,
                "analysis": {
                    "completion": listed[-1]["count"],
                    "starting_amount": listed[0]["count"],
                    "steps": len(listed),
                    "worst": worst,
                },
            }
        else:
            data[key] = {"$overall": steps_of(group)}
            for s in segments:
                data[key][s] = steps_of([t for k, x, t in journeys if k == key and x == s])
    return {"meta": {"dates": keys}, "data": data}


@pytest.mark.parametrize(
    ("tz", "steps", "length", "length_unit", "unit"),
    [
        ("UTC", ["View", "Purchase"], 1, "day", "day"),
        ("America/New_York", ["View", "Sign Up", "Purchase"], 2, "hour", "day"),
        ("Asia/Kolkata", ["View", "View", "Purchase"], 30, "minute", "week"),
        ("UTC", ["Sign Up", "Purchase", "Sign Up"], 90, "day", "month"),
        ("America/New_York", ["Purchase", "View"], 4000, "second", "day"),
    ],
)
def test_funnel(
    frame: pl.DataFrame,
    recs: list[dict[str, Any]],
    tz: str,
    steps: list[str],
    length: int,
    length_unit: str,
    unit: str,
) -> None:
    span = (
        length
        * {"second": 1000, "minute": 60_000, "hour": 3_600_000, "day": 86_400_000}[length_unit]
    )
    got = funnel_engine.funnel(
        frame,
        steps=steps,
        from_date=FROM,
        to_date=TO,
        timezone=tz,
        length=length,
        length_unit=length_unit,
        unit=unit,
    )
    assert_close(got, ref_funnel(recs, steps, tz, span, unit, None, everything))
    assert sum(d["steps"][0]["count"] for d in got["data"].values()) > 0


def test_funnel_on_and_where(frame: pl.DataFrame, recs: list[dict[str, Any]]) -> None:
    tz = "America/New_York"
    got = funnel_engine.funnel(
        frame,
        steps=["View", "Purchase"],
        from_date=FROM,
        to_date=TO,
        timezone=tz,
        length=6,
        length_unit="hour",
        on='properties["plan"]',
        where='properties["amount"] > 10',
        limit=100,
    )
    want = ref_funnel(
        recs,
        ["View", "Purchase"],
        tz,
        6 * 3_600_000,
        "day",
        lambda r: ref_label(plan_of(r)),
        amount_over_10,
    )
    assert_close(got, want)
    top2 = funnel_engine.funnel(
        frame,
        steps=["View", "Purchase"],
        from_date=FROM,
        to_date=TO,
        timezone=tz,
        on='properties["plan"]',
        limit=2,
    )
    assert all(len(day) == 3 for day in top2["data"].values())


def test_funnel_bad_window() -> None:
    with pytest.raises(ValueError, match="90 days"):
        funnel_engine.window_ms(91, "day")
    assert funnel_engine.window_ms(90, "day") == 90 * 86_400_000


# -- retention ----------------------------------------------------------------------------------
def add_months(d: datetime, months: int) -> datetime:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return d.replace(year=year, month=month, day=min(d.day, calendar.monthrange(year, month)[1]))


def ref_retention(
    recs: list[dict[str, Any]],
    tz: str,
    kind: str,
    born: str | None,
    back: str | None,
    interval: int,
    count: int,
    unit: str,
    unbounded: bool,
    born_keep: Callable[[dict[str, Any]], bool],
    keep: Callable[[dict[str, Any]], bool],
) -> dict[str, Any]:
    start, end = bounds(FROM, TO, tz)
    keys = ref_keys(FROM, TO, tz, unit)
    members: list[tuple[str, dict[str, Any]]] = []  # (cohort key, birth record)
    if kind == "birth":
        firsts: dict[str, dict[str, Any]] = {}
        for r in recs:
            if r["event"] == born and r["time"] < end and born_keep(r):
                firsts.setdefault(r["user"], r)
        members = [(ref_key(r["time"], tz, unit), r) for r in firsts.values() if r["time"] >= start]
    else:
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for r in recs:
            if (back is None or r["event"] == back) and start <= r["time"] < end and keep(r):
                seen.setdefault((r["user"], ref_key(r["time"], tz, unit)), r)
        members = [(k, r) for (_, k), r in seen.items()]
    step = {"day": 86_400_000, "week": 7 * 86_400_000}.get(unit, 0) * interval
    out: dict[str, Any] = {k: {"first": 0, "counts": [0] * (count + 1)} for k in keys}
    for key, b in members:
        out[key]["first"] += 1
        reached = set()
        for r in recs:
            if r["user"] != b["user"] or r is b or r["time"] < b["time"]:
                continue
            if (back is not None and r["event"] != back) or not keep(r):
                continue
            if unit == "month":
                lb, lt = (
                    local(b["time"], tz).replace(tzinfo=None),
                    local(r["time"], tz).replace(tzinfo=None),
                )
                months = (lt.year - lb.year) * 12 + lt.month - lb.month
                if add_months(lb, months) > lt:
                    months -= 1
                i = months // interval
            else:
                i = (r["time"] - b["time"]) // step
            if i <= count:
                reached.add(i)
        for i in range(count + 1):
            if i in reached or (unbounded and reached and max(reached) >= i):
                out[key]["counts"][i] += 1
    return out


@pytest.mark.parametrize(
    ("tz", "kind", "born", "back", "interval", "count", "unit", "unbounded"),
    [
        ("UTC", "birth", "Sign Up", "Purchase", 1, 4, "day", False),
        ("America/New_York", "birth", "Purchase", None, 2, 3, "day", True),
        ("Asia/Kolkata", "compounded", None, "View", 1, 5, "day", False),
        ("America/New_York", "compounded", None, "Purchase", 1, 1, "week", True),
        ("UTC", "birth", "Sign Up", "Sign Up", 1, 2, "month", False),
    ],
)
def test_retention(
    frame: pl.DataFrame,
    recs: list[dict[str, Any]],
    tz: str,
    kind: str,
    born: str | None,
    back: str | None,
    interval: int,
    count: int,
    unit: str,
    unbounded: bool,
) -> None:
    got = retention_engine.retention(
        frame,
        from_date=FROM,
        to_date=TO,
        timezone=tz,
        retention_type=kind,
        born_event=born,
        event=back,
        interval=interval,
        interval_count=count,
        unit=unit,
        unbounded=unbounded,
        now=FAR_FUTURE,
    )
    want = ref_retention(
        recs, tz, kind, born, back, interval, count, unit, unbounded, everything, everything
    )
    assert got == want
    assert sum(c["first"] for c in got.values()) > 0


def test_retention_filters_and_truncation(frame: pl.DataFrame, recs: list[dict[str, Any]]) -> None:
    tz = "UTC"
    got = retention_engine.retention(
        frame,
        from_date=FROM,
        to_date=TO,
        timezone=tz,
        born_event="View",
        event="Purchase",
        born_where='properties["plan"] == "pro"',
        where='properties["amount"] > 10',
        interval_count=3,
        now=FAR_FUTURE,
    )
    want = ref_retention(
        recs,
        tz,
        "birth",
        "View",
        "Purchase",
        1,
        3,
        "day",
        False,
        lambda r: plan_of(r) == "pro",
        amount_over_10,
    )
    assert got == want
    now = datetime(2024, 3, 11, 12, tzinfo=UTC)
    cut = retention_engine.retention(
        frame,
        from_date=FROM,
        to_date=TO,
        born_event="View",
        event="Purchase",
        interval_count=5,
        now=now,
    )
    assert [len(c["counts"]) for c in cut.values()] == [4, 3, 2, 1, 0]


def test_retention_on(frame: pl.DataFrame, recs: list[dict[str, Any]]) -> None:
    got = retention_engine.retention(
        frame,
        from_date=FROM,
        to_date=TO,
        born_event="Sign Up",
        event="View",
        on='properties["plan"]',
        interval_count=2,
        limit=3,
        now=FAR_FUTURE,
    )
    assert len(got) == 3
    for segment, cohorts in got.items():
        want = ref_retention(
            recs,
            "UTC",
            "birth",
            "Sign Up",
            "View",
            1,
            2,
            "day",
            False,
            everything,
            lambda r: ref_label(plan_of(r)) == segment,  # noqa: B023 - used at once
        )
        assert cohorts == want


def test_retention_needs_born_event(frame: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="born_event"):
        retention_engine.retention(frame, from_date=FROM, to_date=TO, born_event=None)


# -- frequency ----------------------------------------------------------------------------------
def ref_frequency(
    recs: list[dict[str, Any]],
    tz: str,
    unit: str,
    addiction: str,
    event: str | None,
    keep: Callable[[dict[str, Any]], bool],
) -> dict[str, Any]:
    out: dict[str, list[int]] = {}
    day = date.fromisoformat(FROM)
    while day <= date.fromisoformat(TO):
        if unit == "day":
            stop = day + timedelta(days=1)
        elif unit == "week":
            stop = day + timedelta(days=7)
        else:
            stop = add_months(datetime.combine(day, datetime.min.time()), 1).date()
        start, _ = bounds(day.isoformat(), day.isoformat(), tz)
        _, end = bounds(
            (stop - timedelta(days=1)).isoformat(), (stop - timedelta(days=1)).isoformat(), tz
        )
        slots: dict[str, set[Any]] = defaultdict(set)
        for r in recs:
            if start <= r["time"] < end and (event is None or r["event"] == event) and keep(r):
                when = local(r["time"], tz)
                slots[r["user"]].add((when.date(), when.hour if addiction == "hour" else 0))
        size = (stop - day).days * (24 if addiction == "hour" else 1)
        out[day.isoformat()] = [sum(1 for s in slots.values() if len(s) > k) for k in range(size)]
        day += timedelta(days=1)
    return {"data": out}


@pytest.mark.parametrize(
    ("tz", "unit", "addiction", "event"),
    [
        ("UTC", "day", "hour", "View"),
        ("America/New_York", "day", "hour", None),
        ("Asia/Kolkata", "week", "day", "Purchase"),
        ("America/New_York", "week", "hour", "View"),
        ("UTC", "month", "day", None),
    ],
)
def test_frequency(
    frame: pl.DataFrame,
    recs: list[dict[str, Any]],
    tz: str,
    unit: str,
    addiction: str,
    event: str | None,
) -> None:
    got = frequency_engine.frequency(
        frame,
        from_date=FROM,
        to_date=TO,
        timezone=tz,
        unit=unit,
        addiction_unit=addiction,
        event=event,
    )
    assert got == ref_frequency(recs, tz, unit, addiction, event, everything)
    assert max(max(v) for v in got["data"].values()) > 0


def test_frequency_where(frame: pl.DataFrame, recs: list[dict[str, Any]]) -> None:
    got = frequency_engine.frequency(
        frame,
        from_date=FROM,
        to_date=TO,
        unit="day",
        addiction_unit="hour",
        where='properties["plan"] == "pro"',
    )
    assert got == ref_frequency(recs, "UTC", "day", "hour", None, lambda r: plan_of(r) == "pro")


# -- machinery ----------------------------------------------------------------------------------
def test_bad_expressions_and_ranges(frame: pl.DataFrame) -> None:
    window = seg.Window(from_date=FROM, to_date=TO, where='properties["a" ==')
    with pytest.raises(expressions.ExpressionError):
        seg.segmentation(frame, window, event="View")
    bad_logic = seg.Window(from_date=FROM, to_date=TO, where='properties["plan"] and true')
    with pytest.raises(expressions.ExpressionError):
        seg.segmentation(frame, bad_logic, event="View")
    minutes = seg.Window(from_date="2020-01-01", to_date="2024-01-01", unit="minute")
    with pytest.raises(ValueError, match="too many"):
        seg.segmentation(frame, minutes, event="View")


def test_dst_hour_buckets() -> None:
    """New York's 2024-11-03 repeats 01:00; both physical hours share the key."""
    buckets = seg.make_buckets("2024-11-03", "2024-11-03", "America/New_York", "hour")
    assert len(buckets.keys) == 24
    assert buckets.bounds.len() == 25
    assert buckets.keys[1] == "2024-11-03 01:00:00"
    times = pl.Series([ms("2024-11-03T05:30:00"), ms("2024-11-03T06:30:00")])  # 01:30 EDT, EST
    assert buckets.index(times).to_list() == [1, 1]


def test_cache_follows_the_frame(rows: list[EventRow]) -> None:
    store = EventStore()
    store.append(rows[:100])
    window = seg.Window(from_date="2024-03-01", to_date="2024-03-20")
    first = seg.event_counts(store.deduped(), window, events=EVENTS)
    again = seg.event_counts(store.deduped(), window, events=EVENTS)
    assert first == again
    store.append(rows[100:200])
    more = seg.event_counts(store.deduped(), window, events=EVENTS)
    total = sum(sum(v.values()) for v in more["data"]["values"].values())
    assert total == sum(
        1
        for e, _, t, _, _ in rows[:200]
        if e in EVENTS and ms("2024-03-01T00:00:00") <= t < ms("2024-03-21T00:00:00")
    )
