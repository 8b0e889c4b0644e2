"""Saved funnel and retention reports (bookmarks) on the classic Query API routes.

`/funnels?funnel_id=` finds a saved funnel report when no classic saved funnel has that id, and
`/retention?bookmark_id=` runs a saved retention report as saved (routes/query.py asks here). The
bookmark comes from the project's `bookmark` entity table; `engine.saved_reports` maps its params
onto the engines' arguments. Query API errors are 400s, as for an unknown funnel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import saved_reports
from mixpanel_async.emulator.engine.events import project_zone
from mixpanel_async.emulator.entities import tables
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.store import ProjectState

KIND = {"funnel": "funnels", "retention": "retention", "insights": "insights", "flows": "flows"}
"""Report kind → the bookmark `type` that holds it."""


def bookmark_params(project: ProjectState, bookmark_id: Any, kind: str) -> Mapping[str, Any]:
    row = tables(project.entities, "bookmark").rows.get(int(bookmark_id))
    if row is None:
        raise EmulatorError(400, errors.UNKNOWN_BOOKMARK.format(bookmark_id=bookmark_id))
    if row.get("type") != KIND[kind]:
        raise EmulatorError(400, saved_reports.NOT_KIND.format(bookmark_id=bookmark_id, kind=kind))
    params = row.get("params")
    if not isinstance(params, Mapping):
        raise EmulatorError(400, errors.NO_PARAMS.format(bookmark_id=bookmark_id))
    return params


def saved_funnel(project: ProjectState, funnel_id: Any) -> dict[str, Any] | None:
    """A saved funnel report as a classic saved funnel (`steps`, `length`, `length_unit`), or
    None when there is no bookmark with that id."""
    if int(funnel_id) not in tables(project.entities, "bookmark").rows:
        return None
    try:
        return saved_reports.funnel_spec(bookmark_params(project, funnel_id, "funnel"))
    except ValueError as exc:
        raise EmulatorError(400, str(exc)) from None


def retention_args(project: ProjectState, bookmark_id: Any) -> dict[str, Any]:
    """`engine.retention.retention` keyword arguments (with `timezone`) of a saved retention
    report, its relative range ending today in the project's timezone."""
    try:
        zone = project_zone(project.timezone)
    except ValueError as exc:
        raise errors.bad_timezone(exc) from None
    today = dt.datetime.now(zone).date()
    try:
        spec = saved_reports.retention_spec(
            bookmark_params(project, bookmark_id, "retention"), today
        )
    except ValueError as exc:
        raise EmulatorError(400, str(exc)) from None
    return {**spec, "timezone": project.timezone}
