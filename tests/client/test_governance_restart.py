"""What issue 14's entities keep outside their tables survives a `--data-dir` restart, over
HTTP: a lookup file PUT to its signed URL but not yet registered, a background upload's status,
and the organization's business context (next to the project's)."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import aiohttp

import mixpanel_async as o
from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.route_helpers import ORGANIZATION_ID
from mixpanel_async.pytest_plugin import fast_retry_policy

CSV = b"plan,tier\nfree,low\npro,high\n"
AUTH = {"Authorization": "Basic " + base64.b64encode(b"u:s").decode()}
BIG = b"code,label\n" + b"".join(b"k%07d,%s\n" % (i, b"x" * 40) for i in range(120_000))


def _client(emu: Emulator) -> AsyncWorkspace:
    return AsyncWorkspace(
        base_url=emu.url, project="1", username="u", secret="s", retry=fast_retry_policy()
    )


async def test_pending_uploads_and_organization_context_survive_a_restart(
    tmp_path: Path,
) -> None:
    assert len(BIG) >= 5 * 1024 * 1024  # registered "in the background"
    org = {"level": "organization", "organization_id": ORGANIZATION_ID}
    async with Emulator(port=0, data_dir=tmp_path) as first, _client(first) as ws:
        pending = await ws.get_lookup_upload_url()
        big = await ws.get_lookup_upload_url()
        async with aiohttp.ClientSession() as http:  # no credentials, as a signed URL takes it
            for url, data in ((pending.url, CSV), (big.url, BIG)):
                async with http.put(url, data=io.BytesIO(data)) as resp:
                    assert resp.status == 200
            async with http.post(
                f"{first.url}/api/app/projects/1/data-definitions/lookup-tables/",
                data={"name": "codes", "key": big.key}, headers=AUTH,
            ) as resp:  # fmt: skip
                upload_id = (await resp.json())["results"]["uploadId"]
        await ws.set_business_context("Our org sells plans.", **org)  # type: ignore[arg-type]
        await ws.set_business_context("This project is the app.")

    async with Emulator(port=0, data_dir=tmp_path) as second, _client(second) as ws:
        table = await ws.mark_lookup_table_ready(
            o.MarkLookupTableReadyParams(name="plans", key=pending.key)
        )
        downloaded = await ws.download_lookup_table(table.id)
        assert downloaded.to_dicts() == [{"plan": "free", "tier": "low"},
                                         {"plan": "pro", "tier": "high"}]  # fmt: skip
        status = await ws.get_lookup_upload_status(upload_id)
        assert status["uploadStatus"] == "SUCCESS"
        assert {t.name for t in await ws.list_lookup_tables()} == {"plans", "codes"}
        got = await ws.get_business_context(**org)  # type: ignore[arg-type]
        assert got.content == "Our org sells plans."
        chain = await ws.get_business_context_chain()
        assert (chain.organization.content, chain.project.content) == (
            "Our org sells plans.", "This project is the app.")  # fmt: skip
