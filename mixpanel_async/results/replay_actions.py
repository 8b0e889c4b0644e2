"""What a user did in a replay, read from its rrweb events, and the Markdown timeline of it.

rrweb's numbering: event type 2 is a full DOM snapshot (nodes with ids), 3 an incremental
snapshot whose `data.source` says what changed (2 mouse interaction, 3 scroll, 4 viewport
resize, 5 input), 4 a page's meta (its `href`). Mouse interaction kinds: 2 click, 4 double
click, 7 touch start. Targets are described from the latest full snapshot (`button#buy`,
with the node's text when short).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mixpanel_async.results.engage import ReplayAction, UserAction

FULL_SNAPSHOT, INCREMENTAL, META = 2, 3, 4
MOUSE, SCROLL, RESIZE, INPUT = 2, 3, 4, 5
_MOUSE_ACTIONS: dict[int, ReplayAction] = {2: "click", 4: "click", 7: "touch_start"}
_TEXT_LIMIT = 40


def _index(node: dict[str, Any], out: dict[int, str]) -> str:
    """Describe every node under `node` by id; the node's own text content."""
    text = node.get("textContent") if node.get("type") == 3 else ""
    parts = [text or ""]
    for child in node.get("childNodes") or []:
        if isinstance(child, dict):
            parts.append(_index(child, out))
    content = " ".join(p.strip() for p in parts if p and p.strip())
    if node.get("type") == 2 and isinstance(node.get("id"), int):
        attributes = node.get("attributes") or {}
        desc = str(node.get("tagName", "element"))
        if attributes.get("id"):
            desc += f"#{attributes['id']}"
        if content:
            desc += f' "{content[:_TEXT_LIMIT]}"'
        out[node["id"]] = desc
    return content


def read_actions(events: Iterable[dict[str, Any]]) -> list[UserAction]:
    """The user actions in rrweb `events` (in their order)."""
    nodes: dict[int, str] = {}
    url: str | None = None
    actions: list[UserAction] = []

    def add(
        at: int, action: ReplayAction, target: int | None, meta: dict[str, Any], what: str
    ) -> None:
        if at <= 0:
            return  # a damaged event: no time to place it at
        desc = nodes.get(target, f"node {target}") if target is not None else (url or "page")
        actions.append(UserAction(at, action, target, desc, url, meta, what.format(desc=desc)))

    for event in events:
        kind, data = event.get("type"), event.get("data") or {}
        stamp = event.get("timestamp")
        at = int(stamp) if isinstance(stamp, int | float) and not isinstance(stamp, bool) else 0
        if kind == META and data.get("href"):
            if data["href"] != url:
                url = str(data["href"])
                add(at, "navigate", None, {}, f"navigated to {url}")
        elif kind == FULL_SNAPSHOT and isinstance(data.get("node"), dict):
            nodes.clear()
            _index(data["node"], nodes)
        elif kind == INCREMENTAL:
            source, target = data.get("source"), data.get("id")
            if source == MOUSE and data.get("type") in _MOUSE_ACTIONS:
                action = _MOUSE_ACTIONS[data["type"]]
                add(at, action, target, {}, ("touched" if action == "touch_start" else "clicked")
                    + " {desc}")  # fmt: skip
            elif source == INPUT:
                meta = {"text_length": len(str(data.get("text", "")))}
                if "isChecked" in data:
                    meta["is_checked"] = bool(data["isChecked"])
                add(at, "input", target, meta, "typed into {desc}")
            elif source == SCROLL:
                add(at, "scroll", target, {"x": data.get("x"), "y": data.get("y")}, "scrolled")
            elif source == RESIZE:
                size = {"width": data.get("width"), "height": data.get("height")}
                add(at, "viewport_resize", None, size, "resized the window")
    return actions


def timeline(
    replay_id: str,
    distinct_id: str | None,
    window: tuple[int, int],
    actions: list[UserAction],
    events: list[tuple[int, str]],
) -> str:
    """A replay's actions and its Mixpanel events (`(Unix ms, name)`) as a Markdown timeline,
    times counted from the start of `window` (start and end, Unix ms)."""
    start, end = window
    lines = [
        f"# Replay {replay_id}",
        "",
        f"- user: {distinct_id or 'unknown'}",
        f"- duration: {(end - start) / 1000:.1f} s, {len(actions)} actions",
        "",
        "## Timeline",
        "",
    ]
    entries = [(a.timestamp, a.description) for a in actions]
    entries += [(at, f"event `{name}`") for at, name in events]
    for at, what in sorted(entries, key=lambda item: item[0]):
        offset = max(0, at - start) // 1000
        lines.append(f"- {offset // 60:02d}:{offset % 60:02d} {what}")
    if not entries:
        lines.append("- (no actions)")
    return "\n".join(lines) + "\n"
