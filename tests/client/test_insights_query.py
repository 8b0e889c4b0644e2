"""`query()`, `build_params()` and `run_params()` over loopback: answers checked against counts
made here in plain Python, arguments refused before any request, Mixpanel's errors, and the
Query API's concurrency limit kept without the caller's help."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from mixpanel_async import (
    AsyncWorkspace,
    BookmarkValidationError,
    Filter,
    GroupBy,
    Metric,
    ParamValidationError,
    QueryError,
    QueryResult,
)
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from mixpanel_async.transport.limits import Limit
from tests.helpers import FAST, ev, serving

SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z
DAY = 86_400
PLANS = ["free", "pro", "team"]
ROWS = [
    ev(
        "Purchase" if i % 3 else "Sign Up",
        f"u{i % 7}",
        SEP1 + (i % 5) * DAY + i,
        plan=PLANS[i % 3],
        amount=i,
    )
    for i in range(60)
]


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(ROWS))
    return mixpanel_emulator


def _by_day(keep: Callable[[dict[str, Any]], bool], unique: bool = False) -> dict[str, int]:
    """Events (or distinct users) per UTC day among ROWS, counted here."""
    seen: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for row in ROWS:
        if keep(row):
            day = dt.datetime.fromtimestamp(row["properties"]["time"], dt.UTC).date().isoformat()
            counts[day] += 1
            seen.setdefault(day, set()).add(row["properties"]["distinct_id"])
    return {d: len(u) for d, u in seen.items()} if unique else dict(counts)


def _nonzero(series: dict[str, float]) -> dict[str, int]:
    return {key[:10]: int(value) for key, value in series.items() if value}


SEPT = {"from_date": "2026-09-01", "to_date": "2026-09-07"}


async def test_total_and_unique_per_day(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    result = await mixpanel_workspace.query(["Purchase", Metric("Purchase", math="unique")], **SEPT)
    assert isinstance(result, QueryResult)
    total, unique = result.series.values()
    assert _nonzero(total) == _by_day(lambda r: r["event"] == "Purchase")
    assert _nonzero(unique) == _by_day(lambda r: r["event"] == "Purchase", unique=True)
    assert result.params == mixpanel_workspace.build_params(
        ["Purchase", Metric("Purchase", math="unique")], **SEPT
    )
    assert set(result.df.columns) == {"date", "event", "count"}


async def test_filter_and_breakdown(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    result = await mixpanel_workspace.query(
        "Purchase", where=Filter.not_equals("plan", "free"), group_by=GroupBy("plan"), **SEPT
    )
    node = result.series["Purchase"]
    for plan in ("pro", "team"):
        expected = _by_day(
            lambda r, p=plan: r["event"] == "Purchase" and r["properties"]["plan"] == p
        )
        assert _nonzero(node[plan]) == expected
    assert "free" not in node
    frame = result.df
    assert frame.filter(frame["segment"] == "pro")["count"].sum() == sum(
        1 for r in ROWS if r["event"] == "Purchase" and r["properties"]["plan"] == "pro"
    )


async def test_total_mode_and_run_params(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    params = mixpanel_workspace.build_params("Sign Up", mode="total", **SEPT)
    result = await mixpanel_workspace.run_params(params, limit=10)
    assert result.series["Sign Up"] == {"all": sum(1 for r in ROWS if r["event"] == "Sign Up")}
    assert "date" not in result.df.columns


BAD: list[tuple[Callable[[AsyncWorkspace], Awaitable[Any]], str]] = [
    (lambda ws: ws.query([]), "events"),
    (lambda ws: ws.query(""), "events"),
    (lambda ws: ws.query(42), "events"),  # type: ignore[arg-type]
    (lambda ws: ws.query("A", math="average"), "math"),
    (lambda ws: ws.query("A", math="unique", math_property="x"), "math_property"),
    (lambda ws: ws.query("A", math="percentile", math_property="x"), "percentile_value"),
    (lambda ws: ws.query("A", math="histogram", math_property="x"), "per_user"),
    (lambda ws: ws.query("A", math="unique", per_user="total", math_property="x"), "per_user"),
    (lambda ws: ws.query("A", per_user="total"), "per_user"),
    (lambda ws: ws.query("A", math="bogus"), "math"),  # type: ignore[arg-type]
    (lambda ws: ws.query("A", unit="year"), "unit"),  # type: ignore[arg-type]
    (lambda ws: ws.query("A", mode="pie"), "mode"),  # type: ignore[arg-type]
    (lambda ws: ws.query("A", formula="A + B"), "formula"),
    (lambda ws: ws.query(["A", "B"], formula="A + C"), "formula"),
    (lambda ws: ws.query(["A", "B"], formula="A +"), "formula"),
    (lambda ws: ws.query(["A", "B"], formula="1 + 2"), "formula"),
    (lambda ws: ws.query(["A", "B"], rolling=3, cumulative=True), "rolling"),
    (lambda ws: ws.query("A", rolling=0), "rolling"),
    (lambda ws: ws.query("A", rolling=366), "rolling"),
    (lambda ws: ws.query("A", last=0), "last"),
    (lambda ws: ws.query("A", last=3651), "last"),
    (lambda ws: ws.query("A", to_date="2024-01-01"), "to_date"),
    (lambda ws: ws.query("A", from_date="2024-13-01"), "from_date"),
    (lambda ws: ws.query("A", from_date="2024-1-1"), "from_date"),
    (lambda ws: ws.query("A", from_date="2024-02-01", to_date="2024-01-01"), "from_date"),
    (lambda ws: ws.query("A", from_date="2024-01-01", last=7), "last"),
    (
        lambda ws: ws.query("A", group_by=GroupBy("n", bucket_size=5, bucket_min=0, bucket_max=9)),
        "group_by",
    ),
    (lambda ws: ws.query("A", group_by=GroupBy("n", "number", bucket_size=5)), "group_by"),
    (lambda ws: ws.query("A", where="plan"), "where"),  # type: ignore[arg-type]
    (lambda ws: ws.query("A", data_group_id=0), "data_group_id"),
    (lambda ws: ws.query(Metric("A", math="unique", property="x")), r"events\[0\]"),
    (lambda ws: ws.query(Metric("A", math="histogram", property="x")), r"events\[0\]"),
    (lambda ws: ws.run_params("not a dict"), "params"),  # type: ignore[arg-type]
    (lambda ws: ws.run_params({}, limit=0), "limit"),
    (lambda ws: ws.run_params({}, limit=50_001), "limit"),
]


@pytest.mark.parametrize(("call", "names"), BAD)
async def test_bad_arguments_send_nothing(
    unreachable: AsyncWorkspace, call: Callable[[AsyncWorkspace], Awaitable[Any]], names: str
) -> None:
    # `unreachable` fails every request to connect: an error here was raised before sending
    with pytest.raises((BookmarkValidationError, ParamValidationError), match=names):
        await call(unreachable)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Filter.on("d", "2024-02-30"),
        lambda: Filter.in_the_last("d", 0, "day"),
        lambda: Filter.date_between("d", "2024-02-01", "2024-01-01"),
        lambda: Filter.in_cohort(0),
        lambda: Filter("p", "bogus", None),
        lambda: Filter("p", "equals", ["x"], _property_type="boolean"),
        lambda: Filter.list_contains("items"),
        lambda: GroupBy(""),
        lambda: GroupBy("n", bucket_min=5, bucket_max=1),
        lambda: Metric(""),
        lambda: Metric("A", math="average"),
        lambda: Metric("A", math="percentile", property="x"),
    ],
)
def test_malformed_blocks_refuse_to_exist(build: Callable[[], Any]) -> None:
    with pytest.raises(ParamValidationError):
        build()


async def test_an_error_in_a_200_answer_is_a_query_error() -> None:
    async def answer(request: web.Request) -> web.Response:
        return web.json_response({"error": "unknown event"})

    app = web.Application()
    app.router.add_post("/api/query/insights", answer)
    async with serving(app) as url, AsyncWorkspace(base_url=url, project="1", retry=FAST) as ws:
        with pytest.raises(QueryError, match="unknown event"):
            await ws.query("Purchase")


async def test_concurrent_queries_keep_the_query_limit() -> None:
    in_flight = peak = served = 0

    async def answer(request: web.Request) -> web.Response:
        nonlocal in_flight, peak, served
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        served += 1
        body = {
            "computed_at": "",
            "date_range": {"from_date": "", "to_date": ""},
            "headers": ["$event"],
            "series": {"A": {"all": 1}},
        }
        return web.json_response(body)

    app = web.Application()
    app.router.add_post("/api/query/insights", answer)
    limits = {"query": Limit(concurrency=3)}
    async with serving(app) as url, AsyncWorkspace(base_url=url, project="1", limits=limits) as ws:
        results = await asyncio.gather(*(ws.query("A", mode="total") for _ in range(12)))
    assert [r.series for r in results] == [{"A": {"all": 1}}] * 12
    assert served == 12
    assert peak == 3
