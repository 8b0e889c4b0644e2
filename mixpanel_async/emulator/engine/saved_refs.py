"""Saved metrics and saved behaviours referred to by id in an Insights report, replaced by
their stored definitions before the report is parsed.

A `show` entry `{"type": "metric", "id": N, "overrides": {...}}` becomes the stored metric's
`behavior` and `measurement` under the saved metric's name, with the overrides deep-merged
over them (`name`, `behavior.funnelOrder`, `measurement.*`, `isHidden`), as Mixpanel applies
them. A metric's behaviour `{"type": "funnel" | "retention" | "simple", "id": N}` (a
`BehaviorRef`) becomes the stored behaviour. Only `metric`-kind saved metrics expand (a saved
formula or warehouse metric is refused, as the engines cannot compute them); an unknown id is
refused too. Anything else passes through unchanged.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

BEHAVIOR_KINDS = ("simple", "funnel", "retention")


def _rows(entities: Mapping[str, Any], kind: str) -> Mapping[Any, dict[str, Any]]:
    table = entities.get(kind)
    rows = getattr(table, "rows", None)
    return rows if isinstance(rows, Mapping) else {}


def _merge(into: dict[str, Any], extra: Mapping[str, Any]) -> None:
    for key, value in extra.items():
        current = into.get(key)
        if isinstance(value, Mapping) and isinstance(current, dict):
            _merge(current, value)
        else:
            into[key] = copy.deepcopy(value)


def _stored(rows: Mapping[Any, dict[str, Any]], ref_id: Any, what: str) -> dict[str, Any]:
    try:
        row = rows.get(int(ref_id))
    except (TypeError, ValueError):
        row = None
    if row is None:
        raise ValueError(f"{what} {ref_id!r} does not exist in this project")
    return row


def _behavior(value: Any, behaviors: Mapping[Any, dict[str, Any]]) -> Any:
    """A behaviour reference replaced by the stored behaviour (others unchanged)."""
    if not (isinstance(value, Mapping) and value.get("type") in BEHAVIOR_KINDS):
        return value
    if "id" not in value or value.get("behaviors") is not None:
        return value
    row = _stored(behaviors, value["id"], "saved behavior")
    stored = (row.get("definition") or {}).get("behavior")
    if not isinstance(stored, Mapping) or stored.get("type") != value.get("type"):
        raise ValueError(f"saved behavior {value['id']} is not a {value.get('type')} behavior")
    return copy.deepcopy(dict(stored))


def _metric(item: Mapping[str, Any], metrics: Mapping[Any, dict[str, Any]]) -> dict[str, Any]:
    row = _stored(metrics, item["id"], "saved metric")
    if row.get("type") != "metric":
        raise ValueError(
            f"saved metric {item['id']} is a {row.get('type')!r} metric, which the emulator "
            "cannot compute"
        )
    definition = row.get("definition") or {}
    out: dict[str, Any] = {
        "type": "metric",
        "name": row.get("name"),
        "behavior": copy.deepcopy(definition.get("behavior")),
        "measurement": copy.deepcopy(definition.get("measurement") or {}),
    }
    if item.get("isHidden"):
        out["isHidden"] = True
    overrides = item.get("overrides")
    if isinstance(overrides, Mapping):
        _merge(out, overrides)
    return out


def expand(params: Any, entities: Mapping[str, Any]) -> Any:
    """`params` with every saved metric and saved behaviour reference in `sections.show`
    replaced by its stored definition (the input is not changed).

    Raises:
        ValueError: a reference to an unknown id, or to a kind the engines cannot compute.
    """
    sections = params.get("sections") if isinstance(params, Mapping) else None
    shown = sections.get("show") if isinstance(sections, Mapping) else None
    if not isinstance(sections, Mapping) or not isinstance(shown, list):
        return params
    metrics, behaviors = _rows(entities, "saved_metric"), _rows(entities, "saved_behavior")
    expanded = []
    for item in shown:
        if isinstance(item, Mapping) and item.get("type") == "metric" and "id" in item:
            item = _metric(item, metrics)
        if isinstance(item, Mapping) and isinstance(item.get("behavior"), Mapping):
            item = {**item, "behavior": _behavior(item["behavior"], behaviors)}
        expanded.append(item)
    return {**params, "sections": {**sections, "show": expanded}}
