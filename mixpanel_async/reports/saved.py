"""Saved metrics and saved behaviours as Mixpanel stores them (`SavedMetric`, `SavedBehavior`,
the seed's names and fields), with typed readers of their definitions and `to_ref()` to query
them by id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

import attrs

from mixpanel_async._generated.models.cohorts import CohortCreator
from mixpanel_async.reports.arguments import refuse
from mixpanel_async.reports.behaviors import BehaviorKind, BehaviorRef
from mixpanel_async.reports.custom import PropertySpec
from mixpanel_async.reports.literals import (
    FunnelMathType,
    FunnelOrder,
    MathType,
    PerUserAggregation,
    RetentionMathType,
    SegmentMethod,
)
from mixpanel_async.reports.metric_refs import METRIC_KINDS, MetricKind, MetricRef


def text_at(data: object, *keys: str) -> str | None:
    """The string at `data[k1][k2]...`, or None when a step is missing or not a mapping."""
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data if isinstance(data, str) else None


def _has_percentile(*measurements: object) -> bool:
    return any(
        isinstance(m, Mapping)
        and isinstance(m.get("percentile"), int | float)
        and not isinstance(m.get("percentile"), bool)
        for m in measurements
    )


@attrs.frozen(kw_only=True)
class SavedBehavior:
    """A saved behaviour (a reusable "what users did"): `simple`, `funnel` or `retention`,
    its definition `{"behavior": {...}}` and who may do what with it."""

    id: int
    name: str
    type: str
    definition: dict[str, Any]
    description: str | None = None
    created: dt.datetime | None = None
    modified: dt.datetime | None = None
    created_by: CohortCreator | None = None
    verified: bool = False
    last_verified: dt.datetime | None = None
    last_verified_by: CohortCreator | None = None
    is_visible: bool | None = None
    is_locked: bool | None = None
    can_view: bool | None = None
    can_update_basic: bool | None = None
    can_share: bool | None = None

    @property
    def behavior_type(self) -> str | None:
        """The `type` inside the stored behaviour, when it is a string."""
        return text_at(self.definition, "behavior", "type")

    def to_ref(self) -> BehaviorRef:
        """A `BehaviorRef` to this behaviour, to use it in a query (BR2 for a stored type that
        is not simple, funnel or retention)."""
        return BehaviorRef(self.id, cast(BehaviorKind, self.type))


@attrs.frozen(kw_only=True)
class SavedMetric:
    """A saved metric: a behaviour metric (`metric`), a saved formula or a warehouse metric,
    its stored definition and who may do what with it."""

    id: int
    name: str
    type: str
    definition: dict[str, Any]
    description: str = ""
    created: dt.datetime | None = None
    modified: dt.datetime | None = None
    created_by: CohortCreator | None = None
    owned_by: CohortCreator | None = None
    contacts: list[str] = attrs.field(factory=list)
    verified: bool = False
    last_verified: dt.datetime | None = None
    last_verified_by: CohortCreator | None = None
    warehouse_source_id: int | None = None
    is_visible: bool | None = None
    is_locked: bool | None = None
    can_view: bool | None = None
    can_update_basic: bool | None = None
    can_share: bool | None = None

    @property
    def behavior_type(self) -> str | None:
        """The behaviour type of a behaviour metric (`event`, `funnel`, ...), else None."""
        return text_at(self.definition, "behavior", "type")

    @property
    def math(self) -> str | None:
        """The stored aggregation, when there is one."""
        return text_at(self.definition, "measurement", "math")

    @property
    def formula_expression(self) -> str | None:
        """The expression of a saved formula, else None."""
        return text_at(self.definition, "formula", "definition")

    @property
    def referenced_metric_ids(self) -> list[int]:
        """The saved metrics a saved formula uses as operands, each once, in first-use order
        (by `id`, or by the digits of the `metric_id` Mixpanel adds in answers)."""
        formula = self.definition.get("formula")
        operands = formula.get("referencedMetrics") if isinstance(formula, dict) else None
        found: list[int] = []
        for operand in operands if isinstance(operands, list) else []:
            if not isinstance(operand, dict):
                continue
            raw = operand.get("id")
            number: int | None = None
            if isinstance(raw, int) and not isinstance(raw, bool):
                number = raw
            elif isinstance(text := operand.get("metric_id"), str) and text.isdigit():
                try:
                    number = int(text)
                except ValueError:
                    continue
            if number is not None and number not in found:
                found.append(number)
        return found

    def to_ref(
        self, *, label: str | None = None,
        math: MathType | FunnelMathType | RetentionMathType | None = None,
        property: PropertySpec | None = None, per_user: PerUserAggregation | None = None,
        percentile_value: int | float | None = None, segment_method: SegmentMethod | None = None,
        funnel_order: FunnelOrder | None = None, step_index: int | None = None,
        bucket_index: int | None = None, hidden: bool | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> MetricRef:  # fmt: skip
        """A `MetricRef` to this metric (its id and kind) with the given overrides.

        Raises:
            ParamValidationError: a kind Mixpanel does not run by id (MR5), a bad override
                (the `MetricRef` checks), or `math="percentile"` with no percentile given
                nor stored (V26).
        """
        if self.type not in METRIC_KINDS:
            raise refuse(
                f"saved metric {self.id} is of kind {self.type!r}, which Mixpanel does not run "
                f"by id (only {list(METRIC_KINDS)}); send its definition inline",
                "type",
                "MR5_INVALID_TYPE",
            )
        ref = MetricRef(
            self.id, type=cast(MetricKind, self.type), label=label, math=math,
            property=property, per_user=per_user, percentile_value=percentile_value,
            segment_method=segment_method, funnel_order=funnel_order, step_index=step_index,
            bucket_index=bucket_index, hidden=hidden, overrides=overrides,
        )  # fmt: skip
        raw = ref.overrides.get("measurement") if ref.overrides else None
        if (
            math == "percentile"
            and percentile_value is None
            and not _has_percentile(raw, self.definition.get("measurement"))
        ):
            raise refuse(
                f"saved metric {self.id} stores no percentile: give percentile_value with "
                "math='percentile'",
                "percentile_value",
                "V26_PERCENTILE_REQUIRES_VALUE",
            )
        return ref
