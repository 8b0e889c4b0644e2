"""Emulator routes for openapi/cohorts.yaml: saved cohorts, and the cohort model other families
read.

Every cohorts.yaml operation (list with `data_group_id`/`ids`, create, get, update, delete, bulk
delete, bulk update) is a standard entity action (`entity_routes.py`) over `ProjectState.cohorts`
(`store: cohorts` in the spec), so this module registers no handler of its own. The cohorts in
that list are also what the query host's `POST /cohorts/list` shows (`summary`, read by
routes/discovery.py) and what engage's `filter_by_cohort` / `segment_by_cohorts` name (`find`,
read by routes/engage.py; `engine.profiles.members` works out who is in one).
A cohort is `{id, name, description, count, is_visible, created, ...}` plus its definition:
a literal `distinct_ids` list or a `where` expression over profile properties.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.router import Routes
from mixpanel_async.emulator.store import ProjectState

routes = Routes()


def find(project: ProjectState, cohort_id: Any) -> Mapping[str, Any]:
    """The project's cohort with that id (compared as text); a 400 when there is none."""
    for cohort in project.cohorts:
        if str(cohort.get("id")) == str(cohort_id):
            return cohort
    raise EmulatorError(400, errors.UNKNOWN_COHORT.format(cohort_id=cohort_id))


def summary(project: ProjectState, cohort: Mapping[str, Any]) -> dict[str, Any]:
    """A saved cohort as `/cohorts/list` lists it (definitions and members stay private)."""
    created = cohort.get("created", "")
    if isinstance(created, dt.datetime):
        created = created.strftime("%Y-%m-%d %H:%M:%S")
    description = cohort.get("description")
    return {
        "count": int(cohort.get("count", 0)),
        "is_visible": 1 if cohort.get("is_visible", 1) else 0,
        "description": "" if description is None else str(description),
        "created": str(created),
        "project_id": int(project.project_id),
        "id": int(cohort["id"]),
        "name": str(cohort["name"]),
    }
