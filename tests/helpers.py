"""Plain helpers the test modules share (fixtures live in the conftest.py files).

Import them as `from tests.helpers import ...`; each is written here once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import math
import random
import subprocess
import sys
import time
import zoneinfo
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import orjson
import polars as pl
import pytest
from aiohttp import web

from mixpanel_async import AsyncWorkspace, BookmarkValidationError, ParamValidationError, QueryError
from mixpanel_async.emulator.store import EventRow, ProjectState
from mixpanel_async.pytest_plugin import fast_retry_policy
from mixpanel_async.transport import codec

# --- retries -------------------------------------------------------------------------------------

FAST = fast_retry_policy(attempts=3)
"""Three attempts, milliseconds apart: for workspaces a test builds itself (the plugin's
`mixpanel_workspace` is fast already)."""

# --- time and events -----------------------------------------------------------------------------

DAY = 86_400


def ts(text: str) -> int:
    """Unix seconds of an ISO timestamp read as UTC."""
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp())


def ms(text: str) -> int:
    """Unix milliseconds of an ISO timestamp read as UTC."""
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp() * 1000)


def today_moment() -> int:
    """A moment of today (UTC, Unix seconds) that has already passed."""
    now = int(time.time())
    start = now - now % DAY
    return start + (now - start) // 2


def ev(name: str, user: str, at: int, insert_id: str | None = None, **props: Any) -> dict[str, Any]:
    """An event as Mixpanel takes it (`time` in seconds, `distinct_id` and `$insert_id` inside
    `properties`), for `rows_of` or an import."""
    properties: dict[str, Any] = {"time": at, "distinct_id": user, **props}
    if insert_id is not None:
        properties["$insert_id"] = insert_id
    return {"event": name, "properties": properties}


def row(
    event: str, user: str, time_ms: int, insert_id: str | None = None, **props: Any
) -> EventRow:
    """An emulator store row per the JSON convention (time in seconds, distinct_id and
    $insert_id inside the properties)."""
    properties: dict[str, Any] = {"distinct_id": user, "time": time_ms // 1000, **props}
    if insert_id is not None:
        properties["$insert_id"] = insert_id
    return (event, user, time_ms, insert_id, orjson.dumps(properties).decode())


# --- discovery seed (client and peer tests of the same questions) --------------------------------

FUNNELS = [
    {"funnel_id": 12, "name": "Signup flow", "steps": ["Page View", "Sign Up"]},
    {"funnel_id": 11, "name": "Checkout", "steps": ["Sign Up", "Purchase"]},
]
COHORTS = [
    {"id": 9002, "name": "Pro plan", "count": 2, "description": "Profiles on pro",
     "created": "2024-02-05 10:00:00", "is_visible": 1, "where": 'properties["plan"] == "pro"'},
    {"id": 9001, "name": "Buyers", "count": 1, "description": None,
     "created": "2024-02-05 09:00:00", "is_visible": 0, "distinct_ids": ["alice"]},
]  # fmt: skip

# --- saved reports -------------------------------------------------------------------------------


def flows_report(
    event: str, from_date: str, to_date: str, *, forward: int = 1, **changes: Any
) -> dict[str, Any]:
    """A flows report as mixpanel_headless's `build_flow_params` writes it: one step at `event`
    (`forward` steps after it, one before) over the dates; `changes` replace top-level keys."""
    params: dict[str, Any] = {
        "steps": [{"event": event, "step_label": event, "forward": forward, "reverse": 1,
                   "bool_op": "and", "property_filter_params_list": []}],
        "date_range": {"type": "between", "from_date": from_date, "to_date": to_date},
        "chartType": "sankey", "flows_merge_type": "graph", "count_type": "unique",
        "cardinality_threshold": 3, "version": 2,
        "conversion_window": {"unit": "day", "value": 7}, "anchor_position": 1,
        "collapse_repeated": False, "show_custom_events": True, "hidden_events": [],
        "exclusions": [],
    }  # fmt: skip
    params.update(changes)
    return params


async def save_report(ws: AsyncWorkspace, kind: str, params: Any) -> int:
    """Save a report of `kind` (named after it) on a new dashboard; its bookmark id."""
    dashboard = await ws.create_dashboard({"title": f"{kind} reports"})
    created = await ws.create_bookmark(
        {"name": kind, "type": kind, "params": params, "dashboard_id": dashboard.id}
    )
    return created.id


# --- App API entities ----------------------------------------------------------------------------


async def refused(
    request: Awaitable[Any], status: int | None = None, match: str | None = None
) -> QueryError:
    """`request` fails with a `QueryError` (whose message matches `match`, whose HTTP status
    is `status`, where given); the error, for further checks."""
    with pytest.raises(QueryError, match=match) as info:
        await request
    if status is not None:
        assert info.value.status_code == status
    return info.value


async def deleted(
    delete: Callable[[Any], Awaitable[Any]], get: Callable[[Any], Awaitable[Any]], entity_id: Any
) -> None:
    """`delete(entity_id)` succeeds, and then `get(entity_id)` answers 404."""
    await delete(entity_id)
    await refused(get(entity_id), 404)


def sends_nothing(*cases: tuple[Callable[[AsyncWorkspace], Awaitable[Any]], str]) -> Any:
    """A test, parametrised over `(call, match)` cases: `call(ws)` raises `ParamValidationError`
    matching `match` on the plugin's offline workspace (every request would fail), so the
    argument was refused before anything was sent. Assign it to a `test_...` name."""

    @pytest.mark.parametrize(("call", "match"), cases)
    async def test(
        mixpanel_offline_workspace: AsyncWorkspace,
        call: Callable[[AsyncWorkspace], Awaitable[Any]],
        match: str,
    ) -> None:
        with pytest.raises(ParamValidationError, match=match):
            await call(mixpanel_offline_workspace)

    return test


# --- a bare HTTP server --------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """Serve `app` on a free loopback port; its base URL."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


