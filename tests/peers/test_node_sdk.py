"""The official Node SDK (npm `mixpanel`) against the emulator over HTTPS: every public ingestion
method, in each of its authentication modes, read back through export and engage."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mixpanel_async.emulator import Emulator
from tests.peers.sdks import install_node_sdk, recent_days, run_node, tls_emulator, workspace

AUTH_MODES = ["service_account", "secret", "key"]


@pytest.fixture(scope="module")
def driver() -> Path:
    return install_node_sdk()


@pytest.fixture(scope="module")
def strict_emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    with tls_emulator(tmp_path_factory.mktemp("tls")) as emu:
        yield emu


@pytest.mark.parametrize("auth", AUTH_MODES)
async def test_every_ingestion_method(driver: Path, strict_emu: Emulator, auth: str) -> None:
    strict_emu.reset()
    sent_at = int(time.time()) - 3600
    answers = run_node(driver, strict_emu, "ingest", auth=auth, time=sent_at)
    assert answers == dict.fromkeys(answers)  # every callback without an error
    assert len(answers) == 21

    async with workspace(strict_emu) as ws:
        events = await ws.export_events(*recent_days(), partition="none")
        people = await ws.export_profiles()
        groups = await ws.export_profiles(group_id="company")

    got = sorted(zip(events["event"], events["distinct_id"], strict=True))
    assert [pair for pair in got if pair[0] != "$create_alias"] == [
        ("Node Batch", "n2"),
        ("Node Batch", "n3"),
        ("Node Import", "n4"),
        ("Node Import Batch", "n5"),
        ("Node Import Batch", "n6"),
        ("Node Track", "n1"),
    ]
    by_event = {row["event"]: row for row in events.to_dicts()}
    assert by_event["Node Track"]["properties"]["plan"] == "pro"
    assert by_event["Node Track"]["properties"]["mp_lib"] == "node"
    assert by_event["Node Import"]["time"].timestamp() == sent_at
    assert by_event["Node Import"]["insert_id"] == f"ni-{auth.replace('_', '-')}"

    profiles = {row["distinct_id"]: row["properties"] for row in people.to_dicts()}
    assert set(profiles) == {"p1", "p2"}  # p3 was deleted
    p1 = profiles["p1"]
    assert (p1["plan"], p1["first_seen"], p1["logins"]) == ("pro", "2024-01-01", 2)
    assert "seats" not in p1  # unset
    assert p1["tags"] == []  # appended, then removed
    assert sorted(p1["langs"]) == ["en", "fr"]
    assert [(c["$amount"], c["sku"]) for c in p1["$transactions"]] == [(9.5, "x")]
    assert profiles["p2"]["$transactions"] == []

    companies = {row["distinct_id"]: row["properties"] for row in groups.to_dicts()}
    assert set(companies) == {"acme"}  # "gone" was deleted
    acme = companies["acme"]
    assert (acme["tier"], acme["founded"], acme["regions"]) == ("gold", 1999, [])
    assert "size" not in acme  # unset


async def test_alias_is_accepted(driver: Path, strict_emu: Emulator) -> None:
    strict_emu.reset()
    answers = run_node(driver, strict_emu, "ingest", auth="secret", time=0, only=["alias"])
    assert answers == {"alias": None}
    async with workspace(strict_emu) as ws:
        events = await ws.export_events(*recent_days(), partition="none")
    alias = [row["properties"] for row in events.to_dicts() if row["event"] == "$create_alias"]
    # Stored as sent (identity merge may later fold it into the original id).
    pairs = [(p.get("alias"), p.get("distinct_id", "n1")) for p in alias]
    assert pairs in ([], [("n1-alias", "n1")])


async def test_import_refuses_bad_credentials(driver: Path, strict_emu: Emulator) -> None:
    strict_emu.reset()
    answers = run_node(
        driver, strict_emu, "ingest", auth="secret", secret="wrong", time=int(time.time()),
        only=["import"],
    )  # fmt: skip
    assert answers["import"] is not None
    assert "Server Error" in answers["import"]
    assert strict_emu.events() == []
