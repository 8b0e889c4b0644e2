"""The peer library `mixpanel_headless` and our client agree on flows, user and report-link
queries: the same bookmark JSON (or the same refusal) for the same arguments, proved over
generated argument combinations, and the same answers from the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixpanel_async import AsyncWorkspace
from mixpanel_async.exceptions import BookmarkValidationError, ParamValidationError
from mixpanel_async.reports import flows as ours_flows
from mixpanel_async.reports import users as ours_users

mixpanel_headless = pytest.importorskip("mixpanel_headless")

# Mostly valid values, with a tail of invalid ones, so both the JSON and the refusals are
# compared often.


def mostly(valid: Any, invalid: Any, weight: int = 6) -> Any:
    """`valid` about `weight` times as often as `invalid`."""
    return st.sampled_from([True] * weight + [False]).flatmap(lambda ok: valid if ok else invalid)


EVENTS = mostly(
    st.sampled_from(["Sign Up", "Purchase", "View Page"]), st.sampled_from([" ", "a\x01"])
)
DIRECTION = mostly(st.one_of(st.none(), st.integers(0, 5)), st.integers(-1, 6))
DATES = st.sampled_from(
    [None, "2026-09-01", "2026-09-30", "2026-02-30", "2026/09/01", "2030-01-01"]
)
STEP = st.tuples(
    EVENTS,
    DIRECTION,
    DIRECTION,
    st.sampled_from([None, "Label"]),
    mostly(st.sampled_from(["all", "any"]), st.just("some")),
    mostly(st.none(), st.sampled_from(["start", "end"])),
)
FLOW_ARGS = st.fixed_dictionaries(
    {},
    optional={
        "forward": mostly(st.integers(0, 5), st.integers(-1, 6)),
        "reverse": mostly(st.integers(0, 5), st.integers(-1, 6)),
        "from_date": DATES,
        "to_date": DATES,
        "last": st.sampled_from([1, 7, 30, 0, -3, 90, 4000]),
        "conversion_window": st.integers(-1, 400),
        "conversion_window_unit": st.sampled_from(["day", "week", "month", "session", "year"]),
        "count_type": st.sampled_from(["unique", "total", "session", "users"]),
        "cardinality": st.integers(0, 51),
        "collapse_repeated": st.booleans(),
        "hidden_events": st.one_of(st.none(), st.lists(st.sampled_from(["A", "B"]), max_size=2)),
        "mode": st.sampled_from(["sankey", "paths", "tree", "graph"]),
        "data_group_id": st.sampled_from([None, 3, 0, -2]),
        "segments": st.one_of(
            st.none(),
            st.sampled_from(["plan", "$os"]),
            st.lists(st.sampled_from(["plan", "$os"]), max_size=2),
        ),
        "exclusions": st.one_of(st.none(), st.lists(st.sampled_from(["Error"]), max_size=1)),
    },
)


def outcome(
    build: Any, step_type: Any, steps: list[tuple[Any, ...]], single: bool, args: dict[str, Any]
) -> Any:
    """The params built, or the refusal's kind and codes."""
    try:
        made = [
            step_type(e, forward=f, reverse=r, label=lab, filters_combinator=c, session_event=s)
            for e, f, r, lab, c, s in steps
        ]
        event: Any = made[0] if single and made else made
        return build(event, **args)
    except (BookmarkValidationError, mixpanel_headless.BookmarkValidationError) as exc:
        codes = (
            [e["code"] for e in exc.details["errors"]]
            if isinstance(exc, BookmarkValidationError)
            else [e.code for e in exc.errors]
        )
        return ("bookmark", sorted(codes))
    except (ParamValidationError, mixpanel_headless.exceptions.ParamValidationError) as exc:
        return ("param", exc.code)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(STEP, min_size=1, max_size=3), single=st.booleans(), args=FLOW_ARGS)
