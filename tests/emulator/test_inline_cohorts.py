"""Inline selector cohorts (`raw_cohort` as the client's `CohortDefinition` sends it) in
`/engage` and flows' `filter_by_cohort`, through the client over loopback HTTP, checked
against membership worked out here in plain Python."""

from __future__ import annotations

import random
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from mixpanel_async.exceptions import QueryError
from mixpanel_async.reports.cohorts import CohortCriteria, CohortDefinition

C = CohortCriteria
SAVED = {f"u{i:02d}" for i in range(0, 40, 4)}


def _profiles(emu: Emulator) -> dict[str, dict[str, Any]]:
    rng = random.Random(5)
    found: dict[str, dict[str, Any]] = {}
    for i in range(40):
        props: dict[str, Any] = {"age": rng.randrange(15, 60)}
        if rng.random() < 0.7:
            props["plan"] = rng.choice(["free", "pro", "team"])
        if rng.random() < 0.5:
            props["email"] = f"user{i}@{rng.choice(['a.com', 'b.org'])}"
        found[f"u{i:02d}"] = props
        emu.state.default.profiles[f"u{i:02d}"] = props
    emu.state.default.cohorts.append({"id": 9, "name": "fourths", "distinct_ids": sorted(SAVED)})
    return found


CASES = [
    (C.has_property("plan", "pro"), lambda d, p: p.get("plan") == "pro"),
    (C.has_property("age", 30, operator="greater_than", property_type="number"),
     lambda d, p: p["age"] > 30),
    (CohortDefinition.any_of(C.property_is_not_set("plan"),
                             C.has_property("email", "b.org", operator="contains")),
     lambda d, p: "plan" not in p or "b.org" in p.get("email", "")),
    (CohortDefinition(C.in_cohort(9), C.has_property("plan", "free", operator="not_equals")),
     lambda d, p: d in SAVED and p.get("plan") != "free"),
    (CohortDefinition(C.not_in_cohort(9), C.property_is_set("email"),
                      CohortDefinition.any_of(C.has_property("age", 25, operator="less_than",
                                                             property_type="number"),
                                              C.has_property("plan", "team"))),
     lambda d, p: d not in SAVED and "email" in p and (p["age"] < 25 or p.get("plan") == "team")),
]  # fmt: skip


@pytest.mark.parametrize(("definition", "wanted"), CASES)
async def test_engage_selector_cohorts(
    mixpanel_emulator: Emulator,
    mixpanel_workspace: AsyncWorkspace,
    definition: CohortDefinition,
    wanted: Any,
) -> None:
    profiles = _profiles(mixpanel_emulator)
    expected = sorted(d for d, p in profiles.items() if wanted(d, p))
    assert 0 < len(expected) < len(profiles)
    if isinstance(definition, CohortCriteria):
        definition = CohortDefinition(definition)
    result = await mixpanel_workspace.query_user(
        cohort=definition, limit=None, include_all_users=False, mode="profiles"
    )
    assert sorted(p["distinct_id"] for p in result.profiles) == expected


@pytest.mark.parametrize(
    ("definition", "match"),
    [
        (CohortDefinition(C.did_event("Buy", at_least=1, within_days=7)), "behavioural"),
        (CohortDefinition(C.in_cohort(404)), "404"),
        ({"selector": {"property": "user", "value": "plan", "operator": "~"}, "behaviors": {}},
         "'~'"),
        ({"selector": {"property": "group", "value": "x", "operator": "=="}, "behaviors": {}},
         "selector criterion"),
    ],
)  # fmt: skip
async def test_engage_refusals(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace, definition: Any, match: str
) -> None:
    _profiles(mixpanel_emulator)
    with pytest.raises(QueryError, match=match):
        await mixpanel_workspace.query_user(cohort=definition, limit=None)


def _events(emu: Emulator) -> dict[str, int]:
    """One to three `E` events per user on 2024-01-10; the count per user."""
    rng = random.Random(11)
    counts: dict[str, int] = {}
    events = []
    for i in range(40):
        did = f"u{i:02d}"
        counts[did] = rng.randrange(1, 4)
        for k in range(counts[did]):
            time = 1704880800 + i * 60 + k
            events.append({"event": "E", "properties": {"distinct_id": did, "time": time,
                                                        "$insert_id": f"{did}-{k}"}})  # fmt: skip
    emu.state.default.events.append(rows_of(events))
    return counts


@pytest.mark.parametrize(("definition", "wanted"), CASES)
@pytest.mark.parametrize("negated", [False, True])
async def test_insights_inline_cohort_filter(
    mixpanel_emulator: Emulator,
    mixpanel_workspace: AsyncWorkspace,
    definition: CohortDefinition | CohortCriteria,
    wanted: Any,
    negated: bool,
) -> None:
    from mixpanel_async.reports.filters import Filter

    profiles = _profiles(mixpanel_emulator)
    counts = _events(mixpanel_emulator)
    if isinstance(definition, CohortCriteria):
        definition = CohortDefinition(definition)
    expected = sum(n for d, n in counts.items() if wanted(d, profiles[d]) != negated)
    make = Filter.not_in_cohort if negated else Filter.in_cohort
    result = await mixpanel_workspace.query(
        "E", from_date="2024-01-10", to_date="2024-01-10", mode="total",
        where=make(definition, name="inline"),
    )  # fmt: skip
    assert sum(result.df["count"].to_list()) == expected


async def test_insights_inline_cohort_refusal(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    from mixpanel_async.reports.filters import Filter

    _profiles(mixpanel_emulator)
    _events(mixpanel_emulator)
    definition = CohortDefinition(C.did_event("Buy", at_least=1, within_days=7))
    with pytest.raises(QueryError, match="behavioural"):
        await mixpanel_workspace.query(
            "E", from_date="2024-01-10", to_date="2024-01-10", where=Filter.in_cohort(definition)
        )
