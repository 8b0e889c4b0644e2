"""The peer library `mixpanel_headless` and our `AsyncWorkspace` read the same activity feed (and
the same schemas) from the emulator: the same events, cursors and fields.

The peer is synchronous; the emulator runs on its background thread, so the peer's blocking
calls inside these async tests are served meanwhile.
"""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator

mixpanel_headless = pytest.importorskip("mixpanel_headless")

RANGE = {"from_date": "2026-08-01", "to_date": "2026-11-10"}  # the whole demo product


def busiest_users(emu: Emulator, n: int) -> list[str]:
    counts = emu.state.default.events.deduped()["distinct_id"].value_counts(sort=True)
    return [str(u) for u in counts["distinct_id"].head(n).to_list()]


def same_feed(mine: Any, theirs: Any) -> None:
    assert [(e.event, e.time, e.properties) for e in mine.events] == [
        (e.event, e.time, e.properties) for e in theirs.events
    ]
    assert mine.sentinel_event == theirs.sentinel_event
    assert mine.distinct_ids == theirs.distinct_ids
    assert (mine.from_date, mine.to_date) == (theirs.from_date, theirs.to_date)


async def test_activity_feed_parity(emu: Emulator, ours: AsyncWorkspace, peer: Any) -> None:
    users = busiest_users(emu, 2)
    mine = await ours.activity_feed(users, **RANGE)
    theirs = peer.activity_feed(users, **RANGE)
    assert len(mine.events) > 10
    same_feed(mine, theirs)
    assert mine.df.height == len(theirs.df)
    assert mine.df["event"].to_list() == theirs.df["event"].to_list()


async def test_activity_feed_paging_parity(emu: Emulator, ours: AsyncWorkspace, peer: Any) -> None:
    users = busiest_users(emu, 1)
    mine = await ours.activity_feed(users, limit=5, **RANGE)
    theirs = peer.activity_feed(users, limit=5, **RANGE)
    same_feed(mine, theirs)
    assert mine.sentinel_event is not None
    # Each library's cursor works for the other.
    mine_next = await ours.activity_feed(
        users, limit=5, sentinel_event=theirs.sentinel_event, **RANGE
    )
    theirs_next = peer.activity_feed(users, limit=5, sentinel_event=mine.sentinel_event, **RANGE)
    same_feed(mine_next, theirs_next)
    filtered = await ours.activity_feed(users, include_events=["Purchase"], **RANGE)
    same_feed(filtered, peer.activity_feed(users, include_events=["Purchase"], **RANGE))


def lexicon_view(schema: Any) -> tuple[Any, ...]:
    """The fields both libraries' LexiconSchema carry (their `to_dict` shapes differ)."""
    meta = schema.schema_json.metadata
    return (
        schema.entity_type,
        schema.name,
        schema.schema_json.description,
        {k: (p.type, p.description) for k, p in schema.schema_json.properties.items()},
        None if meta is None else (meta.source, meta.display_name, meta.tags, meta.hidden),
    )


async def test_lexicon_parity(ours: AsyncWorkspace, peer: Any) -> None:
    mine = await ours.lexicon_schemas()
    assert len(mine) == 20
    assert list(map(lexicon_view, mine)) == list(map(lexicon_view, peer.lexicon_schemas()))
    typed = await ours.lexicon_schemas(entity_type="event")
    assert list(map(lexicon_view, typed)) == list(
        map(lexicon_view, peer.lexicon_schemas(entity_type="event"))
    )
    one = await ours.lexicon_schema("event", "Purchase")
    assert lexicon_view(one) == lexicon_view(peer.lexicon_schema("event", "Purchase"))
