"""Feature flags created through our client, evaluated by the official browser SDK (npm
`mixpanel-browser`, `flags` config) in headless Chromium, the same as by the Python and Node SDKs.

The browser fetches `GET {api_host}/flags/?context=…&token=…` with the token as Basic user name
and a `traceparent` header (so a CORS preflight) from another origin. The page runs against the
same HTTPS emulator as the server SDKs: Chromium accepts its certificate by public-key hash
(`trust_certificate_of`). The reference is the Python SDK's local evaluation — Mixpanel's own
code, independent of the emulator — and the Node SDK's remote answers must agree too; the
exposure events the browser sends for the checks it makes are read back through export.
"""

from __future__ import annotations

from typing import Any

import pytest
from mixpanel.flags import types as flag_types

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from tests.peers.browser.harness import chromium, run_page, settle, trust_certificate_of
from tests.peers.flag_cases import (
    KEYS,
    contexts,
    flagged,
    key_of,
    python_local,
    python_sdk,
)
from tests.peers.sdks import (
    PASSWORD,
    PROJECT,
    SECRET,
    TOKEN,
    USER,
    install_node_sdk,
    recent_days,
    run_node,
)

EXPOSED = "qa-1"


async def browser_flags(emu: Emulator, people: list[dict[str, Any]]) -> dict[str, Any]:
    """Run the page's flags scenario for `people`; its read-back values."""
    job = {"contexts": people, "exposed": EXPOSED}
    trust = trust_certificate_of(emu.host, emu.port)
    report = await run_page(emu.url, TOKEN, "flags", job=job, browser_flags=trust)
    assert report["errors"] == []
    values: dict[str, Any] = report["values"]
    return values


def exposures_stored(emu: Emulator) -> int:
    """How many `$experiment_started` events the emulator holds."""
    return sum(e["event"] == "$experiment_started" for e in emu.events())


