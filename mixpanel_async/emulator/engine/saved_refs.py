"""Saved metrics and saved behaviours referred to by id in an Insights report, replaced by
their stored definitions before the report is parsed.

A `show` entry `{"type": "metric", "id": N, "overrides": {...}}` becomes the stored metric's
`behavior` and `measurement` under the saved metric's name, with the overrides deep-merged
over them (`name`, `behavior.funnelOrder`, `measurement.*`, `isHidden`), as Mixpanel applies
them. A metric's behaviour `{"type": "funnel" | "retention" | "simple", "id": N}` (a
`BehaviorRef`) becomes the stored behaviour (a `simple` one is then computed as the union of
its events, see `custom_columns.simple_as_event`).

A saved `formula` metric (definition `{"formula": {"definition", "referencedMetrics"}}`)
becomes a formula entry under the saved name. A formula entry with operands
(`referencedMetrics`, inline metrics or saved-metric references), saved or inline, has its
operands appended to `show` as hidden metrics, and the letters of its definition (which name
its operands in order) rewritten to their places in `show`, as the engine reads letters. A
saved `warehouse` metric is refused with a 400 naming it: Mixpanel computes it from a SQL
query over a connected warehouse, which the emulator has not. An unknown id is refused too.
Anything else passes through unchanged.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Mapping
from typing import Any

from mixpanel_async.emulator.engine.formulas import LETTERS

BEHAVIOR_KINDS = ("simple", "funnel", "retention")
METRIC_KINDS = ("metric", "formula", "warehouse")
WAREHOUSE = (
    "saved metric {id} is a warehouse metric, computed by Mixpanel from a SQL query over a "
    "connected warehouse, which the emulator cannot compute"
)


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


def _is_ref(item: Any) -> bool:
    """Whether a show entry (or formula operand) refers to a saved metric by id."""
    return (
        isinstance(item, Mapping)
        and item.get("type", "metric") in METRIC_KINDS
        and item.get("id") is not None
        and "behavior" not in item
        and "definition" not in item
    )


def _formula(item: Mapping[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """A saved formula metric as a formula show entry."""
    formula = (row.get("definition") or {}).get("formula")
    if not isinstance(formula, Mapping) or not isinstance(formula.get("definition"), str):
        raise ValueError(f"saved metric {item['id']} holds no formula definition")
    out: dict[str, Any] = {
        "type": "formula",
        "name": row.get("name"),
        "definition": formula["definition"],
        "referencedMetrics": copy.deepcopy(formula.get("referencedMetrics") or []),
    }
    overrides = item.get("overrides")
    if isinstance(overrides, Mapping) and isinstance(overrides.get("name"), str):
        out["name"] = overrides["name"]
    if item.get("isHidden"):
        out["isHidden"] = True
    return out


def _metric(item: Mapping[str, Any], metrics: Mapping[Any, dict[str, Any]]) -> dict[str, Any]:
    row = _stored(metrics, item["id"], "saved metric")
    kind = row.get("type")
    if kind == "formula":
        return _formula(item, row)
    if kind == "warehouse":
        raise ValueError(WAREHOUSE.format(id=item["id"]))
    if kind not in ("metric", "behavior"):  # `behavior`: the old name of `metric`
        raise ValueError(
            f"saved metric {item['id']} is a {kind!r} metric, which the emulator cannot compute"
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

    def resolved(item: Any) -> Any:
        if _is_ref(item):
            item = _metric(item, metrics)
        if isinstance(item, Mapping) and isinstance(item.get("behavior"), Mapping):
            item = {**item, "behavior": _behavior(item["behavior"], behaviors)}
        return item

    expanded = [resolved(item) for item in shown]
    return {**params, "sections": {**sections, "show": _with_operands(expanded, resolved)}}


def _is_formula(item: Any) -> bool:
    return isinstance(item, Mapping) and item.get("type") == "formula"


def _with_operands(shown: list[Any], resolved: Any) -> list[Any]:
    """`shown` with every formula's own operands appended as hidden metrics and its letters
    renamed to their places (formulas without operands name the report's metrics as they
    are)."""
    place = sum(1 for item in shown if not _is_formula(item))
    tail: list[Any] = []
    out = []
    for item in shown:
        operands = item.get("referencedMetrics") if _is_formula(item) else None
        if not operands:
            out.append(item)
            continue
        renamed: dict[str, str] = {}
        for i, operand in enumerate(operands):
            metric = resolved(operand)
            if _is_formula(metric):
                raise ValueError("a formula's operand is itself a formula, which Mixpanel refuses")
            if place >= len(LETTERS) or i >= len(LETTERS):
                raise ValueError(f"a report holds at most {len(LETTERS)} metrics")
            tail.append({**metric, "isHidden": True})
            renamed[LETTERS[i]] = LETTERS[place]
            place += 1
        rest = {k: v for k, v in item.items() if k != "referencedMetrics"}
        out.append({**rest, "definition": _renamed(item.get("definition"), renamed)})
    return out + tail


def _renamed(definition: Any, letters: Mapping[str, str]) -> Any:
    """A formula's definition with its metric letters renamed (unchanged when not valid
    arithmetic: the formula parser then refuses it)."""
    if not isinstance(definition, str):
        return definition
    try:
        tree = ast.parse(definition.strip(), mode="eval")
    except SyntaxError:
        return definition
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in letters:
            node.id = letters[node.id]
        elif isinstance(node, ast.Name):
            raise ValueError(f"the formula {definition!r} names no operand {node.id!r}")
    return ast.unparse(tree)
