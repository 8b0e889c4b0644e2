"""Breakdowns and other blocks shared by every report kind: `GroupBy`, `CohortBreakdown`,
`FrequencyBreakdown`, `FrequencyFilter` and `TimeComparison` (the seed's names and fields),
frozen attrs classes that check themselves when built."""

from __future__ import annotations

import math
from typing import Literal

import attrs

from mixpanel_async.reports.arguments import check_cohort, iso_day, refuse
from mixpanel_async.reports.cohort_refs import InlineCohort
from mixpanel_async.reports.custom import (
    CustomPropertyRef,
    InlineCustomProperty,
    PropertySpec,
    custom_property_problems,
)
from mixpanel_async.reports.filters import Filter
from mixpanel_async.reports.literals import (
    CustomPropertyType,
    FrequencyFilterOperator,
    TimeComparisonType,
    TimeComparisonUnit,
    values,
)


@attrs.frozen
class ListItemGroupMode:
    """How `GroupBy.list_item` breaks a list-of-objects property down: by its `sub` key."""

    sub: str
    sub_type: CustomPropertyType

    def __attrs_post_init__(self) -> None:
        """Check the key and its type."""
        if not self.sub.strip():
            raise refuse("the list item key must not be blank", "sub", "LG1_EMPTY_SUB")
        if self.sub_type not in values(CustomPropertyType):
            raise refuse(
                f"sub_type must be one of {values(CustomPropertyType)}, got {self.sub_type!r}",
                "sub_type",
                "LG2_INVALID_SUB_TYPE",
            )


def _finite(value: float | None) -> bool:
    return value is None or not isinstance(value, float) or math.isfinite(value)


@attrs.frozen
class GroupBy:
    """A breakdown by a property; numeric properties can be bucketed
    (`bucket_size` with `bucket_min` and `bucket_max`)."""

    property: PropertySpec
    property_type: CustomPropertyType = "string"
    bucket_size: int | float | None = None
    bucket_min: int | float | None = None
    bucket_max: int | float | None = None
    _list_item_mode: ListItemGroupMode | None = attrs.field(default=None, alias="_list_item_mode")

    def __attrs_post_init__(self) -> None:
        """Check the property and the buckets."""
        prop = self.property
        if not isinstance(prop, str | CustomPropertyRef | InlineCustomProperty) or (
            isinstance(prop, str) and not prop.strip()
        ):
            raise refuse(
                "GroupBy.property must be a property name or a custom property",
                "property",
                "GB1_EMPTY_PROPERTY",
            )
        if self.bucket_size is not None and self.bucket_size <= 0:
            raise refuse(
                f"bucket_size must be above 0, got {self.bucket_size}",
                "bucket_size",
                "V12_BUCKET_SIZE_POSITIVE",
            )
        low, high = self.bucket_min, self.bucket_max
        if low is not None and high is not None and low >= high:
            raise refuse(
                f"bucket_min ({low}) must be below bucket_max ({high})",
                "bucket_min",
                "V18_BUCKET_ORDER",
            )
        if self._list_item_mode is not None and (self.bucket_size, low, high) != (None, None, None):
            raise refuse(
                "a list-item breakdown cannot be bucketed", "bucket_size", "GB4_LIST_ITEM_BUCKETING"
            )
        if self._list_item_mode is not None and not isinstance(prop, str):
            raise refuse(
                "a list-item breakdown needs a property name, not a custom property",
                "property",
                "GB5_LIST_ITEM_PROPERTY_TYPE",
            )

    @classmethod
    def list_item(
        cls, property: str, sub: str, *, sub_type: CustomPropertyType = "string"
    ) -> GroupBy:
        """Break a list-of-objects property down by the `sub` key of its items."""
        return cls(property=property, _list_item_mode=ListItemGroupMode(sub=sub, sub_type=sub_type))

    def problems(self, path: str) -> list[tuple[str, str, str]]:
        """What makes this breakdown unusable in a query: (path, message, code) triples."""
        found = custom_property_problems(self.property, path)
        for name in ("bucket_size", "bucket_min", "bucket_max"):
            if not _finite(getattr(self, name)):
                found.append((path, f"{name} must be a finite number", "V24_BUCKET_NOT_FINITE"))
        has_bounds = self.bucket_min is not None or self.bucket_max is not None
        if has_bounds and self.bucket_size is None:
            found.append(
                (path, "bucket_min/bucket_max need bucket_size", "V11_BUCKET_REQUIRES_SIZE")
            )
        if self.bucket_size is not None:
            if self.property_type != "number":
                found.append(
                    (
                        path,
                        "bucket_size needs property_type='number'",
                        "V12B_BUCKET_REQUIRES_NUMBER",
                    )
                )
            if self.bucket_min is None or self.bucket_max is None:
                found.append(
                    (
                        path,
                        "bucket_size needs bucket_min and bucket_max",
                        "V12C_BUCKET_REQUIRES_BOUNDS",
                    )
                )
        return found


