"""The Insights engine (`emulator.engine.insights`, with `engine.filters`) against an independent
recomputation in plain Python.

The reference shares no code with the engine: records decoded with the standard library's
`json`, local time from `zoneinfo`, filters re-written as Python predicates, percentiles by
hand. The data is the classic engine tests' generator (events straddling local midnights in
three timezones, one with a daylight-saving change, repeated users, missing keys, values of
mixed types, duplicate keys, nested objects).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from mixpanel_async.emulator.engine import insights
from tests.unit.test_query_engine import (
    FROM,
    TO,
    TZS,
    assert_close,
    bounds,
    is_num,
    local,
    make_rows,
    ref_label,
)

TODAY = dt.date(2024, 3, 20)
Rec = dict[str, Any]


@pytest.fixture(scope="module")
def recs() -> list[Rec]:
    import json

    return [
        {"event": e, "user": u, "time": t, "props": json.loads(p)}
        for e, u, t, _, p in make_rows(11)
    ]


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    from tests.unit.test_query_engine import frame_of

    return frame_of(make_rows(11))


# -- the reference ------------------------------------------------------------------------------
def ref_start(t_ms: int, tz: str, unit: str) -> str:
    """The ISO timestamp of the local start of the bucket holding `t_ms`."""
    when = local(t_ms, tz)
    if unit == "hour":
        start = when.replace(minute=0, second=0, microsecond=0)
        return start.replace(tzinfo=None).replace(tzinfo=ZoneInfo(tz)).isoformat()
    day = when.date()
    if unit == "week":
        day -= dt.timedelta(days=day.weekday())
    elif unit == "month":
        day = day.replace(day=1)
    return dt.datetime.combine(day, dt.time(), ZoneInfo(tz)).isoformat()


def ref_dates(tz: str, unit: str) -> list[str]:
    start, end = bounds(FROM, TO, tz)
    out: list[str] = []
    for t in range(start, end, 3_600_000):
        key = ref_start(t, tz, unit)
        if key not in out:
            out.append(key)
    return out


def ref_quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ref_amount(math_: str, cells: list[Rec], prop: str | None) -> Any:
    if math_ == "unique":
        return len({r["user"] for r in cells})
    if prop is None:
        return len(cells)
    values = [float(r["props"][prop]) for r in cells if is_num(r["props"].get(prop))]
    if math_ == "total":
        return sum(values)
    if not values:
        return None
    if math_ == "average":
        return sum(values) / len(values)
    if math_ in ("min", "max"):
        return min(values) if math_ == "min" else max(values)
    q = {"median": 0.5, "p25": 0.25, "p75": 0.75, "p90": 0.9, "p99": 0.99}[math_]
    return ref_quantile(values, q)


def ref_series(
    recs: list[Rec],
    tz: str,
    unit: str,
    event: str | None,
    math_: str,
    prop: str | None,
    keep: Callable[[Rec], bool],
    groups: list[str],
    by_date: bool = True,
) -> Any:
    start, end = bounds(FROM, TO, tz)
    chosen = [
        r
        for r in recs
        if start <= r["time"] < end and (event is None or r["event"] == event) and keep(r)
    ]
    if prop is not None and math_ != "unique":
        chosen = [r for r in chosen if is_num(r["props"].get(prop))]
    dates = ref_dates(tz, unit) if by_date else ["all"]
    zero = 0 if math_ in ("total", "unique") else None

    def leaf(cells: list[Rec]) -> dict[str, Any]:
        by: dict[str, list[Rec]] = defaultdict(list)
        for r in cells:
            by[ref_start(r["time"], tz, unit) if by_date else "all"].append(r)
        out = {}
        for key in dates:
            value = ref_amount(math_, by[key], prop) if by[key] else zero
            if value is not None:
                out[key] = value
        return out

    def node(cells: list[Rec], level: int) -> dict[str, Any]:
        if level == len(groups):
            return leaf(cells)
        split: dict[str, list[Rec]] = defaultdict(list)
        for r in cells:
            split[ref_label(r["props"].get(groups[level]))].append(r)
        tree: dict[str, Any] = {"$overall": leaf(cells)}
        for segment, members in split.items():
            tree[segment] = node(members, level + 1)
        return tree

    return node(chosen, 0)


# -- report params ------------------------------------------------------------------------------
def params(
    *metrics: dict[str, Any],
    unit: str = "day",
    where: list[dict[str, Any]] | None = None,
    groups: list[str] | None = None,
    chart: str = "line",
) -> dict[str, Any]:
    return {
        "sections": {
            "show": list(metrics),
            "time": [{"dateRangeType": "between", "unit": unit, "value": [FROM, TO]}],
            "filter": where or [],
            "group": [
                {"value": g, "propertyName": g, "resourceType": "events"} for g in groups or []
            ],
        },
        "displayOptions": {"chartType": chart, "analysis": "linear"},
    }


def metric(
    name: str, math_: str = "total", prop: str | None = None, **behavior: Any
) -> dict[str, Any]:
    measurement: dict[str, Any] = {"math": math_}
    if prop:
        measurement["property"] = {"name": prop, "resourceType": "events"}
    return {
        "type": "metric",
        "behavior": {"type": "event", "name": name, "resourceType": "events", **behavior},
        "measurement": measurement,
    }


def flt(prop: str, op: str, value: Any = None, kind: str = "string") -> dict[str, Any]:
    return {
        "resourceType": "events",
        "filterType": kind,
        "defaultType": kind,
        "filterOperator": op,
        "filterValue": value,
        "value": prop,
    }


def run(frame: pl.DataFrame, report: dict[str, Any], tz: str) -> dict[str, Any]:
    return insights.run(frame, insights.parse(report, TODAY), tz)


def everything(_: Rec) -> bool:
    return True


# -- tests --------------------------------------------------------------------------------------
@pytest.mark.parametrize("tz", TZS)
@pytest.mark.parametrize("unit", ["hour", "day", "week", "month"])
@pytest.mark.parametrize("math_", ["total", "unique"])
def test_counts_by_unit(
    frame: pl.DataFrame, recs: list[Rec], tz: str, unit: str, math_: str
) -> None:
    answer = run(frame, params(metric("View", math_), unit=unit), tz)
    want = ref_series(recs, tz, unit, "View", math_, None, everything, [])
    assert answer["series"] == {"View": want}
    assert list(answer["series"]["View"]) == ref_dates(tz, unit)
    assert answer["headers"] == ["$event"]


@pytest.mark.parametrize(
    "math_", ["total", "average", "min", "max", "median", "p25", "p75", "p90", "p99"]
)
def test_property_maths(frame: pl.DataFrame, recs: list[Rec], math_: str) -> None:
    tz = "America/New_York"
    answer = run(frame, params(metric("Purchase", math_, "amount")), tz)
    want = ref_series(recs, tz, "day", "Purchase", math_, "amount", everything, [])
    assert_close(answer["series"]["Purchase"], want)


def test_custom_percentile_and_unique_values(frame: pl.DataFrame, recs: list[Rec]) -> None:
    tz = "America/New_York"
    shown = metric("Purchase", "custom_percentile", "amount")
    shown["measurement"]["percentile"] = 95
    counted = metric("View", "unique_values", "plan")
    answer = run(frame, params(shown, counted, chart="bar"), tz)
    start, end = bounds(FROM, TO, tz)
    chosen = [r for r in recs if start <= r["time"] < end]
    amounts = [float(r["props"]["amount"]) for r in chosen
               if r["event"] == "Purchase" and is_num(r["props"].get("amount"))]  # fmt: skip
    plans = {ref_label(r["props"].get("plan")) for r in chosen if r["event"] == "View"}
    assert_close(answer["series"]["Purchase"], {"all": ref_quantile(amounts, 0.95)})
    assert answer["series"]["View"] == {"all": len(plans - {"undefined"})}


@pytest.mark.parametrize(
    ("compare", "first", "suffix"),
    [({"type": "relative", "value": "day"}, "2024-03-07", "1 day ago"),
     ({"type": "absolute-start", "value": "2024-03-09"}, "2024-03-09", "from 2024-03-09"),
     ({"type": "absolute-end", "value": "2024-03-13"}, "2024-03-09", "to 2024-03-13")],
)  # fmt: skip
def test_time_comparison(
    frame: pl.DataFrame, recs: list[Rec], compare: dict[str, str], first: str, suffix: str
) -> None:
    tz = "America/New_York"
    report = params(metric("View"))
    report["displayOptions"]["timeComparison"] = compare
    answer = run(frame, report, tz)
    assert answer["series"]["View"] == ref_series(recs, tz, "day", "View", "total", None,
                                                  everything, [])  # fmt: skip
    days = [dt.date.fromisoformat(first) + dt.timedelta(days=i) for i in range(5)]
    counts = dict.fromkeys(days, 0)
    for r in recs:
        if r["event"] == "View" and local(r["time"], tz).date() in counts:
            counts[local(r["time"], tz).date()] += 1
    want = {dt.datetime.combine(d, dt.time(), ZoneInfo(tz)).isoformat(): n
            for d, n in counts.items()}  # fmt: skip
    assert answer["series"][f"View ({suffix})"] == want
    assert sum(want.values()) > 0


def test_breakdowns_nest_with_overall_rollups(frame: pl.DataFrame, recs: list[Rec]) -> None:
    tz = "Asia/Kolkata"
    report = params(metric("View", "unique"), groups=["country", "plan"], unit="week")
    answer = run(frame, report, tz)
    want = ref_series(recs, tz, "week", "View", "unique", None, everything, ["country", "plan"])
    assert answer["series"]["View"] == want
    assert answer["headers"] == ["$event", "country", "plan"]


def test_all_events_and_totals(frame: pl.DataFrame, recs: list[Rec]) -> None:
    report = params(metric("$all_events", "unique"), groups=["country"], chart="table")
    answer = run(frame, report, "UTC")
    want = ref_series(recs, "UTC", "day", None, "unique", None, everything, ["country"], False)
    assert answer["series"] == {"$all_events": want}


FILTERS: list[tuple[dict[str, Any], Callable[[dict[str, Any]], bool]]] = [
    (flt("country", "equals", ["US", "FR"]), lambda p: p.get("country") in ("US", "FR")),
    (flt("country", "equals", "US"), lambda p: p.get("country") == "US"),
    (flt("plan", "does not equal", ["pro"]), lambda p: p.get("plan") != "pro"),
    (
        flt("country", "contains", "U"),
        lambda p: isinstance(p.get("country"), str) and "U" in p["country"],
    ),
    (
        flt("country", "does not contain", "U"),
        lambda p: not (isinstance(p.get("country"), str) and "U" in p["country"]),
    ),
    (flt("plan", "is set"), lambda p: p.get("plan") is not None),
    (flt("amount", "is not set"), lambda p: p.get("amount") is None),
    (
        flt("price", "is greater than", 20, "number"),
        lambda p: is_num(p.get("price")) and p["price"] > 20,
    ),
    (
        flt("price", "is at most", 20, "number"),
        lambda p: is_num(p.get("price")) and p["price"] <= 20,
    ),
    (
        flt("amount", "is between", [5, 100], "number"),
        lambda p: is_num(p.get("amount")) and 5 <= p["amount"] <= 100,
    ),
    (flt("plan", "true", None, "boolean"), lambda p: p.get("plan") is True),
    (
        flt("plan", "starts with", "p"),
        lambda p: isinstance(p.get("plan"), str) and p["plan"].startswith("p"),
    ),
]


@pytest.mark.parametrize(("entry", "predicate"), FILTERS, ids=lambda x: str(x)[:40])
def test_global_filters(
    frame: pl.DataFrame,
    recs: list[Rec],
    entry: dict[str, Any],
    predicate: Callable[[dict[str, Any]], bool],
) -> None:
    answer = run(frame, params(metric("View"), where=[entry]), "UTC")
    want = ref_series(
        recs, "UTC", "day", "View", "total", None, lambda r: predicate(r["props"]), []
    )
    assert answer["series"]["View"] == want


def test_metric_filters_any_and_global_filters_all(frame: pl.DataFrame, recs: list[Rec]) -> None:
    shown = metric(
        "Sign Up",
        "unique",
        filters=[flt("country", "equals", ["DE"]), flt("plan", "equals", ["free"])],
        filtersDeterminer="any",
    )
    report = params(shown, where=[flt("price", "is set")])

    def keep(r: Rec) -> bool:
        p = r["props"]
        return p.get("price") is not None and (p.get("country") == "DE" or p.get("plan") == "free")

    answer = run(frame, report, "America/New_York")
    assert answer["series"]["Sign Up"] == ref_series(
        recs, "America/New_York", "day", "Sign Up", "unique", None, keep, []
    )


def test_window_and_hidden_metrics(frame: pl.DataFrame) -> None:
    hidden = {**metric("Purchase"), "isHidden": True}
    answer = run(frame, params(metric("View"), hidden, metric("View", "unique")), "UTC")
    assert list(answer["series"]) == ["View", "View (2)"]
    assert answer["date_range"] == {
        "from_date": f"{FROM}T00:00:00+00:00",
        "to_date": f"{TO}T23:59:59.999000+00:00",
    }
    assert answer["meta"]["sampling_factor"] == 1.0


def test_relative_ranges() -> None:
    last = params(metric("View"))
    last["sections"]["time"] = [
        {"dateRangeType": "in the last", "unit": "day", "window": {"unit": "week", "value": 2}}
    ]
    report = insights.parse(last, TODAY)
    assert (report.from_date, report.to_date) == (TODAY - dt.timedelta(days=14), TODAY)
    last["sections"]["time"] = [{"dateRangeType": "since", "unit": "month", "value": "2024-01-05"}]
    report = insights.parse(last, TODAY)
    assert (report.from_date, report.to_date, report.unit) == (dt.date(2024, 1, 5), TODAY, "month")


def test_unknown_event_is_zero_filled(frame: pl.DataFrame) -> None:
    answer = run(frame, params(metric("Nope"), metric("Nope", "average", "amount")), "UTC")
    assert set(answer["series"]["Nope"].values()) == {0}
    assert answer["series"]["Nope (2)"] == {}


@pytest.mark.parametrize("per_user", ["total", "average", "min", "max"])
@pytest.mark.parametrize("math_", ["total", "average", "median", "max"])
def test_per_user_aggregation(
    frame: pl.DataFrame, recs: list[Rec], per_user: str, math_: str
) -> None:
    shown = metric("View", math_, "amount")
    shown["measurement"]["perUserAggregation"] = per_user
    answer = run(frame, params(shown, groups=["country"], chart="bar"), "UTC")
    start, end = bounds(FROM, TO, "UTC")
    chosen = [
        r
        for r in recs
        if start <= r["time"] < end and r["event"] == "View" and is_num(r["props"].get("amount"))
    ]

    def across_users(cells: list[Rec]) -> Any:
        by_user: dict[str, list[float]] = defaultdict(list)
        for r in cells:
            by_user[r["user"]].append(float(r["props"]["amount"]))
        reduce = {"total": sum, "average": lambda v: sum(v) / len(v), "min": min, "max": max}
        fake = [{"user": u, "props": {"x": reduce[per_user](v)}} for u, v in by_user.items()]
        return ref_amount(math_, fake, "x") if fake else (0 if math_ == "total" else None)

    want: dict[str, Any] = {"$overall": {"all": across_users(chosen)}}
    split: dict[str, list[Rec]] = defaultdict(list)
    for r in chosen:
        split[ref_label(r["props"].get("country"))].append(r)
    for country, cells in split.items():
        want[country] = {"all": across_users(cells)}
    assert_close(answer["series"]["View"], want)


def test_cumulative_unique_and_analyses(frame: pl.DataFrame, recs: list[Rec]) -> None:
    tz = "Asia/Kolkata"
    daily = ref_series(recs, tz, "day", "Sign Up", "total", None, everything, ["plan"])
    start, end = bounds(FROM, TO, tz)

    def first_seen(cells: list[Rec]) -> dict[str, int]:
        firsts: dict[str, str] = {}
        for r in sorted(cells, key=lambda r: r["time"]):
            firsts.setdefault(r["user"], ref_start(r["time"], tz, "day"))
        out, seen = {}, 0
        for key in ref_dates(tz, "day"):
            seen += sum(1 for k in firsts.values() if k == key)
            out[key] = seen
        return out

    signups = [r for r in recs if start <= r["time"] < end and r["event"] == "Sign Up"]
    answer = run(frame, params(metric("Sign Up", "cumulative_unique")), tz)
    assert answer["series"]["Sign Up"] == first_seen(signups)

    def transformed(tree: Any, change: Callable[[list[Any]], list[Any]]) -> Any:
        if all(not isinstance(v, dict) for v in tree.values()):
            return dict(zip(tree, change(list(tree.values())), strict=True))
        return {k: transformed(v, change) for k, v in tree.items()}

    def running(values: list[Any]) -> list[Any]:
        return [sum(values[: i + 1]) for i in range(len(values))]

    def last3(values: list[Any]) -> list[Any]:
        return [sum(values[max(0, i - 2) : i + 1]) / len(values[max(0, i - 2) : i + 1])
                for i in range(len(values))]  # fmt: skip

    for analysis, change in (("cumulative", running), ("rolling", last3)):
        report = params(metric("Sign Up"), groups=["plan"])
        report["displayOptions"].update(analysis=analysis, rollingWindowSize=3)
        answer = run(frame, report, tz)
        assert_close(answer["series"]["Sign Up"], transformed(daily, change))


@pytest.mark.parametrize(("math_", "span"), [("dau", 1), ("wau", 7), ("mau", 28)])
@pytest.mark.parametrize("unit", ["day", "week"])
def test_active_users(
    frame: pl.DataFrame, recs: list[Rec], math_: str, span: int, unit: str
) -> None:
    tz = "America/New_York"
    zone = ZoneInfo(tz)
    first, last = dt.date.fromisoformat(FROM), dt.date.fromisoformat(TO)
    answer = run(frame, params(metric("View", math_), unit=unit, groups=["country"]), tz)

    def day_of(r: Rec) -> dt.date:
        return local(r["time"], tz).date()

    def active(cells: list[Rec], day: dt.date) -> int:
        return len({r["user"] for r in cells if 0 <= (day - day_of(r)).days < span})

    def leaf(cells: list[Rec]) -> dict[str, float]:
        per_bucket: dict[str, list[int]] = defaultdict(list)
        day = first
        while day <= last:
            start = int(dt.datetime.combine(day, dt.time(), zone).timestamp() * 1000)
            per_bucket[ref_start(start, tz, unit)].append(active(cells, day))
            day += dt.timedelta(days=1)
        return {key: sum(v) / len(v) for key, v in per_bucket.items()}

    views = [r for r in recs if r["event"] == "View"]
    want: dict[str, Any] = {"$overall": leaf(views)}
    split: dict[str, list[Rec]] = defaultdict(list)
    for r in views:
        split[ref_label(r["props"].get("country"))].append(r)
    for country, cells in split.items():
        if any(leaf(cells).values()):  # a segment with no user active in the range is absent
            want[country] = leaf(cells)
    assert_close(answer["series"]["View"], want)
    total = run(frame, params(metric("View", math_), chart="bar"), tz)["series"]["View"]
    daily = [active(views, first + dt.timedelta(days=i)) for i in range((last - first).days + 1)]
    assert total == {"all": pytest.approx(sum(daily) / len(daily))}


def test_formulas_over_hidden_metrics(frame: pl.DataFrame, recs: list[Rec]) -> None:
    tz = "America/New_York"
    hidden = [
        {**metric("View"), "isHidden": True},
        {**metric("View", "unique"), "isHidden": True},
        metric("Purchase"),
    ]
    ratio = {"type": "formula", "definition": "(A - C) / B * 100", "name": "gap per user"}
    answer = run(frame, params(*hidden, ratio, groups=["country"]), tz)
    assert list(answer["series"]) == ["Purchase", "gap per user"]
    views = ref_series(recs, tz, "day", "View", "total", None, everything, ["country"])
    users = ref_series(recs, tz, "day", "View", "unique", None, everything, ["country"])
    buys = ref_series(recs, tz, "day", "Purchase", "total", None, everything, ["country"])

    def expected(a: Any, b: Any, c: Any) -> Any:
        if not isinstance(a, dict):
            return None if b == 0 else (a - c) / b * 100
        out = {}
        for key in a:
            if key in b and key in c:
                value = expected(a[key], b[key], c[key])
                if value is not None:
                    out[key] = value
        return out

    assert_close(answer["series"]["gap per user"], expected(views, users, buys))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p["sections"].update(show=[]), "at least one metric"),
        (
            lambda p: p["sections"]["show"].append({"type": "formula", "definition": "A**2"}),
            "may only use",
        ),
        (lambda p: p["sections"]["show"].append({"type": "formula", "definition": "B"}), "'B'"),
        (
            lambda p: p["sections"]["show"].append({"type": "formula", "definition": "f(A)"}),
            "plain",
        ),
        (lambda p: p["sections"]["show"].append({"type": "formula", "definition": "A +"}), "valid"),
        (
            lambda p: p["sections"]["show"].append({"type": "formula", "definition": "'x'"}),
            "numbers",
        ),
        (lambda p: p["sections"]["show"][0]["measurement"].update(math="histogram"), "'histogram'"),
        (lambda p: p["sections"]["show"][0]["measurement"].update(math="p90"), "needs a measure"),
        (lambda p: p["sections"]["show"][0]["behavior"].update(type="funnel"), "'funnel' metric"),
        (lambda p: p["sections"]["show"][0]["behavior"].pop("name"), "names no event"),
        (lambda p: p["sections"]["time"][0].update(unit="quarter"), "'quarter'"),
        (lambda p: p["sections"]["time"][0].update(value=["2024-03-09", "2024-03-01"]), "after"),
        (lambda p: p["sections"]["time"][0].update(value=["2024-3-9", "x"]), "YYYY-MM-DD"),
        (lambda p: p["sections"]["time"][0].update(dateRangeType="custom"), "'custom'"),
        (lambda p: p["sections"].update(filter=[flt("c", "is like", "x")]), "'is like'"),
        (
            lambda p: p["sections"].update(
                filter=[{**flt("c", "equals", ["x"]), "resourceType": "group_profiles"}]
            ),
            "group_profiles",
        ),
        (lambda p: p["sections"].update(filter=[flt("c", "is between", [1])]), "pair"),
        (lambda p: p["sections"].update(filter="x"), "must be a list"),
        (
            lambda p: p["sections"].update(group=[{"value": "c", "customBucket": {"x": 1}}]),
            "custom",
        ),
        (lambda p: p["displayOptions"].update(chartType="sankey"), "'sankey'"),
        (lambda p: p["displayOptions"].update(analysis="logarithmic"), "'logarithmic'"),
        (
            lambda p: p["displayOptions"].update(analysis="rolling", rollingWindowSize=0),
            "rollingWindowSize",
        ),
        (
            lambda p: p["sections"]["show"][0]["measurement"].update(perUserAggregation="sum"),
            "'sum'",
        ),
        (
            lambda p: p["sections"]["show"][0]["measurement"].update(
                math="unique", perUserAggregation="total", property={"name": "amount"}
            ),
            "does not combine",
        ),
        (lambda p: p.update(sections=[]), "must be an object"),
    ],
)
def test_refusals_name_the_problem(change: Callable[[dict[str, Any]], Any], message: str) -> None:
    report = params(metric("View"))
    change(report)
    with pytest.raises(ValueError, match=message):
        insights.parse(report, TODAY)
