"""The classic Query API through `AsyncWorkspace` against the emulator.

Counts that are plain to see are checked by hand (the data straddles midnight, repeats users and
leaves properties out); for retention, frequency and funnels — whose math the engine tests cover
— the client's result is checked against the raw wire answer, so what is tested here is the
client: parameters, decoding, the seed's result fields and the tidy `.df` frames. Bad arguments
fail before any request; Mixpanel's 400s arrive as `QueryError` with the message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from mixpanel_async import (
    AsyncWorkspace,
    CohortInfo,
    FunnelResultStep,
    ParamValidationError,
    QueryError,
)
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ts


def ev(name: str, user: str, at: str, insert_id: str, **props: Any) -> dict[str, Any]:
    properties = {"time": ts(at), "distinct_id": user, "$insert_id": insert_id, **props}
    return {"event": name, "properties": properties}


EVENTS = [
    ev("Sign Up", "u1", "2024-03-01T00:00:00", "s1", plan="pro"),
    ev("Sign Up", "u2", "2024-03-01T23:59:59", "s2", plan="free"),
    ev("Sign Up", "u3", "2024-03-02T00:00:00", "s3", plan="pro"),
    ev("Sign Up", "u4", "2024-03-03T12:00:00", "s4"),  # no plan
    ev("Sign Up", "u1", "2024-03-03T13:00:00", "s5", plan="pro"),  # a repeat user
    ev("Sign Up", "u9", "2024-02-29T23:59:59", "s0", plan="pro"),  # the second before the range
    ev("Purchase", "u1", "2024-03-01T10:00:00", "p1", amount=10, plan="pro"),
    ev("Purchase", "u1", "2024-03-01T11:30:00", "p2", amount=30, plan="pro"),
    ev("Purchase", "u2", "2024-03-02T09:00:00", "p3", amount=5, plan="free"),
    ev("Purchase", "u3", "2024-03-02T10:00:00", "p4", plan="pro"),  # no amount
    ev("Purchase", "u3", "2024-03-04T10:00:00", "p5", amount=55, plan="pro"),
    ev("Purchase", "u3", "2024-03-04T10:00:00", "p5", amount=55, plan="pro"),  # duplicate
    ev("View", "u1", "2024-03-01T00:30:00", "v5"),
    ev("View", "u1", "2024-03-02T08:00:00", "v1"),
    ev("View", "u1", "2024-03-03T08:00:00", "v2"),
    ev("View", "u2", "2024-03-02T08:00:00", "v3"),
    ev("View", "u3", "2024-03-04T08:00:00", "v4"),
]
FUNNELS = [
    {"funnel_id": 21, "name": "Buy", "steps": ["Sign Up", "Purchase"]},
    {"funnel_id": 22, "name": "Engage", "steps": ["Sign Up", "View", "Purchase"]},
]
RANGE = {"from_date": "2024-03-01", "to_date": "2024-03-04"}
DAYS = ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04"]
DATES = [dt.date(2024, 3, d) for d in (1, 2, 3, 4)]


@pytest.fixture
def emu(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(EVENTS))
    mixpanel_emulator.state.default.funnels[:] = [dict(f) for f in FUNNELS]
    return mixpanel_emulator


@pytest.fixture
def ws(emu: Emulator, mixpanel_workspace: AsyncWorkspace) -> AsyncWorkspace:
    return mixpanel_workspace


async def wire(ws: AsyncWorkspace, path: str, **params: Any) -> Any:
    """The emulator's raw answer to a Query API request."""
    return await ws.api.raw("GET", path, params={"project_id": 1, **params}, family="query")


def by_day(*counts: float) -> dict[str, float]:
    return dict(zip(DAYS, counts, strict=True))


# -- segmentation --------------------------------------------------------------------------------


async def test_segmentation_by_day(ws: AsyncWorkspace) -> None:
    result = await ws.segmentation("Sign Up", **RANGE)
    assert result.series == {"Sign Up": by_day(2, 1, 2, 0)}
    assert result.total == 5
    assert (result.event, result.from_date, result.to_date) == ("Sign Up", *DAYS[::3])
    assert (result.unit, result.segment_property) == ("day", None)
    assert result.df.schema == pl.Schema({"date": pl.Date, "segment": pl.String, "count": pl.Int64})
    assert result.df.to_dicts() == [
        {"date": d, "segment": "Sign Up", "count": n}
        for d, n in zip(DATES, [2, 1, 2, 0], strict=True)
    ]
    assert result.df is result.df  # cached


