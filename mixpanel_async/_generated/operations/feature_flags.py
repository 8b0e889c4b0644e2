# Generated from openapi/feature_flags.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import feature_flags as m
else:
    m = LazyModule("mixpanel_async._generated.models.feature_flags")

__all__ = [
    "ARCHIVE_FEATURE_FLAG",
    "archive_feature_flag",
    "CREATE_FEATURE_FLAG",
    "create_feature_flag",
    "DELETE_FEATURE_FLAG",
    "delete_feature_flag",
    "DUPLICATE_FEATURE_FLAG",
    "duplicate_feature_flag",
    "GET_FEATURE_FLAG",
    "get_feature_flag",
    "GET_FLAG_HISTORY",
    "get_flag_history",
    "GET_FLAG_LIMITS",
    "get_flag_limits",
    "LIST_FEATURE_FLAGS",
    "list_feature_flags",
    "RESTORE_FEATURE_FLAG",
    "restore_feature_flag",
    "SET_FLAG_TEST_USERS",
    "set_flag_test_users",
    "UPDATE_FEATURE_FLAG",
    "update_feature_flag",
    "OPERATIONS",
]

# GET /projects/{project_id}/feature-flags/limits/
GET_FLAG_LIMITS = Operation(
    operation_id="get_flag_limits",
    family="feature_flags",
    method="GET",
    host="app",
    path="/projects/{project_id}/feature-flags/limits/",
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
    response=Later(lambda: m.FlagLimitsEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="The account's feature flag limit and usage",
    scope="project",
)


def get_flag_limits() -> Request[m.FlagLimitsResponse]:
    """GET /projects/{project_id}/feature-flags/limits/ — The account's feature flag limit and usage."""
    return build(GET_FLAG_LIMITS, {}, None)


# GET /projects/{project_id}/workspaces/{workspace_id}/feature-flags/
LIST_FEATURE_FLAGS = Operation(
    operation_id="list_feature_flags",
    family="feature_flags",
    method="GET",
    host="app",
    path="/projects/{project_id}/workspaces/{workspace_id}/feature-flags/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="path",
            type="integer",
            required=True,
            context="workspace_id",
        ),
        Param(
            name="include_archived",
            attr="include_archived",
            location="query",
            type="boolean",
            default=False,
        ),
    ),
    body=None,
    response=Later(lambda: m.FeatureFlagListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="List feature flags (archived ones only when asked)",
    scope="require",
    entity={"kind": "feature_flag", "action": "list", "id": "uuid"},
)


def list_feature_flags(
    *,
    include_archived: bool | None = False,
) -> Request[list[m.FeatureFlag]]:
    """GET /projects/{project_id}/workspaces/{workspace_id}/feature-flags/ — List feature flags (archived ones only when asked)."""
    return build(LIST_FEATURE_FLAGS, {"include_archived": include_archived}, None)


# POST /projects/{project_id}/workspaces/{workspace_id}/feature-flags/
CREATE_FEATURE_FLAG = Operation(
    operation_id="create_feature_flag",
    family="feature_flags",
    method="POST",
    host="app",
    path="/projects/{project_id}/workspaces/{workspace_id}/feature-flags/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="path",
            type="integer",
            required=True,
            context="workspace_id",
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateFeatureFlagParams)),
    response=Later(lambda: m.FeatureFlagResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create a feature flag",
    scope="require",
    entity={
        "kind": "feature_flag",
        "action": "create",
        "id": "uuid",
        "unique": ["key"],
        "defaults": {
            "project_id": "$project_id",
            "workspace_id": "$workspace_id",
            "status": "disabled",
            "tags": [],
            "context": "distinct_id",
            "serving_method": "client",
            "content_type": "feature-flags",
            "is_experiment_active": None,
            "reset_hash_salt": None,
            "can_view": True,
            "can_update_basic": True,
            "can_share": True,
            "can_pin": True,
            "is_superadmin": False,
            "allow_staff_override": False,
            "is_shared_with_project": True,
            "is_favorited": False,
            "pinned_date": None,
            "enabled_at": None,
            "deleted": None,
            "can_edit": True,
            "ruleset": {
                "variants": [
                    {
                        "key": "On",
                        "value": True,
                        "is_control": False,
                        "split": 1.0,
                        "is_sticky": False,
                    },
                    {
                        "key": "Off",
                        "value": False,
                        "is_control": True,
                        "split": 0.0,
                        "is_sticky": False,
                    },
                ],
                "rollout": [],
            },
        },
    },
)


