# Generated from openapi/ingestion.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal

import attrs


@attrs.frozen(kw_only=True)
class EventProperties:
    """Reserved properties plus any custom ones (fewer than 255 in all)."""

    token: str | None = None
    time: float | None = None
    distinct_id: str | None = None
    insert_id: str | None = attrs.field(default=None, metadata={"wire": "$insert_id"})
    ip: str | None = None
    mp_lib: str | None = None
    lib_version: str | None = attrs.field(default=None, metadata={"wire": "$lib_version"})


@attrs.frozen(kw_only=True)
class ImportEventProperties:
    """Reserved properties plus any custom ones (fewer than 255 in all). Mixpanel requires `time` on every event but the identity ones (`$merge` carries only `$distinct_ids`); `distinct_id` and `$insert_id` are optional (`$device_id` / `$user_id` can stand in for the first)."""

    time: int | None = None
    distinct_id: str | None = None
    insert_id: str | None = attrs.field(default=None, metadata={"wire": "$insert_id"})
    token: str | None = None
    ip: str | None = None
    device_id: str | None = attrs.field(default=None, metadata={"wire": "$device_id"})
    user_id: str | None = attrs.field(default=None, metadata={"wire": "$user_id"})
    distinct_ids: list[str] | None = attrs.field(default=None, metadata={"wire": "$distinct_ids"})


@attrs.frozen(kw_only=True)
class ProfileUpdate:
    """One user profile update; normally exactly one operation key is present."""

    token: str = attrs.field(metadata={"wire": "$token"})
    distinct_id: str = attrs.field(metadata={"wire": "$distinct_id"})
    time: float | None = attrs.field(default=None, metadata={"wire": "$time"})
    ip: str | None = attrs.field(default=None, metadata={"wire": "$ip"})
    ignore_time: bool | None = attrs.field(default=None, metadata={"wire": "$ignore_time"})
    ignore_alias: bool | None = attrs.field(default=None, metadata={"wire": "$ignore_alias"})
    set: dict[str, Any] | None = attrs.field(default=None, metadata={"wire": "$set"})
    set_once: dict[str, Any] | None = attrs.field(default=None, metadata={"wire": "$set_once"})
    add: dict[str, float] | None = attrs.field(default=None, metadata={"wire": "$add"})
    append: dict[str, Any] | None = attrs.field(default=None, metadata={"wire": "$append"})
    union: dict[str, Any] | None = attrs.field(default=None, metadata={"wire": "$union"})
    remove: dict[str, Any] | None = attrs.field(default=None, metadata={"wire": "$remove"})
    unset: list[str] | None = attrs.field(default=None, metadata={"wire": "$unset"})
    delete: Any | None = attrs.field(default=None, metadata={"wire": "$delete"})


@attrs.frozen(kw_only=True)
class GroupUpdate:
    """One group profile update; normally exactly one operation key is present."""

    token: str = attrs.field(metadata={"wire": "$token"})
    group_key: str = attrs.field(metadata={"wire": "$group_key"})
    group_id: str = attrs.field(metadata={"wire": "$group_id"})
    set: dict[str, Any] | None = attrs.field(default=None, metadata={"wire": "$set"})
    set_once: dict[str, Any] | None = attrs.field(default=None, metadata={"wire": "$set_once"})
    union: dict[str, Any] | None = attrs.field(default=None, metadata={"wire": "$union"})
    remove: dict[str, Any] | None = attrs.field(default=None, metadata={"wire": "$remove"})
    unset: list[str] | None = attrs.field(default=None, metadata={"wire": "$unset"})
    delete: Any | None = attrs.field(default=None, metadata={"wire": "$delete"})


@attrs.frozen(kw_only=True)
class ProfileUpdateFormRequest:
    """Form body of `/engage` (ingestion) as SDKs send it."""

    data: ProfileUpdate | list[ProfileUpdate]
    verbose: Literal[0, 1] | None = None
    ip: Literal[0, 1] | None = None


@attrs.frozen(kw_only=True)
class GroupUpdateFormRequest:
    """Form body of `/groups` as SDKs send it."""

    data: GroupUpdate | list[GroupUpdate]
    verbose: Literal[0, 1] | None = None
    ip: Literal[0, 1] | None = None


@attrs.frozen(kw_only=True)
class VerboseResponse:
    """Answer of `/track`, `/engage` and `/groups` with `verbose=1`."""

    status: Literal[0, 1]
    error: str | None


@attrs.frozen(kw_only=True)
class ImportResponse:
    """Success answer of `/import`. JSON and NDJSON bodies get `{code: 200, num_records_imported, status: "OK"}`; the legacy form with `verbose=1` gets the verbose shape `{status: 1, error: null}`."""

    status: str | int
    code: int | None = None
    num_records_imported: int | None = None
    error: str | None = None


@attrs.frozen(kw_only=True)
class ImportFailedRecord:
    index: int
    message: str
    insert_id: str | None = attrs.field(default=None, metadata={"wire": "$insert_id"})
    published_insert_id: str | None = attrs.field(default=None, metadata={"wire": "insert_id"})
    field: str | None = None


@attrs.frozen(kw_only=True)
class IngestionErrorResponse:
    """Refusal from `/track`, `/engage` or `/groups`. Mixpanel's spec gives `status: "error"`; verbose answers carry `status: 0`."""

    error: str
    status: str | int | None = None


@attrs.frozen(kw_only=True)
class IngestionStrictErrorResponse:
    """Error answer of `/import` (401, 413, 429) and of any ingestion endpoint on 413/429."""

    error: str
    code: int | None = None
    status: str | None = None


@attrs.frozen(kw_only=True)
class Event:
    """One event as `/track` takes it."""

    event: str
    properties: EventProperties


@attrs.frozen(kw_only=True)
class ImportEvent:
    """One event as `/import` takes it."""

    event: str
    properties: ImportEventProperties


@attrs.frozen(kw_only=True)
class TrackFormRequest:
    """Form body of `/track` as SDKs send it."""

    data: Event | list[Event]
    verbose: Literal[0, 1] | None = None
    ip: Literal[0, 1] | None = None


@attrs.frozen(kw_only=True)
class ImportFormRequest:
    """Legacy form body of `/import` as the official Python SDK sends it."""

    data: ImportEvent | list[ImportEvent]
    verbose: Literal[0, 1] | None = None
    ip: Literal[0, 1] | None = None
    api_key: str | None = None


@attrs.frozen(kw_only=True)
class ImportErrorResponse:
    """400 answer of `/import` with `strict=1`."""

    code: int
    error: str
    status: str
    failed_records: list[ImportFailedRecord]
    num_records_imported: int | None = None
