"""Lookup tables (App API): list, upload (signed URL, PUT, register, poll), rename, delete,
download as a Polars frame.

An upload takes a CSV path, CSV bytes or a `polars.DataFrame` (written as CSV; its first
column is the key the table is looked up by). The file goes to a signed cloud-storage URL
without Mixpanel credentials, as Mixpanel's web app sends it.
"""

from __future__ import annotations

import asyncio
import io
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import build, entity_id, id_list, instance, int_range, text
from mixpanel_async.exceptions import (
    MixpanelAsyncError,
    ParamValidationError,
    ResponseValidationError,
)

if TYPE_CHECKING:
    import polars as pl

    from mixpanel_async._generated.models import lookup_tables as m
    from mixpanel_async._generated.operations import lookup_tables as ops
else:
    pl = LazyModule("polars")
    m = LazyModule("mixpanel_async._generated.models.lookup_tables")
    ops = LazyModule("mixpanel_async._generated.operations.lookup_tables")

CsvSource = Union[str, os.PathLike[str], bytes, "pl.DataFrame"]
"""What a lookup table uploads from: a CSV file's path, CSV bytes, or a frame."""


@attrs.frozen(kw_only=True)
class UploadLookupTableParams:
    """A lookup table to upload: `name`, the CSV (`file_path`, or `data` as bytes or a frame)
    and, to replace an existing table's contents, its `data_group_id`."""

    name: str
    file_path: str | os.PathLike[str] | None = None
    data: bytes | pl.DataFrame | None = None
    data_group_id: int | None = None


@attrs.frozen(kw_only=True)
class MarkLookupTableReadyParams:
    """Register a file already PUT to an upload URL: `name`, the upload's `key` and, to
    replace an existing table's contents, its `data_group_id`."""

    name: str
    key: str
    data_group_id: int | None = None


@attrs.frozen(kw_only=True)
class UpdateLookupTableParams:
    """Changes to a lookup table (its `name`)."""

    name: str | None = None


def _csv_bytes(params: UploadLookupTableParams) -> bytes:
    """The CSV to upload, from exactly one of `file_path` and `data`."""
    if (params.file_path is None) == (params.data is None):
        raise ParamValidationError("give exactly one of file_path and data", param="file_path")
    if params.file_path is not None:
        if not isinstance(params.file_path, str | os.PathLike):
            raise ParamValidationError("file_path must be a path", param="file_path")
        return Path(params.file_path).read_bytes()
    if isinstance(params.data, pl.DataFrame):
        if params.data.width < 1:
            raise ParamValidationError("data must have at least one column", param="data")
        out = io.BytesIO()
        params.data.write_csv(out)
        return out.getvalue()
    if isinstance(params.data, bytes):
        return params.data
    raise ParamValidationError(
        f"data must be bytes or a polars.DataFrame, got {type(params.data).__name__}",
        param="data",
    )


def _group(value: int | None) -> int | None:
    return None if value is None else entity_id(value, "data_group_id")


