"""Mixpanel's published lookup-table endpoints on the ingestion host (`GET /lookup-tables`,
`PUT /lookup-tables/{id}`), through the generated builders and the client's transport, against
a strict-auth emulator over loopback; the tables are made and read back with the seed's methods."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import aiohttp
import polars as pl
import pytest

import mixpanel_async as o
from mixpanel_async import AsyncWorkspace
from mixpanel_async._generated.operations import lookup_tables as ops
from mixpanel_async.emulator import Emulator
from mixpanel_async.exceptions import MixpanelAsyncError
from mixpanel_async.pytest_plugin import fast_retry_policy

PLANS = pl.DataFrame({"plan": ["pro", "free"], "price": ["10", "0"]})


@pytest.fixture
def strict() -> Iterator[Emulator]:
    """An emulator that only lets one service account in."""
    with Emulator(port=0, strict_auth=True, service_accounts={"sa": "pw"}) as emulator:
        yield emulator


@pytest.fixture
async def ws(strict: Emulator) -> AsyncIterator[AsyncWorkspace]:
    async with AsyncWorkspace(
        base_url=strict.url, project="1", username="sa", secret="pw", retry=fast_retry_policy()
    ) as workspace:
        yield workspace


async def _uploaded(ws: AsyncWorkspace, name: str) -> int:
    table = await ws.upload_lookup_table(o.UploadLookupTableParams(name=name, data=PLANS))
    return int(table.id)


async def test_list_gives_each_table_a_stable_uuid(ws: AsyncWorkspace) -> None:
    await _uploaded(ws, "plans")
    await _uploaded(ws, "tiers")
    first = await ws.api.call(ops.list_lookup_table_ids())
    again = await ws.api.call(ops.list_lookup_table_ids())
    assert (first.code, first.status) == (200, "OK")
    assert sorted(t.name for t in first.results) == ["plans", "tiers"]
    assert [t.id for t in first.results] == [t.id for t in again.results]
    ids = {str(uuid.UUID(t.id)) for t in first.results}  # each a well-formed UUID
    assert len(ids) == 2


async def test_put_replaces_the_contents(ws: AsyncWorkspace) -> None:
    group = await _uploaded(ws, "plans")
    (listed,) = (await ws.api.call(ops.list_lookup_table_ids())).results
    answer = await ws.api.call(
        ops.replace_lookup_table(id=listed.id, body=b"plan,price\nteam,25\nsolo,5\n")
    )
    assert (answer.code, answer.status) == (200, "OK")
    after = await ws.download_lookup_table(group)
    assert after.to_dicts() == [{"plan": "team", "price": "25"}, {"plan": "solo", "price": "5"}]
    tables = await ws.list_lookup_tables()
    assert [t.name for t in tables] == ["plans"]


async def test_bad_rows_are_listed_and_change_nothing(strict: Emulator, ws: AsyncWorkspace) -> None:
    group = await _uploaded(ws, "plans")
    (listed,) = (await ws.api.call(ops.list_lookup_table_ids())).results
    url = f"{strict.url}/lookup-tables/{listed.id}?project_id=1"
    body = b"plan,price\nteam,25\n,3\nsolo\n"
    auth = {"Authorization": aiohttp.encode_basic_auth("sa", "pw")}
    async with aiohttp.ClientSession() as http:
        async with http.put(url, data=body, headers={**auth, "Content-Type": "text/csv"}) as r:
            bad = (r.status, await r.json())
        async with http.put(
            url.replace(listed.id, str(uuid.uuid4())), data=body, headers=auth
        ) as r:
            unknown = (r.status, await r.json())
        async with http.get(f"{strict.url}/lookup-tables?project_id=1") as r:
            anonymous = (r.status, await r.json())
    assert bad == (
        400,
        {
            "code": 400,
            "error": "Some data points in the request failed validation.",
            "status": "Bad Request",
            "failed_records": [
                {"index": 1, "message": "primary key is required and cannot be blank"},
                {"index": 2, "message": "invalid row: wrong number of fields"},
            ],
        },
    )
    assert (unknown[0], unknown[1]["code"]) == (404, 404)
    assert (anonymous[0], set(anonymous[1])) == (401, {"code", "error", "status"})
    assert (await ws.download_lookup_table(group)).equals(PLANS)


async def test_unknown_id_through_the_client_raises(ws: AsyncWorkspace) -> None:
    with pytest.raises(MixpanelAsyncError):
        await ws.api.call(ops.replace_lookup_table(id=str(uuid.uuid4()), body=b"k,v\na,1\n"))
