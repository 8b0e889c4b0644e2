"""The peer library and our client on one emulator for lookup tables: a table one uploads
the other lists, downloads and changes, and the peer's upload flow (signed URL, PUT without
credentials, register) works against the emulator's storage."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import mixpanel_async as o
from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev, today_moment

h = pytest.importorskip("mixpanel_headless")

FIELDS = ("id", "name", "token", "created_at", "last_modified_at", "has_mapped_properties")


@pytest.fixture
def emu() -> Iterator[Emulator]:
    """A fresh, empty emulator per test."""
    with Emulator(port=0) as emulator:
        yield emulator


def same(theirs: Any, mine: Any) -> None:
    assert [getattr(theirs, f) for f in FIELDS] == [getattr(mine, f) for f in FIELDS]


async def test_peer_uploads_we_read(peer: Any, ours: AsyncWorkspace, tmp_path: Path) -> None:
    path = tmp_path / "plans.csv"
    path.write_text("plan,price\npro,10\nfree,0\n")
    theirs = peer.upload_lookup_table(h.UploadLookupTableParams(name="plans", file_path=str(path)))
    [mine] = await ours.list_lookup_tables()
    same(theirs, mine)
    frame = await ours.download_lookup_table(theirs.id)
    assert frame.to_dicts() == [{"plan": "pro", "price": "10"}, {"plan": "free", "price": "0"}]
    peer.update_lookup_table(theirs.id, h.UpdateLookupTableParams(name="tiers"))
    assert (await ours.list_lookup_tables())[0].name == "tiers"
    # The peer's separate steps, then our read of the registered table.
    target = peer.get_lookup_upload_url()
    assert await ours.get_lookup_download_url(theirs.id)
    async with aiohttp.ClientSession() as plain, plain.put(target.url, data=b"k,v\na,1\n") as put:
        assert put.status == 200
    ready = peer.mark_lookup_table_ready(h.MarkLookupTableReadyParams(name="kv", key=target.key))
    assert (await ours.download_lookup_table(ready.id)).to_dicts() == [{"k": "a", "v": "1"}]
    peer.delete_lookup_tables([theirs.id, ready.id])
    assert await ours.list_lookup_tables() == []


async def test_we_upload_peer_reads(peer: Any, ours: AsyncWorkspace) -> None:
    frame = pl.DataFrame({"code": ["FR", "JP"], "region": ["Europe", "Asia"]})
    mine = await ours.upload_lookup_table(o.UploadLookupTableParams(name="geo", data=frame))
    [theirs] = peer.list_lookup_tables()
    same(theirs, mine)
    csv = peer.download_lookup_table(mine.id)
    assert_frame_equal(pl.read_csv(io.BytesIO(csv), infer_schema=False), frame)
    assert peer.download_lookup_table(mine.id, limit=1).decode().splitlines() == [
        "code,region", "FR,Europe",
    ]  # fmt: skip
    url = peer.get_lookup_download_url(mine.id)
    async with aiohttp.ClientSession() as plain, plain.get(url) as got:
        assert await got.text() == csv.decode()
    await ours.update_lookup_table(mine.id, o.UpdateLookupTableParams(name="regions"))
    assert peer.list_lookup_tables(data_group_id=mine.id)[0].name == "regions"
    status = peer.get_lookup_upload_status("missing")
    assert status == await ours.get_lookup_upload_status("missing")
    await ours.delete_lookup_tables([mine.id])
    assert peer.list_lookup_tables() == []


async def test_mapped_lookup_columns_in_segmentation(
    peer: Any, ours: AsyncWorkspace, emu: Emulator, tmp_path: Path
) -> None:
    now = today_moment()
    plans = ["free", "pro", "pro", "team", "none"]
    emu.state.default.events.append(
        rows_of([ev("Buy", f"u{i}", now - i * 60, plan=p) for i, p in enumerate(plans)])
    )
    path = tmp_path / "plans.csv"
    path.write_text("plan,tier\nfree,low\npro,high\nteam,high\n")
    table = peer.upload_lookup_table(h.UploadLookupTableParams(name="plans", file_path=str(path)))
    peer.bulk_update_property_definitions(
        h.BulkUpdatePropertiesParams(
            properties=[
                h.BulkPropertyUpdate(
                    name="plan", resource_type="Event", data_group_id=str(table.id)
                )
            ]
        )
    )
    day = dt.datetime.fromtimestamp(now, dt.UTC).date().isoformat()
    theirs = peer.segmentation("Buy", from_date=day, to_date=day, on='properties["plan.tier"]')
    mine = await ours.segmentation("Buy", from_date=day, to_date=day, on='properties["plan.tier"]')
    assert theirs.series == mine.series
    totals = {segment: sum(days.values()) for segment, days in mine.series.items()}
    assert totals == {"high": 3, "low": 1, "undefined": 1}  # counted from `plans` above
    assert peer.list_lookup_tables()[0].has_mapped_properties is True


async def test_mapped_lookup_columns_in_insights_and_funnels(
    peer: Any, ours: AsyncWorkspace, emu: Emulator
) -> None:
    now = today_moment()
    plans = ["free", "pro", "pro", "team", "none", "pro"]
    emu.state.default.events.append(
        rows_of(
            [ev("Buy", f"u{i}", now - 600 + i, plan=p) for i, p in enumerate(plans)]
            + [ev("Sign Up", f"u{i}", now - 1200 + i, plan=p) for i, p in enumerate(plans)]
        )
    )
    table = await ours.upload_lookup_table(
        o.UploadLookupTableParams(name="plans", data=b"plan,tier\nfree,low\npro,high\nteam,high\n")
    )
    await ours.bulk_update_property_definitions(
        {"properties": [{"name": "plan", "resource_type": "Event", "data_group_id": str(table.id)}]}
    )
    day = dt.datetime.fromtimestamp(now, dt.UTC).date().isoformat()
    span = {"from_date": day, "to_date": day, "mode": "total"}
    theirs = peer.query("Buy", group_by="plan.tier", **span)
    mine = await ours.query("Buy", group_by="plan.tier", **span)
    assert theirs.series == mine.series
    [segments] = mine.series.values()
    assert {k: v["all"] for k, v in segments.items() if k in ("high", "low")} == {
        "high": 4, "low": 1}  # counted from `plans` above  # fmt: skip
    high = h.Filter.equals("plan.tier", "high")
    their_funnel = peer.query_funnel(["Sign Up", "Buy"], where=high, from_date=day, to_date=day)
    my_funnel = await ours.query_funnel(
        ["Sign Up", "Buy"], where=o.Filter.equals("plan.tier", "high"), from_date=day, to_date=day
    )
    assert [s["count"] for s in their_funnel.steps_data] == [4, 4]
    assert [s["count"] for s in my_funnel.steps_data] == [4, 4]
