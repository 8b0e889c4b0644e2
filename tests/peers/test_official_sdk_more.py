"""The official Python SDK's (`mixpanel` 5.4) public methods the other peer modules leave out:
`people_clear_charges`, `people_update`, `group_update`, and the flag providers' remaining
methods (readiness, all variants, values, `is_enabled`, manual exposures, the async forms,
polling start/stop and `shutdown`), each checked through engage or export.

Expected state is written here from what the calls send; variants come from test users and a
variant override (known without hashing), and the two providers must agree with each other.
"""

from __future__ import annotations

import asyncio
from typing import Any

import mixpanel
import pytest
from mixpanel.flags import types as flag_types

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from tests.peers.flag_cases import python_sdk
from tests.peers.sdks import recent_days

TOKEN = "more-token"
QA = {"distinct_id": "qa-1"}  # checkout's test user: always "treatment"


def test_clear_charges_and_generic_updates() -> None:
    with Emulator(port=0) as emu:
        consumer = mixpanel.Consumer(
            events_url=emu.url + "/track",
            people_url=emu.url + "/engage",
            groups_url=emu.url + "/groups",
            retry_limit=0,
        )
        mp = mixpanel.Mixpanel(TOKEN, consumer=consumer)
        mp.people_track_charge("buyer", 12.5, {"sku": "a"})
        mp.people_set("buyer", {"plan": "pro"})
        mp.people_clear_charges("buyer")
        mp.people_update({"$distinct_id": "raw", "$set": {"tier": 2}, "$add": {"n": 3}})
        mp.people_update({"$distinct_id": "raw", "$add": {"n": 4}})
        mp.group_update({"$group_key": "company", "$group_id": "acme", "$set": {"size": 5, "x": 1}})
        mp.group_update({"$group_key": "company", "$group_id": "acme", "$unset": ["x"]})
        consumer._session.close()  # the SDK's consumer never closes its requests session

        async def read() -> tuple[dict[str, Any], dict[str, Any]]:
            async with AsyncWorkspace(
                base_url=emu.url, project="1", username="u", secret="s"
            ) as ws:
                people = {
                    p["$distinct_id"]: p["$properties"] async for p in ws.stream_profiles(raw=True)
                }
                groups = [g async for g in ws.stream_profiles(group_id="company", raw=True)]
            return people, {g["$distinct_id"]: g["$properties"] for g in groups}

        people, groups = asyncio.run(read())
    assert people["buyer"]["plan"] == "pro"
    assert "$transactions" not in people["buyer"]  # people_clear_charges unsets them
    assert (people["raw"]["tier"], people["raw"]["n"]) == (2, 7)
    assert groups == {"acme": {"size": 5}}


async def test_flag_provider_methods(
    sdk_flags: AsyncWorkspace, flags_emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    fallback = flag_types.SelectedVariant(variant_value="fallback")
    async with python_sdk(flags_emu, monkeypatch) as mp:
        local, remote = mp.local_flags, mp.remote_flags
        assert local.are_flags_ready() is False
        await local.astart_polling_for_definitions()
        assert local.are_flags_ready() is True
        await local.astop_polling_for_definitions()
        local.start_polling_for_definitions()
        local.stop_polling_for_definitions()

        every_local = local.get_all_variants(QA)  # reports nothing
        assert every_local["checkout"].variant_key == "treatment"
        assert every_local["override"].variant_key == "Off"
        assert "switched_off" not in every_local
        assert local.get_variant_value("checkout", "x", QA) == "B"
        assert local.is_enabled("override", QA) is False
        local.track_exposure_event("checkout", every_local["checkout"], QA)

        every_remote = remote.get_all_variants(QA) or {}
        assert {k: v.variant_key for k, v in every_remote.items()} == {
            k: v.variant_key for k, v in every_local.items()
        }
        assert remote.get_variant_value("checkout", "x", QA) == "B"
        assert remote.is_enabled("override", QA) is False
        remote.track_exposure_event("override", every_remote["override"], QA)

        got = await remote.aget_variant("checkout", fallback, QA)
        assert (got.variant_key, got.is_qa_tester) == ("treatment", True)
        assert await remote.aget_variant_value("override", "x", QA) is False
        assert await remote.ais_enabled("switched_off", QA) is False
        every_async = await remote.aget_all_variants(QA) or {}
        assert set(every_async) == set(every_local)
        await remote.atrack_exposure_event("checkout", every_async["checkout"], QA)
        # shutdown() closes the async client itself, which it may not do inside a running loop.
        await asyncio.to_thread(local.shutdown)
        await asyncio.to_thread(remote.shutdown)

    events = (await sdk_flags.export_events(*recent_days(), partition="none")).to_dicts()
    assert {e["event"] for e in events} == {"$experiment_started"}
    assert {e["distinct_id"] for e in events} == {"qa-1"}
    seen = sorted(
        (p["Experiment name"], p["Variant name"], p["Flag evaluation mode"])
        for p in (e["properties"] for e in events)
    )
    assert seen == sorted(
        [
            ("checkout", "treatment", "local"),  # get_variant_value
            ("override", "Off", "local"),  # is_enabled
            ("checkout", "treatment", "local"),  # track_exposure_event
            ("checkout", "treatment", "remote"),  # get_variant_value
            ("override", "Off", "remote"),  # is_enabled
            ("override", "Off", "remote"),  # track_exposure_event
            ("checkout", "treatment", "remote"),  # aget_variant
            ("override", "Off", "remote"),  # aget_variant_value
            ("checkout", "treatment", "remote"),  # atrack_exposure_event
        ]
    )
