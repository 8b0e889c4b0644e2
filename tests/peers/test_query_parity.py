"""The peer library `mixpanel_headless` and our `AsyncWorkspace` ask the emulator the same
questions about the same data (the demo product, plus a few of today's events) and must get the
same answers: the seed's result fields, number for number, and the same `.df` rows where the
frames have the same shape.

The peer is synchronous and finds the emulator through `MP_API_BASE_URL` and service-account
variables (tests/conftest.py points HOME and MP_CONFIG_PATH at an empty directory); the emulator
runs on its background thread, so the peer's blocking calls inside these async tests are served
meanwhile.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import load_demo, rows_of

mixpanel_headless = pytest.importorskip("mixpanel_headless")

FROM, TO = "2026-08-01", "2026-11-10"  # the whole demo product
RANGE = {"from_date": FROM, "to_date": TO}
SEPTEMBER = {"from_date": "2026-09-01", "to_date": "2026-09-30"}
DAY = 86_400


def today_events() -> list[dict[str, Any]]:
    now = int(time.time())
    start = now - now % DAY
    moment = start + (now - start) // 2  # a moment of today (UTC) that has already passed
    return [
        {"event": name, "properties": {"time": at, "distinct_id": user, "$insert_id": iid}}
        for name, user, at, iid in [
            ("Log In", "today-1", moment, "t1"),
            ("Log In", "today-2", moment - 5, "t2"),
            ("Log In", "today-2", moment - 9, "t3"),
            ("Search", "today-1", moment, "t4"),
            ("Log In", "today-1", moment - DAY, "t5"),
        ]
    ]


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        load_demo(emulator.state)
        emulator.state.default.events.append(rows_of(today_events()))
        yield emulator


def rows(frame: Any) -> list[tuple[Any, ...]]:
    """A polars or pandas frame's rows, dates as text, sorted: comparable across both."""
    if isinstance(frame, pl.DataFrame):
        frame = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
        return sorted(frame.rows())
    return sorted(tuple(r) for r in frame.itertuples(index=False))


def same(ours: Any, theirs: Any, *, drop: tuple[str, ...] = ()) -> None:
    mine, peers = ours.to_dict(), theirs.to_dict()
    for key in drop:
        mine.pop(key, None)
        peers.pop(key, None)
    assert mine == peers


# -- discovery -----------------------------------------------------------------------------------


async def test_events_properties_values(ours: AsyncWorkspace, peer: Any) -> None:
    names = await ours.events()
    assert names == peer.events()
    assert len(names) == 20
    assert await ours.events(from_date="2026-09-01", to_date="2026-09-02", limit=3) == peer.events(
        from_date="2026-09-01", to_date="2026-09-02", limit=3
    )
    for event in ("Purchase", "Sign Up", "View Page"):
        assert await ours.properties(event) == peer.properties(event)
    assert await ours.property_values("plan") == peer.property_values("plan")
    assert await ours.property_values("amount", event="Purchase", limit=7) == (
        peer.property_values("amount", event="Purchase", limit=7)
    )
    assert await ours.subproperties("plan") == [] == peer.subproperties("plan")


async def test_unknown_event_suggestions(ours: AsyncWorkspace, peer: Any) -> None:
    from mixpanel_async import EventNotFoundError

    with pytest.raises(EventNotFoundError) as mine:
        await ours.properties("log in")
    with pytest.raises(mixpanel_headless.exceptions.EventNotFoundError) as theirs:
        peer.properties("log in")
    assert mine.value.similar_events == theirs.value.similar_events == ["Log In"]


async def test_top_events_funnels_cohorts(ours: AsyncWorkspace, peer: Any) -> None:
    for kwargs in ({}, {"type": "unique"}, {"limit": 1}):
        mine = await ours.top_events(**kwargs)
        assert [t.to_dict() for t in mine] == [t.to_dict() for t in peer.top_events(**kwargs)]
    assert [(t.event, t.count) for t in await ours.top_events()] == [("Log In", 3), ("Search", 1)]
    assert [f.to_dict() for f in await ours.funnels()] == [f.to_dict() for f in peer.funnels()]
    assert [c.to_dict() for c in await ours.cohorts()] == [c.to_dict() for c in peer.cohorts()]
    assert len(await ours.cohorts()) == 2


# -- classic query -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"on": "plan"},
        {"on": 'properties["platform"]', "unit": "week"},
        {"where": 'properties["plan"] == "pro"', "unit": "month"},
    ],
)
async def test_segmentation(ours: AsyncWorkspace, peer: Any, kwargs: dict[str, Any]) -> None:
    mine = await ours.segmentation("Log In", **RANGE, **kwargs)
    theirs = peer.segmentation("Log In", **RANGE, **kwargs)
    same(mine, theirs)
    assert mine.total > 0
    assert rows(mine.df) == rows(theirs.df)


