# Generated from openapi/data_definitions.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class DataDefinitionsErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class DataDefinitionsQueryErrorResponse:
    error: str
    request: str | None = None


@attrs.frozen(kw_only=True)
class DataDefinitionsListResponse:
    results: list[dict[str, Any]]
    status: str | None = None
