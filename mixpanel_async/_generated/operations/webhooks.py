# Generated from openapi/webhooks.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import (
    Body,
    Later,
    LazyModule,
    Operation,
    Param,
    Request,
    build,
)

# The family's models are imported on first use (`Later`), not with the operations.
if TYPE_CHECKING:
    from mixpanel_async._generated.models import webhooks as m
else:
    m = LazyModule("mixpanel_async._generated.models.webhooks")

__all__ = [
    "CREATE_WEBHOOK",
    "create_webhook",
    "DELETE_WEBHOOK",
    "delete_webhook",
    "LIST_WEBHOOKS",
    "list_webhooks",
    "TEST_WEBHOOK",
    "test_webhook",
    "UPDATE_WEBHOOK",
    "update_webhook",
    "OPERATIONS",
]

# GET /projects/{project_id}/webhooks/
LIST_WEBHOOKS = Operation(
    operation_id="list_webhooks",
    family="webhooks",
    method="GET",
    host="app",
    path="/projects/{project_id}/webhooks/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=None,
    response=Later(lambda: m.WebhookListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="List the project's webhooks",
    scope="maybe",
    entity={"kind": "webhook", "id": "uuid", "action": "list"},
)


def list_webhooks() -> Request[list[m.ProjectWebhook]]:
    """GET /projects/{project_id}/webhooks/ — List the project's webhooks."""
    return build(LIST_WEBHOOKS, {}, None)


# POST /projects/{project_id}/webhooks/
CREATE_WEBHOOK = Operation(
    operation_id="create_webhook",
    family="webhooks",
    method="POST",
    host="app",
    path="/projects/{project_id}/webhooks/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateWebhookParams)),
    response=Later(lambda: m.WebhookMutationResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create a webhook",
    scope="maybe",
    entity={
        "kind": "webhook",
        "id": "uuid",
        "write_only": ["password"],
        "reply": ["id", "name"],
        "action": "create",
        "defaults": {"is_enabled": True},
    },
)


def create_webhook(
    *,
    body: m.CreateWebhookParams | Mapping[str, Any],
) -> Request[m.WebhookMutationResult]:
    """POST /projects/{project_id}/webhooks/ — Create a webhook."""
    return build(CREATE_WEBHOOK, {}, body)


# POST /projects/{project_id}/webhooks/test/
TEST_WEBHOOK = Operation(
    operation_id="test_webhook",
    family="webhooks",
    method="POST",
    host="app",
    path="/projects/{project_id}/webhooks/test/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.WebhookTestParams)),
    response=Later(lambda: m.WebhookTestResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Check that a webhook URL answers",
    scope="maybe",
)


def test_webhook(
    *,
    body: m.WebhookTestParams | Mapping[str, Any],
) -> Request[m.WebhookTestResult]:
    """POST /projects/{project_id}/webhooks/test/ — Check that a webhook URL answers."""
    return build(TEST_WEBHOOK, {}, body)


# PATCH /projects/{project_id}/webhooks/{webhook_id}/
UPDATE_WEBHOOK = Operation(
    operation_id="update_webhook",
    family="webhooks",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/webhooks/{webhook_id}/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="webhook_id", attr="webhook_id", location="path", type="string", required=True),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateWebhookParams)),
    response=Later(lambda: m.WebhookMutationResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Update a webhook (partial)",
    scope="maybe",
    entity={
        "kind": "webhook",
        "id": "uuid",
        "write_only": ["password"],
        "reply": ["id", "name"],
        "action": "update",
    },
)


def update_webhook(
    *,
    webhook_id: str,
    body: m.UpdateWebhookParams | Mapping[str, Any],
) -> Request[m.WebhookMutationResult]:
    """PATCH /projects/{project_id}/webhooks/{webhook_id}/ — Update a webhook (partial)."""
    return build(UPDATE_WEBHOOK, {"webhook_id": webhook_id}, body)


# DELETE /projects/{project_id}/webhooks/{webhook_id}/
DELETE_WEBHOOK = Operation(
    operation_id="delete_webhook",
    family="webhooks",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/webhooks/{webhook_id}/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="webhook_id", attr="webhook_id", location="path", type="string", required=True),
    ),
    body=None,
    response=Later(lambda: m.WebhookOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete a webhook",
    scope="maybe",
    entity={"kind": "webhook", "id": "uuid", "action": "delete"},
)


def delete_webhook(
    *,
    webhook_id: str,
) -> Request[object]:
    """DELETE /projects/{project_id}/webhooks/{webhook_id}/ — Delete a webhook."""
    return build(DELETE_WEBHOOK, {"webhook_id": webhook_id}, None)


OPERATIONS: dict[str, Operation] = {
    "create_webhook": CREATE_WEBHOOK,
    "delete_webhook": DELETE_WEBHOOK,
    "list_webhooks": LIST_WEBHOOKS,
    "test_webhook": TEST_WEBHOOK,
    "update_webhook": UPDATE_WEBHOOK,
}
