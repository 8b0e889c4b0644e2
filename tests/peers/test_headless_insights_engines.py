"""The peer library's `query_funnel`, `query_retention` and `query_flow(mode=...)` pointed at
the emulator see the same numbers as the plain-Python computations of
tests/unit/test_insights_funnel_engine.py and tests/unit/test_flow_paths_engine.py, over the
same generated events (around the US DST change, in a New York project)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mixpanel_async.emulator import Emulator
from tests.helpers import row
from tests.unit import test_flow_paths_engine as flow_ref
from tests.unit import test_insights_funnel_engine as ref

headless = pytest.importorskip("mixpanel_headless")
RANGE = {"from_date": ref.FROM.isoformat(), "to_date": ref.TO.isoformat()}
RECORDS = ref.make_events(3)
FLOW_ROWS = flow_ref.generate(2)
GOLD = sorted({r["user"] for r in RECORDS})[::2]


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        project = emulator.state.default
        ordered = sorted(RECORDS, key=lambda r: r["arrival"])
        project.events.append(
            [row(r["event"], r["user"], r["time"], **r["props"]) for r in ordered]
        )
        project.timezone = ref.TZ
        project.profiles.update({user: {"tier": "gold"} for user in GOLD})
        project.cohorts.append({"id": 3, "name": "Gold", "where": 'properties["tier"] == "gold"'})
        yield emulator


@pytest.fixture(scope="module")
def flows_emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        project = emulator.state.default
        project.events.append([row(e, u, t, **p) for e, u, t, p in FLOW_ROWS])
        project.timezone = flow_ref.ZONE
        yield emulator


@pytest.fixture
def flows_peer(flows_emu: Emulator, point_peer: Callable[[str], None]) -> Iterator[Any]:
    point_peer(flows_emu.url)
    with headless.Workspace() as workspace:
        yield workspace


PLAN_A = headless.Filter.equals("plan", "a")
BIG = headless.Filter.greater_than("amount", 4)
FUNNELS = [
    ({}, {}),
    ({"plan_a": True, "big_last": True}, {"where": PLAN_A}),
    ({"order": "any"}, {"order": "any"}),
    ({"exclude": ["X"]}, {"exclusions": ["X"]}),
    ({"hold": True}, {"holding_constant": "plan"}),
    ({"totals": True, "hours": 8}, {"math": "total"}),
    ({"totals": True, "exclude": ["X"]}, {"math": "conversion_rate_total", "exclusions": ["X"]}),
]


@pytest.mark.parametrize(("options", "args"), FUNNELS, ids=lambda v: ",".join(v) or "plain")
def test_query_funnel(peer: Any, options: dict[str, Any], args: dict[str, Any]) -> None:
    steps: list[Any] = ["A", "B", "C"]
    if options.get("big_last"):
        steps[-1] = headless.FunnelStep("C", filters=[BIG])
    hours = options.get("hours", 30)
    result = peer.query_funnel(
        steps, conversion_window=hours, conversion_window_unit="hour", **RANGE, **args
    )
    want = ref.reference_funnel(RECORDS, ["A", "B", "C"], **options)["$overall"]
    got = result.steps_data
    assert [s["count"] for s in got] == [s["count"] for s in want]
    assert [s["avg_time"] for s in got] == [s["avg_time"] for s in want]
    assert [s["event"] for s in got] == ["A", "B", "C"]
    assert result.overall_conversion_rate == pytest.approx(want[-1]["count"] / want[0]["count"])


@pytest.mark.parametrize(
    "where",
    [headless.Filter.equals("tier", "gold", resource_type="people"),
     headless.Filter.in_cohort(3, "Gold")],
    ids=["people-property", "in-cohort"],
)  # fmt: skip
def test_query_funnel_of_gold_users(peer: Any, where: Any) -> None:
    result = peer.query_funnel(["A", "B", "C"], conversion_window=30,
                               conversion_window_unit="hour", where=where, **RANGE)  # fmt: skip
    gold = [r for r in RECORDS if r["user"] in GOLD]
    want = ref.reference_funnel(gold, ["A", "B", "C"])["$overall"]
    assert [s["count"] for s in result.steps_data] == [s["count"] for s in want]
    held = peer.query_funnel(  # a people property is the same on every event of a user
        ["A", "B", "C"], conversion_window=30, conversion_window_unit="hour", where=where,
        holding_constant=headless.HoldingConstant("tier", resource_type="people"), **RANGE,
    )  # fmt: skip
    assert held.steps_data == result.steps_data
    assert 0 < want[0]["count"] < ref.reference_funnel(RECORDS, ["A"])["$overall"][0]["count"]


def test_query_funnel_by_plan(peer: Any) -> None:
    result = peer.query_funnel(["A", "B", "C"], conversion_window=60,
                               conversion_window_unit="hour", group_by="plan", **RANGE)  # fmt: skip
    want = ref.reference_funnel(RECORDS, ["A", "B", "C"], hours=60, by_plan=True)
    (node,) = result.series.values()
    assert set(node) == set(want)
    for segment, metrics in node.items():
        ref.check_metrics(metrics, ["A", "B", "C"], want[segment])
    assert [s["count"] for s in result.steps_data] == [s["count"] for s in want["$overall"]]


@pytest.mark.parametrize(("unit", "options"), ref.RETENTION_CASES, ids=str)
def test_query_retention(peer: Any, unit: str, options: dict[str, Any]) -> None:
    born = headless.RetentionEvent("A", filters=[PLAN_A]) if options.get("plan_a") else "A"
    back = headless.RetentionEvent("B", filters=[BIG]) if options.get("big") else "B"
    result = peer.query_retention(
        born, back, retention_unit=unit, alignment=options.get("alignment", "birth"),
        bucket_sizes=options.get("brackets"), group_by="plan" if options.get("by_plan") else None,
        **RANGE,
    )  # fmt: skip
    want = ref.reference_retention(RECORDS, unit, **options)
    sources = {"$overall": result.cohorts, **result.segments}
    assert set(sources) == set(want) | {"$overall"}
    for segment, cohorts in sources.items():
        for day, cohort in cohorts.items():
            size, counts = want.get(segment, {}).get(day, (0, [0] * len(cohort["counts"])))
            assert (cohort["first"], cohort["counts"]) == (size, counts), (segment, day)
    assert result.average["first"] == sum(size for size, _ in want["$overall"].values())
    assert result.df.shape[0] > 0


def anchor(plan: str | None, **steps: int) -> Any:
    """The flow's anchor step at `A`, only where `plan` is the given one (when not None)."""
    where = [headless.Filter.equals("plan", plan)] if plan else None
    return headless.FlowStep("A", filters=where, **steps)


