"""Feature flags (App API): workspace-scoped; the workspace is resolved when none is pinned."""

from __future__ import annotations

import copy
import enum
from typing import TYPE_CHECKING, Any

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import as_model, optional_text, uuid_id

if TYPE_CHECKING:
    from mixpanel_async._generated.models import feature_flags as m
    from mixpanel_async._generated.operations import feature_flags as ops
else:
    m = LazyModule("mixpanel_async._generated.models.feature_flags")
    ops = LazyModule("mixpanel_async._generated.operations.feature_flags")


def default_ruleset() -> dict[str, Any]:
    """The seed's default ruleset (an On/Off toggle), kept in the spec beside the emulator's
    defaults (a fresh copy on every call)."""
    return copy.deepcopy((ops.CREATE_FEATURE_FLAG.entity or {})["defaults"]["ruleset"])


def _id(flag_id: Any) -> str:
    return uuid_id(flag_id, "flag_id")


class FeatureFlagStatus(enum.StrEnum):
    """A flag's lifecycle state (the seed's enum; the models hold the plain strings)."""

    ENABLED = "enabled"
    DISABLED = "disabled"
    ARCHIVED = "archived"


class ServingMethod(enum.StrEnum):
    """How flag values reach clients."""

    CLIENT = "client"
    SERVER = "server"
    REMOTE_OR_LOCAL = "remote_or_local"
    REMOTE_ONLY = "remote_only"


class FlagContractStatus(enum.StrEnum):
    """The account's flag contract."""

    ACTIVE = "active"
    GRACE_PERIOD = "grace_period"
    EXPIRED = "expired"


class FeatureFlagsMixin(Base):
    """Feature flags (workspace-scoped)."""

    async def list_feature_flags(self, *, include_archived: bool = False) -> list[m.FeatureFlag]:
        """The workspace's flags (archived ones only with `include_archived`)."""
        return await self._call(ops.list_feature_flags, include_archived=include_archived)

    async def create_feature_flag(
        self, params: m.CreateFeatureFlagParams | dict[str, Any]
    ) -> m.FeatureFlag:
        """Create a flag (`name` and a project-unique `key` required; without a `ruleset`, an
        On/Off toggle)."""
        body = as_model(params, m.CreateFeatureFlagParams)
        if body.ruleset is None:
            body = attrs.evolve(body, ruleset=default_ruleset())
        return await self._call(ops.create_feature_flag, body=body)

    async def get_feature_flag(self, flag_id: str) -> m.FeatureFlag:
        """One flag by id.

        Raises:
            ParamValidationError: `flag_id` is not a non-empty string.
            QueryError: no such flag (404).
        """
        return await self._call(ops.get_feature_flag, flag_id=_id(flag_id))

    async def update_feature_flag(
        self, flag_id: str, params: m.UpdateFeatureFlagParams | dict[str, Any]
    ) -> m.FeatureFlag:
        """Replace a flag's configuration (PUT: `name`, `key`, `status`, `ruleset` required)."""
        return await self._call(
            ops.update_feature_flag,
            flag_id=_id(flag_id),
            body=as_model(params, m.UpdateFeatureFlagParams),
        )

    async def delete_feature_flag(self, flag_id: str) -> None:
        """Delete one flag."""
        await self._call(ops.delete_feature_flag, flag_id=_id(flag_id))

    async def archive_feature_flag(self, flag_id: str) -> None:
        """Archive a flag (it leaves the default listing)."""
        await self._call(ops.archive_feature_flag, flag_id=_id(flag_id))

    async def restore_feature_flag(self, flag_id: str) -> m.FeatureFlag:
        """Bring an archived flag back."""
        return await self._call(ops.restore_feature_flag, flag_id=_id(flag_id))

    async def duplicate_feature_flag(self, flag_id: str) -> m.FeatureFlag:
        """Copy a flag under a new id and key; the copy is disabled."""
        return await self._call(ops.duplicate_feature_flag, flag_id=_id(flag_id))

    async def set_flag_test_users(
        self, flag_id: str, params: m.SetTestUsersParams | dict[str, Any]
    ) -> None:
        """Pin users to variants: `users` maps a variant key to a distinct id."""
        await self._call(
            ops.set_flag_test_users,
            flag_id=_id(flag_id),
            body=as_model(params, m.SetTestUsersParams),
        )

    async def get_flag_history(
        self, flag_id: str, *, page: str | None = None, page_size: int | None = None
    ) -> m.FlagHistoryResponse:
        """One page of a flag's change log (`events`, newest first) and the total `count`."""
        return await self._call(
            ops.get_flag_history,
            flag_id=_id(flag_id),
            page=optional_text(page, "page"),
            page_size=page_size,
        )

    async def get_flag_limits(self) -> m.FlagLimitsResponse:
        """The account's flag limit, usage, trial and contract status (project-level)."""
        return await self._call(ops.get_flag_limits)
