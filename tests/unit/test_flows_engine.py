"""`engine.flows` (saved Flows reports as a Sankey) against an independent plain-Python
computation, on generated data that straddles local midnights (and a DST change), repeats
users and anchors, has users who run out of events, repeated runs and hidden events; plus the
bookmark params checks."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import polars as pl
import pytest

from mixpanel_async.emulator.engine import flows
from mixpanel_async.emulator.store import EventStore

DAY = 86_400_000
BASE = int(dt.datetime(2024, 3, 8, 12, tzinfo=dt.UTC).timestamp() * 1000)
ORDER = {"ANCHOR": 0, "NORMAL": 0, "PRUNED": 1, "DROPOFF": 2}
NAMES = ["A", "B", "C", "D", "E", "F", "G", "H"]
Node = tuple[str, str]  # (event on the wire, node type)
Columns = tuple[list[Counter[Node]], list[Counter[tuple[Node, Node]]]]


def _store(rows: list[tuple[str, str, int]]) -> pl.DataFrame:
    store = EventStore()
    store.append(
        [
            (e, u, t, None, orjson.dumps({"distinct_id": u, "time": t // 1000}).decode())
            for e, u, t in rows
        ]
    )
    return store.deduped()


def generate(seed: int) -> list[tuple[str, str, int]]:
    """Users with 0-14 events over five days around 2024-03-10 (US DST), anchors `A` often,
    runs of the same event, and identical timestamps."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, int]] = []
    for user in range(70):
        last_event, last_time = "", BASE
        for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 14])):
            if last_event and rng.random() < 0.25:
                event = last_event  # a repeated run, for collapse_repeated
            else:
                event = rng.choice(["A", "A", *NAMES])
            at = last_time if rng.random() < 0.1 else BASE + rng.randrange(5 * DAY)
            rows.append((event, f"u{user}", at))
            last_event, last_time = event, at
    rng.shuffle(rows)
    return rows


def reference(
    rows: list[tuple[str, str, int]],
    *,
    anchor: str,
    forward: int,
    reverse: int,
    from_date: dt.date,
    to_date: dt.date,
    zone: str,
    window_ms: int,
    unique: bool,
    cardinality: int,
    collapse: bool,
    hidden: set[str],
) -> Columns:
    """Node counts per column and edge counts per column pair, computed path by path."""
    tz = ZoneInfo(zone)
    start = dt.datetime.combine(from_date, dt.time(), tzinfo=tz).timestamp() * 1000
    end = dt.datetime.combine(to_date + dt.timedelta(days=1), dt.time(), tzinfo=tz).timestamp()
    end *= 1000
    by_user: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for arrival, (event, user, at) in enumerate(rows):
        if event not in hidden:
            by_user[user].append((at, arrival, event))
    all_paths: list[list[Node]] = []
    for events in by_user.values():
        events.sort()
        seq: list[tuple[int, str]] = []
        for at, _, event in events:
            if collapse and seq and seq[-1][1] == event:
                continue
            seq.append((at, event))
        starts = [i for i, (at, e) in enumerate(seq) if e == anchor and start <= at < end]
        for i in starts[:1] if unique else starts:
            t0 = seq[i][0]
            before: list[Node] = []
            alive = True
            for k in range(1, reverse + 1):
                alive = alive and i - k >= 0 and t0 - seq[i - k][0] <= window_ms
                before.append((seq[i - k][1], "NORMAL") if alive else ("$dropoff", "DROPOFF"))
            after: list[Node] = []
            alive = True
            for k in range(1, forward + 1):
                alive = alive and i + k < len(seq) and seq[i + k][0] - t0 <= window_ms
                after.append((seq[i + k][1], "NORMAL") if alive else ("$dropoff", "DROPOFF"))
            all_paths.append([*reversed(before), (anchor, "ANCHOR"), *after])
    width = reverse + 1 + forward
    for column in range(width):
        if column == reverse:
            continue
        tally = Counter(p[column][0] for p in all_paths if p[column][1] == "NORMAL")
        ranked = sorted(tally, key=lambda name: (-tally[name], name))
        for p in all_paths:
            if p[column][1] == "NORMAL" and p[column][0] not in ranked[:cardinality]:
                p[column] = ("$other", "PRUNED")
    nodes = [Counter(p[c] for p in all_paths) for c in range(width)]
    edges = [Counter((p[c], p[c + 1]) for p in all_paths) for c in range(width - 1)]
    return nodes, edges


