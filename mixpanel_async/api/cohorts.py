"""Cohorts with their full detail (App API). `cohorts()` (discovery) lists the same cohorts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import as_entries, as_model, entity_id, id_csv, id_list
from mixpanel_async.transport import codec

if TYPE_CHECKING:
    from mixpanel_async._generated.models import cohorts as m
    from mixpanel_async._generated.operations import cohorts as ops
else:
    m = LazyModule("mixpanel_async._generated.models.cohorts")
    ops = LazyModule("mixpanel_async._generated.operations.cohorts")


def _id(cohort_id: Any) -> int:
    return entity_id(cohort_id, "cohort_id")


def flat(params: Any) -> dict[str, Any]:
    """A params model as Mixpanel takes it: the `definition` keys at the top level."""
    data: dict[str, Any] = codec.unstructure(params)
    data.update(data.pop("definition", None) or {})
    return data


class CohortsMixin(Base):
    """Cohorts with their full detail."""

    async def list_cohorts_full(
        self, *, data_group_id: str | None = None, ids: list[int] | None = None
    ) -> list[m.Cohort]:
        """Cohorts with every field, optionally of one data group or only `ids`."""
        request = ops.list_cohorts_full(data_group_id=data_group_id, ids=id_csv(ids, "ids"))
        return await self._app(request)

    async def get_cohort(self, cohort_id: int) -> m.Cohort:
        """One cohort by id.

        Raises:
            ParamValidationError: `cohort_id` is not a positive integer.
            QueryError: no such cohort (404).
        """
        return await self._call(ops.get_cohort, cohort_id=_id(cohort_id))

    async def create_cohort(self, params: m.CreateCohortParams | dict[str, Any]) -> m.Cohort:
        """Create a cohort (`name` required; `definition` holds `behaviors`, `selector`, ...)."""
        body = flat(as_model(params, m.CreateCohortParams))
        return await self._call(ops.create_cohort, body=body)

    async def update_cohort(
        self, cohort_id: int, params: m.UpdateCohortParams | dict[str, Any]
    ) -> m.Cohort:
        """Change some fields of a cohort (PATCH semantics)."""
        body = flat(as_model(params, m.UpdateCohortParams))
        return await self._call(ops.update_cohort, cohort_id=_id(cohort_id), body=body)

    async def delete_cohort(self, cohort_id: int) -> None:
        """Delete one cohort."""
        await self._call(ops.delete_cohort, cohort_id=_id(cohort_id))

    async def bulk_delete_cohorts(self, ids: list[int]) -> None:
        """Delete several cohorts at once."""
        body = m.BulkDeleteCohortsParams(cohort_ids=id_list(ids, "ids"))
        await self._call(ops.bulk_delete_cohorts, body=body)

    async def bulk_update_cohorts(
        self, entries: list[m.BulkUpdateCohortEntry] | list[dict[str, Any]]
    ) -> None:
        """Change several cohorts at once; each entry carries its `id`."""
        items = as_entries(entries, m.BulkUpdateCohortEntry)
        await self._call(ops.bulk_update_cohorts, body={"cohorts": [flat(e) for e in items]})