async def test_segmentation_on_a_bare_property_name(ws: AsyncWorkspace) -> None:
    result = await ws.segmentation("Sign Up", on="plan", **RANGE)
    assert result.segment_property == "plan"
    assert result.series == {
        "pro": by_day(1, 1, 1, 0),
        "free": by_day(1, 0, 0, 0),
        "undefined": by_day(0, 0, 1, 0),
    }
    assert result.total == 5
    frame = result.df
    assert frame.columns == ["date", "segment", "count"]
    assert frame.height == 12
    assert frame.filter(pl.col("count") > 0).rows() == [
        (DATES[0], "free", 1), (DATES[0], "pro", 1), (DATES[1], "pro", 1),
        (DATES[2], "pro", 1), (DATES[2], "undefined", 1),
    ]  # fmt: skip
    same = await ws.segmentation("Sign Up", on='properties["plan"]', **RANGE)
    assert same.series == result.series


async def test_segmentation_where_unique_and_units(ws: AsyncWorkspace) -> None:
    pro = await ws.segmentation("Sign Up", where='properties["plan"] == "pro"', **RANGE)
    assert pro.series == {"Sign Up": by_day(1, 1, 1, 0)}
    unique = await ws.segmentation("Purchase", type="unique", **RANGE)
    assert unique.series == {"Purchase": by_day(1, 2, 0, 1)}
    hourly = await ws.segmentation("Purchase", unit="hour", from_date="2024-03-01",
                                   to_date="2024-03-01")  # fmt: skip
    assert hourly.df.schema["date"] == pl.Datetime("us")
    assert hourly.df.height == 24
    assert hourly.df.filter(pl.col("count") > 0)["date"].dt.hour().to_list() == [10, 11]


async def test_segmentation_of_an_unknown_event_is_empty(ws: AsyncWorkspace) -> None:
    result = await ws.segmentation("Never Happened", **RANGE)
    assert result.total == 0
    assert sum(sum(d.values()) for d in result.series.values()) == 0
    assert result.df.columns == ["date", "segment", "count"]


async def test_segmentation_sum_average_numeric(ws: AsyncWorkspace) -> None:
    total = await ws.segmentation_sum("Purchase", on="amount", **RANGE)
    assert total.results == by_day(40, 5, 0, 55)
    assert total.property_expr == "amount"
    assert total.computed_at
    assert total.df.schema == pl.Schema({"date": pl.Date, "sum": pl.Float64})
    assert total.df["sum"].to_list() == [40.0, 5.0, 0.0, 55.0]

    mean = await ws.segmentation_average("Purchase", on='properties["amount"]', **RANGE)
    # A purchase without an amount counts as 0 ("if the expression is not numeric, 0.0 is
    # assumed", Mixpanel's reference): (5 + 0) / 2 on the second day.
    assert mean.results == by_day(20, 2.5, 0, 55)
    assert mean.df.columns == ["date", "average"]

    buckets = await ws.segmentation_numeric("Purchase", on="amount", **RANGE)
    assert buckets.property_expr == "amount"
    frame = buckets.df
    assert frame.columns == ["date", "bucket", "count"]
    # Every purchase with an amount sits in exactly one bucket.
    per_day = frame.group_by("date").agg(pl.col("count").sum()).sort("date")
    assert per_day["count"].to_list() == [2, 1, 0, 1]


# -- event and property counts -------------------------------------------------------------------


async def test_event_counts(ws: AsyncWorkspace) -> None:
    result = await ws.event_counts(["Sign Up", "Purchase"], **RANGE)
    assert result.series == {"Sign Up": by_day(2, 1, 2, 0), "Purchase": by_day(2, 2, 0, 1)}
    assert (result.events, result.type, result.unit) == (["Sign Up", "Purchase"], "general", "day")
    assert result.df.columns == ["date", "event", "count"]
    assert result.df.height == 8
    assert result.df.row(0) == (DATES[0], "Purchase", 2)
    unique = await ws.event_counts(["Purchase"], type="unique", **RANGE)
    assert unique.series == {"Purchase": by_day(1, 2, 0, 1)}


