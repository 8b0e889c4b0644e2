"""What `create_metric`, `update_metric`, `bulk_update_metrics`, `create_behavior` and
`update_behavior` take, and how a definition becomes the JSON Mixpanel stores.

A saved metric built from a `Metric`, `CohortMetric`, `FunnelMetric` or `RetentionMetric` is
stored as the `behavior` and `measurement` of the show clause `query()` writes for the same
value, so referring to it by id queries what the inline value would. A `RawMetricDefinition`
(or `RawBehaviorDefinition`) is stored as given. A saved behaviour is `{"behavior": {...}}`:
what a `SimpleBehavior`, `FunnelBehavior` or `RetentionBehavior` compiles to, without a label.
`display` (number formatting) and `goals` (targets over time) live inside the definition.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import attrs

from mixpanel_async.reports.arguments import refuse
from mixpanel_async.reports.behavior_metrics import (
    FunnelBehavior,
    FunnelMetric,
    RetentionBehavior,
    RetentionMetric,
    funnel_metric_behavior,
    retention_metric_behavior,
)
from mixpanel_async.reports.behaviors import SimpleBehavior
from mixpanel_async.reports.insights import insights_params
from mixpanel_async.reports.metrics import CohortMetric, Metric, simple_behavior
from mixpanel_async.reports.operands import Formula, formula_clause
from mixpanel_async.seed_types import WarehouseMetric

_LEGACY_KEYS = ("filter",)
"""Behaviour keys a query still writes but a saved definition's schema leaves out."""
MAX_TEXT_LENGTH = 255
"""The longest name or description Mixpanel stores for a saved metric or behaviour."""


@attrs.frozen(kw_only=True)
class RawMetricDefinition:
    """A saved metric's wire form, stored as given: its `type` (`metric`, `formula`,
    `warehouse`, ...) and `definition` JSON."""

    type: str
    definition: Mapping[str, Any]
    warehouse_source_id: int | None = None


@attrs.frozen(kw_only=True)
class RawBehaviorDefinition:
    """A saved behaviour's wire form, `{"behavior": {"type": ..., ...}}`, stored as given."""

    definition: Mapping[str, Any]


@attrs.frozen(kw_only=True)
class MetricDisplay:
    """How a saved metric's numbers are shown (every field optional; unset ones are not
    written): `prefix`/`suffix` around the value, `precision` digits, `abbrev` (1.2K)."""

    prefix: str | None = None
    suffix: str | None = None
    precision: int | None = None
    abbrev: bool | None = None
    direction: str | None = None
    axis: str | None = None
    trendline: bool | None = None
    hide_trendline: bool | None = None
    minimum_detectable_effect: float | None = None
    one_sided: bool | None = None
    power: float | None = None


_DISPLAY_WIRE = {"hide_trendline": "hideTrendline", "one_sided": "oneSided",
                 "minimum_detectable_effect": "minimumDetectableEffect"}  # fmt: skip


@attrs.frozen(kw_only=True)
class MetricGoal:
    """A target for a saved metric: `label`, `(when, value)` checkpoints, `target_type`
    (`absolute` by default) and an optional `target_input`; a goal without `id` gets one."""

    label: str
    checkpoints: list[tuple[str | dt.datetime | dt.date, float]] = attrs.field(factory=list)
    target_type: str = "absolute"
    target_input: float | None = None
    id: str | None = None


MetricDefinition = (
    Metric
    | CohortMetric
    | FunnelMetric
    | RetentionMetric
    | Formula
    | WarehouseMetric
    | RawMetricDefinition
)
BehaviorDefinition = SimpleBehavior | FunnelBehavior | RetentionBehavior | RawBehaviorDefinition


@attrs.frozen(kw_only=True)
class CreateMetricParams:
    """A new saved metric: `name`, `definition`, and optionally `description`, `display`,
    `goals`, an owner's user id (`owned_by`) and `verified`."""

    name: str
    definition: MetricDefinition
    description: str | None = None
    display: MetricDisplay | None = None
    goals: list[MetricGoal] | None = None
    owned_by: int | None = None
    verified: bool | None = None


