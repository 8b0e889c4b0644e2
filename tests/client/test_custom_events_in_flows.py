"""A custom event as a flows anchor: its alternatives' events start paths and read as the
custom event along them (nodes flagged `isCustomEvent`); paths counted here by hand."""

from __future__ import annotations

from collections import Counter

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from tests.helpers import ms, row

DAY = "2026-03-02"
SEQUENCES = {
    "u1": ["View", "Purchase", "Refund", "View"],
    "u2": ["Sign Up", "Refund", "Exit"],
    "u3": ["Purchase"],
    "u4": ["View", "Exit"],
}
MONEY = {"Purchase", "Refund"}


def expected(name: str) -> Counter[tuple[str, str]]:
    """(anchor, next event) per anchor occurrence (count_type total, one step forward)."""
    out: Counter[tuple[str, str]] = Counter()
    for events in SEQUENCES.values():
        shown = [name if e in MONEY else e for e in events]
        for i, event in enumerate(shown):
            if event == name:
                out[(name, shown[i + 1] if i + 1 < len(shown) else "$dropoff")] += 1
    return out


@pytest.fixture
async def ws(mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace) -> AsyncWorkspace:
    rows = [
        row(event, user, ms(f"{DAY}T10:00:00") + 60_000 * i, f"{user}-{i}")
        for user, events in SEQUENCES.items()
        for i, event in enumerate(events)
    ]
    mixpanel_emulator.state.default.events.append(rows)
    return mixpanel_workspace


async def test_a_custom_event_anchors_a_flow(ws: AsyncWorkspace) -> None:
    money = await ws.create_custom_event({"name": "Money", "alternatives": sorted(MONEY)})
    name = f"$custom_event:{money.id}"
    result = await ws.query_flow(
        name, forward=1, reverse=0, count_type="total", mode="sankey", from_date=DAY, to_date=DAY
    )
    anchor, after = result.steps
    [node] = anchor["nodes"]
    assert (node["event"], node["isCustomEvent"]) == (name, True)
    got = Counter({(name, edge["event"]): int(edge["totalCount"]) for edge in node["edges"]})
    assert got == expected(name)
    flagged = {n["event"]: n["isCustomEvent"] for n in after["nodes"]}
    assert flagged[name] is True
    assert flagged["View"] is False


def test_sequences_cover_the_cases() -> None:
    assert set(expected("CE")) == {("CE", "CE"), ("CE", "View"), ("CE", "Exit"), ("CE", "$dropoff")}
