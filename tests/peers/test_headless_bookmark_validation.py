"""`validate_bookmark` finds the same problems as the peer's: the same paths, codes, severities,
suggestions and fixes (the messages are our own words).

The bookmarks are what the builders make (`build_params`, `build_funnel_params`,
`build_retention_params`, including saved, funnel and retention metrics), then mutated: keys
removed, values replaced by wrong types, unknown names, near-misses of allowed names, empty
lists and non-finite numbers, anywhere in the tree (`PARITY` examples, see
test_headless_build_parity for the profile).
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mixpanel_async import AsyncWorkspace, validate_bookmark
from tests.peers import test_headless_build_parity as plain
from tests.peers import test_headless_metric_parity as typed

headless = pytest.importorskip("mixpanel_headless")
both = plain.both  # the fixture: our workspace and the peer's
peer_validation = pytest.importorskip("mixpanel_headless._internal.validation")

REPLACEMENTS = [
    None, "", "bogus", "totl", "lin", "line", "table", 0, -1, 1.5, math.inf, -math.inf, [], [1],
    [math.nan], {}, "$cohorts", "list", "contains", {"cohort": {"id": 1}}, [{"cohort": {}}],
    True, "unique", "cohort", "simple", "event", "funnel", "formula", "warehouse", "metric",
    "custom_percentile", "average", "asc", "desc", "column", "label", "value", "sum",
    {"sortBy": "value"}, {"sortBy": "column"}, {"sortBy": "label", "sortOrder": "up"},
    {"sortBy": "value", "colSortAttrs": [{"sortBy": "value"}], "viewNLimit": 2.5},
    {"sortBy": "value", "sortColumn": "Linear", "colSortAttrs": [], "sortOrder": "asc"},
    list(range(1001)), "events", "peeple", "cohorts", "number", "numbr", "in the last", "weeek",
    {"type": "metric", "id": 5}, {"type": "metric", "id": 0}, {"id": 7}, "sortBy", "x-y",
]  # fmt: skip
KEYS = [
    "sortBy", "colSortAttrs", "extra", "sortOrder", "behavior", "id", "type", "value",
    "funnel-trend", "bar", "retention-curve", "flows", "raw_cohort", "referencedMetrics",
]  # fmt: skip


def _paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON tree (dict keys and list indexes), the root excluded."""
    found: list[tuple[Any, ...]] = []
    children: Any = ()
    if isinstance(node, dict):
        children = node.items()
    elif isinstance(node, list) and len(node) <= 20:
        children = enumerate(node)
    for key, child in children:
        found.append((*here, key))
        found += _paths(child, (*here, key))
    return found


def _mutate(params: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """`params` with a few drawn changes."""
    tree = copy.deepcopy(params)
    for _ in range(data.draw(st.integers(1, 4))):
        paths = _paths(tree)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = tree
        for key in path[:-1]:
            parent = parent[key]
        action = data.draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent[path[-1]], dict):
            key = data.draw(st.sampled_from(KEYS))
            parent[path[-1]][key] = copy.deepcopy(data.draw(st.sampled_from(REPLACEMENTS)))
        else:
            parent[path[-1]] = copy.deepcopy(data.draw(st.sampled_from(REPLACEMENTS)))
    return tree


def _found(errors: list[Any]) -> list[tuple[Any, ...]]:
    """What both validators must agree on, in a stable order."""
    return sorted((e.path, e.code, e.severity, e.suggestion, repr(e.fix)) for e in errors)


def _built(peer: Any, data: st.DataObject) -> tuple[dict[str, Any], str]:
    """A bookmark the peer builds from drawn arguments, and its kind."""
    kind = data.draw(st.sampled_from(["insights", "typed", "funnels", "retention"]))
    if kind == "insights":
        made = plain._outcome(
            lambda: peer.build_params(**plain.peer_blocks(data.draw(plain.query_desc)))
        )
    elif kind == "typed":
        made = plain._outcome(
            lambda: peer.build_params(**typed.peer_blocks(data.draw(typed.query_desc)))
        )
        kind = "insights"
    elif kind == "funnels":
        desc = data.draw(plain.funnel_desc)
        made = plain._outcome(
            lambda: peer.build_funnel_params(**plain._funnel_blocks(plain.peer_types, desc))
        )
    else:
        desc = data.draw(plain.retention_desc)
        made = plain._outcome(
            lambda: peer.build_retention_params(**plain._retention_blocks(plain.peer_types, desc))
        )
    assume(made != "refused")
    return made, kind


@plain.PARITY
@given(data=st.data())
def test_validate_bookmark_finds_what_the_peer_finds(
    both: tuple[AsyncWorkspace, Any],
    data: st.DataObject,
) -> None:
    _, peer = both
    params, kind = _built(peer, data)
    assert not [e for e in validate_bookmark(params, bookmark_type=kind) if e.severity == "error"]
    mutated = _mutate(params, data)
    bookmark_type = data.draw(st.sampled_from([kind, "insights", "funnels", "retention"]))
    mine = _found(validate_bookmark(mutated, bookmark_type=bookmark_type))
    try:
        theirs = _found(peer_validation.validate_bookmark(mutated, bookmark_type=bookmark_type))
    except TypeError:  # the peer fails on a list or an object where a name is checked
        assert mine  # where we report the value as not allowed
        return
    assert mine == theirs
