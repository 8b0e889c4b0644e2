"""The official Node SDK's (npm `mixpanel`) public methods the other Node peer tests leave out:
`set_config`, the low-level `send_request` and `send_event_request`, and the flag providers'
`areFlagsReady`, `callFlagsEndpoint`, `trackExposureEvent` and `shutdown` (`more` in
`tests/peers/node/sdk.js`), checked through export and engage."""

from __future__ import annotations

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from tests.peers.sdks import install_node_sdk, recent_days, run_node


async def test_remaining_node_methods(sdk_flags: AsyncWorkspace, flags_emu: Emulator) -> None:
    args = {"auth": "secret", "exposed": "qa-1", "key": "checkout"}
    answers = run_node(install_node_sdk(), flags_emu, "more", **args)
    events = (await sdk_flags.export_events(*recent_days(), partition="none")).to_dicts()
    people = {
        p["$distinct_id"]: p["$properties"] async for p in sdk_flags.stream_profiles(raw=True)
    }

    assert (answers["set_config"], answers["send_request"], answers["send_event_request"]) == (
        None,
        None,
        None,
    )
    assert answers["local_variant"] == "treatment"  # definitions were in once areFlagsReady settled
    assert answers["endpoint_variant"] == "treatment"  # qa-1 is checkout's test user
    assert "checkout" in answers["endpoint_keys"]
    assert "switched_off" not in answers["endpoint_keys"]

    by_name = {e["event"]: e for e in events if e["event"] != "$experiment_started"}
    assert by_name["Node After Set Config"]["distinct_id"] == "n7"
    sent = by_name["Node Send Event"]
    assert (sent["distinct_id"], sent["insert_id"]) == ("n8", "nse-1")
    assert sent["properties"]["mp_lib"] == "node"
    assert people["raw-node"]["via"] == "send_request"

    exposures = [e["properties"] for e in events if e["event"] == "$experiment_started"]
    seen = sorted(
        (p["Experiment name"], p["Variant name"], p["Flag evaluation mode"]) for p in exposures
    )
    assert seen == [("checkout", "treatment", "local"), ("checkout", "treatment", "remote")]
    (remote,) = (p for p in exposures if p["Flag evaluation mode"] == "remote")
    assert remote["Variant fetch latency (ms)"] == 5
    assert {e["distinct_id"] for e in events if e["event"] == "$experiment_started"} == {"qa-1"}
