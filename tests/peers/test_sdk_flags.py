"""Feature flags created through our client, evaluated by the official SDKs over HTTPS: the
Python SDK (`mixpanel` 5.4) and the Node SDK (npm `mixpanel`), each locally (from
`/flags/definitions`) and remotely (`/flags`, the emulator's evaluation).

The SDKs' local evaluation is Mixpanel's own code, written independently of the emulator: the
emulator's remote answers must equal it for every context, in both languages. Rules with a
known outcome (test users, runtime rules, overrides, a disabled flag) are also checked directly,
and the exposure events the SDKs send must land.
"""

from __future__ import annotations

import mixpanel
import mixpanel.credentials
import pytest
from mixpanel.flags import types as flag_types

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from tests.peers.flag_cases import (
    KEYS,
    NEW_APPS,
    contexts,
    key_of,
    python_local,
    python_sdk,
)
from tests.peers.sdks import (
    PASSWORD,
    PROJECT,
    TOKEN,
    USER,
    install_node_sdk,
    recent_days,
    run_node,
)


async def test_python_and_node_sdks_agree_with_the_emulator(
    sdk_flags: AsyncWorkspace, flags_emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = contexts()
    fallback = flag_types.SelectedVariant(variant_value="fallback")
    async with python_sdk(flags_emu, monkeypatch) as mp:
        py_local = python_local(mp, people)
        py_remote = [
            {k: mp.remote_flags.get_variant(k, fallback, c, reportExposure=False) for k in KEYS}
            for c in people
        ]
        py_all = [mp.remote_flags.get_all_variants(c) or {} for c in people]
    node = run_node(
        install_node_sdk(), flags_emu, "flags", contexts=people, keys=KEYS, expose=False
    )

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
    sdk_flags: AsyncWorkspace, flags_emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = {"distinct_id": "qa-1"}
    fallback = flag_types.SelectedVariant(variant_value="fallback")
    async with python_sdk(flags_emu, monkeypatch) as mp:
        mp.local_flags.start_polling_for_definitions()
        local = mp.local_flags.get_variant("checkout", fallback, context)
        assert local.variant_key == "treatment"
        remote = mp.remote_flags.get_variant("checkout", fallback, context)
        assert remote.variant_key == "treatment"
        assert mp.remote_flags.get_variant("switched_off", fallback, context).variant_key is None
    run_node(
        install_node_sdk(), flags_emu, "flags", contexts=[context], keys=["checkout"], expose=True
    )

    events = await sdk_flags.export_events(*recent_days(), partition="none")
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
    sdk_flags: AsyncWorkspace, flags_emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in flags_emu.tls_env().items():
        monkeypatch.setenv(name, value)
    host = f"{flags_emu.host}:{flags_emu.port}"
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
        install_node_sdk(), flags_emu, "flags", auth="service_account",
        contexts=[{"distinct_id": "u"}], keys=["override"], expose=False,
    )  # fmt: skip
    assert node["remote"][0]["override"]["variant_key"] == "Off"
