"""Experiments (App API): draft → active (launch) → concluded (conclude) → success | fail
(decide)."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import as_model, uuid_id

if TYPE_CHECKING:
    from mixpanel_async._generated.models import experiments as m
    from mixpanel_async._generated.operations import experiments as ops
else:
    m = LazyModule("mixpanel_async._generated.models.experiments")
    ops = LazyModule("mixpanel_async._generated.operations.experiments")


class ExperimentStatus(enum.StrEnum):
    """An experiment's lifecycle state (the seed's enum; the models hold the plain strings)."""

    DRAFT = "draft"
    ACTIVE = "active"
    CONCLUDED = "concluded"
    SUCCESS = "success"
    FAIL = "fail"


def _id(experiment_id: Any) -> str:
    return uuid_id(experiment_id, "experiment_id")


class ExperimentsMixin(Base):
    """Experiments and their lifecycle."""

    async def list_experiments(self, *, include_archived: bool = False) -> list[m.Experiment]:
        """The project's experiments (archived ones only with `include_archived`)."""
        return await self._call(ops.list_experiments, include_archived=include_archived)

    async def create_experiment(
        self, params: m.CreateExperimentParams | dict[str, Any]
    ) -> m.Experiment:
        """Create an experiment (`name` required); it starts as a draft."""
        return await self._call(
            ops.create_experiment, body=as_model(params, m.CreateExperimentParams)
        )

    async def get_experiment(self, experiment_id: str) -> m.Experiment:
        """One experiment by id.

        Raises:
            ParamValidationError: `experiment_id` is not a non-empty string.
            QueryError: no such experiment (404).
        """
        return await self._call(ops.get_experiment, experiment_id=_id(experiment_id))

    async def update_experiment(
        self, experiment_id: str, params: m.UpdateExperimentParams | dict[str, Any]
    ) -> m.Experiment:
        """Change some fields (PATCH); a `status` change must follow the lifecycle."""
        return await self._call(
            ops.update_experiment,
            experiment_id=_id(experiment_id),
            body=as_model(params, m.UpdateExperimentParams),
        )

    async def delete_experiment(self, experiment_id: str) -> None:
        """Delete one experiment."""
        await self._call(ops.delete_experiment, experiment_id=_id(experiment_id))

    async def launch_experiment(self, experiment_id: str) -> m.Experiment:
        """Start a draft (draft → active)."""
        return await self._call(ops.launch_experiment, experiment_id=_id(experiment_id))

    async def conclude_experiment(
        self,
        experiment_id: str,
        *,
        params: m.ExperimentConcludeParams | dict[str, Any] | None = None,
    ) -> m.Experiment:
        """Stop a running experiment (active → concluded), optionally with its `end_date`."""
        return await self._call(
            ops.conclude_experiment,
            experiment_id=_id(experiment_id),
            body=as_model(params if params is not None else {}, m.ExperimentConcludeParams),
        )

    async def decide_experiment(
        self, experiment_id: str, params: m.ExperimentDecideParams | dict[str, Any]
    ) -> m.Experiment:
        """Record the decision on a concluded experiment (→ success or fail)."""
        return await self._call(
            ops.decide_experiment,
            experiment_id=_id(experiment_id),
            body=as_model(params, m.ExperimentDecideParams),
        )

    async def archive_experiment(self, experiment_id: str) -> None:
        """Archive an experiment (it leaves the default listing)."""
        await self._call(ops.archive_experiment, experiment_id=_id(experiment_id))

    async def restore_experiment(self, experiment_id: str) -> m.Experiment:
        """Bring an archived experiment back."""
        return await self._call(ops.restore_experiment, experiment_id=_id(experiment_id))

    async def duplicate_experiment(
        self, experiment_id: str, params: m.DuplicateExperimentParams | dict[str, Any]
    ) -> m.Experiment:
        """Copy an experiment under a new `name`; the copy is a draft."""
        return await self._call(
            ops.duplicate_experiment,
            experiment_id=_id(experiment_id),
            body=as_model(params, m.DuplicateExperimentParams),
        )

    async def list_erf_experiments(self) -> list[dict[str, Any]]:
        """Experiments in the Experiment Results Framework's format (raw objects)."""
        return await self._call(ops.list_erf_experiments)
