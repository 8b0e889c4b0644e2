"""Event deletion requests through AsyncWorkspace against the emulator: the preview's counts and
what a completed request removes are checked against DuckDB over the imported events, and the
removal is seen through export and a query."""

from __future__ import annotations

import random
from typing import Any

import duckdb
import orjson
import pytest

from mixpanel_async import AsyncWorkspace, CreateDeletionRequestParams
from mixpanel_async.emulator import Emulator
from tests.helpers import ev, refused, sends_nothing, ts

DAYS = ("2024-04-01", "2024-04-10")


def make_events(seed: int = 11) -> list[dict[str, Any]]:
    """Three event names over ten days, with a `plan` and a `beta` flag that filters pick."""
    rng = random.Random(seed)
    start = ts("2024-04-01T00:00:00")
    out = []
    for i in range(600):
        props = {"plan": rng.choice(["free", "pro", "team"])}
        if rng.random() < 0.4:
            props["beta"] = rng.random() < 0.5
        out.append(
            ev(
                rng.choice(["Purchase", "Login", "Debug"]),
                f"u{rng.randrange(40)}",
                start + rng.randrange(10 * 86_400),
                f"i{i}",
                **props,
            )
        )
    return out


def duck_count(events: list[dict[str, Any]], where: str) -> int:
    """How many of `events` satisfy a DuckDB `where` over (event, time, props JSON)."""
    con = duckdb.connect()
    con.execute("CREATE TABLE e (event TEXT, time BIGINT, props JSON)")
    con.executemany(
        "INSERT INTO e VALUES (?, ?, ?)",
        [
            (e["event"], e["properties"]["time"], orjson.dumps(e["properties"]).decode())
            for e in events
        ],
    )
    result = con.execute(f"SELECT count(*) FROM e WHERE {where}").fetchone()
    assert result is not None
    return int(result[0])


def window(first: str, last: str) -> str:
    return (
        f"time >= epoch(TIMESTAMP '{first} 00:00:00') "
        f"AND time < epoch(TIMESTAMP '{last} 00:00:00' + INTERVAL 1 DAY)"
    )


@pytest.fixture
async def loaded(mixpanel_workspace: AsyncWorkspace) -> list[dict[str, Any]]:
    events = make_events()
    assert (await mixpanel_workspace.import_events(events)).imported == len(events)
    return events


async def test_preview_counts_and_changes_nothing(
    mixpanel_workspace: AsyncWorkspace, mixpanel_emulator: Emulator, loaded: list[dict[str, Any]]
) -> None:
    ws = mixpanel_workspace
    stages = await ws.preview_deletion_filters(
        {
            "event_name": "Purchase",
            "from_date": "2024-04-03",
            "to_date": "2024-04-05",
            "filters": {"plan": ["pro", "team"], "beta": True},
        }
    )
    assert [(s["property"], s["operator"]) for s in stages] == [
        ("$event_name", "equals"),
        ("$time", "between"),
        ("plan", "equals"),
        ("beta", "equals"),
    ]
    named = "event = 'Purchase'"
    dated = f"{named} AND {window('2024-04-03', '2024-04-05')}"
    planned = f"{dated} AND props->>'plan' IN ('pro', 'team')"
    beta = f"{planned} AND json_type(props->'beta') = 'BOOLEAN' AND props->>'beta' = 'true'"
    assert [s["count"] for s in stages] == [
        duck_count(loaded, w) for w in (named, dated, planned, beta)
    ]
    assert len(mixpanel_emulator.state.default.events.deduped()) == len(loaded)
    assert await ws.list_deletion_requests() == []


