"""`GET /stream/query` (Mixpanel's published activity feed) through the generated builder and the
client's transport, and its bad input over plain HTTP, against the emulator over loopback."""

from __future__ import annotations

import datetime as dt

import aiohttp
import pytest

from mixpanel_async import AsyncWorkspace, QueryError
from mixpanel_async._generated.operations import stream as ops
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev

DAY = 86_400
BASE = int(dt.datetime(2026, 9, 1, tzinfo=dt.UTC).timestamp())
EVENTS = [
    ev("Sign Up", "u1", BASE + 10, "a1", plan="free"),
    ev("Log In", "u1", BASE + DAY + 5, "a2"),
    ev("Log In", "u1", BASE + DAY + 5, "a2"),  # a duplicate: answered once
    ev("Purchase", "u1", BASE + 3 * DAY, "a4", amount=12.5),
    ev("Log In", "u2", BASE + DAY, "b1"),
    ev("Log In", "u3", BASE + DAY, "c1"),
    ev("Log In", "u1", BASE - DAY, "a0"),  # before the window
    ev("Log In", "u1", BASE + 10 * DAY, "a9"),  # after it
]


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(EVENTS))
    return mixpanel_emulator


async def test_stream_query_answers_the_users_events_oldest_first(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    answer = await mixpanel_workspace.api.call(
        ops.stream_query(distinct_ids=["u1", "u2"], from_date="2026-09-01", to_date="2026-09-10")
    )
    first, last = BASE, BASE + 10 * DAY  # the window's whole days, end exclusive
    expected = sorted(
        {
            (e["properties"]["time"], e["event"], e["properties"]["distinct_id"])
            for e in EVENTS
            if e["properties"]["distinct_id"] in {"u1", "u2"}
            and first <= e["properties"]["time"] < last
        }
    )
    got = [
        (e.properties["time"], e.event, e.properties["distinct_id"]) for e in answer.results.events
    ]
    assert got == expected
    assert answer.status == "ok"


async def test_stream_query_for_unknown_users_is_empty(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    answer = await mixpanel_workspace.api.call(
        ops.stream_query(distinct_ids=["nobody"], from_date="2026-09-01", to_date="2026-09-02")
    )
    assert answer.results.events == []


async def test_stream_query_dates_in_the_wrong_order_are_refused(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    with pytest.raises(QueryError):
        await mixpanel_workspace.api.call(
            ops.stream_query(distinct_ids=["u1"], from_date="2026-09-05", to_date="2026-09-01")
        )


@pytest.mark.parametrize(
    "params",
    [
        {"distinct_ids": "u1", "from_date": "2026-09-01", "to_date": "2026-09-02"},
        {"distinct_ids": "[1, 2]", "from_date": "2026-09-01", "to_date": "2026-09-02"},
        {"distinct_ids": '["u1"]', "from_date": "2026-9-1", "to_date": "2026-09-02"},
        {"distinct_ids": '["u1"]', "to_date": "2026-09-02"},
        {"from_date": "2026-09-01", "to_date": "2026-09-02"},
    ],
)
async def test_stream_query_bad_input_is_a_400(seeded: Emulator, params: dict[str, str]) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.get(
            seeded.url + "/api/query/stream/query", params={"project_id": "1", **params}
        ) as resp,
    ):
        body = await resp.json(content_type=None)
    assert resp.status == 400, body
    assert set(body) == {"request", "error"}
    assert len(seeded.state.default.events.deduped()) == len(EVENTS) - 1