@attrs.frozen
class CohortBreakdown:
    """A breakdown by membership of a cohort, saved (its id) or inline (a `CohortDefinition`),
    and, by default, of its complement."""

    cohort: int | InlineCohort
    name: str | None = None
    include_negated: bool = True

    def __attrs_post_init__(self) -> None:
        """Check the cohort id (a definition has none) and name."""
        check_cohort(1 if isinstance(self.cohort, InlineCohort) else self.cohort, self.name, "CB")


@attrs.frozen
class FrequencyBreakdown:
    """A breakdown by how many times each user did `event`, in buckets."""

    event: str
    bucket_size: int = 1
    bucket_min: int = 0
    bucket_max: int = 10
    label: str | None = None

    def __attrs_post_init__(self) -> None:
        """Check the event and the buckets."""
        if not self.event.strip():
            raise refuse(
                "FrequencyBreakdown.event must be an event name", "event", "FB1_EMPTY_EVENT"
            )
        if self.bucket_size <= 0:
            raise refuse(
                f"bucket_size must be above 0, got {self.bucket_size}",
                "bucket_size",
                "FB2_BUCKET_SIZE_NOT_POSITIVE",
            )
        if self.bucket_min < 0:
            raise refuse(
                f"bucket_min must not be negative, got {self.bucket_min}",
                "bucket_min",
                "FB4_BUCKET_MIN_NEGATIVE",
            )
        if self.bucket_min >= self.bucket_max:
            raise refuse(
                f"bucket_min ({self.bucket_min}) must be below bucket_max ({self.bucket_max})",
                "bucket_min",
                "FB3_BUCKET_ORDER",
            )


@attrs.frozen
class FrequencyFilter:
    """Keep users by how many times they did `event` (`operator` `value`), optionally within
    the last `date_range_value` `date_range_unit`s and counting only events matching
    `event_filters`."""

    event: str
    value: int | float
    operator: FrequencyFilterOperator = "is at least"
    date_range_value: int | None = None
    date_range_unit: Literal["day", "week", "month"] | None = None
    event_filters: list[Filter] | None = None
    label: str | None = None

    def __attrs_post_init__(self) -> None:
        """Check the event, operator, count and window."""
        if not self.event.strip():
            raise refuse("FrequencyFilter.event must be an event name", "event", "FF1_EMPTY_EVENT")
        if self.operator not in values(FrequencyFilterOperator):
            raise refuse(
                f"operator must be one of {values(FrequencyFilterOperator)}, got {self.operator!r}",
                "operator",
                "FF2_INVALID_OPERATOR",
            )
        if self.value < 0:
            raise refuse(
                f"value must not be negative, got {self.value}", "value", "FF3_VALUE_NEGATIVE"
            )
        if (self.date_range_value is None) != (self.date_range_unit is None):
            raise refuse(
                "date_range_value and date_range_unit go together",
                "date_range_value",
                "FF4_DATE_RANGE_PAIR",
            )
        if self.date_range_value is not None and self.date_range_value <= 0:
            raise refuse(
                f"date_range_value must be above 0, got {self.date_range_value}",
                "date_range_value",
                "FF5_DATE_RANGE_VALUE_NOT_POSITIVE",
            )


@attrs.frozen
class TimeComparison:
    """Compare with an earlier period: the previous `unit` (`relative`), or the period starting
    or ending on `date` (`absolute-start`, `absolute-end`)."""

    type: TimeComparisonType
    unit: TimeComparisonUnit | None = None
    date: str | None = None

    def __attrs_post_init__(self) -> None:
        """Check that the kind has the one detail it needs."""
        if self.type not in values(TimeComparisonType):
            raise refuse(
                f"type must be one of {values(TimeComparisonType)}, got {self.type!r}",
                "type",
                "TC0_INVALID_TYPE",
            )
        if self.type == "relative":
            if self.unit is None:
                raise refuse("a relative comparison needs a unit", "unit", "TC1_REQUIRES_UNIT")
            if self.unit not in values(TimeComparisonUnit):
                raise refuse(
                    f"unit must be one of {values(TimeComparisonUnit)}, got {self.unit!r}",
                    "unit",
                    "TC1B_INVALID_UNIT",
                )
            if self.date is not None:
                raise refuse("a relative comparison takes no date", "date", "TC1_REJECTS_DATE")
            return
        if self.date is None:
            raise refuse(f"a {self.type} comparison needs a date", "date", "TC2_REQUIRES_DATE")
        if self.unit is not None:
            raise refuse(f"a {self.type} comparison takes no unit", "unit", "TC2_REJECTS_UNIT")
        iso_day(self.date, "date", "TC3")

    @classmethod
    def relative(cls, unit: TimeComparisonUnit) -> TimeComparison:
        """Compare with the previous `unit` (day, week, month, quarter, year)."""
        return cls(type="relative", unit=unit)

    @classmethod
    def absolute_start(cls, date: str) -> TimeComparison:
        """Compare with the period that starts on `date`."""
        return cls(type="absolute-start", date=date)

    @classmethod
    def absolute_end(cls, date: str) -> TimeComparison:
        """Compare with the period that ends on `date`."""
        return cls(type="absolute-end", date=date)
