"""User (profile) queries as engage params: `build_user_params` (pure, checked before any
request), in the dict shape the seed's `build_user_params` returns (JSON-text fields as JSON
text), which `run_user_params` sends.

`where` takes a selector expression string or typed `Filter`s: they become the selector the
seed writes (all required), and an `in_cohort` filter the `filter_by_cohort`. A `cohort` is a
cohort id, a `CohortDefinition` or a raw definition dict (both sent as `raw_cohort`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, Literal, TypedDict

from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.reports import filter_forms
from mixpanel_async.reports.arguments import ISO_DAY, is_int
from mixpanel_async.reports.cohort_refs import raw_cohort
from mixpanel_async.reports.cohorts import CohortDefinition
from mixpanel_async.reports.filters import Filter
from mixpanel_async.reports.problems import Problems

UserMode = Literal["profiles", "aggregate"]
Aggregate = Literal["count", "extremes", "percentile", "numeric_summary"]
SortOrder = Literal["ascending", "descending"]
MAX_WORKERS = 5
"""Most engage pages fetched at once (Mixpanel allows 5 concurrent engage queries)."""
_AGGREGATES = ("count", "extremes", "percentile", "numeric_summary")


class UserQuery(TypedDict, total=False):
    """The keywords of `query_user` and `build_user_params` (the seed's names and defaults).

    Attributes:
        where: `Filter`s on profile properties (all required; one `in_cohort` at most, no
            `not_in_cohort`), or a selector expression.
        cohort: Only members of this cohort: an id, a `CohortDefinition`, or a raw
            definition dict.
        properties: Only these properties of each profile (profiles mode).
        sort_by: Sort by this property (profiles mode).
        sort_order: `descending` (default) or `ascending`.
        limit: Most profiles returned (default 1; None for all).
        search: Free-text search over profile properties (profiles mode).
        distinct_id: Only this user (profiles mode).
        distinct_ids: Only these users (profiles mode).
        group_id: Group profiles of this data group instead of users.
        as_of: Profiles as they were on this day (`YYYY-MM-DD`) or Unix time (profiles mode).
        mode: `aggregate` (default) or `profiles`.
        aggregate: `count` (default), `extremes`, `percentile` or `numeric_summary`.
        aggregate_property: The property aggregated (all but `count`).
        percentile: Which percentile, strictly between 0 and 100 (`percentile`).
        segment_by: One aggregate per cohort id (aggregate mode).
        parallel: Fetch pages concurrently (profiles mode).
        workers: Pages in flight with `parallel` (1–5, default 5).
        include_all_users: With `cohort`, also members without a profile.
    """

    where: Filter | list[Filter] | str | None
    cohort: int | CohortDefinition | Mapping[str, Any] | None
    properties: list[str] | None
    sort_by: str | None
    sort_order: SortOrder
    limit: int | None
    search: str | None
    distinct_id: str | None
    distinct_ids: list[str] | None
    group_id: str | None
    as_of: str | int | None
    mode: UserMode
    aggregate: Aggregate
    aggregate_property: str | None
    percentile: float | None
    segment_by: list[int] | None
    parallel: bool
    workers: int
    include_all_users: bool


DEFAULTS: dict[str, Any] = {
    "where": None, "cohort": None, "properties": None, "sort_by": None,
    "sort_order": "descending", "limit": 1, "search": None, "distinct_id": None,
    "distinct_ids": None, "group_id": None, "as_of": None, "mode": "aggregate",
    "aggregate": "count", "aggregate_property": None, "percentile": None, "segment_by": None,
    "parallel": False, "workers": 5, "include_all_users": False,
}  # fmt: skip
"""The seed's defaults of the `UserQuery` keywords."""


def with_defaults(query: UserQuery) -> dict[str, Any]:
    """Every `UserQuery` keyword, defaults filled in (`TypeError` for an unknown one)."""
    unknown = sorted(query.keys() - DEFAULTS.keys())
    if unknown:
        raise TypeError(f"got an unexpected keyword argument {unknown[0]!r}")
    return {**DEFAULTS, **query}


def selector(name: str) -> str:
    """`properties["name"]`, with quotes and backslashes in the name escaped."""
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'properties["{escaped}"]'


def _mode_only(problems: Problems, mode: Any, given: dict[str, bool]) -> None:
    rules = (
        ("parallel", "U18"),
        ("sort_by", "U19"),
        ("search", "U20"),
        ("distinct_id", "U21"),
        ("properties", "U22"),
        ("as_of", "U30"),
    )
    for name, code in rules:
        if given[name] and mode != "profiles":
            problems.add(name, f"{name} is for mode='profiles' only", code)


def _as_of_problems(problems: Problems, as_of: Any) -> None:
    if not isinstance(as_of, str):
        return
    day = None
    if ISO_DAY.match(as_of):
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            day = None
    if day is None:
        problems.add("as_of", f"as_of must be a real YYYY-MM-DD day (got {as_of!r})", "U6")
    elif day > dt.date.today():
        problems.add("as_of", f"as_of {as_of} is in the future", "U8")


def _aggregate_problems(
    problems: Problems, mode: Any, aggregate: Any, prop: Any, percentile: Any
) -> None:
    if mode != "aggregate":
        return
    if aggregate != "count" and prop is None:
        problems.add(
            "aggregate_property", f"aggregate={aggregate!r} needs an aggregate_property", "U14"
        )
    if aggregate == "count" and prop is not None:
        problems.add("aggregate_property", "aggregate='count' takes no aggregate_property", "U15")
    if aggregate == "percentile" and percentile is None:
        problems.add("percentile", "aggregate='percentile' needs a percentile", "U26")
    if aggregate != "percentile" and percentile is not None:
        problems.add(
            "percentile", f"percentile is for aggregate='percentile', not {aggregate!r}", "U27"
        )


def where_filters(where: Any) -> list[Any]:
    """`where` as a list of conditions (none for a selector string or None)."""
    if isinstance(where, Filter):
        return [where]
    return list(where) if isinstance(where, list) else []


def _filter_problems(p: Problems, args: dict[str, Any]) -> int:
    """The rules of typed `where` filters; how many `in_cohort` filters there are."""
    found = where_filters(args["where"])
    for i, item in enumerate(found):
        if not isinstance(item, Filter):
            p.add(f"where[{i}]", f"where takes Filters (got {type(item).__name__})", "U0")
    conditions = [(i, f) for i, f in enumerate(found) if isinstance(f, Filter)]
    cohorts = [f for _, f in conditions if filter_forms.is_cohort_filter(f)]
    members = sum(f._operator == "contains" for f in cohorts)
    if args["cohort"] is not None and members:
        p.add("cohort", "give cohort or a Filter.in_cohort() in where, not both", "U2")
    for i, f in conditions:
        if isinstance(f._property, str) and not f._property.strip():
            p.add(f"where[{i}]._property", "a filter needs a property name", "U10")
        if not filter_forms.is_cohort_filter(f) and not isinstance(f._property, str):
            p.add(f"where[{i}]._property", "a user query filters on named properties", "U25")
        if filter_forms.is_cohort_filter(f) and f._operator != "contains":
            p.add(f"where[{i}]", "a user query cannot use Filter.not_in_cohort()", "U12")
    if members > 1:
        p.add("where", f"where takes one Filter.in_cohort() at most (got {members})", "U13")
    return members


def user_problems(args: dict[str, Any]) -> Problems:
    """Every rule the seed's `query_user` arguments (by name) break."""
    p = Problems()
    mode, cohort = args["mode"], args["cohort"]
    members = _filter_problems(p, args)
    if args["distinct_id"] is not None and args["distinct_ids"] is not None:
        p.add("distinct_id", "give distinct_id or distinct_ids, not both", "U1")
    limit = args["limit"]
    if limit is not None and (not is_int(limit) or limit <= 0):
        p.add("limit", f"limit must be a positive integer or None (got {limit!r})", "U3")
    if args["distinct_ids"] is not None and len(args["distinct_ids"]) == 0:
        p.add("distinct_ids", "distinct_ids is empty", "U4")
    if args["sort_by"] is not None and not str(args["sort_by"]).strip():
        p.add("sort_by", "sort_by names no property", "U5")
    _as_of_problems(p, args["as_of"])
    if args["include_all_users"] and cohort is None and not members:
        p.add("include_all_users", "include_all_users=True needs a cohort", "U7")
    properties = args["properties"]
    if properties is not None and len(properties) == 0:
        p.add("properties", "properties is empty", "U29")
    for i, name in enumerate(properties or []):
        if not isinstance(name, str) or not name.strip():
            p.add(f"properties[{i}]", "a property name must be a non-empty string", "U11")
    _aggregate_problems(p, mode, args["aggregate"], args["aggregate_property"], args["percentile"])
    segment_by = args["segment_by"]
    if segment_by is not None and mode != "aggregate":
        p.add("segment_by", "segment_by is for mode='aggregate' only", "U16")
    for i, cohort_id in enumerate(segment_by or []):
        if not is_int(cohort_id) or cohort_id <= 0:
            p.add(
                f"segment_by[{i}]", f"cohort ids are positive integers (got {cohort_id!r})", "U17"
            )
    percentile = args["percentile"]
    if percentile is not None and not 0 < percentile < 100:
        p.add(
            "percentile",
            f"percentile must lie strictly between 0 and 100 (got {percentile})",
            "U28",
        )
    given = {name: args[name] is not None for name in ("sort_by", "search", "properties", "as_of")}
    given["parallel"] = bool(args["parallel"])
    given["distinct_id"] = args["distinct_id"] is not None or args["distinct_ids"] is not None
    _mode_only(p, mode, given)
    workers = args["workers"]
    if not is_int(workers) or not 1 <= workers <= MAX_WORKERS:
        p.add("workers", f"workers must lie in 1..{MAX_WORKERS} (got {workers!r})", "U23")
    return p


def _enums(args: dict[str, Any]) -> Problems:
    p = Problems()
    for name, allowed, code in (
        ("mode", ("profiles", "aggregate"), "U_INVALID_MODE"),
        ("aggregate", _AGGREGATES, "U_INVALID_AGGREGATE"),
        ("sort_order", ("ascending", "descending"), "UP1"),
    ):
        if args[name] not in allowed:
            p.add(name, f"{name} must be one of {', '.join(allowed)} (got {args[name]!r})", code)
    cohort = args["cohort"]
    if cohort is not None and not (
        is_int(cohort) or isinstance(cohort, Mapping | CohortDefinition)
    ):
        p.add("cohort", f"cohort is an id or a cohort definition (got {cohort!r})", "U24")
    return p


def _where_type(where: Any) -> Problems:
    p = Problems()
    if where is not None and not isinstance(where, Filter | list | str):
        p.add("where", f"where takes Filters or a selector (got {type(where).__name__})", "U9")
    return p


def _selector(conditions: list[Filter]) -> str:
    try:
        return filter_forms.selector_of_all(conditions)
    except ParamValidationError as exc:
        p = Problems()
        p.add("where", f"{exc} [{exc.code}]", "U_FILTER")
        raise p.error() from exc


def _cohort_spec(cohort: Any, from_where: Filter | None) -> dict[str, Any] | None:
    """The `filter_by_cohort` of the `cohort` argument, else of an `in_cohort` filter."""
    if isinstance(cohort, CohortDefinition):
        return {"raw_cohort": raw_cohort(cohort)}
    if cohort is not None:
        return {"id": cohort} if is_int(cohort) else {"raw_cohort": dict(cohort)}
    if from_where is None:
        return None
    named = filter_forms.cohort_of(from_where)
    return {"id": named["id"]} if "id" in named else {"raw_cohort": named["raw_cohort"]}


def _action(aggregate: str, prop: str | None, percentile: float | None) -> str:
    if aggregate == "count":
        return "count()"
    target = selector(prop or "")
    if aggregate == "percentile":
        return f"percentile({target}, {percentile})"
    return f"{aggregate}({target})"


def build_user_params(query: UserQuery) -> dict[str, Any]:
    """The engage params for `query_user`'s keywords (no request).

    Returns:
        The seed's params dict: `where`, `filter_by_cohort` / `output_properties` /
        `distinct_ids` / `segment_by_cohorts` as JSON text, `sort_key` + `sort_order`,
        `as_of_timestamp`, `distinct_id`, `data_group_id`, `search`, `include_all_users` (with
        a cohort) and, in aggregate mode, the `action`.

    Raises:
        BookmarkValidationError: every broken rule at once (the seed's U* codes).
    """
    args = with_defaults(query)
    _where_type(args["where"]).raise_any()
    _enums(args).raise_any()
    user_problems(args).raise_any()
    params: dict[str, Any] = {}
    where, from_where = args["where"], None
    if isinstance(where, str):
        params["where"] = where
    else:
        conditions = where_filters(where)
        members = [f for f in conditions if filter_forms.is_cohort_filter(f)]
        from_where = members[0] if members else None
        text = _selector([f for f in conditions if not filter_forms.is_cohort_filter(f)])
        if text:
            params["where"] = text
    chosen = _cohort_spec(args["cohort"], from_where)
    if chosen is not None:
        params["filter_by_cohort"] = json.dumps(chosen)
    if args["properties"] is not None:
        params["output_properties"] = json.dumps(args["properties"])
    if args["sort_by"] is not None:
        params["sort_key"] = selector(args["sort_by"])
        params["sort_order"] = args["sort_order"]
    as_of = args["as_of"]
    if as_of is not None:
        params["as_of_timestamp"] = (
            calendar.timegm(dt.date.fromisoformat(as_of).timetuple())
            if isinstance(as_of, str)
            else as_of
        )
    if args["distinct_id"] is not None:
        params["distinct_id"] = args["distinct_id"]
    if args["distinct_ids"] is not None:
        params["distinct_ids"] = json.dumps(args["distinct_ids"])
    if args["group_id"] is not None:
        params["data_group_id"] = args["group_id"]
    if args["search"] is not None:
        params["search"] = args["search"]
    if "filter_by_cohort" in params:
        params["include_all_users"] = args["include_all_users"]
    if args["mode"] == "aggregate":
        params["action"] = _action(
            args["aggregate"], args["aggregate_property"], args["percentile"]
        )
        if args["segment_by"] is not None:
            params["segment_by_cohorts"] = json.dumps({str(c): True for c in args["segment_by"]})
    return params


def decoded(params: Mapping[str, Any], name: str) -> Any:
    """A params field that may be JSON text (as `build_user_params` writes it) or the value."""
    value = params.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
