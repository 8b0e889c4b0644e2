"""The data audit's result (the seed's `AuditResponse`), with its violations as a frame."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import attrs

from mixpanel_async._generated.models.schemas import AuditViolation
from mixpanel_async._operation import LazyModule
from mixpanel_async.results._common import Result, rows_frame

if TYPE_CHECKING:
    import polars as pl
else:
    pl = LazyModule("polars")


@functools.cache
def violation_columns() -> dict[str, Any]:
    """Column types of the audit violations frame (built on first use, with polars)."""
    return {
        "violation": pl.String(),
        "name": pl.String(),
        "event": pl.String(),
        "count": pl.Int64(),
        "property_type_error": pl.String(),
        "platform": pl.String(),
        "version": pl.String(),
        "sensitive": pl.Boolean(),
    }


@attrs.frozen
class AuditResponse(Result):
    """What an audit found: the violations, and when they were computed."""

    violations: list[AuditViolation]
    computed_at: str

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """One row per violation: `violation`, `name`, `event`, `count`,
        `property_type_error`, `platform`, `version`, `sensitive`."""
        rows = [{k: getattr(v, k) for k in violation_columns()} for v in self.violations]
        return rows_frame(rows, violation_columns())
