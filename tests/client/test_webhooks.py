"""Project webhooks through AsyncWorkspace against the emulator."""

from __future__ import annotations

import uuid

from mixpanel_async import (
    AsyncWorkspace,
    CreateWebhookParams,
    UpdateWebhookParams,
    WebhookMutationResult,
    WebhookTestParams,
)
from mixpanel_async.emulator import Emulator
from tests.helpers import refused, sends_nothing


async def test_lifecycle(mixpanel_workspace: AsyncWorkspace, mixpanel_emulator: Emulator) -> None:
    ws = mixpanel_workspace
    made = await ws.create_webhook(
        CreateWebhookParams(
            name="Pipeline",
            url="https://example.com/hook",
            auth_type="basic",
            username="u",
            password="secret",
        )
    )
    assert isinstance(made, WebhookMutationResult)
    assert made.name == "Pipeline"
    assert str(uuid.UUID(made.id)) == made.id
    other = await ws.create_webhook({"name": "Other", "url": "http://example.org/x"})

    hooks = await ws.list_webhooks()
    assert [(h.id, h.name, h.is_enabled, h.auth_type) for h in hooks] == [
        (made.id, "Pipeline", True, "basic"),
        (other.id, "Other", True, None),
    ]
    # Create and update answer `{id, name}` only; a password is never kept nor sent back.
    raw = await ws.api.raw("GET", "/projects/1/webhooks/")
    assert all("password" not in h for h in raw["results"])
    answer = await ws.api.raw(
        "PATCH", f"/projects/1/webhooks/{made.id}/", json={"is_enabled": False}
    )
    assert answer["results"] == {"id": made.id, "name": "Pipeline"}

    renamed = await ws.update_webhook(made.id, UpdateWebhookParams(name="Renamed", password="p2"))
    assert (renamed.id, renamed.name) == (made.id, "Renamed")
    first = (await ws.list_webhooks())[0]
    assert (first.name, first.is_enabled) == ("Renamed", False)

    await ws.delete_webhook(other.id)
    assert [h.id for h in await ws.list_webhooks()] == [made.id]
    await refused(ws.delete_webhook(other.id), 404)


async def test_test_webhook_never_connects(mixpanel_workspace: AsyncWorkspace) -> None:
    # Port 9 on a reserved TEST-NET address: a real connection attempt would fail or hang.
    result = await mixpanel_workspace.test_webhook(WebhookTestParams(url="http://192.0.2.1:9/x"))
    assert (result.success, result.status_code) == (True, 200)
    assert result.message
    await refused(mixpanel_workspace.test_webhook({"url": "ftp://example.com/x"}), 400, match="url")


test_bad_input_fails_before_any_request = sends_nothing(
    (lambda ws: ws.update_webhook("", {"name": "x"}), "webhook_id"),
    (lambda ws: ws.delete_webhook(7), "webhook_id"),
    (lambda ws: ws.create_webhook({"name": "x"}), "url"),
    (
        lambda ws: ws.create_webhook({"name": "x", "url": "u", "auth_type": "oauth"}),
        "auth_type",
    ),
    (lambda ws: ws.update_webhook("abc", {"is_enabled": "yes"}), "is_enabled"),
    (lambda ws: ws.test_webhook({}), "url"),
)


async def test_emulator_rejects_bad_bodies(mixpanel_workspace: AsyncWorkspace) -> None:
    raw = mixpanel_workspace.api.raw
    await refused(raw("POST", "/projects/1/webhooks/", json={"name": "no url"}), 400, match="url")
    await refused(
        raw("POST", "/projects/1/webhooks/", json={"name": "x", "url": "u", "auth_type": "x"}),
        match="auth_type",
    )
    await refused(raw("PATCH", f"/projects/1/webhooks/{uuid.uuid4()}/", json={"name": "x"}), 404)
