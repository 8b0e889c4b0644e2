"""Emulator routes for openapi/engage.yaml: the profile query and its aggregates.

Paging works as Mixpanel's does: page 0 is asked for without `session_id`; the answer carries
a `session_id` that later pages repeat with `page` one higher. The emulator keeps, per session,
the ordered ids that matched when page 0 was computed, so every page of one walk comes from
the same snapshot even while profiles change; the profiles themselves are read live.
"""

from __future__ import annotations

import asyncio
import functools
import secrets
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs
import orjson
from aiohttp import web

from mixpanel_async._gc import paused_gc
from mixpanel_async._operation import INT64_MAX
from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import cohort_selectors, custom_columns, expressions, profiles
from mixpanel_async.emulator.engine.profiles import ProfileQueryError, Selection
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.render import json_response
from mixpanel_async.emulator.route_helpers import cohort_by_id
from mixpanel_async.emulator.router import Call, Handler, Routes, project_for
from mixpanel_async.emulator.store import ProjectState

routes = Routes()

PAGE_SIZE = 1000
SESSION_TTL = 3600.0
"""Seconds a paging session stays valid after page 0."""
MAX_SESSIONS = 512
"""Sessions kept per emulator; the oldest go first."""
_SESSIONS_KEY = "engage_sessions"
_SORT_ORDERS = ("ascending", "descending")

# --- sessions ------------------------------------------------------------------------------


@attrs.define
class Session:
    """The snapshot behind one paging walk."""

    project_id: str
    group_key: str | None
    ids: list[str]
    total: int
    profileless: frozenset[str]
    """Cohort members without a profile (`include_all_users`): served with no properties."""
    page_size: int = PAGE_SIZE
    created: float = attrs.field(factory=time.monotonic)


