"""`build_params()` equals the peer's for saved metrics (`MetricRef`, `SavedMetric`), funnel and
retention metrics (`FunnelMetric` over a `FunnelBehavior` or a saved funnel, `RetentionMetric`)
and formulas with their own operands: the same bookmark JSON, or both refuse.

Hypothesis draws descriptions that build our blocks and the peer's alike (`PARITY` examples,
see test_headless_build_parity for the profile).
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mixpanel_async as ours_mod
from mixpanel_async import AsyncWorkspace
from tests.peers.test_headless_build_parity import (
    PARITY,
    _outcome,
    _parts,
    _prop,
    any_prop,
    both,  # noqa: F401  (the fixture)
    exclusion_desc,
    held_desc,
    step_desc,
)
from tests.peers.test_headless_build_parity import _blocks as _plain_blocks
from tests.peers.test_headless_build_parity import metric_desc as plain_metric

peer_types = pytest.importorskip("mixpanel_headless.types")

OVERRIDES = [
    None, {"name": "Raw"}, {"measurement": {"percentile": 90}}, {"behavior": {"filters": []}},
    {"measurement": {"math": "unique"}, "isHidden": False}, ["not", "a mapping"],
]  # fmt: skip
metric_ref = st.tuples(
    st.just("mref"),
    st.sampled_from([1, 88, 0, -2]),
    st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["metric", "metric", "formula", "warehouse", "bogus"]),
            "label": st.sampled_from([None, "Buyers", " "]),
            "math": st.sampled_from(
                [
                    None,
                    "unique",
                    "median",
                    "percentile",
                    "conversion_rate_unique",
                    "retention_rate",
                    "bogus",
                ]
            ),
            "property": st.one_of(st.none(), any_prop),
            "per_user": st.sampled_from([None, "total", "average", "bogus"]),
            "percentile_value": st.sampled_from([None, 95, 99.5, math.inf, True]),
            "segment_method": st.sampled_from([None, "first", "all", "x"]),
            "funnel_order": st.sampled_from([None, "any", "strict"]),
            "step_index": st.sampled_from([None, 0, 2, -1]),
            "bucket_index": st.sampled_from([None, 1, -1]),
            "hidden": st.sampled_from([None, True, False]),
            "overrides": st.sampled_from(OVERRIDES),
        },
    ),
)
saved_metric = st.tuples(
    st.just("smetric"),
    st.sampled_from([5, 6]),
    st.sampled_from(["metric", "formula", "warehouse", "behavior"]),
    st.sampled_from([{}, {"measurement": {"percentile": 95}}]),
    st.sampled_from([{}, {"math": "percentile"}, {"label": "Again"}, {"math": "unique"}]),
)
funnel_behavior = st.one_of(
    st.tuples(
        st.just("fb"),
        st.lists(step_desc, min_size=1, max_size=3),
        st.fixed_dictionaries(
            {},
            optional={
                "conversion_window": st.sampled_from([1, 7, 0, 400]),
                "conversion_window_unit": st.sampled_from(["day", "hour", "session", "second"]),
                "order": st.sampled_from(["loose", "any"]),
                "exclusions": st.one_of(st.none(), st.lists(exclusion_desc, max_size=2)),
                "holding_constant": st.one_of(
                    st.none(), held_desc, st.lists(held_desc, max_size=4)
                ),
                "reentry_mode": st.sampled_from([None, "basic", "x"]),
            },
        ),
    ),
    st.tuples(st.just("bref"), st.sampled_from([3]), st.sampled_from(["funnel", "retention"])),
)
retention_behavior = st.one_of(
    st.tuples(
        st.just("rb"),
        st.sampled_from(["Sign Up", "", "\x01x", ("Log In", "any")]),
        st.sampled_from(["Purchase", " "]),
        st.fixed_dictionaries(
            {},
            optional={
                "retention_unit": st.sampled_from(["day", "week", "year"]),
                "alignment": st.sampled_from(["birth", "interval_start", "calendar"]),
                "bucket_sizes": st.sampled_from([None, [1, 3, 7], [3, 1], [0]]),
                "unbounded_mode": st.sampled_from([None, "carry_back", "x"]),
            },
        ),
    ),
    st.tuples(st.just("bref"), st.sampled_from([4]), st.sampled_from(["retention", "simple"])),
)
FUNNEL_MATHS = ["conversion_rate_unique", "unique", "total", "average", "p90", "histogram",
                "conversion_rate_session", "bogus"]  # fmt: skip
funnel_metric = st.tuples(
    st.just("fmetric"),
    funnel_behavior,
    st.fixed_dictionaries(
        {},
        optional={
            "math": st.sampled_from(FUNNEL_MATHS),
            "property": st.one_of(st.none(), st.just(" "), any_prop),
            "step_index": st.sampled_from([None, 0, 1, -1]),
            "label": st.sampled_from([None, "", "Checkout"]),
        },
    ),
)
retention_metric = st.tuples(
    st.just("rmetric"),
    retention_behavior,
    st.fixed_dictionaries(
        {},
        optional={
            "math": st.sampled_from(["retention_rate", "unique", "total", "average", "bogus"]),
            "property": st.one_of(st.none(), any_prop),
            "bucket_index": st.sampled_from([None, 0, 7, -1]),
            "retention_cumulative": st.booleans(),
            "label": st.sampled_from([None, "Day 7"]),
        },
    ),
)
typed_metric = st.one_of(metric_ref, saved_metric, funnel_metric, retention_metric)
operand = st.one_of(typed_metric, plain_metric.filter(lambda d: d[0] in ("metric", "cohort")))
own_formula = st.tuples(
    st.just("oformula"),
    st.sampled_from(["A / B", "A + C", "A * 1E5", "A * 1e5", "2", "BA - A", "A ^ -B", "(A"]),
    st.sampled_from([None, "Ratio"]),
    st.lists(
        st.one_of(operand, st.tuples(st.just("formula"), st.just("A"), st.none())), max_size=3
    ),
)
query_desc = st.fixed_dictionaries(
    {
        "events": st.lists(
            st.one_of(typed_metric, plain_metric, own_formula), min_size=1, max_size=3
        )
    },
    optional={
        "math": st.sampled_from(["total", "unique", "median"]),
        "math_property": st.sampled_from([None, "amount"]),
        "per_user": st.sampled_from([None, "total"]),
        "percentile_value": st.sampled_from([None, 90]),
        "formula": st.sampled_from([None, "A + B"]),
        "group_by": st.sampled_from([None, "plan"]),
        "last": st.sampled_from([7, 30]),
    },
)


def _blocks(lib: Any) -> Any:
    """Build `lib`'s arguments (ours or the peer's) from a drawn query."""
    filt, _ = _parts(lib)
    plain = _plain_blocks(lib)

    def step(d: Any) -> Any:
        if isinstance(d, str):
            return d
        return lib.FunnelStep(d[0], filters=[filt(f) for f in d[2]] or None, **d[1])

    def behavior(d: Any) -> Any:
        if d[0] == "bref":
            return lib.BehaviorRef(d[1], d[2])
        if d[0] == "fb":
            args = dict(d[2])
            if args.get("exclusions") is not None:
                args["exclusions"] = [
                    e if isinstance(e, str) else lib.Exclusion(e[0], from_step=e[1], to_step=e[2])
                    for e in args["exclusions"]
                ]
            held = args.get("holding_constant")
            one = lambda h: h if isinstance(h, str) else lib.HoldingConstant(h[0], h[1])  # noqa: E731
            if held is not None:
                args["holding_constant"] = (
                    [one(h) for h in held] if isinstance(held, list) else one(held)
                )
            return lib.FunnelBehavior([step(s) for s in d[1]], **args)
        born = (
            d[1]
            if isinstance(d[1], str)
            else lib.RetentionEvent(d[1][0], filters_combinator=d[1][1])
        )
        return lib.RetentionBehavior(born, d[2], **d[3])

    def item(d: Any) -> Any:
        kind = d[0]
        if kind == "mref":
            args = dict(d[2])
            if args.get("property") is not None:
                args["property"] = _prop(lib, args["property"])
            return lib.MetricRef(d[1], **args)
        if kind == "smetric":
            saved = lib.SavedMetric(id=d[1], name="M", type=d[2], definition=d[3])
            return saved.to_ref(**d[4]) if d[4] else saved
        if kind in ("fmetric", "rmetric"):
            args = dict(d[2])
            if args.get("property") is not None:
                args["property"] = _prop(lib, args["property"])
            made = lib.FunnelMetric if kind == "fmetric" else lib.RetentionMetric
            return made(behavior(d[1]), **args)
        if kind == "oformula":
            return lib.Formula(d[1], label=d[2], metrics=[item(o) for o in d[3]])
        return plain({"events": [d]})["events"][0]

    def build(desc: dict[str, Any]) -> dict[str, Any]:
        args = dict(desc)
        args["events"] = [item(d) for d in desc["events"]]
        return args

    return build


ours_blocks, peer_blocks = _blocks(ours_mod), _blocks(peer_types)


@PARITY
@given(desc=query_desc)
def test_build_params_with_saved_and_behavior_metrics_matches_the_peer(
    both: tuple[AsyncWorkspace, Any],  # noqa: F811
    desc: dict[str, Any],
) -> None:
    ours, peer = both
    mine = _outcome(lambda: ours.build_params(**ours_blocks(desc)))
    theirs = _outcome(lambda: peer.build_params(**peer_blocks(desc)))
    assert mine == theirs