async def test_browser_agrees_with_python_and_node(
    sdk_flags: AsyncWorkspace, flags_emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = contexts()
    async with python_sdk(flags_emu, monkeypatch) as mp:
        reference = python_local(mp, people)
    node = run_node(
        install_node_sdk(), flags_emu, "flags", contexts=people, keys=KEYS, expose=False
    )
    browser = await browser_flags(flags_emu, people)

    rows = browser["rows"]
    assert len(rows) == len(people)
    expected_keys = [{k: key_of(v) for k, v in row.items()} for row in reference]
    browser_keys = [{k: (row.get(k) or {}).get("key") for k in KEYS} for row in rows]
    node_keys = [{k: key_of(v) for k, v in row.items()} for row in node["remote"]]
    assert browser_keys == expected_keys
    assert node_keys == expected_keys
    # Unassigned flags are simply absent from the browser's map; values keep their JSON types.
    for row, expected in zip(rows, reference, strict=True):
        assert set(row) == {k for k, v in expected.items() if v.variant_key is not None}
        for key, variant in row.items():
            assert variant["value"] == expected[key].variant_value, key
            assert variant["variant_source"] == "network"
    by_user = {c["distinct_id"]: row for c, row in zip(people, rows, strict=True)}
    assert by_user["qa-2"]["checkout"]["key"] == "control"
    assert by_user["qa-2"]["checkout"]["is_qa_tester"] is True
    assert by_user["user-1"]["checkout"]["is_qa_tester"] is False
    assert all("switched_off" not in row for row in rows)
    assert browser["ready_before_load"] is False
    assert browser["ready_after_load"] is True


async def test_each_flags_method_and_its_exposures(
    sdk_flags: AsyncWorkspace, flags_emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = {"distinct_id": EXPOSED}
    fallback = flag_types.SelectedVariant(variant_value="fallback")
    async with python_sdk(flags_emu, monkeypatch) as mp:
        mp.local_flags.start_polling_for_definitions()
        expected = {
            k: mp.local_flags.get_variant(k, fallback, context, report_exposure=False) for k in KEYS
        }
    assigned = {k: v.variant_key for k, v in expected.items() if v.variant_key is not None}
    calls = (await browser_flags(flags_emu, []))["calls"]

    treatment = {
        "key": "treatment", "value": "B", "is_qa_tester": True, "variant_source": "network",
        "fallback_reason": None,
    }  # fmt: skip
    assert calls["get_variant"] == treatment
    assert calls["get_variant_again"] == treatment
    assert calls["get_variant_value"] == "B"
    assert calls["get_feature_data"] == "B"  # the deprecated name of get_variant_value
    assert calls["get_variant_sync"]["key"] == assigned.get("beta", "fallback")
    splits = expected["splits"].variant_value if "splits" in assigned else "x"
    assert calls["get_variant_value_sync"] == splits
    assert calls["is_enabled"] is False  # override: always "Off" (False)
    assert calls["is_enabled_sync"] is True  # pro_only is not assigned: the fallback
    assert calls["is_enabled_not_boolean"] is True  # "B" is no boolean: the fallback
    for name in ("switched_off", "unknown"):
        assert calls[name]["key"] == "fallback"
        assert calls[name]["variant_source"] == "fallback"
        assert calls[name]["fallback_reason"] == "FLAG_NOT_FOUND"
    assert calls["all"] == assigned
    assert calls["ready"] is True

    # One exposure per flag the page found (repeated checks report once), none for fallbacks.
    checked = {"checkout", "override"} | ({"beta", "splits"} & set(assigned))
    await settle(lambda: exposures_stored(flags_emu) >= len(checked))
    events = (await sdk_flags.export_events(*recent_days(), partition="none")).to_dicts()
    started = [e for e in events if e["event"] == "$experiment_started"]
    assert {e["distinct_id"] for e in started} == {EXPOSED}
    exposures = [e["properties"] for e in started]
    seen = sorted((p["Experiment name"], p["Variant name"]) for p in exposures)
    assert seen == sorted((key, assigned[key]) for key in checked)
    for props in exposures:
        assert props["mp_lib"] == "web"
        assert props["$experiment_type"] == "feature_flag"
        assert props["$variant_source"] == "network"
        assert props["Variant fetch latency (ms)"] >= 0
    (checkout,) = (p for p in exposures if p["Experiment name"] == "checkout")
    assert checkout["$is_qa_tester"] is True
    assert [e["distinct_id"] for e in events if e["event"] == "$identify"] == [EXPOSED]


async def test_plain_http_and_an_unknown_token() -> None:
    """The browser's flags code takes `api_host` as given: over plain http it works the same,
    and an unknown token (a 401, CORS headers included) leaves the fallbacks in place."""
    chromium()
    with Emulator(
        port=0, projects=[f"{PROJECT}:{TOKEN}:{SECRET}"], service_accounts={USER: PASSWORD},
        strict_auth=True,
    ) as emu:  # fmt: skip
        async with flagged(emu):
            people = [{"distinct_id": "qa-2"}]
            job = {"contexts": people, "exposed": "qa-1"}
            good = await run_page(emu.url, TOKEN, "flags", job=job)
            job = {"contexts": [], "exposed": "x"}
            bad = await run_page(emu.url, "no-such-token", "flags", job=job)
    assert good["errors"] == []
    assert good["values"]["rows"][0]["checkout"]["key"] == "control"
    assert good["values"]["calls"]["get_variant"]["key"] == "treatment"
    assert "load_error" not in good["values"]
    assert bad["errors"] == []
    # The 401 reached the page (a CORS failure would be "Failed to fetch"): it has no flags.
    assert "No flags in API response" in bad["values"]["load_error"]
    calls = bad["values"]["calls"]
    assert calls["get_variant"]["key"] == "fallback"
    assert calls["get_variant"]["fallback_reason"] == "BACKEND_ERROR"
    assert calls["get_variant_sync"]["fallback_reason"] == "NOT_READY"
    assert calls["is_enabled"] is True  # the fallback given
    assert calls["all"] == {}
    assert calls["ready"] is False
