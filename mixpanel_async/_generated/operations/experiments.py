# Generated from openapi/experiments.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import (
    Body,
    Later,
    LazyModule,
    Operation,
    Param,
    Request,
    build,
)

# The family's models are imported on first use (`Later`), not with the operations.
if TYPE_CHECKING:
    from mixpanel_async._generated.models import experiments as m
else:
    m = LazyModule("mixpanel_async._generated.models.experiments")

__all__ = [
    "ARCHIVE_EXPERIMENT",
    "archive_experiment",
    "CONCLUDE_EXPERIMENT",
    "conclude_experiment",
    "CREATE_EXPERIMENT",
    "create_experiment",
    "DECIDE_EXPERIMENT",
    "decide_experiment",
    "DELETE_EXPERIMENT",
    "delete_experiment",
    "DUPLICATE_EXPERIMENT",
    "duplicate_experiment",
    "GET_EXPERIMENT",
    "get_experiment",
    "LAUNCH_EXPERIMENT",
    "launch_experiment",
    "LIST_ERF_EXPERIMENTS",
    "list_erf_experiments",
    "LIST_EXPERIMENTS",
    "list_experiments",
    "RESTORE_EXPERIMENT",
    "restore_experiment",
    "UPDATE_EXPERIMENT",
    "update_experiment",
    "OPERATIONS",
]

# GET /projects/{project_id}/experiments/
LIST_EXPERIMENTS = Operation(
    operation_id="list_experiments",
    family="experiments",
    method="GET",
    host="app",
    path="/projects/{project_id}/experiments/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="include_archived",
            attr="include_archived",
            location="query",
            type="boolean",
            default=False,
        ),
    ),
    body=None,
    response=Later(lambda: m.ExperimentListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="List experiments (archived ones only when asked)",
    scope="maybe",
    entity={"kind": "experiment", "action": "list"},
)


def list_experiments(
    *,
    include_archived: bool | None = False,
) -> Request[list[m.Experiment]]:
    """GET /projects/{project_id}/experiments/ — List experiments (archived ones only when asked)."""
    return build(LIST_EXPERIMENTS, {"include_archived": include_archived}, None)


# POST /projects/{project_id}/experiments/
CREATE_EXPERIMENT = Operation(
    operation_id="create_experiment",
    family="experiments",
    method="POST",
    host="app",
    path="/projects/{project_id}/experiments/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.CreateExperimentParams)),
    response=Later(lambda: m.ExperimentResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create an experiment (a draft)",
    scope="maybe",
    entity={
        "kind": "experiment",
        "action": "create",
        "id": "uuid",
        "defaults": {
            "status": "draft",
            "variants": [],
            "metrics": [],
            "settings": {},
            "tags": [],
            "start_date": None,
            "end_date": None,
            "is_favorited": False,
            "pinned_date": None,
            "can_edit": True,
            "creator": {"id": 1, "first_name": "Emulator", "last_name": "User"},
            "content_type": "experiment",
            "deleted": None,
            "can_view": True,
            "can_update_basic": True,
            "can_update_restricted": True,
            "can_update_visibility": True,
            "can_share": True,
            "is_superadmin": False,
            "allow_staff_override": False,
            "is_shared_with_project": True,
        },
    },
)


def create_experiment(
    *,
    body: m.CreateExperimentParams | Mapping[str, Any],
) -> Request[m.Experiment]:
    """POST /projects/{project_id}/experiments/ — Create an experiment (a draft)."""
    return build(CREATE_EXPERIMENT, {}, body)


# GET /projects/{project_id}/experiments/erf/
LIST_ERF_EXPERIMENTS = Operation(
    operation_id="list_erf_experiments",
    family="experiments",
    method="GET",
    host="app",
    path="/projects/{project_id}/experiments/erf/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=None,
    response=Later(lambda: m.ExperimentErfListResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Experiments in the Experiment Results Framework's format",
    scope="maybe",
    entity={"kind": "experiment", "action": "erf", "id": "uuid"},
)


def list_erf_experiments() -> Request[list[dict[str, Any]]]:
    """GET /projects/{project_id}/experiments/erf/ — Experiments in the Experiment Results Framework's format."""
    return build(LIST_ERF_EXPERIMENTS, {}, None)


# GET /projects/{project_id}/experiments/{experiment_id}
GET_EXPERIMENT = Operation(
    operation_id="get_experiment",
    family="experiments",
    method="GET",
    host="app",
    path="/projects/{project_id}/experiments/{experiment_id}",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="experiment_id",
            attr="experiment_id",
            location="path",
            type="string",
            required=True,
        ),
    ),
    body=None,
    response=Later(lambda: m.ExperimentResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Get one experiment",
    scope="maybe",
    entity={"kind": "experiment", "action": "get", "id": "uuid"},
)


def get_experiment(
    *,
    experiment_id: str,
) -> Request[m.Experiment]:
    """GET /projects/{project_id}/experiments/{experiment_id} — Get one experiment."""
    return build(GET_EXPERIMENT, {"experiment_id": experiment_id}, None)


# PATCH /projects/{project_id}/experiments/{experiment_id}
UPDATE_EXPERIMENT = Operation(
    operation_id="update_experiment",
    family="experiments",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/experiments/{experiment_id}",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="experiment_id",
            attr="experiment_id",
            location="path",
            type="string",
            required=True,
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.UpdateExperimentParams)),
    response=Later(lambda: m.ExperimentResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Update an experiment (partial); a `status` change must be a legal transition",
    scope="maybe",
    entity={"kind": "experiment", "action": "update", "id": "uuid"},
)


