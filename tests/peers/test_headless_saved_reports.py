"""The peer library `mixpanel_headless` and our `AsyncWorkspace` run the same saved funnel and
retention reports on the emulator (report definitions built by the peer's own builders) and get
the same results.

The peer is synchronous; the emulator runs on its background thread, so the peer's blocking
calls inside these async tests are served meanwhile.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import load_demo

mixpanel_headless = pytest.importorskip("mixpanel_headless")


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        load_demo(emulator.state)
        yield emulator


@pytest.fixture
def peer(emu: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[Any]:
    env = {"MP_API_BASE_URL": emu.url, "MP_USERNAME": "u", "MP_SECRET": "s",
           "MP_PROJECT_ID": "1", "MP_REGION": "us", "HOME": str(tmp_path),
           "MP_CONFIG_PATH": str(tmp_path / "config.toml")}  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with mixpanel_headless.Workspace() as workspace:
        yield workspace


@pytest.fixture
async def ours(emu: Emulator) -> AsyncIterator[AsyncWorkspace]:
    async with AsyncWorkspace(base_url=emu.url, project="1", username="u", secret="s") as ws:
        yield ws


async def _save(ws: AsyncWorkspace, kind: str, params: Any) -> int:
    dashboard = await ws.create_dashboard({"title": f"{kind} reports"})
    bookmark = await ws.create_bookmark(
        {"name": kind, "type": kind, "params": params, "dashboard_id": dashboard.id}
    )
    return bookmark.id


def same(mine: Any, theirs: Any) -> None:
    assert mine.to_dict() == theirs.to_dict()
    assert mine.report_type == theirs.report_type


async def test_saved_funnel_parity(ours: AsyncWorkspace, peer: Any) -> None:
    params = peer.build_funnel_params(
        ["Sign Up", "Purchase"], conversion_window=7, from_date="2026-09-01", to_date="2026-09-30"
    )
    bookmark = await _save(ours, "funnels", params)
    window = {"from_date": "2026-09-01", "to_date": "2026-09-20"}
    mine = await ours.query_saved_report(bookmark, bookmark_type="funnels", **window)
    theirs = peer.query_saved_report(bookmark, bookmark_type="funnels", **window)
    assert len(mine.series) == 20
    assert mine.df.filter(step=1)["count"].sum() > 100
    same(mine, theirs)


async def test_saved_retention_parity(ours: AsyncWorkspace, peer: Any) -> None:
    params = peer.build_retention_params(
        "Sign Up", "Purchase", retention_unit="week", from_date="2026-09-01", to_date="2026-10-31"
    )
    bookmark = await _save(ours, "retention", params)
    mine = await ours.query_saved_report(bookmark, bookmark_type="retention")
    theirs = peer.query_saved_report(bookmark, bookmark_type="retention")
    assert sum(c["first"] for c in mine.series.values()) > 100
    same(mine, theirs)
