"""A project's identity clusters: which `distinct_id`s are one user, and which id stands for them.

Kept up to date at ingestion (`IdentityMap.observe`, on each stored batch) and applied when
events are read (`IdentityMap.resolve`: one replace over the `distinct_id` column, plus a
rewrite of the stored JSON of changed rows that hold a distinct id there), so queries and raw
export see each cluster's *canonical* id, as Mixpanel documents ("you can use any of the IDs in
the cluster for ingestion, but only the canonical distinct_id can be used in queries and exports").
Nothing stored is rewritten, so a later merge changes earlier events too (Mixpanel's
"retroactively updated").

The rules, from Mixpanel's "Identifying Users" pages; where they leave a choice open, the
guess made here is marked *guess*:

Simplified ID Merge (`$device_id` / `$user_id` event properties):
- an event with `$user_id` gets `distinct_id = $user_id`; an event with only `$device_id` and
  no `distinct_id` gets `$device:<device_id>` (the form Mixpanel's own tables show);
- the first event carrying both ties the device to the user: `<device_id>` and
  `$device:<device_id>` join the user's cluster, whose canonical id is the `$user_id`;
- a device already tied to a user stays with it (a later `$user_id` on the same device does
  not move it; the SDKs call `reset()` to get a new device).

Original ID Merge events (honoured in every project here — *guess*: a real project uses one
API or the other, and in a Simplified project these three do nothing):
- `$identify` (`$identified_id`, `$anon_id`): the anonymous id joins the identified id's
  cluster unless it already belongs to another cluster; canonical = the identified id's
  (*guess*: Mixpanel calls its choice non-deterministic);
- `$create_alias` (`distinct_id`, `alias`): the alias joins `distinct_id`'s cluster, once;
- `$merge` (`$distinct_ids`, accepted from `/import` only, as Mixpanel documents): every listed
  id's cluster joins the first one's, whose canonical id is kept.

These events are stored like any other (*guess*, as Mixpanel lists them in a user's activity).
A profile update (`/engage`) naming any id of a cluster applies to the canonical id's profile;
a profile made under an id before that id joined a cluster stays where it is (*guess*: Mixpanel
advises against profiles for anonymous ids).
"""

from __future__ import annotations

import threading
from operator import itemgetter
from typing import Any

import orjson
import polars as pl

from mixpanel_async.emulator.event_text import full_properties, is_whole

__all__ = ["DEVICE_PREFIX", "IdentityMap"]

DEVICE_PREFIX = "$device:"
"""How an anonymous event's `distinct_id` spells its `$device_id`."""

# An event row as the store takes it: (event, distinct_id, time_ms, insert_id, json).
_Row = tuple[str, str, int, str | None, str]

_MARKERS = ('"$device_id"', '"$user_id"')
_ID_EVENTS = frozenset({"$identify", "$create_alias", "$merge"})
_NAME = itemgetter(0)