def observed(answer: dict[str, Any]) -> Columns:
    nodes: list[Counter[Node]] = []
    edges: list[Counter[tuple[Node, Node]]] = []
    for index, column in enumerate(answer["steps"]):
        nodes.append(Counter())
        if index + 1 < len(answer["steps"]):
            edges.append(Counter())
        for node in column["nodes"]:
            key = (node["event"], node["type"])
            assert key not in nodes[-1], "one node per event and type in a column"
            nodes[-1][key] = int(node["totalCount"])
            for edge in node["edges"]:
                assert edge["step"] == index + 1
                edges[-1][(key, (edge["event"], edge["type"]))] = int(edge["totalCount"])
    return nodes, edges


CASES = [
    # forward, reverse, count_type, collapse, hidden, cardinality, window, zone
    (3, 0, "unique", False, [], 3, ("day", 7), "UTC"),
    (3, 2, "total", False, [], 3, ("day", 1), "America/New_York"),
    (5, 5, "unique", True, [], 2, ("day", 1), "America/New_York"),
    (2, 3, "total", True, ["B", "C"], 50, ("week", 1), "Asia/Kolkata"),
    (4, 1, "unique", False, ["D"], 1, ("day", 2), "Asia/Kolkata"),
    (0, 4, "total", False, [], 4, ("month", 1), "Pacific/Auckland"),
]


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(
    ("forward", "reverse", "count_type", "collapse", "hidden", "cardinality", "window", "zone"),
    CASES,
)
def test_matches_reference(
    seed: int,
    forward: int,
    reverse: int,
    count_type: str,
    collapse: bool,
    hidden: list[str],
    cardinality: int,
    window: tuple[str, int],
    zone: str,
) -> None:
    rows = generate(seed)
    params = {
        "steps": [{"event": "A", "forward": forward, "reverse": reverse}],
        "date_range": {"type": "between", "from_date": "2024-03-10", "to_date": "2024-03-11"},
        "count_type": count_type,
        "collapse_repeated": collapse,
        "hidden_events": hidden,
        "cardinality_threshold": cardinality,
        "conversion_window": {"unit": window[0], "value": window[1]},
    }
    spec = flows.parse_spec(params, dt.date(2024, 4, 1))
    answer = flows.sankey(_store(rows), spec, timezone=zone)
    days = {"day": 1, "week": 7, "month": 30}[window[0]] * window[1]
    expected = reference(
        rows,
        anchor="A",
        forward=forward,
        reverse=reverse,
        from_date=dt.date(2024, 3, 10),
        to_date=dt.date(2024, 3, 11),
        zone=zone,
        window_ms=days * DAY,
        unique=count_type == "unique",
        cardinality=cardinality,
        collapse=collapse,
        hidden=set(hidden),
    )
    assert sum(expected[0][reverse].values()) > 10  # the data exercises the engine
    assert observed(answer) == expected
    assert answer["overallConversionRate"] == 1.0
    for index, column in enumerate(answer["steps"]):
        kinds = {n["anchorType"] for n in column["nodes"]}
        want = "NORMAL" if index == reverse else "RELATIVE_REVERSE"
        assert kinds == {want if index <= reverse else "RELATIVE_FORWARD"}
        normal = [int(n["totalCount"]) for n in column["nodes"] if n["type"] == "NORMAL"]
        assert normal == sorted(normal, reverse=True)
        ranks = [ORDER[n["type"]] for n in column["nodes"]]
        assert ranks == sorted(ranks)  # events first, then the pruned node, then the drop-off


