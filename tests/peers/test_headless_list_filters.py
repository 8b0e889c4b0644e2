"""Peer parity of list and suffix filters: `Filter.list_contains`, `contains` / `not_contains` on
a list of strings and `ends_with`, in `query`, `query_funnel` and `query_retention`, through the
peer library and through our client against the same emulator holding `list_rows()`.

Either both answer and the documented fields and frames agree, or both refuse alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import mixpanel_async
from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import (
    list_rows,
    our_outcome,
    peer_outcome,
    refused_alike,
    same_fields,
    same_frames,
)

headless = pytest.importorskip("mixpanel_headless")
SEPT = {"from_date": "2026-09-01", "to_date": "2026-09-07"}


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        emulator.state.default.events.append(rows_of(list_rows()))
        yield emulator


# fmt: off
FILTERS: dict[str, Callable[[Any], Any]] = {
    "keyword": lambda L: L.Filter.list_contains("cart", Brand="nike"),
    "keywords-list": lambda L: L.Filter.list_contains("cart", Brand=["nike", "puma"],
                                                      Category="hats"),
    "all-over-50": lambda L: L.Filter.list_contains("cart", L.Filter.greater_than("Price", 50),
                                                    quantifier="all"),
    "item-set": lambda L: L.Filter.list_contains("cart", L.Filter.is_set("Category")),
    "tags-contain": lambda L: L.Filter.contains("tags", "sale"),
    "tags-not-contain": lambda L: L.Filter.not_contains("tags", "vip"),
    "ends-with": lambda L: L.Filter.ends_with("email", "gmail.com"),
}
CALLS: dict[str, tuple[str, Callable[[Any, Any], tuple[tuple[Any, ...], dict[str, Any]]]]] = {
    "query": ("query", lambda L, f: (("Purchase",), {"where": f, "group_by": "tags"})),
    "query-metric": ("query", lambda L, f: ((L.Metric("Purchase", math="unique", filters=[f]),),
                                            {"unit": "week"})),
    "funnel": ("query_funnel", lambda L, f: ((["Sign Up", "Purchase"],), {"where": f})),
    "funnel-step": ("query_funnel", lambda L, f: ((["View", L.FunnelStep("Purchase",
                                                                         filters=[f])],), {})),
    "retention": ("query_retention", lambda L, f: (("Sign Up", "Purchase"),
                                                   {"where": f, "retention_unit": "day"})),
}
# fmt: on
FIELDS = {
    "query": ("series", "params"),
    "query_funnel": ("steps_data", "series", "params"),
    "query_retention": ("cohorts", "average", "params"),
}


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize("flt", list(FILTERS))
async def test_parity(ours: AsyncWorkspace, peer: Any, call: str, flt: str) -> None:
    method, build = CALLS[call]

    def run(ws: Any, L: Any) -> Any:
        args, kwargs = build(L, FILTERS[flt](L))
        return getattr(ws, method)(*args, **SEPT, **kwargs)

    theirs = peer_outcome(lambda: run(peer, headless))
    mine = await our_outcome(lambda: run(ours, mixpanel_async))
    assert not refused_alike(mine, theirs)
    same_fields(mine, theirs, FIELDS[method])
    same_frames(mine.df, theirs.df)
