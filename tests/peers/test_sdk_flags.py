"""Feature flags created through our client, evaluated by the official SDKs over HTTPS: the
Python SDK (`mixpanel` 5.4) and the Node SDK (npm `mixpanel`), each locally (from
`/flags/definitions`) and remotely (`/flags`, the emulator's evaluation).

The SDKs' local evaluation is Mixpanel's own code, written independently of the emulator: the
emulator's remote answers must equal it for every context, in both languages. Rules with a
known outcome (test users, runtime rules, overrides, a disabled flag) are also checked directly,
and the exposure events the SDKs send must land.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import mixpanel
import mixpanel.credentials
import pytest
from mixpanel.flags import types as flag_types

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from tests.peers.sdks import (
    PASSWORD,
    PROJECT,
    TOKEN,
    USER,
    install_node_sdk,
    recent_days,
    run_node,
    tls_emulator,
    workspace,
)

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


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    with tls_emulator(tmp_path_factory.mktemp("tls")) as emulator:
        yield emulator


@pytest.fixture
async def flags(emu: Emulator) -> AsyncIterator[AsyncWorkspace]:
    """The flags above, created and switched on through our client."""
    emu.reset()
    async with workspace(emu) as ws:
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
        yield ws


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


async def test_python_and_node_sdks_agree_with_the_emulator(
    flags: AsyncWorkspace, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = contexts()
    fallback = flag_types.SelectedVariant(variant_value="fallback")
    async with python_sdk(emu, monkeypatch) as mp:
        mp.local_flags.start_polling_for_definitions()
        py_local = [
            {k: mp.local_flags.get_variant(k, fallback, c, report_exposure=False) for k in KEYS}
            for c in people
        ]
        py_remote = [
            {k: mp.remote_flags.get_variant(k, fallback, c, reportExposure=False) for k in KEYS}
            for c in people
        ]
        py_all = [mp.remote_flags.get_all_variants(c) or {} for c in people]
    node = run_node(install_node_sdk(), emu, "flags", contexts=people, keys=KEYS, expose=False)

    table = {
        "python local": [{k: key_of(v) for k, v in row.items()} for row in py_local],
        "python remote": [{k: key_of(v) for k, v in row.items()} for row in py_remote],
        "node local": [{k: key_of(v) for k, v in row.items()} for row in node["local"]],
        "node remote": [{k: key_of(v) for k, v in row.items()} for row in node["remote"]],
    }
    reference = table["python local"]
    for name, rows in table.items():
        assert rows == reference, name
    assigned = [sorted(k for k, v in row.items() if v is not None) for row in reference]
    assert [sorted(row) for row in py_all] == assigned
    assert node["all_local"] == assigned
    assert node["all_remote"] == assigned

    # Outcomes known without hashing.
    by_user = {c["distinct_id"]: row for c, row in zip(people, reference, strict=True)}
    assert by_user["qa-1"]["checkout"] == "treatment"
    assert by_user["qa-2"]["checkout"] == "control"
    assert py_remote[-2]["checkout"].is_qa_tester is True
    assert node["remote"][-2]["checkout"]["is_qa_tester"] is True
    assert all(row["switched_off"] is None for row in reference)
    assert all(row["override"] == "Off" for row in reference)
    assert all(row["checkout"] in ("control", "treatment") for row in reference)
    for c, row in zip(people, reference, strict=True):
        custom = c.get("custom_properties") or {}
        is_pro = custom.get("plan", "").lower() == "pro" and custom.get("seats", 0) >= 2
        assert (row["pro_only"] == "On") == is_pro, c
        assert (row["legacy_rule"] == "On") == (custom.get("country", "").lower() == "us"), c
        assert (row["by_company"] is None) or "company" in c
        assert (row["new_app"] == "On") == (custom.get("app") in NEW_APPS), c
    # Hash buckets spread users: some but not all get the 30% and 50% rollouts.
    beta = sum(row["beta"] is not None for row in reference)
    assert 0 < beta < len(reference)
    assert {row["checkout"] for row in reference} == {"control", "treatment"}
    # Values come through with their JSON types.
    values = {key_of(v): v.variant_value for row in py_remote for v in [row["splits"]] if v}
    assert values.get("B", {"color": "blue"}) == {"color": "blue"}
    assert values.get("C", 3) == 3
    assert node["values"][-2] == ["B", "B"]  # qa-1's checkout, local and remote
    assert node["enabled"][0] == [False, False]  # checkout's values are not booleans


async def test_exposure_events_land(
    flags: AsyncWorkspace, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = {"distinct_id": "qa-1"}
    fallback = flag_types.SelectedVariant(variant_value="fallback")
    async with python_sdk(emu, monkeypatch) as mp:
        mp.local_flags.start_polling_for_definitions()
        local = mp.local_flags.get_variant("checkout", fallback, context)
        assert local.variant_key == "treatment"
        remote = mp.remote_flags.get_variant("checkout", fallback, context)
        assert remote.variant_key == "treatment"
        assert mp.remote_flags.get_variant("switched_off", fallback, context).variant_key is None
    run_node(install_node_sdk(), emu, "flags", contexts=[context], keys=["checkout"], expose=True)

    events = await flags.export_events(*recent_days(), partition="none")
    exposures = [row["properties"] for row in events.to_dicts()]
    assert [row["event"] for row in events.to_dicts()] == ["$experiment_started"] * len(exposures)
    seen = sorted(
        (p["Experiment name"], p["Variant name"], p["Flag evaluation mode"], p.get("mp_lib"))
        for p in exposures
    )
    # Python: one local and one remote; Node: getVariant local + remote, isEnabled (reports
    # exposures) local + remote; getVariantValue is told not to report.
    assert seen == sorted(
        [
            ("checkout", "treatment", "local", "python"),
            ("checkout", "treatment", "remote", "python"),
            ("checkout", "treatment", "local", "node"),
            ("checkout", "treatment", "remote", "node"),
            ("checkout", "treatment", "local", "node"),
            ("checkout", "treatment", "remote", "node"),
        ]
    )
    assert {e["distinct_id"] for e in events.to_dicts()} == {"qa-1"}


async def test_service_account_and_unknown_token(
    flags: AsyncWorkspace, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in emu.tls_env().items():
        monkeypatch.setenv(name, value)
    host = f"{emu.host}:{emu.port}"
    credentials = mixpanel.credentials.ServiceAccountCredentials(USER, PASSWORD, PROJECT)
    config = flag_types.RemoteFlagsConfig(api_host=host)
    fallback = flag_types.SelectedVariant(variant_value="fallback")
    async with mixpanel.Mixpanel(TOKEN, remote_flags_config=config, credentials=credentials) as mp:
        got = mp.remote_flags.get_variant("override", fallback, {"distinct_id": "u"}, False)
        assert got.variant_key == "Off"
    async with mixpanel.Mixpanel("no-such-token", remote_flags_config=config) as mp:
        got = mp.remote_flags.get_variant("override", fallback, {"distinct_id": "u"}, False)
        assert got.variant_value == "fallback"
        assert got.fallback_reason.kind == "BACKEND_ERROR"
        assert "401" in got.fallback_reason.message
    node = run_node(
        install_node_sdk(), emu, "flags", auth="service_account", contexts=[{"distinct_id": "u"}],
        keys=["override"], expose=False,
    )  # fmt: skip
    assert node["remote"][0]["override"]["variant_key"] == "Off"
