"""Profile queries over properties (pure, no aiohttp): which profiles a query selects, in
which order, a cohort's members, and the aggregates of `/engage/stats`.

A population maps distinct ids to their properties. Bad input is a `ProfileQueryError` (a
ValueError) whose text, from `errors.py`, is the 400 the engage route answers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import orjson

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import expressions

Profiles = Mapping[str, Mapping[str, Any]]
Action = tuple[str, expressions.Node | None, float | None]
"""A parsed `/engage/stats` action: its name, the expression it reads, the percentile."""


class ProfileQueryError(ValueError):
    """A profile query that cannot run; the text is what the 400 says."""


def _bad_expression(name: str, exc: Exception) -> ProfileQueryError:
    return ProfileQueryError(errors.BAD_EXPRESSION.format(name=name, exc=exc))


def _matches(node: expressions.Node, props: Mapping[str, Any], name: str) -> bool:
    try:
        return expressions.evaluate(node, props) is True
    except expressions.ExpressionError as exc:
        raise _bad_expression(name, exc) from None


def members(cohort: Mapping[str, Any], population: Profiles) -> list[str]:
    """A cohort's members in a stable order: a literal `distinct_ids` list, or the profiles
    its `where` selects."""
    if "distinct_ids" in cohort:
        ids = cohort["distinct_ids"]
        if not isinstance(ids, list):
            raise ProfileQueryError(errors.COHORT_IDS_NOT_LIST)
        return list(dict.fromkeys(str(i) for i in ids))
    where = cohort.get("where")
    if isinstance(where, str) and where.strip():
        try:
            node = expressions.parse(where)
        except expressions.ExpressionError as exc:
            raise _bad_expression("cohort", exc) from None
        return _selected(node, population)
    return []


def _selected(node: expressions.Node, population: Profiles) -> list[str]:
    """The ids whose properties pass `node`, evaluated once per distinct combination of the
    values it reads (profiles often share them)."""
    names = sorted(expressions.referenced_properties(node))
    verdicts: dict[bytes, bool] = {}
    option = orjson.OPT_PASSTHROUGH_DATETIME  # datetimes go to `repr`, apart from strings
    out = []
    for did, props in population.items():
        values = [props.get(name) for name in names]
        key = orjson.dumps(values, default=repr, option=option)
        verdict = verdicts.get(key)
        if verdict is None:
            verdict = verdicts[key] = _matches(
                node, dict(zip(names, values, strict=True)), "cohort"
            )
        if verdict:
            out.append(did)
    return out


def _search_hit(needle: str, distinct_id: str, props: Mapping[str, Any]) -> bool:
    if needle in distinct_id.lower():
        return True
    for value in props.values():
        items = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and needle in v.lower() for v in items):
            return True
    return False


def _sort_rank(value: Any) -> tuple[int, Any]:
    # Values of different types never compare in Python; group them by type first.
    if isinstance(value, bool):
        return 2, value
    if isinstance(value, int | float):
        return 0, value
    if isinstance(value, str):
        return 1, value
    return 3, orjson.dumps(value, default=str).decode()


def sort_ids(ids: list[str], population: Profiles, node: expressions.Node, order: str) -> list[str]:
    """Sort by a selector value; profiles where it is undefined come last either way."""
    keyed: list[tuple[tuple[int, Any], str]] = []
    undefined: list[str] = []
    for did in ids:
        try:
            value = expressions.evaluate(node, population.get(did, {}))
        except expressions.ExpressionError as exc:
            raise _bad_expression("sort_key", exc) from None
        if value is None:
            undefined.append(did)
        else:
            keyed.append((_sort_rank(value), did))
    keyed.sort(key=lambda pair: pair[0], reverse=order == "descending")
    return [did for _, did in keyed] + undefined


@attrs.frozen
class Selection:
    """The ids a profile query selects, in order, and those that have no profile."""

    ids: list[str]
    profileless: frozenset[str]


def select(
    population: Profiles,
    *,
    where: expressions.Node | None = None,
    distinct_ids: Iterable[str] | None = None,
    cohort: Mapping[str, Any] | None = None,
    include_all_users: bool = True,
    search: str | None = None,
) -> Selection:
    """Which profiles of `population` (distinct id → properties) a query selects."""
    ids = (
        list(population)
        if distinct_ids is None
        else [did for did in distinct_ids if did in population]
    )
    profileless: list[str] = []
    if cohort is not None:
        inside = members(cohort, population)
        member_set = set(inside)
        ids = [did for did in ids if did in member_set]
        if include_all_users:  # members without a profile are listed too, with no properties
            wanted = None if distinct_ids is None else set(distinct_ids)
            profileless = [
                did for did in inside if did not in population and (wanted is None or did in wanted)
            ]
    ids += profileless
    if where is not None:
        ids = [did for did in ids if _matches(where, population.get(did, {}), "where")]
    if search:
        needle = search.lower()
        ids = [did for did in ids if _search_hit(needle, did, population.get(did, {}))]
    missing = frozenset(profileless).intersection(ids)
    return Selection(ids, missing)


_ACTION = re.compile(r"^\s*([A-Za-z_]+)\s*\((.*)\)\s*$", re.DOTALL)


def _numbers(node: expressions.Node, profiles: Iterable[Mapping[str, Any]]) -> list[float]:
    out: list[float] = []
    for props in profiles:
        try:
            value = expressions.evaluate(node, props)
        except expressions.ExpressionError as exc:
            raise _bad_expression("action", exc) from None
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            out.append(value)
    return out


def _percentile(values: list[float], pct: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = pct / 100 * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def parse_action(text: str) -> Action:
    """`count()`, `extremes(x)`, `numeric_summary(x)` or `percentile(x, N)` → its parts."""
    match = _ACTION.match(text)
    if match is None:
        raise ProfileQueryError(errors.BAD_ACTION.format(text=text))
    name, inner = match.group(1), match.group(2).strip()
    if name == "count":
        if inner:
            raise ProfileQueryError(errors.COUNT_ARGS)
        return name, None, None
    pct: float | None = None
    if name == "percentile":
        inner, _, number = inner.rpartition(",")
        try:
            pct = float(number)
        except ValueError:
            raise ProfileQueryError(errors.PERCENTILE_NUMBER) from None
        if not 0 <= pct <= 100:
            raise ProfileQueryError(errors.PERCENTILE_RANGE.format(number=number.strip()))
    elif name not in ("extremes", "numeric_summary"):
        raise ProfileQueryError(errors.UNKNOWN_ACTION.format(name=name))
    try:
        node = expressions.parse(inner)
    except expressions.ExpressionError as exc:
        raise _bad_expression("action", exc) from None
    return name, node, pct


def aggregate(action: Action, profiles: list[Mapping[str, Any]]) -> Any:
    """The value of a parsed action over some profiles' properties."""
    name, node, pct = action
    if name == "count" or node is None:
        return len(profiles)
    values = _numbers(node, profiles)
    if name == "extremes":
        return {"min": min(values, default=None), "max": max(values, default=None)}
    if name == "percentile":
        return _percentile(values, pct or 0.0)
    n = len(values)
    mean = sum(values) / n if n else None
    var = sum((v - mean) ** 2 for v in values) / n if mean is not None else None
    return {"count": n, "mean": mean, "var": var, "sum_of_squares": sum(v * v for v in values)}
