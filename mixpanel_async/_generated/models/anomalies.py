# Generated from openapi/anomalies.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs


@attrs.frozen(kw_only=True)
class AnomaliesErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class AnomaliesRawResponse:
    results: dict[str, Any]
    status: str | None = None


AnomalyStatus: TypeAlias = Literal["open", "dismissed"]


AnomalyClass: TypeAlias = Literal["Event", "Property", "PropertyTypeDrift", "Metric"]


@attrs.frozen(kw_only=True)
class DataVolumeAnomaly:
    id: int
    actual_count: int = attrs.field(metadata={"wire": "actualCount"})
    predicted_upper: int = attrs.field(metadata={"wire": "predictedUpper"})
    predicted_lower: int = attrs.field(metadata={"wire": "predictedLower"})
    percent_variance: str = attrs.field(metadata={"wire": "percentVariance"})
    status: str
    project: int
    anomaly_class: str = attrs.field(metadata={"wire": "anomalyClass"})
    timestamp: str | None = None
    event: int | None = None
    event_name: str | None = attrs.field(default=None, metadata={"wire": "eventName"})
    property: int | None = None
    property_name: str | None = attrs.field(default=None, metadata={"wire": "propertyName"})
    metric: int | None = None
    metric_name: str | None = attrs.field(default=None, metadata={"wire": "metricName"})
    metric_type: str | None = attrs.field(default=None, metadata={"wire": "metricType"})
    primary_type: str | None = attrs.field(default=None, metadata={"wire": "primaryType"})
    drift_types: dict[str, Any] | None = attrs.field(default=None, metadata={"wire": "driftTypes"})


@attrs.frozen(kw_only=True)
class AnomaliesList:
    anomalies: list[DataVolumeAnomaly]


@attrs.frozen(kw_only=True)
class AnomaliesListEnvelope:
    results: AnomaliesList
    status: str | None = None


@attrs.frozen(kw_only=True)
class UpdateAnomalyParams:
    id: int
    status: AnomalyStatus
    anomaly_class: AnomalyClass = attrs.field(metadata={"wire": "anomalyClass"})


@attrs.frozen(kw_only=True)
class BulkAnomalyEntry:
    id: int
    anomaly_class: AnomalyClass = attrs.field(metadata={"wire": "anomalyClass"})


@attrs.frozen(kw_only=True)
class BulkUpdateAnomalyParams:
    anomalies: list[BulkAnomalyEntry]
    status: AnomalyStatus
