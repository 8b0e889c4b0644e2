"""Mixpanel's published shapes for annotations, experiments and feature flags: what the emulator
sends, and the client reading both the published shape and the one other sources report.

The published spec answers the annotation tags bare, most App API answers are wrapped in
`{status, results}`, and the peer library unwraps `results` only when it is there: the client
must read either. A small loopback server plays a Mixpanel that sends the other shape.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from aiohttp import web

from mixpanel_async import AsyncWorkspace, QueryError
from mixpanel_async.emulator import Emulator
from tests.helpers import FAST, serving

TAGS = "/api/app/projects/1/annotations/tags/"


async def _json(http: aiohttp.ClientSession, method: str, url: str, **kw: Any) -> Any:
    async with http.request(method, url, **kw) as response:
        return response.status, await response.json()


async def test_the_emulator_answers_the_tags_bare_and_the_deleted_annotation_id(
    mixpanel_emulator: Emulator,
) -> None:
    async with aiohttp.ClientSession() as http:
        status, tag = await _json(http, "POST", mixpanel_emulator.url + TAGS, json={"name": "ops"})
        assert status == 200
        assert tag["name"] == "ops"
        assert "results" not in tag
        status, tags = await _json(http, "GET", mixpanel_emulator.url + TAGS)
        assert tags == [{**tag, "has_annotations": False}]
        note = {"date": "2026-01-02", "description": "deploy"}
        base = mixpanel_emulator.url + "/api/app/projects/1/annotations/"
        _, created = await _json(http, "POST", base, json=note)
        annotation_id = created["results"]["id"]
        status, gone = await _json(http, "DELETE", f"{base}{annotation_id}/")
        assert (status, gone) == (200, {"status": "ok", "results": {"id": annotation_id}})
        status, again = await _json(http, "DELETE", f"{base}{annotation_id}/")
        assert status == 404
        assert again["status"] == "error"


async def test_the_client_reads_the_tags_either_way(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    tag = await ws.create_annotation_tag({"name": "releases"})
    assert [(t.id, t.name, t.has_annotations) for t in await ws.list_annotation_tags()] == [
        (tag.id, "releases", False)
    ]
    note = await ws.create_annotation({"date": "2026-01-01", "description": "x"})
    await ws.delete_annotation(note.id)  # the `results.id` answer reads as None

    wrapped = {"id": 7, "name": "wrapped", "project_id": 1}
    annotation = {"id": 5, "project_id": 1, "date": "2026-01-01 00:00:00", "description": "bare"}

    async def tags(request: web.Request) -> web.Response:
        results = wrapped if request.method == "POST" else [wrapped]
        return web.json_response({"status": "ok", "results": results})

    async def one(request: web.Request) -> web.Response:
        return web.json_response(annotation)  # an enveloped operation answered bare

    app = web.Application()
    app.router.add_route("*", TAGS, tags)
    app.router.add_get("/api/app/projects/1/annotations/5/", one)
    async with (
        serving(app) as url,
        AsyncWorkspace(base_url=url, project="1", retry=FAST) as other,
    ):
        assert [t.name for t in await other.list_annotation_tags()] == ["wrapped"]
        assert (await other.create_annotation_tag({"name": "wrapped"})).id == 7
        assert (await other.get_annotation(5)).description == "bare"


async def test_experiments_carry_the_published_fields_and_typed_errors(
    mixpanel_workspace: AsyncWorkspace, mixpanel_emulator: Emulator
) -> None:
    ws = mixpanel_workspace
    made = await ws.create_experiment({"name": "Checkout", "global_access_type": "edit"})
    # Both the published names and the ones the peer reads.
    assert made.creator_id is not None
    assert made.creator_name
    assert made.modified
    assert made.creator is not None
    assert (made.can_view, made.can_update_basic, made.can_share) == (True, True, True)
    assert made.deleted is None
    async with aiohttp.ClientSession() as http:
        url = f"{mixpanel_emulator.url}/api/app/projects/1/experiments/{made.id}/force_conclude"
        status, body = await _json(http, "PUT", url, json={})  # a draft cannot be concluded
        assert status == 400
        assert set(body) == {"status", "type", "error"}
        assert (body["status"], body["type"]) == ("error", "validation_error")
        url = f"{mixpanel_emulator.url}/api/app/projects/1/experiments/nope"
        status, body = await _json(http, "GET", url)
        assert (status, body["type"]) == (404, "not_found")


async def test_flags_carry_the_published_content_type_and_typed_errors(
    mixpanel_workspace: AsyncWorkspace, mixpanel_emulator: Emulator
) -> None:
    ws = mixpanel_workspace
    flag = await ws.create_feature_flag({"name": "Beta", "key": "beta"})
    assert flag.content_type == "feature-flags"
    assert (flag.can_view, flag.can_pin, flag.is_superadmin) == (True, True, False)
    with pytest.raises(QueryError) as refusal:
        await ws.create_feature_flag({"name": "Beta again", "key": "beta"})
    assert refusal.value.status_code == 400
    async with aiohttp.ClientSession() as http:
        base = f"{mixpanel_emulator.url}/api/app/projects/1/workspaces/{flag.workspace_id}"
        status, body = await _json(http, "GET", f"{base}/feature-flags/nope/")
        assert status == 404
        assert (body["status"], body["type"]) == ("error", "not_found")
        # Flag evaluation's published error body: {status, error}.
        status, body = await _json(http, "GET", f"{mixpanel_emulator.url}/flags/definitions")
        assert status == 400
        assert set(body) == {"status", "error"}
        assert body["status"] == "error"


@pytest.mark.parametrize(
    ("ruleset", "problem"),
    [
        ([], "ruleset"),
        ({"variants": [{"key": f"v{i}", "split": 0.0} for i in range(12)]}, "at most 11"),
        ({"variants": [{"split": 1.0}]}, r"variants\[0\]\.key"),
        ({"variants": [{"key": "On", "split": 1.5}]}, r"variants\[0\]\.split"),
        ({"rollout": [{"variant_splits": {}}]}, r"rollout\[0\]\.rollout_percentage"),
        ({"rollout": [{"rollout_percentage": 2}]}, r"rollout\[0\]\.rollout_percentage"),
        ({"rollout": [{"rollout_percentage": 1, "variant_splits": {"On": "half"}}]}, "splits"),
        (
            {
                "variants": [{"key": "On"}],
                "rollout": [{"rollout_percentage": 1, "variant_override": {"key": "Off"}}],
            },
            "variant_override",
        ),
        ({"test": ["alice"]}, r"ruleset\.test"),
    ],
)
async def test_the_emulator_checks_rulesets_by_the_published_rules(
    mixpanel_workspace: AsyncWorkspace, ruleset: Any, problem: str
) -> None:
    raw = mixpanel_workspace.api.raw
    body = {"name": "F", "key": "f", "ruleset": ruleset}
    with pytest.raises(QueryError, match=problem) as refusal:
        await raw("POST", "/projects/1/workspaces/1/feature-flags/", json=body)
    assert refusal.value.status_code == 400
    assert await mixpanel_workspace.list_feature_flags() == []  # nothing stored


async def test_a_flag_keeps_its_salt_unless_reset(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    given = "0123456789abcdef0123456789abcdef"
    flag = await ws.create_feature_flag({"name": "F", "key": "f", "hash_salt": given})
    assert flag.hash_salt == given
    body = {"name": "F", "key": "f", "status": "enabled", "ruleset": {"variants": []}}
    assert (await ws.update_feature_flag(flag.id, body)).hash_salt == given
    reset = await ws.update_feature_flag(flag.id, {**body, "reset_hash_salt": True})
    assert reset.hash_salt not in (None, given)
    assert reset.reset_hash_salt is None  # an instruction, not stored
