# Generated from openapi/export.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class ExportedEventProperties:
    """All properties of the event as stored, including any custom ones."""

    time: int
    distinct_id: str | None = None
    insert_id: str | None = attrs.field(default=None, metadata={"wire": "$insert_id"})
    mp_processing_time_ms: int | None = None


@attrs.frozen(kw_only=True)
class ExportErrorResponse:
    """Error body as Mixpanel sends it (not in Mixpanel's published specs); some errors come back as plain text instead."""

    error: str
    request: str | None = None


@attrs.frozen(kw_only=True)
class ExportedEvent:
    """One line of the export stream."""

    event: str
    properties: ExportedEventProperties
