# Generated from openapi/cohorts.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class CohortErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class CohortOkResponse:
    status: str | None = None
    results: Any | None = None


@attrs.frozen(kw_only=True)
class CohortCreator:
    id: int | None = None
    name: str | None = None
    email: str | None = None


@attrs.frozen(kw_only=True)
class Cohort:
    id: int
    name: str
    description: str | None = None
    count: int | None = None
    is_visible: bool | None = None
    is_locked: bool | None = None
    data_group_id: str | None = None
    last_edited: str | None = None
    created_by: CohortCreator | None = None
    referenced_by: list[int] | None = None
    verified: bool | None = False
    last_queried: str | None = None
    referenced_directly_by: list[int] | None = attrs.field(factory=list)
    active_integrations: list[int] | None = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class CohortResponse:
    results: Cohort
    status: str | None = None


@attrs.frozen(kw_only=True)
class CohortListResponse:
    results: list[Cohort]
    status: str | None = None


@attrs.frozen(kw_only=True)
class CreateCohortParams:
    name: str
    description: str | None = None
    data_group_id: str | None = None
    is_locked: bool | None = None
    is_visible: bool | None = None
    deleted: bool | None = None
    definition: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class UpdateCohortParams:
    name: str | None = None
    description: str | None = None
    data_group_id: str | None = None
    is_locked: bool | None = None
    is_visible: bool | None = None
    deleted: bool | None = None
    definition: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class BulkDeleteCohortsParams:
    cohort_ids: list[int]


@attrs.frozen(kw_only=True)
class BulkUpdateCohortEntry:
    id: int
    name: str | None = None
    description: str | None = None
    definition: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class BulkUpdateCohortsParams:
    cohorts: list[BulkUpdateCohortEntry]