def test_build_flow_params_matches_the_peer(
    peer: Any, steps: list[tuple[Any, ...]], single: bool, args: dict[str, Any]
) -> None:
    single = single and len(steps) == 1
    theirs = outcome(peer.build_flow_params, mixpanel_headless.FlowStep, steps, single, args)
    mine = outcome(ours_flows.build_flow_params, ours_flows.FlowStep, steps, single, args)
    assert mine == theirs


def test_no_anchor_is_refused() -> None:
    # The peer fails here with a bare ValueError from max(); we name the rule.
    with pytest.raises(BookmarkValidationError) as info:
        ours_flows.build_flow_params([])
    assert info.value.code == "FL1_EMPTY_STEPS"
    assert info.value.details["param"] == "steps"


USER_ARGS = st.fixed_dictionaries(
    {},
    optional={
        "where": st.sampled_from(['properties["plan"] == "pro"', "true"]),
        "cohort": mostly(st.integers(1, 9), st.just(0), 2),
        "properties": mostly(
            st.lists(st.sampled_from(["$email", "plan"]), min_size=1), st.just([""]), 3
        ),
        "sort_by": mostly(st.sampled_from(["ltv", 'we"ird\\']), st.just(" "), 3),
        "sort_order": st.sampled_from(["ascending", "descending"]),
        "limit": mostly(st.one_of(st.none(), st.integers(1, 5000)), st.integers(-1, 0), 3),
        "search": st.sampled_from(["bob", "x"]),
        "distinct_id": st.sampled_from(["u1", "u2"]),
        "distinct_ids": mostly(st.lists(st.sampled_from(["u1", "u2"]), min_size=1), st.just([]), 3),
        "group_id": st.sampled_from(["companies"]),
        "as_of": st.one_of(
            st.sampled_from(["2024-01-31", "2024-02-30", "2999-01-01", "24-1-1"]),
            st.integers(1_600_000_000, 1_700_000_000),
        ),
        "mode": st.sampled_from(["profiles", "aggregate"]),
        "aggregate": st.sampled_from(["count", "extremes", "percentile", "numeric_summary"]),
        "aggregate_property": st.sampled_from(["ltv", 'a"b']),
        "percentile": st.sampled_from([50, 99.5, 0, 100]),
        "segment_by": mostly(st.lists(st.integers(1, 9), min_size=1, max_size=2), st.just([0]), 3),
        "parallel": st.booleans(),
        "workers": mostly(st.integers(1, 5), st.sampled_from([0, 6]), 3),
        "include_all_users": st.booleans(),
    },
)


def user_outcome(build: Any, args: dict[str, Any]) -> Any:
    """The params built, or the refusal's codes."""
    try:
        return build(**args)
    except (BookmarkValidationError, mixpanel_headless.BookmarkValidationError) as exc:
        if isinstance(exc, BookmarkValidationError):
            return sorted(e["code"] for e in exc.details["errors"])
        return sorted(e.code for e in exc.errors)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(args=USER_ARGS)
def test_build_user_params_matches_the_peer(peer: Any, args: dict[str, Any]) -> None:
    theirs = user_outcome(peer.build_user_params, args)
    mine = user_outcome(lambda **kw: ours_users.build_user_params(kw), args)
    assert mine == theirs


async def test_query_user_parity(ours: AsyncWorkspace, peer: Any) -> None:
    for args in (
        {},
        {"where": 'properties["$city"] == "Paris"'},
        {"aggregate": "extremes", "aggregate_property": "$city"},
        {"mode": "profiles", "limit": 30},
        {"mode": "profiles", "limit": 1200, "parallel": True},
        {"mode": "profiles", "limit": None, "sort_by": "$city", "sort_order": "ascending"},
    ):
        mine = await ours.query_user(**args)  # type: ignore[arg-type]
        theirs = peer.query_user(**args)
        assert mine.params == theirs.params
        assert mine.profiles == theirs.profiles
        assert mine.aggregate_data == theirs.aggregate_data
        assert mine.total == theirs.total
        assert mine.df.columns == list(theirs.df.columns)
        assert mine.df.height == len(theirs.df)