def test_hand_counted_example() -> None:
    rows = [
        ("Home", "ann", BASE),  # before the anchor, within the window
        ("Signup", "ann", BASE + 1000),
        ("Signup", "ann", BASE + 2000),  # a later anchor: ignored for unique counting
        ("Buy", "ann", BASE + 3000),
        ("Signup", "bob", BASE + 500),
        ("Buy", "bob", BASE + 9 * DAY),  # outside the 7-day window: bob drops off
        ("Home", "cat", BASE - 3 * DAY),  # out of the range, but a path event may be
        ("Signup", "cat", BASE + 600),
        ("Signup", "dan", BASE + 5 * DAY),  # anchor after the range
    ]
    params = {
        "steps": [{"event": "Signup", "forward": 2, "reverse": 1}],
        "date_range": {"type": "between", "from_date": "2024-03-08", "to_date": "2024-03-08"},
    }
    answer = flows.sankey(_store(rows), flows.parse_spec(params, dt.date(2024, 4, 1)))
    drop = {"event": "$dropoff", "type": "DROPOFF"}

    def node(event: str, kind: str, anchor: str, count: int, *edges: Any) -> dict[str, Any]:
        return {"event": event, "type": kind, "anchorType": anchor, "totalCount": str(count),
                "isCustomEvent": False, "conversionRateChange": None,
                "edges": list(edges)}  # fmt: skip

    def edge(target: dict[str, Any], step: int, count: int) -> dict[str, Any]:
        return {"event": target["event"], "step": step, "totalCount": str(count),
                "type": target["type"]}  # fmt: skip

    anchor = {"event": "Signup", "type": "ANCHOR"}
    buy, again = {"event": "Buy", "type": "NORMAL"}, {"event": "Signup", "type": "NORMAL"}
    assert answer["steps"] == [
        {"nodes": [
            node("Home", "NORMAL", "RELATIVE_REVERSE", 2, edge(anchor, 1, 2)),
            node("$dropoff", "DROPOFF", "RELATIVE_REVERSE", 1, edge(anchor, 1, 1)),
        ]},
        {"nodes": [
            node("Signup", "ANCHOR", "NORMAL", 3, edge(again, 2, 1), edge(drop, 2, 2)),
        ]},
        {"nodes": [
            node("Signup", "NORMAL", "RELATIVE_FORWARD", 1, edge(buy, 3, 1)),
            node("$dropoff", "DROPOFF", "RELATIVE_FORWARD", 2, edge(drop, 3, 2)),
        ]},
        {"nodes": [
            node("Buy", "NORMAL", "RELATIVE_FORWARD", 1),
            node("$dropoff", "DROPOFF", "RELATIVE_FORWARD", 2),
        ]},
    ]  # fmt: skip
    assert set(answer) == {"computed_at", "steps", "flows", "breakdowns",
                           "overallConversionRate", "metadata"}  # fmt: skip
    assert answer["metadata"]["date_range"] == {"from_date": "2024-03-08", "to_date": "2024-03-08"}
    dt.datetime.fromisoformat(answer["computed_at"])


def test_no_anchor_is_empty() -> None:
    params = {
        "steps": [{"event": "Nope", "forward": 2}],
        "date_range": {"type": "between", "from_date": "2024-03-08", "to_date": "2024-03-09"},
    }
    spec = flows.parse_spec(params, dt.date(2024, 4, 1))
    for rows in (generate(3), []):  # an event nobody did; a project with no events at all
        answer = flows.sankey(_store(rows), spec)
        assert (answer["steps"], answer["overallConversionRate"]) == ([], 0.0)


# Exactly what mixpanel_headless 0.4.0's `build_flow_params("Signup", forward=2, reverse=1,
# last=7)` writes.
PEER: dict[str, Any] = {
    "steps": [{"event": "Signup", "step_label": "Signup", "forward": 2, "reverse": 1,
               "bool_op": "and", "property_filter_params_list": []}],
    "date_range": {"type": "in the last", "from_date": {"unit": "day", "value": 7},
                   "to_date": "$now"},
    "chartType": "sankey", "flows_merge_type": "graph", "count_type": "unique",
    "cardinality_threshold": 3, "version": 2, "conversion_window": {"unit": "day", "value": 7},
    "anchor_position": 1, "collapse_repeated": False, "show_custom_events": True,
    "hidden_events": [], "exclusions": [],
}  # fmt: skip


def test_parse_peer_params() -> None:
    spec = flows.parse_spec(PEER, dt.date(2024, 5, 20))
    assert spec == flows.FlowSpec(
        event="Signup", forward=2, reverse=1, from_date=dt.date(2024, 5, 13),
        to_date=dt.date(2024, 5, 20), count_type="unique", window_unit="day", window_value=7,
        cardinality=3, collapse_repeated=False, hidden_events=(),
    )  # fmt: skip
    weeks = {**PEER, "date_range": {"type": "in the last", "from_date": {"unit": "week",
             "value": 2}}, "conversion_window": {"unit": "month", "value": 1}}  # fmt: skip
    spec = flows.parse_spec(weeks, dt.date(2024, 5, 20))
    assert (spec.from_date, spec.window_ms) == (dt.date(2024, 5, 6), 30 * DAY)