# --- the peer ------------------------------------------------------------------------------------


def same(theirs: Any, mine: Any) -> None:
    """A peer model and ours carry equal values in every field both have (by wire name)."""
    a = theirs.model_dump(mode="json", by_alias=True, exclude_none=True)
    b = codec.unstructure(mine)
    shared = a.keys() & b.keys()
    assert {"id", "name"} <= shared or {"id", "description"} <= shared
    assert {k: a[k] for k in shared} == {k: b[k] for k in shared}


def all_same(theirs: list[Any], mine: list[Any]) -> None:
    """Two lists of the same length whose items pair up under `same`."""
    assert len(theirs) == len(mine)
    for a, b in zip(theirs, mine, strict=True):
        same(a, b)


# --- a generated dataset around DST changes, with sparse properties ------------------------------

DST_TZ = "America/New_York"
DST_WINDOWS = {"a": ("2024-03-04", "2024-03-17"), "b": ("2024-10-28", "2024-11-10")}
"""Two windows of the generated dataset, each holding a DST change of New York."""
DST_EVENTS = ["Sign Up", "Log In", "View Page", "Search", "Purchase"]
DST_USERS = [f"u{i:02d}" for i in range(24)]
DST_GAPS = [20, 300, 3_600, 7_200, 30_000, 80_000, 200_000]  # seconds between a user's events


def local_midnight(day: str) -> int:
    """Unix seconds of `day`'s midnight in New York."""
    moment = dt.datetime.fromisoformat(day).replace(tzinfo=zoneinfo.ZoneInfo(DST_TZ))
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


def dst_rows(seed: int = 20240310) -> list[Any]:
    """Events of every user in both generated windows, ordered by time."""
    rng = random.Random(seed)
    events = []
    for window, (first, last) in DST_WINDOWS.items():
        start, end = local_midnight(first), local_midnight(last) + 86_400
        for user in DST_USERS:
            at = start + rng.randrange((end - start) * 2 // 3)
            for k in range(rng.randint(2, 12)):
                name = "Sign Up" if k == 0 else rng.choice([*DST_EVENTS[1:], "Log In", "View Page"])
                if at < end:
                    events.append((at, name, user, f"{user}-{window}-{k}", sparse_props(rng, name)))
                at += rng.choice(DST_GAPS) + rng.randrange(60)
    events.sort(key=lambda e: e[0])
    return [row(name, user, at * 1000, iid, **props) for at, name, user, iid, props in events]


def dst_profiles(seed: int = 7) -> dict[str, dict[str, Any]]:
    """A profile per user, with sparse, mixed-type properties."""
    rng = random.Random(seed)
    profiles: dict[str, dict[str, Any]] = {}
    for i, user in enumerate(DST_USERS):
        props: dict[str, Any] = {"$email": f"{user}@example.com", "plan": ["free", "pro"][i % 2]}
        props["$last_seen"] = f"2024-03-{1 + i % 28:02d}T10:00:00"
        if rng.random() < 0.7:
            props["ltv"] = rng.choice([0, 3, 12.5, 40, 250])
        if rng.random() < 0.5:
            props["$city"] = rng.choice(["Paris", "Boston", "Lima"])
        profiles[user] = props
    return profiles


def seed_dst_project(project: ProjectState) -> None:
    """The generated dataset in `project` (New York time), with two cohorts of the demo's
    ids (9001: three users by id; 9002: profiles on the pro plan)."""
    project.timezone = DST_TZ
    project.events.append(dst_rows())
    project.profiles.update(dst_profiles())
    project.cohorts[:] = [
        {"id": 9001, "name": "Early", "count": 3, "description": None,
         "created": "2024-03-01 00:00:00", "is_visible": 1, "distinct_ids": DST_USERS[:3]},
        {"id": 9002, "name": "Pro plan", "count": 12, "description": None,
         "created": "2024-03-01 00:00:00", "is_visible": 1, "where": 'properties["plan"] == "pro"'},
    ]  # fmt: skip


# --- the peer's answers and ours -----------------------------------------------------------------


def headless() -> Any:
    """The peer library's module (imported when a peer test runs, never at collection)."""
    return importlib.import_module("mixpanel_headless")


VOLATILE_META = {"computation_time", "query_id"}


def plain(value: Any) -> Any:
    """A frame cell as plain Python: numbers as floats (NaN as None), the rest as is."""
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
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
    from call to call, see tests/peers/test_query_family_parity.py)."""
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


def peer_outcome(call: Callable[[], Any]) -> Any:
    """The peer's result, or its refusal: (`QueryError`, Mixpanel's text, status) or
    (`BookmarkValidationError`, the codes)."""
    try:
        return call()
    except headless().QueryError as exc:
        return ("QueryError", str(exc), exc.status_code)
    except headless().BookmarkValidationError as exc:
        return ("BookmarkValidationError", sorted(e.code for e in exc.errors))


async def our_outcome(call: Callable[[], Any]) -> Any:
    """Our result, or our refusal as `peer_outcome` has it. Our `QueryError` message puts
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