async def test_property_counts(ws: AsyncWorkspace) -> None:
    result = await ws.property_counts("Purchase", "plan", **RANGE)
    assert result.series == {"pro": by_day(2, 1, 0, 1), "free": by_day(0, 1, 0, 0)}
    assert result.property_name == "plan"
    assert result.df.columns == ["date", "value", "count"]
    assert result.df.filter(pl.col("value") == "pro")["count"].to_list() == [2, 1, 0, 1]
    only = await ws.property_counts("Purchase", "plan", values=["free"], **RANGE)
    assert list(only.series) == ["free"]
    top = await ws.property_counts("Purchase", "plan", limit=1, **RANGE)
    assert list(top.series) == ["pro"]


# -- frequency, retention, funnels (against the wire answer) -------------------------------------


async def test_frequency(ws: AsyncWorkspace) -> None:
    result = await ws.frequency(event="Purchase", **RANGE)
    raw = await wire(ws, "/retention/addiction", unit="day", addiction_unit="hour",
                     event="Purchase", **RANGE)  # fmt: skip
    assert result.data == raw["data"]
    assert result.data["2024-03-01"][:2] == [1, 1]  # u1 bought in two different hours
    assert (result.event, result.unit, result.addiction_unit) == ("Purchase", "day", "hour")
    frame = result.df
    assert frame.columns == ["date", "period", "count"]
    assert frame.height == sum(len(v) for v in raw["data"].values())
    first = frame.filter(pl.col("date") == DATES[0]).sort("period")
    assert first["count"].to_list() == raw["data"]["2024-03-01"]
    assert first["period"].to_list()[:3] == [1, 2, 3]


async def test_retention(ws: AsyncWorkspace) -> None:
    result = await ws.retention(born_event="Sign Up", return_event="View", interval_count=3,
                                **RANGE)  # fmt: skip
    raw = await wire(ws, "/retention", born_event="Sign Up", event="View", interval_count=3,
                     **RANGE)  # fmt: skip
    assert [c.date for c in result.cohorts] == sorted(raw)
    for cohort in result.cohorts:
        first, counts = raw[cohort.date]["first"], raw[cohort.date]["counts"]
        assert cohort == CohortInfo(
            date=cohort.date,
            size=first,
            retention=[n / first if first else 0.0 for n in counts],
        )
    assert result.cohorts[0].size == 2  # u1 and u2 were born on the first day
    frame = result.df
    assert frame.columns == ["cohort_date", "cohort_size", "period", "retention"]
    assert frame.schema["cohort_date"] == pl.Date
    assert frame.height == sum(len(c.retention) for c in result.cohorts)
    weekly = await ws.retention(born_event="Sign Up", return_event="View", unit="week", **RANGE)
    assert weekly.unit == "week"
    assert len(weekly.cohorts) == 2  # the weeks of 2024-02-26 and 2024-03-04


async def test_funnel(ws: AsyncWorkspace) -> None:
    result = await ws.funnel(22, **RANGE)
    raw = await wire(ws, "/funnels", funnel_id=22, **RANGE)
    totals = [0, 0, 0]
    for day in raw["data"].values():
        for i, step in enumerate(day["steps"]):
            totals[i] += step["count"]
    assert [s.count for s in result.steps] == totals
    assert [s.event for s in result.steps] == ["Sign Up", "View", "Purchase"]
    assert result.steps[0] == FunnelResultStep(event="Sign Up", count=totals[0], conversion_rate=1)
    assert result.steps[1].conversion_rate == pytest.approx(totals[1] / totals[0])
    assert result.conversion_rate == pytest.approx(totals[2] / totals[0])
    assert (result.funnel_id, result.funnel_name) == (22, "")
    assert result.df.columns == ["step", "event", "count", "conversion_rate"]
    assert result.df["step"].to_list() == [1, 2, 3]
    assert result.df["count"].to_list() == totals


async def test_funnel_segmented_uses_the_overall_steps(ws: AsyncWorkspace) -> None:
    plain = await ws.funnel(21, **RANGE)
    segmented = await ws.funnel(21, on="plan", **RANGE)
    assert segmented.steps == plain.steps
    assert plain.steps[0].count > 0


async def test_funnel_of_an_empty_range(ws: AsyncWorkspace) -> None:
    result = await ws.funnel(21, from_date="2023-01-01", to_date="2023-01-02")
    assert [s.count for s in result.steps] in ([], [0, 0])
    assert result.conversion_rate == 0.0


