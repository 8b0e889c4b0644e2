"""Datetime filter operators of report filters (`engine.filters`: `was on`, `was before`,
`was in the`, ...) in the Insights engine, against a plain-Python reading of the same rule:
the value as a UTC datetime (ISO text or Unix seconds; anything else never matches), days as
UTC days, relative windows from a fixed now."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest

from mixpanel_async.emulator.engine import insights
from tests.helpers import row
from tests.unit.test_query_engine import frame_of

NOW = dt.datetime(2024, 3, 20, 12, 0, tzinfo=dt.UTC)
START = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)


def seen_values(rng: random.Random) -> Any:
    moment = START + dt.timedelta(seconds=rng.randrange(40 * 86_400))
    return rng.choice([moment.strftime("%Y-%m-%dT%H:%M:%S"), int(moment.timestamp()),
                       moment.strftime("%Y-%m-%d"), "soon", None, True])  # fmt: skip


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    rng = random.Random(3)
    out = []
    for i in range(800):
        when = int((START + dt.timedelta(hours=i % 200)).timestamp() * 1000)
        props = {} if rng.random() < 0.1 else {"seen": seen_values(rng)}
        out.append({"time": when, "user": f"u{i % 40}", "props": props})
    return out


def as_utc(value: Any) -> dt.datetime | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=dt.UTC)


def day(text: str, after: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC) + dt.timedelta(days=after)


CASES: list[tuple[str, Any, dict[str, Any], Callable[[dt.datetime], bool], bool]] = [
    ("was on", "2024-03-05", {}, lambda t: day("2024-03-05") <= t < day("2024-03-06"), False),
    ("was not on", "2024-03-05", {}, lambda t: day("2024-03-05") <= t < day("2024-03-06"), True),
    ("was before", "2024-03-10", {}, lambda t: t < day("2024-03-10"), False),
    ("was since", "2024-03-10", {}, lambda t: t >= day("2024-03-10"), False),
    ("was between", ["2024-03-03", "2024-03-08"], {},
     lambda t: day("2024-03-03") <= t < day("2024-03-09"), False),
    ("was not between", ["2024-03-03", "2024-03-08"], {},
     lambda t: day("2024-03-03") <= t < day("2024-03-09"), True),
    ("was in the", 3, {"filterDateUnit": "day"},
     lambda t: NOW - dt.timedelta(days=3) <= t <= NOW, False),
    ("was not in the", 1, {"filterDateUnit": "week"},
     lambda t: NOW - dt.timedelta(days=7) <= t <= NOW, True),
    ("was in the next", 36, {"filterDateUnit": "hour"},
     lambda t: NOW <= t <= NOW + dt.timedelta(hours=36), False),
]  # fmt: skip


@pytest.mark.parametrize(("operator", "value", "extra", "inside", "negated"), CASES,
                         ids=[case[0] for case in CASES])  # fmt: skip
def test_date_operators(
    records: list[dict[str, Any]],
    operator: str,
    value: Any,
    extra: dict[str, Any],
    inside: Callable[[dt.datetime], bool],
    negated: bool,
) -> None:
    frame: pl.DataFrame = frame_of([row("Seen", r["user"], r["time"], **r["props"])
                                    for r in records])  # fmt: skip
    entry = {"resourceType": "events", "filterType": "datetime", "value": "seen",
             "filterOperator": operator, "filterValue": value, **extra}  # fmt: skip
    params = {
        "sections": {
            "show": [{"type": "metric", "behavior": {"type": "event", "name": "Seen"},
                      "measurement": {"math": "total"}}],
            "time": [{"dateRangeType": "between", "value": ["2024-03-01", "2024-03-31"]}],
            "filter": [entry],
        },
        "displayOptions": {"chartType": "bar"},
    }  # fmt: skip
    answer = insights.run(frame, insights.parse(params, NOW.date()), "UTC", now=NOW)
    matched = 0
    for r in records:
        when = as_utc(r["props"].get("seen"))
        verdict = when is not None and inside(when)
        matched += verdict != negated
    assert answer["series"]["Seen"] == {"all": matched}
    assert 0 < matched < len(records)
