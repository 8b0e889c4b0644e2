"""The checks Mixpanel's published flag spec puts on a ruleset, for the emulator's flag writes.

`ManagementRuleSet`: at most 11 `variants`, each with a string `key` and a `split` in 0..1
(`is_control` a boolean); `rollout` groups with a `rollout_percentage` in 0..1, `variant_splits`
mapping variant keys to shares in 0..1 and a `variant_override` naming a variant; `test`, when
present, an object. The published spec also requires `variant_splits` in every rollout group;
the emulator lets it default to the variants' own splits (what Mixpanel's Python SDK falls back
to), a difference `openapi/README.md` lists.
"""

from __future__ import annotations

from typing import Any

MAX_VARIANTS = 11


def _share(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def _variant_problem(i: int, variant: Any) -> str | None:
    where = f"ruleset.variants[{i}]"
    if not isinstance(variant, dict):
        return f"{where} must be an object"
    if not isinstance(variant.get("key"), str):
        return f"{where}.key must be a string"
    if "split" in variant and not _share(variant["split"]):
        return f"{where}.split must be a number from 0 to 1"
    if "is_control" in variant and not isinstance(variant["is_control"], bool):
        return f"{where}.is_control must be a boolean"
    return None


def _rollout_problem(i: int, group: Any, keys: set[str]) -> str | None:
    where = f"ruleset.rollout[{i}]"
    if not isinstance(group, dict):
        return f"{where} must be an object"
    if not _share(group.get("rollout_percentage")):
        return f"{where}.rollout_percentage must be a number from 0 to 1"
    splits = group.get("variant_splits")
    if splits is not None and not (
        isinstance(splits, dict) and all(_share(v) for v in splits.values())
    ):
        return f"{where}.variant_splits must map variant keys to numbers from 0 to 1"
    override = group.get("variant_override")
    if override is not None and not (isinstance(override, dict) and override.get("key") in keys):
        return f"{where}.variant_override must name one of the variants"
    return None


def ruleset_problem(ruleset: Any) -> str | None:
    """What is wrong with a ruleset by Mixpanel's published rules, or None."""
    if not isinstance(ruleset, dict):
        return "ruleset must be an object"
    variants = ruleset.get("variants", [])
    if not isinstance(variants, list) or len(variants) > MAX_VARIANTS:
        return f"ruleset.variants must be a list of at most {MAX_VARIANTS} variants"
    for i, variant in enumerate(variants):
        if problem := _variant_problem(i, variant):
            return problem
    keys = {v["key"] for v in variants}
    rollout = ruleset.get("rollout", [])
    if not isinstance(rollout, list):
        return "ruleset.rollout must be a list"
    for i, group in enumerate(rollout):
        if problem := _rollout_problem(i, group, keys):
            return problem
    test = ruleset.get("test")
    if test is not None and not isinstance(test, dict):
        return "ruleset.test must be an object"
    return None
