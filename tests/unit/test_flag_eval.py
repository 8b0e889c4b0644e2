"""The emulator's flag evaluation (`engine/flag_eval.py`) and JsonLogic (`engine/json_logic.py`)
against independent implementations: the official Python SDK's local evaluation (Mixpanel's
code) and the `json_logic` package, on generated flags, rules and contexts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import json_logic as reference_logic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mixpanel.flags import local_feature_flags as local_flags
from mixpanel.flags import types as flag_types

from mixpanel_async.emulator.engine import flag_eval, json_logic

KEYS = ["a", "B", "c", "On"]
USERS = ["u1", "u2", "user-3", "42", ""]
RULES: list[dict[str, Any]] = [
    {"==": [{"var": "plan"}, "Pro"]},
    {"!=": [{"var": "plan"}, "free"]},
    {"in": [{"var": "country"}, ["us", "de"]]},
    {">=": [{"var": "seats"}, 3]},
    {"and": [{"==": [{"var": "plan"}, "pro"]}, {"<": [{"var": "seats"}, 5]}]},
    {"or": [{"!": [{"var": "plan"}]}, {"in": ["o", {"var": "country"}]}]},
    {"semver_compare": [{"var": "app"}, ">=", "V1.2"]},
    {"datetime_compare": [{"var": "since"}, "<", 1784160000000]},
]

variants = st.lists(
    st.fixed_dictionaries(
        {
            "key": st.sampled_from(KEYS),
            "value": st.one_of(st.booleans(), st.text(max_size=3), st.integers(0, 9)),
            "is_control": st.booleans(),
            "split": st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0]),
        }
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda v: v["key"],
)
rollouts = st.lists(
    st.fixed_dictionaries(
        {"rollout_percentage": st.sampled_from([0.0, 0.3, 0.5, 0.99, 1.0])},
        optional={
            "variant_override": st.fixed_dictionaries({"key": st.sampled_from([*KEYS, "x"])}),
            "variant_splits": st.dictionaries(
                st.sampled_from(KEYS), st.sampled_from([0.0, 0.5, 1.0])
            ),
            "runtime_evaluation_rule": st.sampled_from(RULES),
            "runtime_evaluation_definition": st.dictionaries(
                st.sampled_from(["plan", "Country"]), st.sampled_from(["PRO", "us"]), min_size=1
            ),
        },
    ),
    max_size=3,
)
flags = st.builds(
    lambda vs, rs, salt, test, context: {
        "id": "f",
        "name": "F",
        "key": "feature",
        "status": "enabled",
        "project_id": 1,
        "context": context,
        "hash_salt": salt,
        "ruleset": {"variants": vs, "rollout": rs, "test": {"users": test}},
    },
    variants,
    rollouts,
    st.one_of(st.none(), st.text("abcdef0123", max_size=8)),
    st.dictionaries(st.sampled_from(USERS), st.sampled_from([*KEYS, "zz"]), max_size=2),
    st.sampled_from(["distinct_id", "company"]),
)
contexts = st.fixed_dictionaries(
    {"distinct_id": st.sampled_from(USERS)},
    optional={
        "company": st.sampled_from(["acme", "", "globex"]),
        "custom_properties": st.fixed_dictionaries(
            {"seats": st.integers(0, 9)},  # see `data` below on missing numbers
            optional={
                "plan": st.sampled_from(["pro", "PRO", "free"]),
                "Country": st.sampled_from(["US", "de", "fr"]),
                "country": st.sampled_from(["us", "DE", "to"]),
                "app": st.sampled_from(["1.2.0", "v1.10", "1.2.0-RC1", "x"]),
                "since": st.sampled_from(["2026-07-15T00:00:00Z", "2026-07-16T01:00:00+02:00"]),
            },
        ),
    },
)


def sdk_local(flag: dict[str, Any], context: dict[str, Any]) -> tuple[Any, Any]:
    """What the Python SDK's local provider picks for `flag` as `/flags/definitions` serves it."""
    provider = local_flags.LocalFeatureFlagsProvider.__new__(local_flags.LocalFeatureFlagsProvider)
    served = flag_types.ExperimentationFlag.from_dict(flag_eval.definition(flag))
    provider._flag_definitions = {served.key: served}
    fallback = flag_types.SelectedVariant(variant_value="fallback")
    got = provider.get_variant(served.key, fallback, context, report_exposure=False)
    return got.variant_key, got.variant_value


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(flags, st.lists(contexts, min_size=1, max_size=5))
def test_remote_evaluation_equals_the_sdk_local_one(
    flag: dict[str, Any], people: list[dict[str, Any]]
) -> None:
    for context in people:
        mine = flag_eval.evaluate(flag, context)
        got = (None, "fallback") if mine is None else (mine["variant_key"], mine["variant_value"])
        assert got == sdk_local(flag, context)


def test_buckets_match_known_values() -> None:
    # FNV-1a 64 of "" is the offset basis: 14695981039346656037 % 100 = 37.
    assert flag_eval.bucket("", "") == 0.37
    assert flag_eval.bucket("u1", "featurerollout") == sdk_bucket("u1", "featurerollout")


def sdk_bucket(key: str, salt: str) -> float:
    from mixpanel.flags.utils import normalized_hash

    return float(normalized_hash(key, salt))


def test_disabled_archived_and_deleted_flags_are_not_served() -> None:
    base = {"status": "enabled", "ruleset": {"variants": [], "rollout": []}}
    assert flag_eval.is_served(base)
    assert not flag_eval.is_served({**base, "status": "disabled"})
    assert not flag_eval.is_served({**base, "is_archived": True})
    assert not flag_eval.is_served({**base, "deleted": "2024-01-01T00:00:00"})
    assert not flag_eval.is_served({**base, "ruleset": None})


