"""`build_params()` equals the peer's for the same arguments.

Hypothesis draws a description of a query (events, math, breakdowns, filters of every
constructor, formulas, windows, modes, ...); the same description builds our blocks and the
peer's, and both workspaces must agree: the same bookmark JSON, or both refuse it.

Every property-based test of the peer modules runs `PARITY` examples: 300 by default, to keep
the suite quick, and 2000 with `HYPOTHESIS_PROFILE=thorough` in the environment
(`HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/peers`). The default run draws the
same examples every time; the thorough one draws fresh ones.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mixpanel_async as ours_mod
from mixpanel_async import AsyncWorkspace

headless = pytest.importorskip("mixpanel_headless")
pytest.importorskip("mixpanel_headless.exceptions")
peer_types = pytest.importorskip("mixpanel_headless.types")

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
PARITY = settings(
    max_examples=2000 if THOROUGH else 300,
    derandomize=not THOROUGH,  # the same examples on every default run, so CI cannot flake
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
"""The settings of every peer property-based test (see the module docstring)."""

EVENTS = ["Sign Up", "Purchase", "Log In", ""]
PROPS = ["country", "amount", "plan", "$os"]
DAYS = ["2024-01-01", "2024-01-15", "2024-02-30", "2024-1-5"]
MATHS = [
    "total",
    "unique",
    "dau",
    "average",
    "median",
    "p90",
    "percentile",
    "histogram",
    "unique_values",
    "sessions",
    "cumulative_unique",
    "bogus",
]
PER_USER = [None, "total", "average", "min", "max", "unique_values"]
INPUTS = st.dictionaries(
    st.sampled_from(["A", "B", "a", "AB"]),
    st.tuples(
        st.sampled_from(["price", "qty", " "]),
        st.sampled_from(["string", "number", "boolean"]),
        st.sampled_from(["event", "user"]),
    ),
    max_size=2,
)
custom_prop = st.one_of(
    st.tuples(st.just("cp_ref"), st.sampled_from([-1, 0, 3, 42])),
    st.tuples(
        st.just("cp_inline"),
        st.sampled_from(["A * B", "A", "", "  ", "A" * 20_001]),
        INPUTS,
        st.sampled_from([None, "number", "string", "boolean"]),
        st.sampled_from(["events", "people"]),
    ),
)
any_prop = st.one_of(st.sampled_from(PROPS), st.sampled_from(PROPS), custom_prop)


def _prop(lib: Any, desc: Any) -> Any:
    """A drawn property as `lib`'s: a name, a saved or an inline custom property."""
    if not isinstance(desc, tuple) or desc[:1] not in (("cp_ref",), ("cp_inline",)):
        return desc
    if desc[0] == "cp_ref":
        return lib.CustomPropertyRef(desc[1])
    _, formula, inputs, kind, resource = desc
    made = {k: lib.PropertyInput(n, type=t, resource_type=r) for k, (n, t, r) in inputs.items()}
    return lib.InlineCustomProperty(formula, made, property_type=kind, resource_type=resource)


