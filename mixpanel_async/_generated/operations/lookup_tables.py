# Generated from openapi/lookup_tables.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import lookup_tables as m
else:
    m = LazyModule("mixpanel_async._generated.models.lookup_tables")

__all__ = [
    "DELETE_LOOKUP_TABLES",
    "delete_lookup_tables",
    "DOWNLOAD_LOOKUP_TABLE",
    "download_lookup_table",
    "GET_LOOKUP_DOWNLOAD_URL",
    "get_lookup_download_url",
    "GET_LOOKUP_UPLOAD_STATUS",
    "get_lookup_upload_status",
    "GET_LOOKUP_UPLOAD_URL",
    "get_lookup_upload_url",
    "LIST_LOOKUP_TABLE_IDS",
    "list_lookup_table_ids",
    "LIST_LOOKUP_TABLES",
    "list_lookup_tables",
    "REGISTER_LOOKUP_TABLE",
    "register_lookup_table",
    "REPLACE_LOOKUP_TABLE",
    "replace_lookup_table",
    "UPDATE_LOOKUP_TABLE",
    "update_lookup_table",
    "OPERATIONS",
]

# GET /lookup-tables
LIST_LOOKUP_TABLE_IDS = Operation(
    operation_id="list_lookup_table_ids",
    family="lookup_tables",
    method="GET",
    host="ingestion",
    path="/lookup-tables",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=None,
    response=Later(lambda: m.LookupTableIdList),
    response_media_type="application/json",
    rate_limit="ingestion",
    paging=None,
    summary="The project's lookup tables by id (Mixpanel's published ingestion endpoint)",
)


def list_lookup_table_ids() -> Request[m.LookupTableIdList]:
    """GET /lookup-tables — The project's lookup tables by id (Mixpanel's published ingestion endpoint).

    Each table's `id` is a UUID, stable for the table (the emulator derives it from the project
    and the table's data group id); `{code, status, results: [{id, name}]}`.
    """
    return build(LIST_LOOKUP_TABLE_IDS, {}, None)


# PUT /lookup-tables/{id}
REPLACE_LOOKUP_TABLE = Operation(
    operation_id="replace_lookup_table",
    family="lookup_tables",
    method="PUT",
    host="ingestion",
    path="/lookup-tables/{id}",
    params=(
        Param(name="id", attr="id", location="path", type="string", required=True, format="uuid"),
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=Body(media_types=("text/csv",), model=None),
    response=Later(lambda: m.LookupTableReceived),
    response_media_type="application/json",
    rate_limit="ingestion",
    paging=None,
    summary="Replace a lookup table's contents with a CSV (Mixpanel's published ingestion endpoint)",
)


def replace_lookup_table(
    *,
    id: str,
    body: Any,
) -> Request[m.LookupTableReceived]:
    """PUT /lookup-tables/{id} — Replace a lookup table's contents with a CSV (Mixpanel's published ingestion endpoint).

    The body is the CSV itself (`text/csv`): a header row whose first column is the key, then
    one row per key. A row with a blank key or the wrong number of fields refuses the whole file
    (400 listing them in `failed_records`, the table unchanged); an unknown id is a 404.
    """
    return build(REPLACE_LOOKUP_TABLE, {"id": id}, body)


# GET /projects/{project_id}/data-definitions/lookup-tables/
LIST_LOOKUP_TABLES = Operation(
    operation_id="list_lookup_tables",
    family="lookup_tables",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/lookup-tables/",
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
            name="data-group-id", attr="data_group_id", location="query", type="integer", minimum=1
        ),
    ),
    body=None,
    response=Later(lambda: m.LookupTableListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="The project's lookup tables",
    scope="maybe",
)


def list_lookup_tables(
    *,
    data_group_id: int | None = None,
) -> Request[list[m.LookupTable]]:
    """GET /projects/{project_id}/data-definitions/lookup-tables/ — The project's lookup tables."""
    return build(LIST_LOOKUP_TABLES, {"data_group_id": data_group_id}, None)


# POST /projects/{project_id}/data-definitions/lookup-tables/
REGISTER_LOOKUP_TABLE = Operation(
    operation_id="register_lookup_table",
    family="lookup_tables",
    method="POST",
    host="app",
    path="/projects/{project_id}/data-definitions/lookup-tables/",
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
    body=Body(
        media_types=("application/x-www-form-urlencoded",),
        model=Later(lambda: m.RegisterLookupTableForm),
    ),
    response=Later(lambda: m.RegisterLookupTableResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Register an uploaded CSV as a lookup table (or as new contents of one)",
    scope="maybe",
)


def register_lookup_table(
    *,
    body: m.RegisterLookupTableForm | Mapping[str, Any],
) -> Request[m.RegisterLookupTableResults]:
    """POST /projects/{project_id}/data-definitions/lookup-tables/ — Register an uploaded CSV as a lookup table (or as new contents of one).

    Answers the table, or `{uploadId}` when the file is processed in the background.
    """
    return build(REGISTER_LOOKUP_TABLE, {}, body)


# PATCH /projects/{project_id}/data-definitions/lookup-tables/
UPDATE_LOOKUP_TABLE = Operation(
    operation_id="update_lookup_table",
    family="lookup_tables",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/data-definitions/lookup-tables/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateLookupTableBody)),
    response=Later(lambda: m.LookupTableResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Rename a lookup table",
    scope="maybe",
)


def update_lookup_table(
    *,
    body: m.UpdateLookupTableBody | Mapping[str, Any],
) -> Request[m.LookupTable]:
    """PATCH /projects/{project_id}/data-definitions/lookup-tables/ — Rename a lookup table."""
    return build(UPDATE_LOOKUP_TABLE, {}, body)


