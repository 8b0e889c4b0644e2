"""What route modules share: the App API envelope and entity tables, request bodies, paging,
the engines' runner, the project's timezone, workspaces, cohorts, saved reports and dashboard
cards.

Route modules (`routes/<family>.py`) import from here and from `entity_routes`, never from one
another, so a family can be added, moved or deleted alone.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
from collections.abc import Callable, Collection, Mapping
from typing import Any

import orjson
from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import expressions, people, saved_reports
from mixpanel_async.emulator.engine.events import project_zone
from mixpanel_async.emulator.entities import ListRows, Table, tables, validate_body, writable
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.render import JSON, json_response
from mixpanel_async.emulator.router import Call, project_for
from mixpanel_async.emulator.store import ProjectState

ORGANIZATION_ID = 1
"""The one organization the emulator's account belongs to (every project is in it)."""
PAGE_SIZE = 20
"""Items per page of a cursor or numbered page when the request names no `page_size`."""
REPORT_TYPE = {"funnel": "funnels", "retention": "retention", "insights": "insights",
               "flows": "flows"}  # fmt: skip
"""Report kind → the bookmark `type` that holds it."""


# --- the App API -------------------------------------------------------------------------------


def ok(results: Any = None) -> web.Response:
    """The App API envelope: `{"status": "ok", "results": ...}`."""
    body: dict[str, Any] = {"status": "ok"}
    if results is not None:
        body["results"] = results
    return json_response(body)


def table_of(call: Call, kind: str, id_type: str = "int") -> Table:
    """The addressed project's entity table of `kind`."""
    return tables(project_for(call).entities, kind, id_type)


def table_for(call: Call) -> Table:
    """The entity table an operation works on (its spec's `x-mixpanel-entity`), in the
    addressed project."""
    entity = call.op.entity or {}
    project = project_for(call)
    table = tables(project.entities, str(entity["kind"]), str(entity.get("id", "int")))
    if "store" in entity:  # rebound per request: the list itself may have been replaced
        table.rows = ListRows(getattr(project, str(entity["store"])), table.key)
    return table


def entity_id(call: Call) -> Any:
    """The entity id from the path: the one path parameter that is not the project/workspace."""
    for p in call.op.path_params:
        if p.context is None:
            return call.request.match_info[p.name]
    raise EmulatorError(400, errors.NO_ENTITY_ID)


async def body(call: Call) -> dict[str, Any]:
    """The JSON body validated against the operation's body model (an empty body is `{}`),
    without the entity's `write_only` fields."""
    raw = await call.body_bytes()
    data = await call.json() if raw.strip() else {}
    model = call.op.body.model if call.op.body is not None else None
    fields = writable(validate_body(data, model), model)
    for name in (call.op.entity or {}).get("write_only", ()):
        fields.pop(name, None)
    return fields


async def report_body(call: Call) -> dict[str, Any]:
    """A report request's JSON body (required) validated against the operation's body model."""
    return validate_body(await call.json(), call.op.body.model if call.op.body else None)


def count_of(text: str) -> int | None:
    """A count or offset written in ASCII digits that fits 64 bits, or None (not `²`, not `-1`,
    not 10**30: `str.isdigit` alone accepts superscripts that `int` refuses)."""
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        return None
    return int(text)


def cursor_page(call: Call, items: list[Any]) -> dict[str, Any]:
    """One page of `items` as `{results, pagination: {next_cursor, previous_cursor, page_size}}`
    (inside the envelope's `results`, where Mixpanel's clients look for it).

    The cursor (query `cursor`, `next_cursor` or `previous_cursor`) is opaque to clients; here it
    is the offset of the page's first item.
    """
    query = call.request.query
    raw = query.get("cursor") or query.get("next_cursor") or query.get("previous_cursor") or "0"
    size_text = query.get("page_size") or str(PAGE_SIZE)
    start, size = count_of(raw), count_of(size_text)
    if start is None or not size:
        raise EmulatorError(400, errors.BAD_CURSOR.format(cursor=raw, page_size=size_text))
    return {
        "results": items[start : start + size],
        "pagination": {
            "next_cursor": str(start + size) if start + size < len(items) else None,
            "previous_cursor": str(max(start - size, 0)) if start > 0 else None,
            "page_size": size,
        },
    }


def numbered_page(call: Call, items: list[dict[str, Any]], columns: list[str]) -> dict[str, Any]:
    """Page `page` (from 1; `page_size` items) of `items`, each as the array of its `columns`,
    with the total: `{events: [[...], ...], count}`."""
    page_text = call.request.query.get("page") or "1"
    size_text = call.request.query.get("page_size") or str(PAGE_SIZE)
    page, size = count_of(page_text), count_of(size_text)
    if not (page and size):
        raise EmulatorError(400, errors.BAD_PAGE.format(page=page_text, page_size=size_text))
    start = (page - 1) * size
    rows = items[start : start + size]
    return {"events": [[row.get(c) for c in columns] for row in rows], "count": len(items)}


def workspace_of(project: ProjectState) -> dict[str, Any]:
    """The one (global) workspace of a project, as `/workspaces/public` lists it."""
    return {
        "id": int(project.project_id),
        "name": "All Project Data",
        "project_id": int(project.project_id),
        "is_default": True,
        "is_global": True,
        "is_restricted": False,
        "is_visible": True,
        "description": "Every event and profile of the project",
        "created_iso": "2024-01-01T00:00:00Z",
        "creator_name": "Emulator",
    }


