"""Schema enforcement: the tracking plan a project enforces, and what ingestion does with events
outside it (openapi/schemas.yaml, `data-definitions/schema/`).

The configuration is one plain dict in `ProjectState.entities["schema_enforcement"]`, in its wire
shape (`id`, `ruleEvent`, `events`, `commonProperties`, `userProperties`, `notificationEmails`,
`state`, `initializedFrom`, ...), so snapshots save and load it unchanged.

Semantics we had to guess (Mixpanel documents the rules by name only):

* The plan: `events` is a list of `{"name": <event>, "properties": [<property>, ...]}`;
  `commonProperties` and `userProperties` lists of `{"name": <property>}`. An event is
  *planned* when its name is in `events`.
* `init` plans the event schemas of the schema registry when it holds any (`state: "planned"`);
  otherwise the events stored over the last 30 days, with the properties seen on them
  (`state: "ingested"`, `initializedFrom` / `initializedTo` the window's days).
* The rule (`ruleEvent`) acts on *unplanned events* as they are ingested, by `/track` and
  `/import` alike: "Warn and Accept" stores them; "Warn and Hide" stores them and adds their
  names to the configuration's `hiddenEvents` (an emulator field: what Mixpanel would hide in
  its UI); "Warn and Drop" does not store them (`/import` still counts them as imported:
  Mixpanel accepts them and drops them downstream). Properties outside the plan are never dropped:
  `run_audit` reports them. The warning e-mails are not sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson
import polars as pl

from mixpanel_async.emulator.engine.lexicon import HIDDEN
from mixpanel_async.emulator.store import EventRow, ProjectState

KEY = "schema_enforcement"
"""Where the configuration lives in `ProjectState.entities`."""
RULES = ("Warn and Accept", "Warn and Hide", "Warn and Drop")
INIT_WINDOW_DAYS = 30


def config_of(project: ProjectState) -> dict[str, Any] | None:
    """The project's enforcement configuration, if initialized."""
    config = project.entities.get(KEY)
    return config if isinstance(config, dict) else None


def planned_events(config: Mapping[str, Any]) -> set[str]:
    """The event names the plan holds."""
    return {str(e.get("name")) for e in config.get("events") or [] if isinstance(e, Mapping)}


def screen(project: ProjectState, rows: list[EventRow]) -> list[EventRow]:
    """The rows ingestion stores under the project's enforcement rule (all of them when
    enforcement is off); records hidden event names on the configuration."""
    config = config_of(project)
    if config is None or not rows:
        return rows
    planned = planned_events(config)
    unplanned = {row[0] for row in rows if row[0] not in planned}
    if not unplanned:
        return rows
    rule = config.get("ruleEvent")
    if rule == "Warn and Drop":
        return [row for row in rows if row[0] in planned]
    if rule == "Warn and Hide":
        hidden = config.setdefault("hiddenEvents", [])
        hidden.extend(sorted(unplanned - set(hidden)))
    return rows


def plan_entry(name: str, properties: Iterable[str] = ()) -> dict[str, Any]:
    """One planned event as the configuration lists it."""
    return {"name": name, "properties": sorted(set(properties))}


def plan_from_schemas(schemas: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Planned events from registry entries of entity type `event`."""
    return sorted(
        (
            plan_entry(s["name"], (s.get("schemaJson") or {}).get("properties") or {})
            for s in schemas
            if s.get("entityType") == "event"
        ),
        key=lambda e: e["name"],
    )


def plan_from_data(frame: pl.DataFrame, first_ms: int) -> list[dict[str, Any]]:
    """Planned events from the stored events at or after `first_ms`, with their properties."""
    seen: dict[str, set[str]] = {}
    recent = frame.filter(pl.col("time") >= first_ms).select("event", "properties")
    for event, text in recent.iter_rows():
        seen.setdefault(event, set()).update(k for k in orjson.loads(text) if k not in HIDDEN)
    return [plan_entry(name, props) for name, props in sorted(seen.items())]


def initial_config(
    rule: str,
    schemas: Sequence[Mapping[str, Any]],
    frame: pl.DataFrame,
    today: dt.date,
    user: Mapping[str, Any],
    stamp: str,
) -> dict[str, Any]:
    """A new configuration: the registry's plan, or else the last 30 days' events."""
    config: dict[str, Any] = {
        "id": 1,
        "ruleEvent": rule,
        "notificationEmails": [],
        "commonProperties": [],
        "userProperties": [
            {"name": name}
            for s in schemas
            if s.get("entityType") == "profile"
            for name in sorted((s.get("schemaJson") or {}).get("properties") or {})
        ],
        "initializedBy": dict(user),
        "lastModified": stamp,
        "lastModifiedBy": dict(user),
    }
    events = plan_from_schemas(schemas)
    if events:
        return {**config, "events": events, "state": "planned"}
    first = today - dt.timedelta(days=INIT_WINDOW_DAYS - 1)
    start = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    return {
        **config,
        "events": plan_from_data(frame, int(start.timestamp() * 1000)),
        "state": "ingested",
        "initializedFrom": first.isoformat(),
        "initializedTo": today.isoformat(),
    }


def add_to_plan(
    config: dict[str, Any], events: Iterable[str], properties: Mapping[str, Iterable[str]]
) -> None:
    """Plan more events, and more properties of (possibly new) events."""
    by_name = {e["name"]: e for e in config.setdefault("events", [])}
    for name in [*events, *properties]:
        if name not in by_name:
            by_name[name] = plan_entry(name)
    for name, props in properties.items():
        by_name[name]["properties"] = sorted({*by_name[name].get("properties", []), *props})
    config["events"] = [by_name[k] for k in sorted(by_name)]
