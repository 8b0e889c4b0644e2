"""Per-user values named inside report expressions: a people property, membership of a saved
cohort, the segment of a cohort breakdown, how often a user did an event. Report parsers turn
such filter and breakdown entries into `Property` nodes whose names are keys made here (they
start with `rows.USER_KEY`, which no event property does); `engine.people` computes the values
when a report runs. This module only builds and reads the keys (no computing), so the filter
parser can use it without importing the engines.

A key is `USER_KEY + kind + USER_KEY + canonical JSON of its spec`:
- `people`: the property name;
- `cohort`: `{"id"}` or `{"raw_cohort"}` (an inline definition), true for members, false
  for everyone else;
- `segment`: `{"cohorts": [{"ref", "negated", "label"}, ...]}` (`ref` as for `cohort`), the
  label of the one entry a user matches (undefined when none);
- `frequency`: `{"event", "filters", "determiner", "range", "label", "bucket"}`, the number of
  the user's events in the row's report time bucket, or with a `bucket` the label of the
  frequency bucket holding it (`range`, the `dateRange` lookback, is checked but not applied).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from mixpanel_async.emulator.engine import cohort_selectors
from mixpanel_async.emulator.engine.expressions import Binary, Call, Literal, Node, Property
from mixpanel_async.emulator.engine.params import listing, mapping
from mixpanel_async.emulator.engine.rows import USER_KEY, is_user_key

PEOPLE, COHORT, SEGMENT, FREQUENCY = "people", "cohort", "segment", "frequency"
PEOPLE_RESOURCES = ("people", "user", "users")
UNSUPPORTED = "{what} is not supported by the emulator"

__all__ = ["COHORT", "FREQUENCY", "PEOPLE", "SEGMENT", "is_user_key", "key", "read"]


def key(kind: str, spec: Any) -> str:
    """The property name standing for a per-user value."""
    return f"{USER_KEY}{kind}{USER_KEY}" + orjson.dumps(spec, option=orjson.OPT_SORT_KEYS).decode()


def read(name: str) -> tuple[str, Any]:
    """A key's kind and spec."""
    _, kind, spec = name.split(USER_KEY, 2)
    return kind, orjson.loads(spec)


def header(name: str) -> str:
    """How a breakdown by `name` is headed in an answer: the property's own name, `$cohorts`
    for a cohort segment, a frequency's label."""
    if not is_user_key(name):
        return name
    kind, spec = read(name)
    if kind == PEOPLE:
        return str(spec)
    if kind == SEGMENT:
        return "$cohorts"
    return str(spec.get("label") or f"{spec.get('event')} Frequency")


def _cohort_id(value: Any, what: str) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str) or value in ("", 0):
        raise ValueError(f"{what} names no saved cohort id, got {value!r}")
    return value


def _cohort_ref(item: Any, what: str) -> tuple[Mapping[str, Any], dict[str, Any]]:
    """A cohort entry and what it names: `{"id"}` (a saved cohort, as text) or
    `{"raw_cohort"}` (an inline definition)."""
    entry = mapping(item, what)
    if entry.get("raw_cohort") is not None:
        return entry, {"raw_cohort": dict(cohort_selectors.checked(entry["raw_cohort"], what))}
    return entry, {"id": str(_cohort_id(entry.get("id"), what))}


def cohort_filter(item: Mapping[str, Any]) -> Node | None:
    """An in-cohort filter entry (`value` `$cohorts`, `filterOperator` `contains` or `does not
    contain`, `filterValue` `[{"cohort": {"id", "negated"}}]`) as a membership test; None when
    the entry is not one."""
    if item.get("value", item.get("propertyName")) != "$cohorts":
        return None
    operator = item.get("filterOperator")
    if operator not in ("contains", "does not contain"):
        raise ValueError(UNSUPPORTED.format(what=f"the cohort filter operator {operator!r}"))
    values = listing(item.get("filterValue"), "a cohort filter's filterValue")
    if len(values) != 1:
        raise ValueError("a cohort filter needs exactly one cohort in filterValue")
    cohort, ref = _cohort_ref(mapping(values[0], "filterValue[0]").get("cohort"), "a cohort filter")
    # both clients mark a not-in filter twice (`negated` and `does not contain`): either says so
    negated = bool(cohort.get("negated")) or operator == "does not contain"
    member = Property(key(COHORT, ref))
    return Binary("==", member, Literal(not negated))


def _window(value: Any) -> Any:
    """A frequency's `dateRange` (None: the report's range) as `{"unit", "value"}` or None."""
    if value is None:
        return None
    spec = mapping(value, "a frequency's dateRange")
    if spec.get("type", "in the last") != "in the last":
        raise ValueError(UNSUPPORTED.format(what=f"a {spec.get('type')!r} frequency window"))
    window = mapping(spec.get("window"), "a frequency's dateRange.window")
    return {"unit": window.get("unit", spec.get("unit", "day")), "value": window.get("value")}


