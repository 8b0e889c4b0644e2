"""Helpers every result module shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from mixpanel_async._operation import LazyModule

if TYPE_CHECKING:
    import polars as pl
else:
    pl = LazyModule("polars")


def as_dict(obj: Any) -> dict[str, Any]:
    """A result as plain data (the seed's `to_dict()`)."""
    return attrs.asdict(obj, recurse=True)


def rows_frame(rows: list[dict[str, Any]], schema: dict[str, Any]) -> pl.DataFrame:
    """Row dicts as a frame of a fixed schema (so an empty result still has its columns)."""
    return pl.DataFrame(rows, schema=schema, orient="row", strict=False)


class Result:
    """Base of the result types: the seed's `to_dict()`; subclasses are frozen attrs classes."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data (dicts, lists, scalars), keyed by field name."""
        return as_dict(self)
