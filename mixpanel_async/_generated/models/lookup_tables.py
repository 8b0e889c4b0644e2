# Generated from openapi/lookup_tables.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class LookupTableId:
    id: str
    name: str


@attrs.frozen(kw_only=True)
class LookupTableIdList:
    results: list[LookupTableId]
    code: int | None = None
    status: str | None = None


@attrs.frozen(kw_only=True)
class LookupTableReceived:
    code: int | None = None
    status: str | None = None


@attrs.frozen(kw_only=True)
class LookupTableFailedRow:
    index: int
    message: str


@attrs.frozen(kw_only=True)
class LookupTableInvalid:
    error: str
    code: int | None = None
    status: str | None = None
    failed_records: list[LookupTableFailedRow] | None = None


@attrs.frozen(kw_only=True)
class LookupTableStrictError:
    error: str
    code: int | None = None
    status: str | None = None


@attrs.frozen(kw_only=True)
class LookupTableErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class LookupTableOkResponse:
    status: str | None = None
    results: Any | None = None


@attrs.frozen(kw_only=True)
class LookupTable:
    id: int
    name: str
    token: str | None = None
    created_at: str | None = attrs.field(default=None, metadata={"wire": "createdAt"})
    last_modified_at: str | None = attrs.field(default=None, metadata={"wire": "lastModifiedAt"})
    has_mapped_properties: bool | None = attrs.field(
        default=None, metadata={"wire": "hasMappedProperties"}
    )


@attrs.frozen(kw_only=True)
class LookupTableResponse:
    status: str
    results: LookupTable


@attrs.frozen(kw_only=True)
class LookupTableListResponse:
    status: str
    results: list[LookupTable]


@attrs.frozen(kw_only=True)
class RegisterLookupTableForm:
    name: str
    key: str
    path: str | None = None
    data_group_id: int | None = attrs.field(default=None, metadata={"wire": "data-group-id"})


@attrs.frozen(kw_only=True)
class RegisterLookupTableResults:
    """A table (`id`, `name`, ...) or, for a background upload, `uploadId` alone."""

    upload_id: str | None = attrs.field(default=None, metadata={"wire": "uploadId"})
    id: int | None = None
    name: str | None = None
    token: str | None = None
    created_at: str | None = attrs.field(default=None, metadata={"wire": "createdAt"})
    last_modified_at: str | None = attrs.field(default=None, metadata={"wire": "lastModifiedAt"})
    has_mapped_properties: bool | None = attrs.field(
        default=None, metadata={"wire": "hasMappedProperties"}
    )


@attrs.frozen(kw_only=True)
class RegisterLookupTableResponse:
    status: str
    results: RegisterLookupTableResults


@attrs.frozen(kw_only=True)
class UpdateLookupTableBody:
    data_group_id: int = attrs.field(metadata={"wire": "data-group-id"})
    name: str | None = None


@attrs.frozen(kw_only=True)
class DeleteLookupTablesBody:
    data_group_ids: list[int] = attrs.field(metadata={"wire": "data-group-ids"})


@attrs.frozen(kw_only=True)
class LookupTableUploadUrl:
    url: str
    path: str
    key: str


@attrs.frozen(kw_only=True)
class LookupUploadUrlResponse:
    status: str
    results: LookupTableUploadUrl


@attrs.frozen(kw_only=True)
class LookupUploadStatusResponse:
    status: str
    results: dict[str, Any]


@attrs.frozen(kw_only=True)
class LookupDownloadUrl:
    url: str


@attrs.frozen(kw_only=True)
class LookupDownloadUrlResponse:
    status: str
    results: LookupDownloadUrl