@attrs.frozen(kw_only=True)
class UpdateMetricParams:
    """Changes to a saved metric (unset fields stay as they are; `display` merges into the
    stored one, `goals` replaces them)."""

    name: str | None = None
    description: str | None = None
    definition: MetricDefinition | None = None
    display: MetricDisplay | None = None
    goals: list[MetricGoal] | None = None
    owned_by: int | None = None
    verified: bool | None = None


@attrs.frozen(kw_only=True)
class BulkUpdateMetricEntry:
    """One saved metric's changes in `bulk_update_metrics()`, by `id`."""

    id: int
    name: str | None = None
    description: str | None = None
    definition: MetricDefinition | None = None
    owned_by: int | None = None
    verified: bool | None = None


@attrs.frozen(kw_only=True)
class CreateBehaviorParams:
    """A new saved behaviour: `name`, `behavior`, optional `description`."""

    name: str
    behavior: BehaviorDefinition
    description: str | None = None


@attrs.frozen(kw_only=True)
class UpdateBehaviorParams:
    """Changes to a saved behaviour (unset fields stay as they are)."""

    name: str | None = None
    description: str | None = None
    behavior: BehaviorDefinition | None = None
    verified: bool | None = None


def check_text(value: str | None, name: str, *, required: bool = False) -> None:
    """A name or description Mixpanel will store: a non-blank name, at most 255 characters."""
    if value is None:
        if required:
            raise refuse(f"{name} is required", name, "SM1_EMPTY_NAME")
        return
    if not isinstance(value, str):
        raise refuse(f"{name} must be a string, got {type(value).__name__}", name, "SM1_TYPE")
    if name == "name" and not value.strip():
        raise refuse("name must not be empty", name, "SM1_EMPTY_NAME")
    if len(value) > MAX_TEXT_LENGTH:
        raise refuse(
            f"{name} must be at most {MAX_TEXT_LENGTH} characters, got {len(value)}",
            name,
            "SM2_TOO_LONG",
        )


def metric_wire(definition: Any) -> tuple[str, dict[str, Any], int | None]:
    """A metric definition as `(type, definition JSON, warehouse source id)`."""
    if isinstance(definition, RawMetricDefinition):
        if not isinstance(definition.definition, Mapping):
            raise refuse("RawMetricDefinition.definition must be a mapping", "definition", "SM4")
        wire = copy.deepcopy(dict(definition.definition))
        return definition.type, wire, definition.warehouse_source_id
    if isinstance(definition, Metric | CohortMetric | FunnelMetric | RetentionMetric):
        show = insights_params([definition])["sections"]["show"][0]
        behavior = _without_legacy(show["behavior"])
        return "metric", {"behavior": behavior, "measurement": show["measurement"]}, None
    if isinstance(definition, Formula):
        if not definition.metrics:
            raise refuse(
                "a saved Formula needs its own operands: Formula(..., metrics=[...])",
                "definition",
                "SM7_FORMULA_WITHOUT_OPERANDS",
            )
        clause = formula_clause(definition)
        operands = [
            {**o, "behavior": _without_legacy(o["behavior"])} if "behavior" in o else o
            for o in clause["referencedMetrics"]
        ]
        wire = {"formula": {"definition": definition.expression, "referencedMetrics": operands}}
        return "formula", wire, None
    if isinstance(definition, WarehouseMetric):
        return "warehouse", warehouse_wire(definition), definition.source_id
    raise refuse(
        "definition must be a Metric, CohortMetric, FunnelMetric, RetentionMetric, Formula, "
        f"WarehouseMetric or RawMetricDefinition, got {type(definition).__name__}",
        "definition",
        "SM3_DEFINITION_TYPE",
    )


