# Generated from openapi/account.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from typing import TYPE_CHECKING

from mixpanel_async._operation import (
    Later,
    LazyModule,
    Operation,
    Param,
    Request,
    build,
)

# The family's models are imported on first use (`Later`), not with the operations.
if TYPE_CHECKING:
    from mixpanel_async._generated.models import account as m
else:
    m = LazyModule("mixpanel_async._generated.models.account")

__all__ = [
    "GET_ME",
    "get_me",
    "GET_PROJECTS_METADATA_INDEX",
    "get_projects_metadata_index",
    "LIST_PUBLIC_WORKSPACES",
    "list_public_workspaces",
    "OPERATIONS",
]

# GET /me
GET_ME = Operation(
    operation_id="get_me",
    family="account",
    method="GET",
    host="app",
    path="/me",
    params=(),
    body=None,
    response=Later(lambda: m.MeResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Describe the authenticated user and everything it can access",
)


def get_me() -> Request[m.MeResults]:
    """GET /me — Describe the authenticated user and everything it can access.

    Takes no parameters. Service accounts need the `user_details` scope; without it the call
    answers 403.
    """
    return build(GET_ME, {}, None)


# GET /projects/metadata/index
GET_PROJECTS_METADATA_INDEX = Operation(
    operation_id="get_projects_metadata_index",
    family="account",
    method="GET",
    host="app",
    path="/projects/metadata/index",
    params=(),
    body=None,
    response=Later(lambda: m.ProjectsMetadataIndexResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Metadata of every project the credential can reach, keyed by project id",
)


def get_projects_metadata_index() -> Request[dict[str, m.ProjectMetadata]]:
    """GET /projects/metadata/index — Metadata of every project the credential can reach, keyed by project id.

    Not in Mixpanel's published specs. The peer library uses it as the last fallback when
    resolving a workspace id; it reads only `results[<project_id>].workspaces`.
    """
    return build(GET_PROJECTS_METADATA_INDEX, {}, None)


# GET /projects/{project_id}/workspaces/public
LIST_PUBLIC_WORKSPACES = Operation(
    operation_id="list_public_workspaces",
    family="account",
    method="GET",
    host="app",
    path="/projects/{project_id}/workspaces/public",
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
    response=Later(lambda: m.PublicWorkspacesResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="List the workspaces (data views) of one project",
)


def list_public_workspaces() -> Request[list[m.PublicWorkspace]]:
    """GET /projects/{project_id}/workspaces/public — List the workspaces (data views) of one project."""
    return build(LIST_PUBLIC_WORKSPACES, {}, None)


OPERATIONS: dict[str, Operation] = {
    "get_me": GET_ME,
    "get_projects_metadata_index": GET_PROJECTS_METADATA_INDEX,
    "list_public_workspaces": LIST_PUBLIC_WORKSPACES,
}
