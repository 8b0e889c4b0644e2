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