async def test_segmentation_numeric_sum_average(ours: AsyncWorkspace, peer: Any) -> None:
    args = {"event": "Purchase", "on": "amount", **SEPTEMBER}
    mine_buckets = await ours.segmentation_numeric(**args)
    same(mine_buckets, peer.segmentation_numeric(**args))
    assert mine_buckets.series
    mine_sum, their_sum = await ours.segmentation_sum(**args), peer.segmentation_sum(**args)
    same(mine_sum, their_sum, drop=("computed_at",))  # each call has its own moment
    assert rows(mine_sum.df) == rows(their_sum.df)
    mine_avg, their_avg = await ours.segmentation_average(**args), peer.segmentation_average(**args)
    same(mine_avg, their_avg)
    assert rows(mine_avg.df) == rows(their_avg.df)


async def test_event_counts(ours: AsyncWorkspace, peer: Any) -> None:
    for kwargs in ({}, {"type": "unique", "unit": "week"}):
        events = ["Sign Up", "Purchase", "Never Happened"]
        mine = await ours.event_counts(events, **RANGE, **kwargs)
        theirs = peer.event_counts(events, **RANGE, **kwargs)
        same(mine, theirs)
        assert rows(mine.df) == rows(theirs.df)


async def test_property_counts(ours: AsyncWorkspace, peer: Any) -> None:
    for kwargs in ({}, {"values": ["pro", "team"]}, {"limit": 2, "type": "unique"}):
        mine = await ours.property_counts("Purchase", "plan", **RANGE, **kwargs)
        theirs = peer.property_counts("Purchase", "plan", **RANGE, **kwargs)
        same(mine, theirs)
        assert rows(mine.df) == rows(theirs.df)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"unit": "week", "interval_count": 4},
        {"interval": 3, "interval_count": 5},
        {
            "born_where": 'properties["plan"] == "free"',
            "return_where": 'properties["platform"] == "web"',
        },
    ],
)
async def test_retention(ours: AsyncWorkspace, peer: Any, kwargs: dict[str, Any]) -> None:
    args = {"born_event": "Sign Up", "return_event": "Log In", **SEPTEMBER, **kwargs}
    mine, theirs = await ours.retention(**args), peer.retention(**args)
    same(mine, theirs)
    assert any(c.size for c in mine.cohorts)
    # Our frame is long (one row per cohort and period), the peer's wide (period_N columns).
    wide = {
        (r["cohort_date"], int(column.removeprefix("period_"))): value
        for r in theirs.df.to_dict("records")
        for column, value in r.items()
        if column.startswith("period_")
    }
    long = {
        (d.isoformat(), p): v
        for d, p, v in mine.df.select("cohort_date", "period", "retention").rows()
    }
    assert long == wide


@pytest.mark.parametrize("kwargs", [{}, {"on": 'properties["plan"]'}, {"unit": "week"}])
async def test_funnel(ours: AsyncWorkspace, peer: Any, kwargs: dict[str, Any]) -> None:
    for funnel in await ours.funnels():
        mine = await ours.funnel(funnel.funnel_id, **SEPTEMBER, **kwargs)
        theirs = peer.funnel(funnel.funnel_id, **SEPTEMBER, **kwargs)  # sends `on` as given
        same(mine, theirs)
        assert mine.steps[0].count > 0
        assert rows(mine.df) == rows(theirs.df)


async def test_frequency(ours: AsyncWorkspace, peer: Any) -> None:
    for kwargs in ({}, {"event": "Log In", "addiction_unit": "day", "unit": "week"}):
        mine = await ours.frequency(**SEPTEMBER, **kwargs)
        theirs = peer.frequency(**SEPTEMBER, **kwargs)
        same(mine, theirs)
        assert any(any(counts) for counts in mine.data.values())
        wide = {
            (r["date"], int(column.removeprefix("period_"))): value
            for r in theirs.df.to_dict("records")
            for column, value in r.items()
            if column.startswith("period_")
        }
        long = {(d.isoformat(), p): n for d, p, n in mine.df.rows()}
        assert long == wide


async def test_query_errors_agree(ours: AsyncWorkspace, peer: Any) -> None:
    from mixpanel_async import QueryError

    bad = 'properties["plan"] = "pro"'
    with pytest.raises(QueryError) as mine:
        await ours.segmentation("Log In", where=bad, **SEPTEMBER)
    with pytest.raises(mixpanel_headless.QueryError) as theirs:
        peer.segmentation("Log In", where=bad, **SEPTEMBER)
    assert mine.value.status_code == theirs.value.status_code == 400
    assert "'=' is not an operator" in str(mine.value)
    assert dt.date.fromisoformat(SEPTEMBER["from_date"])  # the dates themselves were fine
