"""Saved behaviours (App API, fixed project paths): list, get, create, update, delete.
Definitions are compiled by `reports.saved_writes`; answers are the seed's `SavedBehavior`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import entity_id, flag, instance, optional_text
from mixpanel_async.api.saved_helpers import distinct_ids, one_row, refuse_delete, rows_as
from mixpanel_async.exceptions import ParamValidationError

if TYPE_CHECKING:
    from mixpanel_async._generated.models import behaviors as m
    from mixpanel_async._generated.operations import behaviors as ops
    from mixpanel_async.reports import saved as reports_saved
    from mixpanel_async.reports import saved_writes as reports_saved_writes
    from mixpanel_async.reports.saved import SavedBehavior
    from mixpanel_async.reports.saved_writes import CreateBehaviorParams, UpdateBehaviorParams
else:
    m = LazyModule("mixpanel_async._generated.models.behaviors")
    ops = LazyModule("mixpanel_async._generated.operations.behaviors")
    reports_saved = LazyModule("mixpanel_async.reports.saved")
    reports_saved_writes = LazyModule("mixpanel_async.reports.saved_writes")


def _type_of(definition: Mapping[str, Any]) -> str:
    """The wire type of a compiled behaviour (`behavior_wire` guarantees it is there)."""
    return str(definition["behavior"]["type"])


class BehaviorsMixin(Base):
    """Saved behaviours: reusable "what users did" definitions metrics and cohorts refer to."""

    async def list_behaviors(
        self, *, behavior_type: str | None = None, name_contains: str | None = None
    ) -> list[SavedBehavior]:
        """The project's saved behaviours, filtered here by type (`simple`, `funnel`,
        `retention`) and a name fragment (case-insensitive)."""
        optional_text(behavior_type, "behavior_type")
        needle = optional_text(name_contains, "name_contains")
        found = rows_as(
            await self._call(ops.list_saved_behaviors),
            reports_saved.SavedBehavior,
            "list_behaviors",
        )
        return [
            s
            for s in found
            if (behavior_type is None or s.type == behavior_type)
            and (needle is None or needle.casefold() in s.name.casefold())
        ]

    async def get_behavior(self, behavior_id: int) -> SavedBehavior:
        """One saved behaviour."""
        got = await self._call(
            ops.get_saved_behavior, behavior_id=entity_id(behavior_id, "behavior_id")
        )
        return one_row(got, reports_saved.SavedBehavior, "get_behavior")

    async def create_behavior(
        self, params: CreateBehaviorParams, *, validate: bool = True
    ) -> SavedBehavior:
        """Save a behaviour; its wire type comes from the definition. `validate` is accepted
        for the seed's signature: definitions are always checked while they are compiled."""
        p = instance(params, reports_saved_writes.CreateBehaviorParams)
        flag(validate, "validate")
        reports_saved_writes.check_text(p.name, "name", required=True)
        reports_saved_writes.check_text(p.description, "description")
        definition = reports_saved_writes.behavior_wire(p.behavior)
        body = m.CreateSavedBehaviorBody(
            type=_type_of(definition), name=p.name, description=p.description,
            definition=definition,
        )  # fmt: skip
        made = await self._call(ops.create_saved_behavior, body=body)
        return one_row(made, reports_saved.SavedBehavior, "create_behavior")

    async def update_behavior(
        self, behavior_id: int, params: UpdateBehaviorParams, *, validate: bool = True
    ) -> SavedBehavior:
        """Change a saved behaviour; a new definition must keep the stored behaviour type
        (read first), as Mixpanel keeps the type of a saved behaviour."""
        bid = entity_id(behavior_id, "behavior_id")
        p = instance(params, reports_saved_writes.UpdateBehaviorParams)
        flag(validate, "validate")
        reports_saved_writes.check_text(p.name, "name")
        reports_saved_writes.check_text(p.description, "description")
        definition = (
            reports_saved_writes.behavior_wire(p.behavior) if p.behavior is not None else None
        )
        if definition is not None:
            stored = await self.get_behavior(bid)
            if _type_of(definition) != stored.type:
                raise ParamValidationError(
                    f"saved behavior {bid} is a {stored.type} behavior; a new definition must "
                    f"be one too, got {_type_of(definition)}",
                    param="behavior",
                    code="SM4_SCHEMA",
                )
        body = m.UpdateSavedBehaviorBody(
            name=p.name, description=p.description, definition=definition,
            verified=None if p.verified is None else flag(p.verified, "verified"),
        )  # fmt: skip
        row = await self._call(ops.update_saved_behavior, behavior_id=bid, body=body)
        return one_row(row, reports_saved.SavedBehavior, "update_behavior")

    async def delete_behavior(self, behavior_id: int, *, force: bool = False) -> None:
        """Delete one saved behaviour, after reading it (an unknown id is a 404 `QueryError`;
        one this account may not edit is refused unless `force`)."""
        bid = entity_id(behavior_id, "behavior_id")
        flag(force, "force")
        row = await self.get_behavior(bid)
        if not force:
            refuse_delete("behavior", [row])
        await self._delete_behaviors([bid])

    async def delete_behaviors(self, behavior_ids: Sequence[int], *, force: bool = False) -> None:
        """Delete several saved behaviours; unless `force`, the list is read first and
        nothing is deleted if one of them may not be edited by this account."""
        ids = distinct_ids(behavior_ids, "behavior_ids")
        flag(force, "force")
        if not ids:
            return
        if not force:
            refuse_delete("behavior", [s for s in await self.list_behaviors() if s.id in ids])
        await self._delete_behaviors(ids)

    async def _delete_behaviors(self, ids: list[int]) -> None:
        body = m.DeleteSavedBehaviorsBody(behaviors=[m.SavedBehaviorIdOnly(id=i) for i in ids])
        await self._call(ops.delete_saved_behaviors, body=body)
