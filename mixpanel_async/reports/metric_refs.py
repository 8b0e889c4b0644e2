"""Saved metrics used by id in a query: `MetricRef` (with the seed's typed overrides) and the
`show` clause it becomes. Mixpanel expands the id when the query runs and deep-merges the
clause's `overrides` into the saved definition, so a report built from it follows later edits
of the saved metric."""

from __future__ import annotations

import copy
import math as _math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

import attrs

from mixpanel_async.reports.arguments import refuse
from mixpanel_async.reports.behaviors import positive_id
from mixpanel_async.reports.custom import CUSTOM, PropertySpec, measurement_property
from mixpanel_async.reports.literals import (
    FunnelMathType,
    FunnelOrder,
    MathType,
    PerUserAggregation,
    RetentionMathType,
    SegmentMethod,
    values,
)
from mixpanel_async.reports.metrics import (
    MATH_NEEDS_PROPERTY,
    MATH_WITHOUT_PER_USER,
)

MetricKind = Literal["metric", "formula", "warehouse"]
METRIC_KINDS = ("metric", "formula", "warehouse")
REF_MATHS = (
    frozenset(values(MathType)) | set(values(FunnelMathType)) | set(values(RetentionMathType))
)
"""The maths a reference may override: every Insights, funnel and retention math."""
_BEHAVIOR_FIELDS = (
    "math", "property", "per_user", "percentile_value", "segment_method", "funnel_order",
    "step_index", "bucket_index",
)  # fmt: skip


