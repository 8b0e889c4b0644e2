"""The peer library `mixpanel_headless` and our `AsyncWorkspace` read the same schema graph from
the emulator: the same events, properties, user properties and adjacency.

The peer is synchronous; the emulator runs on its background thread, so the peer's blocking
calls inside these async tests are served meanwhile.
"""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace

mixpanel_headless = pytest.importorskip("mixpanel_headless")


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
