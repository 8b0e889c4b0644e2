# Generated from openapi/annotations.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class AnnotationErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class AnnotationDeleted:
    id: int | None = None


@attrs.frozen(kw_only=True)
class AnnotationDeleteResponse:
    status: str | None = None
    results: AnnotationDeleted | None = None


@attrs.frozen(kw_only=True)
class AnnotationUser:
    id: int
    first_name: str
    last_name: str


@attrs.frozen(kw_only=True)
class AnnotationTag:
    id: int
    name: str
    project_id: int | None = None
    has_annotations: bool | None = None


@attrs.frozen(kw_only=True)
class Annotation:
    id: int
    project_id: int
    date: str
    description: str
    user: AnnotationUser | None = None
    tags: list[AnnotationTag] | None = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class AnnotationResponse:
    results: Annotation
    status: str | None = None


@attrs.frozen(kw_only=True)
class AnnotationListResponse:
    results: list[Annotation]
    status: str | None = None


@attrs.frozen(kw_only=True)
class CreateAnnotationParams:
    date: str
    description: str
    tags: list[int] | None = None
    user_id: int | None = None


@attrs.frozen(kw_only=True)
class UpdateAnnotationParams:
    description: str | None = None
    tags: list[int] | None = None


@attrs.frozen(kw_only=True)
class CreateAnnotationTagParams:
    name: str
