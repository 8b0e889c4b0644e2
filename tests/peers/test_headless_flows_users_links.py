"""The peer library `mixpanel_headless` and our client agree on flows, user and report-link
queries: the same bookmark JSON (or the same refusal) for the same arguments, proved over
generated argument combinations (`PARITY` examples each, see test_headless_build_parity), and
the same answers from the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mixpanel_async as ours_mod
from mixpanel_async import AsyncWorkspace
from mixpanel_async.exceptions import BookmarkValidationError, ParamValidationError
from mixpanel_async.reports import flows as ours_flows
from mixpanel_async.reports import users as ours_users
from tests.peers.test_headless_build_parity import PARITY

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


PROPS = st.sampled_from(["plan", "amount", "$os", "a\x02b"])
DAYS = st.sampled_from(["2024-01-01", "2024-01-15"])
# Typed filters as descriptions (constructor, arguments), built with either library.
FILTER = st.one_of(
    st.tuples(
        st.sampled_from(["equals", "not_equals"]),
        st.tuples(PROPS, st.sampled_from(["US", ["a", "b"]])),
    ),
    st.tuples(
        st.sampled_from(["contains", "not_contains", "starts_with", "ends_with"]),
        st.tuples(PROPS, st.just("x")),
    ),
    st.tuples(
        st.sampled_from(["greater_than", "less_than", "at_least", "at_most"]),
        st.tuples(PROPS, st.sampled_from([3, 2.5])),
    ),
    st.tuples(
        st.sampled_from(["between", "not_between"]), st.tuples(PROPS, st.just(1), st.just(9))
    ),
    st.tuples(st.sampled_from(["is_set", "is_not_set", "is_true", "is_false"]), st.tuples(PROPS)),
    st.tuples(st.sampled_from(["on", "not_on", "before", "since"]), st.tuples(PROPS, DAYS)),
    st.tuples(
        st.sampled_from(["date_between", "date_not_between"]),
        st.tuples(PROPS, st.just("2024-01-01"), DAYS),
    ),
    st.tuples(
        st.sampled_from(["in_the_last", "not_in_the_last", "in_the_next"]),
        st.tuples(
            PROPS, st.sampled_from([1, 7]), st.sampled_from(["hour", "day", "week", "month"])
        ),
    ),
    st.tuples(
        st.sampled_from(["in_cohort", "not_in_cohort"]),
        st.tuples(st.integers(0, 9), st.sampled_from([None, "VIP"])),
    ),
    st.tuples(st.just("list_contains"), st.tuples(st.just("cart"))),
)
SEGMENT = st.one_of(
    st.tuples(st.just("str"), st.sampled_from(["plan", "$os"])),
    st.tuples(
        st.just("group"), st.sampled_from(["plan", "amount"]), st.sampled_from(["string", "number"])
    ),
    st.tuples(st.just("bucket"), st.just("amount"), st.sampled_from([5, 10])),
    st.tuples(st.just("list_item"), st.just("cart"), st.just("sku")),
    st.tuples(st.just("cohort"), st.integers(1, 9), st.sampled_from([None, "VIP"]), st.booleans()),
    st.tuples(
        st.just("frequency"), st.sampled_from(["Purchase", "Log In"]), st.sampled_from([None, "N"])
    ),
)


def make_filter(lib: Any, desc: tuple[str, tuple[Any, ...]]) -> Any:
    """A Filter of `lib` (ours or the peer's) from a description."""
    name, args = desc
    if name == "list_contains":
        return lib.Filter.list_contains(args[0], sku="a1")
    return getattr(lib.Filter, name)(*args)


def make_segment(lib: Any, desc: tuple[Any, ...]) -> Any:
    """A breakdown of `lib` from a description."""
    kind, *rest = desc
    if kind == "str":
        return rest[0]
    if kind == "group":
        return lib.GroupBy(rest[0], property_type=rest[1])
    if kind == "bucket":
        return lib.GroupBy(rest[0], property_type="number", bucket_size=rest[1], bucket_min=0,
                           bucket_max=100)  # fmt: skip
    if kind == "list_item":
        return lib.GroupBy.list_item(rest[0], rest[1])
    if kind == "cohort":
        return lib.CohortBreakdown(rest[0], name=rest[1], include_negated=rest[2])
    return lib.FrequencyBreakdown(rest[0], label=rest[1])


def outcome(
    build: Any,
    lib: Any,
    steps: list[tuple[Any, ...]],
    single: bool,
    args: dict[str, Any],
    typed: dict[str, Any] | None = None,
) -> Any:
    """The params built, or the refusal's kind and codes. `typed` describes typed blocks:
    per-step filters (`step_filters`), `where` and `segments`, built with `lib`."""
    typed = typed or {}
    step_filters = typed.get("step_filters") or []
    try:
        made = []
        for i, (e, f, r, lab, c, s) in enumerate(steps):
            descs = step_filters[i] if i < len(step_filters) else None
            filters = None if descs is None else [make_filter(lib, d) for d in descs]
            made.append(
                lib.FlowStep(
                    e,
                    forward=f,
                    reverse=r,
                    label=lab,
                    filters=filters,
                    filters_combinator=c,
                    session_event=s,
                )
            )
        event: Any = made[0] if single and made else made
        extra = dict(args)
        if "where" in typed:
            where = [make_filter(lib, d) for d in typed["where"]]
            extra["where"] = where[0] if len(where) == 1 else where
        if "segments" in typed:
            segments = [make_segment(lib, d) for d in typed["segments"]]
            extra["segments"] = segments[0] if len(segments) == 1 else segments
        return build(event, **extra)
    except (BookmarkValidationError, mixpanel_headless.BookmarkValidationError) as exc:
        codes = (
            [e["code"] for e in exc.details["errors"]]
            if isinstance(exc, BookmarkValidationError)
            else [e.code for e in exc.errors]
        )
        return ("bookmark", sorted(codes))
    except (ParamValidationError, mixpanel_headless.exceptions.ParamValidationError) as exc:
        return ("param", exc.code)


@PARITY
@given(steps=st.lists(STEP, min_size=1, max_size=3), single=st.booleans(), args=FLOW_ARGS)
def test_build_flow_params_matches_the_peer(
    peer: Any, steps: list[tuple[Any, ...]], single: bool, args: dict[str, Any]
) -> None:
    single = single and len(steps) == 1
    theirs = outcome(peer.build_flow_params, mixpanel_headless, steps, single, args)
    mine = outcome(ours_flows.build_flow_params, ours_mod, steps, single, args)
    assert mine == theirs


TYPED = st.fixed_dictionaries(
    {},
    optional={
        "step_filters": st.lists(st.lists(FILTER, max_size=2), max_size=3),
        "where": st.lists(FILTER, min_size=1, max_size=3),
        "segments": st.lists(SEGMENT, min_size=1, max_size=3),
    },
)
SIMPLE_STEP = st.tuples(
    st.sampled_from(["Sign Up", "Purchase"]), st.sampled_from([None, 2]), st.just(None),
    st.just(None), st.sampled_from(["all", "any"]), st.just(None),
)  # fmt: skip


@PARITY
@given(
    steps=st.lists(SIMPLE_STEP, min_size=1, max_size=3),
    single=st.booleans(),
    args=st.fixed_dictionaries({}, optional={"mode": st.sampled_from(["sankey", "tree"]),
                                             "data_group_id": st.sampled_from([None, 4])}),
    typed=TYPED,
)  # fmt: skip
def test_typed_flow_filters_and_segments_match_the_peer(
    peer: Any,
    steps: list[tuple[Any, ...]],
    single: bool,
    args: dict[str, Any],
    typed: dict[str, Any],
) -> None:
    single = single and len(steps) == 1
    theirs = outcome(peer.build_flow_params, mixpanel_headless, steps, single, args, typed)
    mine = outcome(ours_flows.build_flow_params, ours_mod, steps, single, args, typed)
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


def user_outcome(build: Any, lib: Any, args: dict[str, Any]) -> Any:
    """The params built, or the refusal's codes. A `where` or `cohort` given as a description
    (a tuple) is built with `lib` first."""
    args = dict(args)
    try:
        if isinstance(args.get("where"), tuple):
            where = [make_filter(lib, d) for d in args["where"][1]]
            args["where"] = where[0] if args["where"][0] == "one" and where else where
        if isinstance(args.get("cohort"), tuple):
            args["cohort"] = make_cohort(lib, args["cohort"])
        return build(**args)
    except (BookmarkValidationError, mixpanel_headless.BookmarkValidationError) as exc:
        if isinstance(exc, BookmarkValidationError):
            return sorted(e["code"] for e in exc.details["errors"])
        return sorted(e.code for e in exc.errors)
    except (ParamValidationError, mixpanel_headless.exceptions.ParamValidationError) as exc:
        return ("param", exc.code)


USER_PROPS = st.sampled_from(["plan", "$email", 'we"ird', "", "a\x02b"])
USER_FILTER = st.one_of(
    FILTER,
    st.tuples(st.sampled_from(["equals", "not_equals"]), st.tuples(USER_PROPS, st.just("pro"))),
    st.tuples(st.just("in_cohort"), st.tuples(st.integers(1, 9), st.sampled_from([None, "VIP"]))),
    st.tuples(
        st.sampled_from(["in_the_last", "not_in_the_last"]),
        st.tuples(PROPS, st.sampled_from([1, 800, 20000]), st.sampled_from(["day", "month"])),
    ),
)
CRITERION = st.one_of(
    st.tuples(st.just("has_property"), st.sampled_from(["plan", ""]), st.sampled_from(["pro", 3])),
    st.tuples(st.just("is_set"), st.sampled_from(["$email"])),
    st.tuples(st.just("in_cohort"), st.integers(0, 4)),
    st.tuples(
        st.just("did_event"),
        st.sampled_from(["Purchase", " "]),
        st.fixed_dictionaries(
            {},
            optional={
                "at_least": st.integers(-1, 3),
                "exactly": st.just(0),
                "within_days": st.integers(0, 30),
                "from_date": st.sampled_from(["2024-01-01", "2024-02-30"]),
                "to_date": st.sampled_from(["2024-01-31", "2023-12-01"]),
                "aggregation": st.just("total"),
                "aggregation_property": st.just("amount"),
            },
        ),
        st.lists(
            st.one_of(
                st.tuples(st.just("equals"), st.tuples(st.just("plan"), st.just("pro"))),
                st.tuples(st.just("starts_with"), st.tuples(st.just("plan"), st.just("p"))),
            ),
            max_size=2,
        ),
    ),
)
COHORT_DEF = st.tuples(
    st.sampled_from(["all_of", "any_of", "init"]),
    st.lists(
        st.one_of(
            CRITERION, st.tuples(st.just("nested"), st.lists(CRITERION, min_size=1, max_size=2))
        ),
        max_size=3,
    ),
)


def make_criterion(lib: Any, desc: tuple[Any, ...]) -> Any:
    """A `CohortCriteria` of `lib` (or a nested `CohortDefinition`) from a description."""
    kind, *rest = desc
    if kind == "nested":
        return lib.CohortDefinition.any_of(*[make_criterion(lib, c) for c in rest[0]])
    if kind == "has_property":
        return lib.CohortCriteria.has_property(rest[0], rest[1])
    if kind == "is_set":
        return lib.CohortCriteria.property_is_set(rest[0])
    if kind == "in_cohort":
        return lib.CohortCriteria.in_cohort(rest[0])
    where = [make_filter(lib, d) for d in rest[2]] or None
    return lib.CohortCriteria.did_event(rest[0], where=where, **rest[1])


def make_cohort(lib: Any, desc: tuple[str, list[Any]]) -> Any:
    """A `CohortDefinition` of `lib` from a description."""
    criteria = [make_criterion(lib, c) for c in desc[1]]
    if desc[0] == "init":
        return lib.CohortDefinition(*criteria)
    return getattr(lib.CohortDefinition, desc[0])(*criteria)


@PARITY
@given(args=USER_ARGS)
def test_build_user_params_matches_the_peer(peer: Any, args: dict[str, Any]) -> None:
    theirs = user_outcome(peer.build_user_params, mixpanel_headless, args)
    mine = user_outcome(lambda **kw: ours_users.build_user_params(kw), ours_mod, args)
    assert mine == theirs


@PARITY
@given(
    where=st.tuples(st.sampled_from(["one", "list"]), st.lists(USER_FILTER, max_size=3)),
    cohort=st.one_of(st.none(), st.integers(1, 3), COHORT_DEF),
    rest=st.fixed_dictionaries(
        {},
        optional={"mode": st.sampled_from(["profiles", "aggregate"]),
                  "include_all_users": st.booleans()},
    ),
)  # fmt: skip
def test_typed_user_filters_and_cohorts_match_the_peer(
    peer: Any, where: tuple[str, list[Any]], cohort: Any, rest: dict[str, Any]
) -> None:
    args = {"where": where, "cohort": cohort, **rest}
    if cohort is None:
        del args["cohort"]
    theirs = user_outcome(peer.build_user_params, mixpanel_headless, args)
    mine = user_outcome(lambda **kw: ours_users.build_user_params(kw), ours_mod, args)
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


def _typed_user_queries(lib: Any) -> list[dict[str, Any]]:
    """User queries with typed filters, built with `lib` (ours or the peer's)."""
    f = lib.Filter
    return [
        {"where": [f.equals("plan", ["pro", "team"]), f.greater_than("seats", 3)]},
        {"where": f.date_between("$created", "2026-09-01", "2026-09-30"), "mode": "profiles",
         "limit": None},
        {"where": [f.is_set("utm_source"), f.not_equals("$city", "Paris")], "mode": "profiles",
         "limit": 1500, "parallel": True},
        {"where": f.between("ltv", 10, 500), "aggregate": "extremes", "aggregate_property": "ltv"},
    ]  # fmt: skip


async def test_typed_query_user_parity(ours: AsyncWorkspace, peer: Any) -> None:
    pairs = zip(_typed_user_queries(ours_mod), _typed_user_queries(mixpanel_headless), strict=True)
    for mine_args, their_args in pairs:
        mine = await ours.query_user(**mine_args)
        theirs = peer.query_user(**their_args)
        assert mine.params == theirs.params
        assert mine.profiles == theirs.profiles
        assert mine.aggregate_data == theirs.aggregate_data
        assert mine.total == theirs.total
        assert mine.meta.get("failed_pages") == theirs.meta.get("failed_pages")
        assert mine.total > 0 or mine.aggregate_data