def _with(**changes: Any) -> dict[str, Any]:
    return {**PEER, **changes}


def _step(**changes: Any) -> dict[str, Any]:
    return _with(steps=[{**PEER["steps"][0], **changes}])


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (
            _step(property_filter_params_list=[{"property": {"name": "p", "source": "user"}}]),
            "step filter on user",
        ),
        (_step(session_event="Signup"), "session event"),
        (_with(segments=[{"value": "country"}]), "segments"),
        (_with(data_group_id=3), "data group"),
        (_with(date_range={"type": "since", "from_date": "2024-01-01"}), "'since' date range"),
    ],
)
def test_unsupported_settings(params: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match) as caught:
        flows.parse_spec(params, dt.date(2024, 5, 20))
    assert "is not supported by the emulator" in str(caught.value)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (_with(count_type="session"), "count_type 'session' needs a session conversion_window"),
        (_with(conversion_window={"unit": "session", "value": 2}), "has value 1, got 2"),
    ],
)
def test_session_settings_checked(params: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        flows.parse_spec(params, dt.date(2024, 5, 20))


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ([], "no params object"),
        (_with(steps=[]), "needs an anchor step"),
        (_with(steps="Signup"), "needs an anchor step"),
        (_with(steps=["Signup"]), r"steps\[0\] must be an object"),
        (_step(event=""), "non-empty event name"),
        (_step(forward=6), "forward must be an integer from 0 to 5"),
        (_step(reverse="1"), "reverse must be an integer"),
        (_step(forward=True), "forward must be an integer"),
        (_with(count_type="weekly"), "count_type must be"),
        (_with(hidden_events="Home"), "hidden_events must be a list"),
        (_with(hidden_events=["Signup"]), "anchor event 'Signup' is in hidden_events"),
        (_with(collapse_repeated="yes"), "collapse_repeated"),
        (_with(cardinality_threshold=0), "cardinality_threshold"),
        (_with(cardinality_threshold=51), "cardinality_threshold"),
        (_with(conversion_window=7), "conversion_window must be an object"),
        (_with(conversion_window={"unit": "hour", "value": 1}), "unit must be day, week"),
        (_with(conversion_window={"unit": "week", "value": 53}), "from 1 to 52"),
        (_with(date_range=None), "date_range must be an object"),
        (_with(date_range={"type": "between", "from_date": "2024-02-01", "to_date": "2024-01-01"}),
         "must not be after"),
        (_with(date_range={"type": "between", "from_date": "01/02/2024", "to_date": "2024-01-01"}),
         "from_date is not a YYYY-MM-DD date"),
        (_with(date_range={"type": "in the last", "from_date": {"unit": "year", "value": 1}}),
         "unit: day"),
        (_with(date_range={"type": "in the last", "from_date": {"unit": "day", "value": 0}}),
         "value must be an integer"),
    ],
)  # fmt: skip
def test_malformed_params(params: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        flows.parse_spec(params, dt.date(2024, 5, 20))


def test_every_column_adds_up_to_the_paths() -> None:
    params = _with(
        steps=[{"event": "A", "forward": 5, "reverse": 5}],
        date_range={"type": "between", "from_date": "2024-03-08", "to_date": "2024-03-13"},
        count_type="total",
        cardinality_threshold=2,
    )
    answer = flows.sankey(_store(generate(4)), flows.parse_spec(params, dt.date(2024, 4, 1)))
    totals = {sum(int(n["totalCount"]) for n in c["nodes"]) for c in answer["steps"]}
    assert len(totals) == 1
    types = {n["type"] for c in answer["steps"] for n in c["nodes"]}
    assert types == {"ANCHOR", "NORMAL", "DROPOFF", "PRUNED"}
    for column in answer["steps"]:
        for node in column["nodes"]:
            if node["edges"]:
                assert sum(int(e["totalCount"]) for e in node["edges"]) == int(node["totalCount"])
