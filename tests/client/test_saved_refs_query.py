"""Saved metrics and saved behaviours referred to by id in `query()` / `query_funnel()`-style
metrics, computed by the emulator from their stored definitions: answers checked against
counts made here in plain Python."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

import mixpanel_async as o
from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev, refused

SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z
DAY = 86_400
ROWS = [
    ev("Purchase" if i % 3 else "Sign Up", f"u{i % 7}", SEP1 + (i % 5) * DAY + i,
       plan=["free", "pro", "team"][i % 4 % 3])
    for i in range(60)
]  # fmt: skip
SEPT = {"from_date": "2026-09-01", "to_date": "2026-09-07"}


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(ROWS))
    return mixpanel_emulator


def _per_day(event: str, plan: str | None = None, unique: bool = False) -> dict[str, int]:
    users: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for row in ROWS:
        props = row["properties"]
        if row["event"] != event or (plan is not None and props["plan"] != plan):
            continue
        day = dt.datetime.fromtimestamp(props["time"], dt.UTC).date().isoformat()
        counts[day] += 1
        users.setdefault(day, set()).add(props["distinct_id"])
    return {d: len(u) for d, u in users.items()} if unique else dict(counts)


def _nonzero(series: dict[str, Any]) -> dict[str, int]:
    return {key[:10]: int(value) for key, value in series.items() if value}


async def test_saved_metric_by_id(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    saved = await ws.create_metric(
        o.CreateMetricParams(
            name="Pro buyers",
            definition=o.Metric(
                "Purchase", math="unique", filters=[o.Filter.equals("plan", "pro")]
            ),
        )
    )
    [series] = (await ws.query(o.MetricRef(saved.id), **SEPT)).series.values()
    assert _nonzero(series) == _per_day("Purchase", "pro", unique=True)
    # The SavedMetric itself works as a reference; an override changes the math.
    [total] = (await ws.query(o.MetricRef(saved.id, math="total"), **SEPT)).series.values()
    assert _nonzero(total) == _per_day("Purchase", "pro")
    [again] = (await ws.query(saved, **SEPT)).series.values()
    assert again == series
    await refused(ws.query(o.MetricRef(999), **SEPT), 400, "saved metric 999 does not exist")


async def test_saved_funnel_behavior_by_id(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    saved = await ws.create_behavior(
        o.CreateBehaviorParams(
            name="Join then buy", behavior=o.FunnelBehavior(["Sign Up", "Purchase"])
        )
    )
    by_ref = await ws.query(o.FunnelMetric(saved.to_ref()), **SEPT)
    inline = await ws.query(o.FunnelMetric(o.FunnelBehavior(["Sign Up", "Purchase"])), **SEPT)
    assert by_ref.series == inline.series
    assert by_ref.series  # the inline twin is itself checked by the funnel engine's own tests
