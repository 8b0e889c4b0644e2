# Generated from openapi/bookmarks.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

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
    from mixpanel_async._generated.models import bookmarks as m
else:
    m = LazyModule("mixpanel_async._generated.models.bookmarks")

__all__ = [
    "BOOKMARK_LINKED_DASHBOARD_IDS",
    "bookmark_linked_dashboard_ids",
    "BULK_DELETE_BOOKMARKS",
    "bulk_delete_bookmarks",
    "BULK_UPDATE_BOOKMARKS",
    "bulk_update_bookmarks",
    "CREATE_BOOKMARK",
    "create_bookmark",
    "DELETE_BOOKMARK",
    "delete_bookmark",
    "GET_BOOKMARK",
    "get_bookmark",
    "GET_BOOKMARK_HISTORY",
    "get_bookmark_history",
    "LIST_BOOKMARKS_V2",
    "list_bookmarks_v2",
    "UPDATE_BOOKMARK",
    "update_bookmark",
    "OPERATIONS",
]

# GET /projects/{project_id}/bookmarks
LIST_BOOKMARKS_V2 = Operation(
    operation_id="list_bookmarks_v2",
    family="bookmarks",
    method="GET",
    host="app",
    path="/projects/{project_id}/bookmarks",
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
            name="v",
            attr="v",
            location="query",
            type="integer",
            required=True,
            enum=(2,),
            default=2,
        ),
        Param(
            name="type",
            attr="type",
            location="query",
            type="string",
            enum=("insights", "funnels", "retention", "flows", "launch-analysis"),
        ),
        Param(name="ids", attr="ids", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.BookmarkListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="List saved reports",
    scope="maybe",
    entity={"kind": "bookmark", "action": "list", "match": ["type"]},
)


def list_bookmarks_v2(
    *,
    v: Literal[2] | None = 2,
    type: m.BookmarkType | None = None,
    ids: str | None = None,
) -> Request[list[m.Bookmark]]:
    """GET /projects/{project_id}/bookmarks — List saved reports."""
    return build(LIST_BOOKMARKS_V2, {"v": v, "type": type, "ids": ids}, None)


# POST /projects/{project_id}/bookmarks
CREATE_BOOKMARK = Operation(
    operation_id="create_bookmark",
    family="bookmarks",
    method="POST",
    host="app",
    path="/projects/{project_id}/bookmarks",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateBookmarkParams)),
    response=Later(lambda: m.BookmarkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Save a report (it belongs to the dashboard `dashboard_id`)",
    scope="maybe",
    entity={
        "kind": "bookmark",
        "write_only": ["v"],
        "action": "create",
        "id": "int",
        "defaults": {
            "project_id": "$project_id",
            "include_in_dashboard": True,
            "is_default": False,
            "is_visibility_restricted": False,
            "is_modification_restricted": False,
        },
    },
)


def create_bookmark(
    *,
    body: m.CreateBookmarkParams | Mapping[str, Any],
) -> Request[m.Bookmark]:
    """POST /projects/{project_id}/bookmarks — Save a report (it belongs to the dashboard `dashboard_id`)."""
    return build(CREATE_BOOKMARK, {}, body)


# POST /projects/{project_id}/bookmarks/bulk-delete
BULK_DELETE_BOOKMARKS = Operation(
    operation_id="bulk_delete_bookmarks",
    family="bookmarks",
    method="POST",
    host="app",
    path="/projects/{project_id}/bookmarks/bulk-delete",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.BulkDeleteBookmarksParams)),
    response=Later(lambda: m.BookmarkOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete several saved reports",
    scope="maybe",
    entity={"kind": "bookmark", "action": "bulk_delete", "field": "bookmark_ids"},
)


def bulk_delete_bookmarks(
    *,
    body: m.BulkDeleteBookmarksParams | Mapping[str, Any],
) -> Request[object]:
    """POST /projects/{project_id}/bookmarks/bulk-delete — Delete several saved reports."""
    return build(BULK_DELETE_BOOKMARKS, {}, body)


# POST /projects/{project_id}/bookmarks/bulk-update
BULK_UPDATE_BOOKMARKS = Operation(
    operation_id="bulk_update_bookmarks",
    family="bookmarks",
    method="POST",
    host="app",
    path="/projects/{project_id}/bookmarks/bulk-update",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.BulkUpdateBookmarksParams)),
    response=Later(lambda: m.BookmarkOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Update several saved reports",
    scope="maybe",
    entity={"kind": "bookmark", "action": "bulk_update", "field": "bookmarks"},
)


def bulk_update_bookmarks(
    *,
    body: m.BulkUpdateBookmarksParams | Mapping[str, Any],
) -> Request[object]:
    """POST /projects/{project_id}/bookmarks/bulk-update — Update several saved reports."""
    return build(BULK_UPDATE_BOOKMARKS, {}, body)


# GET /projects/{project_id}/bookmarks/{bookmark_id}
GET_BOOKMARK = Operation(
    operation_id="get_bookmark",
    family="bookmarks",
    method="GET",
    host="app",
    path="/projects/{project_id}/bookmarks/{bookmark_id}",
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
            name="bookmark_id", attr="bookmark_id", location="path", type="integer", required=True
        ),
        Param(
            name="v",
            attr="v",
            location="query",
            type="integer",
            required=True,
            enum=(2,),
            default=2,
        ),
    ),
    body=None,
    response=Later(lambda: m.BookmarkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Get one saved report",
    scope="maybe",
    entity={"kind": "bookmark", "action": "get"},
)


