"""`CohortBreakdown` with an inline `CohortDefinition` through `query()`, `query_funnel()` and
`query_retention()` over loopback: members and non-members counted here in plain Python from
the same profiles and events."""

from __future__ import annotations

import random
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace, CohortBreakdown, CohortCriteria, CohortDefinition
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import DAY, ev

SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z
SEPT = {"from_date": "2026-09-01", "to_date": "2026-09-07"}
USERS = [f"u{i}" for i in range(30)]
PROFILES: dict[str, dict[str, Any]] = {
    user: {"plan": ["free", "pro", "team"][i % 3], **({"age": 20 + i} if i % 4 else {})}
    for i, user in enumerate(USERS)
    if i % 7  # some users have no profile
}


def _rows() -> list[dict[str, Any]]:
    rng = random.Random(5)
    rows = []
    for user in USERS:
        at = SEP1 + rng.randrange(3 * DAY)
        rows.append(ev("Sign Up", user, at))
        for _ in range(rng.randint(0, 4)):
            at += rng.randrange(DAY)
            rows.append(ev(rng.choice(["Purchase", "View"]), user, at))
    return rows


ROWS = _rows()
DEFINITION = CohortDefinition.any_of(
    CohortCriteria.has_property("plan", "pro"),
    CohortCriteria.has_property("age", 40, operator="greater_than", property_type="number"),
)


def member(user: str) -> bool:
    """The definition read here: on the pro plan, or older than 40."""
    profile = PROFILES.get(user, {})
    return profile.get("plan") == "pro" or profile.get("age", 0) > 40


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(ROWS))
    mixpanel_emulator.state.default.profiles.update(PROFILES)
    return mixpanel_emulator


def _events(name: str, inside: bool) -> int:
    return sum(
        1 for r in ROWS if r["event"] == name and member(r["properties"]["distinct_id"]) == inside
    )


async def test_query_by_inline_cohort(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    result = await mixpanel_workspace.query(
        "Purchase", group_by=CohortBreakdown(DEFINITION, "Pro or older"), mode="total", **SEPT
    )
    node = result.series["Purchase"]
    assert node["Pro or older"]["all"] == _events("Purchase", True) > 0
    assert node["Not In Pro or older"]["all"] == _events("Purchase", False) > 0


def _converted(inside: bool) -> tuple[int, int]:
    """(users who signed up, of them who purchased after) among members or non-members."""
    entered = converted = 0
    for user in USERS:
        if member(user) != inside:
            continue
        times = sorted((r["properties"]["time"], r["event"]) for r in ROWS
                       if r["properties"]["distinct_id"] == user)  # fmt: skip
        signup = next(t for t, e in times if e == "Sign Up")
        entered += 1
        converted += any(e == "Purchase" and t > signup for t, e in times)
    return entered, converted


async def test_funnel_by_inline_cohort(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    result = await mixpanel_workspace.query_funnel(
        ["Sign Up", "Purchase"], group_by=CohortBreakdown(DEFINITION, "Pro or older"), **SEPT
    )
    node = next(iter(result.series.values()))
    for segment, inside in (("Pro or older", True), ("Not In Pro or older", False)):
        counts = node[segment]["count"]
        assert (counts["1. Sign Up"]["all"], counts["2. Purchase"]["all"]) == _converted(inside)


async def test_retention_by_inline_cohort(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    result = await mixpanel_workspace.query_retention(
        "Sign Up",
        "Purchase",
        group_by=CohortBreakdown(DEFINITION, "Pro or older", include_negated=False),
        retention_unit="day",
        **SEPT,
    )
    born = sum(cohort["first"] for cohort in result.segments["Pro or older"].values())
    assert born == sum(1 for user in USERS if member(user)) > 0
