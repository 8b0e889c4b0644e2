"""The peer library and our client on one emulator for business context: what one writes the
other reads, at both scopes and through the chain."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator

pytest.importorskip("mixpanel_headless")


@pytest.fixture
def emu() -> Iterator[Emulator]:
    """A fresh, empty emulator per test."""
    with Emulator(port=0) as emulator:
        yield emulator


def _fields(ctx: Any) -> tuple[Any, ...]:
    return (ctx.level, ctx.content, ctx.organization_id, ctx.project_id, ctx.is_empty,
            ctx.character_count)  # fmt: skip


async def test_peer_writes_we_read(peer: Any, ours: AsyncWorkspace) -> None:
    theirs = peer.set_business_context("# Project\nfrom the peer")
    mine = await ours.get_business_context()
    assert _fields(theirs) == _fields(mine)
    org_theirs = peer.set_business_context("org text", level="organization")
    org_mine = await ours.get_business_context(level="organization")
    assert _fields(org_theirs) == _fields(org_mine)
    peer_chain, our_chain = (
        peer.get_business_context_chain(),
        await ours.get_business_context_chain(),
    )
    assert (peer_chain.organization.content, peer_chain.project.content) == (
        our_chain.organization.content, our_chain.project.content,
    )  # fmt: skip
    peer.clear_business_context(level="organization")
    assert (await ours.get_business_context(level="organization")).is_empty


async def test_we_write_peer_reads(peer: Any, ours: AsyncWorkspace) -> None:
    mine = await ours.set_business_context("ours", level="organization", organization_id=1)
    theirs = peer.get_business_context(level="organization")
    assert _fields(mine) == _fields(theirs)
    await ours.set_business_context("project, ours")
    assert _fields(peer.get_business_context()) == _fields(await ours.get_business_context())
    assert peer.get_business_context_chain().project.content == "project, ours"
    await ours.clear_business_context()
    assert peer.get_business_context().is_empty
