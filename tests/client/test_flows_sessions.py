"""Flows by session over loopback: `query_flow()` with a session conversion window (paths stay
in the anchor's session) and `count_type="session"` (each session from its first anchor),
counted here in plain Python from sessions cut by 30 minutes of inactivity."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev, session_numbers

SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z
SEPT = {"from_date": "2026-09-01", "to_date": "2026-09-03"}
END = SEP1 + 3 * 86_400
GAPS = [30, 600, 1800, 1801, 5000]


def _rows() -> list[dict[str, Any]]:
    rng = random.Random(3)
    rows = []
    for i in range(50):
        at = SEP1 + rng.randrange(2 * 86_400)
        for _ in range(rng.randint(2, 10)):
            rows.append(ev(rng.choice(["Home", "Home", "Search", "Buy"]), f"u{i}", at))
            at += rng.choice(GAPS)
    return rows


ROWS = _rows()
SESSIONS = session_numbers(ROWS)  # by user, then time


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(ROWS))
    return mixpanel_emulator


def _columns(per_session: bool, forward: int = 2) -> list[Counter[str]]:
    """Per column after the anchor `Home`, how many paths show each event ($dropoff when the
    session or the user's events run out), one path per user (or session) from its first
    `Home` in range."""
    started: set[Any] = set()
    columns: list[Counter[str]] = [Counter() for _ in range(forward)]
    for i, (user, session, event, at) in enumerate(SESSIONS):
        key = (user, session) if per_session else user
        if event != "Home" or not SEP1 <= at < END or key in started:
            continue
        started.add(key)
        after = [e for u, s, e, _ in SESSIONS[i + 1 :] if u == user and s == session]
        for k in range(forward):
            columns[k][after[k] if k < len(after) else "$dropoff"] += 1
    return columns


@pytest.mark.parametrize("count_type", ["unique", "session"])
async def test_paths_stay_in_the_session(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace, count_type: str
) -> None:
    result = await mixpanel_workspace.query_flow(
        "Home",
        forward=2,
        count_type=count_type,  # type: ignore[arg-type]
        conversion_window=1,
        conversion_window_unit="session",
        cardinality=5,
        **SEPT,
    )
    got = [
        Counter({node["event"]: int(node["totalCount"]) for node in step["nodes"]})
        for step in result.steps[1:]
    ]
    expected = _columns(per_session=count_type == "session")
    assert got == expected
    assert expected[0]["$dropoff"] > 0
    assert sum(_columns(per_session=True)[0].values()) > sum(
        _columns(per_session=False)[0].values()
    )
