# Generated from openapi/business_context.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import business_context as m
else:
    m = LazyModule("mixpanel_async._generated.models.business_context")

__all__ = [
    "GET_BUSINESS_CONTEXT_CHAIN",
    "get_business_context_chain",
    "GET_ORGANIZATION_BUSINESS_CONTEXT",
    "get_organization_business_context",
    "GET_PROJECT_BUSINESS_CONTEXT",
    "get_project_business_context",
    "SET_ORGANIZATION_BUSINESS_CONTEXT",
    "set_organization_business_context",
    "SET_PROJECT_BUSINESS_CONTEXT",
    "set_project_business_context",
    "OPERATIONS",
]

# GET /organizations/{organization_id}/business-context
GET_ORGANIZATION_BUSINESS_CONTEXT = Operation(
    operation_id="get_organization_business_context",
    family="business_context",
    method="GET",
    host="app",
    path="/organizations/{organization_id}/business-context",
    params=(
        Param(
            name="organization_id",
            attr="organization_id",
            location="path",
            type="integer",
            required=True,
            minimum=1,
        ),
    ),
    body=None,
    response=Later(lambda: m.BusinessContextResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Read an organization's business context",
    scope="project",
)


def get_organization_business_context(
    *,
    organization_id: int,
) -> Request[m.BusinessContextContent]:
    """GET /organizations/{organization_id}/business-context — Read an organization's business context."""
    return build(GET_ORGANIZATION_BUSINESS_CONTEXT, {"organization_id": organization_id}, None)


# PUT /organizations/{organization_id}/business-context
SET_ORGANIZATION_BUSINESS_CONTEXT = Operation(
    operation_id="set_organization_business_context",
    family="business_context",
    method="PUT",
    host="app",
    path="/organizations/{organization_id}/business-context",
    params=(
        Param(
            name="organization_id",
            attr="organization_id",
            location="path",
            type="integer",
            required=True,
            minimum=1,
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.SetBusinessContextParams)),
    response=Later(lambda: m.BusinessContextResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Replace an organization's business context",
    scope="project",
)


def set_organization_business_context(
    *,
    organization_id: int,
    body: m.SetBusinessContextParams | Mapping[str, Any],
) -> Request[m.BusinessContextContent]:
    """PUT /organizations/{organization_id}/business-context — Replace an organization's business context."""
    return build(SET_ORGANIZATION_BUSINESS_CONTEXT, {"organization_id": organization_id}, body)


# GET /projects/{project_id}/business-context
GET_PROJECT_BUSINESS_CONTEXT = Operation(
    operation_id="get_project_business_context",
    family="business_context",
    method="GET",
    host="app",
    path="/projects/{project_id}/business-context",
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
    response=Later(lambda: m.BusinessContextResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Read the project's business context",
    scope="project",
)


def get_project_business_context() -> Request[m.BusinessContextContent]:
    """GET /projects/{project_id}/business-context — Read the project's business context."""
    return build(GET_PROJECT_BUSINESS_CONTEXT, {}, None)


# PUT /projects/{project_id}/business-context
SET_PROJECT_BUSINESS_CONTEXT = Operation(
    operation_id="set_project_business_context",
    family="business_context",
    method="PUT",
    host="app",
    path="/projects/{project_id}/business-context",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.SetBusinessContextParams)),
    response=Later(lambda: m.BusinessContextResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Replace the project's business context",
    scope="project",
)


def set_project_business_context(
    *,
    body: m.SetBusinessContextParams | Mapping[str, Any],
) -> Request[m.BusinessContextContent]:
    """PUT /projects/{project_id}/business-context — Replace the project's business context."""
    return build(SET_PROJECT_BUSINESS_CONTEXT, {}, body)


# GET /projects/{project_id}/business-context/chain
GET_BUSINESS_CONTEXT_CHAIN = Operation(
    operation_id="get_business_context_chain",
    family="business_context",
    method="GET",
    host="app",
    path="/projects/{project_id}/business-context/chain",
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
    response=Later(lambda: m.BusinessContextChainResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Read the organization's and the project's business context together",
    scope="project",
)


def get_business_context_chain() -> Request[m.BusinessContextChainContent]:
    """GET /projects/{project_id}/business-context/chain — Read the organization's and the project's business context together."""
    return build(GET_BUSINESS_CONTEXT_CHAIN, {}, None)


OPERATIONS: dict[str, Operation] = {
    "get_business_context_chain": GET_BUSINESS_CONTEXT_CHAIN,
    "get_organization_business_context": GET_ORGANIZATION_BUSINESS_CONTEXT,
    "get_project_business_context": GET_PROJECT_BUSINESS_CONTEXT,
    "set_organization_business_context": SET_ORGANIZATION_BUSINESS_CONTEXT,
    "set_project_business_context": SET_PROJECT_BUSINESS_CONTEXT,
}