def _index(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _frozen(value: object) -> object:
    """A read-only copy of a raw override value (mappings become read-only, lists tuples)."""
    if isinstance(value, Mapping):
        return MappingProxyType({key: _frozen(child) for key, child in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(child) for child in value)
    return copy.deepcopy(value)


def _plain(value: object) -> object:
    """A frozen override value as plain JSON data again (dicts and lists)."""
    if isinstance(value, Mapping):
        return {key: _plain(child) for key, child in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(child) for child in value]
    return copy.deepcopy(value)


def _filters_at(value: object, path: str = "overrides") -> str | None:
    """Where the first `filters` or `filter` key of an override tree is, if any."""
    if isinstance(value, Mapping):
        for key, child in value.items():
            here = f"{path}.{key}"
            if key in ("filters", "filter"):
                return here
            if (found := _filters_at(child, here)) is not None:
                return found
    elif isinstance(value, list | tuple):
        for i, child in enumerate(value):
            if (found := _filters_at(child, f"{path}[{i}]")) is not None:
                return found
    return None


@attrs.frozen
class MetricRef:
    """A saved metric, by id, anywhere a `Metric` goes in `query()` (and, without overrides, as
    a `Formula` operand).

    Attributes:
        id: The saved metric's id.
        type: Its kind: `"metric"` (a behaviour metric), `"formula"` or `"warehouse"`.
        label: The series name for this query.
        math: Another aggregation (any Insights, funnel or retention math).
        property: Another property for property math.
        per_user: Another per-user aggregation.
        percentile_value: Another percentile.
        segment_method: `"all"` or `"first"` qualifying events per user.
        funnel_order: Another step order, for a saved funnel metric.
        step_index: Another funnel step, for a saved funnel metric.
        bucket_index: Another bucket, for a saved retention metric.
        hidden: Whether the chart hides the series (None keeps the query's choice).
        overrides: Raw overrides, merged after the typed ones (kept as a read-only copy; no
            filters: Mixpanel would merge a filter list item by item).
    """

    id: int
    type: MetricKind = attrs.field(default="metric", kw_only=True)
    label: str | None = attrs.field(default=None, kw_only=True)
    math: MathType | FunnelMathType | RetentionMathType | None = attrs.field(
        default=None, kw_only=True
    )
    property: PropertySpec | None = attrs.field(default=None, kw_only=True)
    per_user: PerUserAggregation | None = attrs.field(default=None, kw_only=True)
    percentile_value: int | float | None = attrs.field(default=None, kw_only=True)
    segment_method: SegmentMethod | None = attrs.field(default=None, kw_only=True)
    funnel_order: FunnelOrder | None = attrs.field(default=None, kw_only=True)
    step_index: int | None = attrs.field(default=None, kw_only=True)
    bucket_index: int | None = attrs.field(default=None, kw_only=True)
    hidden: bool | None = attrs.field(default=None, kw_only=True)
    overrides: Mapping[str, Any] | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        """Check the id, the kind and every override (MR1, MR4-MR7, MT2, V3, V14)."""
        if not positive_id(self.id):
            raise refuse(
                f"MetricRef id must be a positive integer, got {self.id!r}", "id", "MR4_INVALID_ID"
            )
        if self.type not in METRIC_KINDS:
            raise refuse(
                f"MetricRef type must be one of {list(METRIC_KINDS)}, got {self.type!r}",
                "type",
                "MR5_INVALID_TYPE",
            )
        self._check_values()
        if self.segment_method is not None and self.segment_method not in ("all", "first"):
            raise refuse(
                f"MetricRef segment_method must be 'all' or 'first', got {self.segment_method!r}",
                "segment_method",
                "MT2_INVALID_SEGMENT_METHOD",
            )
        if self.type != "metric":
            given = [name for name in _BEHAVIOR_FIELDS if getattr(self, name) is not None]
            if given:
                raise refuse(
                    f"MetricRef type={self.type!r} takes no {', '.join(given)} (they change a "
                    "behaviour metric); use label, hidden or overrides",
                    given[0],
                    "MR6_OVERRIDE_NOT_APPLICABLE",
                )
        self._check_measurement()
        if self.overrides is not None:
            frozen = _frozen(self.overrides)
            object.__setattr__(self, "overrides", frozen)
            where = _filters_at(frozen)
            if where is not None:
                raise refuse(
                    f"MetricRef overrides hold filters ({where}); filter the query with where= "
                    "or send the metric inline with its own filters",
                    "overrides",
                    "MR1_FILTER_OVERRIDE",
                )

    def _check_values(self) -> None:
        """Each typed override has a usable value (MR7, the first bad one)."""
        bad: tuple[str, str] | None = None
        label, pct = self.label, self.percentile_value
        if label is not None and (not isinstance(label, str) or not label.strip()):
            bad = ("label", "must be a non-blank string")
        elif self.math is not None and self.math not in REF_MATHS:
            bad = ("math", f"{self.math!r} is no Insights, funnel or retention math")
        elif self.property is not None and not isinstance(self.property, (str, *CUSTOM)):
            bad = ("property", f"must be a name or a custom property, got {self.property!r}")
        elif self.per_user is not None and self.per_user not in values(PerUserAggregation):
            bad = ("per_user", f"{self.per_user!r} is not a per-user aggregation")
        elif pct is not None and (
            isinstance(pct, bool) or not isinstance(pct, int | float) or not _math.isfinite(pct)
        ):
            bad = ("percentile_value", f"must be a finite number, got {pct!r}")
        elif self.funnel_order is not None and self.funnel_order not in values(FunnelOrder):
            bad = ("funnel_order", f"{self.funnel_order!r} is not 'loose' or 'any'")
        elif self.step_index is not None and not _index(self.step_index):
            bad = ("step_index", f"must be an integer >= 0, got {self.step_index!r}")
        elif self.bucket_index is not None and not _index(self.bucket_index):
            bad = ("bucket_index", f"must be an integer >= 0, got {self.bucket_index!r}")
        elif self.hidden is not None and not isinstance(self.hidden, bool):
            bad = ("hidden", f"must be a bool, got {self.hidden!r}")
        elif self.overrides is not None and (
            not isinstance(self.overrides, Mapping)
            or not all(isinstance(key, str) for key in self.overrides)
        ):
            bad = ("overrides", "must be a mapping with string keys")
        if bad is not None:
            raise refuse(f"MetricRef {bad[0]} {bad[1]}", bad[0], "MR7_INVALID_OVERRIDE")

    def _check_measurement(self) -> None:
        """Typed measurement overrides that contradict each other (V3, V14); a missing
        property or percentile may come from the saved definition, so is not required."""
        if self.math is None:
            return
        if self.per_user is not None and self.math in MATH_WITHOUT_PER_USER:
            raise refuse(
                f"MetricRef per_user does not go with math={self.math!r}",
                "per_user",
                "V3_PER_USER_INCOMPATIBLE",
            )
        if self.property is not None and self.math not in MATH_NEEDS_PROPERTY | {"total"}:
            raise refuse(
                f"MetricRef math={self.math!r} takes no property",
                "property",
                "V14_METRIC_REJECTS_PROPERTY",
            )


def _merge(into: dict[str, Any], raw: Mapping[str, Any]) -> None:
    """Deep-merge raw overrides into `into` (mappings merge, anything else replaces)."""
    for key, value in raw.items():
        if isinstance(value, Mapping):
            current = into.get(key)
            target = current if isinstance(current, dict) else {}
            _merge(target, value)
            into[key] = target
        else:
            into[key] = _plain(value)


def ref_overrides(ref: MetricRef) -> dict[str, Any]:
    """The `overrides` of a reference's clause: each typed field at its place in the clause
    (`name`, `behavior.funnelOrder`, `measurement.*`, `isHidden`), then the raw overrides."""
    out: dict[str, Any] = {}
    if ref.label is not None:
        out["name"] = ref.label
    if ref.funnel_order is not None:
        out["behavior"] = {"funnelOrder": ref.funnel_order}
    measure: dict[str, Any] = {}
    if ref.math is not None:
        measure["math"] = "custom_percentile" if ref.math == "percentile" else ref.math
    if ref.property is not None:
        measure["property"] = measurement_property(ref.property)
    pairs = (
        ("perUserAggregation", ref.per_user), ("percentile", ref.percentile_value),
        ("segmentMethod", ref.segment_method), ("stepIndex", ref.step_index),
        ("retentionBucketIndex", ref.bucket_index),
    )  # fmt: skip
    measure |= {key: value for key, value in pairs if value is not None}
    if measure:
        out["measurement"] = measure
    if ref.hidden is not None:
        out["isHidden"] = ref.hidden
    if ref.overrides:
        _merge(out, ref.overrides)
    return out


def ref_clause(ref: MetricRef, hidden: bool = False) -> dict[str, Any]:
    """The `show` clause of a saved metric: its kind and id, hidden when a formula uses it,
    and its overrides."""
    out: dict[str, Any] = {"type": ref.type, "id": ref.id}
    if hidden:
        out["isHidden"] = True
    overrides = ref_overrides(ref)
    if overrides:
        out["overrides"] = overrides
    return out


def operand_ref(ref: MetricRef) -> dict[str, Any]:
    """A saved metric as a formula operand (always with its kind); Mixpanel ignores overrides
    there, so a reference that sets any is refused (MR2)."""
    if ref_overrides(ref):
        raise refuse(
            f"MetricRef({ref.id}) is a formula operand and cannot carry overrides (Mixpanel "
            "ignores them there); drop them or use an inline Metric",
            "metrics",
            "MR2_OPERAND_OVERRIDE",
        )
    return {"type": ref.type, "id": ref.id}
