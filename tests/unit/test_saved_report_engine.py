"""Saved funnel and retention reports with filters, per-step filters and a breakdown
(`engine.saved_reports` mapping a bookmark onto the classic engines) against the classic
engine tests' independent references, fed with hand-written Python predicates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from mixpanel_async.emulator.engine import funnels as funnel_engine
from mixpanel_async.emulator.engine import retention as retention_engine
from mixpanel_async.emulator.engine import saved_reports
from tests.unit.test_query_engine import (
    FAR_FUTURE,
    FROM,
    TO,
    assert_close,
    frame_of,
    is_num,
    make_rows,
    ref_funnel,
    ref_label,
    ref_retention,
)

Rec = dict[str, Any]


@pytest.fixture(scope="module")
def recs() -> list[Rec]:
    import json

    decoded = [
        {"event": e, "user": u, "time": t, "props": json.loads(p)} for e, u, t, _, p in make_rows(5)
    ]
    ordered = sorted(decoded, key=lambda r: r["time"])
    for pos, r in enumerate(ordered):
        r["pos"] = pos
    return ordered


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return frame_of(make_rows(5))


def flt(prop: str, op: str, value: Any = None, kind: str = "string") -> dict[str, Any]:
    return {"resourceType": "events", "filterType": kind, "filterOperator": op,
            "filterValue": value, "value": prop}  # fmt: skip


def step(name: str, *filters: dict[str, Any]) -> dict[str, Any]:
    return {"type": "event", "name": name, "filters": list(filters), "filtersDeterminer": "all"}


def saved(kind: str, steps: list[dict[str, Any]], **behavior: Any) -> dict[str, Any]:
    return {
        "sections": {
            "show": [{"type": "metric", "behavior": {"type": kind, "behaviors": steps,
                                                     "filter": [], **behavior}}],
            "time": [{"dateRangeType": "between", "unit": "day", "value": [FROM, TO]}],
            "filter": [flt("price", "is set")],
            "group": [{"value": "plan", "propertyName": "plan", "resourceType": "events"}],
        },
        "displayOptions": {"chartType": "funnel-steps"},
    }  # fmt: skip


def has_price(r: Rec) -> bool:
    return r["props"].get("price") is not None


def in_us_or_fr(r: Rec) -> bool:
    return r["props"].get("country") in ("US", "FR")


def amount_over_10(r: Rec) -> bool:
    a = r["props"].get("amount")
    return is_num(a) and a > 10


def test_saved_funnel_filters_steps_and_breakdown(frame: pl.DataFrame, recs: list[Rec]) -> None:
    params = saved(
        "funnel",
        [step("View", flt("country", "equals", ["US", "FR"])), step("Purchase")],
        conversionWindowDuration=6,
        conversionWindowUnit="hour",
    )
    spec = saved_reports.funnel_spec(params)
    got = funnel_engine.funnel(
        frame, from_date=FROM, to_date=TO, timezone="America/New_York", limit=1000, **spec
    )

    def keep(r: Rec) -> bool:  # the steps' events differ, so the step filter goes by event
        return has_price(r) and (r["event"] != "View" or in_us_or_fr(r))

    want = ref_funnel(
        recs,
        ["View", "Purchase"],
        "America/New_York",
        6 * 3_600_000,
        "day",
        lambda r: ref_label(r["props"].get("plan")),
        keep,
    )
    assert_close(got, want)
    assert sum(d["$overall"][0]["count"] for d in got["data"].values()) > 20


def test_saved_retention_filters_steps_and_breakdown(frame: pl.DataFrame, recs: list[Rec]) -> None:
    params = saved(
        "retention",
        [step("Sign Up", flt("country", "equals", ["US", "FR"])),
         step("View", flt("amount", "is greater than", 10, "number"))],
        retentionUnit="day",
    )  # fmt: skip
    spec = saved_reports.retention_spec(params, dt.date(2024, 3, 20))
    got = retention_engine.retention(frame, timezone="UTC", now=FAR_FUTURE, limit=1000, **spec)
    assert got
    for segment, cohorts in got.items():
        want = ref_retention(
            recs,
            "UTC",
            "birth",
            "Sign Up",
            "View",
            1,
            spec["interval_count"],
            "day",
            False,
            lambda r: has_price(r) and in_us_or_fr(r),
            lambda r: (
                has_price(r) and amount_over_10(r) and ref_label(r["props"].get("plan")) == segment  # noqa: B023 - used at once
            ),
        )
        assert cohorts == want


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p["sections"]["group"].append({"value": "x"}), "more than one breakdown"),
        (lambda p: p["sections"]["group"][0].update(resourceType="groups"), "non-event"),
        (lambda p: p["sections"].update(filter=[flt("c", "is like", "x")]), "'is like'"),
        (lambda p: p["sections"]["show"][0]["behavior"].update(exclusions=[{}]), "exclusion"),
        (
            lambda p: p["sections"]["show"][0]["behavior"]["behaviors"][0].update(
                funnelOrder="any"
            ),
            "any-order step",
        ),
    ],
)
def test_saved_funnel_refusals(change: Any, message: str) -> None:
    params = saved("funnel", [step("A"), step("B")])
    change(params)
    with pytest.raises(ValueError, match=message):
        saved_reports.funnel_spec(params)
