"""The feature flags the official-SDK flag tests share: a set of flags covering every rule kind
(created through our client by `flagged`), forty-odd evaluation contexts, and the official
Python SDK pointed at an HTTPS emulator, whose local evaluation (Mixpanel's own code) is the
reference the emulator and the other SDKs are held to."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import mixpanel
import pytest
from mixpanel.flags import types as flag_types

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from tests.peers.sdks import TOKEN, workspace

ON_OFF = [
    {"key": "On", "value": True, "is_control": False, "split": 1.0},
    {"key": "Off", "value": False, "is_control": True, "split": 0.0},
]
ABC = [
    {"key": "A", "value": "a", "is_control": True, "split": 0.34},
    {"key": "B", "value": {"color": "blue"}, "is_control": False, "split": 0.33},
    {"key": "C", "value": 3, "is_control": False, "split": 0.33},
]
FLAGS: dict[str, dict[str, Any]] = {
    "checkout": {
        "variants": [
            {"key": "treatment", "value": "B", "is_control": False, "split": 0.5},
            {"key": "control", "value": "A", "is_control": True, "split": 0.5},
        ],
        "rollout": [{"rollout_percentage": 1.0}],
    },
    "beta": {"variants": ON_OFF, "rollout": [{"rollout_percentage": 0.3}]},
    "pro_only": {
        "variants": ON_OFF,
        "rollout": [
            {
                "rollout_percentage": 1.0,
                "runtime_evaluation_rule": {
                    "and": [{"==": [{"var": "plan"}, "Pro"]}, {">=": [{"var": "seats"}, 2]}]
                },
            }
        ],
    },
    "legacy_rule": {
        "variants": ON_OFF,
        "rollout": [
            {"rollout_percentage": 1.0, "runtime_evaluation_definition": {"country": "US"}}
        ],
    },
    "override": {
        "variants": ON_OFF,
        "rollout": [{"rollout_percentage": 1.0, "variant_override": {"key": "Off"}}],
    },
    "splits": {
        "variants": ABC,
        "rollout": [
            {"rollout_percentage": 0.2, "variant_splits": {"A": 0.0, "B": 0.0, "C": 1.0}},
            {"rollout_percentage": 0.9, "variant_splits": {"A": 0.5, "B": 0.5, "C": 0.0}},
        ],
    },
    "new_app": {
        "variants": ON_OFF,
        "rollout": [
            {
                "rollout_percentage": 1.0,
                "runtime_evaluation_rule": {"semver_compare": [{"var": "app"}, ">=", "2.0"]},
            }
        ],
    },
    "by_company": {"variants": ABC, "rollout": [{"rollout_percentage": 0.5}], "context": "company"},
    "switched_off": {"variants": ON_OFF, "rollout": [{"rollout_percentage": 1.0}], "off": True},
}
KEYS = list(FLAGS)
PLANS = ["pro", "free", "PRO"]
APPS = ["1.9.9", "v2.0", "2.0.0-RC1", "10.1.0", "nonsense"]
NEW_APPS = {"v2.0", "10.1.0"}


def contexts() -> list[dict[str, Any]]:
    """Forty users with assorted custom properties, two QA testers and a user without one."""
    out: list[dict[str, Any]] = []
    for n in range(40):
        context: dict[str, Any] = {"distinct_id": f"user-{n}"}
        if n % 4:
            context["custom_properties"] = {
                "plan": PLANS[n % 3],
                "seats": n % 5,
                "country": "us" if n % 2 else "DE",
                "app": APPS[n % len(APPS)],
            }
        if n % 3:
            context["company"] = f"co-{n % 7}"
        out.append(context)
    out += [{"distinct_id": "qa-1"}, {"distinct_id": "qa-2", "company": "co-1"}]
    return out


async def create_flags(ws: AsyncWorkspace) -> None:
    """Create the flags above through our client, switched on (`switched_off` aside), with two
    test users on `checkout`."""
    assert await ws.list_feature_flags() == []  # a list first: ids must still be UUIDs
    for key, spec in FLAGS.items():
        ruleset = {"variants": spec["variants"], "rollout": spec["rollout"]}
        flag = await ws.create_feature_flag(
            {
                "name": key.title(),
                "key": key,
                "status": "disabled" if spec.get("off") else "enabled",
                "context": spec.get("context", "distinct_id"),
                "ruleset": ruleset,
            }
        )
        assert len(flag.id) == 36
        assert flag.id.count("-") == 4
        if key == "checkout":
            await ws.set_flag_test_users(
                flag.id, {"users": {"treatment": "qa-1", "control": "qa-2"}}
            )


@contextlib.asynccontextmanager
async def python_sdk(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """The official Python SDK pointed at `emu`, trusting its CA through the environment."""
    for name, value in emu.tls_env().items():
        monkeypatch.setenv(name, value)
    host = f"{emu.host}:{emu.port}"
    consumer = mixpanel.Consumer(api_host=host)
    try:
        async with mixpanel.Mixpanel(
            TOKEN,
            consumer=consumer,
            local_flags_config=flag_types.LocalFlagsConfig(api_host=host, enable_polling=False),
            remote_flags_config=flag_types.RemoteFlagsConfig(api_host=host),
        ) as mp:
            yield mp
    finally:
        consumer._session.close()  # the SDK's consumer never closes its requests session


def key_of(variant: Any) -> Any:
    """The variant key a result names; None for the fallback."""
    if isinstance(variant, dict):
        return variant.get("variant_key")
    return variant.variant_key


@contextlib.asynccontextmanager
async def flagged(emu: Emulator) -> AsyncIterator[AsyncWorkspace]:
    """Our client on `emu`, emptied, with the flags above created through it."""
    emu.reset()
    async with workspace(emu) as ws:
        await create_flags(ws)
        yield ws


def python_local(mp: Any, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Python SDK's local variants (definitions fetched once) of every flag for each context,
    reporting no exposure; the fallback has no key."""
    mp.local_flags.start_polling_for_definitions()
    fallback = flag_types.SelectedVariant(variant_value="fallback")
    return [
        {k: mp.local_flags.get_variant(k, fallback, c, report_exposure=False) for k in KEYS}
        for c in people
    ]
