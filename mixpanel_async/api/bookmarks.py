"""Saved reports (bookmarks), App API v2; and `list_bookmarks`, the discovery view of the same
endpoint."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import attrs
import cattrs
from cattrs.v import format_exception

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base, report_card
from mixpanel_async.api.checks import as_entries, as_model, build, entity_id, id_csv, id_list
from mixpanel_async.exceptions import BookmarkValidationError, ParamValidationError
from mixpanel_async.transport import codec

if TYPE_CHECKING:
    from mixpanel_async._generated.models import bookmarks as m
    from mixpanel_async._generated.operations import bookmarks as ops
else:
    m = LazyModule("mixpanel_async._generated.models.bookmarks")
    ops = LazyModule("mixpanel_async._generated.operations.bookmarks")

V2 = {"v": 2}
"""What the v2 endpoints expect in every write body."""


@functools.cache
def _roots() -> dict[str, type[Any]]:
    """The model of a whole definition, by bookmark type."""
    return {
        "insights": m.InsightsBookmarkParams,
        "funnels": m.InsightsBookmarkParams,
        "retention": m.InsightsBookmarkParams,
        "flows": m.FlowsBookmarkParams,
    }


@functools.cache
def _parts() -> dict[str, type[Any]]:
    """The models of the parts an update may carry alone."""
    return {"sections": m.BookmarkSections, "displayOptions": m.BookmarkDisplayOptions}


def _open(model: type[Any]) -> bool:
    """Whether a definition may carry keys the schema does not name (all others are closed)."""
    return model is m.FlowsBookmarkParams


def _id(bookmark_id: Any) -> int:
    return entity_id(bookmark_id, "bookmark_id")


def _say(exc: BaseException, kind: Any) -> str:
    """cattrs' wording, except for values outside an enum: say which are allowed."""
    return str(exc) if type(exc) is ValueError else format_exception(exc, kind)


def _unknown(data: dict[str, Any], model: type[Any], path: str) -> list[str]:
    known = {f.metadata.get("wire", f.name) for f in attrs.fields(model)}
    return [f"unknown field @ {path}.{key}" for key in data if key not in known]


def _problems(data: Any, model: type[Any], path: str) -> list[str]:
    if not isinstance(data, dict):
        return [f"{path} must be an object"]
    try:
        codec.validate(data, model)
        found: list[str] = []
    except cattrs.BaseValidationError as exc:
        found = list(cattrs.transform_error(exc, path=path, format_exception=_say))
    except (TypeError, ValueError) as exc:
        found = [f"{exc} @ {path}"]
    if _open(model):
        return found
    found += _unknown(data, model, path)
    if model is m.InsightsBookmarkParams:  # its parts are closed too
        for key, part in _parts().items():
            if isinstance(data.get(key), dict):
                found += _unknown(data[key], part, f"{path}.{key}")
    return found


def check_report(params: Any, bookmark_type: str | None = None) -> None:
    """The seed's client-side check of a report definition, before any request: the whole
    definition when the type is known (create), else each part present (update).

    Raises:
        BookmarkValidationError: every problem found, in `details["errors"]`.
    """
    root = _roots().get(bookmark_type or "")
    if root is not None:
        problems = _problems(params, root, "params")
    elif not isinstance(params, dict):
        problems = ["params must be an object"]
    else:
        problems = [
            problem
            for key, part in _parts().items()
            if key in params
            for problem in _problems(params[key], part, f"params.{key}")
        ]
    if problems:
        raise BookmarkValidationError(
            f"invalid report definition: {'; '.join(problems)}", details={"errors": problems}
        )