# `seats` is always there: a missing value compared with a number is 0 in JavaScript's JsonLogic
# (the Node SDK's, and ours) but never less than anything in the Python package.
data = st.fixed_dictionaries(
    {"seats": st.integers(0, 9)},
    optional={
        "plan": st.sampled_from(["pro", "free", ""]),
        "country": st.sampled_from(["us", "de", "o"]),
    },
)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(RULES), data)
def test_json_logic_equals_the_reference(rule: dict[str, Any], values: dict[str, Any]) -> None:
    rule = flag_eval._casefold(rule, keys=False)
    assert json_logic.truthy(json_logic.apply(rule, values)) == bool(
        reference_logic.jsonLogic(rule, values)
    )


@pytest.mark.parametrize(
    ("rule", "data", "expected"),
    [
        ({"var": "a.b"}, {"a": {"b": 2}}, 2),
        ({"var": ["x", 7]}, {}, 7),
        ({"missing": ["a", "b"]}, {"a": 1}, ["b"]),
        ({"missing_some": [1, ["a", "b"]]}, {"a": 1}, []),
        ({"if": [{"<": [{"var": "n"}, 3]}, "low", "high"]}, {"n": 5}, "high"),
        ({"<": [1, {"var": "n"}, 3]}, {"n": 2}, True),
        ({"==": [1, "1"]}, {}, True),
        ({"===": [1, "1"]}, {}, False),
        ({"some": [{"var": "xs"}, {">": [{"var": ""}, 2]}]}, {"xs": [1, 3]}, True),
        ({"all": [{"var": "xs"}, {">": [{"var": ""}, 2]}]}, {"xs": [1, 3]}, False),
        ({"cat": ["a", 1, None]}, {}, "a1"),
        ({"+": [1, "2"]}, {}, 3.0),
        ({"in": ["b", "abc"]}, {}, True),
    ],
)
def test_json_logic_operators(rule: Any, data: Any, expected: Any) -> None:
    assert json_logic.apply(rule, data) == expected


def test_unknown_operators_do_not_match() -> None:
    with pytest.raises(json_logic.UnknownOperator):
        json_logic.apply({"version_compare": ["1.2.3", ">", "1.0.0"]}, {})
    rollout = {"runtime_evaluation_rule": {"nope": [1]}}
    assert not flag_eval.runtime_ok(rollout, {"custom_properties": {"a": 1}})


SDK_VECTORS = Path(local_flags.__file__).parent / "test-data"


def golden(name: str) -> list[Any]:
    """The cross-SDK golden vectors shipped with the official Python SDK (headings dropped)."""
    cases = json.loads((SDK_VECTORS / f"{name}_compare_tests.json").read_text())
    return [pytest.param(*c, id=f"{c[0]!r} {c[1]} {c[2]!r}") for c in cases if isinstance(c, list)]


@pytest.mark.parametrize(("actual", "symbol", "target", "expected"), golden("semver"))
def test_semver_compare_golden(actual: Any, symbol: Any, target: Any, expected: bool) -> None:
    rule = {"semver_compare": [{"var": "v"}, symbol, target]}
    assert json_logic.apply(rule, {"v": actual}) is expected


@pytest.mark.parametrize(("actual", "symbol", "target", "expected"), golden("datetime"))
def test_datetime_compare_golden(actual: Any, symbol: Any, target: Any, expected: bool) -> None:
    rule = {"datetime_compare": [{"var": "t"}, symbol, target]}
    assert json_logic.apply(rule, {"t": actual}) is expected


@pytest.mark.parametrize(
    "rule",
    [
        {"substr": [{"var": "plan"}, "x"]},
        {"missing_some": [1]},
        {"==": [{"var": "plan"}, {"var": "nested"}]},
        {"<": [{"var": "nested"}, 1]},
        {"merge": []},
        {"semver_compare": [{"var": "plan"}]},
        {"datetime_compare": [{"var": "plan"}, "~", 1]},
    ],
)
def test_odd_rules_and_values_do_not_match(rule: dict[str, Any]) -> None:
    context = {"custom_properties": {"plan": "pro", "nested": {"a": [1]}}}
    assert not flag_eval.runtime_ok({"runtime_evaluation_rule": rule}, context)


def test_a_deeply_nested_rule_does_not_match() -> None:
    rule: dict[str, Any] = {"==": [1, 1]}
    for _ in range(5000):
        rule = {"!!": [rule]}
    context = {"custom_properties": {"a": 1}}
    assert not flag_eval.runtime_ok({"runtime_evaluation_rule": rule}, context)


def test_legacy_definition_names_are_looked_up_as_written() -> None:
    """A found case: the SDKs fold the context's property names but not the definition's, so
    `{"Country": "us"}` never matches while `{"country": "us"}` matches `Country: US`."""
    rollout = {"rollout_percentage": 1.0, "variant_override": {"key": "a"}}
    variants = [{"key": "a", "value": False, "is_control": False, "split": 0.0}]
    context = {"distinct_id": "u1", "custom_properties": {"seats": 0, "Country": "US"}}
    for name, matches in (("Country", False), ("country", True)):
        flag = {"id": "f", "name": "F", "key": "feature", "status": "enabled", "project_id": 1,
                "context": "distinct_id", "hash_salt": None,
                "ruleset": {"variants": variants, "test": {"users": {}}, "rollout": [
                    {**rollout, "runtime_evaluation_definition": {name: "us"}}]}}  # fmt: skip
        mine = flag_eval.evaluate(flag, context)
        assert (mine is not None) is matches
        assert sdk_local(flag, context) == (("a", False) if matches else (None, "fallback"))
