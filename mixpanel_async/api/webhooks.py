"""Project webhooks (App API); ids are UUID strings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import as_model, uuid_id

if TYPE_CHECKING:
    from mixpanel_async._generated.models import webhooks as m
    from mixpanel_async._generated.operations import webhooks as ops
else:
    m = LazyModule("mixpanel_async._generated.models.webhooks")
    ops = LazyModule("mixpanel_async._generated.operations.webhooks")


def _id(webhook_id: Any) -> str:
    return uuid_id(webhook_id, "webhook_id")


class WebhooksMixin(Base):
    """Project webhooks."""

    async def list_webhooks(self) -> list[m.ProjectWebhook]:
        """The project's webhooks (passwords are never sent back)."""
        return await self._call(ops.list_webhooks)

    async def create_webhook(
        self, params: m.CreateWebhookParams | dict[str, Any]
    ) -> m.WebhookMutationResult:
        """Create a webhook (`name`, `url`; `auth_type="basic"` with `username`/`password`)."""
        return await self._call(ops.create_webhook, body=as_model(params, m.CreateWebhookParams))

    async def update_webhook(
        self, webhook_id: str, params: m.UpdateWebhookParams | dict[str, Any]
    ) -> m.WebhookMutationResult:
        """Change some fields of a webhook (PATCH semantics)."""
        return await self._call(
            ops.update_webhook,
            webhook_id=_id(webhook_id),
            body=as_model(params, m.UpdateWebhookParams),
        )

    async def delete_webhook(self, webhook_id: str) -> None:
        """Delete one webhook."""
        await self._call(ops.delete_webhook, webhook_id=_id(webhook_id))

    async def test_webhook(
        self, params: m.WebhookTestParams | dict[str, Any]
    ) -> m.WebhookTestResult:
        """Ask Mixpanel to call a webhook URL and report what it answered."""
        return await self._call(ops.test_webhook, body=as_model(params, m.WebhookTestParams))
