"""`query_funnel()`, `build_funnel_params()` and `run_funnel_params()` over loopback: answers
checked against conversions counted here in plain Python, Mixpanel's answer shapes read into
`FunnelQueryResult`, and every bad argument refused before any request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from mixpanel_async import (
    AsyncWorkspace,
    BookmarkValidationError,
    Exclusion,
    Filter,
    FunnelQueryResult,
    FunnelStep,
    GroupBy,
    ParamValidationError,
    QueryError,
)
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import DAY, FAST, ev, serving

SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z
HOUR = 3600
PLANS = ["free", "pro"]


def _journey(i: int) -> list[dict[str, Any]]:
    """User i signs up on Sept 2; some buy within days, one bought before signing up, one
    buys too late, a few log in between."""
    user, start = f"u{i}", SEP1 + DAY + i * HOUR
    plan = PLANS[i % 2]
    rows = [ev("Sign Up", user, start, plan=plan)]
    if i % 3 == 0:
        rows.append(ev("Log In", user, start + HOUR, plan=plan))
    if i % 2 == 0:
        rows.append(ev("Purchase", user, start + (i + 1) * DAY, plan=plan, amount=10 * i))
    if i == 5:
        rows.append(ev("Purchase", user, start - HOUR, plan=plan))
    if i == 7:
        rows.append(ev("Purchase", user, start + 20 * DAY, plan=plan))
    return rows


ROWS = [row for i in range(12) for row in _journey(i)]
SEPT = {"from_date": "2026-09-01", "to_date": "2026-09-30"}


def _reached(
    steps: list[str], window_days: int, keep: Callable[[dict[str, Any]], bool]
) -> list[int]:
    """Users who reached each step, counted here: a user enters at their first event of step 1,
    then each step is the first event of its name after the previous one, within the window."""
    reached = [0] * len(steps)
    users = {r["properties"]["distinct_id"] for r in ROWS}
    for user in users:
        mine = sorted(
            (r["properties"]["time"], r["event"])
            for r in ROWS
            if r["properties"]["distinct_id"] == user and keep(r)
        )
        entry = next((t for t, e in mine if e == steps[0]), None)
        if entry is None:
            continue
        at, depth = entry, 1
        for name in steps[1:]:
            later = [t for t, e in mine if e == name and t > at and t <= entry + window_days * DAY]
            if not later:
                break
            at, depth = min(later), depth + 1
        for k in range(depth):
            reached[k] += 1
    return reached


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(ROWS))
    return mixpanel_emulator


async def test_two_step_conversion(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    result = await mixpanel_workspace.query_funnel(["Sign Up", "Purchase"], **SEPT)
    assert isinstance(result, FunnelQueryResult)
    entered, bought = _reached(["Sign Up", "Purchase"], 14, lambda r: True)
    assert [s["event"] for s in result.steps_data] == ["Sign Up", "Purchase"]
    assert [s["count"] for s in result.steps_data] == [entered, bought]
    assert result.overall_conversion_rate == pytest.approx(bought / entered)
    assert result.df["count"].to_list() == [entered, bought]
    assert result.df["step"].to_list() == [1, 2]
    assert result.params == mixpanel_workspace.build_funnel_params(["Sign Up", "Purchase"], **SEPT)


async def test_window_and_three_steps(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    steps = ["Sign Up", "Log In", "Purchase"]
    result = await mixpanel_workspace.query_funnel(steps, conversion_window=5, **SEPT)
    assert [s["count"] for s in result.steps_data] == _reached(steps, 5, lambda r: True)


async def test_where_and_step_filters(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    result = await mixpanel_workspace.query_funnel(
        [FunnelStep("Sign Up", label="Joined"), FunnelStep("Purchase")],
        where=Filter.equals("plan", "free"),
        **SEPT,
    )
    expected = _reached(["Sign Up", "Purchase"], 14, lambda r: r["properties"]["plan"] == "free")
    assert [s["count"] for s in result.steps_data] == expected


async def test_breakdown_keeps_the_overall_steps(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    result = await mixpanel_workspace.query_funnel(
        ["Sign Up", "Purchase"], group_by=GroupBy("plan"), **SEPT
    )
    assert [s["count"] for s in result.steps_data] == _reached(
        ["Sign Up", "Purchase"], 14, lambda r: True
    )


def _answer(series: dict[str, Any]) -> dict[str, Any]:
    return {
        "computed_at": "2026-09-30T00:00:00",
        "date_range": {"from_date": "2026-09-01", "to_date": "2026-09-30"},
        "headers": ["$funnel"],
        "series": series,
        "meta": {"is_cached": False},
    }


def _metrics(counts: list[int]) -> dict[str, Any]:
    names = [f"{i}. {e}" for i, e in enumerate(["Sign Up", "Purchase", "Refund"], 1)]
    names = names[: len(counts)]
    return {
        "count": {n: {"all": c} for n, c in zip(names, counts, strict=True)},
        "step_conv_ratio": {n: {"all": c / counts[0]} for n, c in zip(names, counts, strict=True)},
        "overall_conv_ratio": {n: c / counts[0] for n, c in zip(names, counts, strict=True)},
        "avg_time": {names[1]: {"all": 60.0}},
    }


SHAPES = {
    "steps": {"Sign Up and then Purchase": _metrics([10, 4])},
    "breakdown": {"F": {"$overall": _metrics([10, 4]), "pro": _metrics([5, 1])}},
    "trends": {"F": {"2026-09-01": _metrics([10, 4])}},
}


@pytest.mark.parametrize("shape", SHAPES)
async def test_answer_shapes_read_into_steps(shape: str) -> None:
    async def answer(request: web.Request) -> web.Response:
        return web.json_response(_answer(SHAPES[shape]))

    app = web.Application()
    app.router.add_post("/api/query/insights", answer)
    async with serving(app) as url, AsyncWorkspace(base_url=url, project="1", retry=FAST) as ws:
        result = await ws.query_funnel(["Sign Up", "Purchase"])
    assert [(s["event"], s["count"]) for s in result.steps_data] == [
        ("Sign Up", 10),
        ("Purchase", 4),
    ]
    assert result.overall_conversion_rate == pytest.approx(0.4)
    assert result.df.columns == [
        "step", "event", "count", "step_conv_ratio", "overall_conv_ratio", "avg_time",
        "avg_time_from_start",
    ]  # fmt: skip
    assert result.df["avg_time"].to_list() == [0.0, 60.0]
    assert (result.from_date, result.meta) == ("2026-09-01", {"is_cached": False})
    assert result.df is result.df  # cached


async def test_ten_steps_keep_their_order_and_errors_surface() -> None:
    names = [f"{i}. E{i}" for i in range(1, 11)]
    series = {"F": {"count": {n: {"all": 11 - i} for i, n in enumerate(names, 1)}}}
    bodies = [_answer(series), {"error": "unknown event"}, {"computed_at": ""}]

    async def answer(request: web.Request) -> web.Response:
        return web.json_response(bodies.pop(0))

    app = web.Application()
    app.router.add_post("/api/query/insights", answer)
    async with serving(app) as url, AsyncWorkspace(base_url=url, project="1", retry=FAST) as ws:
        result = await ws.run_funnel_params(ws.build_funnel_params([f"E{i}" for i in range(10)]))
        assert [s["event"] for s in result.steps_data] == [f"E{i}" for i in range(1, 11)]
        with pytest.raises(QueryError, match="unknown event"):
            await ws.query_funnel(["A", "B"])
        with pytest.raises(QueryError, match="no series"):
            await ws.query_funnel(["A", "B"])


def test_bookmark_shape() -> None:
    ws = AsyncWorkspace(base_url="http://127.0.0.1:9", project="1")
    params = ws.build_funnel_params(
        [FunnelStep("A", label="First", order="any"), "B", "C"],
        exclusions=["X", Exclusion("Y", from_step=1)],
        holding_constant="plan",
        mode="trends",
        last=7,
    )
    metric = params["sections"]["show"][0]
    behavior = metric["behavior"]
    assert behavior["type"] == "funnel"
    assert [b["name"] for b in behavior["behaviors"]] == ["A", "B", "C"]
    assert behavior["behaviors"][0]["renamed"] == "First"
    assert behavior["behaviors"][0]["funnelOrder"] == "any"
    assert behavior["exclusions"] == [
        {"event": "X", "steps": {"from": 1, "to": 3}},
        {"event": "Y", "steps": {"from": 2, "to": 3}},
    ]
    assert behavior["aggregateBy"] == [{"value": "plan", "resourceType": "events"}]
    assert metric["measurement"] == {
        "math": "conversion_rate_unique", "property": None, "stepIndex": None,
    }  # fmt: skip
    assert params["displayOptions"] == {"chartType": "line"}
    assert params["sections"]["formula"] == []


def _today() -> str:
    return dt.date.today().isoformat()


BAD: list[tuple[Callable[[AsyncWorkspace], Awaitable[Any]], str]] = [
    (lambda ws: ws.query_funnel(["A"]), "steps"),
    (lambda ws: ws.query_funnel("AB"), "steps"),  # type: ignore[arg-type]
    (lambda ws: ws.query_funnel(["A"] * 101), "steps"),
    (lambda ws: ws.query_funnel(["A", ""]), r"steps\[1\]"),
    (lambda ws: ws.query_funnel(["A", ["B", "C"]]), r"steps\[1\]"),  # type: ignore[list-item]
    (lambda ws: ws.query_funnel(["A", "B\x01"]), r"steps\[1\]"),
    (lambda ws: ws.query_funnel(["A", "\u200b"]), r"steps\[1\]"),
    (lambda ws: ws.query_funnel(["A", "B"], conversion_window=0), "conversion_window"),
    (lambda ws: ws.query_funnel(["A", "B"], conversion_window=2.5), "conversion_window"),  # type: ignore[arg-type]
    (lambda ws: ws.query_funnel(["A", "B"], conversion_window=368), "conversion_window"),
    (
        lambda ws: ws.query_funnel(
            ["A", "B"], conversion_window=1, conversion_window_unit="second"
        ),
        "conversion_window",
    ),
    (
        lambda ws: ws.query_funnel(["A", "B"], conversion_window_unit="fortnight"),  # type: ignore[arg-type]
        "conversion_window_unit",
    ),
    (lambda ws: ws.query_funnel(["A", "B"], math="conversion_rate_session"), "math"),
    (lambda ws: ws.query_funnel(["A", "B"], conversion_window_unit="session"), "conversion_window"),
    (lambda ws: ws.query_funnel(["A", "B"], math="average"), "math_property"),
    (lambda ws: ws.query_funnel(["A", "B"], math="unique", math_property="x"), "math_property"),
    (lambda ws: ws.query_funnel(["A", "B"], math="bogus"), "math"),  # type: ignore[arg-type]
    (lambda ws: ws.query_funnel(["A", "B"], exclusions=[""]), r"exclusions\[0\]"),
    (lambda ws: ws.query_funnel(["A", "B"], exclusions=["X\x02"]), r"exclusions\[0\]"),
    (
        lambda ws: ws.query_funnel(["A", "B"], exclusions=[Exclusion("X", 1, 1)]),
        r"exclusions\[0\]",
    ),
    (lambda ws: ws.query_funnel(["A", "B"], exclusions=[Exclusion("X", 0, 2)]), r"exclusions\[0\]"),
    (lambda ws: ws.query_funnel(["A", "B"], exclusions=[Exclusion("X", 2)]), r"exclusions\[0\]"),
    (lambda ws: ws.query_funnel(["A", "B"], exclusions="X"), "exclusions"),  # type: ignore[arg-type]
    (lambda ws: ws.query_funnel(["A", "B"], holding_constant=" "), r"holding_constant\[0\]"),
    (
        lambda ws: ws.query_funnel(["A", "B"], holding_constant=["a", "b", "c", "d"]),
        "holding_constant",
    ),
    (lambda ws: ws.query_funnel(["A", "B"], reentry_mode="sometimes"), "reentry_mode"),  # type: ignore[arg-type]
    (lambda ws: ws.query_funnel(["A", "B"], order="strict"), "order"),  # type: ignore[arg-type]
    (lambda ws: ws.query_funnel(["A", "B"], unit="year"), "unit"),  # type: ignore[arg-type]
    (lambda ws: ws.query_funnel(["A", "B"], mode="pie"), "mode"),  # type: ignore[arg-type]
    (lambda ws: ws.query_funnel(["A", "B"], last=0), "last"),
    (lambda ws: ws.query_funnel(["A", "B"], to_date=_today()), "to_date"),
    (lambda ws: ws.query_funnel(["A", "B"], from_date="2024-02-30"), "from_date"),
    (lambda ws: ws.query_funnel(["A", "B"], where="plan"), "where"),  # type: ignore[arg-type]
    (
        lambda ws: ws.query_funnel(["A", "B"], group_by=GroupBy("n", "number", bucket_size=5)),
        "group_by",
    ),
    (lambda ws: ws.query_funnel(["A", "B"], data_group_id=0), "data_group_id"),
    (lambda ws: ws.run_funnel_params([]), "params"),  # type: ignore[arg-type]
    (lambda ws: ws.run_funnel_params({}, limit=0), "limit"),
    (lambda ws: ws.run_funnel_params({}, workspace_id=-1), "workspace_id"),
]


@pytest.mark.parametrize(("call", "names"), BAD)
async def test_bad_arguments_send_nothing(
    unreachable: AsyncWorkspace, call: Callable[[AsyncWorkspace], Awaitable[Any]], names: str
) -> None:
    # `unreachable` fails every request to connect: an error here was raised before sending
    with pytest.raises((BookmarkValidationError, ParamValidationError), match=names):
        await call(unreachable)


def test_every_problem_is_named_at_once(unreachable: AsyncWorkspace) -> None:
    with pytest.raises(BookmarkValidationError) as info:
        unreachable.build_funnel_params(["A"], conversion_window=0, math="average", last=0)
    paths = {e["path"] for e in info.value.details["errors"]}
    assert paths == {"steps", "conversion_window", "math_property", "last"}
