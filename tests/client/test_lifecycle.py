"""The workspace's lifecycle and sharing: closed means closed, one event loop per workspace,
concurrent identical cached calls share one request, retries are logged with their context and
counted honestly, and a cut event stream resumes by identity, not by position."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from mixpanel_async import (
    AsyncWorkspace,
    PartitionError,
    ServerError,
    WorkspaceClosedError,
    WorkspaceLoopError,
)
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import FAST, ev, ts


@pytest.fixture
async def counted(mixpanel_emulator: Emulator) -> AsyncIterator[tuple[AsyncWorkspace, list[str]]]:
    """A workspace on the emulator whose HTTP session records the path of every request sent."""
    sent: list[str] = []

    async def on_start(_: Any, __: Any, params: aiohttp.TraceRequestStartParams) -> None:
        sent.append(params.url.path)

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    async with aiohttp.ClientSession(trace_configs=[trace]) as http:
        ws = AsyncWorkspace(
            base_url=mixpanel_emulator.url, project="1", retry=FAST, http_session=http
        )
        yield ws, sent
        await ws.close()


def seed_events(emu: Emulator, count: int = 20) -> None:
    day = ts("2024-03-01")
    emu.state.default.events.append(
        rows_of([ev(f"E{i % 4}", f"u{i}", day + i, f"id-{i}") for i in range(count)])
    )


# --- closed means closed ------------------------------------------------------------------------


async def test_a_call_after_the_async_with_raises_before_any_request(
    mixpanel_emulator: Emulator,
) -> None:
    async with AsyncWorkspace(base_url=mixpanel_emulator.url, project="1") as ws:
        await ws.events()
    with pytest.raises(WorkspaceClosedError, match="closed"):
        await ws.events()
    assert not ws.api.is_open  # no new session was opened behind the caller's back


async def test_close_is_idempotent_and_final(mixpanel_emulator: Emulator) -> None:
    ws = AsyncWorkspace(base_url=mixpanel_emulator.url, project="1")
    await ws.close()
    await ws.close()
    with pytest.raises(WorkspaceClosedError):
        await ws.top_events()
    with pytest.raises(WorkspaceClosedError):
        async with ws:
            pass


# --- one event loop -----------------------------------------------------------------------------


def test_a_second_asyncio_run_gets_a_clear_error(mixpanel_emulator: Emulator) -> None:
    ws = AsyncWorkspace(base_url=mixpanel_emulator.url, project="1")

    async def first() -> list[str]:
        names = await ws.events()
        # The application forgets to close the workspace; only its connections go with the loop.
        await ws.api.http().close()
        return names

    assert asyncio.run(first()) == []
    with pytest.raises(WorkspaceLoopError, match="one AsyncWorkspace per event loop"):
        asyncio.run(ws.events())


# --- sharing in-flight cached calls -------------------------------------------------------------


async def test_concurrent_identical_cached_calls_send_one_request(
    mixpanel_emulator: Emulator, counted: tuple[AsyncWorkspace, list[str]]
) -> None:
    seed_events(mixpanel_emulator)
    ws, sent = counted
    answers = await asyncio.gather(*(ws.events() for _ in range(200)))
    assert all(a == ["E0", "E1", "E2", "E3"] for a in answers)
    assert len(sent) == 1
    await ws.events()  # cached now
    assert len(sent) == 1
    await asyncio.gather(ws.properties("E1"), ws.properties("E1"), ws.properties("E2"))
    assert len(sent) == 3  # one per distinct argument list


async def test_a_shared_failure_reaches_every_caller_and_is_not_cached(
    mixpanel_emulator: Emulator, counted: tuple[AsyncWorkspace, list[str]]
) -> None:
    seed_events(mixpanel_emulator)
    ws, sent = counted
    mixpanel_emulator.add_fault(path="/api/query/events/names", status=503, count=3)
    outcomes = await asyncio.gather(*(ws.events() for _ in range(20)), return_exceptions=True)
    assert all(isinstance(o, ServerError) for o in outcomes)
    assert len(sent) == 3  # one call's three attempts, shared by all twenty callers
    assert await ws.events() == ["E0", "E1", "E2", "E3"]  # the failure was not cached


async def test_a_cancelled_caller_does_not_cancel_the_others(
    mixpanel_emulator: Emulator, counted: tuple[AsyncWorkspace, list[str]]
) -> None:
    seed_events(mixpanel_emulator)
    ws, sent = counted
    mixpanel_emulator.add_fault(path="/api/query/events/names", latency=0.2, count=1)
    first = asyncio.ensure_future(ws.events())
    await asyncio.sleep(0.05)
    second = asyncio.ensure_future(ws.events())
    await asyncio.sleep(0.01)
    first.cancel()
    assert await second == ["E0", "E1", "E2", "E3"]
    assert first.cancelled()
    assert len(sent) == 1


async def test_me_is_shared_too(counted: tuple[AsyncWorkspace, list[str]]) -> None:
    ws, sent = counted
    await asyncio.gather(*(ws.me() for _ in range(30)))
    assert sent.count("/api/app/me") == 1
    await ws.me(force_refresh=True)
    assert sent.count("/api/app/me") == 2


# --- retries: logged with context, counted honestly ---------------------------------------------


async def test_retries_are_logged_with_their_context(
    mixpanel_emulator: Emulator,
    fast_workspace: AsyncWorkspace,
    caplog: pytest.LogCaptureFixture,
) -> None:
    mixpanel_emulator.add_fault(path="/api/query/events/names", status=503, count=2)
    with caplog.at_level(logging.WARNING, logger="mixpanel_async"):
        assert await fast_workspace.events() == []
    ours = [r for r in caplog.records if r.name == "mixpanel_async.transport"]
    assert [r.mixpanel_attempt for r in ours] == [1, 2]  # type: ignore[attr-defined]
    assert all(r.mixpanel_status == 503 for r in ours)  # type: ignore[attr-defined]
    assert "attempt 1 of 3" in ours[0].getMessage()
    assert "/api/query/events/names" in ours[0].getMessage()


async def test_an_exhausted_error_counts_its_http_attempts(
    mixpanel_emulator: Emulator, fast_workspace: AsyncWorkspace
) -> None:
    mixpanel_emulator.add_fault(path="/api/query/events/names", status=503, count=10)
    with pytest.raises(ServerError) as info:
        await fast_workspace.events()
    assert info.value.details["attempts"] == 3


async def test_a_partition_error_counts_the_http_requests_made(
    mixpanel_emulator: Emulator, fast_workspace: AsyncWorkspace
) -> None:
    seed_events(mixpanel_emulator)
    mixpanel_emulator.add_fault(operation="export_events", status=503, count=100)
    with pytest.raises(PartitionError, match=r"after 3 HTTP request\(s\)") as info:
        await fast_workspace.export_events("2024-03-01", "2024-03-01")
    assert info.value.details["attempts"] == 3


def test_unconfigured_logging_prints_nothing_on_retries(tmp_path: Any) -> None:
    script = textwrap.dedent(
        """
        import asyncio
        from mixpanel_async import AsyncWorkspace
        from mixpanel_async.emulator import Emulator
        from mixpanel_async.pytest_plugin import fast_retry_policy

        async def main(url):
            async with AsyncWorkspace(base_url=url, project="1", retry=fast_retry_policy()) as ws:
                print(await ws.events())

        with Emulator(port=0) as emu:
            emu.add_fault(path="/api/query/events/names", status=503, count=2)
            asyncio.run(main(emu.url))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]"
    assert "retry" not in done.stderr


# --- stream_events resumes by identity ----------------------------------------------------------


async def test_a_cut_stream_resumes_exactly_when_data_changes_meanwhile(
    mixpanel_emulator: Emulator, fast_workspace: AsyncWorkspace
) -> None:
    first = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    original = [
        ev("Tick", f"u{i % 13}", int(first.timestamp()) + i * 40, f"e-{i}", n=i)
        for i in range(3000)
    ]
    mixpanel_emulator.state.default.events.append(rows_of(original))
    # Events that sort before everything already streamed, added while the stream is read:
    # resuming by position would repeat some events and skip as many.
    early = [ev("Tick", "late", int(first.timestamp()) + 1 + i, f"x-{i}") for i in range(5)]
    mixpanel_emulator.add_fault(operation="export_events", cut_after=60_000, count=1)
    got: list[str] = []
    async for record in fast_workspace.stream_events(
        from_date="2024-05-01", to_date="2024-05-02", raw=True
    ):
        if not got:
            await fast_workspace.import_events(early)
        got.append(record["properties"]["$insert_id"])
    expected = [e["properties"]["$insert_id"] for e in original + early]
    assert sorted(got) == sorted(expected)
    assert len(got) == len(set(got))