@pytest.mark.parametrize("case", flow_ref.CASES, ids=str)
def test_query_flow_paths(flows_peer: Any, case: tuple[Any, ...]) -> None:
    forward, reverse, unique, plan, cardinality = case
    step = anchor(plan, forward=forward, reverse=reverse)
    result = flows_peer.query_flow(
        step, mode="paths", count_type="unique" if unique else "total", cardinality=cardinality,
        from_date=flow_ref.FROM.isoformat(), to_date=flow_ref.TO.isoformat(),
    )  # fmt: skip
    tally = Counter(flow_ref.reference_paths(FLOW_ROWS, *case))
    frame = result.df
    last = frame.groupby("path_index")["count"].last().tolist()
    assert sorted(last) == sorted(tally.values())
    assert last == sorted(last, reverse=True)
    anchors = frame[frame["type"] == "ANCHOR"]
    assert len(anchors) == len(tally)


@pytest.mark.parametrize("case", [c for c in flow_ref.CASES if c[1] == 0], ids=str)
def test_query_flow_tree(flows_peer: Any, case: tuple[Any, ...]) -> None:
    forward, _, unique, plan, cardinality = case
    step = anchor(plan, forward=forward)
    result = flows_peer.query_flow(
        step, mode="tree", count_type="unique" if unique else "total", cardinality=cardinality,
        from_date=flow_ref.FROM.isoformat(), to_date=flow_ref.TO.isoformat(),
    )  # fmt: skip
    paths = flow_ref.reference_paths(FLOW_ROWS, *case)
    (root,) = result.trees
    assert (root.event, root.total_count) == ("A", len(paths))
    firsts = Counter(p[1] for p in paths if p[1][1] != "DROPOFF")
    assert sorted((c.event, c.total_count) for c in root.children) == sorted(
        (event, n) for (event, _), n in firsts.items()
    )
    assert root.drop_off_count == sum(1 for p in paths if p[1][1] == "DROPOFF")
