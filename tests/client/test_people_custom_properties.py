"""Custom properties of people (`resource_type="people"`) read each user's profile, never the
event's own properties of the same names: in Insights breakdowns, classic segmentation and
profile queries (engage `where`), checked against plain Python."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace, CustomPropertyRef, GroupBy
from mixpanel_async.emulator import Emulator
from tests.helpers import ms, row

DAYS = ["2026-03-02", "2026-03-03"]
RANGE = {"from_date": DAYS[0], "to_date": DAYS[-1]}
AGES: dict[str, Any] = {"u0": 41, "u1": 22, "u2": "35", "u3": None, "u4": 30}  # u5: no profile
FORMULA = 'if(defined(A), if(number(A) >= 30, "senior", "junior"), "unknown")'


def band(user: str) -> str:
    """The formula over a user's profile, by hand."""
    age = AGES.get(user)
    if age is None:
        return "unknown"
    return "senior" if float(age) >= 30 else "junior"


EVENTS = [(f"u{i % 6}", DAYS[i % 2], i) for i in range(30)]


@pytest.fixture
async def ws(mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace) -> AsyncWorkspace:
    project = mixpanel_emulator.state.default
    for user, age in AGES.items():
        project.profiles[user] = {"$name": user} if age is None else {"$name": user, "age": age}
    project.events.append(  # every event says age 1: a formula reading events would say junior
        [row("Play", u, ms(f"{d}T10:00:00") + i, f"p{i}", age=1) for u, d, i in EVENTS]
    )
    return mixpanel_workspace


async def _property(ws: AsyncWorkspace) -> int:
    made = await ws.create_custom_property(
        {"name": "Age band", "resource_type": "people", "display_formula": FORMULA,
         "composed_properties": {"A": {"resourceType": "user", "value": "age"}}}
    )  # fmt: skip
    return made.custom_property_id


async def test_insights_breakdown_reads_profiles(ws: AsyncWorkspace) -> None:
    prop = await _property(ws)
    result = await ws.query(
        "Play", mode="total", group_by=GroupBy(CustomPropertyRef(prop)), **RANGE
    )
    [segments] = result.series.values()
    want = Counter(band(u) for u, _, _ in EVENTS)
    assert {k: v["all"] for k, v in segments.items() if k != "$overall"} == dict(want)
    assert set(want) == {"senior", "junior", "unknown"}


async def test_classic_segmentation_reads_profiles(ws: AsyncWorkspace) -> None:
    prop = await _property(ws)
    result = await ws.segmentation("Play", on=f'properties["$custom_property:{prop}"]', **RANGE)
    want: dict[str, Counter[str]] = {}
    for user, day, _ in EVENTS:
        want.setdefault(band(user), Counter())[day] += 1
    assert {k: {d: n for d, n in v.items() if n} for k, v in result.series.items()} == {
        k: dict(v) for k, v in want.items()}  # fmt: skip
    seniors = await ws.segmentation(
        "Play", where=f'properties["$custom_property:{prop}"] == "senior"', **RANGE
    )
    assert seniors.total == sum(band(u) == "senior" for u, _, _ in EVENTS)


async def test_profile_query_where_on_a_custom_property(ws: AsyncWorkspace) -> None:
    prop = await _property(ws)
    where = f'properties["$custom_property:{prop}"] == "senior"'
    found = [p["distinct_id"] async for p in ws.stream_profiles(where=where)]
    assert sorted(found) == sorted(u for u in AGES if band(u) == "senior")
    assert "$custom_property" not in str([p async for p in ws.stream_profiles(where=where)])


def test_profile_keys_are_spelt_as_user_keys_spells_them() -> None:
    from mixpanel_async.emulator.engine import custom_columns, user_keys

    for name in ("age", 'say "hi"', "é"):
        assert custom_columns._profile_key(name) == user_keys.key(user_keys.PEOPLE, name)