def _id_text(value: Any) -> str | None:
    """An id property as text (strings and numbers; anything else, or empty, is no id)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, int | float) and value == value:
        return str(value)
    return None


class IdentityMap:
    """One project's clusters of `distinct_id`s, each with its canonical id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._canonical: dict[str, str] = {}  # id -> canonical, for ids that are not canonical
        self._members: dict[str, set[str]] = {}  # canonical -> the other ids of its cluster
        self.version = 0
        """Bumped on every change, so readers can cache resolved frames."""
        self._table: tuple[int, pl.DataFrame] | None = None

    def canonical(self, distinct_id: str) -> str:
        """The id that stands for `distinct_id`'s cluster (itself when alone)."""
        return self._canonical.get(distinct_id, distinct_id)

    def cluster(self, distinct_id: str) -> set[str]:
        """Every id of `distinct_id`'s cluster, the canonical one included."""
        head = self.canonical(distinct_id)
        return {head, *self._members.get(head, ())}

    def __len__(self) -> int:
        return len(self._canonical)

    def clear(self) -> None:
        """Forget every cluster."""
        with self._lock:
            self._canonical.clear()
            self._members.clear()
            self.version += 1

    def _join(self, distinct_id: str, into: str) -> None:
        """Move `distinct_id`'s whole cluster into `into`'s (whose canonical id is kept)."""
        head, target = self.canonical(distinct_id), self.canonical(into)
        if head == target:
            return
        moved = self._members.pop(head, set())
        moved.add(head)
        for member in moved:
            self._canonical[member] = target
        self._members.setdefault(target, set()).update(moved)
        self.version += 1

    def _is_alone(self, distinct_id: str) -> bool:
        return distinct_id not in self._canonical and distinct_id not in self._members

    # -- ingestion ------------------------------------------------------------------------------

    def observe(self, rows: list[_Row], *, imported: bool, plain: bool = False) -> list[_Row]:
        """Learn from a batch about to be stored; the rows, with `distinct_id` set from
        `$user_id` / `$device_id` where Simplified ID Merge sets it.

        Args:
            rows: Validated store rows, in batch order.
            imported: Whether the batch came through `/import` (the only way in for `$merge`).
            plain: The caller has checked that no row is an identity event or has a
                `$device_id` or `$user_id` property: the rows are returned unread.
        """
        if plain:
            return rows
        if _ID_EVENTS.isdisjoint(map(_NAME, rows)):  # no set built: a lookup per name
            blob = "".join([row[4] for row in rows])  # one fast scan instead of one per row
            if _MARKERS[0] not in blob and _MARKERS[1] not in blob:
                return rows
        with self._lock:
            out = rows
            for index, row in enumerate(rows):
                name, text = row[0], row[4]
                if name in _ID_EVENTS:
                    props = full_properties(text, row[2], row[1], row[3])
                    self._id_event(name, props, imported=imported)
                elif _MARKERS[0] in text or _MARKERS[1] in text:
                    fixed = self._simplified(row)
                    if fixed is not row:
                        if out is rows:
                            out = list(rows)
                        out[index] = fixed
            return out

    def _simplified(self, row: _Row) -> _Row:
        props = orjson.loads(row[4])
        user = _id_text(props.get("$user_id"))
        device = _id_text(props.get("$device_id"))
        if user is not None and device is not None:
            for alias in (device, DEVICE_PREFIX + device):
                if alias != user and self._is_alone(alias):
                    self._join(alias, user)
        current = row[1]
        wanted = (
            user
            if user is not None
            else (DEVICE_PREFIX + device if device is not None and not current else current)
        )
        if wanted == current:
            return row
        if not is_whole(row[4]):  # the stored text holds no distinct id
            return (row[0], wanted, row[2], row[3], row[4])
        props["distinct_id"] = wanted
        return (row[0], wanted, row[2], row[3], orjson.dumps(props).decode())

    def _id_event(self, name: str, props: dict[str, Any], *, imported: bool) -> None:
        if name == "$identify":
            known, anon = _id_text(props.get("$identified_id")), _id_text(props.get("$anon_id"))
            if known and anon and anon != known and self._is_alone(anon):
                self._join(anon, known)
        elif name == "$create_alias":
            original, alias = _id_text(props.get("distinct_id")), _id_text(props.get("alias"))
            if original and alias and alias != original and self._is_alone(alias):
                self._join(alias, original)
        elif imported:  # $merge
            listed = props.get("$distinct_ids")
            ids = [i for i in map(_id_text, listed) if i] if isinstance(listed, list) else []
            for other in ids[1:]:
                self._join(other, ids[0])

    def rebuild(self, frame: pl.DataFrame) -> None:
        """Forget every cluster and learn them again from a stored log (store schema, in
        ingestion order), as when state is loaded from disk. Stored `$merge` events all count
        (whether they came through `/import` is not kept)."""
        self.clear()
        texts = pl.col("properties")
        relevant = frame.filter(
            pl.col("event").is_in(list(_ID_EVENTS))
            | texts.str.contains(_MARKERS[0], literal=True)
            | texts.str.contains(_MARKERS[1], literal=True)
        )
        self.observe(list(relevant.iter_rows()), imported=True)

    # -- reading --------------------------------------------------------------------------------

    def _mapping(self) -> pl.DataFrame | None:
        with self._lock:
            if not self._canonical:
                return None
            if self._table is None or self._table[0] != self.version:
                columns = {"_id": list(self._canonical), "_canonical": [*self._canonical.values()]}
                schema = {"_id": pl.String, "_canonical": pl.String}
                self._table = (self.version, pl.DataFrame(columns, schema=schema))
            return self._table[1]

    def resolve(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` (store schema) with every `distinct_id` of a cluster replaced by the
        cluster's canonical id, in the column and in the properties JSON of those rows."""
        table = self._mapping()
        if table is None or frame.height == 0:
            return frame
        ids = frame["distinct_id"]
        resolved = ids.replace(table["_id"], table["_canonical"])
        changed = (resolved != ids).fill_null(False)
        if not changed.any():
            return frame
        # Only whole texts (see `event_text`) hold a distinct id to rewrite.
        in_text = (changed & frame["properties"].str.starts_with('{"')).arg_true()
        if in_text.len() == 0:
            return frame.with_columns(resolved.alias("distinct_id"))
        changed = in_text
        texts = frame["properties"].gather(changed).to_list()
        news = resolved.gather(changed).to_list()
        rewritten = []
        for text, new in zip(texts, news, strict=True):
            props = orjson.loads(text)
            props["distinct_id"] = new
            rewritten.append(orjson.dumps(props).decode())
        return frame.with_columns(
            resolved.alias("distinct_id"),
            frame["properties"].scatter(changed, pl.Series(rewritten, dtype=pl.String)),
        )
