# Generated from openapi/report_links.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs


@attrs.frozen(kw_only=True)
class ReportLinkErrorResponse:
    error: str
    status: str | None = None


ReportLinkType: TypeAlias = Literal["insights", "funnels", "retention", "flows"]


@attrs.frozen(kw_only=True)
class CreateBookmarkUrlParams:
    slug: str
    type: ReportLinkType
    params: dict[str, Any]
    name: str | None = None
    description: str | None = None
    bookmark_id: int | None = None


@attrs.frozen(kw_only=True)
class BookmarkUrl:
    """An unsaved report stored under a slug."""

    slug: str
    bookmark_type: str = attrs.field(metadata={"wire": "type"})
    params: dict[str, Any] | None = attrs.field(factory=dict)
    name: str | None = None
    description: str | None = None
    overrides: dict[str, Any] | None = None
    project_id: int | None = None
    user_id: int | None = None
    created_at: str | None = None
    bookmark_id: int | None = None
    bookmark: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class BookmarkUrlResponse:
    results: BookmarkUrl
    status: str | None = None
