"""A property mapped to a lookup table (its Lexicon definition's `dataGroupId`) gains the
table's columns as `<property>.<column>` in segmentation: breakdowns and filters checked
against counts made here in plain Python."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import polars as pl

import mixpanel_async as o
from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev

SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z
DAY = 86_400
PLANS = ["free", "pro", "team", "legacy", 7]  # "legacy" and 7 are not in the table
ROWS = [ev("Purchase", f"u{i % 5}", SEP1 + (i % 3) * DAY + i, plan=PLANS[i % 5]) for i in range(40)]
TABLE = {"free": ("0", "self-serve"), "pro": ("10", "self-serve"), "team": ("25", "sales"),
         "7": ("70", "sales")}  # fmt: skip
RANGE = {"from_date": "2026-09-01", "to_date": "2026-09-03"}


def expected(column: int, keep: str | None = None) -> dict[str, dict[str, int]]:
    """Purchases per looked-up value per day, counted here (unmatched: `undefined`)."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for row in ROWS:
        found = TABLE.get(str(row["properties"]["plan"]))
        if keep is not None and (found is None or found[0] != keep):
            continue
        day = dt.datetime.fromtimestamp(row["properties"]["time"], dt.UTC).date().isoformat()
        out[found[column] if found else "undefined"][day] += 1
    return {segment: dict(days) for segment, days in out.items()}


def nonzero(series: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {s: {d: n for d, n in days.items() if n} for s, days in series.items()}


async def test_breakdown_and_filter_by_lookup_columns(
    mixpanel_workspace: AsyncWorkspace, mixpanel_emulator: Emulator
) -> None:
    ws = mixpanel_workspace
    mixpanel_emulator.state.default.events.append(rows_of(ROWS))
    frame = pl.DataFrame(
        {
            "plan": list(TABLE),
            "price": [v[0] for v in TABLE.values()],
            "channel": [v[1] for v in TABLE.values()],
        }
    )
    table = await ws.upload_lookup_table(o.UploadLookupTableParams(name="plans", data=frame))
    before = await ws.segmentation("Purchase", on='properties["plan.channel"]', **RANGE)
    assert set(before.series) == {"undefined"}  # not mapped yet

    await ws.bulk_update_property_definitions(
        {"properties": [{"name": "plan", "resource_type": "Event", "data_group_id": str(table.id)}]}
    )
    assert (await ws.list_lookup_tables())[0].has_mapped_properties is True
    by_channel = await ws.segmentation("Purchase", on='properties["plan.channel"]', **RANGE)
    assert nonzero(by_channel.series) == expected(1)
    by_price = await ws.segmentation("Purchase", on='properties["plan.price"]', **RANGE)
    assert nonzero(by_price.series) == expected(0)
    pricey = await ws.segmentation("Purchase", where='properties["plan.price"] == "25"', **RANGE)
    assert nonzero(pricey.series) == {"Purchase": expected(0, keep="25")["25"]}
