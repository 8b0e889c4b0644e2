"""Data volume anomalies: list them, set their status (App API)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, get_args

from mixpanel_async._operation import LazyModule
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import as_model
from mixpanel_async.exceptions import ParamValidationError

if TYPE_CHECKING:
    from mixpanel_async._generated.models import anomalies as m
    from mixpanel_async._generated.operations import anomalies as ops
else:
    m = LazyModule("mixpanel_async._generated.models.anomalies")
    ops = LazyModule("mixpanel_async._generated.operations.anomalies")


@functools.cache
def statuses() -> tuple[str, ...]:
    """An anomaly's statuses, as the spec lists them."""
    return get_args(m.AnomalyStatus)


@functools.cache
def classes() -> tuple[str, ...]:
    """The anomaly classes, as the spec lists them."""
    return get_args(m.AnomalyClass)


_INTEGER_FILTERS = ("limit", "event_id", "prop_id")
_TEXT_FILTERS = ("status", "include_property_anomalies", "include_metric_anomalies")


def _filters(query_params: dict[str, str] | None) -> dict[str, Any]:
    """The seed's free-form filters as the list builder's arguments (numbers from text)."""
    if query_params is None:
        return {}
    if not isinstance(query_params, dict):
        raise ParamValidationError(
            f"query_params must be a dict, got {type(query_params).__name__}", param="query_params"
        )
    out: dict[str, Any] = {}
    for key, value in query_params.items():
        if key in _INTEGER_FILTERS:
            text = str(value)
            if isinstance(value, bool) or not text.isdigit():
                raise ParamValidationError(
                    f"query_params[{key!r}] must be a whole number, got {value!r}", param=key
                )
            out[key] = int(text)
        elif key in _TEXT_FILTERS:
            out[key] = checks.text(value, key)
        else:
            allowed = ", ".join(_INTEGER_FILTERS + _TEXT_FILTERS)
            raise ParamValidationError(
                f"unknown anomaly filter {key!r}: expected some of {allowed}", param="query_params"
            )
    return out


class AnomaliesMixin(Base):
    """Data volume anomalies."""

    async def list_data_volume_anomalies(
        self, *, query_params: dict[str, str] | None = None
    ) -> list[m.DataVolumeAnomaly]:
        """Detected anomalies, newest first, optionally filtered (`status`, `limit`,
        `event_id`, `prop_id`, `include_property_anomalies`, `include_metric_anomalies`)."""
        listed = await self._call(ops.list_data_volume_anomalies, **_filters(query_params))
        return listed.anomalies

    async def update_anomaly(
        self, params: m.UpdateAnomalyParams | dict[str, Any]
    ) -> dict[str, Any]:
        """Set one anomaly's `status` (`open` or `dismissed`), naming its `anomaly_class`."""
        body = as_model(params, m.UpdateAnomalyParams)
        checks.entity_id(body.id, "id")
        checks.choice(body.status, "status", statuses())
        checks.choice(body.anomaly_class, "anomaly_class", classes())
        return await self._call(ops.update_anomaly, body=body)

    async def bulk_update_anomalies(
        self, params: m.BulkUpdateAnomalyParams | dict[str, Any]
    ) -> dict[str, Any]:
        """Set the `status` of many anomalies (`anomalies`: `{id, anomaly_class}` each)."""
        body = as_model(params, m.BulkUpdateAnomalyParams)
        checks.choice(body.status, "status", statuses())
        checks.id_list([a.id for a in body.anomalies], "anomalies")
        for entry in body.anomalies:
            checks.choice(entry.anomaly_class, "anomaly_class", classes())
        return await self._call(ops.bulk_update_anomalies, body=body)
