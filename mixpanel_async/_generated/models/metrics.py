# Generated from openapi/metrics.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class SavedMetricErrorResponse:
    error: str
    status: str | None = None
    details: Any | None = None


@attrs.frozen(kw_only=True)
class SavedMetricOkResponse:
    status: str | None = None
    results: Any | None = None


@attrs.frozen(kw_only=True)
class SavedMetricRow:
    id: int
    name: str
    type: str
    definition: dict[str, Any]
    description: str | None = None
    created: str | None = None
    modified: str | None = None
    created_by: Any | None = None
    verified: bool | None = None
    last_verified: str | None = None
    last_verified_by: Any | None = None
    is_visible: bool | None = None
    is_locked: bool | None = None
    can_view: bool | None = None
    can_update_basic: bool | None = None
    can_share: bool | None = None
    owned_by: Any | None = None
    contacts: list[str] | None = None
    warehouse_source_id: int | None = None


@attrs.frozen(kw_only=True)
class SavedMetricMapResponse:
    status: str
    results: dict[str, SavedMetricRow]


@attrs.frozen(kw_only=True)
class SavedMetricIdOnly:
    id: int


@attrs.frozen(kw_only=True)
class DeleteSavedMetricsBody:
    metrics: list[SavedMetricIdOnly]


@attrs.frozen(kw_only=True)
class SavedMetricOwner:
    id: int


@attrs.frozen(kw_only=True)
class CreateSavedMetricBody:
    type: str
    name: str
    definition: dict[str, Any]
    description: str | None = None
    owned_by: SavedMetricOwner | None = None
    warehouse_source_id: int | None = None


@attrs.frozen(kw_only=True)
class UpdateSavedMetricBody:
    name: str | None = None
    description: str | None = None
    definition: dict[str, Any] | None = None
    verified: bool | None = None
    owned_by: SavedMetricOwner | None = None
    warehouse_source_id: int | None = None


@attrs.frozen(kw_only=True)
class BulkUpdateSavedMetricEntry:
    id: int
    name: str | None = None
    description: str | None = None
    definition: dict[str, Any] | None = None
    verified: bool | None = None
    owned_by: SavedMetricOwner | None = None
    warehouse_source_id: int | None = None


@attrs.frozen(kw_only=True)
class BulkUpdateSavedMetricBody:
    metrics: list[BulkUpdateSavedMetricEntry]
