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
                name = "Sign Up" if k == 0 else rng.choice(NAMES[1:] + ["Log In", "View Page"])
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
        assert str(exc).endswith(f": {text}")
        return ("QueryError", text, exc.status_code)
    except BookmarkValidationError as exc:
        return ("BookmarkValidationError", sorted(e["code"] for e in exc.details["errors"]))


def refused_alike(mine: Any, theirs: Any) -> bool:
    """Both refused alike (True), or both answered (False)."""
    if isinstance(mine, tuple) or isinstance(theirs, tuple):
        assert mine == theirs
        return True
    return False


# --- query / run_params --------------------------------------------------------------------------

Case = tuple[Any, Callable[[Any], dict[str, Any]], str]
L = Any  # the library module a case builds its arguments from

QUERY_CASES: dict[str, Case] = {
    "plain": ("Log In", lambda L: {}, "a"),
    "two-unique-by-plan": (
        ["Sign Up", "Purchase"],
        lambda L: {"math": "unique", "group_by": "plan"},
        "a",
    ),  # noqa: E501
    "week": ("View Page", lambda L: {"unit": "week"}, "a"),
    "month-fall": ("Log In", lambda L: {"unit": "month"}, "b"),
    "hour-dst": ("Purchase", lambda L: {"unit": "hour"}, "a"),
    "hour-dst-fall": ("Sign Up", lambda L: {"unit": "hour", "math": "unique"}, "b"),
    "total-mode": (["Log In", "Search"], lambda L: {"mode": "total"}, "a"),
    "table-by-platform": ("Log In", lambda L: {"mode": "table", "group_by": "platform"}, "a"),
    "dau": ("Log In", lambda L: {"math": "dau"}, "b"),
    "wau": ("Log In", lambda L: {"math": "wau", "unit": "week"}, "a"),
    "mau": ("View Page", lambda L: {"math": "mau"}, "b"),
    "average": ("Purchase", lambda L: {"math": "average", "math_property": "amount"}, "a"),
    "median-total": (
        "Purchase",
        lambda L: {"math": "median", "math_property": "amount", "mode": "total"},
        "b",
    ),  # noqa: E501
    "min": ("Purchase", lambda L: {"math": "min", "math_property": "amount", "unit": "week"}, "a"),
    "max": ("Purchase", lambda L: {"math": "max", "math_property": "amount"}, "b"),
    "p90": ("Purchase", lambda L: {"math": "p90", "math_property": "amount", "mode": "total"}, "a"),
    "percentile": (
        "Purchase",
        lambda L: {"math": "percentile", "math_property": "amount", "percentile_value": 75},
        "a",
    ),  # noqa: E501
    "histogram": (
        "Purchase",
        lambda L: {"math": "histogram", "math_property": "amount", "per_user": "total"},
        "a",
    ),
    "unique-values": (
        "Purchase",
        lambda L: {"math": "unique_values", "math_property": "plan"},
        "a",
    ),  # noqa: E501
    "cumulative-unique": ("Log In", lambda L: {"math": "cumulative_unique"}, "a"),
    "sessions": ("Log In", lambda L: {"math": "sessions"}, "a"),
    "per-user": (
        "Purchase",
        lambda L: {"math": "average", "math_property": "amount", "per_user": "total"},
        "a",
    ),  # noqa: E501
    "where-equals": ("Log In", lambda L: {"where": L.Filter.equals("plan", "pro")}, "a"),
    "where-list": (
        "View Page",
        lambda L: {"where": [L.Filter.is_set("platform"), L.Filter.not_equals("plan", "free")]},
        "b",
    ),  # noqa: E501
    "where-number": ("Purchase", lambda L: {"where": L.Filter.greater_than("amount", 10)}, "a"),
    "where-contains": (
        "Log In",
        lambda L: {"where": L.Filter.contains("plan", "r"), "group_by": "plan"},
        "a",
    ),  # noqa: E501
    "two-levels": (
        ["Log In", "Purchase"],
        lambda L: {"group_by": ["plan", "platform"], "mode": "total"},
        "a",
    ),  # noqa: E501
    "by-os-sparse": ("View Page", lambda L: {"group_by": "$os", "unit": "week"}, "b"),
    "groupby-number": (
        "Purchase",
        lambda L: {
            "group_by": L.GroupBy(
                "amount", property_type="number", bucket_size=20, bucket_min=0, bucket_max=100
            )
        },
        "a",
    ),  # noqa: E501
    "formula": (
        ["Sign Up", "Purchase"],
        lambda L: {"formula": "B / A", "formula_label": "ratio"},
        "a",
    ),  # noqa: E501
    "formula-items": (
        [("Metric", "Sign Up", "unique"), ("Metric", "Log In", "unique"), ("Formula", "B / A")],
        lambda L: {"mode": "total"},
        "b",
    ),  # noqa: E501
    "metric-filters": ([("MetricF", "Purchase", "total")], lambda L: {"unit": "week"}, "a"),
    "rolling": ("Log In", lambda L: {"rolling": 3}, "a"),
    "cumulative": ("Log In", lambda L: {"cumulative": True}, "b"),
    "time-comparison": (
        "Log In",
        lambda L: {"time_comparison": L.TimeComparison.relative("week")},
        "a",
    ),  # noqa: E501
    "in-cohort": ("Log In", lambda L: {"where": L.Filter.in_cohort(9002, "Pro plan")}, "a"),
    "cohort-breakdown": (
        "Log In",
        lambda L: {"group_by": L.CohortBreakdown(9002, "Pro plan")},
        "a",
    ),  # noqa: E501
    "nothing-happened": ("Never Happened", lambda L: {}, "a"),
    "nothing-total": ("Never Happened", lambda L: {"mode": "total", "group_by": "plan"}, "a"),
}


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
    events, options, which = QUERY_CASES[name]
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
