# Generated from openapi/account.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Literal

import attrs


@attrs.frozen(kw_only=True)
class MeOrganization:
    id: int
    name: str
    role: str | None = None
    permissions: list[str] | None = None


@attrs.frozen(kw_only=True)
class MeProject:
    name: str
    organization_id: int
    timezone: str | None = None
    has_workspaces: bool | None = None
    domain: str | None = None
    type: str | int | None = None


@attrs.frozen(kw_only=True)
class MeWorkspace:
    id: int
    name: str
    project_id: int
    is_default: bool | None = None
    is_global: bool | None = None
    is_restricted: bool | None = None
    is_visible: bool | None = None
    description: str | None = None
    creator_name: str | None = None


@attrs.frozen(kw_only=True)
class PublicWorkspace:
    id: int
    name: str
    project_id: int
    is_default: bool
    description: str | None = None
    is_global: bool | None = None
    is_restricted: bool | None = None
    is_visible: bool | None = None
    created_iso: str | None = None
    creator_name: str | None = None


@attrs.frozen(kw_only=True)
class ProjectMetadataWorkspace:
    id: int | str
    name: str | None = None
    is_global: bool | None = None
    is_default: bool | None = None
    is_visible: bool | None = None


@attrs.frozen(kw_only=True)
class AccountErrorResponse:
    """App API error body."""

    error: str
    status: Literal["error"] | None = None


@attrs.frozen(kw_only=True)
class MeResults:
    user_id: int | None = None
    user_email: str | None = None
    user_name: str | None = None
    organizations: dict[str, MeOrganization] | None = None
    projects: dict[str, MeProject] | None = None
    workspaces: dict[str, MeWorkspace] | None = None


@attrs.frozen(kw_only=True)
class PublicWorkspacesResponse:
    status: str
    results: list[PublicWorkspace]


@attrs.frozen(kw_only=True)
class ProjectMetadata:
    """Loosely typed; only `workspaces` is relied on."""

    workspaces: dict[str, ProjectMetadataWorkspace] | None = None


@attrs.frozen(kw_only=True)
class MeResponse:
    """App API envelope around the `/me` payload."""

    status: str
    results: MeResults


@attrs.frozen(kw_only=True)
class ProjectsMetadataIndexResponse:
    status: str
    results: dict[str, ProjectMetadata]
