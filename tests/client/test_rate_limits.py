"""Opt-in Mixpanel rate limits on the emulator, and our client living within them.

Hours and minutes are shortened with `RateLimits(scale=...)` where a test must outlast a window.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import orjson
import pytest
from typer.testing import CliRunner

import mixpanel_async.cli
from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator, RateLimits
from mixpanel_async.pytest_plugin import fast_retry_policy
from mixpanel_async.transport.limits import Limit, parse_announced

DAY = time.strftime("%Y-%m-%d", time.gmtime())
SEGMENTATION = "/api/query/segmentation"


@asynccontextmanager
async def limited(limits: bool | RateLimits = True) -> AsyncIterator[Emulator]:
    async with Emulator(port=0, rate_limits=limits) as emulator:
        yield emulator


def workspace(emu: Emulator, attempts: int | None = None) -> AsyncWorkspace:
    return AsyncWorkspace(base_url=emu.url, project="1", retry=fast_retry_policy(attempts))


async def segmentation(http: aiohttp.ClientSession, emu: Emulator) -> aiohttp.ClientResponse:
    params = {"project_id": "1", "event": "E", "from_date": DAY, "to_date": DAY}
    async with http.get(emu.url + SEGMENTATION, params=params) as response:
        await response.read()
        return response


async def test_query_api_hourly_limit_answers_429_with_retry_after() -> None:
    async with limited(RateLimits(query_per_hour=3)) as emu, aiohttp.ClientSession() as http:
        statuses = [(await segmentation(http, emu)).status for _ in range(3)]
        assert statuses == [200, 200, 200]
        params = {"project_id": "1", "event": "E", "from_date": DAY, "to_date": DAY}
        async with http.get(emu.url + SEGMENTATION, params=params) as refused:
            body = await refused.json()
            assert refused.status == 429
            assert 3590 <= int(refused.headers["Retry-After"]) <= 3600
            assert set(body) == {"request", "error"}
            assert "3 queries per hour" in body["error"]
        # Other projects have their own budget.
        params["project_id"] = "2"
        async with http.get(emu.url + SEGMENTATION, params=params) as other:
            assert other.status == 200


async def test_query_api_concurrency_limit() -> None:
    async with limited() as emu, aiohttp.ClientSession() as http:
        emu.add_fault(operation="segmentation", latency=0.3, count=5)
        answers = await asyncio.gather(*(segmentation(http, emu) for _ in range(6)))
        statuses = sorted(r.status for r in answers)
        assert statuses == [200] * 5 + [429]
        (refused,) = [r for r in answers if r.status == 429]
        assert refused.headers["Retry-After"] == "1"


async def test_export_per_second_limit() -> None:
    async with limited() as emu, aiohttp.ClientSession() as http:
        params = {"from_date": DAY, "to_date": DAY}
        statuses = []
        for _ in range(4):
            async with http.get(emu.url + "/api/2.0/export", params=params) as r:
                statuses.append(r.status)
                if r.status == 429:
                    assert r.headers["Retry-After"] == "1"
                    assert "queries per second" in (await r.json())["error"]
        assert statuses == [200, 200, 200, 429]


async def test_ingestion_bytes_per_minute() -> None:
    limits = RateLimits(ingestion_bytes_per_minute=1000)
    event = {"event": "E", "properties": {"time": int(time.time()), "distinct_id": "u", "pad": ""}}
    event["properties"]["pad"] = "x" * 600
    body = orjson.dumps([event])
    async with limited(limits) as emu, aiohttp.ClientSession() as http:
        headers = {"Content-Type": "application/json"}
        async with http.post(emu.url + "/import", data=body, headers=headers) as r:
            assert r.status == 200
        async with http.post(emu.url + "/import", data=body, headers=headers) as r:
            answer = await r.json()
            assert r.status == 429
            assert answer["code"] == 429
            assert answer["status"] == "Too Many Requests"
            assert "exponential backoff" in answer["error"]
            assert 1 <= int(r.headers["Retry-After"]) <= 60
    assert len(emu.state.default.events) == 1


async def test_off_by_default(mixpanel_emulator: Emulator) -> None:
    async with aiohttp.ClientSession() as http:
        statuses = {(await segmentation(http, mixpanel_emulator)).status for _ in range(70)}
    assert statuses == {200}


async def test_gathered_queries_stay_within_the_limits_unaided() -> None:
    # No retries at all: a single 429 would raise. The first query goes alone; its answer
    # announces 5 at once, and the client keeps to that.
    async with limited() as emu, workspace(emu, attempts=1) as ws:
        emu.add_fault(operation="segmentation", latency=0.05, count=40)
        calls = [ws.segmentation("E", from_date=DAY, to_date=DAY) for _ in range(40)]
        results = await asyncio.gather(*calls)
        assert len(results) == 40
    async with limited() as emu, workspace(emu, attempts=1) as ws:  # a fresh hour
        emu.add_fault(operation="insights_query", latency=0.05, count=40)
        queries = await asyncio.gather(
            *(ws.query("E", from_date=DAY, to_date=DAY) for _ in range(40))
        )
        assert len(queries) == 40


def in_flight_counter() -> tuple[aiohttp.TraceConfig, dict[str, int]]:
    """A trace config recording the most requests this client had in flight at once."""
    seen = {"now": 0, "most": 0}
    trace = aiohttp.TraceConfig()

    async def started(*_: Any) -> None:
        seen["now"] += 1
        seen["most"] = max(seen["most"], seen["now"])

    async def ended(*_: Any) -> None:
        seen["now"] -= 1

    trace.on_request_start.append(started)
    trace.on_request_end.append(ended)
    trace.on_request_exception.append(ended)
    return trace, seen


@pytest.mark.parametrize("rate_limited", [False, True])
async def test_gathered_queries_run_at_once_unless_the_emulator_announces_limits(
    rate_limited: bool,
) -> None:
    trace, seen = in_flight_counter()
    async with limited(rate_limited) as emu:
        emu.add_fault(operation="insights_query", latency=0.1, count=30)
        async with AsyncWorkspace(
            base_url=emu.url, project="1", retry=fast_retry_policy(1), trace_configs=[trace]
        ) as ws:
            await asyncio.gather(*(ws.query("E", from_date=DAY, to_date=DAY) for _ in range(30)))
    assert seen["most"] == (5 if rate_limited else 29)


async def test_an_explicit_limit_is_kept_whatever_the_emulator_announces() -> None:
    trace, seen = in_flight_counter()
    async with limited() as emu:
        emu.add_fault(operation="segmentation", latency=0.05, count=12)
        async with AsyncWorkspace(
            base_url=emu.url,
            project="1",
            limits={"query": Limit(concurrency=2)},
            trace_configs=[trace],
        ) as ws:
            await asyncio.gather(
                *(ws.segmentation("E", from_date=DAY, to_date=DAY) for _ in range(12))
            )
    assert seen["most"] == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("concurrency=5; rate=60; period=36", Limit(5, 60.0, 36.0)),
        ("concurrency=100; rate=60; period=3600; burst=3", Limit(100, 60.0, 3600.0, 3.0)),
        ("concurrency=7", Limit(7)),
        (None, None),
        ("", None),
        ("concurrency=0", None),
        ("rate=5", None),
        ("concurrency=x", None),
    ],
)
def test_announced_limits_are_read(value: str | None, expected: Limit | None) -> None:
    assert parse_announced(value) == expected


async def test_a_burst_past_the_hourly_limit_completes_through_retries() -> None:
    # "An hour" of one second holding 8 queries: the rest are refused with Retry-After and
    # go through on the client's retries.
    limits = RateLimits(query_per_hour=8, scale=1 / 3600)
    async with limited(limits) as emu, workspace(emu) as ws:
        results = await asyncio.gather(
            *(ws.segmentation("E", from_date=DAY, to_date=DAY) for _ in range(20))
        )
    assert len(results) == 20


async def test_a_burst_of_imports_completes_through_retries() -> None:
    limits = RateLimits(ingestion_bytes_per_minute=150_000, scale=1 / 60)
    now = int(time.time())
    events: list[dict[str, Any]] = [
        {"event": "E", "properties": {"time": now, "distinct_id": f"u{i}", "pad": "x" * 100}}
        for i in range(1500)
    ]
    async with limited(limits) as emu, workspace(emu) as ws:
        result = await ws.import_events(events, batch_size=300)
        assert result.imported == 1500
        assert len(emu.state.default.events) == 1500


@pytest.mark.parametrize("limits", [True, RateLimits()])
def test_sync_emulator_takes_the_option(limits: bool | RateLimits) -> None:
    with Emulator(port=0, rate_limits=limits) as emu:
        assert emu.rate_limits == limits


@pytest.mark.parametrize(("args", "expected"), [(["--rate-limits"], True), ([], False)])
def test_cli_option(monkeypatch: pytest.MonkeyPatch, args: list[str], expected: bool) -> None:
    started: list[Emulator] = []

    async def serve(emu: Emulator) -> None:
        started.append(emu)

    monkeypatch.setattr(mixpanel_async.cli, "_serve", serve)
    result = CliRunner().invoke(mixpanel_async.cli.app, ["emulator", "--port", "0", *args])
    assert result.exit_code == 0, result.output
    assert [e.rate_limits for e in started] == [expected]
