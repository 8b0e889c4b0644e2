"""Lookup tables through AsyncWorkspace against the emulator: the whole upload flow over
HTTP (the signed storage URL takes the CSV without credentials), background uploads,
downloads as frames, renames and deletes; and Mixpanel's published ingestion-host endpoints
(tables by UUID, replaced by a CSV body) through the generated builders."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import mixpanel_async as o
from mixpanel_async import AsyncWorkspace
from mixpanel_async._generated.operations import lookup_tables as ops
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.routes.lookup_tables import BACKGROUND_BYTES
from mixpanel_async.exceptions import MixpanelAsyncError
from mixpanel_async.pytest_plugin import fast_retry_policy
from tests.helpers import refused, sends_nothing

PLANS = pl.DataFrame({"plan": ["pro", "free", "team"], "price": ["10", "0", "25"]})


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


async def test_upload_flow_from_each_source(ws: AsyncWorkspace, tmp_path: Path) -> None:
    from_frame = await ws.upload_lookup_table(o.UploadLookupTableParams(name="plans", data=PLANS))
    assert (from_frame.name, from_frame.has_mapped_properties) == ("plans", False)
    assert_frame_equal(await ws.download_lookup_table(from_frame.id), PLANS)

    path = tmp_path / "regions.csv"
    path.write_text("code,region\nFR,Europe\nJP,Asia\n")
    from_path = await ws.upload_lookup_table(
        o.UploadLookupTableParams(name="regions", file_path=str(path))
    )
    from_bytes = await ws.upload_lookup_table(
        o.UploadLookupTableParams(name="same", data=path.read_bytes())
    )
    regions = await ws.download_lookup_table(from_path.id)
    assert regions.to_dicts() == [
        {"code": "FR", "region": "Europe"},
        {"code": "JP", "region": "Asia"},
    ]
    assert_frame_equal(await ws.download_lookup_table(from_bytes.id), regions)
    assert_frame_equal(await ws.download_lookup_table(from_frame.id, limit=1), PLANS.head(1))

    listed = await ws.list_lookup_tables()
    assert [(t.id, t.name) for t in listed] == [
        (from_frame.id, "plans"), (from_path.id, "regions"), (from_bytes.id, "same"),
    ]  # fmt: skip
    assert [t.id for t in await ws.list_lookup_tables(data_group_id=from_path.id)] == [from_path.id]

    # New contents under the same data group id.
    replaced = await ws.upload_lookup_table(
        o.UploadLookupTableParams(name="plans v2", data=PLANS.head(2), data_group_id=from_frame.id)
    )
    assert (replaced.id, replaced.name) == (from_frame.id, "plans v2")
    assert_frame_equal(await ws.download_lookup_table(from_frame.id), PLANS.head(2))

    renamed = await ws.update_lookup_table(from_path.id, o.UpdateLookupTableParams(name="geo"))
    assert renamed.name == "geo"
    await ws.delete_lookup_tables([from_path.id, from_bytes.id])
    assert [t.id for t in await ws.list_lookup_tables()] == [from_frame.id]
    await refused(ws.download_lookup_table(from_path.id), 404)
    await refused(ws.delete_lookup_tables([from_frame.id, 99]), 404)
    assert len(await ws.list_lookup_tables()) == 1  # all or nothing


async def test_signed_urls_take_no_credentials(ws: AsyncWorkspace, strict: Emulator) -> None:
    target = await ws.get_lookup_upload_url()
    assert target.path.endswith(f"{target.key}.csv")
    async with aiohttp.ClientSession() as plain:  # no Authorization header at all
        async with plain.put(target.url, data=b"id,x\n1,a\n") as answer:
            assert answer.status == 200
        tampered = target.url.replace("signature=", "signature=0")
        async with plain.put(tampered, data=b"id,x\n") as answer:
            assert answer.status == 403
        async with plain.put(
            f"{strict.url}/api/app/projects/1/data-definitions/lookup-tables/"
        ) as answer:
            assert answer.status == 401  # the App API itself still wants credentials
    table = await ws.mark_lookup_table_ready(o.MarkLookupTableReadyParams(name="t", key=target.key))
    url = await ws.get_lookup_download_url(table.id)
    async with aiohttp.ClientSession() as plain, plain.get(url) as answer:
        assert (answer.status, await answer.text()) == (200, "id,x\n1,a\n")
    # A key registers once; an unknown key is refused.
    await refused(
        ws.mark_lookup_table_ready(o.MarkLookupTableReadyParams(name="t", key=target.key)), 400
    )


async def test_background_upload_is_polled(ws: AsyncWorkspace) -> None:
    rows = BACKGROUND_BYTES // 40 + 1
    big = pl.DataFrame({"key": [f"k{i:08d}" for i in range(rows)], "value": ["v" * 28] * rows})
    table = await ws.upload_lookup_table(
        o.UploadLookupTableParams(name="big", data=big), poll_interval=0.001
    )
    assert table.name == "big"
    got = await ws.download_lookup_table(table.id)
    assert (got.height, got["key"][-1]) == (rows, f"k{rows - 1:08d}")
    status = await ws.get_lookup_upload_status("nope")
    assert status == {"uploadStatus": "NOTFOUND"}


async def test_upload_refused_by_storage(ws: AsyncWorkspace) -> None:
    with pytest.raises(MixpanelAsyncError, match=r"cannot be read|400"):
        await ws.upload_lookup_table(o.UploadLookupTableParams(name="bad", data=b"\xff\xfe\x00"))


test_arguments_refused = sends_nothing(
    (lambda ws: ws.upload_lookup_table(o.UploadLookupTableParams(name="x")), "exactly one"),
    (
        lambda ws: ws.upload_lookup_table(
            o.UploadLookupTableParams(name="x", data=b"a", file_path="f.csv")
        ),
        "exactly one",
    ),
    (
        lambda ws: ws.upload_lookup_table(o.UploadLookupTableParams(name=" ", data=b"a")),
        "name must be a non-empty string",
    ),
    (
        lambda ws: ws.upload_lookup_table(o.UploadLookupTableParams(name="x", data="a,b")),  # type: ignore[arg-type]
        "data must be bytes or a polars.DataFrame",
    ),
    (
        lambda ws: ws.upload_lookup_table(
            o.UploadLookupTableParams(name="x", data=b"a"), poll_interval=0
        ),
        "poll_interval must be a positive number",
    ),
    (
        lambda ws: ws.upload_lookup_table(
            o.UploadLookupTableParams(name="x", data=b"a", data_group_id=0)
        ),
        "data_group_id must be a positive integer",
    ),
    (lambda ws: ws.list_lookup_tables(data_group_id=-1), "data_group_id"),
    (lambda ws: ws.download_lookup_table(1, limit=0), "limit must be >= 1"),
    (lambda ws: ws.delete_lookup_tables([]), "data_group_ids must not be empty"),
    (lambda ws: ws.get_lookup_upload_status(""), "upload_id must be a non-empty string"),
    (lambda ws: ws.update_lookup_table(1, {"name": "x"}), "UpdateLookupTableParams"),  # type: ignore[arg-type]
    (
        lambda ws: ws.mark_lookup_table_ready(o.MarkLookupTableReadyParams(name="x", key="")),
        "key must be a non-empty string",
    ),
)


# --- Mixpanel's published endpoints on the ingestion host: GET /lookup-tables and
# PUT /lookup-tables/{id}, through the generated builders and the client's transport.
OFFICIAL_PLANS = pl.DataFrame({"plan": ["pro", "free"], "price": ["10", "0"]})


async def _uploaded(ws: AsyncWorkspace, name: str) -> int:
    table = await ws.upload_lookup_table(o.UploadLookupTableParams(name=name, data=OFFICIAL_PLANS))
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
    assert (await ws.download_lookup_table(group)).equals(OFFICIAL_PLANS)


async def test_unknown_id_through_the_client_raises(ws: AsyncWorkspace) -> None:
    with pytest.raises(MixpanelAsyncError):
        await ws.api.call(ops.replace_lookup_table(id=str(uuid.uuid4()), body=b"k,v\na,1\n"))


async def test_unreadable_replacement_is_a_400(strict: Emulator, ws: AsyncWorkspace) -> None:
    group = await _uploaded(ws, "plans")
    (listed,) = (await ws.api.call(ops.list_lookup_table_ids())).results
    url = f"{strict.url}/lookup-tables/{listed.id}?project_id=1"
    auth = {"Authorization": aiohttp.encode_basic_auth("sa", "pw")}
    bodies = [b"plan,price\n" + b"x" * 200_000 + b",1\n", b"\xff\xfe\x00bad", b""]
    async with aiohttp.ClientSession() as http:
        for body in bodies:
            async with http.put(url, data=body, headers=auth) as resp:
                assert resp.status == 400, await resp.text()
                assert set(await resp.json()) == {"code", "error", "status"}
    assert (await ws.download_lookup_table(group)).equals(OFFICIAL_PLANS)
