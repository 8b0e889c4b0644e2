"""Saved metrics (App API, fixed project paths): list, get, create, update, bulk update,
delete. Definitions are compiled by `reports.saved_writes`; answers are the seed's
`SavedMetric`."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import entity_id, flag, instance, optional_text
from mixpanel_async.api.saved_helpers import distinct_ids, one_row, refuse_delete, rows_as
from mixpanel_async.exceptions import ParamValidationError, QueryError

if TYPE_CHECKING:
    from mixpanel_async import seed_types
    from mixpanel_async._generated.models import metrics as m
    from mixpanel_async._generated.operations import metrics as ops
    from mixpanel_async.reports import arguments as reports_arguments
    from mixpanel_async.reports import saved as reports_saved
    from mixpanel_async.reports import saved_writes as reports_saved_writes
    from mixpanel_async.reports.saved import SavedMetric
    from mixpanel_async.reports.saved_writes import (
        BulkUpdateMetricEntry,
        CreateMetricParams,
        MetricDisplay,
        MetricGoal,
        UpdateMetricParams,
    )
else:
    m = LazyModule("mixpanel_async._generated.models.metrics")
    ops = LazyModule("mixpanel_async._generated.operations.metrics")
    reports_saved = LazyModule("mixpanel_async.reports.saved")
    reports_saved_writes = LazyModule("mixpanel_async.reports.saved_writes")
    reports_arguments = LazyModule("mixpanel_async.reports.arguments")
    seed_types = LazyModule("mixpanel_async.seed_types")


def _owner(owned_by: int | None) -> m.SavedMetricOwner | None:
    return None if owned_by is None else m.SavedMetricOwner(id=entity_id(owned_by, "owned_by"))


class MetricsMixin(Base):
    """Saved metrics: reusable, named metric definitions `query()` can refer to by id."""

    async def list_metrics(
        self,
        *,
        metric_type: str | None = None,
        verified: bool | None = None,
        name_contains: str | None = None,
        viewable_only: bool = False,
    ) -> list[SavedMetric]:
        """The project's saved metrics, filtered here by type, verification, a name fragment
        (case-insensitive) and, with `viewable_only`, what this account may view."""
        optional_text(metric_type, "metric_type")
        needle = optional_text(name_contains, "name_contains")
        if verified is not None:
            flag(verified, "verified")
        flag(viewable_only, "viewable_only")
        found = rows_as(
            await self._call(ops.list_saved_metrics), reports_saved.SavedMetric, "list_metrics"
        )
        return [
            s
            for s in found
            if (metric_type is None or s.type == metric_type)
            and (verified is None or s.verified is verified)
            and (needle is None or needle.casefold() in s.name.casefold())
            and (not viewable_only or s.can_view is not False)
        ]

    async def get_metric(self, metric_id: int) -> SavedMetric:
        """One saved metric."""
        got = await self._call(ops.get_saved_metric, metric_id=entity_id(metric_id, "metric_id"))
        return one_row(got, reports_saved.SavedMetric, "get_metric")

    async def create_metric(
        self, params: CreateMetricParams, *, validate: bool = True
    ) -> SavedMetric:
        """Save a metric; an owner or verification is set by a second request (if that one
        fails the metric exists and the error says so). `validate` is accepted for the
        seed's signature: definitions are always checked while they are compiled."""
        p = instance(params, reports_saved_writes.CreateMetricParams)
        flag(validate, "validate")
        reports_saved_writes.check_text(p.name, "name", required=True)
        reports_saved_writes.check_text(p.description, "description")
        kind, definition, source = reports_saved_writes.metric_wire(p.definition)
        if kind == "warehouse" and source is None:
            raise reports_arguments.refuse(
                "a warehouse metric needs warehouse_source_id", "definition", "SM4"
            )
        if kind == "warehouse" and isinstance(p.definition, seed_types.WarehouseMetric):
            definition = {**reports_saved_writes.WAREHOUSE_DEFAULTS, **definition}
        owner = _owner(p.owned_by)
        body = m.CreateSavedMetricBody(
            type=kind,
            name=p.name,
            description=p.description,
            definition=reports_saved_writes.present(definition, p.display, p.goals),
            warehouse_source_id=source if kind == "warehouse" else None,
        )
        made = one_row(
            await self._call(ops.create_saved_metric, body=body),
            reports_saved.SavedMetric,
            "create_metric",
        )
        if owner is None and not p.verified:
            return made
        change = m.UpdateSavedMetricBody(owned_by=owner, verified=True if p.verified else None)
        try:
            row = await self._call(ops.update_saved_metric, metric_id=made.id, body=change)
        except QueryError as exc:
            raise QueryError(
                f"create_metric: saved metric {made.id} was created, but setting its owner or "
                f"verification failed: {exc.message}",
                status_code=exc.status_code,
            ) from exc
        return one_row(row, reports_saved.SavedMetric, "create_metric")

    async def update_metric(
        self, metric_id: int, params: UpdateMetricParams, *, validate: bool = True
    ) -> SavedMetric:
        """Change a saved metric; a new definition, display or goals are merged with the
        stored definition (read first)."""
        mid = entity_id(metric_id, "metric_id")
        p = instance(params, reports_saved_writes.UpdateMetricParams)
        flag(validate, "validate")
        reports_saved_writes.check_text(p.name, "name")
        reports_saved_writes.check_text(p.description, "description")
        definition = await self._changed_definition(mid, p.definition, p.display, p.goals)
        body = m.UpdateSavedMetricBody(
            name=p.name,
            description=p.description,
            definition=definition,
            owned_by=_owner(p.owned_by),
            verified=None if p.verified is None else flag(p.verified, "verified"),
        )
        row = await self._call(ops.update_saved_metric, metric_id=mid, body=body)
        return one_row(row, reports_saved.SavedMetric, "update_metric")

    async def bulk_update_metrics(
        self, entries: Sequence[BulkUpdateMetricEntry], *, validate: bool = True
    ) -> list[SavedMetric]:
        """Change several saved metrics in one request (each entry checked first)."""
        flag(validate, "validate")
        if isinstance(entries, str | bytes) or not isinstance(entries, Sequence):
            raise ParamValidationError("entries must be a list", param="entries")
        checked: list[BulkUpdateMetricEntry] = []
        for entry in entries:
            e = instance(entry, reports_saved_writes.BulkUpdateMetricEntry)
            entity_id(e.id, "entries[].id")
            reports_saved_writes.check_text(e.name, "name")
            reports_saved_writes.check_text(e.description, "description")
            if e.definition is not None:
                reports_saved_writes.metric_wire(e.definition)
            checked.append(e)
        if not checked:
            return []
        wire = [
            m.BulkUpdateSavedMetricEntry(
                id=e.id,
                name=e.name,
                description=e.description,
                definition=await self._changed_definition(e.id, e.definition, None, None),
                owned_by=_owner(e.owned_by),
                verified=e.verified,
            )
            for e in checked
        ]
        rows = await self._call(
            ops.bulk_update_saved_metrics, body=m.BulkUpdateSavedMetricBody(metrics=wire)
        )
        return rows_as(rows, reports_saved.SavedMetric, "bulk_update_metrics")

    async def delete_metric(self, metric_id: int, *, force: bool = False) -> None:
        """Delete one saved metric, after reading it: an unknown id is refused
        (`ParamValidationError`), and so is one this account may not edit unless `force`."""
        mid = entity_id(metric_id, "metric_id")
        flag(force, "force")
        try:
            row = await self.get_metric(mid)
        except QueryError as exc:
            if exc.status_code != 404:
                raise
            raise ParamValidationError(
                f"saved metric {mid} was not found in project {self.session.project_id}; "
                "nothing was deleted",
                param="metric_id",
                code="SM5_NOT_FOUND_FOR_DELETE",
            ) from exc
        if not force:
            refuse_delete("metric", [row])
        await self._delete_metrics([mid])

    async def delete_metrics(self, metric_ids: Sequence[int], *, force: bool = False) -> None:
        """Delete several saved metrics; unless `force`, the list is read first and nothing
        is deleted if one of them may not be edited by this account."""
        ids = distinct_ids(metric_ids, "metric_ids")
        flag(force, "force")
        if not ids:
            return
        if not force:
            refuse_delete("metric", [s for s in await self.list_metrics() if s.id in ids])
        await self._delete_metrics(ids)

    async def _delete_metrics(self, ids: list[int]) -> None:
        body = m.DeleteSavedMetricsBody(metrics=[m.SavedMetricIdOnly(id=i) for i in ids])
        await self._call(ops.delete_saved_metrics, body=body)

    async def _changed_definition(
        self,
        metric_id: int,
        definition: Any,
        display: MetricDisplay | None,
        goals: list[MetricGoal] | None,
    ) -> dict[str, Any] | None:
        """The definition to send when any of its parts changes (None when none does)."""
        if definition is None and display is None and goals is None:
            return None
        kind, new, source = (
            reports_saved_writes.metric_wire(definition)
            if definition is not None
            else ("", None, None)
        )
        stored = await self.get_metric(metric_id)
        base = copy.deepcopy(stored.definition)
        if new is not None:
            _same_kind(stored, kind, source)
            kept = (
                "display",
                "goals",
                *(reports_saved_writes.WAREHOUSE_DEFAULTS if kind == "warehouse" else ()),
            )
            new.update({k: base[k] for k in kept if k in base and k not in new})
            base = new
        return reports_saved_writes.present(base, display, goals)


def _same_kind(stored: SavedMetric, kind: str, source: int | None) -> None:
    """Refuse a new definition of another kind, or on another warehouse source: Mixpanel keeps
    a saved metric's kind and source on an update, so the stored definition would not fit."""
    normal = {"behavior": "metric"}
    if normal.get(stored.type, stored.type) != normal.get(kind, kind):
        raise reports_arguments.refuse(
            f"saved metric {stored.id} is a {stored.type!r} metric and cannot become a {kind!r} "
            "one; create a new saved metric instead",
            "definition",
            "SM3_KIND_CHANGE",
        )
    if source is not None and source != stored.warehouse_source_id:
        raise reports_arguments.refuse(
            f"saved metric {stored.id} runs on warehouse source {stored.warehouse_source_id} and "
            f"cannot move to source {source}; create a new saved metric instead",
            "definition",
            "SM3_KIND_CHANGE",
        )