def update_experiment(
    *,
    experiment_id: str,
    body: m.UpdateExperimentParams | Mapping[str, Any],
) -> Request[m.Experiment]:
    """PATCH /projects/{project_id}/experiments/{experiment_id} — Update an experiment (partial); a `status` change must be a legal transition."""
    return build(UPDATE_EXPERIMENT, {"experiment_id": experiment_id}, body)


# DELETE /projects/{project_id}/experiments/{experiment_id}
DELETE_EXPERIMENT = Operation(
    operation_id="delete_experiment",
    family="experiments",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/experiments/{experiment_id}",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="experiment_id",
            attr="experiment_id",
            location="path",
            type="string",
            required=True,
        ),
    ),
    body=None,
    response=Later(lambda: m.ExperimentOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Delete an experiment",
    scope="maybe",
    entity={"kind": "experiment", "action": "delete", "id": "uuid"},
)


def delete_experiment(
    *,
    experiment_id: str,
) -> Request[object]:
    """DELETE /projects/{project_id}/experiments/{experiment_id} — Delete an experiment."""
    return build(DELETE_EXPERIMENT, {"experiment_id": experiment_id}, None)


# POST /projects/{project_id}/experiments/{experiment_id}/archive
ARCHIVE_EXPERIMENT = Operation(
    operation_id="archive_experiment",
    family="experiments",
    method="POST",
    host="app",
    path="/projects/{project_id}/experiments/{experiment_id}/archive",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="experiment_id",
            attr="experiment_id",
            location="path",
            type="string",
            required=True,
        ),
    ),
    body=None,
    response=Later(lambda: m.ExperimentOkResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Archive an experiment (hidden from default listings)",
    scope="maybe",
    entity={
        "kind": "experiment",
        "action": "set",
        "id": "uuid",
        "field": "is_archived",
        "value": True,
    },
)


def archive_experiment(
    *,
    experiment_id: str,
) -> Request[object]:
    """POST /projects/{project_id}/experiments/{experiment_id}/archive — Archive an experiment (hidden from default listings)."""
    return build(ARCHIVE_EXPERIMENT, {"experiment_id": experiment_id}, None)


# DELETE /projects/{project_id}/experiments/{experiment_id}/archive
RESTORE_EXPERIMENT = Operation(
    operation_id="restore_experiment",
    family="experiments",
    method="DELETE",
    host="app",
    path="/projects/{project_id}/experiments/{experiment_id}/archive",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="experiment_id",
            attr="experiment_id",
            location="path",
            type="string",
            required=True,
        ),
    ),
    body=None,
    response=Later(lambda: m.ExperimentResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Restore an archived experiment",
    scope="maybe",
    entity={
        "kind": "experiment",
        "action": "set",
        "id": "uuid",
        "field": "is_archived",
        "value": False,
    },
)


def restore_experiment(
    *,
    experiment_id: str,
) -> Request[m.Experiment]:
    """DELETE /projects/{project_id}/experiments/{experiment_id}/archive — Restore an archived experiment."""
    return build(RESTORE_EXPERIMENT, {"experiment_id": experiment_id}, None)


# PATCH /projects/{project_id}/experiments/{experiment_id}/decide
DECIDE_EXPERIMENT = Operation(
    operation_id="decide_experiment",
    family="experiments",
    method="PATCH",
    host="app",
    path="/projects/{project_id}/experiments/{experiment_id}/decide",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="experiment_id",
            attr="experiment_id",
            location="path",
            type="string",
            required=True,
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.ExperimentDecideParams)),
    response=Later(lambda: m.ExperimentResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Record the decision on a concluded experiment (concluded → success | fail)",
    scope="maybe",
    entity={"kind": "experiment", "action": "transition", "id": "uuid"},
)