# DELETE /projects/{project_id}/data-definitions/lookup-tables/
DELETE_LOOKUP_TABLES = Operation(
    operation_id="delete_lookup_tables",
    family="lookup_tables",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/data-definitions/lookup-tables/",
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
    body=Body(media_types=("application/json",), model=Later(lambda: m.DeleteLookupTablesBody)),
    response=Later(lambda: m.LookupTableOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete lookup tables by data group id",
    scope="maybe",
)


def delete_lookup_tables(
    *,
    body: m.DeleteLookupTablesBody | Mapping[str, Any],
) -> Request[object]:
    """DELETE /projects/{project_id}/data-definitions/lookup-tables/ — Delete lookup tables by data group id."""
    return build(DELETE_LOOKUP_TABLES, {}, body)


# GET /projects/{project_id}/data-definitions/lookup-tables/download-url/
GET_LOOKUP_DOWNLOAD_URL = Operation(
    operation_id="get_lookup_download_url",
    family="lookup_tables",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/lookup-tables/download-url/",
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
            name="data-group-id",
            attr="data_group_id",
            location="query",
            type="integer",
            required=True,
            minimum=1,
        ),
    ),
    body=None,
    response=Later(lambda: m.LookupDownloadUrlResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="A signed URL the table's CSV can be fetched from without credentials",
    scope="maybe",
)


def get_lookup_download_url(
    *,
    data_group_id: int,
) -> Request[m.LookupDownloadUrl]:
    """GET /projects/{project_id}/data-definitions/lookup-tables/download-url/ — A signed URL the table's CSV can be fetched from without credentials."""
    return build(GET_LOOKUP_DOWNLOAD_URL, {"data_group_id": data_group_id}, None)


# GET /projects/{project_id}/data-definitions/lookup-tables/download/
DOWNLOAD_LOOKUP_TABLE = Operation(
    operation_id="download_lookup_table",
    family="lookup_tables",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/lookup-tables/download/",
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
            name="data-group-id",
            attr="data_group_id",
            location="query",
            type="integer",
            required=True,
            minimum=1,
        ),
        Param(name="file-name", attr="file_name", location="query", type="string"),
        Param(name="limit", attr="limit", location="query", type="integer", minimum=1),
    ),
    body=None,
    response=str,
    response_media_type="text/csv",
    rate_limit="app",
    paging=None,
    summary="A lookup table's CSV",
    scope="maybe",
)


def download_lookup_table(
    *,
    data_group_id: int,
    file_name: str | None = None,
    limit: int | None = None,
) -> Request[str]:
    """GET /projects/{project_id}/data-definitions/lookup-tables/download/ — A lookup table's CSV."""
    return build(
        DOWNLOAD_LOOKUP_TABLE,
        {"data_group_id": data_group_id, "file_name": file_name, "limit": limit},
        None,
    )


# GET /projects/{project_id}/data-definitions/lookup-tables/upload-status/
GET_LOOKUP_UPLOAD_STATUS = Operation(
    operation_id="get_lookup_upload_status",
    family="lookup_tables",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/lookup-tables/upload-status/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(name="upload-id", attr="upload_id", location="query", type="string", required=True),
    ),
    body=None,
    response=Later(lambda: m.LookupUploadStatusResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="The state of a background upload",
    scope="maybe",
)


def get_lookup_upload_status(
    *,
    upload_id: str,
) -> Request[dict[str, Any]]:
    """GET /projects/{project_id}/data-definitions/lookup-tables/upload-status/ — The state of a background upload."""
    return build(GET_LOOKUP_UPLOAD_STATUS, {"upload_id": upload_id}, None)


# GET /projects/{project_id}/data-definitions/lookup-tables/upload-url/
GET_LOOKUP_UPLOAD_URL = Operation(
    operation_id="get_lookup_upload_url",
    family="lookup_tables",
    method="GET",
    host="app",
    path="/projects/{project_id}/data-definitions/lookup-tables/upload-url/",
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
            name="content-type",
            attr="content_type",
            location="query",
            type="string",
            required=True,
            default="text/csv",
        ),
    ),
    body=None,
    response=Later(lambda: m.LookupUploadUrlResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="A signed URL to PUT a CSV to, with the path and key that register it",
    scope="maybe",
)


def get_lookup_upload_url(
    *,
    content_type: str | None = "text/csv",
) -> Request[m.LookupTableUploadUrl]:
    """GET /projects/{project_id}/data-definitions/lookup-tables/upload-url/ — A signed URL to PUT a CSV to, with the path and key that register it."""
    return build(GET_LOOKUP_UPLOAD_URL, {"content_type": content_type}, None)


OPERATIONS: dict[str, Operation] = {
    "delete_lookup_tables": DELETE_LOOKUP_TABLES,
    "download_lookup_table": DOWNLOAD_LOOKUP_TABLE,
    "get_lookup_download_url": GET_LOOKUP_DOWNLOAD_URL,
    "get_lookup_upload_status": GET_LOOKUP_UPLOAD_STATUS,
    "get_lookup_upload_url": GET_LOOKUP_UPLOAD_URL,
    "list_lookup_table_ids": LIST_LOOKUP_TABLE_IDS,
    "list_lookup_tables": LIST_LOOKUP_TABLES,
    "register_lookup_table": REGISTER_LOOKUP_TABLE,
    "replace_lookup_table": REPLACE_LOOKUP_TABLE,
    "update_lookup_table": UPDATE_LOOKUP_TABLE,
}
