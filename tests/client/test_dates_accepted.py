"""Every query that takes `from_date`/`to_date` accepts `datetime.date` as well as text, as the
export methods do (and as their annotations say)."""

from __future__ import annotations

import datetime as dt

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev, ts


async def test_classic_queries_take_dates(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    day = ts("2024-03-02")
    mixpanel_emulator.state.default.events.append(
        rows_of([ev("Buy", f"u{i}", day + i, f"b{i}", plan="pro") for i in range(3)])
    )
    ws = mixpanel_workspace
    first, last = dt.date(2024, 3, 1), dt.date(2024, 3, 3)
    as_dates = await ws.segmentation("Buy", from_date=first, to_date=last)
    as_text = await ws.segmentation("Buy", from_date="2024-03-01", to_date="2024-03-03")
    assert as_dates.df.equals(as_text.df)
    assert as_dates.df["count"].sum() == 3
    counted = await ws.event_counts(["Buy"], from_date=first, to_date=last)
    assert counted.df["count"].sum() == 3
    streamed = [e async for e in ws.stream_events(from_date=first, to_date=last)]
    assert len(streamed) == 3
