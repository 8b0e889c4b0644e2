"""Custom properties and custom events inside queries (segmentation `on` / `where`, insights
breakdowns, filters and metrics), through AsyncWorkspace against the emulator, checked against
plain Python written separately from the engine."""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson
import pytest

from mixpanel_async import (
    AsyncWorkspace,
    CustomEventRef,
    CustomPropertyRef,
    Filter,
    GroupBy,
    InlineCustomProperty,
    Metric,
)
from mixpanel_async.emulator import Emulator
from tests.helpers import ms, refused, row

DAYS = ["2026-03-02", "2026-03-03", "2026-03-04"]
SOURCES = ["Facebook", "twitter", "google", None, "TWITTER", "bing", None]
PRICES: list[Any] = [3, 2.5, "4", None, 10, "x", 7]
QUANTITIES: list[Any] = [2, 4, 1, 3, "2", 5, None]
CHANNEL = (
    'if(lower(A) == "facebook" or lower(A) == "twitter", "Social", if(defined(A), "Other", "None"))'
)


def _events() -> list[dict[str, Any]]:
    out = []
    for n in range(42):
        props: dict[str, Any] = {}
        if SOURCES[n % 7] is not None:
            props["utm_source"] = SOURCES[n % 7]
        if PRICES[n % 7] is not None:
            props["price"] = PRICES[n % 7]
        if QUANTITIES[n % 5] is not None:
            props["quantity"] = QUANTITIES[n % 5]
        if n % 6 == 0:
            props["cart"] = {"items": [1, 2]}  # a nested value: the row is not flat
        name = ["Purchase", "Refund", "Page View"][n % 3]
        out.append({"event": name, "user": f"u{n % 8}", "day": DAYS[n % 3], "props": props})
    return out


EVENTS = _events()


def channel_of(props: dict[str, Any]) -> str:
    """The Channel formula, by hand."""
    source = props.get("utm_source")
    if source is None:
        return "None"
    return "Social" if source.lower() in ("facebook", "twitter") else "Other"


def total_of(props: dict[str, Any]) -> float | None:
    """`P * Q` by hand: both must read as numbers."""
    try:
        return float(props["price"]) * float(props["quantity"])
    except (KeyError, ValueError, TypeError):
        return None


