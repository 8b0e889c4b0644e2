"""Experiments through AsyncWorkspace against the emulator: the lifecycle, copies, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import (
    AsyncWorkspace,
    CreateExperimentParams,
    DuplicateExperimentParams,
    ExperimentConcludeParams,
    ExperimentDecideParams,
    ExperimentStatus,
    QueryError,
)
from mixpanel_async._generated.operations import experiments as ops
from mixpanel_async.emulator import Emulator
from tests.helpers import FAST, deleted, refused, sends_nothing


async def test_lifecycle(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    exp = await ws.create_experiment(
        CreateExperimentParams(name="Checkout", hypothesis="Fewer steps convert better")
    )
    assert (exp.status, exp.start_date, exp.hypothesis) == (
        "draft",
        None,
        "Fewer steps convert better",
    )
    assert exp.creator is not None
    assert exp.creator.id == 1
    other = await ws.create_experiment({"name": "Pricing"})
    assert [e.name for e in await ws.list_experiments()] == ["Checkout", "Pricing"]
    assert await ws.get_experiment(exp.id) == exp

    variants = [{"key": "control", "split": 0.5}, {"key": "simple", "split": 0.5}]
    edited = await ws.update_experiment(exp.id, {"variants": variants, "tags": ["checkout"]})
    assert (edited.variants, edited.tags, edited.name) == (variants, ["checkout"], "Checkout")

    launched = await ws.launch_experiment(exp.id)
    assert launched.status == ExperimentStatus.ACTIVE
    assert launched.start_date is not None
    concluded = await ws.conclude_experiment(
        exp.id, params=ExperimentConcludeParams(end_date="2024-03-01")
    )
    assert (concluded.status, concluded.end_date) == ("concluded", "2024-03-01")
    decided = await ws.decide_experiment(
        exp.id, ExperimentDecideParams(success=True, variant="simple", message="ship it")
    )
    assert decided.status == "success"

    await ws.launch_experiment(other.id)
    assert (await ws.conclude_experiment(other.id)).end_date is not None  # default: now
    assert (await ws.decide_experiment(other.id, {"success": False})).status == "fail"

    erf = await ws.list_erf_experiments()
    assert [(e["name"], e["status"]) for e in erf] == [("Checkout", "success"), ("Pricing", "fail")]

    await ws.archive_experiment(other.id)
    assert [e.name for e in await ws.list_experiments()] == ["Checkout"]
    assert len(await ws.list_experiments(include_archived=True)) == 2
    assert (await ws.restore_experiment(other.id)).name == "Pricing"
    assert len(await ws.list_experiments()) == 2

    copy = await ws.duplicate_experiment(exp.id, DuplicateExperimentParams(name="Checkout v2"))
    assert copy.id != exp.id
    assert (copy.name, copy.status, copy.start_date, copy.end_date) == (
        "Checkout v2",
        "draft",
        None,
        None,
    )
    assert copy.variants == variants
    assert (await ws.launch_experiment(copy.id)).status == "active"

    await deleted(ws.delete_experiment, ws.get_experiment, copy.id)


@pytest.mark.parametrize(
    ("steps", "verb"),
    [
        (["conclude"], "conclude"),
        (["decide"], "decide"),
        (["launch", "launch"], "launch"),
        (["launch", "decide"], "decide"),
        (["launch", "conclude", "conclude"], "conclude"),
        (["launch", "conclude", "decide", "launch"], "launch"),
    ],
)
async def test_illegal_transitions_are_400(
    mixpanel_workspace: AsyncWorkspace, steps: list[str], verb: str
) -> None:
    ws = mixpanel_workspace
    exp = await ws.create_experiment({"name": "E"})
    moves: dict[str, Any] = {
        "launch": lambda: ws.launch_experiment(exp.id),
        "conclude": lambda: ws.conclude_experiment(exp.id),
        "decide": lambda: ws.decide_experiment(exp.id, {"success": True}),
    }
    for step in steps[:-1]:
        await moves[step]()
    before = (await ws.get_experiment(exp.id)).status
    with pytest.raises(QueryError, match=f"cannot {verb}") as info:
        await moves[steps[-1]]()
    assert info.value.status_code == 400
    body = info.value.response_body
    assert isinstance(body, dict)
    assert body["status"] == "error"
    assert (await ws.get_experiment(exp.id)).status == before  # nothing changed


async def test_status_patches_follow_the_lifecycle(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    exp = await ws.create_experiment({"name": "E"})
    await refused(ws.update_experiment(exp.id, {"status": "success"}), 400, match="draft")
    assert (await ws.update_experiment(exp.id, {"status": "draft"})).status == "draft"
    assert (await ws.update_experiment(exp.id, {"status": "active"})).status == "active"


async def test_pinned_workspace_uses_workspace_paths(mixpanel_emulator: Emulator) -> None:
    async with AsyncWorkspace(base_url=mixpanel_emulator.url, workspace=1, retry=FAST) as ws:
        assert ws.api.prepare(ops.list_erf_experiments()).url.endswith(
            "/api/app/workspaces/1/experiments/erf/"
        )
        exp = await ws.create_experiment({"name": "In a workspace"})
        assert (await ws.launch_experiment(exp.id)).status == "active"
        assert [e.id for e in await ws.list_experiments()] == [exp.id]


test_bad_input_fails_before_any_request = sends_nothing(
    (lambda ws: ws.get_experiment(""), "experiment_id"),
    (lambda ws: ws.launch_experiment(None), "experiment_id"),
    (lambda ws: ws.create_experiment({}), "name"),
    (lambda ws: ws.create_experiment({"name": "  "}), "name"),
    (lambda ws: ws.create_experiment("Checkout"), "CreateExperimentParams"),
    (lambda ws: ws.update_experiment("e", {"status": "running"}), "status"),
    (lambda ws: ws.update_experiment("e", {"tags": "a,b"}), "tags"),
    (lambda ws: ws.conclude_experiment("e", params={"end_date": 5}), "end_date"),
    (lambda ws: ws.decide_experiment("e", {}), "success"),
    (lambda ws: ws.decide_experiment("e", {"success": "yes"}), "success"),
    (lambda ws: ws.duplicate_experiment("e", {"name": ""}), "name"),
)


async def test_emulator_rejects_bad_bodies(mixpanel_workspace: AsyncWorkspace) -> None:
    raw = mixpanel_workspace.api.raw
    await refused(
        raw("POST", "/projects/1/experiments/", json={"description": "no name"}), match="name"
    )
    exp = (await raw("POST", "/projects/1/experiments/", json={"name": "E"}))["results"]
    path = f"/projects/1/experiments/{exp['id']}"
    await refused(raw("PATCH", path, json={"status": "bogus"}), match="status")
    await raw("PUT", f"{path}/launch")
    await raw("PUT", f"{path}/force_conclude", json={})
    await refused(raw("PATCH", f"{path}/decide", json={"variant": "b"}), match="success")
    await refused(raw("POST", f"{path}/duplicate", json={}), match="name")
    await refused(raw("PUT", "/projects/1/experiments/no-such-experiment/launch"), 404)