_WAREHOUSE_WIRE = {"sql": "query", "metric_type": "metricType", "aggregation": "aggregation",
                   "sync_interval": "syncInterval", "time_column": "timeColumn",
                   "value_column": "valueColumn"}  # fmt: skip
WAREHOUSE_DEFAULTS = {"aggregation": "none", "syncInterval": "hourly"}
"""Warehouse settings Mixpanel does not fill in itself: a create that leaves them unset writes
these, an update keeps the stored ones."""


def warehouse_wire(definition: WarehouseMetric) -> dict[str, Any]:
    """A warehouse metric's stored definition: its SQL, metric type and the settings given."""
    wire = {key: getattr(definition, name) for name, key in _WAREHOUSE_WIRE.items()}
    return {key: value for key, value in wire.items() if value is not None}


def _without_legacy(behavior: dict[str, Any]) -> dict[str, Any]:
    """A compiled behaviour without the keys saved definitions leave out."""
    return {k: v for k, v in behavior.items() if k not in _LEGACY_KEYS}


def behavior_wire(behavior: Any) -> dict[str, Any]:
    """A behaviour definition as the JSON stored, `{"behavior": {...}}`."""
    if isinstance(behavior, RawBehaviorDefinition):
        wire = copy.deepcopy(dict(behavior.definition))
    elif isinstance(behavior, SimpleBehavior):
        compiled = simple_behavior(behavior.events, behavior.name)
        compiled.pop("name", None)
        wire = {"behavior": compiled}
    elif isinstance(behavior, FunnelBehavior):
        wire = {"behavior": _without_legacy(funnel_metric_behavior(behavior))}
    elif isinstance(behavior, RetentionBehavior):
        wire = {"behavior": _without_legacy(retention_metric_behavior(behavior))}
    else:
        raise refuse(
            "behavior must be a SimpleBehavior, FunnelBehavior, RetentionBehavior or "
            f"RawBehaviorDefinition, got {type(behavior).__name__}",
            "behavior",
            "SM3_DEFINITION_TYPE",
        )
    inner = wire.get("behavior")
    if not isinstance(inner, Mapping) or not isinstance(inner.get("type"), str):
        raise refuse(
            "a saved behavior definition needs definition.behavior.type",
            "behavior",
            "SM4_SCHEMA",
        )
    return wire


def display_wire(base: object, display: MetricDisplay) -> dict[str, Any]:
    """`display` merged into a stored display: set fields replace, unset ones stay."""
    merged = dict(base) if isinstance(base, Mapping) else {}
    for field in attrs.fields(MetricDisplay):
        value = getattr(display, field.name)
        if value is not None:
            merged[_DISPLAY_WIRE.get(field.name, field.name)] = value
    return merged


def _checkpoint(when: str | dt.datetime | dt.date) -> str:
    """A checkpoint time as a naive ISO timestamp (an aware one converted to UTC first)."""
    if isinstance(when, dt.datetime):
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC).replace(tzinfo=None)
        return when.isoformat()
    if isinstance(when, dt.date):
        return dt.datetime.combine(when, dt.time()).isoformat()
    return str(when)


def goal_wire(goal: MetricGoal) -> dict[str, Any]:
    """A goal as stored: `id` (new when unset), `label`, `checkpoints`, `target_type`,
    `target_input` when set."""
    wire: dict[str, Any] = {
        "id": goal.id if goal.id is not None else str(uuid.uuid4()),
        "label": goal.label,
        "checkpoints": [[_checkpoint(when), float(value)] for when, value in goal.checkpoints],
        "target_type": goal.target_type,
    }
    if goal.target_input is not None:
        wire["target_input"] = goal.target_input
    return wire


def present(
    definition: dict[str, Any], display: MetricDisplay | None, goals: list[MetricGoal] | None
) -> dict[str, Any]:
    """`definition` with `display` merged in and `goals` replaced, where given."""
    if display is not None:
        definition["display"] = display_wire(definition.get("display"), display)
    if goals is not None:
        definition["goals"] = [goal_wire(g) for g in goals]
    return definition
