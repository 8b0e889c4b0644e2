"""Plain helpers the test modules share (fixtures live in the conftest.py files).

Import them as `from tests.helpers import ...`; each is written here once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import orjson
import pytest
from aiohttp import web

from mixpanel_async import AsyncWorkspace, ParamValidationError, QueryError
from mixpanel_async.emulator.store import EventRow
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
