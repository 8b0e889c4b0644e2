# Generated from openapi/behaviors.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class SavedBehaviorErrorResponse:
    error: str
    status: str | None = None
    details: Any | None = None


@attrs.frozen(kw_only=True)
class SavedBehaviorOkResponse:
    status: str | None = None
    results: Any | None = None


@attrs.frozen(kw_only=True)
class SavedBehaviorRow:
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


@attrs.frozen(kw_only=True)
class SavedBehaviorMapResponse:
    status: str
    results: dict[str, SavedBehaviorRow]


@attrs.frozen(kw_only=True)
class CreateSavedBehaviorBody:
    type: str
    name: str
    definition: dict[str, Any]
    description: str | None = None


@attrs.frozen(kw_only=True)
class UpdateSavedBehaviorBody:
    name: str | None = None
    description: str | None = None
    definition: dict[str, Any] | None = None
    verified: bool | None = None


@attrs.frozen(kw_only=True)
class SavedBehaviorIdOnly:
    id: int


@attrs.frozen(kw_only=True)
class DeleteSavedBehaviorsBody:
    behaviors: list[SavedBehaviorIdOnly]
