"""The emulator's data-governance endpoints over plain HTTP: workspace-scoped paths, Mixpanel's
4xx shapes for bad input (never a 500, nothing changed), the store's one deleting method, and
the state surviving a snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import polars as pl
import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.entities import tables
from mixpanel_async.emulator.store import EventStore
from tests.emulator.conftest import event_row, ms

APP = "/api/app"
REGISTRY = "/projects/1/schemas"
ENFORCEMENT = "/projects/1/data-definitions/schema/"
ANOMALIES = "/projects/1/data-definitions/data-volume-anomalies/"
DELETIONS = "/projects/1/data-definitions/events/deletion-requests/"


async def call(
    http: aiohttp.ClientSession,
    emu: Emulator,
    method: str,
    path: str,
    body: Any = None,
    *,
    raw: bytes | None = None,
) -> tuple[int, Any]:
    """An App API request; the status and decoded body."""
    kwargs: dict[str, Any] = {"data": raw} if raw is not None else {"json": body}
    if raw is not None:
        kwargs["headers"] = {"Content-Type": "application/json"}
    async with http.request(method, emu.url + APP + path, **kwargs) as resp:
        return resp.status, await resp.json(content_type=None)


async def test_workspace_paths_reach_the_same_project(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    status, _ = await call(http, emu, "POST", "/workspaces/1/schemas/event/Add%20To%20Cart", {})
    assert status == 200
    status, body = await call(http, emu, "GET", REGISTRY + "/event")
    assert [e["name"] for e in body["results"]] == ["Add To Cart"]
    for path in (
        "/workspaces/1/data-definitions/events/deletion-requests/",
        "/workspaces/1/data-definitions/data-volume-anomalies/",
    ):
        status, _ = await call(http, emu, "GET", path)
        assert status == 200
    status, _ = await call(http, emu, "GET", "/workspaces/1/data-definitions/audit")
    assert status == 200


BAD = [
    ("POST", REGISTRY + "/event/X", ["not", "an", "object"], 400),
    ("POST", REGISTRY + "/cohort/X", {}, 400),
    ("POST", REGISTRY + "/event/X", {"properties": {"a": {"type": "money"}}}, 400),
    ("PATCH", REGISTRY + "/event/Nothing", {"description": "x"}, 404),
    ("POST", REGISTRY, {"entries": "all"}, 400),
    ("POST", REGISTRY, {"entries": [{"entityType": "event", "name": "X"}]}, 400),
    ("GET", "/projects/1/data-definitions/audit/", None, 400),
    ("GET", ENFORCEMENT, None, 404),
    ("PATCH", ENFORCEMENT, {"ruleEvent": "Warn and Drop"}, 400),
    ("DELETE", ENFORCEMENT, None, 404),
    ("POST", ENFORCEMENT, {"ruleEvent": "Drop it"}, 400),
    ("POST", ENFORCEMENT, {}, 400),
    ("PUT", ENFORCEMENT, {"ruleEvent": "Warn and Drop"}, 400),
    (
        "PUT",
        ENFORCEMENT,
        {
            "ruleEvent": "Warn and Drop",
            "events": [1],
            "commonProperties": [],
            "userProperties": [],
            "notificationEmails": [],
        },
        400,
    ),
    ("PATCH", ANOMALIES, {"id": 1, "status": "open", "anomalyClass": "Event"}, 400),
    ("PATCH", ANOMALIES, {"id": 1, "status": "closed", "anomalyClass": "Event"}, 400),
    ("PATCH", ANOMALIES + "bulk/", {"anomalies": [{"id": 1}], "status": "open"}, 400),
    ("POST", DELETIONS, {"eventName": "A", "fromDate": "x", "toDate": "2024-01-01"}, 400),
    ("POST", DELETIONS, {"eventName": "", "fromDate": "2024-01-01", "toDate": "2024-01-01"}, 400),
    ("DELETE", DELETIONS, {"id": 5}, 400),
    (
        "POST",
        DELETIONS + "preview-filters/",
        {"eventName": "A", "fromDate": "2024-01-01", "toDate": "2024-01-01", "filters": 3},
        400,
    ),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), BAD)
async def test_bad_input_is_a_mixpanel_4xx(
    http: aiohttp.ClientSession, emu: Emulator, method: str, path: str, body: Any, status: int
) -> None:
    got, answer = await call(http, emu, method, path, body)
    assert got == status, answer
    assert answer["status"] == "error"
    assert isinstance(answer["error"], str)
    assert answer["error"]
    assert not emu.state.default.entities.get("schema_enforcement")


@pytest.mark.parametrize("path", [REGISTRY, ENFORCEMENT, DELETIONS, ANOMALIES])
async def test_malformed_json_is_a_400(
    http: aiohttp.ClientSession, emu: Emulator, path: str
) -> None:
    method = "PATCH" if path == ANOMALIES else "POST"
    status, answer = await call(http, emu, method, path, raw=b"{nope")
    assert status == 400
    assert "JSON" in answer["error"]


def test_remove_deletes_by_mask_and_keeps_later_rows() -> None:
    store = EventStore()
    rows = [event_row(f"E{i % 3}", "u", ms("2024-01-01T00:00:00") + i * 1000) for i in range(9)]
    store.append(rows)
    frame = store.frame()
    doomed = frame["event"] == "E1"
    store.append([event_row("E1", "late", ms("2024-01-02T00:00:00"))])
    assert store.remove(doomed) == 3
    left = store.frame()
    assert left["event"].to_list() == ["E0", "E2"] * 3 + ["E1"]
    assert store.remove(pl.Series([False] * left.height)) == 0
    assert len(store.deduped()) == 7


async def test_state_survives_a_snapshot(tmp_path: Path) -> None:
    async with Emulator(port=0, data_dir=tmp_path) as first, aiohttp.ClientSession() as http:
        await call(http, first, "POST", REGISTRY + "/event/Login", {"required": ["method"]})
        await call(http, first, "POST", ENFORCEMENT, {"ruleEvent": "Warn and Drop"})
        await call(
            http,
            first,
            "POST",
            DELETIONS,
            {"eventName": "Login", "fromDate": "2024-01-01", "toDate": "2024-01-02"},
        )
    async with Emulator(port=0, data_dir=tmp_path) as second, aiohttp.ClientSession() as http:
        _, registry = await call(http, second, "GET", REGISTRY)
        _, config = await call(http, second, "GET", ENFORCEMENT)
        _, requests = await call(http, second, "GET", DELETIONS)
    assert [e["schemaJson"] for e in registry["results"]] == [{"required": ["method"]}]
    assert config["results"]["ruleEvent"] == "Warn and Drop"
    assert [r["status"] for r in requests["results"]] == ["Processing"]


async def test_rows_stored_under_other_keys_are_the_same_schema(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    table = tables(emu.state.default.entities, "lexicon_schema", "str")
    table.rows["profile/$email"] = {
        "entityType": "profile",
        "name": "$email",
        "schemaJson": {"metadata": {"com.mixpanel": {"hidden": True}}},
    }
    status, _ = await call(http, emu, "PATCH", REGISTRY + "/profile/%24email", {"description": "e"})
    assert status == 200
    status, _ = await call(http, emu, "POST", REGISTRY + "/profile/%24email", {"properties": {}})
    assert status == 200
    (row,) = table.rows.values()
    assert row["schemaJson"] == {"properties": {}, "metadata": {"com.mixpanel": {"hidden": True}}}
    _, body = await call(http, emu, "DELETE", REGISTRY + "/profile")
    assert body["results"] == {"delete_count": 1}
    assert not table.rows
