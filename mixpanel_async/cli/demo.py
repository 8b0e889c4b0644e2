"""The demo behind `mixpanel-async demo`: an embedded emulator with a synthetic product, and the
client talking to it over HTTP exactly as it would talk to Mixpanel."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import polars as pl

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.demo import DEFAULT_END
from mixpanel_async.workspace import AsyncWorkspace

LAST = DEFAULT_END.isoformat()
WEEK_START = "2026-10-26"
MONTH_START = "2026-10-02"


def _section(title: str) -> None:
    print(f"\n== {title}")


async def run() -> None:
    """Start an emulator with the demo data set and walk through the client against it."""
    started = time.perf_counter()
    async with Emulator(port=0, seed="demo") as emu, AsyncWorkspace(base_url=emu.url) as ws:
        project = emu.state.default
        print(
            f"emulator with demo data on {emu.url}: {len(project.events):,} events, "
            f"{len(project.profiles):,} profiles ({time.perf_counter() - started:.1f}s)"
        )

        _section("who am I")
        me = await ws.me()
        print(f"{me.user_name} <{me.user_email}>; workspace {await ws.resolve_workspace_id()}")

        _section("discovery")
        names = await ws.events(from_date=MONTH_START, to_date=LAST)
        print(f"{len(names)} events, e.g. {', '.join(names[:5])}")
        print("plans seen on Purchase:", await ws.property_values("plan", event="Purchase"))

        _section(f"segmentation: Purchase by plan, {WEEK_START}..{LAST}")
        seg = await ws.segmentation(
            "Purchase", from_date=WEEK_START, to_date=LAST, on='properties["plan"]'
        )
        wide = seg.df.pivot(on="segment", index="date", values="count").sort("date")
        print(wide)

        _section("funnel: Checkout")
        funnel_id = next(f.funnel_id for f in await ws.funnels() if f.name == "Checkout")
        result = await ws.funnel(funnel_id, from_date=MONTH_START, to_date=LAST)
        print(result.df.select("step", "event", "count", "conversion_rate"))

        _section("export: a month of events into Polars, then Parquet")
        clock = time.perf_counter()
        frame = await ws.export_events(MONTH_START, LAST)
        print(
            f"{frame.height:,} events in {time.perf_counter() - clock:.2f}s; columns "
            f"{frame.columns}"
        )
        print(frame.group_by("event").len().sort("len", descending=True).head(5))
        with tempfile.TemporaryDirectory() as scratch:
            target = Path(scratch) / "events"
            await ws.export_events_to_parquet(
                target, from_date=MONTH_START, to_date=LAST, layout="directory"
            )
            files = sorted(target.rglob("*.parquet"))
            back = pl.read_parquet(files)
            print(f"wrote {len(files)} daily Parquet files, {back.height:,} rows read back")

        _section("App API: a dashboard")
        dash = await ws.create_dashboard({"title": "Demo KPIs", "description": "made by the demo"})
        await ws.pin_dashboard(dash.id)
        print([(d.id, d.title, d.pinned_date is not None) for d in await ws.list_dashboards()])
