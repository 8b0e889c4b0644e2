"""Flows of several anchor steps (`A` then `B`, each with its own steps before and after)
against paths traced here in plain Python: every Sankey column's nodes, and the share of paths
that reach the last anchor."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from mixpanel_async.emulator.engine import flow_paths, flows
from tests.helpers import row
from tests.unit.test_flow_paths_engine import DAY, FROM, TO, ZONE, generate
from tests.unit.test_query_engine import frame_of

Column = Counter[tuple[str, str]]


def reference(
    rows: list[tuple[str, str, int, dict[str, Any]]],
    steps: list[tuple[str, int, int]],
    unique: bool,
    cardinality: int,
) -> tuple[list[Column], float]:
    """Per column, the (event, node type) of every path; and the share reaching the last step.
    A path starts at an `A` in range; each later anchor is that event's next occurrence after
    the previous anchor within 7 days of the first; a column holds the event `offset` rows from
    its anchor when that row is the user's and within 7 days of the first anchor."""
    tz = ZoneInfo(ZONE)
    start = dt.datetime.combine(FROM, dt.time(), tz).timestamp() * 1000
    end = dt.datetime.combine(TO + dt.timedelta(days=1), dt.time(), tz).timestamp() * 1000
    window = 7 * DAY
    by_user: dict[str, list[tuple[int, int, str]]] = {}
    for arrival, (event, user, at, _) in enumerate(rows):
        by_user.setdefault(user, []).append((at, arrival, event))
    paths: list[list[tuple[str, str]]] = []
    reached = 0
    for events in by_user.values():
        events.sort()
        starts = [
            i for i, (at, _, e) in enumerate(events) if e == steps[0][0] and start <= at < end
        ]
        for i in starts[:1] if unique else starts:
            t0, origin, columns = events[i][0], i, []
            for k, (event, forward, reverse) in enumerate(steps):
                if k and origin is not None:
                    later = [
                        j
                        for j in range(origin + 1, len(events))
                        if events[j][2] == event and abs(events[j][0] - t0) <= window
                    ]
                    origin = later[0] if later else None
                for offset in range(-reverse, forward + 1):
                    j = None if origin is None else origin + offset
                    if offset == 0:
                        columns.append(
                            (event, "ANCHOR") if j is not None else ("$dropoff", "DROPOFF")
                        )
                    elif (
                        j is not None and 0 <= j < len(events) and abs(events[j][0] - t0) <= window
                    ):
                        columns.append((events[j][2], "NORMAL"))
                    else:
                        columns.append(("$dropoff", "DROPOFF"))
            reached += origin is not None
            paths.append(columns)
    for c in range(len(paths[0])):
        tally = Counter(p[c][0] for p in paths if p[c][1] == "NORMAL")
        kept = sorted(tally, key=lambda name: (-tally[name], name))[:cardinality]
        for p in paths:
            if p[c][1] == "NORMAL" and p[c][0] not in kept:
                p[c] = ("$other", "PRUNED")
    return [Counter(p[c] for p in paths) for c in range(len(paths[0]))], reached / len(paths)


def spec(steps: list[tuple[str, int, int]], unique: bool, cardinality: int) -> Any:
    params = {
        "steps": [{"event": e, "forward": f, "reverse": r} for e, f, r in steps],
        "date_range": {"type": "between", "from_date": FROM.isoformat(), "to_date": TO.isoformat()},
        "count_type": "unique" if unique else "total", "cardinality_threshold": cardinality,
        "conversion_window": {"unit": "day", "value": 7},
    }  # fmt: skip
    return flows.parse_spec(params, TO)


CASES = [
    ([("A", 1, 0), ("B", 1, 1)], True, 3),
    ([("A", 2, 1), ("C", 0, 2)], False, 2),
    ([("A", 0, 0), ("B", 1, 0), ("D", 1, 1)], True, 5),
]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("case", CASES, ids=str)
def test_several_anchors_match_the_reference(seed: int, case: tuple[Any, ...]) -> None:
    rows = generate(seed)
    frame = frame_of([row(e, u, t, **p) for e, u, t, p in rows])
    answer = flows.sankey(frame, spec(*case), timezone=ZONE)
    columns, rate = reference(rows, *case)
    got = [
        Counter({(n["event"], n["type"]): int(n["totalCount"]) for n in step["nodes"]})
        for step in answer["steps"]
    ]
    assert got == columns
    assert answer["overallConversionRate"] == pytest.approx(rate)
    assert 0 < rate < 1
    kinds = [{n["anchorType"] for n in step["nodes"]} for step in answer["steps"]]
    assert kinds == [{kind} for kind in spec(*case).column_kinds()]


def test_a_tree_of_several_anchors_is_refused() -> None:
    frame = frame_of([row(e, u, t, **p) for e, u, t, p in generate(0)])
    with pytest.raises(ValueError, match="a tree of several anchor steps"):
        flow_paths.answer(frame, spec(*CASES[0]), "tree", timezone=ZONE)
