"""Mixpanel's response bodies: JSON answers, and errors in the shape of each host family.

The error texts themselves live in `errors.py`. Each host family answers errors in
its own shape: the query/export/engage APIs `{"request": <path>, "error": <text>}`, the App API
`{"status": "error", "error": <text>}` (with a `type` on experiments and feature flags; flag
evaluation answers the same without it), `/import` `{"code", "error", "status", ...}` and the
live ingestion endpoints `{"status": 0, "error": <text>}` (or a bare `0` when not verbose).
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from mixpanel_async.emulator.errors import ERROR_TYPES, TYPED_ERROR_PATHS
from mixpanel_async.transport.redact import mask_query

JSON = "application/json"

STATUS_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
"""Reason phrases, for `/import`'s `status` field and for injected faults without a body."""


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """`data` as a JSON response."""
    return web.Response(body=orjson.dumps(data), status=status, content_type=JSON, headers=headers)


def error(
    family: str, status: int, message: str, request: web.Request, **extra: Any
) -> web.Response:
    """An error in the shape `family` (query/export/engage/app/ingestion/import/record/lookup) uses;
    secret parameter values (`api_key=`, `secret=`, `token=`) are masked in what it quotes."""
    message = mask_query(message)
    body: Any
    if family == "app":
        body = {"status": "error", "error": message, **extra}
        if any(part in request.path for part in TYPED_ERROR_PATHS):
            body.setdefault("type", ERROR_TYPES.get(status, "server_error"))
    elif family == "import":
        body = {
            "code": status,
            "error": message,
            "status": STATUS_TEXT.get(status, "Error"),
            "num_records_imported": extra.pop("num_records_imported", 0),
            **extra,
        }
    elif family == "lookup":  # the ingestion host's lookup tables: `{code, error, status}`
        body = {"code": status, "error": message, "status": STATUS_TEXT.get(status, "Error"),
                **extra}  # fmt: skip
    elif family == "flags":  # the flag-evaluation endpoints' published error body
        body = {"status": "error", "error": message, **extra}
    elif family == "record":  # session recordings answer `{code, status}` either way
        body = {"code": status, "status": "error", "error": message}
    elif family == "ingestion":
        if request.query.get("verbose") in ("1", "true") or extra.pop("verbose", False):
            body = {"status": 0, "error": message}
        else:
            # Mixpanel answers a request it could not use with a 200 `0`; other statuses stand.
            status = 200 if status == 400 else status
            return web.Response(text="0", status=status, content_type="text/plain")
    else:
        body = {"request": mask_query(request.path_qs), "error": message, **extra}
    return json_response(body, status=status)