# (constructor, argument strategies) — each filter description is (name, args, kwargs)
FILTERS: dict[str, st.SearchStrategy[tuple[Any, ...]]] = {
    "equals": st.tuples(any_prop, st.sampled_from(["US", ["US", "DE"]])),
    "not_equals": st.tuples(any_prop, st.sampled_from(["US", ["a", "b"]])),
    "contains": st.tuples(any_prop, st.just("x")),
    "not_contains": st.tuples(st.sampled_from(PROPS), st.just("x")),
    "starts_with": st.tuples(st.sampled_from(PROPS), st.just("pre")),
    "ends_with": st.tuples(st.sampled_from(PROPS), st.just("suf")),
    "greater_than": st.tuples(any_prop, st.integers(-5, 100)),
    "less_than": st.tuples(st.sampled_from(PROPS), st.floats(0, 10)),
    "at_least": st.tuples(st.sampled_from(PROPS), st.integers(0, 9)),
    "at_most": st.tuples(st.sampled_from(PROPS), st.integers(0, 9)),
    "between": st.tuples(any_prop, st.integers(0, 5), st.integers(5, 9)),
    "not_between": st.tuples(st.sampled_from(PROPS), st.integers(0, 5), st.integers(5, 9)),
    "is_set": st.tuples(any_prop),
    "is_not_set": st.tuples(st.sampled_from(PROPS)),
    "is_true": st.tuples(any_prop),
    "is_false": st.tuples(any_prop),
    "in_cohort": st.tuples(st.integers(-1, 50), st.sampled_from([None, "Fans", " "])),
    "not_in_cohort": st.tuples(st.integers(1, 50), st.sampled_from([None, "Fans"])),
    "on": st.tuples(any_prop, st.sampled_from(DAYS)),
    "not_on": st.tuples(st.sampled_from(PROPS), st.sampled_from(DAYS)),
    "before": st.tuples(st.sampled_from(PROPS), st.sampled_from(DAYS)),
    "since": st.tuples(st.sampled_from(PROPS), st.sampled_from(DAYS)),
    "in_the_last": st.tuples(
        any_prop,
        st.integers(-1, 30),
        st.sampled_from(["hour", "day", "week", "month"]),
    ),
    "not_in_the_last": st.tuples(
        st.sampled_from(PROPS), st.integers(1, 30), st.sampled_from(["day", "week"])
    ),
    "in_the_next": st.tuples(
        st.sampled_from(PROPS), st.integers(0, 30), st.sampled_from(["day", "month"])
    ),
    "date_between": st.tuples(st.sampled_from(PROPS), st.sampled_from(DAYS), st.sampled_from(DAYS)),
    "date_not_between": st.tuples(
        st.sampled_from(PROPS), st.sampled_from(DAYS[:2]), st.sampled_from(DAYS[:2])
    ),
}
resource = st.sampled_from([{}, {"resource_type": "people"}])
simple_filter = st.one_of(
    *[
        st.tuples(
            st.just(name),
            args,
            resource if name not in ("in_cohort", "not_in_cohort") else st.just({}),
        )
        for name, args in FILTERS.items()
    ]
)
list_filter = st.tuples(
    st.just("list_contains"),
    st.tuples(st.just("items")),
    st.fixed_dictionaries({"quantifier": st.sampled_from(["any", "all"]), "sku": st.just("a1")}),
)
filter_desc = st.one_of(simple_filter, list_filter)
freq_filter = st.tuples(
    st.just("$frequency"),
    st.tuples(st.sampled_from(EVENTS[:3]), st.integers(0, 5)),
    st.fixed_dictionaries(
        {"operator": st.sampled_from(["is at least", "is at most", "is equal to"])},
        optional={
            "date_range_value": st.integers(1, 9),
            "date_range_unit": st.sampled_from(["day", "week"]),
            "label": st.just("F"),
        },
    ),
)
group_desc = st.one_of(
    st.sampled_from(PROPS).map(lambda p: ("str", p)),
    st.tuples(
        st.just("group"),
        any_prop,
        st.fixed_dictionaries(
            {},
            optional={
                "property_type": st.sampled_from(["string", "number"]),
                "bucket_size": st.sampled_from([1, 2.5, 10]),
                "bucket_min": st.sampled_from([0, 5]),
                "bucket_max": st.sampled_from([20, 100]),
            },
        ),
    ),
    st.tuples(st.just("list_item"), st.just("items"), st.sampled_from(["sku", "price"])),
    st.tuples(
        st.just("cohort"),
        st.one_of(st.integers(1, 9), st.sampled_from(["inline-plan", "inline-any"])),
        st.sampled_from([None, "VIP"]),
        st.booleans(),
    ),
    st.tuples(st.just("frequency"), st.sampled_from(EVENTS[:3]), st.sampled_from([None, "N"])),
)
custom_event = st.tuples(st.just("ce"), st.sampled_from([1, 42]))
behavior_step = st.one_of(
    st.sampled_from([*EVENTS, "\x01bad"]),
    custom_event,
    st.tuples(
        st.just("step"),
        st.sampled_from(EVENTS),
        st.sampled_from([None, "Renamed"]),
        st.lists(simple_filter, max_size=1),
    ),
)
metric_event = st.one_of(
    st.sampled_from(EVENTS[:3]),
    custom_event,
    st.lists(st.one_of(st.sampled_from(EVENTS), custom_event), min_size=0, max_size=3),
    st.tuples(
        st.just("simple"),
        st.lists(behavior_step, min_size=0, max_size=3),
        st.sampled_from([None, "", "Signed in"]),
    ),
    st.tuples(st.just("bref"), st.sampled_from([5, 6]), st.sampled_from(["simple", "funnel"])),
)


def _event(lib: Any, desc: Any) -> Any:
    """A drawn metric event as `lib`'s: a name, custom event, list, behaviour or reference."""
    filt, _ = _parts(lib)
    if isinstance(desc, list):
        return [_event(lib, d) for d in desc]
    if not isinstance(desc, tuple):
        return desc
    if desc[0] == "ce":
        return lib.CustomEventRef(desc[1])
    if desc[0] == "step":
        return lib.FunnelStep(desc[1], label=desc[2], filters=[filt(f) for f in desc[3]] or None)
    if desc[0] == "simple":
        return lib.SimpleBehavior([_event(lib, d) for d in desc[1]], name=desc[2])
    return lib.BehaviorRef(desc[1], desc[2])


