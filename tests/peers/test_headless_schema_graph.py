"""The peer library `mixpanel_headless` and our `AsyncWorkspace` read the same schema graph from
the emulator: the same events, properties, user properties and adjacency.

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


def view(graph: Any) -> tuple[Any, ...]:
    """Everything but `computed_at` (and the frames, whose libraries differ)."""
    data = graph.to_dict()
    del data["computed_at"]
    return tuple(sorted(data.items()))


@pytest.mark.parametrize(
    "kwargs", [{}, {"include_density": True, "include_user_properties": False}]
)
async def test_schema_graph_parity(ours: AsyncWorkspace, peer: Any, kwargs: Any) -> None:
    mine = await ours.schema_graph(**kwargs)
    theirs = peer.schema_graph(**kwargs)
    assert mine.meta["relationship_edges"] > 100
    assert view(mine) == view(theirs)
    assert mine.properties_for_event("Purchase") == theirs.properties_for_event("Purchase")
    assert mine.orphan_properties() == theirs.orphan_properties()
    assert mine.df.to_dicts() == theirs.df.to_dict("records")
    assert mine.events_df.to_dicts() == theirs.events_df.to_dict("records")
