"""Reading user actions out of rrweb events, and the Markdown timeline, on hand-written events
(the expected actions are spelled out here from rrweb's numbering, not derived by the reader)."""

from __future__ import annotations

from typing import Any

from mixpanel_async.results.replay_actions import read_actions
from mixpanel_async.results.replays import Replay, ReplayEvent

T0 = 1_700_000_000_000


def snapshot(at: int) -> dict[str, Any]:
    """A full snapshot: a document holding `<button id="buy">Buy now</button>` (node 7)."""
    button = {"type": 2, "id": 7, "tagName": "button", "attributes": {"id": "buy"},
              "childNodes": [{"type": 3, "id": 8, "textContent": "Buy now"}]}  # fmt: skip
    field = {"type": 2, "id": 9, "tagName": "input", "attributes": {}, "childNodes": []}
    body = {"type": 2, "id": 3, "tagName": "body", "attributes": {}, "childNodes": [button, field]}
    return {
        "type": 2,
        "timestamp": at,
        "data": {"node": {"type": 0, "id": 1, "childNodes": [body]}},
    }


def incremental(at: int, **data: Any) -> dict[str, Any]:
    return {"type": 3, "timestamp": at, "data": data}


EVENTS = [
    {"type": 4, "timestamp": T0, "data": {"href": "https://shop.example/", "width": 800}},
    snapshot(T0 + 1),
    incremental(T0 + 1_000, source=1, positions=[]),  # a mouse move: not an action
    incremental(T0 + 2_000, source=2, type=2, id=7),  # click on the button
    incremental(T0 + 3_000, source=5, id=9, text="abc", isChecked=False),
    incremental(T0 + 4_000, source=3, id=1, x=0, y=250),
    incremental(T0 + 5_000, source=4, width=400, height=300),
    incremental(T0 + 6_000, source=2, type=7, id=99),  # a touch on a node the snapshot lacks
    {"type": 4, "timestamp": T0 + 61_000, "data": {"href": "https://shop.example/cart"}},
    incremental(0, source=2, type=2, id=7),  # no usable time: left out
]


def test_actions_read_from_rrweb() -> None:
    actions = read_actions(EVENTS)
    got = [(a.timestamp - T0, a.action, a.target_node_id, a.target_desc) for a in actions]
    assert got == [
        (0, "navigate", None, "https://shop.example/"),
        (2_000, "click", 7, 'button#buy "Buy now"'),
        (3_000, "input", 9, "input"),
        (4_000, "scroll", 1, "node 1"),
        (5_000, "viewport_resize", None, "https://shop.example/"),
        (6_000, "touch_start", 99, "node 99"),
        (61_000, "navigate", None, "https://shop.example/cart"),
    ]
    assert actions[2].metadata == {"text_length": 3, "is_checked": False}
    assert actions[4].metadata == {"width": 400, "height": 300}
    assert {a.url for a in actions[1:6]} == {"https://shop.example/"}


def test_timeline() -> None:
    replay = Replay(
        "r-1", "u-1", 1, T0, T0 + 61_000, 30, EVENTS, read_actions(EVENTS),
        [ReplayEvent("r-1", "Purchase", (T0 + 2_500) // 1000)],
    )  # fmt: skip
    text = replay.summary_markdown
    assert text.startswith("# Replay r-1\n")
    assert "- user: u-1" in text
    assert "- duration: 61.0 s, 7 actions" in text
    lines = [line for line in text.splitlines() if line.startswith("- 0")]
    assert lines == [
        "- 00:00 navigated to https://shop.example/",
        '- 00:02 clicked button#buy "Buy now"',
        "- 00:02 event `Purchase`",
        "- 00:03 typed into input",
        "- 00:04 scrolled",
        "- 00:05 resized the window",
        "- 00:06 touched node 99",
        "- 01:01 navigated to https://shop.example/cart",
    ]
    assert replay.df["action"].to_list()[:2] == ["navigate", "click"]