metric_desc = st.one_of(
    st.sampled_from(EVENTS).map(lambda e: ("str", e)),
    st.tuples(
        st.just("metric"),
        metric_event,
        st.fixed_dictionaries(
            {},
            optional={
                "math": st.sampled_from(MATHS[:-1]),
                "property": any_prop,
                "per_user": st.sampled_from(PER_USER),
                "percentile_value": st.sampled_from([50, 95.5]),
                "segment_method": st.sampled_from(["all", "first"]),
                "filters_combinator": st.sampled_from(["all", "any"]),
            },
        ),
        st.lists(simple_filter, max_size=2),
    ),
    st.tuples(st.just("cohort"), st.integers(1, 9), st.sampled_from([None, "VIP"])),
    st.tuples(
        st.just("formula"),
        st.sampled_from(["A + B", "(B / A) * 100", "A ^ 2 -", "x"]),
        st.sampled_from([None, "Ratio"]),
    ),
)
comparison = st.one_of(
    st.none(),
    st.sampled_from(["day", "week", "month", "quarter", "year"]).map(lambda u: ("relative", u)),
    st.sampled_from(DAYS[:2]).map(lambda d: ("absolute_start", d)),
    st.sampled_from(DAYS[:2]).map(lambda d: ("absolute_end", d)),
)
query_desc = st.fixed_dictionaries(
    {"events": st.lists(metric_desc, min_size=1, max_size=3)},
    optional={
        "math": st.sampled_from(MATHS),
        "math_property": st.sampled_from([None, *PROPS]),
        "per_user": st.sampled_from(PER_USER),
        "percentile_value": st.sampled_from([None, 90]),
        "unit": st.sampled_from(["hour", "day", "week", "month", "quarter"]),
        "last": st.sampled_from([1, 7, 30, 90, 0, 4000]),
        "from_date": st.sampled_from([None, *DAYS]),
        "to_date": st.sampled_from([None, *DAYS]),
        "group_by": st.lists(group_desc, max_size=3),
        "where": st.lists(st.one_of(filter_desc, freq_filter), max_size=3),
        "formula": st.sampled_from([None, "A + B", "B / A * 100", "C - A", "(A"]),
        "formula_label": st.sampled_from([None, "Sum"]),
        "rolling": st.sampled_from([None, 3, 0, 400]),
        "cumulative": st.booleans(),
        "mode": st.sampled_from(["timeseries", "total", "table"]),
        "time_comparison": comparison,
        "data_group_id": st.sampled_from([None, 3, 0]),
    },
)


def _inline_cohort(lib: Any, kind: str) -> Any:
    """An inline `CohortDefinition` of `lib`: one profile condition, or either of two."""
    plan = lib.CohortCriteria.has_property("plan", "pro")
    if kind == "inline-plan":
        return lib.CohortDefinition(plan)
    return lib.CohortDefinition.any_of(plan, lib.CohortCriteria.property_is_set("email"))


