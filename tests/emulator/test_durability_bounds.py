"""Bounded work: compressed bodies inflate only up to the body limit, unknown encodings are
refused, report dates stay within the years Mixpanel serves, big answers are refused, and a
report in progress never holds up `/health`."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import zlib
from typing import Any

import aiohttp
import orjson
import pytest

from mixpanel_async.emulator import Emulator, route_helpers
from mixpanel_async.emulator.engine import funnels as funnel_engine
from mixpanel_async.emulator.engine import profiles
from mixpanel_async.emulator.router import MAX_BODY
from tests.emulator.conftest import assert_query_400, event_row, ms, query_get
from tests.helpers import ev

IMPORT = {"Authorization": "Basic dTpz", "Content-Type": "application/json"}


async def _post(http: aiohttp.ClientSession, url: str, body: bytes, **headers: str) -> Any:
    async with http.post(url, data=body, headers={**IMPORT, **headers}) as r:
        return r.status, await r.json(content_type=None)


async def test_a_deflate_bomb_is_refused_without_inflating_it(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    bomb = zlib.compress(b" " * (4 * MAX_BODY), 9)  # 40 MiB of spaces in ~40 KiB
    status, body = await _post(http, emu.url + "/import", bomb, **{"Content-Encoding": "deflate"})
    assert status == 413
    assert body["code"] == 413
    assert str(MAX_BODY) in body["error"]
    assert emu.events() == []


@pytest.mark.parametrize("wbits", [15, -15], ids=["zlib", "raw-deflate"])
async def test_deflate_bodies_are_read(
    http: aiohttp.ClientSession, emu: Emulator, wbits: int
) -> None:
    event = ev("e", "u1", 1_780_000_000, "i1")
    packer = zlib.compressobj(wbits=wbits)
    body = packer.compress(orjson.dumps([event])) + packer.flush()
    status, answer = await _post(
        http, emu.url + "/import?strict=1", body, **{"Content-Encoding": "deflate"}
    )
    assert (status, answer["num_records_imported"]) == (200, 1)
    status, answer = await _post(
        http, emu.url + "/import", body[:-6], **{"Content-Encoding": "deflate"}
    )
    assert status == 400
    assert "deflate" in answer["error"]


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress"])
async def test_an_unknown_content_encoding_is_refused(
    http: aiohttp.ClientSession, emu: Emulator, encoding: str
) -> None:
    body = orjson.dumps([ev("e", "u1", 1_780_000_000, "i1")])
    status, answer = await _post(http, emu.url + "/import", body, **{"Content-Encoding": encoding})
    assert status == 415
    assert answer["code"] == 415
    assert repr(encoding) in answer["error"]
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": encoding}
    async with http.post(emu.url + "/track?verbose=1", data=b"data=x", headers=headers) as r:
        assert r.status == 415
        assert (await r.json())["status"] == 0
    assert emu.events() == []


@pytest.fixture
async def funnel_emu() -> Any:
    async with Emulator(port=0) as emu:
        project = emu.state.default
        project.funnels = [{"funnel_id": 7, "name": "F", "steps": [{"event": "a"}, {"event": "b"}]}]
        at = ms("2026-10-01T10:00:00")
        project.events.append([event_row("a", "u1", at), event_row("b", "u1", at + 60_000)])
        yield emu


@pytest.mark.parametrize(
    ("first", "last"),
    [("0232-12-12", "3213-09-22"), ("1999-12-31", "2026-10-01"), ("2026-10-01", "3213-09-22")],
)
async def test_report_dates_outside_mixpanels_years_are_refused(
    http: aiohttp.ClientSession, funnel_emu: Emulator, first: str, last: str
) -> None:
    await assert_query_400(http, funnel_emu, "/funnels", funnel_id=7, from_date=first, to_date=last)
    _, body = await query_get(
        http, funnel_emu, "/funnels", funnel_id=7, from_date=first, to_date=last
    )
    assert "bad year" in body["error"]


async def test_the_widest_accepted_funnel_range_is_answered(
    http: aiohttp.ClientSession, funnel_emu: Emulator
) -> None:
    last = dt.date(dt.date.today().year + 1, 12, 31)
    status, body = await query_get(
        http, funnel_emu, "/funnels", funnel_id=7, from_date="2000-01-01", to_date=last
    )
    assert status == 200
    assert body["data"]["2026-10-01"]["steps"][1]["count"] == 1


async def test_an_answer_over_the_result_limit_is_a_400(
    http: aiohttp.ClientSession, funnel_emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = {"funnel_id": 7, "from_date": "2026-09-01", "to_date": "2026-10-31"}
    status, body = await query_get(http, funnel_emu, "/funnels", **params)
    assert status == 200
    size = len(orjson.dumps(body))
    monkeypatch.setattr(route_helpers, "MAX_RESULT_BYTES", size // 2)
    status, body = await query_get(http, funnel_emu, "/funnels", **params)
    assert status == 400
    assert "too large" in body["error"]
    assert body["request"].startswith("/api/query/funnels")


@pytest.mark.parametrize("where", ["report", "profile query"])
async def test_health_answers_while_a_report_is_computing(
    http: aiohttp.ClientSession,
    funnel_emu: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    started, release = threading.Event(), threading.Event()
    module, name = (funnel_engine, "funnel") if where == "report" else (profiles, "select")
    real = getattr(module, name)

    def held(*args: Any, **kwargs: Any) -> Any:  # the engine's real work, held until released
        started.set()
        release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    funnel_emu.state.default.profiles["u1"] = {"plan": "pro"}
    if where == "report":
        params = {"funnel_id": 7, "from_date": "2026-09-01", "to_date": "2026-10-31"}
        report = asyncio.create_task(query_get(http, funnel_emu, "/funnels", **params))
    else:
        report = asyncio.create_task(query_get(http, funnel_emu, "/engage"))
    try:
        assert await asyncio.to_thread(started.wait, 60)
        async with http.get(funnel_emu.url + "/health") as r:
            assert r.status == 200
        assert not report.done()  # /health answered while the work was still under way
    finally:
        release.set()
    status, body = await report
    assert status == 200
    if where == "report":
        assert body["data"]["2026-10-01"]["steps"][1]["count"] == 1
    else:
        assert body["results"] == [{"$distinct_id": "u1", "$properties": {"plan": "pro"}}]


@pytest.mark.parametrize(
    "time_entry",
    [
        {"dateRangeType": "between", "unit": "day", "value": ["0232-12-12", "3213-09-22"]},
        {"dateRangeType": "since", "unit": "day", "value": "1970-01-01"},
        {"dateRangeType": "in the last", "unit": "day", "window": {"unit": "day", "value": 10**9}},
        {"dateRangeType": "in the last", "unit": "day", "window": {"unit": "month", "value": 3000}},
    ],
    ids=["centuries", "before-2000", "a-billion-days", "250-years"],
)
async def test_report_json_ranges_outside_mixpanels_years_are_refused(
    http: aiohttp.ClientSession, funnel_emu: Emulator, time_entry: dict[str, Any]
) -> None:
    metric = {"type": "metric", "behavior": {"type": "event", "name": "a"}}
    bookmark = {"sections": {"show": [metric], "time": [time_entry]}}
    url = funnel_emu.url + "/api/query/insights"
    async with http.post(url, json={"bookmark": bookmark, "project_id": 1}) as r:
        assert r.status == 400
        body = await r.json()
    assert set(body) == {"request", "error"}
    assert "bad year" in body["error"] or "window.value" in body["error"]