# --- cohorts (stored by the cohorts family, read by engage and discovery) ------------------------


def cohort_by_id(project: ProjectState, cohort_id: Any) -> Mapping[str, Any]:
    """The project's cohort with that id (compared as text); a 400 when there is none."""
    for cohort in project.cohorts:
        if str(cohort.get("id")) == str(cohort_id):
            return cohort
    raise EmulatorError(400, errors.UNKNOWN_COHORT.format(cohort_id=cohort_id))


def cohort_summary(project: ProjectState, cohort: Mapping[str, Any]) -> dict[str, Any]:
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


# --- dashboards and the report cards on them ---------------------------------------------------


def without_cards(
    layout: Mapping[str, Any], kind: Any, content_ids: Collection[Any]
) -> dict[str, Any]:
    """A copy of a dashboard `layout` without the `kind` cards showing any of `content_ids`;
    rows left empty go too."""
    out: dict[str, Any] = full_layout(layout)
    for r in out["rows"]:
        r["contents"] = [
            c
            for c in r["contents"]
            if not (c.get("content_type") == kind and c.get("content_id") in content_ids)
        ]
    out["rows"] = [r for r in out["rows"] if r["contents"]]
    return out


def full_layout(layout: Any) -> Any:
    """A copy of a dashboard `layout` with every part the spec leaves optional filled in
    (`rows`, each row's `contents`), so code reading a stored one needs no guards. Parts of the
    wrong type are left as they are, for the stored-document check to refuse."""
    if layout is None:
        return {"rows": []}
    if not isinstance(layout, Mapping):
        return layout
    rows = layout.get("rows") or []
    if isinstance(rows, list):
        rows = [
            {**r, "contents": r.get("contents") or []} if isinstance(r, Mapping) else r
            for r in rows
        ]
    return {**copy.deepcopy(dict(layout)), "rows": copy.deepcopy(rows)}


def dashboards_showing(call: Call, bookmark_id: int) -> list[int]:
    """The ids of the dashboards with a card of that report, in order."""
    return sorted(
        row["id"]
        for row in table_of(call, "dashboard").rows.values()
        if any(
            c.get("content_type") == "report" and c.get("content_id") == bookmark_id
            for r in full_layout(row.get("layout"))["rows"]
            for c in r["contents"]
        )
    )


# --- reports: the engines, the project's day, saved reports ------------------------------------


async def run_engine(
    compute: Callable[[], Any],
    users: people.UserData | Callable[[], people.UserData] | None = None,
    *,
    render: Callable[[Any], bytes] = orjson.dumps,
    content_type: str = JSON,
) -> web.Response:
    """Run an engine call off the loop (with `users` as the per-user values its filters and
    breakdowns may read; a callable making them is called off the loop too); its expression
    and range errors become 400s. `render` turns the answer into the body (JSON unless told)."""

    def with_users() -> bytes:
        with people.provided(users() if callable(users) else users):
            body = render(compute())  # serialised off the loop too: answers can be big
        if len(body) > MAX_RESULT_BYTES:
            raise EmulatorError(
                400, errors.RESULT_TOO_LARGE.format(size=len(body), limit=MAX_RESULT_BYTES)
            )
        return body

    try:
        body = await asyncio.to_thread(with_users)
    except expressions.ExpressionError as exc:
        raise EmulatorError(400, errors.ENGINE_EXPRESSION.format(exc=exc)) from None
    except ValueError as exc:
        raise EmulatorError(400, str(exc)) from None
    except OverflowError as exc:  # e.g. a window of a billion days
        raise EmulatorError(400, errors.OUT_OF_RANGE.format(exc=exc)) from None
    return web.Response(body=body, content_type=content_type)


MAX_RESULT_BYTES = 64 * 1024 * 1024
"""The largest report answer served; a larger one is a 400 asking for a narrower query."""


def user_data(
    project: ProjectState, first: dt.date, last: dt.date, unit: str | None = None
) -> people.UserData:
    """A snapshot of the project's profiles and cohorts, with its deduplicated events, for a
    report over `first`..`last` (frequencies per `unit` bucket; None: over the whole range)."""
    today = dt.datetime.now(zone_of(project)).date()
    return people.UserData(
        dict(project.profiles), list(project.cohorts), project.events.deduped(),
        project.timezone, first, last, today, unit,
    )  # fmt: skip


def zone_of(project: ProjectState) -> dt.tzinfo:
    """The project's timezone; a 400 when it is not a known zone."""
    try:
        return project_zone(project.timezone)
    except ValueError as exc:
        raise errors.bad_timezone(exc) from None


def bookmark_params(project: ProjectState, bookmark_id: Any, kind: str) -> Mapping[str, Any]:
    """The `params` of a saved report of `kind` (`funnel`, `retention`, `insights`, `flows`);
    a 400 (as for an unknown funnel) when there is no such report."""
    row = tables(project.entities, "bookmark").rows.get(int(bookmark_id))
    if row is None:
        raise EmulatorError(400, errors.UNKNOWN_BOOKMARK.format(bookmark_id=bookmark_id))
    if row.get("type") != REPORT_TYPE[kind]:
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
    today = dt.datetime.now(zone_of(project)).date()
    try:
        spec = saved_reports.retention_spec(
            bookmark_params(project, bookmark_id, "retention"), today
        )
    except ValueError as exc:
        raise EmulatorError(400, str(exc)) from None
    return {**spec, "timezone": project.timezone}