class BookmarksMixin(Base):
    """Saved reports (bookmarks)."""

    async def list_bookmarks_v2(
        self, *, bookmark_type: m.BookmarkType | None = None, ids: list[int] | None = None
    ) -> list[m.Bookmark]:
        """Saved reports, optionally of one type or only `ids`."""
        request = build(ops.list_bookmarks_v2, type=bookmark_type, ids=id_csv(ids, "ids"))
        return await self._app(request)

    async def list_bookmarks(
        self, bookmark_type: m.BookmarkType | None = None
    ) -> list[m.BookmarkInfo]:
        """Every saved report's metadata (never cached: reports change often)."""
        return [
            m.BookmarkInfo(
                id=b.id,
                name=b.name,
                type=b.bookmark_type,
                project_id=b.project_id or int(self.session.project_id),
                created=b.created or "",
                modified=b.modified or "",
                workspace_id=b.workspace_id,
                dashboard_id=b.dashboard_id,
                description=b.description,
                creator_id=b.creator_id,
                creator_name=b.creator_name,
            )
            for b in await self.list_bookmarks_v2(bookmark_type=bookmark_type)
        ]

    async def create_bookmark(self, params: m.CreateBookmarkParams | dict[str, Any]) -> m.Bookmark:
        """Save a report on the dashboard `params.dashboard_id` (the v2 API requires one): create
        it, then add it to the dashboard's layout.

        Raises:
            ParamValidationError: no `dashboard_id`, or a field outside the spec.
            BookmarkValidationError: `params.params` is not a valid report definition.
        """
        body = as_model(params, m.CreateBookmarkParams)
        if body.dashboard_id is None:
            raise ParamValidationError(
                "dashboard_id is required: every report belongs to a dashboard; create one with "
                "create_dashboard() first",
                param="dashboard_id",
            )
        dashboard_id = entity_id(body.dashboard_id, "dashboard_id")
        check_report(body.params, body.bookmark_type)
        created = await self._call(ops.create_bookmark, body={**codec.unstructure(body), **V2})
        # The create links the report to its dashboard but leaves the layout alone.
        await self._dashboard_content(dashboard_id, report_card(created.id))
        return created

    async def get_bookmark(self, bookmark_id: int) -> m.Bookmark:
        """One saved report by id.

        Raises:
            ParamValidationError: `bookmark_id` is not a positive integer.
            QueryError: no such report (404).
        """
        return await self._call(ops.get_bookmark, bookmark_id=_id(bookmark_id))

    async def update_bookmark(
        self, bookmark_id: int, params: m.UpdateBookmarkParams | dict[str, Any]
    ) -> m.Bookmark:
        """Change some fields of a report; a new `params` is checked part by part."""
        body = as_model(params, m.UpdateBookmarkParams)
        if body.params is not None:
            check_report(body.params)
        return await self._call(
            ops.update_bookmark,
            bookmark_id=_id(bookmark_id),
            body={**codec.unstructure(body), **V2},
        )

    async def delete_bookmark(self, bookmark_id: int) -> None:
        """Delete one saved report."""
        await self._call(ops.delete_bookmark, bookmark_id=_id(bookmark_id))

    async def bulk_delete_bookmarks(self, ids: list[int]) -> None:
        """Delete several saved reports at once."""
        body = m.BulkDeleteBookmarksParams(bookmark_ids=id_list(ids, "ids"))
        await self._call(ops.bulk_delete_bookmarks, body=body)

    async def bulk_update_bookmarks(
        self, entries: list[m.BulkUpdateBookmarkEntry] | list[dict[str, Any]]
    ) -> None:
        """Change several saved reports at once; each entry carries its `id`."""
        items = as_entries(entries, m.BulkUpdateBookmarkEntry)
        await self._call(
            ops.bulk_update_bookmarks, body=m.BulkUpdateBookmarksParams(bookmarks=items)
        )

    async def bookmark_linked_dashboard_ids(self, bookmark_id: int) -> list[int]:
        """The ids of the dashboards that show a saved report."""
        return await self._call(ops.bookmark_linked_dashboard_ids, bookmark_id=_id(bookmark_id))

    async def get_bookmark_history(
        self, bookmark_id: int, *, cursor: str | None = None, page_size: int | None = None
    ) -> m.BookmarkHistoryResponse:
        """One page of a report's change log, newest first; pass `pagination.next_cursor` as
        `cursor` for the next page."""
        request = build(
            ops.get_bookmark_history,
            bookmark_id=_id(bookmark_id),
            cursor=cursor,
            page_size=page_size,
        )
        return await self._app(request)
