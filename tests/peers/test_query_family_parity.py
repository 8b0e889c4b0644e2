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
