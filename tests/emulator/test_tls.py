"""The emulator over HTTPS: a local CA (reused across starts), a given certificate, the CA served
at `/__emulator/ca.pem`, and our client trusting it through `ssl_context`."""

from __future__ import annotations

import asyncio
import ssl
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
import trustme
from typer.testing import CliRunner

from mixpanel_async import AsyncWorkspace
from mixpanel_async.cli import app
from mixpanel_async.emulator import Emulator
from mixpanel_async.pytest_plugin import fast_retry_policy
from mixpanel_async.serve import _bind, _run


async def test_client_trusts_the_emulator_ca(mixpanel_tls_emulator: Emulator) -> None:
    emu = mixpanel_tls_emulator
    assert emu.url.startswith("https://")
    async with AsyncWorkspace(
        base_url=emu.url,
        project="1",
        username="u",
        secret="s",
        retry=fast_retry_policy(),
        ssl_context=emu.ssl_context(),
    ) as ws:
        await ws.track("Signed In", {"plan": "pro"}, distinct_id="u1", token="t")
        today = datetime.now(UTC).date().isoformat()
        frame = await ws.export_events(today, today, partition="none")
    assert frame["event"].to_list() == ["Signed In"]
    assert frame["distinct_id"].to_list() == ["u1"]


async def test_an_untrusted_client_is_refused(mixpanel_tls_emulator: Emulator) -> None:
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await http.get(mixpanel_tls_emulator.url + "/health")


async def test_the_ca_is_served_and_written(mixpanel_tls_emulator: Emulator) -> None:
    emu = mixpanel_tls_emulator
    assert emu.ca_path is not None
    connector = aiohttp.TCPConnector(ssl=emu.ssl_context())
    async with (
        aiohttp.ClientSession(connector=connector) as http,
        http.get(emu.url + "/__emulator/ca.pem") as response,
    ):
        assert response.status == 200
        served = await response.read()
    assert served == emu.ca_path.read_bytes()
    assert served.startswith(b"-----BEGIN CERTIFICATE-----")
    assert emu.tls_env() == {
        "SSL_CERT_FILE": str(emu.ca_path),
        "REQUESTS_CA_BUNDLE": str(emu.ca_path),
        "NODE_EXTRA_CA_CERTS": str(emu.ca_path),
    }


async def test_plain_emulator_has_no_ca(mixpanel_emulator: Emulator) -> None:
    assert mixpanel_emulator.ca_path is None
    assert mixpanel_emulator.tls_env() == {}
    async with (
        aiohttp.ClientSession() as http,
        http.get(mixpanel_emulator.url + "/__emulator/ca.pem") as response,
    ):
        assert response.status == 404
        assert "--tls" in (await response.json())["error"]


async def test_the_ca_is_reused_across_starts(tmp_path: Path) -> None:
    async with Emulator(port=0, tls=True, tls_dir=tmp_path) as first:
        ca = first.ca_path
        assert ca is not None
        pem = ca.read_bytes()
        context = first.ssl_context()
    assert oct((tmp_path / "ca-key.pem").stat().st_mode & 0o777) == "0o600"
    async with Emulator(port=0, tls=True, tls_dir=tmp_path) as second:
        assert second.ca_path == ca
        assert ca.read_bytes() == pem
        # A client that trusted the first start trusts the second.
        connector = aiohttp.TCPConnector(ssl=context)
        async with (
            aiohttp.ClientSession(connector=connector) as http,
            http.get(second.url + "/health") as response,
        ):
            assert response.status == 200


async def test_a_given_certificate_is_served(tmp_path: Path) -> None:
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    leaf.cert_chain_pems[0].write_to_path(str(cert))
    leaf.private_key_pem.write_to_path(str(key))
    async with Emulator(port=0, tls_cert=cert, tls_key=key) as emu:
        assert emu.url.startswith("https://")
        assert emu.ca_path is None
        context = ssl.create_default_context()
        ca.configure_trust(context)
        async with AsyncWorkspace(
            base_url=emu.url, project="1", username="u", secret="s", ssl_context=context
        ) as ws:
            assert await ws.events() == []


def test_a_certificate_needs_its_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="both"):
        Emulator(port=0, tls_cert=tmp_path / "cert.pem")
    with pytest.raises(ValueError, match="cannot load"):
        Emulator(port=0, tls_cert=tmp_path / "cert.pem", tls_key=tmp_path / "key.pem")


async def test_the_command_prints_the_ca_and_env_hints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = Emulator(port=0, tls=True, tls_dir=tmp_path)
    sock = _bind("127.0.0.1", 0)
    serving = asyncio.create_task(_run(emu, sock, None, asyncio.Event()))
    out = ""
    while "NODE_EXTRA_CA_CERTS" not in out:  # the last line printed at start-up
        assert not serving.done(), serving.result()
        await asyncio.sleep(0.01)
        out += capsys.readouterr().out
    serving.cancel()
    await serving
    sock.close()
    assert f"on {emu.url} (open)" in out
    assert f"trust the CA in {tmp_path / 'ca.pem'}" in out
    for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"):
        assert f"export {name}={tmp_path / 'ca.pem'}" in out


def test_the_command_wants_a_key_with_a_certificate(tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("not a certificate")
    done = CliRunner().invoke(app, ["emulator", "--port", "0", "--tls-cert", str(cert)])
    assert done.exit_code == 2
    assert "both" in done.output