class Sessions:
    """Live paging sessions, bounded in number and age."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, Session] = OrderedDict()

    def add(self, session: Session) -> str:
        """Keep a session (expiring old ones first) and return its new id."""
        self._expire()
        while len(self._items) >= MAX_SESSIONS:
            self._items.popitem(last=False)
        session_id = f"{int(time.time())}-{secrets.token_hex(6).upper()}"
        self._items[session_id] = session
        return session_id

    def get(self, session_id: str) -> Session | None:
        """The live session with that id, if any."""
        self._expire()
        return self._items.get(session_id)

    def _expire(self) -> None:
        cutoff = time.monotonic() - SESSION_TTL
        while self._items and next(iter(self._items.values())).created < cutoff:
            self._items.popitem(last=False)


def _sessions(call: Call) -> Sessions:
    store = call.state.extras.get(_SESSIONS_KEY)
    if not isinstance(store, Sessions):
        store = call.state.extras[_SESSIONS_KEY] = Sessions()
    return store


# --- field parsing ---------------------------------------------------------------------------


async def _fields(call: Call) -> dict[str, Any]:
    """Query-string fields overlaid with the body's (form or JSON): legacy clients send the
    whole query in the URL, the peer library in a JSON body."""
    fields: dict[str, Any] = dict(call.request.query)
    fields.update(await call.fields())
    return {k: v for k, v in fields.items() if v is not None and v != ""}


def _json_field(fields: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    """A JSON-text field, accepted as JSON text or as the already-decoded value."""
    value = fields.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            raise errors.bad_param(name, errors.BAD_JSON_FIELD.format(text=value[:80])) from None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise errors.bad_param(name, errors.WRONG_TYPE.format(type=type(value).__name__))
    return value


def _str_list(fields: Mapping[str, Any], name: str) -> list[str] | None:
    values = _json_field(fields, name, list)
    if values is None:
        return None
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
        raise errors.bad_param(name, errors.NOT_STRINGS)
    return list(dict.fromkeys(str(v) for v in values))


def _int(fields: Mapping[str, Any], name: str, default: int | None, minimum: int) -> int | None:
    value = fields.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise errors.bad_param(name, errors.NOT_INTEGER.format(value=value))
    try:
        number = int(value)
    except ValueError:
        raise errors.bad_param(name, errors.NOT_INTEGER.format(value=value)) from None
    if number < minimum:
        raise errors.bad_param(name, errors.TOO_SMALL.format(minimum=minimum, number=number))
    if number > INT64_MAX:
        raise errors.bad_param(name, errors.TOO_LARGE_NUMBER.format(number=number))
    return number


def _bool(fields: Mapping[str, Any], name: str, default: bool) -> bool:
    value = fields.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).lower()
    if text not in ("true", "false", "1", "0"):
        raise errors.bad_param(name, errors.NOT_BOOLEAN.format(value=value))
    return text in ("true", "1")


def _expression(fields: Mapping[str, Any], name: str) -> expressions.Node | None:
    text = fields.get(name)
    if text is None:
        return None
    if not isinstance(text, str):
        raise errors.bad_param(name, errors.NOT_STRING)
    try:
        return expressions.parse(text)
    except expressions.ExpressionError as exc:
        raise errors.bad_expression(name, exc) from None


# --- selection ---------------------------------------------------------------------------------


def _population(project: ProjectState, group_key: str | None) -> dict[str, Mapping[str, Any]]:
    """User profiles, or with `data_group_id` the group profiles of that group key."""
    if group_key is None:
        return dict(project.profiles)
    return {gid: props for (key, gid), props in list(project.groups.items()) if key == group_key}


def _cohort(project: ProjectState, spec: Any) -> Mapping[str, Any]:
    """The cohort definition a `filter_by_cohort` value names (`{"id"}` or `{"raw_cohort"}`)."""
    if isinstance(spec, dict) and isinstance(spec.get("raw_cohort"), dict):
        raw: Mapping[str, Any] = spec["raw_cohort"]
        if cohort_selectors.is_selector(raw):
            return {"distinct_ids": _selected(project, raw)}
        if "distinct_ids" not in raw and "where" not in raw:
            raise errors.bad_param("filter_by_cohort", errors.RAW_COHORT_NEEDS)
        return raw
    cohort_id = spec.get("id") if isinstance(spec, dict) else spec
    if cohort_id is None or isinstance(cohort_id, bool | dict | list):
        raise errors.bad_param("filter_by_cohort", errors.COHORT_SPEC)
    return cohort_by_id(project, cohort_id)


def _selected(project: ProjectState, raw: Mapping[str, Any]) -> list[str]:
    """The users an inline selector cohort selects; a 400 naming what cannot be evaluated."""

    def saved(cohort_id: Any) -> set[str]:
        cohort = cohort_by_id(project, cohort_id)
        return set(profiles.members(cohort, dict(project.profiles)))

    try:
        return cohort_selectors.members(raw, dict(project.profiles), saved)
    except ValueError as exc:
        raise errors.bad_param("filter_by_cohort", str(exc)) from None


async def _selection(
    project: ProjectState, fields: Mapping[str, Any], where_field: str
) -> tuple[dict[str, Mapping[str, Any]], Selection]:
    """Parse the filter fields shared by both operations and apply them (to a copy of the
    profiles, on a worker thread: a filter over many profiles must not hold up the loop)."""
    where = _expression(fields, where_field)
    distinct_id = fields.get("distinct_id")
    distinct_ids = _str_list(fields, "distinct_ids")
    if distinct_id is not None and distinct_ids is not None:
        raise EmulatorError(400, errors.IDS_EXCLUSIVE)
    if distinct_id is not None:
        distinct_ids = [str(distinct_id)]
    cohort_spec = _json_field(fields, "filter_by_cohort", (dict, int, str))
    if fields.get("behaviors") is not None:
        if cohort_spec is not None:
            raise EmulatorError(400, errors.BEHAVIORS_EXCLUSIVE)
        _json_field(fields, "behaviors", list)
        raise EmulatorError(400, errors.NO_BEHAVIORS)
    _int(fields, "as_of_timestamp", None, 0)  # validated; profiles keep no history here
    group_key = fields.get("data_group_id")
    population = _population(project, None if group_key is None else str(group_key))
    search = fields.get("search")
    named = () if where is None else expressions.referenced_properties(where)
    try:  # custom properties named by `where` are computed over each profile first
        readable = await asyncio.to_thread(custom_columns.over_profiles, population, named)
    except ValueError as exc:
        raise EmulatorError(400, str(exc)) from None
    selection = await asyncio.to_thread(
        profiles.select,
        readable,
        where=where,
        distinct_ids=distinct_ids,
        cohort=None if cohort_spec is None else _cohort(project, cohort_spec),
        include_all_users=_bool(fields, "include_all_users", True),
        search=None if search is None else str(search),
    )
    return population, selection


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _refusals_as_400(handler: Handler) -> Handler:
    """A handler whose `engine.profiles` refusals answer 400 with their text."""

    @functools.wraps(handler)
    async def handle(call: Call) -> web.StreamResponse:
        try:
            return await handler(call)
        except ProfileQueryError as exc:
            raise EmulatorError(400, str(exc)) from None

    return handle


# --- the profile query ---------------------------------------------------------------------


def _project(call: Call, fields: Mapping[str, Any]) -> ProjectState:
    if "project_id" in call.params:
        return project_for(call)
    return project_for(call, project_id=fields.get("project_id"))


async def _new_session(
    call: Call, project: ProjectState, fields: Mapping[str, Any]
) -> tuple[str, Session]:
    population, selection = await _selection(project, fields, "where")
    ids = selection.ids
    sort_key = _expression(fields, "sort_key")
    order = fields.get("sort_order", "descending")
    if order not in _SORT_ORDERS:
        raise errors.bad_param("sort_order", errors.BAD_SORT_ORDER.format(order=order))
    if sort_key is not None:
        ids = await asyncio.to_thread(profiles.sort_ids, ids, population, sort_key, str(order))
    total = len(ids)
    limit = _int(fields, "limit", None, 1)
    if limit is not None:
        ids = ids[:limit]
    group_key = fields.get("data_group_id")
    session = Session(
        project.project_id,
        None if group_key is None else str(group_key),
        ids,
        total,
        selection.profileless,
    )
    return _sessions(call).add(session), session


@routes("query_profiles", also=("GET",))
@_refusals_as_400
async def query_profiles(call: Call) -> web.StreamResponse:
    """POST /api/query/engage: one page of the profiles matching the query."""
    fields = await _fields(call)
    project = _project(call, fields)
    page = _int(fields, "page", 0, 0)
    assert page is not None
    output = _str_list(fields, "output_properties")
    session_id = fields.get("session_id")
    if session_id is None:
        if page > 0:
            raise EmulatorError(400, errors.SESSION_NEEDED)
        session_id, session = await _new_session(call, project, fields)
    else:
        found = _sessions(call).get(str(session_id))
        if found is None or found.project_id != project.project_id:
            raise EmulatorError(400, errors.BAD_SESSION.format(session_id=session_id))
        session = found
    with paused_gc():  # a thousand short-lived dicts, freed by refcount once serialised
        return json_response(
            {
                "page": page,
                "page_size": session.page_size,
                "results": _page(project, session, page, output),
                "session_id": session_id,
                "status": "ok",
                "total": session.total,
                "computed_at": _now(),
            }
        )


def _page(
    project: ProjectState, session: Session, page: int, output: list[str] | None
) -> list[dict[str, Any]]:
    """The `results` of one page: the profiles of the session's ids, read now."""
    start = page * session.page_size
    ids = session.ids[start : start + session.page_size]
    if session.group_key is None:
        stored: Mapping[Any, dict[str, Any]] = project.profiles
        keys: Iterable[Any] = ids
    else:
        stored = project.groups
        keys = [(session.group_key, did) for did in ids]
    profileless = session.profileless
    results = []
    for did, key in zip(ids, keys, strict=True):
        props = stored.get(key)
        if props is None:
            if did not in profileless:
                continue  # deleted since page 0
            props = {}
        if output is not None:
            props = {k: props[k] for k in output if k in props}
        # The stored dict itself: serialised by the caller before anything can change it.
        results.append({"$distinct_id": did, "$properties": props})
    return results


# --- aggregates ------------------------------------------------------------------------------


@routes("query_profile_stats")
@_refusals_as_400
async def query_profile_stats(call: Call) -> web.StreamResponse:
    """POST /api/query/engage/stats: an aggregate over the profiles a selector matches."""
    fields = await _fields(call)
    project = _project(call, fields)
    action = profiles.parse_action(str(fields.get("action", "count()")))
    where_field = "selector" if "selector" in fields else "where"
    population, selection = await _selection(project, fields, where_field)
    segments = _json_field(fields, "segment_by_cohorts", dict)

    def props_of(ids: Iterable[str]) -> list[Mapping[str, Any]]:
        return [population.get(did, {}) for did in ids]

    results: Any
    if segments is None:
        results = profiles.aggregate(action, props_of(selection.ids))
    else:
        results = {}
        for cohort_id, include in segments.items():
            members = set(profiles.members(_cohort(project, {"id": cohort_id}), population))
            ids = [did for did in selection.ids if (did in members) == bool(include)]
            results[str(cohort_id)] = profiles.aggregate(action, props_of(ids))
    return json_response({"results": results, "status": "ok", "computed_at": _now()})