def create_feature_flag(
    *,
    body: m.CreateFeatureFlagParams | Mapping[str, Any],
) -> Request[m.FeatureFlag]:
    """POST /projects/{project_id}/workspaces/{workspace_id}/feature-flags/ — Create a feature flag."""
    return build(CREATE_FEATURE_FLAG, {}, body)


# GET /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/
GET_FEATURE_FLAG = Operation(
    operation_id="get_feature_flag",
    family="feature_flags",
    method="GET",
    host="app",
    path="/projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="path",
            type="integer",
            required=True,
            context="workspace_id",
        ),
        Param(name="flag_id", attr="flag_id", location="path", type="string", required=True),
    ),
    body=None,
    response=Later(lambda: m.FeatureFlagResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Get one feature flag",
    scope="require",
    entity={"kind": "feature_flag", "action": "get", "id": "uuid"},
)


def get_feature_flag(
    *,
    flag_id: str,
) -> Request[m.FeatureFlag]:
    """GET /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/ — Get one feature flag."""
    return build(GET_FEATURE_FLAG, {"flag_id": flag_id}, None)


# PUT /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/
UPDATE_FEATURE_FLAG = Operation(
    operation_id="update_feature_flag",
    family="feature_flags",
    method="PUT",
    host="app",
    path="/projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="path",
            type="integer",
            required=True,
            context="workspace_id",
        ),
        Param(name="flag_id", attr="flag_id", location="path", type="string", required=True),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateFeatureFlagParams)),
    response=Later(lambda: m.FeatureFlagResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Replace a feature flag's configuration (PUT; name, key, status, ruleset required)",
    scope="require",
    entity={"kind": "feature_flag", "action": "replace", "id": "uuid", "unique": ["key"]},
)


def update_feature_flag(
    *,
    flag_id: str,
    body: m.UpdateFeatureFlagParams | Mapping[str, Any],
) -> Request[m.FeatureFlag]:
    """PUT /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/ — Replace a feature flag's configuration (PUT; name, key, status, ruleset required)."""
    return build(UPDATE_FEATURE_FLAG, {"flag_id": flag_id}, body)


# DELETE /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/
DELETE_FEATURE_FLAG = Operation(
    operation_id="delete_feature_flag",
    family="feature_flags",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="path",
            type="integer",
            required=True,
            context="workspace_id",
        ),
        Param(name="flag_id", attr="flag_id", location="path", type="string", required=True),
    ),
    body=None,
    response=Later(lambda: m.FeatureFlagOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete a feature flag",
    scope="require",
    entity={"kind": "feature_flag", "action": "delete", "id": "uuid"},
)


def delete_feature_flag(
    *,
    flag_id: str,
) -> Request[object]:
    """DELETE /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/ — Delete a feature flag."""
    return build(DELETE_FEATURE_FLAG, {"flag_id": flag_id}, None)


# POST /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/archive/
ARCHIVE_FEATURE_FLAG = Operation(
    operation_id="archive_feature_flag",
    family="feature_flags",
    method="POST",
    host="app",
    path="/projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/archive/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="path",
            type="integer",
            required=True,
            context="workspace_id",
        ),
        Param(name="flag_id", attr="flag_id", location="path", type="string", required=True),
    ),
    body=None,
    response=Later(lambda: m.FeatureFlagOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Archive a feature flag (hidden from default listings)",
    scope="require",
    entity={
        "kind": "feature_flag",
        "action": "set",
        "id": "uuid",
        "values": {"is_archived": True, "status": "archived"},
    },
)


def archive_feature_flag(
    *,
    flag_id: str,
) -> Request[object]:
    """POST /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/archive/ — Archive a feature flag (hidden from default listings)."""
    return build(ARCHIVE_FEATURE_FLAG, {"flag_id": flag_id}, None)


# DELETE /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/archive/
RESTORE_FEATURE_FLAG = Operation(
    operation_id="restore_feature_flag",
    family="feature_flags",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/archive/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="path",
            type="integer",
            required=True,
            context="workspace_id",
        ),
        Param(name="flag_id", attr="flag_id", location="path", type="string", required=True),
    ),
    body=None,
    response=Later(lambda: m.FeatureFlagResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Restore an archived feature flag (it comes back disabled)",
    scope="require",
    entity={
        "kind": "feature_flag",
        "action": "set",
        "id": "uuid",
        "values": {"is_archived": False, "status": "disabled"},
    },
)


