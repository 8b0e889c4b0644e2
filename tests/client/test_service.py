"""The client inside a service: the FastAPI integration (lifespan, dependency, per-request
project scopes that never leak, errors as HTTP answers), connection-pool settings, aiohttp trace
hooks and OpenTelemetry spans — all over HTTP against the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aiohttp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from mixpanel_async import (
    AsyncWorkspace,
    ConfigError,
    ConnectionPool,
    ParamValidationError,
    WorkspaceClosedError,
)
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from mixpanel_async.integrations.fastapi import MixpanelWorkspace, install, mixpanel_lifespan
from tests.helpers import FAST, ev, ts


@pytest.fixture(scope="module")
def two_projects() -> Iterator[Emulator]:
    """An emulator with projects 1 and 2, each with its own event names."""
    with Emulator(port=0, projects=["1", "2"]) as emu:
        day = ts("2024-03-01")
        for pid in ("1", "2"):
            emu.state.projects[pid].events.append(
                rows_of([ev(f"P{pid}-{i}", "u", day + i, f"{pid}-{i}") for i in range(3)])
            )
        yield emu


def make_app(emu: Emulator) -> FastAPI:
    app = FastAPI(lifespan=mixpanel_lifespan(base_url=emu.url, project="1", retry=FAST))
    install(app)

    @app.get("/events")
    async def events(ws: MixpanelWorkspace) -> list[str]:
        return await ws.events()

    @app.get("/projects/{pid}/events")
    async def project_events(pid: str, ws: MixpanelWorkspace) -> Any:
        scoped = ws.scoped(project=pid)
        await asyncio.sleep(0.01)  # let concurrent requests interleave
        return {"project": scoped.project.id, "events": await scoped.events()}

    @app.get("/bad")
    async def bad(ws: MixpanelWorkspace) -> Any:
        return await ws.segmentation("", from_date="2024-01-02", to_date="2024-01-01")

    @app.get("/limited")
    async def limited(ws: MixpanelWorkspace) -> Any:
        return await ws.top_events()

    return app


def test_the_lifespan_opens_and_closes_the_workspace(two_projects: Emulator) -> None:
    app = make_app(two_projects)
    with TestClient(app) as client:
        ws = app.state.mixpanel
        assert client.get("/events").json() == ["P1-0", "P1-1", "P1-2"]
    with pytest.raises(WorkspaceClosedError):
        asyncio.run(ws.events())
    assert not hasattr(app.state, "mixpanel")


def test_per_request_projects_do_not_leak_across_concurrent_requests(
    two_projects: Emulator,
) -> None:
    with TestClient(make_app(two_projects)) as client, ThreadPoolExecutor(8) as pool:
        pids = ["1", "2"] * 30
        answers = list(pool.map(lambda pid: client.get(f"/projects/{pid}/events").json(), pids))
        # the app's own workspace is still on project 1
        assert client.get("/events").json() == ["P1-0", "P1-1", "P1-2"]
    for pid, answer in zip(pids, answers, strict=True):
        assert answer == {"project": pid, "events": [f"P{pid}-{i}" for i in range(3)]}


def test_library_errors_become_http_answers(two_projects: Emulator) -> None:
    with TestClient(make_app(two_projects)) as client:
        bad = client.get("/bad")
        assert bad.status_code == 422
        assert bad.json()["error"]["code"] == ParamValidationError.default_code
        two_projects.add_fault(path="/api/query/events/top", status=429, retry_after=0.01, count=5)
        try:
            limited = client.get("/limited")
        finally:
            two_projects.clear_faults()
        assert limited.status_code == 503
        assert limited.headers["Retry-After"] == "1"
        assert limited.json()["error"]["code"] == "RATE_LIMITED"


async def test_a_scoped_workspace_shares_the_session_and_is_closed_with_its_parent(
    two_projects: Emulator,
) -> None:
    parent = AsyncWorkspace(base_url=two_projects.url, project="1", retry=FAST)
    child = parent.scoped(project="2")
    assert (parent.project.id, child.project.id) == ("1", "2")
    assert await child.events() == ["P2-0", "P2-1", "P2-2"]
    assert child.api.http() is parent.api.http()  # one connection pool
    await child.close()
    assert await parent.events() == ["P1-0", "P1-1", "P1-2"]  # closing the child leaves it open
    other = parent.scoped(project="2")
    await parent.close()
    with pytest.raises(WorkspaceClosedError):
        await other.events()
    with pytest.raises(ConfigError, match="digit string"):
        parent.scoped(project="not-a-number")


# --- connection pool and trace hooks ------------------------------------------------------------


def test_pool_settings_are_checked() -> None:
    with pytest.raises(ParamValidationError, match="limit_per_host"):
        ConnectionPool(limit_per_host=-1)
    with pytest.raises(ParamValidationError, match="keepalive_timeout"):
        ConnectionPool(keepalive_timeout="long")  # type: ignore[arg-type]


async def test_pool_limits_and_trace_hooks_apply(two_projects: Emulator) -> None:
    opened: list[int] = []
    started: list[str] = []

    async def on_connection(_: Any, __: Any, ___: Any) -> None:
        opened.append(1)

    async def on_start(_: Any, __: Any, params: aiohttp.TraceRequestStartParams) -> None:
        started.append(params.url.path)

    trace_config = aiohttp.TraceConfig()
    trace_config.on_connection_create_end.append(on_connection)
    trace_config.on_request_start.append(on_start)
    two_projects.add_fault(path="/api/query/segmentation", latency=0.05, count=20)
    try:
        async with AsyncWorkspace(
            base_url=two_projects.url,
            project="1",
            pool=ConnectionPool(limit=10, limit_per_host=2),
            trace_configs=[trace_config],
        ) as ws:
            await asyncio.gather(
                *(
                    ws.segmentation("P1-0", from_date="2024-03-01", to_date=f"2024-03-{d:02d}")
                    for d in range(1, 13)
                )
            )
    finally:
        two_projects.clear_faults()
    assert len(started) == 12
    assert 1 <= len(opened) <= 2  # never more than two connections to the one host


# --- OpenTelemetry ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return exporter


async def test_each_request_is_one_client_span_without_secrets(
    two_projects: Emulator, spans: InMemorySpanExporter
) -> None:
    spans.clear()
    two_projects.add_fault(path="/api/query/events/names", status=503, count=2)
    try:
        async with AsyncWorkspace(
            base_url=two_projects.url,
            project="2",
            username="svc-user",
            secret="very-secret-value",
            retry=FAST,
        ) as ws:
            assert await ws.events() == ["P2-0", "P2-1", "P2-2"]
            with pytest.raises(Exception):  # noqa: B017,PT011
                await ws.property_values("x", event="P2-0", limit=0)
    finally:
        two_projects.clear_faults()
    finished = spans.get_finished_spans()
    names = finished[0]
    assert names.name == "GET /api/query/events/names"
    assert names.kind == trace.SpanKind.CLIENT
    attrs = dict(names.attributes or {})
    assert attrs["http.request.method"] == "GET"
    assert attrs["url.template"] == "/api/query/events/names"
    assert attrs["http.response.status_code"] == 200
    assert attrs["mixpanel.attempts"] == 3
    assert attrs["mixpanel.operation"]
    assert attrs["server.address"] == "127.0.0.1"
    for span in finished:
        text = repr(dict(span.attributes or {})) + span.name
        assert "very-secret-value" not in text
        assert "project_id=" not in text
        assert "?" not in text
