# Generated from openapi/experiments.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs


@attrs.frozen(kw_only=True)
class ExperimentErrorResponse:
    error: str | dict[str, Any]
    status: str | None = None
    type: str | None = None


@attrs.frozen(kw_only=True)
class ExperimentOkResponse:
    status: str | None = None
    results: Any | None = None


ExperimentStatus: TypeAlias = Literal["draft", "active", "concluded", "success", "fail"]


@attrs.frozen(kw_only=True)
class ExperimentCreator:
    id: int | None = None
    first_name: str | None = None
    last_name: str | None = None


@attrs.frozen(kw_only=True)
class Experiment:
    id: str
    name: str
    description: str | None = None
    hypothesis: str | None = None
    status: ExperimentStatus | None = None
    variants: list[Any] | dict[str, Any] | None = None
    metrics: list[Any] | dict[str, Any] | None = None
    settings: dict[str, Any] | None = None
    exposures_cache: dict[str, Any] | None = None
    results_cache: dict[str, Any] | None = None
    start_date: str | None = None
    end_date: str | None = None
    created: str | None = None
    updated: str | None = None
    creator: ExperimentCreator | None = None
    feature_flag: dict[str, Any] | None = None
    is_favorited: bool | None = None
    pinned_date: str | None = None
    tags: list[str] | None = None
    can_edit: bool | None = None
    last_modified_by_id: int | None = None
    last_modified_by_name: str | None = None
    last_modified_by_email: str | None = None
    content_type: str | None = None
    creator_id: int | None = None
    creator_name: str | None = None
    creator_email: str | None = None
    modified: str | None = None
    deleted: str | None = None
    can_view: bool | None = None
    can_update_basic: bool | None = None
    can_update_restricted: bool | None = None
    can_update_visibility: bool | None = None
    can_share: bool | None = None
    is_superadmin: bool | None = None
    allow_staff_override: bool | None = None
    is_shared_with_project: bool | None = None


@attrs.frozen(kw_only=True)
class ExperimentResponse:
    results: Experiment
    status: str | None = None


@attrs.frozen(kw_only=True)
class ExperimentListResponse:
    results: list[Experiment]
    status: str | None = None


@attrs.frozen(kw_only=True)
class ExperimentErfListResponse:
    results: list[dict[str, Any]]
    status: str | None = None


@attrs.frozen(kw_only=True)
class CreateExperimentParams:
    name: str
    description: str | None = None
    hypothesis: str | None = None
    settings: dict[str, Any] | None = None
    variants: list[Any] | dict[str, Any] | None = None
    metrics: list[Any] | dict[str, Any] | None = None
    global_access_type: str | None = None
    access_type: str | None = None
    can_edit: bool | None = None


@attrs.frozen(kw_only=True)
class UpdateExperimentParams:
    name: str | None = None
    description: str | None = None
    hypothesis: str | None = None
    variants: list[Any] | dict[str, Any] | None = None
    metrics: list[Any] | dict[str, Any] | None = None
    settings: dict[str, Any] | None = None
    start_date: str | None = None
    end_date: str | None = None
    tags: list[str] | None = None
    exposures_cache: dict[str, Any] | None = None
    results_cache: dict[str, Any] | None = None
    status: ExperimentStatus | None = None
    global_access_type: str | None = None


@attrs.frozen(kw_only=True)
class ExperimentConcludeParams:
    end_date: str | None = None


@attrs.frozen(kw_only=True)
class ExperimentDecideParams:
    success: bool
    variant: str | None = None
    message: str | None = None


@attrs.frozen(kw_only=True)
class DuplicateExperimentParams:
    name: str
