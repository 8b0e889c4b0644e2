"""App API entities: one generic, typed store and the standard actions on it.

Every App API family (dashboards, bookmarks, cohorts, flags, experiments, alerts, annotations,
webhooks, ...) is "a table of JSON objects with ids". The spec says which operation does what
(`x-mixpanel-entity: {kind, action, ...}`), so list/create/get/update/replace/delete/
bulk_delete/bulk_update/set/history need no per-family code: `entity_routes.py` serves them from
here. A family module only adds handlers for what is truly its own (a lifecycle, a side effect).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools
import typing
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, MutableMapping
from typing import Any

import attrs
import cattrs

from mixpanel_async._generated.operations import ALL
from mixpanel_async._operation import INT64_MAX, INT64_MIN
from mixpanel_async.emulator import errors
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.transport import codec

CREATOR = {
    "creator_id": 1,
    "creator_name": "Emulator User",
    "creator_email": "emulator@example.com",
}
SERVER_OWNED = frozenset({"id", "created", "modified", "creator", *CREATOR, "project_id",
                          "workspace_id", "last_modified_by_id", "last_modified_by_name",
                          "last_modified_by_email"})  # fmt: skip
"""Fields the server sets: a request body may not write them unless its spec model declares
them (like Mixpanel's read-only fields, they are ignored, not stored)."""


@functools.cache
def _kinds() -> tuple[dict[str, str], dict[str, type[Any]]]:
    """From the specs: each entity kind's id type (`int`/`uuid`/`str`, from whichever operation
    of the kind declares it) and its row model (what its `get`, else its `list`, answers)."""
    id_types: dict[str, str] = {}
    models: dict[str, tuple[int, type[Any]]] = {}
    for op in ALL.values():
        entity = op.entity or {}
        kind = str(entity.get("kind", ""))
        if not kind:
            continue
        if "id" in entity:
            id_types.setdefault(kind, str(entity["id"]))
        if op.unwrap is not None and attrs.has(op.response):
            answer = typing.get_type_hints(op.response).get(op.unwrap)
        elif op.unwrap is None and op.host == "app" and not enveloped(op.response):
            answer = op.response  # a bare answer (Mixpanel's annotation tags)
        else:
            continue
        rank = {"get": 0, "list": 1}.get(str(entity.get("action")), 2)
        if typing.get_origin(answer) is list:
            answer = typing.get_args(answer)[0]
        if (
            isinstance(answer, type)
            and attrs.has(answer)
            and (kind not in models or rank < models[kind][0])
        ):
            models[kind] = (rank, answer)
    return id_types, {kind: model for kind, (rank, model) in models.items() if rank < 2}


def enveloped(response: Any) -> bool:
    """Whether a 200 model is the App API envelope itself (`x-mixpanel-unwrap: false`)."""
    return attrs.has(response) and "results" in attrs.fields_dict(response)


def row_model(kind: str) -> type[Any] | None:
    """The spec model every stored row of `kind` must fit (None: the spec has none)."""
    return _kinds()[1].get(kind)


def writable(fields: Mapping[str, Any], model: type[Any] | None) -> dict[str, Any]:
    """`fields` without the server-owned ones that the body `model` does not declare."""
    declared = {f.metadata.get("wire", f.name) for f in attrs.fields(model)} if model else set()
    return {k: v for k, v in fields.items() if k not in SERVER_OWNED or k in declared}


def now_iso() -> str:
    """The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ListRows(MutableMapping[Any, dict[str, Any]]):
    """Rows kept in a plain list of dicts that other code reads too (e.g. `ProjectState.cohorts`,
    which the query host's `cohorts/list` and engage's `filter_by_cohort` use), seen as a table's
    id → row mapping: writes go straight to the list, so both views always agree."""

    def __init__(self, items: list[dict[str, Any]], key: Callable[[Any], Any]) -> None:
        self.backing, self._key = items, key

    def _index(self, key: Any) -> int:
        for i, row in enumerate(self.backing):
            if self._key(row.get("id")) == key:
                return i
        raise KeyError(key)

    def __getitem__(self, key: Any) -> dict[str, Any]:
        return self.backing[self._index(key)]

    def __setitem__(self, key: Any, row: dict[str, Any]) -> None:
        try:
            self.backing[self._index(key)] = row
        except KeyError:
            self.backing.append(row)

    def __delitem__(self, key: Any) -> None:
        del self.backing[self._index(key)]

    def __iter__(self) -> Iterator[Any]:
        return iter([self._key(row.get("id")) for row in self.backing])

    def __len__(self) -> int:
        return len(self.backing)


@attrs.define
class Table:
    """The rows of one entity kind in one project, with a history of every change."""

    kind: str
    id_type: str = "int"
    rows: MutableMapping[Any, dict[str, Any]] = attrs.field(factory=dict)
    history: dict[Any, list[dict[str, Any]]] = attrs.field(factory=dict)
    _ids: Any = attrs.field(factory=lambda: itertools.count(1))

    def new_id(self) -> Any:
        """A fresh id: the next free integer, or a UUID for `uuid` tables."""
        if self.id_type == "uuid":
            return str(uuid.uuid4())
        while (candidate := next(self._ids)) in self.rows:  # rows may come from elsewhere
            pass
        return candidate

    def key(self, raw: Any) -> Any:
        """An id as the table stores it (path parameters may arrive as text)."""
        if self.id_type == "int":
            try:
                key = int(raw)
            except (TypeError, ValueError):
                key = None
            if key is None or isinstance(raw, bool) or not INT64_MIN <= key <= INT64_MAX:
                raise EmulatorError(400, errors.BAD_ENTITY_ID.format(kind=self.kind, raw=raw))
            return key
        return str(raw)

    def _unknown(self, raw_id: Any) -> str:
        return errors.UNKNOWN_ENTITY.format(kind=self.kind.capitalize(), id=raw_id)

    def get(self, raw_id: Any) -> dict[str, Any]:
        """The row with that id; a 404 when there is none."""
        row = self.rows.get(self.key(raw_id))
        if row is None:
            raise EmulatorError(404, self._unknown(raw_id))
        return row

    def record(self, entity_id: Any, action: str, changes: Mapping[str, Any]) -> None:
        """Append a change to an entity's history."""
        self.history.setdefault(entity_id, []).append(
            {
                "id": len(self.history.get(entity_id, [])) + 1,
                "action": action,
                "changes": copy.deepcopy(dict(changes)),
                "created": now_iso(),
                "user": {"id": CREATOR["creator_id"], "name": CREATOR["creator_name"]},
            }
        )

    def insert(self, fields: Mapping[str, Any], *, id_field: str = "id") -> dict[str, Any]:
        """Store a new row (fresh id, creator, stamps) and return it."""
        entity_id = self.new_id()
        stamp = now_iso()
        row = {
            id_field: entity_id,
            **CREATOR,
            "created": stamp,
            "modified": stamp,
            **copy.deepcopy(dict(fields)),
        }
        row[id_field] = entity_id
        self.check(row, fields)
        self.rows[entity_id] = row
        self.record(entity_id, "create", fields)
        return row

    def duplicate(self, raw_id: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Insert a copy of a row (a new id, new stamps) with `changes` applied."""
        own = ("id", "created", "modified", *CREATOR)
        return self.insert(
            {**{k: v for k, v in self.get(raw_id).items() if k not in own}, **changes}
        )

    def patch(
        self, raw_id: Any, fields: Mapping[str, Any], *, replace: bool | Collection[str] = False
    ) -> dict[str, Any]:
        """Merge `fields` into a row; `replace=True` drops every other field but the id, the
        creation stamp and the creator; `replace=<names>` drops only those other fields."""
        row = self.get(raw_id)
        if replace is True:
            base = {k: row[k] for k in ("id", "created", *CREATOR) if k in row}
        elif replace:
            base = {k: v for k, v in row.items() if k not in replace}
        else:
            base = row
        updated = {**base, **copy.deepcopy(dict(fields))}
        updated["modified"] = now_iso()
        self.check(updated, fields)
        self.rows[row["id"]] = updated
        self.record(row["id"], "replace" if replace else "update", fields)
        return updated

    def check(self, row: Mapping[str, Any], changed: Collection[str]) -> None:
        """A 400 (nothing stored) when a field a request wrote (`changed`) does not fit the
        spec's model of this kind: a required field null, a wrong type. Fields it did not touch
        are not judged again (rows may come from seeding or older data), nor are required ones
        it left absent (a family may fill them in after the insert)."""
        model = row_model(self.kind)
        if model is None:
            return
        try:
            codec.validate({k: v for k, v in row.items() if k in changed}, model)
        except cattrs.BaseValidationError as exc:
            problems = [
                p
                for p in cattrs.transform_error(exc, path=self.kind)
                if not p.startswith("required field missing")
            ]
            if problems:
                raise EmulatorError(
                    400, errors.BAD_BODY.format(problems="; ".join(problems))
                ) from None
        except (TypeError, ValueError, KeyError) as exc:
            raise EmulatorError(400, errors.BAD_BODY.format(problems=exc)) from None

    def delete(self, raw_ids: Iterable[Any]) -> None:
        """Delete all of `raw_ids`, or none of them if any is unknown."""
        keys = [self.key(i) for i in raw_ids]
        missing = [k for k in keys if k not in self.rows]
        if missing:
            raise EmulatorError(404, self._unknown(missing[0]))
        for k in keys:
            del self.rows[k]
            self.record(k, "delete", {})


def tables(extras: dict[str, Any], kind: str, id_type: str = "int") -> Table:
    """The table of `kind` inside a project's entity map (created on first use)."""
    table = extras.get(kind)
    if table is None:
        table = extras[kind] = Table(kind, _kinds()[0].get(kind, id_type))
    assert isinstance(table, Table)
    return table


def validate_body(data: Any, model: type[Any] | None) -> dict[str, Any]:
    """Check a JSON body against the spec's attrs model; return it as a plain dict.

    Unknown keys are kept (Mixpanel tolerates and echoes many), missing required fields and
    wrong types are a 400 naming the field.
    """
    if not isinstance(data, dict):
        raise EmulatorError(400, errors.REQUEST_NOT_OBJECT)
    if model is None:
        return data
    try:
        codec.validate(data, model)
    except cattrs.BaseValidationError as exc:
        problems = "; ".join(cattrs.transform_error(exc, path="body"))
        raise EmulatorError(400, errors.BAD_BODY.format(problems=problems)) from None
    except (TypeError, ValueError, KeyError) as exc:
        raise EmulatorError(400, errors.BAD_BODY.format(problems=exc)) from None
    required = [f for f in attrs.fields(model) if f.default is attrs.NOTHING]
    for f in required:
        wire = f.metadata.get("wire", f.name)
        if isinstance(data.get(wire), str) and not data[wire].strip():
            raise EmulatorError(400, errors.EMPTY_FIELD.format(field=wire))
    return data
