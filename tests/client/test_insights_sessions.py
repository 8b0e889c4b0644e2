"""Sessions over loopback: `query(math="sessions")`, and `query_funnel()` with a session
conversion window and with session counting (`conversion_rate_session`), counted here in plain
Python with sessions cut by 30 minutes of inactivity, over every event of a user."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev, session_numbers

SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z
SEPT = {"from_date": "2026-09-01", "to_date": "2026-09-04"}
GAPS = [5, 60, 600, 1799, 1800, 1801, 3600, 7200, 30_000]  # seconds; 1800 is still the session


def _rows() -> list[dict[str, Any]]:
    rng = random.Random(11)
    rows = []
    for i in range(40):
        at = SEP1 + rng.randrange(3 * 86_400)
        for _ in range(rng.randint(2, 12)):
            rows.append(ev(rng.choice(["View", "View", "Purchase", "Other"]), f"u{i}", at))
            at += rng.choice(GAPS)
    midnight = SEP1 + 2 * 86_400  # one session across it, with a Purchase on each side
    rows += [ev("Purchase", "night", midnight - 600), ev("Purchase", "night", midnight + 600)]
    return rows


ROWS = _rows()


SESSIONS = session_numbers(ROWS)
END = SEP1 + 4 * 86_400  # the end of SEPT: events after it still shape sessions


def _in_range(time: int) -> bool:
    return SEP1 <= time < END


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(ROWS))
    return mixpanel_emulator


async def test_sessions_math(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    total = await mixpanel_workspace.query("Purchase", math="sessions", mode="total", **SEPT)
    expected = {(u, s) for u, s, e, t in SESSIONS if e == "Purchase" and _in_range(t)}
    assert total.series["Purchase"]["all"] == len(expected) > 0
    daily = await mixpanel_workspace.query("Purchase", math="sessions", **SEPT)
    per_day: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for u, s, e, t in SESSIONS:
        if e == "Purchase" and _in_range(t):
            per_day[dt.datetime.fromtimestamp(t, dt.UTC).date().isoformat()].add((u, s))
    got = {k[:10]: v for k, v in daily.series["Purchase"].items() if v}
    assert got == {day: len(found) for day, found in per_day.items()}
    assert sum(got.values()) > len(expected)  # a session across midnight counts on both days


def _funnel(per_session: bool) -> tuple[int, int]:
    """Entries and conversions of View -> Purchase within one session: users entering at their
    first View in range (or, per session, each session at its first View in range)."""
    firsts: dict[Any, tuple[int, int]] = {}  # entry key -> (index of the View, session)
    for i, (u, s, e, t) in enumerate(SESSIONS):
        key = (u, s) if per_session else u
        if e == "View" and _in_range(t) and key not in firsts:
            firsts[key] = (i, s)
    converted = 0
    for key, (i, s) in firsts.items():
        user = key[0] if per_session else key
        converted += any(
            u == user and e == "Purchase" and ss == s for u, ss, e, _ in SESSIONS[i + 1 :]
        )
    return len(firsts), converted


@pytest.mark.parametrize("math", ["conversion_rate_unique", "conversion_rate_session"])
async def test_funnel_in_one_session(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace, math: str
) -> None:
    result = await mixpanel_workspace.query_funnel(
        ["View", "Purchase"],
        conversion_window=1,
        conversion_window_unit="session",
        math=math,  # type: ignore[arg-type]
        **SEPT,
    )
    entered, converted = _funnel(per_session=math == "conversion_rate_session")
    assert [step["count"] for step in result.steps_data] == [entered, converted]
    assert 0 < converted < entered
