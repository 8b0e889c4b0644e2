"""Raw export over many small chunks (built in worker threads, several ahead of the writer):
the lines, their order, and `event`/`where`/`limit` across chunk edges, against plain Python."""

from __future__ import annotations

import gzip
from typing import Any

import aiohttp
import orjson
import pytest

from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.routes import export as export_route
from tests.emulator.conftest import event_row, ms

EXPORT = "/api/2.0/export"
N = 400


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 7 rows, so that a few hundred rows cross dozens of chunk edges."""
    monkeypatch.setattr(export_route, "CHUNK_ROWS", 7)


def _stored(emu: Emulator) -> list[dict[str, Any]]:
    t = ms("2024-03-01T00:00:00")
    rows = [
        event_row(("a", "b", "c")[i % 3], f"u{i % 11}", t + i * 1000, f"i{i}", n=i)
        for i in range(N)
    ]
    emu.state.default.events.append(rows)
    return [{"event": ("a", "b", "c")[i % 3], "n": i, "id": f"i{i}"} for i in range(N)]


async def _export(http: aiohttp.ClientSession, emu: Emulator, **params: str) -> list[Any]:
    query = {"from_date": "2024-03-01", "to_date": "2024-03-01", **params}
    async with http.get(emu.url + EXPORT, params=query) as response:
        assert response.status == 200
        body = await response.read()
    assert body == b"" or body.endswith(b"\n")
    return [orjson.loads(line) for line in body.splitlines()]


@pytest.mark.parametrize(
    ("params", "keep", "limit"),
    [
        ({}, lambda r: True, None),
        ({"limit": "45"}, lambda r: True, 45),
        ({"event": '["b"]'}, lambda r: r["event"] == "b", None),
        ({"event": '["a","c"]', "limit": "100"}, lambda r: r["event"] != "b", 100),
        ({"where": 'properties["n"] % 5 == 1'}, lambda r: r["n"] % 5 == 1, None),
        ({"where": 'properties["n"] % 5 == 1', "limit": "9"}, lambda r: r["n"] % 5 == 1, 9),
        (
            {"event": '["c"]', "where": 'properties["n"] > 200', "limit": "17"},
            lambda r: r["event"] == "c" and r["n"] > 200,
            17,
        ),
        ({"where": 'properties["n"] < 0', "limit": "3"}, lambda r: False, 3),
        ({"limit": "100000"}, lambda r: True, 100000),
    ],
)
async def test_filters_and_limit_across_chunk_edges(
    small_chunks: None,
    emu: Emulator,
    http: aiohttp.ClientSession,
    params: dict[str, str],
    keep: Any,
    limit: int | None,
) -> None:
    expected = [r["id"] for r in _stored(emu) if keep(r)][:limit]
    rows = await _export(http, emu, **params)
    assert [r["properties"]["$insert_id"] for r in rows] == expected


async def test_gzip_over_many_chunks_is_the_plain_body(small_chunks: None, emu: Emulator) -> None:
    _stored(emu)
    url = emu.url + EXPORT + "?from_date=2024-03-01&to_date=2024-03-01&time_in_ms=true"
    async with aiohttp.ClientSession(auto_decompress=False) as http:
        async with http.get(url, headers={"Accept-Encoding": "gzip"}) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            zipped = await response.read()
        async with http.get(url, headers={"Accept-Encoding": "identity"}) as response:
            plain = await response.read()
    assert gzip.decompress(zipped) == plain
    assert len(plain.splitlines()) == N
