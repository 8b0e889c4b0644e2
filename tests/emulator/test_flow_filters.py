"""Flows reports narrowed by `filter_by_event`, `filter_by_cohort` and `exclusions`, over
loopback HTTP (`POST /api/query/arb_funnels`), checked against the path-by-path reference of
tests/unit/test_flows_engine.py run on rows narrowed here in plain Python."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import aiohttp
import pytest

from mixpanel_async.emulator import Emulator
from tests.emulator.conftest import event_row, running
from tests.helpers import flows_report
from tests.unit.test_flows_engine import BASE, DAY, observed, reference

PATH = "/api/query/arb_funnels"
EVENTS = ["A", "B", "C", "D", "E"]


def generate(seed: int) -> list[tuple[str, str, int, dict[str, Any]]]:
    """Events of 60 users over five days from 2024-03-08, each with a `plan` (sometimes
    missing) and a number `n`."""
    rng = random.Random(seed)
    rows = []
    for user in range(60):
        for _ in range(rng.choice([0, 2, 4, 7, 11])):
            props: dict[str, Any] = {"n": rng.randrange(10)}
            if rng.random() < 0.8:
                props["plan"] = rng.choice(["free", "pro", "team"])
            rows.append((rng.choice(EVENTS), f"u{user}", BASE + rng.randrange(5 * DAY), props))
    rng.shuffle(rows)
    return rows


CASES = [
    # (filter_by_event, python test of the properties, cohort ids or None, negated, exclusions)
    (
        {"operator": "and", "children": [
            {"resourceType": "events", "propertyName": "plan", "filterType": "string",
             "filterOperator": "equals", "filterValue": ["pro", "team"]}]},
        lambda p: p.get("plan") in ("pro", "team"),
        None, False, [],
    ),
    (
        {"operator": "or", "children": [
            {"resourceType": "events", "propertyName": "n", "filterType": "number",
             "filterOperator": "is greater than", "filterValue": 6},
            {"resourceType": "events", "propertyName": "plan", "filterType": "string",
             "filterOperator": "is not set"}]},
        lambda p: p["n"] > 6 or "plan" not in p,
        None, False, ["C"],
    ),
    (None, lambda p: True, "saved", False, []),
    (None, lambda p: True, "saved", True, ["B", "D"]),
    (
        {"operator": "and", "children": [
            {"resourceType": "events", "propertyName": "plan", "filterType": "string",
             "filterOperator": "does not equal", "filterValue": ["free"]}]},
        lambda p: p.get("plan") != "free",
        "inline", False, ["E"],
    ),
]  # fmt: skip
MEMBERS = {f"u{i}" for i in range(0, 60, 3)}


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(("where", "passes", "cohort", "negated", "excluded"), CASES)
async def test_narrowed_flows_match_reference(
    http: aiohttp.ClientSession,
    seed: int,
    where: Any,
    passes: Any,
    cohort: str | None,
    negated: bool,
    excluded: list[str],
) -> None:
    rows = generate(seed)
    changes: dict[str, Any] = {"exclusions": excluded, "cardinality_threshold": 4}
    if where is not None:
        changes["filter_by_event"] = where
    if cohort == "saved":
        changes["filter_by_cohort"] = {"id": 7, "name": "thirds", "negated": negated}
    elif cohort == "inline":
        inline = {"distinct_ids": sorted(MEMBERS)}
        changes["filter_by_cohort"] = {"raw_cohort": inline, "name": "", "negated": negated}
    params = flows_report("A", "2024-03-09", "2024-03-11", forward=2, **changes)
    async with running([event_row(e, u, t, **p) for e, u, t, p in rows]) as emu:
        emu.state.default.cohorts.append({"id": 7, "distinct_ids": sorted(MEMBERS)})
        body = {"project_id": 1, "query_type": "flows_sankey", "bookmark": params}
        async with http.post(emu.url + PATH, json=body) as resp:
            assert resp.status == 200, await resp.text()
            answer = await resp.json()
    kept = [
        (e, u, t)
        for e, u, t, p in rows
        if passes(p) and e not in excluded and (cohort is None or (u in MEMBERS) != negated)
    ]
    expected = reference(
        kept,
        anchor="A",
        forward=2,
        reverse=1,
        from_date=dt.date(2024, 3, 9),
        to_date=dt.date(2024, 3, 11),
        zone="UTC",
        window_ms=7 * DAY,
        unique=True,
        cardinality=4,
        collapse=False,
        hidden=set(),
    )
    assert sum(expected[0][1].values()) > 3  # the data exercises the narrowing
    assert observed(answer) == expected


async def _refusal(http: aiohttp.ClientSession, emu: Emulator, changes: dict[str, Any]) -> str:
    params = flows_report("A", "2024-03-09", "2024-03-11", **changes)
    body = {"project_id": 1, "query_type": "flows_sankey", "bookmark": params}
    async with http.post(emu.url + PATH, json=body) as resp:
        assert resp.status == 400, await resp.text()
        return str((await resp.json())["error"])


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"filter_by_cohort": {"id": 99}}, "99"),
        ({"filter_by_cohort": {"raw_cohort": {"name": "x"}}},
         "inline cohort (raw_cohort) without a selector, distinct_ids or where"),
        ({"filter_by_cohort": {"id": True}}, "names no saved cohort id"),
        ({"filter_by_cohort": {"id": 7, "negated": "yes"}}, "negated must be true or false"),
        ({"filter_by_event": {"operator": "xor", "children": []}}, "'and' or 'or'"),
        ({"filter_by_event": {"operator": "and", "children": [{"propertyName": "p",
          "filterOperator": "sounds like", "filterType": "string"}]}}, "'sounds like'"),
        ({"filter_by_event": {"operator": "and", "children": [{"propertyName": "p",
          "customPropertyId": 4}]}}, "custom property"),
        ({"filter_by_event": [1]}, "filter_by_event must be an object"),
        ({"exclusions": ["A"]}, "anchor event 'A' is in exclusions"),
        ({"exclusions": "B"}, "exclusions must be a list"),
    ],
)  # fmt: skip
async def test_refusals(http: aiohttp.ClientSession, changes: dict[str, Any], match: str) -> None:
    async with running([event_row("A", "u1", BASE + DAY)]) as emu:
        assert match in await _refusal(http, emu, changes)