def without_processing_time(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Exported events without the `mp_processing_time_ms` raw export adds to each (the
    emulator's clock at ingestion), to compare with what was stored."""
    return [
        {
            **e,
            "properties": {
                k: v for k, v in e["properties"].items() if k != "mp_processing_time_ms"
            },
        }
        for e in events
    ]


# --- list and suffix filters (client and peer tests of the same rows) ----------------------------

LIST_START = 1_788_220_800  # 2026-09-01T00:00:00Z
LIST_BRANDS = ["nike", "puma", "Nike", "adidas"]


def _list_item(rng: random.Random) -> Any:
    if rng.random() < 0.08:
        return rng.choice(["nike", 3, None])  # not an object
    item: dict[str, Any] = {}
    if rng.random() < 0.9:
        item["Brand"] = rng.choice(LIST_BRANDS)
    if rng.random() < 0.85:
        item["Price"] = rng.choice([10, 45, 50, 51, 80, "60"])
    if rng.random() < 0.6:
        item["Category"] = rng.choice(["hats", "shoes"])
    return item


def _list_props(rng: random.Random) -> dict[str, Any]:
    props: dict[str, Any] = {}
    shape = rng.random()
    if shape < 0.6:
        props["cart"] = [_list_item(rng) for _ in range(rng.randint(1, 4))]
    elif shape < 0.7:
        props["cart"] = []
    elif shape < 0.8:
        props["cart"] = rng.choice(["nike", 7, {"Brand": "nike"}])
    if rng.random() < 0.7:
        props["tags"] = rng.sample(["new", "sale", "gift", "vip"], rng.randint(0, 3))
    elif rng.random() < 0.5:
        props["tags"] = "sale"
    if rng.random() < 0.8:
        props["email"] = rng.choice(["a@gmail.com", "b@corp.io", "c@GMAIL.COM", "gmail.com.x", 5])
    return props


def list_rows() -> list[dict[str, Any]]:
    """600 seeded events of 2026-09-01..07 (UTC) with list and text properties for list and
    suffix filters: `cart` missing, not a list, empty, or a list of objects (some items not
    objects, sparse keys, `Price` sometimes text), `tags` a list of strings or a string,
    `email` text or a number."""
    rng = random.Random(1212)
    rows = []
    for _ in range(600):
        name = rng.choice(["Purchase", "Purchase", "View", "Sign Up"])
        rows.append(
            ev(
                name,
                f"u{rng.randrange(40)}",
                LIST_START + rng.randrange(7 * DAY),
                **_list_props(rng),
            )
        )
    return rows


def session_numbers(
    events: list[dict[str, Any]], timeout: int = 1800
) -> list[tuple[str, int, str, int]]:
    """(user, session number, event, time) of every event (as `ev` makes them), by user and
    time (ties in input order), a user's sessions numbered from 0: a gap of more than `timeout`
    seconds starts the next one."""
    by_user: dict[str, list[tuple[int, str]]] = {}
    for event in events:
        props = event["properties"]
        by_user.setdefault(props["distinct_id"], []).append((props["time"], event["event"]))
    out = []
    for user, seen in by_user.items():
        number, last = 0, None
        for at, name in sorted(seen, key=lambda e: e[0]):
            if last is not None and at - last > timeout:
                number += 1
            last = at
            out.append((user, number, name, at))
    return out


def fresh_python(code: str, env: Mapping[str, str] | None = None) -> str:
    """What `code` prints in a fresh interpreter, stripped (`env`: its whole environment)."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.strip()
