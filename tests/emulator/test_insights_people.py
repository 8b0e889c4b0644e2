"""People properties, saved cohorts and frequencies in reports sent to `POST
/api/query/insights` over loopback HTTP with a plain aiohttp client: profiles and cohorts put
in the store are read as of now, counted by hand on a few events; unknown cohorts and what the
emulator cannot compute answered as the Query API's 400. The numbers are checked against
DuckDB in tests/unit/test_people_engine.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from mixpanel_async.emulator import Emulator
from tests.emulator.conftest import QUERY, running
from tests.emulator.test_flows import save
from tests.emulator.test_insights import EVENTS, INSIGHTS, bookmark, post

TIME = [{"dateRangeType": "between", "unit": "day", "value": ["2024-03-01", "2024-03-02"]}]
PROFILES = {"ann": {"tier": "gold", "age": 41}, "bob": {"tier": "silver", "age": 25}}


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with running(EVENTS, timezone="America/New_York") as emulator:
        project = emulator.state.default
        project.profiles.update({k: dict(v) for k, v in PROFILES.items()})
        project.cohorts.append({"id": 5, "name": "Older", "where": 'properties["age"] > 30'})
        yield emulator


async def totals(http: aiohttp.ClientSession, emu: Emulator, report: Any) -> tuple[int, Any]:
    report["displayOptions"]["chartType"] = "bar"
    return await post(http, emu.url + INSIGHTS, {"bookmark": report, "project_id": 1})


def people_group(name: str) -> dict[str, Any]:
    return {"value": name, "propertyName": name, "resourceType": "people"}


async def test_people_breakdown(emu: Emulator, http: aiohttp.ClientSession) -> None:
    report = bookmark()
    report["sections"]["group"] = [people_group("tier")]
    status, answer = await totals(http, emu, report)
    assert status == 200, answer
    assert answer["headers"] == ["$event", "tier"]
    # ann (gold) buys twice, bob (silver) once, cat has no profile
    assert answer["series"]["Buy"] == {"$overall": {"all": 4}, "gold": {"all": 2},
                                       "silver": {"all": 1}, "undefined": {"all": 1}}  # fmt: skip


async def test_cohort_filter_and_breakdown(emu: Emulator, http: aiohttp.ClientSession) -> None:
    report = bookmark()
    report["sections"]["filter"] = [
        {
            "value": "$cohorts",
            "filterOperator": "does not contain",
            "filterValue": [{"cohort": {"id": 5, "negated": False}}],
        }
    ]
    status, answer = await totals(http, emu, report)
    assert status == 200, answer
    assert answer["series"]["Buy"]["$overall"] == {"all": 2}  # bob and cat
    cohorts = [
        {"id": 5, "name": "Older", "negated": False},
        {"id": 5, "name": "Older", "negated": True},
    ]
    report = bookmark()
    report["sections"]["group"] = [{"value": ["Older", "Not In Older"], "cohorts": cohorts}]
    status, answer = await totals(http, emu, report)
    assert answer["headers"] == ["$event", "$cohorts"]
    assert answer["series"]["Buy"] == {"$overall": {"all": 4}, "Older": {"all": 2},
                                       "Not In Older": {"all": 2}}  # fmt: skip


async def test_frequency_breakdown(emu: Emulator, http: aiohttp.ClientSession) -> None:
    report = bookmark()
    behavior = {"behaviorType": "$frequency", "event": {"value": "Buy"}, "filters": []}
    report["sections"]["group"] = [
        {
            "resourceType": "people",
            "behavior": behavior,
            "value": "Buy Frequency",
            "customBucket": {"bucketSize": 1, "min": 0, "max": 10},
        }
    ]
    report["sections"]["show"][0]["measurement"]["math"] = "unique"
    status, answer = await totals(http, emu, report)
    assert status == 200, answer
    assert answer["headers"] == ["$event", "Buy Frequency"]
    assert answer["series"]["Buy"] == {"$overall": {"all": 3}, "1": {"all": 2}, "2": {"all": 1}}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["sections"].update(filter=[{"value": "$cohorts",
                                                 "filterOperator": "contains",
                                                 "filterValue": [{"cohort": {"id": 99}}]}]),
         "cohort 99 does not exist in this project"),
        (lambda r: r["sections"].update(group=[{"cohorts": [{"raw_cohort": {}}]}]),
         "an inline cohort (raw_cohort) without a selector, distinct_ids or where is not "
         "supported by the emulator"),
        (lambda r: r["sections"].update(group=[{"cohorts": [{"id": 5}, {"id": 6}]}]),
         "a breakdown by several cohorts is not supported by the emulator"),
        (lambda r: r["displayOptions"].update(timeComparison={"type": "relative", "value": "x"}),
         "a time comparison by 'x' is not supported by the emulator"),
        (lambda r: r["sections"].update(group=[{"resourceType": "groups", "value": "x"}]),
         "a breakdown by a non-event property 'groups' is not supported by the emulator"),
    ],
)  # fmt: skip
async def test_refusals(
    emu: Emulator, http: aiohttp.ClientSession, change: Any, message: str
) -> None:
    report = bookmark()
    change(report)
    status, answer = await totals(http, emu, report)
    assert status == 400, answer
    assert answer["error"] == message


async def test_saved_funnel_and_retention_by_cohort(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    steps = [{"type": "event", "name": name} for name in ("Buy", "Home")]
    in_cohort = {"value": "$cohorts", "filterOperator": "contains",
                 "filterValue": [{"cohort": {"id": 5, "negated": False}}]}  # fmt: skip
    sections = {"time": TIME, "filter": [in_cohort], "group": [people_group("tier")]}
    funnel = {
        "sections": {**sections, "show": [{"behavior": {"type": "funnel", "behaviors": steps}}]}
    }
    query = {"project_id": "1", "from_date": "2024-03-01", "to_date": "2024-03-02"}
    funnel_id = await save(http, emu, funnel, "funnels")
    async with http.get(
        emu.url + QUERY + "/funnels", params={**query, "funnel_id": str(funnel_id)}
    ) as resp:
        body = await resp.json()
    assert resp.status == 200, body
    # only ann is in the cohort (age 41): she buys on March 1st (New York) and never goes home
    entered = {day: {segment: steps[0]["count"] for segment, steps in by.items()}
               for day, by in body["data"].items()}  # fmt: skip
    assert entered == {
        "2024-03-01": {"$overall": 1, "gold": 1},
        "2024-03-02": {"$overall": 0, "gold": 0},
    }
    sections["filter"] = [{**in_cohort, "filterOperator": "does not contain"}]  # bob and cat
    retention = {
        "sections": {
            **sections,
            "show": [
                {"behavior": {"type": "retention", "behaviors": steps, "retentionUnit": "day"}}
            ],
        }
    }
    bookmark_id = await save(http, emu, retention, "retention")
    async with http.get(
        emu.url + QUERY + "/retention", params={"project_id": "1", "bookmark_id": str(bookmark_id)}
    ) as resp:
        body = await resp.json()
    assert resp.status == 200, body
    assert set(body) == {"undefined"}  # only cat (no profile) comes back, 30 minutes later