def restore_feature_flag(
    *,
    flag_id: str,
) -> Request[m.FeatureFlag]:
    """DELETE /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/archive/ — Restore an archived feature flag (it comes back disabled)."""
    return build(RESTORE_FEATURE_FLAG, {"flag_id": flag_id}, None)


# POST /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/duplicate/
DUPLICATE_FEATURE_FLAG = Operation(
    operation_id="duplicate_feature_flag",
    family="feature_flags",
    method="POST",
    host="app",
    path="/projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/duplicate/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="path",
            type="integer",
            required=True,
            context="workspace_id",
        ),
        Param(name="flag_id", attr="flag_id", location="path", type="string", required=True),
    ),
    body=None,
    response=Later(lambda: m.FeatureFlagResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Copy a feature flag (a new id and key, disabled)",
    scope="require",
    entity={"kind": "feature_flag", "action": "duplicate", "id": "uuid"},
)


def duplicate_feature_flag(
    *,
    flag_id: str,
) -> Request[m.FeatureFlag]:
    """POST /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/duplicate/ — Copy a feature flag (a new id and key, disabled)."""
    return build(DUPLICATE_FEATURE_FLAG, {"flag_id": flag_id}, None)


# GET /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/history/
GET_FLAG_HISTORY = Operation(
    operation_id="get_flag_history",
    family="feature_flags",
    method="GET",
    host="app",
    path="/projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/history/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="path",
            type="integer",
            required=True,
            context="workspace_id",
        ),
        Param(name="flag_id", attr="flag_id", location="path", type="string", required=True),
        Param(name="page", attr="page", location="query", type="string"),
        Param(name="page_size", attr="page_size", location="query", type="integer", minimum=1),
    ),
    body=None,
    response=Later(lambda: m.FlagHistoryEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging={"style": "page"},
    summary="The change log of a feature flag, newest first, by page number",
    scope="require",
    entity={
        "kind": "feature_flag",
        "action": "history",
        "id": "uuid",
        "columns": ["id", "created", "action", "user", "changes"],
    },
)


def get_flag_history(
    *,
    flag_id: str,
    page: str | None = None,
    page_size: int | None = None,
) -> Request[m.FlagHistoryResponse]:
    """GET /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/history/ — The change log of a feature flag, newest first, by page number."""
    return build(GET_FLAG_HISTORY, {"flag_id": flag_id, "page": page, "page_size": page_size}, None)


# PUT /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/test-users/
SET_FLAG_TEST_USERS = Operation(
    operation_id="set_flag_test_users",
    family="feature_flags",
    method="PUT",
    host="app",
    path="/projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/test-users/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="path",
            type="integer",
            required=True,
            context="workspace_id",
        ),
        Param(name="flag_id", attr="flag_id", location="path", type="string", required=True),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.SetTestUsersParams)),
    response=Later(lambda: m.FeatureFlagOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Pin test users to variants (variant key → distinct id)",
    scope="require",
    entity={"kind": "feature_flag", "action": "test_users", "id": "uuid"},
)


def set_flag_test_users(
    *,
    flag_id: str,
    body: m.SetTestUsersParams | Mapping[str, Any],
) -> Request[object]:
    """PUT /projects/{project_id}/workspaces/{workspace_id}/feature-flags/{flag_id}/test-users/ — Pin test users to variants (variant key → distinct id)."""
    return build(SET_FLAG_TEST_USERS, {"flag_id": flag_id}, body)


OPERATIONS: dict[str, Operation] = {
    "archive_feature_flag": ARCHIVE_FEATURE_FLAG,
    "create_feature_flag": CREATE_FEATURE_FLAG,
    "delete_feature_flag": DELETE_FEATURE_FLAG,
    "duplicate_feature_flag": DUPLICATE_FEATURE_FLAG,
    "get_feature_flag": GET_FEATURE_FLAG,
    "get_flag_history": GET_FLAG_HISTORY,
    "get_flag_limits": GET_FLAG_LIMITS,
    "list_feature_flags": LIST_FEATURE_FLAGS,
    "restore_feature_flag": RESTORE_FEATURE_FLAG,
    "set_flag_test_users": SET_FLAG_TEST_USERS,
    "update_feature_flag": UPDATE_FEATURE_FLAG,
}
