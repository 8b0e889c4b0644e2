"""Lexicon's editable state: event and property definitions, tags, drop filters, with history.

Definitions are derived from the stored data (`engine.data_definitions`: every event name, every
property seen on events or profiles); what users change is kept in entity tables of the project
(`event_definition`, `property_definition`, `lexicon_tag`, `drop_filter`, so snapshots save it)
and laid over the derived rows. A definition gets its id the first time it is read or written,
and keeps it. Every change is recorded in the table's history (`{id, action, changes:
{field: {old, new}}, created, user}`), which the history endpoints answer (with `timestamp`).

Semantics chosen where Mixpanel documents none (guesses, kept here):

- Updating or deleting a definition Lexicon does not know (no data, or deleted) is a 404.
- Deleting an event definition clears what users set on it and removes it from Lexicon reads;
  it comes back, fresh, when an event of that name is stored again (`engine.drop_filters`).
- Assigning a tag that does not exist creates it; renaming a tag renames it on every definition;
  deleting one removes it from every definition (each change in that definition's history).
- A property update without `resourceType` means the event property when there is one, else
  the user property.
- Hidden events leave discovery (`/events/names`, `/events/top`), hidden event properties an
  event's top properties (`/events/properties/top`); their data stays queryable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from mixpanel_async.emulator.engine import data_definitions as dd
from mixpanel_async.emulator.engine.drop_filters import EVENTS, FILTERS, PROPERTIES
from mixpanel_async.emulator.entities import Table, now_iso, tables
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.store import ProjectState

TAGS = "lexicon_tag"
EVENT_FIELDS = ("displayName", "description", "hidden", "dropped", "merged", "verified", "tags",
                "contacts", "team_contacts")  # fmt: skip
"""The wire keys an event definition update may set."""
PROPERTY_FIELDS = ("displayName", "description", "hidden", "dropped", "merged", "sensitive",
                   "exampleValue", "dataGroupId")  # fmt: skip
"""The wire keys a property definition update may set."""
RESOURCE_OF_ENTITY = {"event": "Event", "events": "Event", "user": "User", "users": "User",
                      "people": "User", "profile": "User"}  # fmt: skip
"""`entity_type` of the property history call → the definition's `resourceType`."""

UNKNOWN_EVENT = "event definition {name!r} not found"
UNKNOWN_PROPERTY = "{resource} property definition {name!r} not found"
UNKNOWN_TAG = "Lexicon tag {name!r} not found"
UNKNOWN_TAG_ID = "Lexicon tag {tag_id} not found"
DUPLICATE_TAG = "a Lexicon tag named {name!r} already exists"
BULK_ENTRY = "{field}[{index}] must name its {what} by {keys}"
UNKNOWN_FILTER = "drop filter {filter_id} not found"
FILTER_LIMIT = "this project already has {limit} drop filters, the most it may have"
BAD_FILTERS = "invalid filters: {why}"
BAD_ENTITY_TYPE = "entity_type must be one of {allowed}, got {value!r}"
BAD_EXPORT_TYPE = "export_type must be a JSON list of {allowed}; got {value!r}"
EXPORT_TYPES = ("All Events and Properties", "All User Profile Properties")
"""The kinds of definitions `export_lexicon` exports."""


def table(project: ProjectState, kind: str) -> Table:
    """One of the project's Lexicon tables (`EVENTS`, `PROPERTIES`, `TAGS`, `FILTERS`)."""
    return tables(project.entities, kind)


# --- definitions -------------------------------------------------------------------------------


def derived_events(project: ProjectState) -> list[dict[str, Any]]:
    """The event definitions the stored events imply (a scan: run it off the loop)."""
    return dd.event_definitions(project.events.deduped())


def derived_properties(
    project: ProjectState, resource: str, *, density: bool = False
) -> list[dict[str, Any]]:
    """The `Event` or `User` property definitions the stored data implies (a scan)."""
    if resource == "User":
        return dd.user_properties(list(project.profiles.values()), density=density)
    return dd.event_properties(project.events.deduped(), density=density)


