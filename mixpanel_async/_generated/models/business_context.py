# Generated from openapi/business_context.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class BusinessContextErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class SetBusinessContextParams:
    """`content` is always sent and may be `""` (which clears the scope), so it is not marked required here: required text fields must be non-empty."""

    content: str | None = None


@attrs.frozen(kw_only=True)
class BusinessContextContent:
    content: str


@attrs.frozen(kw_only=True)
class BusinessContextResponse:
    status: str
    results: BusinessContextContent


@attrs.frozen(kw_only=True)
class BusinessContextChainContent:
    org_context: str
    project_context: str


@attrs.frozen(kw_only=True)
class BusinessContextChainResponse:
    status: str
    results: BusinessContextChainContent
