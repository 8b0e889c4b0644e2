"""Custom properties and custom events inside queries.

Names the engines see:

* `$custom_property:<id>`: a saved custom property, as a property name (segmentation `on` /
  `where` as `properties["$custom_property:7"]`, and insights breakdowns and filters, whose
  `{customPropertyId: 7}` entries `resolve_bookmark` rewrites to that name);
* `$custom_property:{...}`: an inline custom property of a bookmark (`customProperty`: its
  `displayFormula` and `composedProperties` as JSON after the colon);
* `$custom_event:<id>`: a saved custom event, as an event name (segmentation's `event`, insights
  metrics; a `custom-event` behavior is rewritten to it): the rows of its alternatives, whose
  `event` reads `$custom_event:<id>`;
* `$custom_event:["A","B"]`: an inline union of events, what a `simple` behavior (several
  events counted as one) becomes (`simple_as_event`).

`rows._raw` hands a custom property's name to `raw` (the one place where property columns are
materialised), which reads the properties the formula references through `rows._raw` itself,
evaluates the formula with Polars (`custom_property_lang`) and answers the values as JSON text,
like any stored property. `rows.select_rows` asks `custom_events` for the alternatives.
The definitions come from the project addressed by the request being served: the router sets
`SOURCE` to a function giving that project's entity tables (rows by id).

A custom property of people (`resourceType: people`) reads the names its formula references
from the profile of each event's user (as a breakdown by a people property does: the
per-user values of `rows.USERS`), never from the event's own properties; a report that reads
no per-user values answers a 400 naming the property.

Lookup-table columns (`P.C`, see `lookup_enrich`) are handed out here too: `owns` and `raw`
answer for them, so every engine reads them where it reads custom properties.

Guessed semantics: an unknown custom property is a 400 naming it; an unknown custom event
matches no events (as Mixpanel answers a custom event's display name); a behavior-based custom
property is refused (Mixpanel computes it from each user's event history with settings the
public API does not document).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

import orjson
import polars as pl

from mixpanel_async.emulator.engine import custom_property_lang as lang
from mixpanel_async.emulator.engine import lookup_enrich

PROPERTY_PREFIX = "$custom_property:"
EVENT_PREFIX = "$custom_event:"
SOURCE: ContextVar[Callable[[], Mapping[str, Any]] | None] = ContextVar(
    "CUSTOM_SOURCE", default=None
)
"""Gives the entity tables (kind → object with `rows`: id → row) of the project being queried."""
UNKNOWN_PROPERTY = "unknown custom property {id}"
NOT_A_FORMULA = (
    "custom property {id} is computed from a behavior (a behavioral custom property), which is "
    "not supported by the emulator: Mixpanel does not document how it evaluates one"
)
BEHAVIOR_VARIABLE = (
    "custom property {id}: the variable {var} is computed from a behavior, which is not "
    "supported by the emulator: Mixpanel does not document how it evaluates one"
)

PEOPLE_RESOURCES = ("people", "user", "users")
NO_PROFILES = "custom property {id} reads user profiles, which this report cannot read"
RawOf = Callable[[Any, str], tuple[pl.Series, pl.Series]]


def _entities() -> Mapping[str, Any]:
    source = SOURCE.get()
    return source() if source is not None else {}


def _rows(kind: str) -> Mapping[Any, Mapping[str, Any]]:
    rows = getattr(_entities().get(kind), "rows", None)
    return rows if isinstance(rows, Mapping) else {}


def owns(name: str) -> bool:
    """Whether a property name stands for a custom property or a lookup-table column."""
    return name.startswith(PROPERTY_PREFIX) or (
        "." in name and lookup_enrich.column_of(name, _entities()) is not None
    )


def formula_of(name: str) -> lang.Formula:
    """The parsed formula a custom property name stands for.

    Raises:
        ValueError: an unknown id, a behavior-based property, a formula that does not parse.
    """
    return _definition(name)[0]


def _definition(name: str) -> tuple[lang.Formula, bool]:
    """The parsed formula a custom property name stands for, and whether it reads profiles."""
    ref = name[len(PROPERTY_PREFIX) :]
    if ref.startswith("{"):
        definition: Mapping[str, Any] = orjson.loads(ref)
    else:
        try:
            definition = _rows("custom_property")[int(ref)]
        except (KeyError, ValueError):
            raise ValueError(UNKNOWN_PROPERTY.format(id=ref)) from None
    formula = definition.get("displayFormula")
    if not isinstance(formula, str):
        raise ValueError(NOT_A_FORMULA.format(id=ref))
    composed = definition.get("composedProperties") or {}
    for var, spec in composed.items() if isinstance(composed, Mapping) else ():
        if isinstance(spec, Mapping) and spec.get("behavior") is not None:
            raise ValueError(BEHAVIOR_VARIABLE.format(id=ref, var=var))
    try:
        parsed = lang.parse(formula, composed)
    except lang.FormulaError as exc:
        raise ValueError(f"custom property {ref}: {exc}") from None
    return parsed, str(definition.get("resourceType", "events")).lower() in PEOPLE_RESOURCES


def _decoded(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float | str) else None


def _scalar_texts(raw: pl.Series, exact: pl.Series, props: pl.Series, name: str) -> pl.Series:
    """A property's values as the formula reads them: JSON scalars as text, else null. Exact
    raw texts (flat rows: strings hold no escapes) are converted with Polars; the other rows'
    JSON is decoded."""
    text = pl.col("t")
    scalar = (
        pl.when(text.str.starts_with('"')).then(text.str.slice(1, text.str.len_chars() - 2))
        .when(text.str.contains(r"^[\[{]") | (text == "null")).then(pl.lit(None, pl.String))
        .otherwise(text)
    )  # fmt: skip
    out = pl.DataFrame({"t": raw}).select(scalar.alias(name)).to_series()
    slow = (~exact).arg_true()
    if slow.len():
        rows = props.gather(slow).to_list()
        fixed = [_decoded(orjson.loads(r).get(name)) if r else None for r in rows]
        out = out.scatter(slow, pl.Series(fixed, dtype=pl.String))
    return out


def _values(formula: lang.Formula, frame: pl.DataFrame) -> pl.Series:
    """The formula over `frame`, whose column `v<i>` holds the text values of its `i`th
    property."""
    where = {ref: f"v{i}" for i, ref in enumerate(formula.properties)}
    return frame.select(lang.compile_formula(formula, lambda n: pl.col(where[n]))).to_series()


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return orjson.dumps(value).decode()


def raw(rows: Any, name: str, raw_of: RawOf) -> tuple[pl.Series, pl.Series]:
    """A custom property's values on `rows` as (JSON text or null, all exact), computed from
    the properties its formula reads (`raw_of(rows, property)`, as `rows._raw`; a people
    property's reads are of the user's profile) or, for a lookup-table column, from the
    mapped property and the table."""
    if not name.startswith(PROPERTY_PREFIX):
        found = lookup_enrich.column_of(name, _entities())
        if found is None:
            raise ValueError(UNKNOWN_PROPERTY.format(id=name))
        return lookup_enrich.raw(rows, found, raw_of, _scalar_texts)
    formula, of_people = _definition(name)
    height = rows.height
    props = rows.column("properties")
    columns = {}
    for i, ref in enumerate(formula.properties):
        try:
            text, exact = raw_of(rows, _profile_key(ref) if of_people else ref)
        except ValueError:
            if not of_people:
                raise
            raise ValueError(NO_PROFILES.format(id=name[len(PROPERTY_PREFIX) :])) from None
        columns[f"v{i}"] = _scalar_texts(text, exact, props, ref).alias(f"v{i}")
    values = _values(formula, pl.DataFrame(columns, height=height))
    distinct = values.unique()
    as_json = pl.Series([_json_text(v) for v in distinct.to_list()], dtype=pl.String)
    texts = (
        values.replace_strict(distinct, as_json, return_dtype=pl.String)
        if len(distinct)
        else values.cast(pl.String)
    )
    return texts, pl.repeat(True, height, eager=True)


def over_profiles(
    population: Mapping[str, Mapping[str, Any]], names: Iterable[str]
) -> Mapping[str, Mapping[str, Any]]:
    """`population` (distinct id → profile properties) with the custom properties among
    `names` added to every profile they are defined for, their formulas reading the profile's
    own properties (as a profile query's `where` sees them); unchanged when there are none.

    Raises:
        ValueError: as `formula_of`.
    """
    wanted = sorted({n for n in names if n.startswith(PROPERTY_PREFIX)})
    if not wanted:
        return population
    ids = list(population)
    added: dict[str, dict[str, Any]] = {did: {} for did in ids}
    for name in wanted:
        formula = formula_of(name)
        columns = {
            f"v{i}": pl.Series([_decoded(population[d].get(ref)) for d in ids], dtype=pl.String)
            for i, ref in enumerate(formula.properties)
        }
        values = _values(formula, pl.DataFrame(columns, height=len(ids)))
        for did, value in zip(ids, values.to_list(), strict=True):
            if value is not None:
                added[did][name] = orjson.loads(_json_text(value) or "null")
    return {did: {**population[did], **added[did]} for did in ids}


def _profile_key(prop: str) -> str:
    """The per-user name of a people property, as `user_keys.key("people", prop)` spells it
    (written out here: `user_keys` imports `rows`, which imports this module)."""
    return "\x00people\x00" + orjson.dumps(prop).decode()


def custom_events(names: Sequence[str]) -> dict[str, list[str]]:
    """The custom events among `names`, each with its alternatives' event names (none for an
    unknown id)."""
    found: dict[str, list[str]] = {}
    table = None
    for name in names:
        if not name.startswith(EVENT_PREFIX):
            continue
        ref = name[len(EVENT_PREFIX) :]
        if ref.startswith("["):  # an inline union (a simple behavior's events)
            found[name] = [str(e) for e in orjson.loads(ref)]
            continue
        table = _rows("custom_event") if table is None else table
        row = table.get(int(ref)) if ref.isdigit() else None
        found[name] = [a["event"] for a in (row or {}).get("alternatives", [])]
    return found


SIMPLE_FILTERS = "a simple behavior whose events carry their own filters"


def simple_as_event(behavior: Mapping[str, Any]) -> dict[str, Any]:
    """A `simple` behavior (several events counted as one: `behaviors`, each `{"type":
    "event", "name"}`) as an event behavior over their union, `$custom_event:["A","B"]`,
    keeping its own `filters`; `label` is the behavior's name (else its events joined by
    " or ").

    Raises:
        ValueError: no events, an entry that is not a named event, or one with its own
            filters (which apply to that event only, which the union cannot say).
    """
    entries = behavior.get("behaviors")
    if not isinstance(entries, list) or not entries:
        raise ValueError("a simple behavior needs at least one event in behaviors")
    names: list[str] = []
    for entry in entries:
        kind = entry.get("type", "event") if isinstance(entry, Mapping) else None
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if kind not in ("event", "custom-event") or not isinstance(name, str) or not name:
            raise ValueError(f"a simple behavior's entry must name an event, got {entry!r}")
        if entry.get("filters"):
            raise ValueError(f"{SIMPLE_FILTERS} is not supported by the emulator")
        if kind == "custom-event" and entry.get("id") is not None:
            names.extend(custom_events([f"{EVENT_PREFIX}{entry['id']}"]).popitem()[1])
        else:
            names.append(name)
    label = behavior.get("name")
    return {
        "type": "event",
        "name": EVENT_PREFIX + orjson.dumps(sorted(set(names))).decode(),
        "label": label if isinstance(label, str) and label.strip() else " or ".join(names),
        "filters": behavior.get("filters") or [],
        "filtersDeterminer": behavior.get("filtersDeterminer", "all"),
    }


def select_events(
    base: pl.DataFrame, names: Sequence[str], custom: dict[str, list[str]]
) -> pl.DataFrame:
    """The rows of `names` in `base` (time-sorted), where a custom event's rows are those of its
    alternatives, renamed to it."""
    plain = [n for n in names if n not in custom]
    parts = [base.filter(pl.col("event").is_in(pl.Series(plain, dtype=pl.String).implode()))]
    for name, alternatives in custom.items():
        wanted = pl.Series(alternatives, dtype=pl.String).implode()
        parts.append(base.filter(pl.col("event").is_in(wanted)).with_columns(event=pl.lit(name)))
    return pl.concat(parts).sort(["time", "_pos"], maintain_order=True)


def as_custom_events(frame: pl.DataFrame, names: Sequence[str]) -> pl.DataFrame:
    """`frame` with the events of each custom event among `names` (its alternatives) renamed
    to it (the first such custom event wins where alternatives overlap)."""
    out = pl.col("event")
    for name, alternatives in reversed(list(custom_events(names).items())):
        wanted = pl.Series(alternatives, dtype=pl.String).implode()
        out = pl.when(pl.col("event").is_in(wanted)).then(pl.lit(name)).otherwise(out)
    return frame if out.meta.eq(pl.col("event")) else frame.with_columns(out.alias("event"))


# --- bookmarks -----------------------------------------------------------------------------------


def _property_name(entry: Mapping[str, Any]) -> str | None:
    if entry.get("customPropertyId") is not None:
        return f"{PROPERTY_PREFIX}{entry['customPropertyId']}"
    inline = entry.get("customProperty")
    if isinstance(inline, Mapping):
        spec = {k: inline.get(k) for k in ("displayFormula", "composedProperties")}
        return PROPERTY_PREFIX + orjson.dumps(spec, option=orjson.OPT_SORT_KEYS).decode()
    return None


def resolve_bookmark(value: Any) -> Any:
    """A bookmark with every custom property entry (`customPropertyId` / `customProperty`) as a
    plain event property entry named for it, and every `custom-event` behavior as an event
    behavior named `$custom_event:<id>`; the rest unchanged."""
    if isinstance(value, list):
        return [resolve_bookmark(v) for v in value]
    if not isinstance(value, Mapping):
        return value
    out = {k: resolve_bookmark(v) for k, v in value.items() if k != "customProperty"}
    name = _property_name(value)
    if name is not None:
        out.pop("customPropertyId", None)
        out.update(value=name, propertyName=name, resourceType="events")
    if value.get("type") == "custom-event" and value.get("id") is not None:
        out.update(type="event", name=f"{EVENT_PREFIX}{value['id']}")
        out.pop("id", None)
    return out
