"""Time comparison of a funnel through `query_funnel()` over loopback: the funnel over the
compared range arrives as a second series, "<name> (<suffix>)", its steps counted here in plain
Python; `steps_data` stays the report's own range. Retention comparisons are still refused.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace, QueryError, TimeComparison
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import DAY, ev

SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z (the project is in UTC)
WINDOW_DAYS = 3


def _rows() -> list[dict[str, Any]]:
    rng = random.Random(77)
    rows = []
    for i in range(120):
        user, at = f"u{i}", SEP1 + rng.randrange(21 * DAY)
        for _ in range(rng.randint(1, 3)):
            rows.append(ev("Sign Up", user, at))
            at += rng.randrange(2 * DAY)
        for _ in range(rng.randint(0, 2)):
            rows.append(ev(rng.choice(["View", "Purchase"]), user, at + rng.randrange(5 * DAY)))
    return rows


ROWS = _rows()


def _steps(first_day: int, days: int) -> list[int]:
    """Users entering at their first Sign Up in [first_day, first_day + days) (days after
    Sept 1), then View, then Purchase, each later and within the window of the entry."""
    start, end = SEP1 + first_day * DAY, SEP1 + (first_day + days) * DAY
    times: dict[str, dict[str, list[int]]] = {}
    for r in ROWS:
        p = r["properties"]
        times.setdefault(p["distinct_id"], {}).setdefault(r["event"], []).append(p["time"])
    reached = [0, 0, 0]
    for events in times.values():
        entries = sorted(t for t in events.get("Sign Up", []) if start <= t < end)
        if not entries:
            continue
        entry, previous = entries[0], entries[0]
        reached[0] += 1
        for k, name in enumerate(["View", "Purchase"], start=1):
            later = sorted(
                t for t in events.get(name, []) if previous < t <= entry + WINDOW_DAYS * DAY
            )
            if not later:
                break
            previous = later[0]
            reached[k] += 1
    return reached


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(ROWS))
    return mixpanel_emulator


def _counts(node: dict[str, Any]) -> list[int]:
    counts = node["count"]
    return [counts[key]["all"] for key in sorted(counts)]


@pytest.mark.parametrize(
    ("comparison", "suffix", "first_day"),
    [
        (lambda: TimeComparison.relative("week"), "1 week ago", 0),
        (lambda: TimeComparison.absolute_start("2026-09-04"), "from 2026-09-04", 3),
        (lambda: TimeComparison.absolute_end("2026-09-10"), "to 2026-09-10", 3),
    ],
)
async def test_funnel_over_the_compared_range(
    seeded: Emulator,
    mixpanel_workspace: AsyncWorkspace,
    comparison: Any,
    suffix: str,
    first_day: int,
) -> None:
    result = await mixpanel_workspace.query_funnel(
        ["Sign Up", "View", "Purchase"],
        conversion_window=WINDOW_DAYS,
        from_date="2026-09-08",
        to_date="2026-09-14",
        time_comparison=comparison(),
    )
    name = "Sign Up through Purchase"
    assert list(result.series) == [name, f"{name} ({suffix})"]
    expected, compared = _steps(7, 7), _steps(first_day, 7)
    assert [step["count"] for step in result.steps_data] == expected
    assert _counts(result.series[name]) == expected
    assert _counts(result.series[f"{name} ({suffix})"]) == compared
    assert compared[0] > 0
    assert compared != expected


async def test_retention_comparison_is_refused(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    with pytest.raises(QueryError, match="a time comparison of a retention metric") as caught:
        await mixpanel_workspace.query_retention(
            "Sign Up", "View", from_date="2026-09-08", to_date="2026-09-14",
            time_comparison=TimeComparison.relative("week"),
        )  # fmt: skip
    assert caught.value.status_code == 400
