"""Feature-flag evaluation as Mixpanel's SDKs do it: which variant a context gets.

A flag (an App API row) has a `context` (the context key users are bucketed by, usually
`distinct_id`), a `ruleset` with `variants` (`key`, `value`, `split`), `rollout` rules
(`rollout_percentage` 0..1, optional `runtime_evaluation_rule` in JsonLogic or the older exact-
match `runtime_evaluation_definition`, `variant_override`, `variant_splits`) and test users
(`test.users`: distinct id → variant key), and an optional `hash_salt`.

Evaluation: a test user gets their variant; otherwise the first rollout rule whose FNV-1a bucket
of the context value is under its percentage and whose runtime rule holds picks the variant (its
override, or a second bucket against the cumulative splits of the variants in key order). No
rule matched: the context gets no variant. Only enabled flags are served.
"""

from __future__ import annotations

from typing import Any

from mixpanel_async.emulator.engine import json_logic

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK_64 = 0xFFFFFFFFFFFFFFFF


def bucket(key: str, salt: str) -> float:
    """`key + salt` hashed with 64-bit FNV-1a, as a bucket in [0, 1) by hundredths."""
    value = FNV_OFFSET
    for byte in (key + salt).encode("utf-8"):
        value = ((value ^ byte) * FNV_PRIME) & MASK_64
    return (value % 100) / 100.0


def is_served(flag: dict[str, Any]) -> bool:
    """Whether SDKs see the flag: enabled and not archived or deleted."""
    return (
        flag.get("status") == "enabled"
        and not flag.get("is_archived")
        and not flag.get("deleted")
        and isinstance(flag.get("ruleset"), dict)
    )


def variants_of(flag: dict[str, Any]) -> list[dict[str, Any]]:
    """The flag's variants in key order (the order both evaluation and SDKs use)."""
    variants = (flag.get("ruleset") or {}).get("variants") or []
    return sorted((dict(v) for v in variants), key=lambda v: str(v.get("key")))


def _casefold(value: Any, keys: bool) -> Any:
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, list):
        return [_casefold(v, keys) for v in value]
    if isinstance(value, dict):
        return {
            (k.casefold() if keys and isinstance(k, str) else k): _casefold(v, keys)
            for k, v in value.items()
        }
    return value


def runtime_ok(rollout: dict[str, Any], context: dict[str, Any]) -> bool:
    """Whether a rollout rule's runtime condition holds for the context's `custom_properties`
    (compared case-insensitively); a rule without one always holds. As the official SDKs do, a
    legacy definition's names are looked up as written among the properties' folded names, so a
    name with a capital letter never matches."""
    rule = rollout.get("runtime_evaluation_rule")
    legacy = rollout.get("runtime_evaluation_definition")
    if not rule and not legacy:
        return True
    props = context.get("custom_properties")
    if not props or not isinstance(props, dict):
        return False
    params = _casefold(props, keys=True)
    if rule:
        try:
            return json_logic.truthy(json_logic.apply(_casefold(rule, keys=False), params))
        except (json_logic.UnknownOperator, TypeError, ValueError, IndexError, RecursionError):
            return False
    if not isinstance(legacy, dict):
        return False
    for name, expected in legacy.items():  # the name as written: only the context's keys are
        if name not in params or _text(params[name]) != _text(expected).casefold():  # folded
            return False
    return True


def _text(value: Any) -> str:
    """A value as JavaScript's `String()` writes it (what the SDKs compare legacy rules on)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "null" if value is None else str(value)


def _selected(flag: dict[str, Any], variant: dict[str, Any], qa: bool) -> dict[str, Any]:
    return {
        "variant_key": variant.get("key"),
        "variant_value": variant.get("value"),
        "experiment_id": flag.get("experiment_id"),
        "is_experiment_active": flag.get("is_experiment_active"),
        "is_qa_tester": qa,
    }


def _named(flag: dict[str, Any], key: Any) -> dict[str, Any] | None:
    wanted = str(key).casefold()
    return next((v for v in variants_of(flag) if str(v.get("key")).casefold() == wanted), None)


def evaluate(flag: dict[str, Any], context: dict[str, Any]) -> dict[str, Any] | None:
    """The variant `context` gets from `flag` (`variant_key`, `variant_value`,
    `experiment_id`, `is_experiment_active`, `is_qa_tester`), or None when it gets none."""
    ruleset = flag.get("ruleset") or {}
    context_value = context.get(flag.get("context") or "distinct_id")
    if not context_value:
        return None
    users = (ruleset.get("test") or {}).get("users") or {}
    distinct_id = context.get("distinct_id")
    if distinct_id and isinstance(users, dict) and distinct_id in users:
        variant = _named(flag, users[distinct_id])
        if variant is not None:
            return _selected(flag, variant, qa=True)
    key, salt = str(flag.get("key")), flag.get("hash_salt")
    for index, rollout in enumerate(ruleset.get("rollout") or []):
        rule_salt = f"{key}{salt}{index}" if salt is not None else f"{key}rollout"
        share = float(rollout.get("rollout_percentage") or 0.0)
        if bucket(str(context_value), rule_salt) < share and runtime_ok(rollout, context):
            return _selected(flag, _assigned(flag, rollout, str(context_value)), qa=False)
    return None


def _assigned(flag: dict[str, Any], rollout: dict[str, Any], context_value: str) -> dict[str, Any]:
    override = rollout.get("variant_override")
    if isinstance(override, dict) and (named := _named(flag, override.get("key"))) is not None:
        return named
    variants = variants_of(flag)
    if not variants:
        return {"key": None, "value": None}
    splits = rollout.get("variant_splits") or {}
    point = bucket(context_value, f"{flag.get('key')}{flag.get('hash_salt') or ''}variant")
    cumulative = 0.0
    for variant in variants:
        cumulative += float(splits.get(variant.get("key"), variant.get("split") or 0.0))
        if point < cumulative:
            return variant
    return variants[-1]


def definition(flag: dict[str, Any]) -> dict[str, Any]:
    """The flag as `/flags/definitions` serves it to SDKs that evaluate locally."""
    ruleset = dict(flag.get("ruleset") or {})
    ruleset["variants"] = variants_of(flag)
    ruleset["rollout"] = list(ruleset.get("rollout") or [])
    return {
        "id": flag.get("id"),
        "name": flag.get("name"),
        "key": flag.get("key"),
        "status": flag.get("status"),
        "project_id": flag.get("project_id"),
        "context": flag.get("context") or "distinct_id",
        "experiment_id": flag.get("experiment_id"),
        "is_experiment_active": flag.get("is_experiment_active"),
        "hash_salt": flag.get("hash_salt"),
        "ruleset": ruleset,
    }
