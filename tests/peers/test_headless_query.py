"""The peer library `mixpanel_headless` asks the emulator classic Query API questions
(segmentation and its numeric variants, event and property counts, funnels, retention,
frequency) and gets the numbers that independent recomputations expect.

The expected numbers come from the plain-Python references of
tests/unit/test_query_engine.py (standard-library JSON and zoneinfo, no engine code), over the
same random data, in a project whose timezone is New York (it changes to daylight saving time
inside the window). The peer is synchronous, so the emulator runs on its background thread;
the peer finds it through `MP_API_BASE_URL` and service-account variables, with HOME and
MP_CONFIG_PATH at an empty directory (tests/conftest.py), so no real configuration is read.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import pytest

from mixpanel_async.emulator import Emulator
from tests.unit.test_query_engine import (
    FAR_FUTURE,
    FROM,
    TO,
    amount_over_10,
    bounds,
    everything,
    is_num,
    make_rows,
    plan_of,
    ref_frequency,
    ref_funnel,
    ref_key,
    ref_keys,
    ref_label,
    ref_retention,
    ref_series,
)

mixpanel_headless = pytest.importorskip("mixpanel_headless")

TZ = "America/New_York"
ROWS = make_rows(23)
FUNNEL_ID = 41
STEPS = ["View", "Sign Up", "Purchase"]


def records() -> list[dict[str, Any]]:
    decoded = [{"event": e, "user": u, "time": t, "props": json.loads(p)} for e, u, t, _, p in ROWS]
    ordered = sorted(decoded, key=lambda r: r["time"])  # stable: ties keep arrival order
    for pos, r in enumerate(ordered):
        r["pos"] = pos
    return ordered


RECS = records()


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        project = emulator.state.default
        project.timezone = TZ
        project.events.append(ROWS)
        project.funnels[:] = [
            {
                "funnel_id": FUNNEL_ID,
                "name": "Buy",
                "steps": STEPS,
                "length": 12,
                "length_unit": "hour",
            },
        ]
        yield emulator


def close(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert set(got) == set(want)
    for key, value in want.items():
        if isinstance(value, dict):
            close(got[key], value)
        else:
            assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key


def test_segmentation(peer: Any) -> None:
    result = peer.segmentation(
        "Purchase", from_date=FROM, to_date=TO, on="plan", where='properties["amount"] > 10'
    )
    buys = [r for r in RECS if r["event"] == "Purchase"]
    want = ref_series(
        buys,
        FROM,
        TO,
        TZ,
        "day",
        "general",
        lambda r: ref_label(plan_of(r)),
        amount_over_10,
        limit=60,
    )
    close(result.series, want["data"]["values"])
    assert result.total == sum(sum(v.values()) for v in want["data"]["values"].values())
    weekly = peer.segmentation("View", from_date=FROM, to_date=TO, unit="week")
    views = [r for r in RECS if r["event"] == "View"]
    close(
        weekly.series,
        ref_series(views, FROM, TO, TZ, "week", "general", lambda r: "View", everything)["data"][
            "values"
        ],
    )


def test_segmentation_numeric(peer: Any) -> None:
    result = peer.segmentation_numeric(
        "Purchase", from_date=FROM, to_date=TO, on="amount", type="unique"
    )
    start, end = bounds(FROM, TO, TZ)
    buys = [
        r
        for r in RECS
        if r["event"] == "Purchase"
        and start <= r["time"] < end
        and is_num(r["props"].get("amount"))
    ]
    amounts = [r["props"]["amount"] for r in buys]
    width = 10.0 ** math.floor(math.log10(max(amounts) - min(amounts)))

    def bucket(r: dict[str, Any]) -> str:
        k = math.floor(r["props"]["amount"] / width)
        return f"{k * width:,.0f} - {(k + 1) * width:,.0f}"

    want = ref_series(buys, FROM, TO, TZ, "day", "unique", bucket, everything)
    close(result.series, want["data"]["values"])


@pytest.mark.parametrize("unit", ["day", "hour"])
def test_segmentation_sum_and_average(peer: Any, unit: str) -> None:
    total = peer.segmentation_sum("Purchase", from_date=FROM, to_date=TO, on="amount", unit=unit)
    mean = peer.segmentation_average("Purchase", from_date=FROM, to_date=TO, on="amount", unit=unit)
    start, end = bounds(FROM, TO, TZ)
    keys = ref_keys(FROM, TO, TZ, unit)
    sums, counts = dict.fromkeys(keys, 0.0), dict.fromkeys(keys, 0)
    for r in RECS:
        if r["event"] == "Purchase" and start <= r["time"] < end:
            a = r["props"].get("amount")
            key = ref_key(r["time"], TZ, unit)
            sums[key] += a if is_num(a) else 0.0
            counts[key] += 1
    close(total.results, sums)
    close(mean.results, {k: sums[k] / counts[k] if counts[k] else 0.0 for k in keys})
    assert total.computed_at


def test_event_counts(peer: Any) -> None:
    result = peer.event_counts(
        ["View", "Purchase", "Nope"], from_date=FROM, to_date=TO, type="unique"
    )
    wanted = [r for r in RECS if r["event"] in ("View", "Purchase")]
    want = ref_series(wanted, FROM, TO, TZ, "day", "unique", lambda r: r["event"], everything)
    close(result.series, want["data"]["values"])
    assert "Nope" not in result.series


def test_property_counts(peer: Any) -> None:
    result = peer.property_counts(
        "View", "plan", from_date=FROM, to_date=TO, type="average", unit="month"
    )
    views = [r for r in RECS if r["event"] == "View"]
    want = ref_series(
        views,
        FROM,
        TO,
        TZ,
        "month",
        "average",
        lambda r: ref_label(plan_of(r)),
        everything,
        limit=255,
    )
    close(result.series, want["data"]["values"])
    chosen = peer.property_counts(
        "View", "plan", from_date=FROM, to_date=TO, values=["pro", "free"]
    )
    general = ref_series(
        views, FROM, TO, TZ, "day", "general", lambda r: ref_label(plan_of(r)), everything
    )["data"]["values"]
    close(chosen.series, {"pro": general["pro"], "free": general["free"]})


def test_funnel(peer: Any) -> None:
    result = peer.funnel(FUNNEL_ID, from_date=FROM, to_date=TO)
    want = ref_funnel(RECS, STEPS, TZ, 12 * 3_600_000, "day", None, everything)
    counts = [sum(day["steps"][k]["count"] for day in want["data"].values()) for k in range(3)]
    assert [s.count for s in result.steps] == counts
    assert [s.event for s in result.steps] == STEPS
    assert counts[0] > counts[1] > 0
    assert result.steps[1].conversion_rate == pytest.approx(counts[1] / counts[0])
    assert result.conversion_rate == pytest.approx(counts[2] / counts[0])
    split = peer.funnel(FUNNEL_ID, from_date=FROM, to_date=TO, on='properties["plan"]')
    assert [s.count for s in split.steps] == counts  # the peer reads `$overall`


def test_retention(peer: Any) -> None:
    result = peer.retention(
        born_event="Sign Up",
        return_event="Purchase",
        from_date=FROM,
        to_date=TO,
        return_where='properties["amount"] > 10',
        interval_count=4,
    )
    want = ref_retention(
        RECS, TZ, "birth", "Sign Up", "Purchase", 1, 4, "day", False, everything, amount_over_10
    )
    assert [c.date for c in result.cohorts] == list(want)
    for cohort in result.cohorts:
        expected = want[cohort.date]
        assert cohort.size == expected["first"]
        size = expected["first"]
        assert cohort.retention == pytest.approx(
            [n / size if size else 0.0 for n in expected["counts"]]
        )
    assert sum(c.size for c in result.cohorts) > 0
    assert FAR_FUTURE.year > 2024  # the window is in the past, so every interval has begun


def test_retention_interval(peer: Any) -> None:
    result = peer.retention(
        born_event="Purchase",
        return_event="View",
        from_date=FROM,
        to_date=TO,
        interval=2,
        interval_count=2,
    )
    want = ref_retention(
        RECS, TZ, "birth", "Purchase", "View", 2, 2, "day", False, everything, everything
    )
    assert {c.date: c.size for c in result.cohorts} == {k: v["first"] for k, v in want.items()}


@pytest.mark.parametrize(("unit", "addiction"), [("day", "hour"), ("week", "day")])
def test_frequency(peer: Any, unit: str, addiction: str) -> None:
    result = peer.frequency(
        from_date=FROM,
        to_date=TO,
        unit=unit,
        addiction_unit=addiction,
        event="View",
        where='properties["plan"] != "free"',
    )
    want = ref_frequency(RECS, TZ, unit, addiction, "View", lambda r: plan_of(r) != "free")
    assert result.data == want["data"]


def test_bad_input_is_a_query_error(peer: Any) -> None:
    with pytest.raises(mixpanel_headless.exceptions.QueryError):
        peer.segmentation("View", from_date=TO, to_date=FROM)
    with pytest.raises(mixpanel_headless.exceptions.QueryError):
        peer.segmentation("View", from_date=FROM, to_date=TO, where='properties["x"] ==')
    with pytest.raises(mixpanel_headless.exceptions.QueryError):
        peer.funnel(999, from_date=FROM, to_date=TO)
    empty = peer.segmentation("Never Happened", from_date=FROM, to_date=TO)
    assert (empty.series, empty.total) == ({}, 0)
