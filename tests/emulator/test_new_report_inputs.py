"""Malformed input to what the emulator newly computes (list and suffix filters, funnel time
comparison and session windows, flows by session, reverse trees), posted over loopback HTTP:
every answer is a 200 or the Query API's 400, never a 500, and the project is unchanged."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from mixpanel_async.reports.filters import Filter
from mixpanel_async.reports.flow_steps import FlowStep
from mixpanel_async.reports.flows import build_flow_params
from mixpanel_async.reports.funnels import funnel_params
from mixpanel_async.reports.insights import insights_params
from tests.emulator.conftest import running
from tests.emulator.test_insights import FLOWS, INSIGHTS, post
from tests.helpers import list_rows
from tests.unit.test_report_fuzz import mutated

DATES = {"from_date": "2026-09-01", "to_date": "2026-09-07"}


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with running(rows_of(list_rows())) as emulator:
        yield emulator


def _bases() -> list[tuple[str, dict[str, Any]]]:
    """Valid bookmarks exercising each new feature, and where they are sent (`insights`, or
    the flows `query_type`)."""
    listed = Filter.list_contains("cart", Filter.greater_than("Price", 50), quantifier="all")
    insights = insights_params(
        "Purchase", where=[listed, Filter.ends_with("email", ".io")], math="sessions", **DATES
    )
    funnel = funnel_params(
        ["Sign Up", "Purchase"], conversion_window=1, conversion_window_unit="session",
        math="conversion_rate_session", **DATES,
    )  # fmt: skip
    compared = funnel_params(["Sign Up", "View"], **DATES)
    compared["displayOptions"]["timeComparison"] = {"type": "relative", "value": "week"}
    flows = build_flow_params(
        "View", forward=2, reverse=2, count_type="session", conversion_window=1,
        conversion_window_unit="session", mode="tree", **DATES,
    )  # fmt: skip
    anchors = build_flow_params(
        [FlowStep("View", forward=1), FlowStep("Purchase", reverse=1, forward=1)], **DATES
    )
    return [
        ("insights", insights), ("insights", funnel), ("insights", compared), ("flows", flows),
        ("flows_sankey", anchors), ("flows_top_paths", anchors),
    ]  # fmt: skip


def _mutated(base: dict[str, Any], rng: random.Random) -> Any:
    report: Any = base
    for _ in range(rng.randint(1, 3)):
        report = mutated(report, rng)
    return report


@pytest.mark.parametrize("seed", range(6))
async def test_junk_is_a_400_never_a_500(
    emu: Emulator, http: aiohttp.ClientSession, seed: int
) -> None:
    rng = random.Random(seed)
    before = emu.state.default.events.deduped().height
    statuses = []
    for kind, base in _bases():
        for attempt in range(26):
            report = _mutated(base, rng) if attempt else base
            if kind == "insights":
                body = {"bookmark": report, "project_id": 1}
                status, answer = await post(http, emu.url + INSIGHTS, body)
            else:
                body = {"project_id": 1, "query_type": kind, "bookmark": report}
                status, answer = await post(http, emu.url + FLOWS, body)
            assert status in (200, 400), (report, answer)
            assert attempt or status == 200, answer  # the base itself is computed
            if status == 400:
                assert isinstance(answer.get("error"), str)
            statuses.append(status)
    assert emu.state.default.events.deduped().height == before
    assert 400 in statuses
    assert 200 in statuses
