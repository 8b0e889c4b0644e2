"""`query(math="histogram", per_user=...)` over loopback: users counted per numeric range of
their aggregated value, checked against plain Python written here (ranges of equal width, the
power of ten just below the spread of the users' values, labelled `"low - high"`)."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace, QueryError
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev

SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z
SEPT = {"from_date": "2026-09-01", "to_date": "2026-09-04"}


def _rows() -> list[dict[str, Any]]:
    rng = random.Random(5)
    rows = []
    for i in range(60):
        for _ in range(rng.randint(1, 6)):
            at = SEP1 + rng.randrange(4 * 86_400)
            rows.append(ev("Purchase", f"u{i}", at, amount=round(rng.uniform(1, 90), 2)))
    rows.append(ev("Purchase", "no-amount", SEP1 + 10))  # no value: not counted
    rows.append(ev("Purchase", "text", SEP1 + 20, amount="lots"))  # not a number: not counted
    rows.append(ev("Purchase", "late", SEP1 + 5 * 86_400, amount=5000))  # outside the range
    return rows


ROWS = _rows()


def expected(reduce: Any) -> dict[str, int]:
    values: dict[str, list[float]] = defaultdict(list)
    for row in ROWS:
        p = row["properties"]
        amount = p.get("amount")
        if SEP1 <= p["time"] < SEP1 + 4 * 86_400 and isinstance(amount, int | float):
            values[p["distinct_id"]].append(float(amount))
    per_user = [reduce(v) for v in values.values()]
    low, high = min(per_user), max(per_user)
    width = 10.0 ** math.floor(math.log10(high - low))
    first = math.floor(round(low / width, 9))
    counts = Counter(math.floor(round(v / width, 9)) - first for v in per_user)
    places = max(0, -round(math.log10(width)))

    def edge(i: int) -> str:
        return f"{(first + i) * width:,.{places}f}"

    return {f"{edge(i)} - {edge(i + 1)}": counts[i] for i in sorted(counts)}


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(ROWS))
    return mixpanel_emulator


@pytest.mark.parametrize(
    ("per_user", "reduce"),
    [("total", sum), ("average", lambda v: sum(v) / len(v)), ("min", min), ("max", max)],
)
async def test_histogram_counts_users_per_range(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace, per_user: str, reduce: Any
) -> None:
    result = await mixpanel_workspace.query(
        "Purchase", math="histogram", math_property="amount", per_user=per_user, **SEPT
    )
    assert result.series["Purchase"] == expected(reduce)
    assert sum(result.series["Purchase"].values()) == 60


async def test_histogram_needs_per_user_and_refuses_breakdowns(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    with pytest.raises(ValueError, match="per_user"):  # the seed's rule, before any request
        await mixpanel_workspace.query("Purchase", math="histogram", math_property="amount")
    with pytest.raises(QueryError, match="a histogram with a breakdown"):
        await mixpanel_workspace.query(
            "Purchase",
            math="histogram",
            math_property="amount",
            per_user="total",
            group_by="plan",
            **SEPT,
        )


async def test_histogram_frame_has_one_row_per_range(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    result = await mixpanel_workspace.query(
        "Purchase", math="histogram", math_property="amount", per_user="total", **SEPT
    )
    ranges = expected(sum)
    assert result.df.height == len(ranges)
    assert sorted(result.df["count"].to_list()) == sorted(ranges.values())
