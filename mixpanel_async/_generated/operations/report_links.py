# Generated from openapi/report_links.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

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
    from mixpanel_async._generated.models import report_links as m
else:
    m = LazyModule("mixpanel_async._generated.models.report_links")

__all__ = [
    "CREATE_BOOKMARK_URL",
    "create_bookmark_url",
    "GET_BOOKMARK_URL",
    "get_bookmark_url",
    "RESOLVE_SHORT_LINK",
    "resolve_short_link",
    "OPERATIONS",
]

# POST /projects/{project_id}/bookmark-urls/
CREATE_BOOKMARK_URL = Operation(
    operation_id="create_bookmark_url",
    family="report_links",
    method="POST",
    host="app",
    path="/projects/{project_id}/bookmark-urls/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateBookmarkUrlParams)),
    response=Later(lambda: m.BookmarkUrlResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Store an unsaved report under a client-minted slug",
    scope="project",
    entity={"kind": "bookmark_url", "id": "slug", "action": "create_slug", "unique": ["slug"]},
)


def create_bookmark_url(
    *,
    body: m.CreateBookmarkUrlParams | Mapping[str, Any],
) -> Request[m.BookmarkUrl]:
    """POST /projects/{project_id}/bookmark-urls/ — Store an unsaved report under a client-minted slug.

    The record is created, never overwritten: a slug already taken is refused. The answer is the
    stored record, with the server's `created_at`, `project_id` and `user_id`.
    """
    return build(CREATE_BOOKMARK_URL, {}, body)


# GET /projects/{project_id}/bookmark-urls/{slug}/
GET_BOOKMARK_URL = Operation(
    operation_id="get_bookmark_url",
    family="report_links",
    method="GET",
    host="app",
    path="/projects/{project_id}/bookmark-urls/{slug}/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="slug", attr="slug", location="path", type="string", required=True),
    ),
    body=None,
    response=Later(lambda: m.BookmarkUrlResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Read the unsaved report stored under a slug",
    scope="project",
    entity={"kind": "bookmark_url", "id": "slug", "action": "get_slug"},
)


def get_bookmark_url(
    *,
    slug: str,
) -> Request[m.BookmarkUrl]:
    """GET /projects/{project_id}/bookmark-urls/{slug}/ — Read the unsaved report stored under a slug.

    A slug is readable only in the project (and region) that stored it. When the record names a
    saved report that still exists, the answer embeds it as `bookmark` in place of
    `bookmark_id`.
    """
    return build(GET_BOOKMARK_URL, {"slug": slug}, None)


# GET /s/{code}
RESOLVE_SHORT_LINK = Operation(
    operation_id="resolve_short_link",
    family="report_links",
    method="GET",
    host="web",
    path="/s/{code}",
    params=(Param(name="code", attr="code", location="path", type="string", required=True),),
    body=None,
    response=str,
    response_media_type="text/html",
    rate_limit="app",
    paging=None,
    summary="Expand a short link to the report URL it stands for",
)


def resolve_short_link(
    *,
    code: str,
) -> Request[str]:
    """GET /s/{code} — Expand a short link to the report URL it stands for.

    Answers a redirect (301/302/303/307/308) whose `Location` is the target, or a 200 HTML page
    whose script sets `window.location.href = "<target>"` (for very long targets); a request
    without a session is sent to `/login`. Clients read the target and do not follow it. An
    unknown code is a 404.
    """
    return build(RESOLVE_SHORT_LINK, {"code": code}, None)


OPERATIONS: dict[str, Operation] = {
    "create_bookmark_url": CREATE_BOOKMARK_URL,
    "get_bookmark_url": GET_BOOKMARK_URL,
    "resolve_short_link": RESOLVE_SHORT_LINK,
}