def frequency_spec(item: Mapping[str, Any]) -> dict[str, Any] | None:
    """The spec of a frequency filter or breakdown (a `behavior` with `behaviorType`
    `$frequency`), without its bucket; None when the entry is not one."""
    behavior = item.get("behavior")
    if not isinstance(behavior, Mapping) or behavior.get("behaviorType") != "$frequency":
        return None
    if behavior.get("aggregationOperator", "total") != "total":
        what = f"the frequency aggregation {behavior.get('aggregationOperator')!r}"
        raise ValueError(UNSUPPORTED.format(what=what))
    event = mapping(behavior.get("event"), "a frequency's event").get("value")
    if not isinstance(event, str) or not event:
        raise ValueError("a frequency names no event")
    determiner = behavior.get("filtersOperator", "and")
    if determiner not in ("and", "or"):
        raise ValueError(f"a frequency's filtersOperator must be 'and' or 'or', got {determiner!r}")
    label = item.get("value")
    return {
        "event": event,
        "filters": listing(behavior.get("filters"), "a frequency's filters"),
        "determiner": "any" if determiner == "or" else "all",
        "range": _window(behavior.get("dateRange")),
        "label": label if isinstance(label, str) else None,
    }


def _segments(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    cohorts = listing(item.get("cohorts"), "a cohort breakdown's cohorts")
    value = item.get("value")
    labels: list[Any] = value if isinstance(value, list) else []
    out = []
    for i, raw in enumerate(cohorts):
        entry, ref = _cohort_ref(raw, f"cohorts[{i}]")
        negated = bool(entry.get("negated"))
        name = entry.get("name") if isinstance(entry.get("name"), str) else ""
        label = labels[i] if i < len(labels) and isinstance(labels[i], str) else None
        name = name or ref.get("id") or "Inline cohort"
        label = label or (f"Not In {name}" if negated else name)
        out.append({"ref": ref, "negated": negated, "label": label})
    if not out:
        raise ValueError("a cohort breakdown needs at least one cohort")
    if len({orjson.dumps(e["ref"], option=orjson.OPT_SORT_KEYS) for e in out}) > 1 or len(out) > 2:
        raise ValueError(UNSUPPORTED.format(what="a breakdown by several cohorts"))
    if len(out) == 2 and out[0]["negated"] == out[1]["negated"]:
        raise ValueError("a cohort breakdown lists the same cohort twice")
    return out


def _bucket(spec: Any) -> dict[str, int | float]:
    bucket = mapping(spec, "customBucket")
    size, low, high = bucket.get("bucketSize", 1), bucket.get("min"), bucket.get("max")
    for what, value in (("bucketSize", size), ("min", low), ("max", high)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError(f"customBucket.{what} must be a number, got {value!r}")
    if size is None or size <= 0:
        raise ValueError(f"customBucket.bucketSize must be positive, got {size!r}")
    if low is not None and high is not None and low >= high:
        raise ValueError("customBucket.min must be below customBucket.max")
    return {"size": size, **({"min": low} if low is not None else {}),
            **({"max": high} if high is not None else {})}  # fmt: skip


def group_key(item: Mapping[str, Any]) -> str | None:
    """The key of a people, cohort or frequency breakdown entry; None for an event property."""
    frequency = frequency_spec(item)
    if frequency is not None:
        bucket = item.get("customBucket")
        if isinstance(bucket, Mapping) and bucket.get("disabled"):
            bucket = {"bucketSize": 1}
        return key(FREQUENCY, {**frequency, "bucket": _bucket(bucket or {"bucketSize": 1})})
    if item.get("cohorts"):
        return key(SEGMENT, {"cohorts": _segments(item)})
    if item.get("resourceType") in PEOPLE_RESOURCES:
        if item.get("customBucket") or item.get("customPropertyId") or item.get("customProperty"):
            raise ValueError(UNSUPPORTED.format(what="a custom people breakdown"))
        name = item.get("value", item.get("propertyName"))
        if not isinstance(name, str) or not name:
            raise ValueError("a breakdown names no property")
        return key(PEOPLE, name)
    return None


def segment_filter(groups: tuple[str, ...]) -> Node | None:
    """What a report's rows must pass for its cohort breakdowns: a user outside every listed
    segment is left out (a breakdown by one cohort shows its members only)."""
    tree: Node | None = None
    for name in groups:
        if is_user_key(name) and read(name)[0] == SEGMENT:
            node = Call("defined", (Property(name),))
            tree = node if tree is None else Binary("and", tree, node)
    return tree