def decide_experiment(
    *,
    experiment_id: str,
    body: m.ExperimentDecideParams | Mapping[str, Any],
) -> Request[m.Experiment]:
    """PATCH /projects/{project_id}/experiments/{experiment_id}/decide — Record the decision on a concluded experiment (concluded → success | fail)."""
    return build(DECIDE_EXPERIMENT, {"experiment_id": experiment_id}, body)


# POST /projects/{project_id}/experiments/{experiment_id}/duplicate
DUPLICATE_EXPERIMENT = Operation(
    operation_id="duplicate_experiment",
    family="experiments",
    method="POST",
    host="app",
    path="/projects/{project_id}/experiments/{experiment_id}/duplicate",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="experiment_id",
            attr="experiment_id",
            location="path",
            type="string",
            required=True,
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.DuplicateExperimentParams)),
    response=Later(lambda: m.ExperimentResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Copy an experiment under a new name (the copy is a draft)",
    scope="maybe",
    entity={"kind": "experiment", "action": "duplicate", "id": "uuid"},
)


def duplicate_experiment(
    *,
    experiment_id: str,
    body: m.DuplicateExperimentParams | Mapping[str, Any],
) -> Request[m.Experiment]:
    """POST /projects/{project_id}/experiments/{experiment_id}/duplicate — Copy an experiment under a new name (the copy is a draft)."""
    return build(DUPLICATE_EXPERIMENT, {"experiment_id": experiment_id}, body)


# PUT /projects/{project_id}/experiments/{experiment_id}/force_conclude
CONCLUDE_EXPERIMENT = Operation(
    operation_id="conclude_experiment",
    family="experiments",
    method="PUT",
    host="app",
    path="/projects/{project_id}/experiments/{experiment_id}/force_conclude",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="experiment_id",
            attr="experiment_id",
            location="path",
            type="string",
            required=True,
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.ExperimentConcludeParams)),
    response=Later(lambda: m.ExperimentResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Stop a running experiment (active → concluded)",
    scope="maybe",
    entity={"kind": "experiment", "action": "transition", "id": "uuid"},
)


def conclude_experiment(
    *,
    experiment_id: str,
    body: m.ExperimentConcludeParams | Mapping[str, Any],
) -> Request[m.Experiment]:
    """PUT /projects/{project_id}/experiments/{experiment_id}/force_conclude — Stop a running experiment (active → concluded)."""
    return build(CONCLUDE_EXPERIMENT, {"experiment_id": experiment_id}, body)


# PUT /projects/{project_id}/experiments/{experiment_id}/launch
LAUNCH_EXPERIMENT = Operation(
    operation_id="launch_experiment",
    family="experiments",
    method="PUT",
    host="app",
    path="/projects/{project_id}/experiments/{experiment_id}/launch",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="experiment_id",
            attr="experiment_id",
            location="path",
            type="string",
            required=True,
        ),
    ),
    body=None,
    response=Later(lambda: m.ExperimentResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Start a draft experiment (draft → active)",
    scope="maybe",
    entity={"kind": "experiment", "action": "transition", "id": "uuid"},
)


def launch_experiment(
    *,
    experiment_id: str,
) -> Request[m.Experiment]:
    """PUT /projects/{project_id}/experiments/{experiment_id}/launch — Start a draft experiment (draft → active)."""
    return build(LAUNCH_EXPERIMENT, {"experiment_id": experiment_id}, None)


OPERATIONS: dict[str, Operation] = {
    "archive_experiment": ARCHIVE_EXPERIMENT,
    "conclude_experiment": CONCLUDE_EXPERIMENT,
    "create_experiment": CREATE_EXPERIMENT,
    "decide_experiment": DECIDE_EXPERIMENT,
    "delete_experiment": DELETE_EXPERIMENT,
    "duplicate_experiment": DUPLICATE_EXPERIMENT,
    "get_experiment": GET_EXPERIMENT,
    "launch_experiment": LAUNCH_EXPERIMENT,
    "list_erf_experiments": LIST_ERF_EXPERIMENTS,
    "list_experiments": LIST_EXPERIMENTS,
    "restore_experiment": RESTORE_EXPERIMENT,
    "update_experiment": UPDATE_EXPERIMENT,
}
