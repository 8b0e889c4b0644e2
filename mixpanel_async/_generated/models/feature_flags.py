# Generated from openapi/feature_flags.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs


@attrs.frozen(kw_only=True)
class FeatureFlagErrorResponse:
    error: str | dict[str, Any]
    status: str | None = None
    type: str | None = None


@attrs.frozen(kw_only=True)
class FeatureFlagOkResponse:
    status: str | None = None
    results: Any | None = None


FeatureFlagStatus: TypeAlias = Literal["enabled", "disabled", "archived"]


ServingMethod: TypeAlias = Literal["client", "server", "remote_or_local", "remote_only"]


FlagContractStatus: TypeAlias = Literal["active", "grace_period", "expired"]


@attrs.frozen(kw_only=True)
class FeatureFlag:
    id: str
    project_id: int
    name: str
    key: str
    description: str | None = None
    status: FeatureFlagStatus | None = None
    tags: list[str] | None = None
    experiment_id: str | None = None
    context: str | None = None
    data_group_id: str | int | None = None
    serving_method: ServingMethod | None = None
    ruleset: dict[str, Any] | None = None
    hash_salt: str | None = None
    workspace_id: int | None = None
    content_type: str | None = None
    created: str | None = None
    modified: str | None = None
    enabled_at: str | None = None
    deleted: str | None = None
    creator_id: int | None = None
    creator_name: str | None = None
    creator_email: str | None = None
    last_modified_by_id: int | None = None
    last_modified_by_name: str | None = None
    last_modified_by_email: str | None = None
    is_favorited: bool | None = None
    pinned_date: str | None = None
    can_edit: bool | None = None
    is_experiment_active: bool | None = None
    reset_hash_salt: bool | None = None
    content_environments_id: str | None = None
    project_name: str | None = None
    can_view: bool | None = None
    can_update_basic: bool | None = None
    can_share: bool | None = None
    can_pin: bool | None = None
    is_superadmin: bool | None = None
    allow_staff_override: bool | None = None
    is_shared_with_project: bool | None = None


@attrs.frozen(kw_only=True)
class FeatureFlagResponse:
    results: FeatureFlag
    status: str | None = None


@attrs.frozen(kw_only=True)
class FeatureFlagListResponse:
    results: list[FeatureFlag]
    status: str | None = None


@attrs.frozen(kw_only=True)
class CreateFeatureFlagParams:
    name: str
    key: str
    description: str | None = None
    status: FeatureFlagStatus | None = None
    tags: list[str] | None = attrs.field(factory=list)
    context: str | None = "distinct_id"
    serving_method: ServingMethod | None = "client"
    ruleset: dict[str, Any] | None = None
    experiment_id: str | None = None
    data_group_id: str | int | None = None
    hash_salt: str | None = None
    is_experiment_active: bool | None = None
    reset_hash_salt: bool | None = None


@attrs.frozen(kw_only=True)
class UpdateFeatureFlagParams:
    """A full replacement (PUT) of the flag's configuration."""

    name: str
    key: str
    status: FeatureFlagStatus
    ruleset: dict[str, Any]
    description: str | None = None
    tags: list[str] | None = attrs.field(factory=list)
    context: str | None = "distinct_id"
    serving_method: ServingMethod | None = "client"
    experiment_id: str | None = None
    data_group_id: str | int | None = None
    hash_salt: str | None = None
    is_experiment_active: bool | None = None
    reset_hash_salt: bool | None = None


@attrs.frozen(kw_only=True)
class SetTestUsersParams:
    users: dict[str, str]


@attrs.frozen(kw_only=True)
class FlagHistoryResponse:
    events: list[list[Any]]
    count: int


@attrs.frozen(kw_only=True)
class FlagHistoryEnvelope:
    results: FlagHistoryResponse
    status: str | None = None


@attrs.frozen(kw_only=True)
class FlagLimitsResponse:
    limit: int
    is_trial: bool
    current_usage: int
    contract_status: FlagContractStatus


@attrs.frozen(kw_only=True)
class FlagLimitsEnvelope:
    results: FlagLimitsResponse
    status: str | None = None
