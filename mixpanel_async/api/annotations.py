"""Timeline annotations and their tags (App API)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import LazyModule
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import as_model, build, entity_id, id_csv

if TYPE_CHECKING:
    from mixpanel_async._generated.models import annotations as m
    from mixpanel_async._generated.operations import annotations as ops
else:
    m = LazyModule("mixpanel_async._generated.models.annotations")
    ops = LazyModule("mixpanel_async._generated.operations.annotations")

MAX_DESCRIPTION = 512


def _id(annotation_id: Any) -> int:
    return entity_id(annotation_id, "annotation_id")


class AnnotationsMixin(Base):
    """Timeline annotations and their tags."""

    async def list_annotations(
        self,
        *,
        from_date: str | None = None,
        to_date: str | None = None,
        tags: list[int] | None = None,
    ) -> list[m.Annotation]:
        """Annotations by date, optionally of a day window (YYYY-MM-DD, inclusive) or carrying
        any of the tag ids `tags`."""
        request = build(
            ops.list_annotations, from_date=from_date, to_date=to_date, tags=id_csv(tags, "tags")
        )
        return await self._app(request)

    async def create_annotation(
        self, params: m.CreateAnnotationParams | dict[str, Any]
    ) -> m.Annotation:
        """Create an annotation (`date` as `%Y-%m-%d %H:%M:%S`, `description` up to 512
        characters, `tags` as tag ids)."""
        body = as_model(params, m.CreateAnnotationParams)
        checks.max_length(body.description, "description", MAX_DESCRIPTION)
        return await self._call(ops.create_annotation, body=body)

    async def get_annotation(self, annotation_id: int) -> m.Annotation:
        """One annotation by id.

        Raises:
            ParamValidationError: `annotation_id` is not a positive integer.
            QueryError: no such annotation (404).
        """
        return await self._call(ops.get_annotation, annotation_id=_id(annotation_id))

    async def update_annotation(
        self, annotation_id: int, params: m.UpdateAnnotationParams | dict[str, Any]
    ) -> m.Annotation:
        """Change an annotation's description or tags (its date is fixed)."""
        body = as_model(params, m.UpdateAnnotationParams)
        checks.max_length(body.description, "description", MAX_DESCRIPTION)
        return await self._call(
            ops.update_annotation,
            annotation_id=_id(annotation_id),
            body=body,
        )

    async def delete_annotation(self, annotation_id: int) -> None:
        """Delete one annotation."""
        await self._call(ops.delete_annotation, annotation_id=_id(annotation_id))

    async def list_annotation_tags(self) -> list[m.AnnotationTag]:
        """Every annotation tag of the project."""
        return await self._call(ops.list_annotation_tags)

    async def create_annotation_tag(
        self, params: m.CreateAnnotationTagParams | dict[str, Any]
    ) -> m.AnnotationTag:
        """Create an annotation tag (`name` required)."""
        return await self._call(
            ops.create_annotation_tag, body=as_model(params, m.CreateAnnotationTagParams)
        )
