"""The data audit: stored events against the schema registry (openapi/schemas.yaml,
`data-definitions/audit/`).

Violations (the names the peer library documents, plus one we had to guess):

* `Unexpected Event`: an event name with no `event` schema; `count` = its stored events.
* `Unexpected Property` (guessed name): a property, on an event that has a schema, that the
  schema's `properties` do not list; `event` names the event, `count` = events carrying it.
* `Missing Property`: a property the schema lists in `required` that events lack.
* `Unexpected Type for Property`: a value whose JSON type the schema's `type` does not allow
  (`integer` takes whole numbers, `number` any number); `propertyTypeError` says which types.

Guessed: every stored event is audited (Mixpanel looks at a recent window); reserved properties
(`$...`, `mp_...`, and the ones every stored event carries) are never unexpected. The
events-only audit reports `Unexpected Event` only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
import polars as pl

from mixpanel_async.emulator.engine.lexicon import HIDDEN, json_type


def _reserved(name: str) -> bool:
    return name in HIDDEN or name.startswith(("$", "mp_"))


def _allowed(kind: Any) -> set[str]:
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k) for k in kinds if k is not None}


def _type_ok(value: Any, allowed: set[str]) -> bool:
    actual = json_type(value) or "null"
    if actual in allowed:
        return True
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return actual == "number" and "integer" in allowed and whole and not isinstance(value, bool)


def _violation(kind: str, name: str, count: int, **extra: Any) -> dict[str, Any]:
    return {"violation": kind, "name": name, "count": count, **extra}


def audit(
    frame: pl.DataFrame, schemas: Sequence[Mapping[str, Any]], *, events_only: bool
) -> list[dict[str, Any]]:
    """The violations of `frame` (stored events) against the registry's `schemas`."""
    planned = {s["name"]: s.get("schemaJson") or {} for s in schemas if s["entityType"] == "event"}
    counts = frame.group_by("event").len().sort("event").iter_rows()
    out = [
        _violation("Unexpected Event", event, n, event=event)
        for event, n in counts
        if event not in planned
    ]
    if events_only:
        return out
    for event, schema in sorted(planned.items()):
        out.extend(_property_violations(frame, event, schema))
    return out


def _property_violations(
    frame: pl.DataFrame, event: str, schema: Mapping[str, Any]
) -> list[dict[str, Any]]:
    declared: Mapping[str, Any] = schema.get("properties") or {}
    required = [str(r) for r in schema.get("required") or []]
    unexpected: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    wrong: Counter[tuple[str, str]] = Counter()
    texts = frame.filter(pl.col("event") == event)["properties"]
    for text in texts:
        props = orjson.loads(text)
        for key, value in props.items():
            spec = declared.get(key)
            if spec is None:
                if not _reserved(key):
                    unexpected[key] += 1
                continue
            allowed = _allowed(spec.get("type")) if isinstance(spec, Mapping) else set()
            if allowed and not _type_ok(value, allowed):
                wrong[(key, json_type(value) or "null")] += 1
        missing.update(r for r in required if r not in props)
    out = [
        _violation("Unexpected Property", k, n, event=event) for k, n in sorted(unexpected.items())
    ]
    out += [_violation("Missing Property", k, n, event=event) for k, n in sorted(missing.items())]
    for (key, actual), n in sorted(wrong.items()):
        expected = " or ".join(sorted(_allowed(declared[key].get("type"))))
        error = f"expected {expected}, got {actual}"
        out.append(_violation("Unexpected Type for Property", key, n, event=event,
                              propertyTypeError=error))  # fmt: skip
    return out