def _index(rows: Iterable[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(r.get(k) for k in keys): r for r in rows}


def _materialize(
    tab: Table, known: dict[tuple[Any, ...], dict[str, Any]], key: dict[str, Any]
) -> dict[str, Any]:
    """The stored row of a definition, given an id now if it has none (no history entry)."""
    found = known.get(tuple(key.values()))
    if found is None:
        stamp = now_iso()
        found = {"id": tab.new_id(), **key, "created": stamp, "modified": stamp}
        tab.rows[found["id"]] = found
        known[tuple(key.values())] = found
    return found


def _render(
    derived: Mapping[str, Any], row: Mapping[str, Any], fields: tuple[str, ...]
) -> dict[str, Any]:
    defaults: dict[str, Any] = {f: False for f in ("dropped", "sensitive") if f in fields}
    out = {**defaults, **derived, "id": row["id"], "merged": False}
    for f in fields:
        if f in row:
            out[f] = row[f]
    out.setdefault("tags", [])
    out["lastModified"] = out["modifiedUtc"] = row["modified"]
    out["createdUtc"] = row["created"]
    return out


def event_definitions(
    project: ProjectState, derived: list[dict[str, Any]], names: list[str] | None = None
) -> list[dict[str, Any]]:
    """The event definitions Lexicon lists (derived rows with ids and users' changes), in
    `derived` order or, with `names`, in that order (unknown names left out)."""
    tab = table(project, EVENTS)
    known = _index(tab.rows.values(), "name")
    by_name = {d["name"]: d for d in derived}
    wanted = list(by_name) if names is None else [n for n in dict.fromkeys(names) if n in by_name]
    out = []
    for name in wanted:
        row = _materialize(tab, known, {"name": name})
        if not row.get("deleted"):
            out.append(_render(by_name[name], row, EVENT_FIELDS))
    return out


def property_definitions(
    project: ProjectState, derived: list[dict[str, Any]], names: list[str] | None = None
) -> list[dict[str, Any]]:
    """The property definitions Lexicon lists (one resource type's derived rows), like
    `event_definitions`."""
    tab = table(project, PROPERTIES)
    known = _index(tab.rows.values(), "resourceType", "name")
    by_name = {d["name"]: d for d in derived}
    wanted = list(by_name) if names is None else [n for n in dict.fromkeys(names) if n in by_name]
    out = []
    for name in wanted:
        resource = by_name[name]["resourceType"]
        row = _materialize(tab, known, {"resourceType": resource, "name": name})
        out.append(_render(by_name[name], row, PROPERTY_FIELDS))
    return out


def _changes(row: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: {"old": row.get(k), "new": v} for k, v in fields.items() if row.get(k) != v}


def _apply(
    tab: Table,
    row: dict[str, Any],
    fields: Mapping[str, Any],
    shown: Mapping[str, Any] | None = None,
) -> None:
    """Change a stored definition and record it; `shown` is what readers saw before (the
    derived values included), the `old` side of each change."""
    changes = _changes(row if shown is None else shown, fields)
    row.update(fields)
    row["modified"] = now_iso()
    tab.record(row["id"], "update", changes)


def update_events(
    project: ProjectState,
    derived: list[dict[str, Any]],
    updates: list[tuple[str | int, dict[str, Any]]],
) -> list[dict[str, Any]]:
    """Apply `(name or id, fields)` updates to event definitions, all or none (a 404 for an
    unknown one); returns the updated definitions."""
    tab = table(project, EVENTS)
    listed = {d["name"]: d for d in event_definitions(project, derived)}
    by_id = {d["id"]: d for d in listed.values()}
    targets = []
    for ref, fields in updates:
        found = by_id.get(ref) if isinstance(ref, int) else listed.get(ref)
        if found is None:
            raise EmulatorError(404, UNKNOWN_EVENT.format(name=ref))
        targets.append((tab.rows[found["id"]], fields, found))
    for row, fields, shown in targets:
        ensure_tags(project, fields.get("tags") or ())
        _apply(tab, row, fields, shown)
    by_derived = {d["name"]: d for d in derived}
    return [_render(by_derived[row["name"]], row, EVENT_FIELDS) for row, _, _ in targets]


def delete_event(project: ProjectState, derived: list[dict[str, Any]], name: str) -> None:
    """Delete an event definition (see the module docstring); a 404 when Lexicon has none."""
    tab = table(project, EVENTS)
    listed = {d["name"]: d for d in event_definitions(project, derived, [name])}
    if name not in listed:
        raise EmulatorError(404, UNKNOWN_EVENT.format(name=name))
    row = tab.rows[listed[name]["id"]]
    for f in EVENT_FIELDS:
        row.pop(f, None)
    row["deleted"] = True
    row["modified"] = now_iso()
    tab.record(row["id"], "delete", {})


def update_properties(
    project: ProjectState,
    derived: Mapping[str, list[dict[str, Any]]],
    updates: list[tuple[str | None, str, dict[str, Any]]],
) -> list[dict[str, Any]]:
    """Apply `(resourceType or None, name, fields)` updates to property definitions, all or
    none; `derived` holds each resource type's derived rows."""
    tab = table(project, PROPERTIES)
    targets = []
    for resource, name, fields in updates:
        order = [resource] if resource else ["Event", "User"]
        found = None
        for kind in order:
            listed = property_definitions(project, derived[kind], [name])
            if listed:
                found = (kind, listed[0])
                break
        if found is None:
            raise EmulatorError(
                404, UNKNOWN_PROPERTY.format(resource=resource or "Event", name=name)
            )
        targets.append((found[0], tab.rows[found[1]["id"]], fields, found[1]))
    out = []
    for kind, row, fields, shown in targets:
        _apply(tab, row, fields, shown)
        base = next(d for d in derived[kind] if d["name"] == row["name"])
        out.append(_render(base, row, PROPERTY_FIELDS))
    return out


def history(tab: Table, row_id: Any) -> list[dict[str, Any]]:
    """A definition's recorded changes, oldest first, each with a `timestamp`."""
    return [{**entry, "timestamp": entry["created"]} for entry in tab.history.get(row_id, [])]


def events_marked(project: ProjectState, flag: str) -> frozenset[str]:
    """The event names whose definition carries `flag` (`hidden`, `deleted`, ...); a hidden
    or dropped flag of a deleted definition no longer counts."""
    tab = project.entities.get(EVENTS)
    if not isinstance(tab, Table):
        return frozenset()
    return frozenset(
        r["name"]
        for r in tab.rows.values()
        if r.get(flag) and (flag == "deleted" or not r.get("deleted"))
    )


def with_definitions(project: ProjectState, schemas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Derived `event` Lexicon schemas with what users set on their event definitions
    (description, and `hidden`, `dropped`, `displayName`, `tags` under `com.mixpanel`);
    deleted definitions leave the list."""
    tab = project.entities.get(EVENTS)
    if not isinstance(tab, Table) or not tab.rows:
        return schemas
    rows = {r["name"]: r for r in tab.rows.values()}
    out = []
    for schema in schemas:
        row = rows.get(schema["name"]) if schema["entityType"] == "event" else None
        if row is None:
            out.append(schema)
            continue
        if row.get("deleted"):
            continue
        body = dict(schema["schemaJson"])
        meta = dict((body.get("metadata") or {}).get("com.mixpanel") or {})
        for key in ("hidden", "dropped", "displayName", "tags"):
            if key in row:
                meta[key] = row[key]
        body["metadata"] = {**(body.get("metadata") or {}), "com.mixpanel": meta}
        if row.get("description"):
            body["description"] = row["description"]
        out.append({**schema, "schemaJson": body})
    return out


def hidden_properties(project: ProjectState) -> frozenset[str]:
    """The event property names Lexicon hides."""
    tab = project.entities.get(PROPERTIES)
    if not isinstance(tab, Table):
        return frozenset()
    return frozenset(
        r["name"] for r in tab.rows.values() if r.get("hidden") and r["resourceType"] == "Event"
    )


def visible(project: ProjectState, frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` without the events Lexicon hides (discovery's view of the data)."""
    hidden = events_marked(project, "hidden")
    return frame.filter(~pl.col("event").is_in(list(hidden))) if hidden else frame


# --- tags --------------------------------------------------------------------------------------


def _tag_by_name(project: ProjectState, name: str) -> dict[str, Any] | None:
    return next((t for t in table(project, TAGS).rows.values() if t["name"] == name), None)


def list_tags(project: ProjectState) -> list[dict[str, Any]]:
    """Every tag as `{id, name}`, by name."""
    rows = table(project, TAGS).rows.values()
    return [{"id": t["id"], "name": t["name"]} for t in sorted(rows, key=lambda t: t["name"])]


def create_tag(project: ProjectState, name: str) -> dict[str, Any]:
    """A new tag; a 400 when one of that name exists."""
    if _tag_by_name(project, name) is not None:
        raise EmulatorError(400, DUPLICATE_TAG.format(name=name))
    row = table(project, TAGS).insert({"name": name})
    return {"id": row["id"], "name": row["name"]}


def ensure_tags(project: ProjectState, names: Iterable[str]) -> None:
    """Create the tags of these names that do not exist yet."""
    for name in names:
        if _tag_by_name(project, name) is None:
            create_tag(project, name)


def _retag(project: ProjectState, old: str, new: str | None) -> None:
    tab = table(project, EVENTS)
    for row in tab.rows.values():
        tags = row.get("tags") or []
        if old in tags:
            renamed = (
                [t for t in tags if t != old]
                if new is None
                else [new if t == old else t for t in tags]
            )
            _apply(tab, row, {"tags": renamed})


def rename_tag(project: ProjectState, tag_id: int, name: str | None) -> dict[str, Any]:
    """Rename a tag (and on every definition); a 404 for an unknown id."""
    tab = table(project, TAGS)
    row = tab.rows.get(tag_id)
    if row is None:
        raise EmulatorError(404, UNKNOWN_TAG_ID.format(tag_id=tag_id))
    if name is not None and name != row["name"]:
        if _tag_by_name(project, name) is not None:
            raise EmulatorError(400, DUPLICATE_TAG.format(name=name))
        _retag(project, row["name"], name)
        row = tab.patch(tag_id, {"name": name})
    return {"id": row["id"], "name": row["name"]}


def delete_tag(project: ProjectState, name: str) -> None:
    """Delete a tag by name (and from every definition); a 404 when there is none."""
    row = _tag_by_name(project, name)
    if row is None:
        raise EmulatorError(404, UNKNOWN_TAG.format(name=name))
    _retag(project, name, None)
    table(project, TAGS).delete([row["id"]])


# --- drop filters ------------------------------------------------------------------------------


def list_filters(project: ProjectState) -> list[dict[str, Any]]:
    """Every drop filter, by id, in Mixpanel's camelCase shape."""
    rows = sorted(table(project, FILTERS).rows.values(), key=lambda r: r["id"])
    keys = ("id", "eventName", "filters", "active", "displayName", "created")
    return [{k: r.get(k) for k in keys} for r in rows]


def filter_row(project: ProjectState, filter_id: int) -> dict[str, Any]:
    """The stored drop filter of that id; a 404 when there is none."""
    row = table(project, FILTERS).rows.get(filter_id)
    if row is None:
        raise EmulatorError(404, UNKNOWN_FILTER.format(filter_id=filter_id))
    return row