async def test_a_request_moves_through_its_states_then_deletes(
    mixpanel_workspace: AsyncWorkspace, loaded: list[dict[str, Any]]
) -> None:
    ws = mixpanel_workspace
    before = await ws.segmentation("Purchase", from_date=DAYS[0], to_date=DAYS[1])
    listed = await ws.create_deletion_request(
        CreateDeletionRequestParams(
            event_name="Purchase",
            from_date="2024-04-02",
            to_date="2024-04-04",
            filters={"plan": "pro"},
        )
    )
    (request,) = listed
    assert (request.status, request.deleted_events_count) == ("Submitted", 0)
    assert (request.event_name, request.from_date, request.filters) == (
        "Purchase",
        "2024-04-02",
        {"plan": "pro"},
    )
    assert request.requesting_user
    exported = await ws.export_events(*DAYS)
    assert exported.height == len(loaded)  # nothing happens before the request runs

    assert [r.status for r in await ws.list_deletion_requests()] == ["Processing"]
    await refused(ws.cancel_deletion_request(request.id), 400, match="Processing")
    (done,) = await ws.list_deletion_requests()
    doomed = (
        f"event = 'Purchase' AND {window('2024-04-02', '2024-04-04')} AND props->>'plan' = 'pro'"
    )
    assert done.status == "Completed"
    assert done.deleted_events_count == duck_count(loaded, doomed) > 0

    left = await ws.export_events(*DAYS)
    assert left.height == duck_count(loaded, f"NOT ({doomed})")
    gone = left.filter(
        (left["event"] == "Purchase") & (left["properties"].struct.field("plan") == "pro")
    )
    assert gone.filter(gone["time"].dt.day().is_between(2, 4)).height == 0
    after = await ws.segmentation("Purchase", from_date=DAYS[0], to_date=DAYS[1])
    assert before.total - after.total == done.deleted_events_count
    # a completed request stays completed, and deletes nothing more
    assert [r.status for r in await ws.list_deletion_requests()] == ["Completed"]
    assert (await ws.export_events(*DAYS)).height == left.height


async def test_a_cancelled_request_deletes_nothing(
    mixpanel_workspace: AsyncWorkspace, loaded: list[dict[str, Any]]
) -> None:
    ws = mixpanel_workspace
    first = await ws.create_deletion_request(
        {"event_name": "Login", "from_date": DAYS[0], "to_date": DAYS[1]}
    )
    second = await ws.create_deletion_request(
        {"event_name": "Debug", "from_date": DAYS[0], "to_date": DAYS[1]}
    )
    assert [r.id for r in second] == [second[0].id, first[0].id]  # newest first
    cancelled = await ws.cancel_deletion_request(first[0].id)
    assert {r.id: r.status for r in cancelled} == {
        first[0].id: "Cancelled",
        second[0].id: "Submitted",
    }
    await ws.list_deletion_requests()
    final = {r.event_name: r for r in await ws.list_deletion_requests()}
    assert final["Login"].status == "Cancelled"
    assert final["Login"].deleted_events_count == 0
    assert final["Debug"].deleted_events_count == duck_count(loaded, "event = 'Debug'")
    names = set((await ws.export_events(*DAYS))["event"])
    assert names == {"Purchase", "Login"}
    await refused(ws.cancel_deletion_request(first[0].id), 400, match="Cancelled")
    await refused(ws.cancel_deletion_request(999), 400)


async def test_the_emulator_refuses_bad_requests(mixpanel_workspace: AsyncWorkspace) -> None:
    raw = mixpanel_workspace.api
    path = "/projects/1/data-definitions/events/deletion-requests/"
    for body in (
        {"eventName": "A", "fromDate": "2024-13-01", "toDate": "2024-12-01"},
        {"eventName": "A", "fromDate": "2024-02-01", "toDate": "2024-01-01"},
        {"eventName": "A", "fromDate": "2024-01-01", "toDate": "2024-01-02", "filters": [1]},
        {
            "eventName": "A",
            "fromDate": "2024-01-01",
            "toDate": "2024-01-02",
            "filters": {"plan": {"nested": 1}},
        },
        {"fromDate": "2024-01-01", "toDate": "2024-01-02"},
    ):
        await refused(raw.raw("POST", path, json=body), 400)
    await refused(raw.raw("DELETE", path, json={"id": "x"}), 400)


test_bad_input_fails_before_any_request = sends_nothing(
    (
        lambda ws: ws.create_deletion_request({"from_date": "2024-01-01", "to_date": "2024-01-02"}),
        "event_name",
    ),
    (
        lambda ws: ws.create_deletion_request(
            {"event_name": " ", "from_date": "2024-01-01", "to_date": "2024-01-02"}
        ),
        "event_name",
    ),
    (
        lambda ws: ws.create_deletion_request(
            {"event_name": "A", "from_date": "2024-02-01", "to_date": "2024-01-02"}
        ),
        "from_date",
    ),
    (
        lambda ws: ws.create_deletion_request(
            {"event_name": "A", "from_date": "01/02/2024", "to_date": "2024-01-02"}
        ),
        "from_date",
    ),
    (
        lambda ws: ws.preview_deletion_filters(
            {
                "event_name": "A",
                "from_date": "2024-01-01",
                "to_date": "2024-01-02",
                "filters": {"plan": []},
            }
        ),
        "filters",
    ),
    (lambda ws: ws.cancel_deletion_request(0), "request_id"),
    (lambda ws: ws.cancel_deletion_request("7"), "request_id"),
)