def get_bookmark(
    *,
    bookmark_id: int,
    v: Literal[2] | None = 2,
) -> Request[m.Bookmark]:
    """GET /projects/{project_id}/bookmarks/{bookmark_id} — Get one saved report."""
    return build(GET_BOOKMARK, {"bookmark_id": bookmark_id, "v": v}, None)


# PATCH /projects/{project_id}/bookmarks/{bookmark_id}
UPDATE_BOOKMARK = Operation(
    operation_id="update_bookmark",
    family="bookmarks",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/bookmarks/{bookmark_id}",
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
            name="bookmark_id", attr="bookmark_id", location="path", type="integer", required=True
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateBookmarkParams)),
    response=Later(lambda: m.BookmarkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Update a saved report (partial)",
    scope="maybe",
    entity={"kind": "bookmark", "write_only": ["v"], "action": "update"},
)


def update_bookmark(
    *,
    bookmark_id: int,
    body: m.UpdateBookmarkParams | Mapping[str, Any],
) -> Request[m.Bookmark]:
    """PATCH /projects/{project_id}/bookmarks/{bookmark_id} — Update a saved report (partial)."""
    return build(UPDATE_BOOKMARK, {"bookmark_id": bookmark_id}, body)


# DELETE /projects/{project_id}/bookmarks/{bookmark_id}
DELETE_BOOKMARK = Operation(
    operation_id="delete_bookmark",
    family="bookmarks",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/bookmarks/{bookmark_id}",
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
            name="bookmark_id", attr="bookmark_id", location="path", type="integer", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.BookmarkOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete a saved report (it leaves every dashboard too)",
    scope="maybe",
    entity={"kind": "bookmark", "action": "delete"},
)


def delete_bookmark(
    *,
    bookmark_id: int,
) -> Request[object]:
    """DELETE /projects/{project_id}/bookmarks/{bookmark_id} — Delete a saved report (it leaves every dashboard too)."""
    return build(DELETE_BOOKMARK, {"bookmark_id": bookmark_id}, None)


# GET /projects/{project_id}/bookmarks/{bookmark_id}/history
GET_BOOKMARK_HISTORY = Operation(
    operation_id="get_bookmark_history",
    family="bookmarks",
    method="GET",
    host="app",
    path="/projects/{project_id}/bookmarks/{bookmark_id}/history",
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
            name="bookmark_id", attr="bookmark_id", location="path", type="integer", required=True
        ),
        Param(name="cursor", attr="cursor", location="query", type="string"),
        Param(name="page_size", attr="page_size", location="query", type="integer", minimum=1),
    ),
    body=None,
    response=Later(lambda: m.BookmarkHistoryEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging={"style": "cursor"},
    summary="The change log of a saved report, newest first",
    scope="maybe",
    entity={"kind": "bookmark", "action": "history"},
)


def get_bookmark_history(
    *,
    bookmark_id: int,
    cursor: str | None = None,
    page_size: int | None = None,
) -> Request[m.BookmarkHistoryResponse]:
    """GET /projects/{project_id}/bookmarks/{bookmark_id}/history — The change log of a saved report, newest first."""
    return build(
        GET_BOOKMARK_HISTORY,
        {"bookmark_id": bookmark_id, "cursor": cursor, "page_size": page_size},
        None,
    )


# GET /projects/{project_id}/bookmarks/{bookmark_id}/linked-dashboard-ids
BOOKMARK_LINKED_DASHBOARD_IDS = Operation(
    operation_id="bookmark_linked_dashboard_ids",
    family="bookmarks",
    method="GET",
    host="app",
    path="/projects/{project_id}/bookmarks/{bookmark_id}/linked-dashboard-ids",
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
            name="bookmark_id", attr="bookmark_id", location="path", type="integer", required=True
        ),
    ),
    body=None,
    response=Later(lambda: m.BookmarkDashboardIdsResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Ids of the dashboards a saved report is on",
    scope="maybe",
    entity={"kind": "bookmark", "action": "linked_dashboards"},
)


def bookmark_linked_dashboard_ids(
    *,
    bookmark_id: int,
) -> Request[list[int]]:
    """GET /projects/{project_id}/bookmarks/{bookmark_id}/linked-dashboard-ids — Ids of the dashboards a saved report is on."""
    return build(BOOKMARK_LINKED_DASHBOARD_IDS, {"bookmark_id": bookmark_id}, None)


OPERATIONS: dict[str, Operation] = {
    "bookmark_linked_dashboard_ids": BOOKMARK_LINKED_DASHBOARD_IDS,
    "bulk_delete_bookmarks": BULK_DELETE_BOOKMARKS,
    "bulk_update_bookmarks": BULK_UPDATE_BOOKMARKS,
    "create_bookmark": CREATE_BOOKMARK,
    "delete_bookmark": DELETE_BOOKMARK,
    "get_bookmark": GET_BOOKMARK,
    "get_bookmark_history": GET_BOOKMARK_HISTORY,
    "list_bookmarks_v2": LIST_BOOKMARKS_V2,
    "update_bookmark": UPDATE_BOOKMARK,
}
