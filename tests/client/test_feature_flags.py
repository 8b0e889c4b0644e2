"""Feature flags through AsyncWorkspace against the emulator: lifecycle, scoping, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import (
    AsyncWorkspace,
    CreateFeatureFlagParams,
    FeatureFlagStatus,
    QueryError,
    ServingMethod,
    UpdateFeatureFlagParams,
)
from mixpanel_async._generated.operations import feature_flags as ops
from mixpanel_async.api.feature_flags import default_ruleset
from mixpanel_async.emulator import Emulator
from tests.helpers import FAST, deleted, refused, sends_nothing

FLAGS = "/projects/1/workspaces/1/feature-flags/"


def replacement(**fields: Any) -> dict[str, Any]:
    return {"name": "Dark mode", "key": "dark_mode", "status": "enabled", "ruleset": {}, **fields}


async def test_lifecycle(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    flag = await ws.create_feature_flag(CreateFeatureFlagParams(name="Dark mode", key="dark_mode"))
    assert (flag.project_id, flag.workspace_id, flag.status) == (1, 1, "disabled")
    assert flag.ruleset == default_ruleset()
    assert (flag.context, flag.serving_method, flag.tags) == ("distinct_id", "client", [])
    other = await ws.create_feature_flag(
        {"name": "Beta", "key": "beta", "serving_method": ServingMethod.SERVER, "tags": ["x"]}
    )
    assert (other.serving_method, other.tags) == ("server", ["x"])
    assert [f.key for f in await ws.list_feature_flags()] == ["dark_mode", "beta"]
    assert (await ws.get_feature_flag(flag.id)) == flag

    on = await ws.update_feature_flag(
        flag.id,
        UpdateFeatureFlagParams(
            name="Dark mode",
            key="dark_mode",
            status=FeatureFlagStatus.ENABLED,
            ruleset={"variants": [], "rollout": [{"rollout_percentage": 0.5}]},
            description="now on",
        ),
    )
    assert (on.status, on.description, on.project_id) == ("enabled", "now on", 1)
    assert on.enabled_at is not None
    replaced = await ws.update_feature_flag(flag.id, replacement(status="disabled"))
    assert replaced.description is None  # PUT: what is not sent is gone
    assert replaced.ruleset == {}
    assert replaced.created == flag.created

    await ws.archive_feature_flag(flag.id)
    assert [f.key for f in await ws.list_feature_flags()] == ["beta"]
    archived = await ws.list_feature_flags(include_archived=True)
    assert {f.key: f.status for f in archived} == {"dark_mode": "archived", "beta": "disabled"}
    restored = await ws.restore_feature_flag(flag.id)
    assert restored.status == "disabled"
    assert len(await ws.list_feature_flags()) == 2

    copy = await ws.duplicate_feature_flag(flag.id)
    assert (copy.key, copy.name, copy.status) == ("dark_mode_copy", "Copy of Dark mode", "disabled")
    assert copy.id != flag.id
    assert (await ws.duplicate_feature_flag(flag.id)).key == "dark_mode_copy_2"

    await ws.set_flag_test_users(flag.id, {"users": {"On": "alice", "Off": "bob"}})
    ruleset = (await ws.get_feature_flag(flag.id)).ruleset
    assert ruleset is not None
    # Sent as variant → user, stored as the SDKs read it: distinct id → variant key.
    assert ruleset["test"] == {"users": {"alice": "On", "bob": "Off"}}

    await deleted(ws.delete_feature_flag, ws.get_feature_flag, copy.id)


async def test_history_pages_by_number(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    flag = await ws.create_feature_flag({"name": "H", "key": "h"})
    for status in ("enabled", "disabled", "enabled"):
        await ws.update_feature_flag(flag.id, replacement(key="h", status=status))
    first = await ws.get_flag_history(flag.id, page_size=3)
    assert first.count == 4
    assert [e[2] for e in first.events] == ["replace", "replace", "replace"]  # newest first
    assert first.events[0][4]["status"] == "enabled"
    second = await ws.get_flag_history(flag.id, page="2", page_size=3)
    assert [e[2] for e in second.events] == ["create"]
    assert (await ws.get_flag_history(flag.id)).count == 4


async def test_limits_count_unarchived_flags(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    a = await ws.create_feature_flag({"name": "A", "key": "a"})
    await ws.create_feature_flag({"name": "B", "key": "b"})
    await ws.archive_feature_flag(a.id)
    limits = await ws.get_flag_limits()
    assert (limits.current_usage, limits.is_trial, limits.contract_status) == (1, False, "active")
    assert limits.limit >= limits.current_usage


async def test_duplicate_key_is_rejected(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    await ws.create_feature_flag({"name": "A", "key": "same"})
    other = await ws.create_feature_flag({"name": "B", "key": "other"})
    await refused(ws.create_feature_flag({"name": "C", "key": "same"}), 400, match="same")
    await refused(ws.update_feature_flag(other.id, replacement(key="same")), match="same")
    await ws.update_feature_flag(other.id, replacement(key="other"))  # its own key is fine


async def test_workspace_is_resolved_or_pinned(mixpanel_emulator: Emulator) -> None:
    url = mixpanel_emulator.url
    async with AsyncWorkspace(
        base_url=url, project="1", username="u", secret="s", retry=FAST
    ) as ws:
        flag = await ws.create_feature_flag({"name": "A", "key": "a"})  # resolves workspace 1
        assert flag.workspace_id == 1
    for op in ("list_public_workspaces", "get_me"):  # a pinned workspace needs no lookup
        mixpanel_emulator.add_fault(operation=op, status=500, count=100)
    async with AsyncWorkspace(base_url=url, project="1", workspace=1, retry=FAST) as pinned:
        assert [f.key for f in await pinned.list_feature_flags()] == ["a"]
        assert (await pinned.get_flag_limits()).current_usage == 1
        prepared = pinned.api.prepare(ops.get_flag_limits())
        assert prepared.url.endswith("/api/app/projects/1/feature-flags/limits/")


test_bad_input_fails_before_any_request = sends_nothing(
    (lambda ws: ws.get_feature_flag(""), "flag_id"),
    (lambda ws: ws.get_feature_flag(7), "flag_id"),
    (lambda ws: ws.create_feature_flag({"key": "k"}), "name"),
    (lambda ws: ws.create_feature_flag({"name": "n"}), "key"),
    (lambda ws: ws.create_feature_flag({"name": "n", "key": " "}), "key"),
    (lambda ws: ws.create_feature_flag({"name": "n", "key": "k", "status": "on"}), "status"),
    (lambda ws: ws.create_feature_flag("dark_mode"), "CreateFeatureFlagParams"),
    (lambda ws: ws.update_feature_flag("f", {"name": "n", "key": "k"}), "status"),
    (lambda ws: ws.update_feature_flag("f", replacement(ruleset=None)), "ruleset"),
    (lambda ws: ws.set_flag_test_users("f", {"users": {"On": 1}}), "users"),
    (lambda ws: ws.get_flag_history("f", page_size=0), "page_size"),
    (lambda ws: ws.get_flag_history("f", page=2), "page"),
)


async def test_emulator_rejects_bad_bodies(mixpanel_workspace: AsyncWorkspace) -> None:
    raw = mixpanel_workspace.api.raw
    await refused(raw("POST", FLAGS, json={"name": "no key"}), match="key")
    await refused(
        raw("POST", FLAGS, json={"name": "n", "key": "k", "status": "bogus"}), match="status"
    )
    created = await raw("POST", FLAGS, json={"name": "n", "key": "k"})
    assert created["status"] == "ok"
    flag = created["results"]
    assert flag["ruleset"]["variants"]  # the default toggle without a ruleset
    with pytest.raises(QueryError, match="ruleset") as info:
        await raw(
            "PUT", f"{FLAGS}{flag['id']}/", json={"name": "n", "key": "k", "status": "enabled"}
        )
    assert info.value.status_code == 400
    await refused(raw("GET", f"{FLAGS}no-such-flag/"), 404)
    await refused(raw("GET", f"{FLAGS}{flag['id']}/history/", params={"page": "x"}), 400)
    await refused(
        raw("PUT", f"{FLAGS}{flag['id']}/test-users/", json={"users": ["alice"]}), match="users"
    )
