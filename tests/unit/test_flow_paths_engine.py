"""Flows as top paths and prefix trees (`engine.flow_paths`), and anchor step filters, against
a plain-Python computation written separately, on random users around the US DST change."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from mixpanel_async.emulator.engine import flow_paths, flows
from tests.helpers import row
from tests.unit.test_query_engine import frame_of

DAY = 86_400_000
BASE = int(dt.datetime(2024, 3, 8, 12, tzinfo=dt.UTC).timestamp() * 1000)
ZONE = "America/New_York"
FROM, TO = dt.date(2024, 3, 8), dt.date(2024, 3, 11)
Path = tuple[tuple[str, str], ...]  # (event on the wire, node type) per column


def generate(seed: int) -> list[tuple[str, str, int, dict[str, Any]]]:
    rng = random.Random(seed)
    out = []
    for user in range(50):
        for _ in range(rng.choice([0, 1, 3, 6, 10])):
            props = {"plan": rng.choice(["a", "b"])} if rng.random() < 0.7 else {}
            at = BASE + rng.randrange(4 * DAY)
            out.append((rng.choice(["A", "A", "B", "C", "D", "E"]), f"u{user}", at, props))
    return out


def reference_paths(
    rows: list[tuple[str, str, int, dict[str, Any]]],
    forward: int,
    reverse: int,
    unique: bool,
    plan: str | None,
    cardinality: int,
) -> list[Path]:
    tz = ZoneInfo(ZONE)
    start = dt.datetime.combine(FROM, dt.time(), tz).timestamp() * 1000
    end = dt.datetime.combine(TO + dt.timedelta(days=1), dt.time(), tz).timestamp() * 1000
    by_user: dict[str, list[tuple[int, int, str, dict[str, Any]]]] = {}
    for arrival, (event, user, at, props) in enumerate(rows):
        by_user.setdefault(user, []).append((at, arrival, event, props))
    paths: list[list[tuple[str, str]]] = []
    window = 7 * DAY
    for events in by_user.values():
        events.sort(key=lambda e: (e[0], e[1]))
        starts = [i for i, (at, _, e, _) in enumerate(events) if e == "A" and start <= at < end]
        starts = [i for i in starts if plan is None or events[i][3].get("plan") == plan]
        for i in starts[:1] if unique else starts:
            t0 = events[i][0]
            columns: list[tuple[str, str]] = []
            for k in range(-reverse, forward + 1):
                j = i + k
                if k == 0:
                    columns.append(("A", "ANCHOR"))
                    continue
                near = 0 <= j < len(events) and abs(events[j][0] - t0) <= window
                columns.append((events[j][2], "NORMAL") if near else ("$dropoff", "DROPOFF"))
            paths.append(columns)
    for column in range(reverse + 1 + forward):
        if column == reverse:
            continue
        tally = Counter(p[column][0] for p in paths if p[column][1] == "NORMAL")
        kept = sorted(tally, key=lambda name: (-tally[name], name))[:cardinality]
        for p in paths:
            if p[column][1] == "NORMAL" and p[column][0] not in kept:
                p[column] = ("$other", "PRUNED")
    return [tuple(p) for p in paths]


def spec(forward: int, reverse: int, unique: bool, plan: str | None, cardinality: int) -> Any:
    filters = []
    if plan is not None:
        filters = [{"property": {"name": "plan", "source": "properties", "type": "string"},
                    "type": "string", "filter": {"operator": "==", "operand": [plan]}}]  # fmt: skip
    params = {
        "steps": [{"event": "A", "forward": forward, "reverse": reverse, "bool_op": "and",
                   "property_filter_params_list": filters}],
        "date_range": {"type": "between", "from_date": FROM.isoformat(), "to_date": TO.isoformat()},
        "count_type": "unique" if unique else "total", "cardinality_threshold": cardinality,
        "conversion_window": {"unit": "day", "value": 7},
    }  # fmt: skip
    return flows.parse_spec(params, TO)


CASES = [(3, 0, True, None, 3), (2, 2, False, "a", 2), (4, 1, True, "b", 5), (2, 0, False, "a", 1)]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("case", CASES, ids=str)
def test_top_paths_match_the_reference(seed: int, case: tuple[Any, ...]) -> None:
    rows = generate(seed)
    frame = frame_of([row(e, u, t, **p) for e, u, t, p in rows])
    answer = flow_paths.answer(frame, spec(*case), "paths", timezone=ZONE)
    paths = reference_paths(rows, *case)
    tally = Counter(paths)
    got = [
        tuple((s["event"], s["type"], int(s["totalCount"])) for s in flow["flowSteps"])
        for flow in answer["flows"]
    ]
    want = []
    for path, _ in sorted(tally.items(), key=lambda item: (-item[1], item[0])):
        steps = []
        for j, (event, kind) in enumerate(path):
            if kind == "DROPOFF":
                continue
            ends = j + 1 < len(path) and path[j + 1][1] == "DROPOFF"
            upto = j + 2 if ends else j + 1
            share = sum(n for p, n in tally.items() if p[:upto] == path[:upto])
            steps.append((event, kind, share))
        want.append(tuple(steps))
    assert sorted(got) == sorted(want)
    assert len(got) == len(tally) > 1
    last = [steps[-1][2] for steps in got]
    assert last == sorted(last, reverse=True)  # most frequent first; the last step counts them
    assert sorted(last) == sorted(tally.values())


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("case", [c for c in CASES if c[1] == 0], ids=str)
def test_trees_match_the_reference(seed: int, case: tuple[Any, ...]) -> None:
    rows = generate(seed)
    frame = frame_of([row(e, u, t, **p) for e, u, t, p in rows])
    answer = flow_paths.answer(frame, spec(*case), "tree", timezone=ZONE)
    paths = reference_paths(rows, *case)
    forward = case[0]

    def check(node: dict[str, Any], prefix: Path) -> int:
        through = [p for p in paths if p[: len(prefix)] == prefix]
        assert (node["step"]["event"], node["step"]["type"]) == prefix[-1]
        assert node["step"]["stepNumber"] == len(prefix) - 1
        assert node["totalCount"] == len(through)
        depth = len(prefix) - 1
        ended = sum(1 for p in through if depth < forward and p[depth + 1][1] == "DROPOFF")
        assert node["dropOffTotalCount"] == ended
        assert node["convertedTotalCount"] == len(through) - ended
        nexts = {p[depth + 1] for p in through if depth < forward and p[depth + 1][1] != "DROPOFF"}
        seen = [(c["step"]["event"], c["step"]["type"]) for c in node["children"]]
        assert sorted(seen) == sorted(nexts)
        return 1 + sum(check(c, (*prefix, (c["step"]["event"], c["step"]["type"])))
                       for c in node["children"])  # fmt: skip

    (tree,) = answer["trees"]
    assert check(tree["root"], (("A", "ANCHOR"),)) >= 1


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("case", [c for c in CASES if c[1] > 0], ids=str)
def test_reverse_trees_match_the_reference(seed: int, case: tuple[Any, ...]) -> None:
    rows = generate(seed)
    frame = frame_of([row(e, u, t, **p) for e, u, t, p in rows])
    answer = flow_paths.answer(frame, spec(*case), "tree", timezone=ZONE)
    forward, reverse = case[0], case[1]
    paths = reference_paths(rows, *case)
    ahead = [p[reverse:] for p in paths]
    behind = [tuple(reversed(p[: reverse + 1])) for p in paths]

    def walk(
        node: dict[str, Any], prefix: Path, oriented: list[Path], steps: int, sign: int
    ) -> int:
        through = [p for p in oriented if p[: len(prefix)] == prefix]
        depth = len(prefix) - 1
        assert (node["step"]["event"], node["step"]["type"]) == prefix[-1]
        assert node["step"]["stepNumber"] == sign * depth
        kind = "NORMAL" if depth == 0 else ("RELATIVE_FORWARD" if sign > 0 else "RELATIVE_REVERSE")
        assert node["step"]["anchorType"] == kind
        assert node["totalCount"] == len(through)
        ended = sum(1 for p in through if depth < steps and p[depth + 1][1] == "DROPOFF")
        assert node["dropOffTotalCount"] == ended
        nexts = {p[depth + 1] for p in through if depth < steps and p[depth + 1][1] != "DROPOFF"}
        assert sorted((c["step"]["event"], c["step"]["type"]) for c in node["children"]) == sorted(
            nexts
        )
        return 1 + sum(
            walk(c, (*prefix, (c["step"]["event"], c["step"]["type"])), oriented, steps, sign)
            for c in node["children"]
        )

    forward_tree, reverse_tree = answer["trees"]
    assert walk(forward_tree["root"], (("A", "ANCHOR"),), ahead, forward, 1) >= 1
    assert walk(reverse_tree["root"], (("A", "ANCHOR"),), behind, reverse, -1) > 1


@pytest.mark.parametrize(
    ("entry", "match"),
    [
        ({"property": {"name": "p", "source": "user"}}, "on user properties"),
        ({"property": {"name": "p"}, "type": "datetime", "filter": {}}, "'datetime' step filter"),
        ({"property": {"name": "p"}, "type": "string", "filter": {"operator": "~"}}, "'~'"),
        ({"property": {}}, "names no property"),
    ],
)
def test_step_filters_the_emulator_cannot_honour(entry: dict[str, Any], match: str) -> None:
    params = {"steps": [{"event": "A", "property_filter_params_list": [entry]}],
              "date_range": {"type": "between", "from_date": "2024-03-01",
                             "to_date": "2024-03-02"}}  # fmt: skip
    with pytest.raises(ValueError, match=match):
        flows.parse_spec(params, TO)