# -- errors ----------------------------------------------------------------------------------------


async def test_server_rejections_are_query_errors(ws: AsyncWorkspace) -> None:
    with pytest.raises(QueryError, match="'=' is not an operator") as info:
        await ws.segmentation("Sign Up", where='properties["plan"] = "pro"', **RANGE)
    assert info.value.status_code == 400
    with pytest.raises(QueryError, match="funnel 999 not found"):
        await ws.funnel(999, **RANGE)
    with pytest.raises(QueryError):
        await ws.segmentation_sum("Purchase", on='properties["amount"] +', **RANGE)


def _seg(**kwargs: Any) -> Any:
    args = {"event": "Sign Up", **RANGE, **kwargs}
    return lambda ws: ws.segmentation(args.pop("event"), **args)


BAD_CALLS: list[tuple[str, Any, str]] = [
    ("bad date", _seg(from_date="2024-02-30"), "from_date"),
    ("not a date", _seg(to_date="03/04/2024"), "to_date"),
    ("swapped dates", _seg(from_date="2024-03-05"), "from_date"),
    ("empty event", _seg(event=""), "event"),
    ("bad unit", _seg(unit="year"), "unit"),
    ("bad type", _seg(type="total"), "type"),
    ("empty on", _seg(on=""), "on"),
    ("blank where", _seg(where="  "), "where"),
    ("numeric unit", lambda ws: ws.segmentation_numeric("E", on="a", unit="week", **RANGE), "unit"),
    ("numeric on", lambda ws: ws.segmentation_numeric("E", on="", **RANGE), "on"),
    ("sum unit", lambda ws: ws.segmentation_sum("E", on="a", unit="month", **RANGE), "unit"),
    ("average event", lambda ws: ws.segmentation_average(" ", on="a", **RANGE), "event"),
    ("events string", lambda ws: ws.event_counts("Sign Up", **RANGE), "events"),
    ("events empty", lambda ws: ws.event_counts([], **RANGE), "events"),
    ("events unit", lambda ws: ws.event_counts(["A"], unit="quarter", **RANGE), "unit"),
    ("property name", lambda ws: ws.property_counts("E", "", **RANGE), "property_name"),
    ("property limit", lambda ws: ws.property_counts("E", "p", limit=0, **RANGE), "limit"),
    ("property limit max", lambda ws: ws.property_counts("E", "p", limit=10**6, **RANGE), "limit"),
    ("property values", lambda ws: ws.property_counts("E", "p", values="x", **RANGE), "values"),
    ("frequency unit", lambda ws: ws.frequency(unit="hour", **RANGE), "unit"),
    ("addiction unit", lambda ws: ws.frequency(addiction_unit="week", **RANGE), "addiction_unit"),
    ("frequency dates", lambda ws: ws.frequency(from_date="x", to_date="y"), "from_date"),
    ("born event", lambda ws: ws.retention(born_event="", return_event="V", **RANGE),
     "born_event"),
    ("return event", lambda ws: ws.retention(born_event="A", return_event="", **RANGE),
     "return_event"),
    ("interval", lambda ws: ws.retention(born_event="A", return_event="B", interval=0, **RANGE),
     "interval"),
    ("interval count", lambda ws: ws.retention(born_event="A", return_event="B",
                                               interval_count=1001, **RANGE), "interval_count"),
    ("retention unit", lambda ws: ws.retention(born_event="A", return_event="B", unit="hour",
                                               **RANGE), "unit"),
    ("funnel id", lambda ws: ws.funnel(0, **RANGE), "funnel_id"),
    ("funnel id text", lambda ws: ws.funnel("21", **RANGE), "funnel_id"),
    ("funnel id bool", lambda ws: ws.funnel(True, **RANGE), "funnel_id"),
    ("funnel unit", lambda ws: ws.funnel(21, unit="hour", **RANGE), "unit"),
    ("funnel dates", lambda ws: ws.funnel(21, from_date="2024-03-04", to_date="2024-03-01"),
     "from_date"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "param"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
async def test_bad_arguments_fail_before_any_request(
    mixpanel_offline_workspace: AsyncWorkspace, call: Any, param: str
) -> None:
    with pytest.raises(ParamValidationError) as info:
        await call(mixpanel_offline_workspace)
    assert info.value.param == param
