# Generated from openapi/webhooks.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs


@attrs.frozen(kw_only=True)
class WebhookErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class WebhookOkResponse:
    status: str | None = None
    results: Any | None = None


WebhookAuthType: TypeAlias = Literal["basic"]


@attrs.frozen(kw_only=True)
class ProjectWebhook:
    id: str
    name: str
    url: str
    is_enabled: bool
    auth_type: WebhookAuthType | None = None
    created: str | None = None
    modified: str | None = None
    creator_id: int | None = None
    creator_name: str | None = None


@attrs.frozen(kw_only=True)
class WebhookListResponse:
    results: list[ProjectWebhook]
    status: str | None = None


@attrs.frozen(kw_only=True)
class WebhookMutationResult:
    id: str
    name: str


@attrs.frozen(kw_only=True)
class WebhookMutationResponse:
    results: WebhookMutationResult
    status: str | None = None


@attrs.frozen(kw_only=True)
class CreateWebhookParams:
    name: str
    url: str
    auth_type: WebhookAuthType | None = None
    username: str | None = None
    password: str | None = None


@attrs.frozen(kw_only=True)
class UpdateWebhookParams:
    name: str | None = None
    url: str | None = None
    auth_type: WebhookAuthType | None = None
    username: str | None = None
    password: str | None = None
    is_enabled: bool | None = None


@attrs.frozen(kw_only=True)
class WebhookTestParams:
    url: str
    name: str | None = None
    auth_type: WebhookAuthType | None = None
    username: str | None = None
    password: str | None = None


@attrs.frozen(kw_only=True)
class WebhookTestResult:
    success: bool
    status_code: int
    message: str


@attrs.frozen(kw_only=True)
class WebhookTestResponse:
    results: WebhookTestResult
    status: str | None = None
