"""Funnel and retention metrics of Insights reports (`engine.insights_funnels`,
`engine.insights_retention`) against a plain-Python computation written separately, over
seeded random event sets around the March DST change in New York, with sparse properties."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from mixpanel_async.emulator.engine import insights_funnels, insights_retention
from tests.helpers import row
from tests.unit.test_query_engine import frame_of

TZ = "America/New_York"
ZONE = ZoneInfo(TZ)
FROM, TO = dt.date(2024, 3, 8), dt.date(2024, 3, 12)  # DST starts on the 10th
LATER = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
DAY_MS = 86_400_000
EVENTS = ["A", "B", "C", "X"]


def local_ms(day: dt.date, hour: float = 0.0) -> int:
    moment = dt.datetime.combine(day, dt.time(), ZONE) + dt.timedelta(hours=hour)
    return int(moment.timestamp() * 1000)


def make_events(seed: int, n: int = 400) -> list[dict[str, Any]]:
    """Records in the store's order (time, then arrival), with their position `pos`."""
    rng = random.Random(seed)
    start = local_ms(FROM - dt.timedelta(days=2))
    span = local_ms(TO + dt.timedelta(days=4)) - start
    out = []
    for i in range(n):
        props: dict[str, Any] = {}
        if rng.random() < 0.7:
            props["plan"] = rng.choice(["a", "b"])
        if rng.random() < 0.6:
            props["amount"] = rng.choice([1, 5, 10, "10", True])
        moment = start + rng.randrange(span // 60_000) * 60_000  # minutes: ties happen
        out.append({"event": rng.choice(EVENTS), "user": f"u{rng.randrange(12)}",
                    "time": moment, "props": props, "arrival": i})  # fmt: skip
    out.sort(key=lambda r: (r["time"], r["arrival"]))
    for pos, record in enumerate(out):
        record["pos"] = pos
    return out


def frame(records: list[dict[str, Any]]) -> Any:
    ordered = sorted(records, key=lambda r: r["arrival"])
    return frame_of([row(r["event"], r["user"], r["time"], **r["props"]) for r in ordered])


def plan_label(record: dict[str, Any]) -> str:
    value = record["props"].get("plan")
    return "undefined" if value is None else str(value)


def big_amount(record: dict[str, Any]) -> bool:
    value = record["props"].get("amount")
    return isinstance(value, int) and not isinstance(value, bool) and value > 4


# --- funnels -----------------------------------------------------------------------------------

PLAN_A = {"value": "plan", "filterOperator": "equals", "filterValue": ["a"], "filterType": "string"}
BIG = {"value": "amount", "filterOperator": "is greater than", "filterValue": 4,
       "filterType": "number"}  # fmt: skip


def funnel_params(steps: list[str], **options: Any) -> dict[str, Any]:
    behaviors = []
    for i, name in enumerate(steps):
        own = [BIG] if options.get("big_last") and i == len(steps) - 1 else []
        behaviors.append({"type": "event", "name": name, "filters": own,
                          "funnelOrder": options.get("order", "loose")})  # fmt: skip
    behavior = {
        "type": "funnel", "behaviors": behaviors, "funnelOrder": options.get("order", "loose"),
        "conversionWindowDuration": options.get("hours", 30), "conversionWindowUnit": "hour",
        "exclusions": [{"event": e, "steps": {"from": 1, "to": len(steps)}}
                       for e in options.get("exclude", [])],
        "aggregateBy": [{"value": "plan", "resourceType": "events"}] if options.get("hold") else [],
    }  # fmt: skip
    return {
        "sections": {
            "show": [{"type": "metric", "behavior": behavior,
                      "measurement": {"math": "conversion_rate_total" if options.get("totals")
                                      else "conversion_rate_unique"}}],
            "time": [{"dateRangeType": "between", "unit": options.get("unit", "day"),
                      "value": [FROM.isoformat(), TO.isoformat()]}],
            "filter": [PLAN_A] if options.get("plan_a") else [],
            "group": [{"value": "plan"}] if options.get("by_plan") else [],
        },
        "displayOptions": {"chartType": "line" if options.get("trends") else "funnel-steps"},
    }  # fmt: skip


def reference_funnel(
    records: list[dict[str, Any]], steps: list[str], **options: Any
) -> dict[str, list[dict[str, Any]]]:
    """Per segment ("$overall" and plans): per step, users reaching it and their times."""
    start, end = local_ms(FROM), local_ms(TO + dt.timedelta(days=1))
    span = options.get("hours", 30) * 3_600_000

    def passes(record: dict[str, Any], k: int) -> bool:
        if options.get("plan_a") and record["props"].get("plan") != "a":
            return False
        return not (options.get("big_last") and k == len(steps) - 1 and not big_amount(record))

    def one_pass(
        user_events: list[dict[str, Any]], entry: dict[str, Any]
    ) -> tuple[list[int], list[int], bool]:
        """A pass from `entry`: the times and positions of the steps reached, and whether no
        exclusion broke it."""
        t0 = entry["time"]

        def ok(r: dict[str, Any], k: int, after: int) -> bool:
            held = not options.get("hold") or plan_label(r) == plan_label(entry)
            return (r["event"] == steps[k] and passes(r, k) and r["pos"] > after
                    and r["time"] <= entry["time"] + span and held)  # fmt: skip

        times, positions = [t0], [entry["pos"]]
        if options.get("order") == "any":
            found = [next((r for r in user_events if ok(r, k, entry["pos"])), None)
                     for k in range(1, len(steps))]  # fmt: skip
            for k in range(1, len(steps)):
                if any(f is None for f in found[:k]):
                    break
                times.append(max(f["time"] for f in found[:k] if f is not None))
            if len(times) == len(steps):  # converted: the pass ends at its latest step
                positions = [entry["pos"], max(f["pos"] for f in found if f is not None)]
        else:
            for k in range(1, len(steps)):
                hit = next((r for r in user_events if ok(r, k, positions[-1])), None)
                if hit is None:
                    break
                times.append(hit["time"])
                positions.append(hit["pos"])
        if options.get("exclude"):
            stop = positions[-1] if len(positions) == len(steps) else None
            if any(r["event"] in options["exclude"] and r["pos"] > entry["pos"]
                   and (r["pos"] < stop if stop is not None else r["time"] <= t0 + span)
                   for r in user_events):  # fmt: skip
                return times, positions, False
        return times, positions, True

    reached: dict[str, list[list[int]]] = {}
    by_user: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_user.setdefault(record["user"], []).append(record)
    for user_events in by_user.values():
        after_pos, after_time = -1, None
        while True:
            entry = next((r for r in user_events if r["event"] == steps[0] and passes(r, 0)
                          and start <= r["time"] < end and r["pos"] > after_pos
                          and (after_time is None or r["time"] > after_time)), None)  # fmt: skip
            if entry is None:
                break
            times, positions, kept = one_pass(user_events, entry)
            if kept:
                for segment in ("$overall", plan_label(entry)):
                    reached.setdefault(segment, []).append(times)
            if not options.get("totals"):
                break
            converted = len(times) == len(steps)
            after_pos = positions[-1] if converted else entry["pos"]
            after_time = None if converted else entry["time"] + span
    out = {}
    for segment, journeys in reached.items():
        stats = []
        for k in range(len(steps)):
            done = [j for j in journeys if len(j) > k]
            stats.append({
                "count": len(done),
                "avg_time": round(sum(j[k] - j[k - 1] for j in done) / len(done) / 1000)
                if k and done else None,
                "avg_time_from_start": round(sum(j[k] - j[0] for j in done) / len(done) / 1000)
                if k and done else None,
            })  # fmt: skip
        out[segment] = stats
    return out


def check_metrics(metrics: dict[str, Any], steps: list[str], want: list[dict[str, Any]]) -> None:
    first = want[0]["count"]
    for k, name in enumerate(steps):
        key = f"{k + 1}. {name}"
        assert metrics["count"][key]["all"] == want[k]["count"], key
        assert metrics["avg_time"][key]["all"] == want[k]["avg_time"], key
        assert metrics["avg_time_from_start"][key]["all"] == want[k]["avg_time_from_start"]
        overall = want[k]["count"] / first if first else 0.0
        assert metrics["overall_conv_ratio"][key]["all"] == pytest.approx(overall)


CASES = [
    {},
    {"plan_a": True, "big_last": True},
    {"order": "any"},
    {"exclude": ["X"]},
    {"hold": True},
    {"by_plan": True, "hours": 60},
    {"totals": True, "hours": 8},
    {"totals": True, "exclude": ["X"], "by_plan": True},
    {"totals": True, "order": "any", "hours": 12},
]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("options", CASES, ids=lambda o: ",".join(o) or "plain")
def test_funnel_matches_the_reference(seed: int, options: dict[str, Any]) -> None:
    records = make_events(seed)
    steps = ["A", "B", "C"]
    report = insights_funnels.parse(funnel_params(steps, **options), TO, 3000)
    answer = insights_funnels.run(frame(records), report, TZ, LATER)
    node = answer["series"]["A through C"]
    want = reference_funnel(records, steps, **options)
    empty = [{"count": 0, "avg_time": None, "avg_time_from_start": None}] * 3
    if options.get("by_plan"):
        assert set(node) == set(want) | {"$overall"}
        for segment, metrics in node.items():
            check_metrics(metrics, steps, want.get(segment, empty))
    else:
        check_metrics(node, steps, want.get("$overall", empty))


def test_funnel_trends_split_users_by_their_entry_day() -> None:
    records = make_events(11)
    steps = ["A", "B"]
    report = insights_funnels.parse(funnel_params(steps, trends=True), TO, None)
    node = insights_funnels.run(frame(records), report, TZ, LATER)["series"]["A through B"]
    days = [FROM + dt.timedelta(days=i) for i in range(5)]
    assert list(node) == [dt.datetime.combine(d, dt.time(), ZONE).isoformat() for d in days]
    assert node["2024-03-10T00:00:00-05:00"]["count"]  # the DST day keeps its local midnight
    total = sum(day["count"]["1. A"]["all"] for day in node.values())
    assert total == reference_funnel(records, steps)["$overall"][0]["count"]


# --- retention ---------------------------------------------------------------------------------


def retention_params(unit: str, **options: Any) -> dict[str, Any]:
    behavior = {
        "type": "retention",
        "behaviors": [
            {"type": "event", "name": "A", "filters": [PLAN_A] if options.get("plan_a") else []},
            {"type": "event", "name": "B", "filters": [BIG] if options.get("big") else []},
        ],
        "retentionUnit": unit,
        "retentionAlignmentType": options.get("alignment", "birth"),
        "retentionCustomBucketSizes": options.get("brackets", []),
    }  # fmt: skip
    return {
        "sections": {
            "show": [{"type": "metric", "behavior": behavior,
                      "measurement": {"math": "retention_rate"}}],
            "time": [{"dateRangeType": "between", "unit": "day",
                      "value": [FROM.isoformat(), TO.isoformat()]}],
            "group": [{"value": "plan"}] if options.get("by_plan") else [],
        },
    }  # fmt: skip


def reference_retention(
    records: list[dict[str, Any]], unit: str, **options: Any
) -> dict[str, dict[str, tuple[int, list[int]]]]:
    """segment → cohort day → (size, returning users per interval)."""
    start, end = local_ms(FROM), local_ms(TO + dt.timedelta(days=1))
    last = 5 if unit == "day" else 1  # intervals spanning the 5-day range
    brackets = options.get("brackets") or []
    by_user: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_user.setdefault(record["user"], []).append(record)
    cohorts: dict[str, dict[str, tuple[int, list[set[str]]]]] = {}
    for user, events in by_user.items():
        wanted = [r for r in events if r["event"] == "A"]
        if options.get("plan_a"):
            wanted = [r for r in wanted if r["props"].get("plan") == "a"]
        born = wanted[0] if wanted else None
        if born is None or not start <= born["time"] < end:
            continue
        day = dt.datetime.fromtimestamp(born["time"] / 1000, ZONE).date()
        length = len(brackets) or last + 1
        for segment in ("$overall", plan_label(born)) if options.get("by_plan") else ("$overall",):
            size, sets = cohorts.setdefault(segment, {}).get(
                day.isoformat(), (0, [set() for _ in range(length)])
            )
            cohorts[segment][day.isoformat()] = (size + 1, sets)
            for r in events:
                if r["event"] != "B" or r["pos"] == born["pos"] or r["time"] < born["time"]:
                    continue
                if options.get("big") and not big_amount(r):
                    continue
                if options.get("alignment") == "interval_start":
                    back = dt.datetime.fromtimestamp(r["time"] / 1000, ZONE).date()
                    index = (back - day).days
                else:
                    index = (r["time"] - born["time"]) // DAY_MS
                if unit == "week":
                    index = index // 7
                if brackets:
                    edges = [0, *brackets]
                    hits = [j for j in range(len(brackets)) if edges[j] <= index < edges[j + 1]]
                    if not hits:
                        continue
                    index = hits[0]
                elif index > last:
                    continue
                sets[index].add(user)
    return {
        segment: {day: (size, [len(s) for s in sets]) for day, (size, sets) in days.items()}
        for segment, days in cohorts.items()
    }


RETENTION_CASES = [
    ("day", {}),
    ("day", {"plan_a": True, "big": True}),
    ("day", {"alignment": "interval_start"}),
    ("day", {"brackets": [1, 3, 6]}),
    ("week", {"by_plan": True}),
]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(("unit", "options"), RETENTION_CASES, ids=lambda v: str(v))
def test_retention_matches_the_reference(seed: int, unit: str, options: dict[str, Any]) -> None:
    records = make_events(seed + 100)
    report = insights_retention.parse(retention_params(unit, **options), TO, 3000)
    answer = insights_retention.run(frame(records), report, TZ, LATER)
    tree = answer["series"]["A and then B"]
    want = reference_retention(records, unit, **options)
    segments = tree if options.get("by_plan") else {"$overall": tree}
    assert set(segments) == set(want) | {"$overall"}
    for segment, cohorts in segments.items():
        expected = want.get(segment, {})
        everyone = 0
        for key, cohort in cohorts.items():
            if key == "$average":
                continue
            size, counts = expected.get(key[:10], (0, [0] * len(cohort["counts"])))
            assert (cohort["first"], cohort["counts"]) == (size, counts), (segment, key)
            assert cohort["rates"] == [n / size if size else 0.0 for n in counts]
            everyone += size
        assert cohorts["$average"]["first"] == everyone
