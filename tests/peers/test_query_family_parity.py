"""Peer parity of the whole Insights query family: `query`, `query_funnel`, `query_retention`,
`query_flow`, `query_user` and their `run_*_params`, called with the same arguments through the
peer library `mixpanel_headless` and through our `AsyncWorkspace`, against the same emulator.

Two datasets: the demo product, and generated events in a New York project whose two windows
hold a DST change each (2024-03-10 and 2024-11-03), with sparse properties of mixed types
(present on some events only; `plan` mostly text, sometimes a number or a boolean; `amount`
an int, a float or numeric text), several users repeating events, and profiles to match.
Both datasets use the same event and property names, so one grid of cases runs on both.

Each case runs through both clients; either both answer, and every documented field of the
result (`computed_at` aside; the per-call `query_id`/`computation_time` of `meta` aside) and
every frame agree, or both raise a `QueryError` with the same message and status.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import zoneinfo
from collections.abc import Callable, Iterator
from typing import Any

import polars as pl
import pytest

import mixpanel_async
from mixpanel_async import AsyncWorkspace, BookmarkValidationError, QueryError
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import load_demo
from mixpanel_async.emulator.store import ProjectState
from tests.helpers import row

headless = pytest.importorskip("mixpanel_headless")

# --- the datasets --------------------------------------------------------------------------------

TZ = "America/New_York"
WINDOWS = {
    "demo": {"a": ("2026-09-01", "2026-09-30"), "b": ("2026-10-20", "2026-11-10")},
    # each generated window holds a DST change of New York
    "generated": {"a": ("2024-03-04", "2024-03-17"), "b": ("2024-10-28", "2024-11-10")},
}
NAMES = ["Sign Up", "Log In", "View Page", "Search", "Purchase"]
USERS = [f"u{i:02d}" for i in range(24)]
GAPS = [20, 300, 3_600, 7_200, 30_000, 80_000, 200_000]  # seconds between a user's events


def local_midnight(day: str) -> int:
    """Unix seconds of `day`'s midnight in New York."""
    moment = dt.datetime.fromisoformat(day).replace(tzinfo=zoneinfo.ZoneInfo(TZ))
    return int(moment.timestamp())


def sparse_props(rng: random.Random, name: str) -> dict[str, Any]:
    """Properties present on some events only, of mixed types."""
    props: dict[str, Any] = {}
    if rng.random() < 0.6:
        props["plan"] = rng.choice(["free", "pro", "team", "pro", 3, True])
    if rng.random() < 0.45:
        props["platform"] = rng.choice(["web", "ios", "android"])
    if rng.random() < 0.15:
        props["$os"] = rng.choice(["Mac OS X", "Windows"])
    if name == "Purchase" or rng.random() < 0.1:
        props["amount"] = rng.choice([5, 12, 12.5, 40, 99.99, "30", 0])
    return props