class LookupTablesMixin(Base):
    """Lookup tables: CSVs that describe the values a property holds."""

    async def list_lookup_tables(self, data_group_id: int | None = None) -> list[m.LookupTable]:
        """The project's lookup tables (or the one `data_group_id` names)."""
        return await self._call(ops.list_lookup_tables, data_group_id=_group(data_group_id))

    async def get_lookup_upload_url(self, content_type: str = "text/csv") -> m.LookupTableUploadUrl:
        """A signed URL to PUT a CSV to, with the `path` and `key` that register it."""
        kind = text(content_type, "content_type")
        return await self._call(ops.get_lookup_upload_url, content_type=kind)

    async def get_lookup_upload_status(self, upload_id: str) -> dict[str, Any]:
        """The state of a background upload: `uploadStatus` and, once done, `result`."""
        return await self._call(
            ops.get_lookup_upload_status, upload_id=text(upload_id, "upload_id")
        )

    async def mark_lookup_table_ready(self, params: MarkLookupTableReadyParams) -> m.LookupTable:
        """Register a file already PUT to an upload URL as a lookup table."""
        instance(params, MarkLookupTableReadyParams)
        form = m.RegisterLookupTableForm(
            name=text(params.name, "name"), key=text(params.key, "key"),
            data_group_id=_group(params.data_group_id),
        )  # fmt: skip
        done = await self._call(ops.register_lookup_table, body=form)
        if done.id is None:
            raise ResponseValidationError("mark_lookup_table_ready: no table in the answer")
        return _table(done, params.name)

    async def upload_lookup_table(
        self,
        params: UploadLookupTableParams,
        *,
        poll_interval: float = 2.0,
        max_poll_seconds: float = 300.0,
    ) -> m.LookupTable:
        """Upload a CSV (path, bytes or frame) as a lookup table, or as the new contents of
        `data_group_id`: signed URL, PUT without credentials, register, then poll a
        background upload every `poll_interval` seconds for at most `max_poll_seconds`."""
        instance(params, UploadLookupTableParams)
        name = text(params.name, "name")
        if len(name) > 255:
            raise ParamValidationError("name must be at most 255 characters", param="name")
        group = _group(params.data_group_id)
        for value, label in (
            (poll_interval, "poll_interval"),
            (max_poll_seconds, "max_poll_seconds"),
        ):
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ParamValidationError(f"{label} must be a positive number", param=label)
        csv = await asyncio.to_thread(_csv_bytes, params)  # a file read, a frame written
        target = await self.get_lookup_upload_url()
        await self._put_signed(target.url, csv)
        form = m.RegisterLookupTableForm(name=name, key=target.key, path=target.path,
                                         data_group_id=group)  # fmt: skip
        done = await self._call(ops.register_lookup_table, body=form)
        if done.upload_id is not None:
            return await self._await_upload(done.upload_id, name, poll_interval, max_poll_seconds)
        return _table(done, name)

    async def update_lookup_table(
        self, data_group_id: int, params: UpdateLookupTableParams
    ) -> m.LookupTable:
        """Rename a lookup table."""
        instance(params, UpdateLookupTableParams)
        name = None if params.name is None else text(params.name, "name")
        body = m.UpdateLookupTableBody(
            name=name, data_group_id=entity_id(data_group_id, "data_group_id")
        )
        return await self._call(ops.update_lookup_table, body=body)

    async def delete_lookup_tables(self, data_group_ids: list[int]) -> None:
        """Delete lookup tables by data group id (all of them, or none if one is unknown)."""
        ids = id_list(data_group_ids, "data_group_ids")
        await self._call(
            ops.delete_lookup_tables, body=m.DeleteLookupTablesBody(data_group_ids=ids)
        )

    async def download_lookup_table(
        self, data_group_id: int, *, file_name: str | None = None, limit: int | None = None
    ) -> pl.DataFrame:
        """A lookup table's contents as a frame, every column as text (as the CSV holds
        them); at most `limit` rows."""
        request = build(
            ops.download_lookup_table,
            data_group_id=entity_id(data_group_id, "data_group_id"),
            file_name=None if file_name is None else text(file_name, "file_name"),
            limit=None if limit is None else int_range(limit, "limit", 1),
        )
        _, body, _ = await self._transport.send(self._transport.prepare(request))
        return pl.read_csv(io.BytesIO(body), infer_schema=False)

    async def get_lookup_download_url(self, data_group_id: int) -> str:
        """A signed URL the table's CSV can be fetched from without credentials."""
        got = await self._call(
            ops.get_lookup_download_url, data_group_id=entity_id(data_group_id, "data_group_id")
        )
        return got.url

    async def _put_signed(self, url: str, csv: bytes) -> None:
        """PUT the CSV to a signed storage URL: no Mixpanel credentials, no retry."""
        async with self._transport.http().put(
            url, data=io.BytesIO(csv), headers={"Content-Type": "text/csv"}
        ) as response:
            if response.status >= 300:
                detail = (await response.text())[:500]
                raise MixpanelAsyncError(
                    f"uploading the lookup table CSV answered {response.status}: {detail}",
                    code="UPLOAD_ERROR",
                )

    async def _await_upload(
        self, upload_id: str, name: str, interval: float, limit: float
    ) -> m.LookupTable:
        """Poll a background upload until it succeeds (its table), fails or times out."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            await asyncio.sleep(interval)
            status = await self.get_lookup_upload_status(upload_id)
            state = status.get("uploadStatus")
            if state == "SUCCESS" and isinstance(status.get("result"), dict):
                return m.LookupTable(**_fields({"name": name, **status["result"]}))
            if state in ("FAILURE", "REVOKED", "NOTFOUND"):
                raise MixpanelAsyncError(
                    f"lookup table upload {upload_id} ended {state}", code=f"UPLOAD_{state}"
                )
        raise MixpanelAsyncError(
            f"lookup table upload {upload_id} did not finish within {limit} s; "
            "check it with get_lookup_upload_status()",
            code="UPLOAD_TIMEOUT",
        )


def _fields(raw: dict[str, Any]) -> dict[str, Any]:
    """A status `result` as `LookupTable` keyword arguments."""
    names = {"createdAt": "created_at", "lastModifiedAt": "last_modified_at",
             "hasMappedProperties": "has_mapped_properties"}  # fmt: skip
    known = {"id", "name", "token", *names.values()}
    renamed = {names.get(k, k): v for k, v in raw.items()}
    return {k: v for k, v in renamed.items() if k in known}


def _table(done: m.RegisterLookupTableResults, name: str) -> m.LookupTable:
    """A registration's answer as a `LookupTable` (its name filled in when missing)."""
    if done.id is None:
        raise ResponseValidationError("register_lookup_table: no table id in the answer")
    return m.LookupTable(
        id=done.id, name=done.name or name, token=done.token, created_at=done.created_at,
        last_modified_at=done.last_modified_at, has_mapped_properties=done.has_mapped_properties,
    )  # fmt: skip
