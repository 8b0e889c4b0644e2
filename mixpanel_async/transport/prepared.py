"""A request ready for the wire, and the encoding of its body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import attrs

from mixpanel_async._operation import Operation
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.transport import codec

FORM = "application/x-www-form-urlencoded"


@attrs.frozen
class Prepared:
    """A request ready for the wire."""

    method: str
    url: str
    family: str
    rate_limit: str
    params: list[tuple[str, str]]
    body: bytes | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    follow_redirects: bool = True
    operation: str | None = None
    """The spec's operationId (None for `raw`)."""
    template: str | None = None
    """The path as the spec writes it (`/api/app/projects/{project_id}/...`): telemetry names
    requests by it, never by the URL with its ids and query."""


def encode_body(op: Operation, body: Any, headers: dict[str, str]) -> bytes | None:
    """The request body in the spec's first media type (setting its `Content-Type` in
    `headers`); None when the operation or the call has none.

    Raises:
        ParamValidationError: a form body that is not a mapping.
    """
    if body is None or op.body is None:
        return None
    media = op.body.media_types[0]
    headers["Content-Type"] = media
    if isinstance(body, bytes):
        return body  # already encoded (in the spec's first media type) by the caller
    data = codec.unstructure(body)
    if media == FORM:
        if not isinstance(data, Mapping):
            raise ParamValidationError("a form body must be a mapping", param="body")
        fields = {
            k: v if isinstance(v, str) else codec.dumps(v).decode()
            for k, v in data.items()
            if v is not None
        }
        return urlencode(fields).encode()
    if media == "application/x-ndjson":
        return b"".join(codec.dumps(item) + b"\n" for item in data)
    return codec.dumps(data)