def _parts(lib: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """`lib`'s filter and breakdown builders (ours or the peer's), from descriptions."""

    def filt(desc: tuple[Any, ...]) -> Any:
        name, args, kwargs = desc
        if name == "$frequency":
            return lib.FrequencyFilter(*args, **kwargs)
        if args:
            args = (_prop(lib, args[0]), *args[1:])
        return getattr(lib.Filter, name)(*args, **kwargs)

    def group(desc: Any) -> Any:
        kind, *rest = desc
        if kind == "str":
            return rest[0]
        if kind == "group":
            return lib.GroupBy(_prop(lib, rest[0]), **rest[1])
        if kind == "list_item":
            return lib.GroupBy.list_item(rest[0], rest[1])
        if kind == "cohort":
            cohort = _inline_cohort(lib, rest[0]) if isinstance(rest[0], str) else rest[0]
            return lib.CohortBreakdown(cohort, name=rest[1], include_negated=rest[2])
        return lib.FrequencyBreakdown(rest[0], label=rest[1])

    return filt, group


def _shared(lib: Any, desc: dict[str, Any]) -> dict[str, Any]:
    """The arguments every report kind shares (breakdowns, filters, time comparison) as
    `lib`'s blocks; the others as drawn."""
    filt, group = _parts(lib)
    args = dict(desc)
    if "group_by" in args:
        args["group_by"] = [group(g) for g in args["group_by"]]
    if "where" in args:
        args["where"] = [filt(f) for f in args["where"]]
    if args.get("time_comparison") is not None:
        kind, value = args["time_comparison"]
        args["time_comparison"] = getattr(lib.TimeComparison, kind)(value)
    return args


def _blocks(lib: Any) -> Callable[[Any], Any]:
    """Build `lib`'s blocks (ours or the peer's) from a description."""
    filt, _ = _parts(lib)

    def metric(desc: Any) -> Any:
        kind, *rest = desc
        if kind == "str":
            return rest[0]
        if kind == "metric":
            filters = [filt(f) for f in rest[2]] or None
            kwargs = dict(rest[1])
            if "property" in kwargs:
                kwargs["property"] = _prop(lib, kwargs["property"])
            return lib.Metric(_event(lib, rest[0]), filters=filters, **kwargs)
        if kind == "cohort":
            return lib.CohortMetric(rest[0], name=rest[1])
        return lib.Formula(rest[0], label=rest[1])

    def build(desc: dict[str, Any]) -> dict[str, Any]:
        args = _shared(lib, desc)
        args["events"] = [metric(m) for m in desc["events"]]
        return args

    return build


def _outcome(build: Callable[[], dict[str, Any]]) -> Any:
    """The bookmark JSON, or that the arguments were refused."""
    try:
        return build()
    except (ValueError, headless.exceptions.MixpanelHeadlessError):
        return "refused"


@pytest.fixture(scope="module")
def both() -> Iterator[tuple[AsyncWorkspace, Any]]:
    env = {
        "MP_USERNAME": "u",
        "MP_SECRET": "s",
        "MP_PROJECT_ID": "1",
        "MP_REGION": "us",
        "MP_API_BASE_URL": "http://127.0.0.1:9",
    }
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        with headless.Workspace() as peer:
            yield AsyncWorkspace(base_url="http://127.0.0.1:9", project="1"), peer


ours_blocks, peer_blocks = _blocks(ours_mod), _blocks(peer_types)


@PARITY
@given(desc=query_desc)
def test_build_params_matches_the_peer(
    both: tuple[AsyncWorkspace, Any], desc: dict[str, Any]
) -> None:
    ours, peer = both
    mine = _outcome(lambda: ours.build_params(**ours_blocks(desc)))
    theirs = _outcome(lambda: peer.build_params(**peer_blocks(desc)))
    assert mine == theirs


def test_a_window_from_a_day_ends_today(both: tuple[AsyncWorkspace, Any]) -> None:
    ours, peer = both
    params = ours.build_params("Sign Up", from_date="2024-01-01")
    assert params["sections"]["time"][0]["value"] == ["2024-01-01", dt.date.today().isoformat()]
    assert params == peer.build_params("Sign Up", from_date="2024-01-01")


# --- funnels and retention -------------------------------------------------------------------

SHARED = {
    "last": st.sampled_from([1, 7, 30, 0, 4000]),
    "from_date": st.sampled_from([None, *DAYS]),
    "to_date": st.sampled_from([None, *DAYS]),
    "group_by": st.lists(group_desc, max_size=2),
    "where": st.lists(st.one_of(filter_desc, freq_filter), max_size=2),
    "time_comparison": comparison,
    "data_group_id": st.sampled_from([None, 3, 0]),
}
step_desc = st.one_of(
    st.sampled_from([*EVENTS, "\x01bad", "\u200b"]),
    st.tuples(
        st.sampled_from(EVENTS[:3]),
        st.fixed_dictionaries(
            {},
            optional={
                "label": st.sampled_from(["First", "Then"]),
                "order": st.sampled_from(["loose", "any"]),
                "filters_combinator": st.sampled_from(["all", "any"]),
            },
        ),
        st.lists(simple_filter, max_size=2),
    ),
)
exclusion_desc = st.one_of(
    st.sampled_from(EVENTS),
    st.tuples(st.sampled_from(EVENTS[:3]), st.integers(-1, 3), st.sampled_from([None, 0, 1, 2, 4])),
)
held_desc = st.one_of(
    st.sampled_from([*PROPS, " "]),
    st.tuples(st.sampled_from(PROPS), st.sampled_from(["events", "people"])),
)
FUNNEL_MATHS = [
    "conversion_rate_unique", "conversion_rate_total", "conversion_rate_session", "unique",
    "total", "average", "median", "min", "max", "p25", "p90", "p99", "histogram", "bogus",
]  # fmt: skip
funnel_desc = st.fixed_dictionaries(
    {"steps": st.lists(step_desc, min_size=1, max_size=4)},
    optional={
        **SHARED,
        "conversion_window": st.sampled_from([1, 2, 14, 0, -3, 60, 400, 2.5]),
        "conversion_window_unit": st.sampled_from(
            ["second", "minute", "hour", "day", "week", "month", "session", "fortnight"]
        ),
        "order": st.sampled_from(["loose", "any"]),
        "unit": st.sampled_from(["hour", "day", "week", "month", "quarter"]),
        "math": st.sampled_from(FUNNEL_MATHS),
        "math_property": st.sampled_from([None, "amount", ""]),
        "exclusions": st.one_of(st.none(), st.lists(exclusion_desc, max_size=3)),
        "holding_constant": st.one_of(st.none(), held_desc, st.lists(held_desc, max_size=4)),
        "mode": st.sampled_from(["steps", "trends", "table"]),
        "reentry_mode": st.sampled_from([None, "default", "basic", "aggressive", "optimized", "x"]),
    },
)
retention_event = st.one_of(
    st.sampled_from([*EVENTS, "\x02bad"]),
    st.tuples(
        st.sampled_from(EVENTS[:3]),
        st.sampled_from(["all", "any"]),
        st.lists(simple_filter, max_size=2),
    ),
)
retention_desc = st.fixed_dictionaries(
    {"born_event": retention_event, "return_event": retention_event},
    optional={
        **SHARED,
        "retention_unit": st.sampled_from(["day", "week", "month", "year"]),
        "alignment": st.sampled_from(["birth", "interval_start", "calendar"]),
        "bucket_sizes": st.one_of(
            st.none(),
            st.lists(st.sampled_from([-1, 0, 1, 2, 3, 7, 30]), max_size=4),
            st.just([1, 2.5]),
        ),
        "unit": st.sampled_from(["hour", "day", "week", "month"]),
        "math": st.sampled_from(["retention_rate", "unique", "total", "average", "bogus"]),
        "mode": st.sampled_from(["curve", "trends", "table", "pie"]),
        "unbounded_mode": st.sampled_from(
            [None, "none", "carry_back", "carry_forward", "consecutive_forward", "x"]
        ),
        "retention_cumulative": st.booleans(),
    },
)


def _funnel_blocks(lib: Any, desc: dict[str, Any]) -> dict[str, Any]:
    """A drawn funnel query as `lib`'s arguments."""
    filt, _ = _parts(lib)
    args = _shared(lib, desc)

    def step(d: Any) -> Any:
        if isinstance(d, str):
            return d
        return lib.FunnelStep(d[0], filters=[filt(f) for f in d[2]] or None, **d[1])

    def held(d: Any) -> Any:
        return d if isinstance(d, str) else lib.HoldingConstant(d[0], resource_type=d[1])

    args["steps"] = [step(d) for d in desc["steps"]]
    if args.get("exclusions") is not None:
        args["exclusions"] = [
            e if isinstance(e, str) else lib.Exclusion(e[0], from_step=e[1], to_step=e[2])
            for e in args["exclusions"]
        ]
    kept = args.get("holding_constant")
    if kept is not None:
        args["holding_constant"] = [held(h) for h in kept] if isinstance(kept, list) else held(kept)
    return args


def _retention_blocks(lib: Any, desc: dict[str, Any]) -> dict[str, Any]:
    """A drawn retention query as `lib`'s arguments."""
    filt, _ = _parts(lib)
    args = _shared(lib, desc)
    for key in ("born_event", "return_event"):
        d = desc[key]
        if not isinstance(d, str):
            filters = [filt(f) for f in d[2]] or None
            args[key] = lib.RetentionEvent(d[0], filters=filters, filters_combinator=d[1])
    return args


def _agree(both: tuple[AsyncWorkspace, Any], method: str, blocks: Any, desc: Any) -> None:
    """Our `method` and the peer's build the same JSON from `desc`, or both refuse it."""
    ours, peer = both
    mine = _outcome(lambda: getattr(ours, method)(**blocks(ours_mod, desc)))
    theirs = _outcome(lambda: getattr(peer, method)(**blocks(peer_types, desc)))
    assert mine == theirs


@PARITY
@given(desc=funnel_desc)
def test_build_funnel_params_matches_the_peer(
    both: tuple[AsyncWorkspace, Any], desc: dict[str, Any]
) -> None:
    _agree(both, "build_funnel_params", _funnel_blocks, desc)


@PARITY
@given(desc=retention_desc)
def test_build_retention_params_matches_the_peer(
    both: tuple[AsyncWorkspace, Any], desc: dict[str, Any]
) -> None:
    _agree(both, "build_retention_params", _retention_blocks, desc)