def generated_rows(seed: int = 20240310) -> list[Any]:
    """Events of every user in both generated windows, ordered by time."""
    rng = random.Random(seed)
    events = []
    for window, (first, last) in WINDOWS["generated"].items():
        start, end = local_midnight(first), local_midnight(last) + 86_400
        for user in USERS:
            at = start + rng.randrange((end - start) * 2 // 3)
            for k in range(rng.randint(2, 12)):
                name = "Sign Up" if k == 0 else rng.choice([*NAMES[1:], "Log In", "View Page"])
                if at < end:
                    events.append((at, name, user, f"{user}-{window}-{k}", sparse_props(rng, name)))
                at += rng.choice(GAPS) + rng.randrange(60)
    events.sort(key=lambda e: e[0])
    return [row(name, user, at * 1000, iid, **props) for at, name, user, iid, props in events]


def generated_profiles(seed: int = 7) -> dict[str, dict[str, Any]]:
    """A profile per user, with sparse, mixed-type properties."""
    rng = random.Random(seed)
    profiles: dict[str, dict[str, Any]] = {}
    for i, user in enumerate(USERS):
        props: dict[str, Any] = {"$email": f"{user}@example.com", "plan": ["free", "pro"][i % 2]}
        props["$last_seen"] = f"2024-03-{1 + i % 28:02d}T10:00:00"
        if rng.random() < 0.7:
            props["ltv"] = rng.choice([0, 3, 12.5, 40, 250])
        if rng.random() < 0.5:
            props["$city"] = rng.choice(["Paris", "Boston", "Lima"])
        profiles[user] = props
    return profiles


def seed_generated(project: ProjectState) -> None:
    """The generated dataset, with cohorts of the demo's ids."""
    project.timezone = TZ
    project.events.append(generated_rows())
    project.profiles.update(generated_profiles())
    project.cohorts[:] = [
        {"id": 9001, "name": "Early", "count": 3, "description": None,
         "created": "2024-03-01 00:00:00", "is_visible": 1, "distinct_ids": USERS[:3]},
        {"id": 9002, "name": "Pro plan", "count": 12, "description": None,
         "created": "2024-03-01 00:00:00", "is_visible": 1, "where": 'properties["plan"] == "pro"'},
    ]  # fmt: skip


@pytest.fixture(scope="module", params=list(WINDOWS))
def dataset(request: pytest.FixtureRequest) -> str:
    """Which dataset the module's emulator holds."""
    return str(request.param)


@pytest.fixture(scope="module")
def emu(dataset: str) -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        if dataset == "demo":
            load_demo(emulator.state)
        else:
            seed_generated(emulator.state.default)
        yield emulator


def window(dataset: str, which: str = "a") -> dict[str, str]:
    first, last = WINDOWS[dataset][which]
    return {"from_date": first, "to_date": last}


# --- comparing answers ---------------------------------------------------------------------------

VOLATILE_META = {"computation_time", "query_id"}


def plain(value: Any) -> Any:
    """A frame cell as plain Python: numbers as floats (NaN as None), the rest as is."""
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    return value


def frame(table: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    """A polars or pandas frame as (columns, rows of plain cells, in order)."""
    if isinstance(table, pl.DataFrame):
        return table.columns, [tuple(plain(v) for v in r) for r in table.rows()]
    rows = [tuple(plain(v) for v in r) for r in table.itertuples(index=False)]
    return [str(c) for c in table.columns], rows


def close(a: Any, b: Any) -> bool:
    """Equal, floats to 1e-9 relative (the emulator's per-user sums vary in the last place
    from call to call, see `test_per_user_answers_are_deterministic`)."""
    if isinstance(a, float) or isinstance(b, float):
        num = (int, float)
        return isinstance(a, num) and isinstance(b, num) and math.isclose(a, b, rel_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def same_frames(mine: Any, theirs: Any) -> None:
    """Same columns, in the same order, and the same rows, in the same order."""
    ours_cols, ours_rows = frame(mine)
    their_cols, their_rows = frame(theirs)
    assert ours_cols == their_cols
    assert close(ours_rows, their_rows), (ours_rows[:5], their_rows[:5])


def same_fields(mine: Any, theirs: Any, names: tuple[str, ...]) -> None:
    """The named attributes agree (`meta` without its per-call entries)."""
    for name in names:
        a, b = getattr(mine, name), getattr(theirs, name)
        if name == "meta":
            a = {k: v for k, v in a.items() if k not in VOLATILE_META}
            b = {k: v for k, v in b.items() if k not in VOLATILE_META}
        assert close(a, b), (name, a, b)


def outcome(call: Callable[[], Any]) -> Any:
    """The peer's result, or its refusal: (`QueryError`, Mixpanel's text, status) or
    (`BookmarkValidationError`, the codes)."""
    try:
        return call()
    except headless.QueryError as exc:
        return ("QueryError", str(exc), exc.status_code)
    except headless.BookmarkValidationError as exc:
        return ("BookmarkValidationError", sorted(e.code for e in exc.errors))


async def outcome_async(call: Callable[[], Any]) -> Any:
    """Our result, or our refusal as `outcome` has it. Our `QueryError` message puts
    `Request failed (400 POST <url>): ` before Mixpanel's text; the text is compared."""
    try:
        return await call()
    except QueryError as exc:
        body = exc.response_body
        text = body.get("error") if isinstance(body, dict) else None
        if text is None:  # an error in a 200 answer: the message is the whole text
            return ("QueryError", str(exc), exc.status_code)
        return ("QueryError", text if str(exc).endswith(f": {text}") else str(exc), exc.status_code)
    except BookmarkValidationError as exc:
        return ("BookmarkValidationError", sorted(e["code"] for e in exc.details["errors"]))


def refused_alike(mine: Any, theirs: Any) -> bool:
    """Both refused alike (True), or both answered (False)."""
    if isinstance(mine, tuple) or isinstance(theirs, tuple):
        assert mine == theirs
        assert mine[0] != "QueryError" or mine[2] == 400  # Mixpanel's 4xx shape, never a 5xx
        return True
    return False


# --- query / run_params --------------------------------------------------------------------------

Case = tuple[Any, str, Callable[[Any], dict[str, Any]]]
"""(events, window `a` or `b`, the keywords built from a library module `L`)."""
AMT = {"math_property": "amount"}

# fmt: off
QUERY_CASES: dict[str, Case] = {
    "plain": ("Log In", "a", lambda L: {}),
    "two-unique-by-plan": (["Sign Up", "Purchase"], "a",
                           lambda L: {"math": "unique", "group_by": "plan"}),
    "week": ("View Page", "a", lambda L: {"unit": "week"}),
    "month-fall": ("Log In", "b", lambda L: {"unit": "month"}),
    "hour-dst": ("Purchase", "a", lambda L: {"unit": "hour"}),
    "hour-dst-fall": ("Sign Up", "b", lambda L: {"unit": "hour", "math": "unique"}),
    "quarter": ("Log In", "b", lambda L: {"unit": "quarter"}),
    "total-mode": (["Log In", "Search"], "a", lambda L: {"mode": "total"}),
    "table-by-platform": ("Log In", "a", lambda L: {"mode": "table", "group_by": "platform"}),
    "dau": ("Log In", "b", lambda L: {"math": "dau"}),
    "wau": ("Log In", "a", lambda L: {"math": "wau", "unit": "week"}),
    "mau": ("View Page", "b", lambda L: {"math": "mau"}),
    "average": ("Purchase", "a", lambda L: {"math": "average", **AMT}),
    "median-total": ("Purchase", "b", lambda L: {"math": "median", "mode": "total", **AMT}),
    "min": ("Purchase", "a", lambda L: {"math": "min", "unit": "week", **AMT}),
    "max": ("Purchase", "b", lambda L: {"math": "max", **AMT}),
    "p90": ("Purchase", "a", lambda L: {"math": "p90", "mode": "total", **AMT}),
    "percentile": ("Purchase", "a",
                   lambda L: {"math": "percentile", "percentile_value": 75, **AMT}),
    "histogram": ("Purchase", "a", lambda L: {"math": "histogram", "per_user": "total", **AMT}),
    "unique-values": ("Purchase", "a",
                      lambda L: {"math": "unique_values", "math_property": "plan"}),
    "cumulative-unique": ("Log In", "a", lambda L: {"math": "cumulative_unique"}),
    "sessions": ("Log In", "a", lambda L: {"math": "sessions"}),
    "per-user": ("Purchase", "a", lambda L: {"math": "average", "per_user": "total", **AMT}),
    "per-user-max": ("Log In", "b", lambda L: {"math": "max", "per_user": "max", **AMT}),
    "where-equals": ("Log In", "a", lambda L: {"where": L.Filter.equals("plan", "pro")}),
    "where-list": ("View Page", "b", lambda L: {"where": [
        L.Filter.is_set("platform"), L.Filter.not_equals("plan", "free")]}),
    "where-number": ("Purchase", "a", lambda L: {"where": L.Filter.greater_than("amount", 10)}),
    "where-not-set": ("Log In", "b", lambda L: {"where": L.Filter.is_not_set("plan")}),
    "where-contains": ("Log In", "a", lambda L: {
        "where": L.Filter.contains("plan", "r"), "group_by": "plan"}),
    "two-levels": (["Log In", "Purchase"], "a", lambda L: {
        "group_by": ["plan", "platform"], "mode": "total"}),
    "two-levels-dated": ("Search", "b", lambda L: {"group_by": ["platform", "$os"]}),
    "by-os-sparse": ("View Page", "b", lambda L: {"group_by": "$os", "unit": "week"}),
    "by-number-buckets": ("Purchase", "a", lambda L: {"group_by": L.GroupBy(
        "amount", property_type="number", bucket_size=20, bucket_min=0, bucket_max=100)}),
    "limit-like-top": ("View Page", "a", lambda L: {"group_by": "plan", "mode": "total"}),
    "formula": (["Sign Up", "Purchase"], "a",
                lambda L: {"formula": "B / A", "formula_label": "ratio"}),
    "formula-items": ([("Metric", "Sign Up", "unique"), ("Metric", "Log In", "unique"),
                       ("Formula", "B / A")], "b", lambda L: {"mode": "total"}),
    "metric-filters": ([("MetricF", "Purchase", "total")], "a", lambda L: {"unit": "week"}),
    "rolling": ("Log In", "a", lambda L: {"rolling": 3}),
    "cumulative": ("Log In", "b", lambda L: {"cumulative": True}),
    "time-comparison": ("Log In", "a",
                        lambda L: {"time_comparison": L.TimeComparison.relative("week")}),
    "in-cohort": ("Log In", "a", lambda L: {"where": L.Filter.in_cohort(9002, "Pro plan")}),
    "cohort-breakdown": ("Log In", "a",
                         lambda L: {"group_by": L.CohortBreakdown(9002, "Pro plan")}),
    "nothing-happened": ("Never Happened", "a", lambda L: {}),
    "nothing-total": ("Never Happened", "a", lambda L: {"mode": "total", "group_by": "plan"}),
}
# fmt: on


def events_of(L: Any, events: Any) -> Any:
    """The events argument with `("Metric", ...)`/`("Formula", ...)` items built from `L`."""
    if not isinstance(events, list):
        return events
    built: list[Any] = []
    for item in events:
        if isinstance(item, str):
            built.append(item)
        elif item[0] == "Metric":
            built.append(L.Metric(item[1], math=item[2]))
        elif item[0] == "MetricF":
            built.append(L.Metric(item[1], math=item[2], filters=[L.Filter.is_set("plan")]))
        else:
            built.append(L.Formula(item[1], label="share"))
    return built


QUERY_FIELDS = ("from_date", "to_date", "headers", "series", "params", "meta")


@pytest.mark.parametrize("name", list(QUERY_CASES))
async def test_query(ours: AsyncWorkspace, peer: Any, dataset: str, name: str) -> None:
    events, which, options = QUERY_CASES[name]
    args = window(dataset, which)
    theirs = outcome(lambda: peer.query(events_of(headless, events), **args, **options(headless)))
    mine = await outcome_async(
        lambda: ours.query(events_of(mixpanel_async, events), **args, **options(mixpanel_async))
    )
    if refused_alike(mine, theirs):
        return
    same_fields(mine, theirs, QUERY_FIELDS)
    same_frames(mine.df, theirs.df)
    # the bookmark run again as params, with a segment limit
    again = await ours.run_params(theirs.params, limit=2)
    assert close(again.series, peer.run_params(theirs.params, limit=2).series)


# --- query_funnel / run_funnel_params ------------------------------------------------------------

STEPS3 = ["Sign Up", "View Page", "Purchase"]

# fmt: off
FUNNEL_CASES: dict[str, Case] = {
    "plain": (["Sign Up", "Purchase"], "a", lambda L: {}),
    "three-2-days": (STEPS3, "a", lambda L: {"conversion_window": 2}),
    "hours-dst": (["Log In", "Search"], "a",
                  lambda L: {"conversion_window": 30, "conversion_window_unit": "hour"}),
    "minutes": (["Log In", "View Page"], "b",
                lambda L: {"conversion_window": 90, "conversion_window_unit": "minute"}),
    "week-window": (STEPS3, "b", lambda L: {"conversion_window": 1,
                                            "conversion_window_unit": "week"}),
    "any-order": (STEPS3, "a", lambda L: {"order": "any"}),
    "repeated-step": (["Log In", "Log In", "Purchase"], "a", lambda L: {}),
    "rate-total": (["Log In", "Search"], "a", lambda L: {"math": "conversion_rate_total"}),
    "rate-session": (["Log In", "Search"], "a", lambda L: {"math": "conversion_rate_session"}),
    "unique": (["Sign Up", "Purchase"], "b", lambda L: {"math": "unique"}),
    "total": (["Sign Up", "Purchase"], "a", lambda L: {"math": "total"}),
    "average-amount": (["Sign Up", "Purchase"], "a", lambda L: {"math": "average", **AMT}),
    "by-plan": (STEPS3, "a", lambda L: {"group_by": "plan"}),
    "by-two": (["Log In", "Purchase"], "b", lambda L: {"group_by": ["plan", "platform"]}),
    "where": (STEPS3, "a", lambda L: {"where": L.Filter.equals("plan", ["pro", "team"])}),
    "where-sparse": (["Log In", "Search"], "b", lambda L: {"where": L.Filter.is_set("$os")}),
    "step-filters": ([("Step", "Sign Up"), ("StepF", "Purchase")], "a", lambda L: {}),
    "exclusion": (STEPS3, "a", lambda L: {"exclusions": ["Search"]}),
    "exclusion-typed": (STEPS3, "b", lambda L: {"exclusions": [L.Exclusion("Log In", 1, 2)]}),
    "hold-plan": (["Log In", "Purchase"], "a", lambda L: {"holding_constant": "plan"}),
    "trends": (["Sign Up", "Purchase"], "a", lambda L: {"mode": "trends"}),
    "trends-week": (["Log In", "Search"], "b", lambda L: {"mode": "trends", "unit": "week"}),
    "table": (["Sign Up", "Purchase"], "a", lambda L: {"mode": "table", "group_by": "plan"}),
    "reentry-basic": (["Log In", "Search"], "a", lambda L: {"reentry_mode": "basic"}),
    "session-window": (["Log In", "Search"], "a",
                       lambda L: {"conversion_window": 1, "conversion_window_unit": "session"}),
    "time-comparison": (["Sign Up", "Purchase"], "a",
                        lambda L: {"time_comparison": L.TimeComparison.relative("week")}),
    "cohort-breakdown": (["Sign Up", "Purchase"], "a",
                         lambda L: {"group_by": L.CohortBreakdown(9002, "Pro plan")}),
    "nothing": (["Never Happened", "Purchase"], "a", lambda L: {}),
}
# fmt: on
FUNNEL_FIELDS = ("from_date", "to_date", "steps_data", "series", "params", "meta")


def steps_of(L: Any, steps: list[Any]) -> list[Any]:
    """Funnel steps with `("Step", ...)`/`("StepF", ...)` items built from `L`."""
    built: list[Any] = []
    for step in steps:
        if isinstance(step, str):
            built.append(step)
        elif step[0] == "Step":
            built.append(L.FunnelStep(step[1], label=f"{step[1]}!"))
        else:
            built.append(L.FunnelStep(step[1], filters=[L.Filter.greater_than("amount", 10)]))
    return built


@pytest.mark.parametrize("name", list(FUNNEL_CASES))
async def test_query_funnel(ours: AsyncWorkspace, peer: Any, dataset: str, name: str) -> None:
    steps, which, options = FUNNEL_CASES[name]
    args = window(dataset, which)
    theirs = outcome(
        lambda: peer.query_funnel(steps_of(headless, steps), **args, **options(headless))
    )
    mine = await outcome_async(
        lambda: ours.query_funnel(
            steps_of(mixpanel_async, steps), **args, **options(mixpanel_async)
        )
    )
    if refused_alike(mine, theirs):
        return
    same_fields(mine, theirs, FUNNEL_FIELDS)
    assert close(mine.overall_conversion_rate, theirs.overall_conversion_rate)
    same_frames(mine.df, theirs.df)
    again = await ours.run_funnel_params(theirs.params)
    assert close(again.steps_data, peer.run_funnel_params(theirs.params).steps_data)


# --- query_retention / run_retention_params ------------------------------------------------------

# fmt: off
RETENTION_CASES: dict[str, Case] = {
    "plain": (("Sign Up", "Log In"), "a", lambda L: {}),
    "day": (("Sign Up", "Log In"), "a", lambda L: {"retention_unit": "day"}),
    "day-fall": (("Log In", "Log In"), "b", lambda L: {"retention_unit": "day"}),
    "month": (("Sign Up", "View Page"), "b", lambda L: {"retention_unit": "month"}),
    "interval-start": (("Sign Up", "Log In"), "a",
                       lambda L: {"retention_unit": "day", "alignment": "interval_start"}),
    "buckets": (("Sign Up", "Log In"), "a", lambda L: {"retention_unit": "day",
                                                        "bucket_sizes": [1, 3, 7]}),
    "weekly-cohorts": (("Log In", "Search"), "b", lambda L: {"unit": "week"}),
    "unique": (("Sign Up", "Log In"), "a", lambda L: {"math": "unique"}),
    "total": (("Sign Up", "Log In"), "a", lambda L: {"math": "total"}),
    "average": (("Sign Up", "Log In"), "b", lambda L: {"math": "average"}),
    "by-plan": (("Sign Up", "Log In"), "a", lambda L: {"group_by": "plan",
                                                        "retention_unit": "day"}),
    "by-platform-sparse": (("Log In", "View Page"), "b", lambda L: {"group_by": "platform"}),
    "where": (("Sign Up", "Log In"), "a", lambda L: {"where": L.Filter.equals("plan", "pro")}),
    "event-filters": ((("Born", "Sign Up"), ("BackF", "Purchase")), "a",
                      lambda L: {"retention_unit": "day"}),
    "trends": (("Sign Up", "Log In"), "a", lambda L: {"mode": "trends"}),
    "table": (("Sign Up", "Log In"), "a", lambda L: {"mode": "table"}),
    "carry-forward": (("Sign Up", "Log In"), "a", lambda L: {"unbounded_mode": "carry_forward",
                                                              "retention_unit": "day"}),
    "carry-back": (("Sign Up", "Log In"), "b", lambda L: {"unbounded_mode": "carry_back"}),
    "cumulative": (("Sign Up", "Log In"), "a", lambda L: {"retention_cumulative": True}),
    "time-comparison": (("Sign Up", "Log In"), "a",
                        lambda L: {"time_comparison": L.TimeComparison.relative("week")}),
    "cohort-breakdown": (("Sign Up", "Log In"), "a",
                         lambda L: {"group_by": L.CohortBreakdown(9002, "Pro plan")}),
    "nothing": (("Never Happened", "Log In"), "a", lambda L: {}),
}
# fmt: on
RETENTION_FIELDS = (
    "from_date",
    "to_date",
    "cohorts",
    "average",
    "params",
    "meta",
    "segments",
    "segment_averages",
)  # fmt: skip


def retention_event(L: Any, spec: Any) -> Any:
    """An event name, or a `RetentionEvent` (with a filter for `BackF`) built from `L`."""
    if isinstance(spec, str):
        return spec
    filters = [L.Filter.greater_than("amount", 10)] if spec[0] == "BackF" else None
    return L.RetentionEvent(spec[1], filters=filters)


@pytest.mark.parametrize("name", list(RETENTION_CASES))
async def test_query_retention(ours: AsyncWorkspace, peer: Any, dataset: str, name: str) -> None:
    (born, back), which, options = RETENTION_CASES[name]
    args = window(dataset, which)

    def call(L: Any, ws: Any) -> Any:
        return ws.query_retention(
            retention_event(L, born), retention_event(L, back), **args, **options(L)
        )

    theirs = outcome(lambda: call(headless, peer))
    mine = await outcome_async(lambda: call(mixpanel_async, ours))
    if refused_alike(mine, theirs):
        return
    same_fields(mine, theirs, RETENTION_FIELDS)
    same_frames(mine.df, theirs.df)
    again = await ours.run_retention_params(theirs.params)
    assert close(again.cohorts, peer.run_retention_params(theirs.params).cohorts)


# --- query_flow / run_flow_params ----------------------------------------------------------------

# fmt: off
FLOW_CASES: dict[str, Case] = {
    "plain": ("Sign Up", "a", lambda L: {}),
    "forward-reverse": ("Log In", "a", lambda L: {"forward": 2, "reverse": 2}),
    "reverse-only": ("Purchase", "b", lambda L: {"forward": 0, "reverse": 3}),
    "total": ("Log In", "a", lambda L: {"count_type": "total", "cardinality": 5}),
    "session": ("Log In", "a", lambda L: {"count_type": "session"}),
    "cardinality-1": ("View Page", "b", lambda L: {"cardinality": 1}),
    "collapse": ("Log In", "a", lambda L: {"collapse_repeated": True, "forward": 4}),
    "hidden": ("Sign Up", "a", lambda L: {"hidden_events": ["View Page"]}),
    "window-week": ("Sign Up", "b", lambda L: {"conversion_window": 1,
                                               "conversion_window_unit": "week"}),
    "window-session": ("Sign Up", "a", lambda L: {"conversion_window_unit": "session"}),
    "step": (("Flow", "Search", 1, 1), "a", lambda L: {}),
    "two-anchors": ([("Flow", "Sign Up", 2, 0), ("Flow", "Purchase", 1, 1)], "a", lambda L: {}),
    "paths": ("Log In", "a", lambda L: {"mode": "paths"}),
    "paths-reverse-total": ("Purchase", "b", lambda L: {"mode": "paths", "reverse": 2,
                                                        "count_type": "total"}),
    "tree": ("Sign Up", "a", lambda L: {"mode": "tree"}),
    "tree-deep": ("Log In", "b", lambda L: {"mode": "tree", "forward": 5, "cardinality": 2}),
    "segments": ("Sign Up", "a", lambda L: {"segments": "plan"}),
    "exclusions": ("Sign Up", "a", lambda L: {"exclusions": ["Search"]}),
    "nothing": ("Never Happened", "a", lambda L: {}),
    "nothing-tree": ("Never Happened", "a", lambda L: {"mode": "tree"}),
}
# fmt: on
FLOW_FIELDS = (
    "steps",
    "flows",
    "breakdowns",
    "overall_conversion_rate",
    "params",
    "meta",
    "mode",
)  # fmt: skip


def flow_event(L: Any, spec: Any) -> Any:
    """An event name, or `FlowStep`s built from `L` for `("Flow", event, forward, reverse)`."""
    if isinstance(spec, list):
        return [flow_event(L, s) for s in spec]
    if isinstance(spec, tuple):
        return L.FlowStep(spec[1], forward=spec[2], reverse=spec[3])
    return spec


def tree_dicts(trees: list[Any]) -> list[dict[str, Any]]:
    return [t.to_dict() for t in trees]


@pytest.mark.parametrize("name", list(FLOW_CASES))
async def test_query_flow(ours: AsyncWorkspace, peer: Any, dataset: str, name: str) -> None:
    event, which, options = FLOW_CASES[name]
    args = window(dataset, which)
    theirs = outcome(
        lambda: peer.query_flow(flow_event(headless, event), **args, **options(headless))
    )
    mine = await outcome_async(
        lambda: ours.query_flow(
            flow_event(mixpanel_async, event), **args, **options(mixpanel_async)
        )
    )
    if refused_alike(mine, theirs):
        return
    same_fields(mine, theirs, FLOW_FIELDS)
    assert tree_dicts(mine.trees) == tree_dicts(theirs.trees)
    same_frames(mine.df, theirs.df)
    same_frames(mine.nodes_df, theirs.nodes_df)
    same_frames(mine.edges_df, theirs.edges_df)
    # the peer's unstable pandas sort orders equal counts arbitrarily; ours keeps edge order
    assert [c for *_, c in mine.top_transitions(3)] == [c for *_, c in theirs.top_transitions(3)]
    assert sorted(mine.top_transitions(10_000)) == sorted(theirs.top_transitions(10_000))
    assert mine.drop_off_summary() == theirs.drop_off_summary()
    for mode in ("sankey", "paths", "tree"):  # the same bookmark read in every mode
        again = await outcome_async(lambda m=mode: ours.run_flow_params(theirs.params, mode=m))
        their_again = outcome(lambda m=mode: peer.run_flow_params(theirs.params, mode=m))
        if not refused_alike(again, their_again):
            same_fields(again, their_again, ("steps", "flows", "mode"))
            assert tree_dicts(again.trees) == tree_dicts(their_again.trees)


# --- query_user / run_user_params ----------------------------------------------------------------

PROFILES = {"mode": "profiles"}
# fmt: off
USER_CASES: dict[str, dict[str, Any]] = {
    "count": {},
    "count-where": {"where": 'properties["plan"] == "pro"'},
    "count-cohort": {"cohort": 9002},
    "extremes": {"aggregate": "extremes", "aggregate_property": "ltv"},
    "extremes-text": {"aggregate": "extremes", "aggregate_property": "$city"},
    "percentile": {"aggregate": "percentile", "aggregate_property": "ltv", "percentile": 90},
    "summary": {"aggregate": "numeric_summary", "aggregate_property": "ltv"},
    "segmented": {"segment_by": [9001, 9002]},
    "segmented-extremes": {"segment_by": [9002], "aggregate": "extremes",
                           "aggregate_property": "ltv"},
    "one-profile": PROFILES,
    "profiles-10": {**PROFILES, "limit": 10},
    "profiles-all": {**PROFILES, "limit": None},
    "profiles-where": {**PROFILES, "limit": None, "where": 'defined(properties["ltv"])'},
    "profiles-sorted": {**PROFILES, "limit": 30, "sort_by": "ltv", "sort_order": "ascending"},
    "profiles-props": {**PROFILES, "limit": 20, "properties": ["$email", "plan"]},
    "profiles-search": {**PROFILES, "limit": None, "search": "Paris"},
    "profiles-cohort": {**PROFILES, "limit": None, "cohort": 9001},
    "profiles-cohort-all": {**PROFILES, "limit": None, "cohort": 9001,
                            "include_all_users": True},
    "profiles-ids": {**PROFILES, "limit": None, "distinct_ids": ["u01", "u05", "nobody"]},
    "profiles-parallel": {**PROFILES, "limit": None, "parallel": True, "workers": 2},
    "profiles-none": {**PROFILES, "limit": None, "where": 'properties["plan"] == "nope"'},
}
# fmt: on
USER_FIELDS = ("total", "profiles", "params", "mode", "aggregate_data", "distinct_ids", "value")


@pytest.mark.parametrize("name", list(USER_CASES))
async def test_query_user(ours: AsyncWorkspace, peer: Any, name: str) -> None:
    args = USER_CASES[name]
    theirs = outcome(lambda: peer.query_user(**args))
    mine = await outcome_async(lambda: ours.query_user(**args))
    if refused_alike(mine, theirs):
        return
    same_fields(mine, theirs, USER_FIELDS)
    same_frames(mine.df, theirs.df)
    limit, parallel = args.get("limit", 1), args.get("parallel", False)
    again = await ours.run_user_params(theirs.params, limit=limit, parallel=parallel)
    their_again = peer.run_user_params(theirs.params, limit=limit, parallel=parallel)
    same_fields(again, their_again, USER_FIELDS)