@pytest.fixture
def emu(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(
        [
            row(e["event"], e["user"], ms(f"{e['day']}T12:00:00") + i, f"i{i}", **e["props"])
            for i, e in enumerate(EVENTS)
        ]
    )
    return mixpanel_emulator


async def _definitions(ws: AsyncWorkspace) -> tuple[int, int, int]:
    channel = await ws.create_custom_property(
        {"name": "Channel", "resource_type": "events", "display_formula": CHANNEL,
         "composed_properties": {"A": {"resourceType": "event", "value": "utm_source"}}}
    )  # fmt: skip
    total = await ws.create_custom_property(
        {"name": "Total", "resource_type": "events", "display_formula": "P * Q",
         "composed_properties": {"P": {"resourceType": "event", "value": "price"},
                                 "Q": {"resourceType": "event", "value": "quantity"}}}
    )  # fmt: skip
    money = await ws.create_custom_event({"name": "Money", "alternatives": ["Purchase", "Refund"]})
    return channel.custom_property_id, total.custom_property_id, money.id


def _counts(events: list[dict[str, Any]], key: Any) -> dict[str, dict[str, int]]:
    out: dict[str, Counter[str]] = {}
    for e in events:
        out.setdefault(key(e), Counter())[e["day"]] += 1
    return {k: dict(v) for k, v in out.items()}


def _nonzero(series: dict[str, dict[str, float]]) -> dict[str, dict[str, int]]:
    return {k: {d: int(v) for d, v in days.items() if v} for k, days in series.items()}


async def test_segmentation_on_and_where(emu: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    channel, total, _ = await _definitions(ws)
    purchases = [e for e in EVENTS if e["event"] == "Purchase"]
    result = await ws.segmentation(
        "Purchase", from_date=DAYS[0], to_date=DAYS[-1],
        on=f'properties["$custom_property:{channel}"]',
    )  # fmt: skip
    assert _nonzero(result.series) == _counts(purchases, lambda e: channel_of(e["props"]))

    big = await ws.segmentation(
        "Purchase", from_date=DAYS[0], to_date=DAYS[-1],
        where=f'properties["$custom_property:{total}"] >= 10',
    )  # fmt: skip
    expected = sum(1 for e in purchases if (total_of(e["props"]) or 0) >= 10)
    assert big.total == expected > 0


async def test_segmentation_of_a_custom_event(
    emu: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    _, _, money = await _definitions(ws)
    result = await ws.segmentation(f"$custom_event:{money}", from_date=DAYS[0], to_date=DAYS[-1])
    expected = [e for e in EVENTS if e["event"] in ("Purchase", "Refund")]
    assert result.total == len(expected)
    nothing = await ws.segmentation("$custom_event:99", from_date=DAYS[0], to_date=DAYS[-1])
    assert nothing.total == 0


def _totals(series: dict[str, Any]) -> dict[str, float]:
    """{segment: total} from a one-metric, one-breakdown total answer."""
    [per_segment] = series.values()
    return {k: v["all"] for k, v in per_segment.items() if k != "$overall"}


async def test_insights_breakdown_and_filter(
    emu: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    channel, total, money = await _definitions(ws)
    purchases = [e for e in EVENTS if e["event"] == "Purchase"]
    result = await ws.query(
        "Purchase", from_date=DAYS[0], to_date=DAYS[-1], mode="total",
        group_by=GroupBy(CustomPropertyRef(channel)),
    )  # fmt: skip
    expected = Counter(channel_of(e["props"]) for e in purchases)
    assert _totals(result.series) == {k: float(v) for k, v in expected.items()}

    social = await ws.query(
        "Purchase", from_date=DAYS[0], to_date=DAYS[-1], mode="total",
        where=Filter.equals(CustomPropertyRef(channel), "Social"),
    )  # fmt: skip
    assert next(iter(social.series.values()))["all"] == expected["Social"]

    inline = InlineCustomProperty.numeric("P * Q", P="price", Q="quantity")
    big = await ws.query(
        Metric(CustomEventRef(money)), from_date=DAYS[0], to_date=DAYS[-1], mode="total",
        where=Filter.greater_than(inline, 9),
    )  # fmt: skip
    money_events = [e for e in EVENTS if e["event"] in ("Purchase", "Refund")]
    want = sum(1 for e in money_events if (total_of(e["props"]) or 0) > 9)
    assert next(iter(big.series.values()))["all"] == want > 0
    del total


async def test_unknown_custom_property_is_a_400(
    emu: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    await refused(
        mixpanel_workspace.query(
            "Purchase",
            from_date=DAYS[0],
            to_date=DAYS[-1],
            group_by=GroupBy(CustomPropertyRef(77)),
        ),
        400,
        "unknown custom property 77",
    )


def test_events_are_varied() -> None:
    """The data covers what the formulas must handle: missing, text and nested values."""
    assert any("cart" in e["props"] for e in EVENTS)
    assert any(total_of(e["props"]) is None and "price" in e["props"] for e in EVENTS)
    assert orjson.dumps(EVENTS)


async def test_funnel_through_a_custom_event(
    emu: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    _, _, money = await _definitions(ws)
    result = await ws.query_funnel(
        [f"$custom_event:{money}", "Page View"], from_date=DAYS[0], to_date=DAYS[-1], mode="steps"
    )
    first: dict[str, tuple[str, int]] = {}
    for i, e in enumerate(EVENTS):
        if e["event"] in ("Purchase", "Refund"):
            first[e["user"]] = min(first.get(e["user"], (e["day"], i)), (e["day"], i))
    converted = {
        user
        for user, start in first.items()
        for i, e in enumerate(EVENTS)
        if e["event"] == "Page View" and e["user"] == user and (e["day"], i) > start
    }
    assert [step["count"] for step in result.steps_data] == [len(first), len(converted)]
    assert converted


async def test_queries_follow_definition_changes(
    emu: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    window = {"from_date": DAYS[0], "to_date": DAYS[-1]}
    before = await ws.segmentation("$custom_event:1", **window)
    assert before.total == 0  # no such custom event yet
    channel, _, money = await _definitions(ws)
    assert money == 1
    after = await ws.segmentation("$custom_event:1", **window)
    assert after.total == sum(1 for e in EVENTS if e["event"] in ("Purchase", "Refund"))

    on = f'properties["$custom_property:{channel}"]'
    first = await ws.segmentation("Purchase", on=on, **window)
    assert "Social" in first.series
    await ws.update_custom_property(
        str(channel), {"display_formula": 'if(defined(A), "Yes", "No")'}
    )
    second = await ws.segmentation("Purchase", on=on, **window)
    assert set(second.series) == {"Yes", "No"}


async def test_retention_born_from_a_custom_event(
    emu: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    _, _, money = await _definitions(ws)
    result = await ws.query_retention(
        f"$custom_event:{money}", "Page View", from_date=DAYS[0], to_date=DAYS[-1],
        retention_unit="day",
    )  # fmt: skip
    moments = [(e, ms(f"{e['day']}T12:00:00") + i) for i, e in enumerate(EVENTS)]
    births: dict[str, int] = {}
    for e, at in moments:
        if e["event"] in ("Purchase", "Refund"):
            births[e["user"]] = min(births.get(e["user"], at), at)
    returned: dict[str, set[int]] = {}
    for e, at in moments:
        user = e["user"]
        if e["event"] == "Page View" and user in births and at >= births[user]:
            returned.setdefault(user, set()).add((at - births[user]) // 86_400_000)
    cohorts = sorted((k, v) for k, v in result.cohorts.items() if k != "$average")
    by_day: dict[str, list[str]] = {}
    for user, at in births.items():
        by_day.setdefault(next(e["day"] for e, t in moments if t == at), []).append(user)
    assert [k[:10] for k, _ in cohorts] == DAYS
    assert sum(len(users) for users in by_day.values()) == len(births) > 0
    for key, cohort in cohorts:
        users = by_day.get(key[:10], [])
        assert cohort["first"] == len(users)
        span = range(len(cohort["counts"]))
        assert cohort["counts"] == [sum(i in returned.get(u, ()) for u in users) for i in span]
