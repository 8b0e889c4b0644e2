"""Funnel and retention metrics sent to `POST /api/query/insights` over loopback HTTP with a
plain aiohttp client: the wire shapes the peer library parses, counted by hand on a few events
in a New York project, and what the emulator cannot compute answered as the Query API's 400.
The numbers are checked against an independent computation in
tests/unit/test_insights_funnel_engine.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from mixpanel_async.emulator import Emulator
from tests.emulator.conftest import running
from tests.emulator.test_insights import EVENTS, INSIGHTS, post

MARCH_1, MARCH_2 = "2024-03-01T00:00:00-05:00", "2024-03-02T00:00:00-05:00"
TIME = [{"dateRangeType": "between", "unit": "day", "value": ["2024-03-01", "2024-03-02"]}]


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with running(EVENTS, timezone="America/New_York") as emulator:
        yield emulator


def funnel(chart: str = "funnel-steps", **behavior: Any) -> dict[str, Any]:
    steps = [{"type": "event", "name": name, "filters": []} for name in ("Buy", "Home")]
    return {
        "sections": {
            "show": [{"type": "metric",
                      "behavior": {"type": "funnel", "behaviors": steps,
                                   "conversionWindowDuration": 1, "conversionWindowUnit": "day",
                                   **behavior},
                      "measurement": {"math": "conversion_rate_unique"}}],
            "time": TIME,
        },
        "displayOptions": {"chartType": chart},
    }  # fmt: skip


def steps(buy: int, home: int, avg: int | None = None) -> dict[str, Any]:
    ratio = home / buy if buy else 0.0
    return {
        "count": {"1. Buy": {"all": buy}, "2. Home": {"all": home}},
        "step_conv_ratio": {"1. Buy": {"all": 1.0 if buy else 0.0}, "2. Home": {"all": ratio}},
        "overall_conv_ratio": {"1. Buy": {"all": 1.0 if buy else 0.0}, "2. Home": {"all": ratio}},
        "avg_time": {"1. Buy": {"all": None}, "2. Home": {"all": avg}},
        "avg_time_from_start": {"1. Buy": {"all": None}, "2. Home": {"all": avg}},
    }


async def ask(http: aiohttp.ClientSession, emu: Emulator, report: Any) -> tuple[int, Any]:
    return await post(http, emu.url + INSIGHTS, {"bookmark": report, "project_id": 1})


async def test_funnel_steps(emu: Emulator, http: aiohttp.ClientSession) -> None:
    status, answer = await ask(http, emu, funnel())
    assert status == 200, answer
    assert answer["headers"] == ["$funnel"]
    # ann and bob (22:30 on March 1st in New York) buy and stop; cat goes home 30 minutes later
    assert answer["series"] == {"Buy through Home": steps(3, 1, 1800)}


async def test_funnel_breakdown_and_trends(emu: Emulator, http: aiohttp.ClientSession) -> None:
    report = funnel("line")
    report["sections"]["group"] = [{"value": "country", "resourceType": "events"}]
    status, answer = await ask(http, emu, report)
    assert status == 200, answer
    assert answer["series"]["Buy through Home"] == {
        "$overall": {MARCH_1: steps(2, 0), MARCH_2: steps(1, 1, 1800)},
        "DE": {MARCH_1: steps(0, 0), MARCH_2: steps(1, 1, 1800)},
        "FR": {MARCH_1: steps(1, 0), MARCH_2: steps(0, 0)},
        "US": {MARCH_1: steps(1, 0), MARCH_2: steps(0, 0)},
    }


async def test_retention(emu: Emulator, http: aiohttp.ClientSession) -> None:
    behaviors = [{"type": "event", "name": name} for name in ("Buy", "Home")]
    report = {"sections": {"show": [{"type": "metric",
                                     "behavior": {"type": "retention", "behaviors": behaviors,
                                                  "retentionUnit": "day"},
                                     "measurement": {"math": "retention_rate"}}],
                           "time": TIME}}  # fmt: skip
    status, answer = await ask(http, emu, report)
    assert status == 200, answer
    assert answer["series"] == {
        "Buy and then Home": {
            MARCH_1: {"first": 2, "counts": [0, 0, 0], "rates": [0.0, 0.0, 0.0]},
            MARCH_2: {"first": 1, "counts": [1, 0, 0], "rates": [1.0, 0.0, 0.0]},
            "$average": {"first": 3, "counts": [1, 0, 0], "rates": [1 / 3, 0.0, 0.0]},
        }
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["sections"]["show"][0]["measurement"].update(math="average"),
         "the funnel math 'average' is not supported by the emulator"),
        (lambda r: r["sections"]["show"][0]["behavior"].update(conversionWindowUnit="session",
                                                                conversionWindowDuration=2),
         "a window of 2 sessions is not supported by the emulator"),
        (lambda r: r["sections"]["show"][0]["measurement"].update(math="conversion_rate_session"),
         "the funnel math 'conversion_rate_session' needs a session conversion window"),
        (lambda r: r["sections"]["show"][0]["behavior"].update(behaviors=[]),
         "a funnel metric needs at least two steps"),
        (lambda r: r["sections"]["show"][0]["behavior"]["behaviors"][0].update(funnelOrder="any"),
         "steps with different orders is not supported by the emulator"),
        (lambda r: r["sections"]["show"][0]["behavior"].update(type="retention"),
         "the retention math 'conversion_rate_unique' is not supported by the emulator"),
        (lambda r: r["sections"].update(group=[{"value": "p", "resourceType": "groups"}]),
         "a breakdown by a non-event property 'groups' is not supported by the emulator"),
    ],
)  # fmt: skip
async def test_refusals(
    emu: Emulator, http: aiohttp.ClientSession, change: Any, message: str
) -> None:
    report = funnel()
    change(report)
    status, answer = await ask(http, emu, report)
    assert status == 400, answer
    assert answer["error"] == message
