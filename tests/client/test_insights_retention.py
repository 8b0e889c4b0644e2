"""`query_retention()`, `build_retention_params()` and `run_retention_params()` over loopback:
cohorts checked against returns counted here in plain Python, Mixpanel's answer shapes read
into `RetentionQueryResult`, and every bad argument refused before any request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from mixpanel_async import (
    AsyncWorkspace,
    BookmarkValidationError,
    CohortBreakdown,
    Filter,
    ParamValidationError,
    QueryError,
    RetentionEvent,
    RetentionQueryResult,
)
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import DAY, FAST, ev, serving

SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z
HOUR = 3600
BUCKETS = 5
PLANS = ["free", "pro"]


def _user(i: int) -> list[dict[str, Any]]:
    """User i is born once (Sign Up, on Sept 1-3) and logs in on some of the following days,
    always mid-bucket (two hours past a whole number of days after birth)."""
    user, born, plan = f"u{i}", SEP1 + (i % 3) * DAY + 10 * HOUR + 60 * i, PLANS[i % 2]
    rows = [ev("Sign Up", user, born, plan=plan)]
    rows += [
        ev("Log In", user, born + d * DAY + 2 * HOUR, plan=plan)
        for d in range(BUCKETS)
        if (i * 7 + d * d) % 5 < 3
    ]
    return rows


ROWS = [row for i in range(10) for row in _user(i)]
WINDOW = {"from_date": "2026-09-01", "to_date": "2026-09-10"}


def _cohorts(keep: Callable[[dict[str, Any]], bool]) -> dict[str, dict[str, Any]]:
    """Per birth day: the cohort's size and, per one-day bucket after each user's birth, how
    many logged in, counted here."""
    out: dict[str, dict[str, Any]] = {}
    for born in (r for r in ROWS if r["event"] == "Sign Up" and keep(r)):
        user, at = born["properties"]["distinct_id"], born["properties"]["time"]
        day = dt.datetime.fromtimestamp(at, dt.UTC).date().isoformat()
        cohort = out.setdefault(day, {"first": 0, "counts": [0] * BUCKETS})
        cohort["first"] += 1
        returns = {
            (r["properties"]["time"] - at) // DAY
            for r in ROWS
            if r["event"] == "Log In" and r["properties"]["distinct_id"] == user and keep(r)
        }
        for bucket in returns:
            cohort["counts"][bucket] += 1
    return out


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(ROWS))
    return mixpanel_emulator


def _observed(cohorts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        day: {"first": c["first"], "counts": list(c["counts"][:BUCKETS])}
        for day, c in cohorts.items()
        if c.get("first")
    }


async def test_daily_cohorts(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    result = await mixpanel_workspace.query_retention(
        "Sign Up", "Log In", retention_unit="day", **WINDOW
    )
    assert isinstance(result, RetentionQueryResult)
    assert _observed(result.cohorts) == _cohorts(lambda r: True)
    frame = result.df
    assert frame.columns == ["cohort_date", "bucket", "count", "rate"]
    first = frame.filter((frame["cohort_date"] == "2026-09-01") & (frame["bucket"] == 0))
    expected = _cohorts(lambda r: True)["2026-09-01"]
    assert first["rate"].item() == pytest.approx(expected["counts"][0] / expected["first"])


async def test_filtered_events(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    result = await mixpanel_workspace.query_retention(
        RetentionEvent("Sign Up", filters=[Filter.equals("plan", "pro")]),
        "Log In",
        retention_unit="day",
        where=Filter.equals("plan", "pro"),
        **WINDOW,
    )
    assert _observed(result.cohorts) == _cohorts(lambda r: r["properties"]["plan"] == "pro")


async def test_breakdown_by_plan(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    result = await mixpanel_workspace.query_retention(
        "Sign Up", "Log In", retention_unit="day", group_by="plan", **WINDOW
    )
    for plan in PLANS:
        expected = _cohorts(lambda r, p=plan: r["properties"]["plan"] == p)
        assert _observed(result.segments[plan]) == expected
    assert result.df.columns[0] == "segment"


def _cohort(first: int, counts: list[int]) -> dict[str, Any]:
    return {"first": first, "counts": counts, "rates": [c / first for c in counts]}


ONE = {
    "2026-09-01T00:00:00+00:00": _cohort(4, [4, 2]),
    "2026-09-02T00:00:00+00:00": _cohort(2, [1]),
    "$average": _cohort(6, [5, 2]),
}


async def _served(bodies: list[dict[str, Any]]) -> list[Any]:
    async def answer(request: web.Request) -> web.Response:
        return web.json_response(bodies.pop(0))

    app = web.Application()
    app.router.add_post("/api/query/insights", answer)
    results: list[Any] = []
    async with serving(app) as url, AsyncWorkspace(base_url=url, project="1", retry=FAST) as ws:
        while bodies:
            try:
                results.append(await ws.query_retention("Sign Up", "Log In"))
            except QueryError as err:
                results.append(err)
    return results


def _answer(series: Any) -> dict[str, Any]:
    return {
        "computed_at": "",
        "date_range": {"from_date": "2026-09-01", "to_date": "2026-09-30"},
        "series": series,
    }


async def test_answer_shapes() -> None:
    plain, split, many, wrong, failed = await _served(
        [
            _answer({"Sign Up and then Log In": ONE}),
            _answer({"M": {"$overall": ONE, "pro": ONE, "free": {"2026-09-03": _cohort(1, [0])}}}),
            _answer({"A": ONE, "B": ONE}),
            _answer({"A": [1, 2]}),
            {"error": "no such event"},
        ]
    )
    assert set(plain.cohorts) == {"2026-09-01", "2026-09-02"}
    assert plain.average == _cohort(6, [5, 2])
    assert plain.df.rows() == [
        ("2026-09-01", 0, 4.0, 1.0), ("2026-09-01", 1, 2.0, 0.5), ("2026-09-02", 0, 1.0, 0.5),
    ]  # fmt: skip
    assert (plain.segments, plain.from_date) == ({}, "2026-09-01")
    assert split.cohorts == plain.cohorts
    assert set(split.segments) == {"pro", "free"}
    assert set(split.segment_averages) == {"pro"}
    assert split.df.columns == ["segment", "cohort_date", "bucket", "count", "rate"]
    assert split.df["segment"].to_list() == ["free"] + ["pro"] * 3
    assert "2 metrics" in str(many)
    assert "not cohorts" in str(wrong)
    assert "no such event" in str(failed)


def test_bookmark_shape() -> None:
    ws = AsyncWorkspace(base_url="http://127.0.0.1:9", project="1")
    params = ws.build_retention_params(
        "A", RetentionEvent("B", filters_combinator="any"), bucket_sizes=[1, 7, 30],
        alignment="interval_start", retention_cumulative=True, unbounded_mode="carry_back",
        mode="table", group_by=CohortBreakdown(5, "Fans"),
    )  # fmt: skip
    metric = params["sections"]["show"][0]
    behavior = metric["behavior"]
    assert behavior["type"] == "retention"
    assert [(b["name"], b["filtersDeterminer"]) for b in behavior["behaviors"]] == [
        ("A", "all"),
        ("B", "any"),
    ]
    assert behavior["retentionCustomBucketSizes"] == [1, 7, 30]
    assert behavior["retentionAlignmentType"] == "interval_start"
    assert behavior["retentionUnboundedMode"] == "carry_back"
    assert metric["measurement"] == {"math": "retention_rate", "retentionCumulative": True}
    assert params["displayOptions"] == {"chartType": "table"}
    assert params["columnWidths"] == {"bar": {}}
    assert set(params["sorting"]) == {"bar", "line", "table"}


BAD: list[tuple[Callable[[AsyncWorkspace], Awaitable[Any]], str]] = [
    (lambda ws: ws.query_retention("", "B"), "born_event"),
    (lambda ws: ws.query_retention("A", ""), "return_event"),
    (lambda ws: ws.query_retention(["A", "C"], "B"), "born_event"),  # type: ignore[arg-type]
    (lambda ws: ws.query_retention("A\x03", "B"), "born_event"),
    (lambda ws: ws.query_retention("A", "\u200b"), "return_event"),
    (lambda ws: ws.query_retention("A", 7), "return_event"),  # type: ignore[arg-type]
    (lambda ws: ws.query_retention("A", "B", retention_unit="year"), "retention_unit"),  # type: ignore[arg-type]
    (lambda ws: ws.query_retention("A", "B", alignment="calendar"), "alignment"),  # type: ignore[arg-type]
    (lambda ws: ws.query_retention("A", "B", bucket_sizes=[1, 0]), "bucket_sizes"),
    (lambda ws: ws.query_retention("A", "B", bucket_sizes=[1, 2.5]), r"bucket_sizes\[1\]"),  # type: ignore[list-item]
    (lambda ws: ws.query_retention("A", "B", bucket_sizes=[3, 2]), "bucket_sizes"),
    (lambda ws: ws.query_retention("A", "B", bucket_sizes=list(range(1, 732))), "bucket_sizes"),
    (lambda ws: ws.query_retention("A", "B", bucket_sizes=7), "bucket_sizes"),  # type: ignore[arg-type]
    (lambda ws: ws.query_retention("A", "B", math="median"), "math"),  # type: ignore[arg-type]
    (lambda ws: ws.query_retention("A", "B", mode="pie"), "mode"),  # type: ignore[arg-type]
    (lambda ws: ws.query_retention("A", "B", unit="hour"), "unit"),
    (lambda ws: ws.query_retention("A", "B", unbounded_mode="always"), "unbounded_mode"),  # type: ignore[arg-type]
    (lambda ws: ws.query_retention("A", "B", group_by=" "), "group_by"),
    (
        lambda ws: ws.query_retention("A", "B", group_by=["plan", CohortBreakdown(3)]),
        "group_by",
    ),
    (lambda ws: ws.query_retention("A", "B", last=3651), "last"),
    (lambda ws: ws.query_retention("A", "B", from_date="2024-01-01", last=7), "last"),
    (lambda ws: ws.query_retention("A", "B", where=3), "where"),  # type: ignore[arg-type]
    (lambda ws: ws.query_retention("A", "B", data_group_id=-2), "data_group_id"),
    (lambda ws: ws.run_retention_params("x"), "params"),  # type: ignore[arg-type]
    (lambda ws: ws.run_retention_params({}, limit=50_001), "limit"),
]


@pytest.mark.parametrize(("call", "names"), BAD)
async def test_bad_arguments_send_nothing(
    unreachable: AsyncWorkspace, call: Callable[[AsyncWorkspace], Awaitable[Any]], names: str
) -> None:
    # `unreachable` fails every request to connect: an error here was raised before sending
    with pytest.raises((BookmarkValidationError, ParamValidationError), match=names):
        await call(unreachable)
