"""`mixpanel-async emulator` binds first and answers `/health` while the emulator loads: the early
accept loop answers `/health` itself and hands every other connection, unread, to the emulator
once it serves; the command's module imports neither the client nor the emulator."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import orjson

from mixpanel_async import serve
from mixpanel_async.emulator import Emulator
from tests.helpers import fresh_python


async def _raw(port: int, request: bytes) -> bytes:
    """Send raw HTTP/1.1 bytes and read the answer to the end (the server closes)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer


async def test_early_health_then_handover_of_held_requests() -> None:
    sock = serve._bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    boot = serve._Boot(sock)
    emu = Emulator(port=0)
    try:
        health = await _raw(port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        head, _, body = health.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK")
        assert b"Connection: close" in head
        assert orjson.loads(body) == {"status": "ok"}
        query = await _raw(port, b"GET /health?probe=1 HTTP/1.0\r\n\r\n")
        assert query.endswith(b'{"status":"ok"}')
        gone = socket.create_connection(("127.0.0.1", port))  # a client that leaves at once
        gone.close()

        events = [{"event": "Early", "properties": {"distinct_id": "u1", "time": 1_700_000_000,
                                                     "$insert_id": "early-1"}}]  # fmt: skip
        payload = json.dumps(events).encode()

        async def early_calls() -> tuple[int, dict[str, object], int, dict[str, object]]:
            async with aiohttp.ClientSession() as http:
                base = f"http://127.0.0.1:{port}"
                root = asyncio.create_task(http.get(base + "/"))
                imported = await http.post(
                    base + "/import?strict=1",
                    data=payload,
                    headers={"Content-Type": "application/json"},
                )
                got = await root
                return got.status, await got.json(), imported.status, await imported.json()

        calls = asyncio.create_task(early_calls())
        await asyncio.sleep(0.05)  # let both requests reach the early loop (not required)
        await boot.stop_accepting()
        await emu.start(sock=sock)
        boot.hand_over(emu.adopt)
        root_status, root_body, import_status, import_body = await calls
        assert (root_status, root_body["service"]) == (200, "mixpanel-async emulator")
        assert import_status == 200, import_body
        assert [e["event"] for e in emu.events()] == ["Early"]
        assert emu.port == port
        async with (  # later connections reach the emulator's own server
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/health") as later,
        ):
            assert later.status == 200
            assert "Server" in later.headers
    finally:
        await boot.close()
        await emu.stop()
        sock.close()


async def test_no_connection_is_lost_while_the_emulator_takes_over() -> None:
    """Connections arriving as the early loop stops accepting are all answered: each is
    accepted by one side or the other, never accepted and dropped."""
    sock = serve._bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    boot = serve._Boot(sock)
    emu = Emulator(port=0)
    try:
        request = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        calls = [asyncio.create_task(_raw(port, request)) for _ in range(40)]
        for _ in range(3):  # some connections reach the early loop, others are still coming
            await asyncio.sleep(0)
        await boot.stop_accepting()
        await emu.start(sock=sock)
        boot.hand_over(emu.adopt)
        calls += [asyncio.create_task(_raw(port, request)) for _ in range(10)]
        answers = await asyncio.gather(*calls)
        assert all(a.startswith(b"HTTP/1.1 200") for a in answers), answers
    finally:
        await boot.close()
        await emu.stop()
        sock.close()


def test_the_command_module_imports_neither_client_nor_emulator() -> None:
    code = (
        "import sys, mixpanel_async.serve, mixpanel_async.entry\n"
        "heavy = ('polars', 'pyarrow', 'aiohttp', 'mixpanel_async.cli', 'mixpanel_async.emulator',"
        " 'mixpanel_async.workspace')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    assert fresh_python(code) == "[]"


def _script() -> Path:
    return Path(sys.executable).with_name("mixpanel-async")


def test_the_console_script_serves_after_health(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path / "out.txt").open("w")
    proc = subprocess.Popen(
        [str(_script()), "emulator", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "MIXPANEL_TOKEN": ""},
    )

    async def client() -> tuple[int, str]:
        async with aiohttp.ClientSession() as http:
            for _ in range(6000):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/health") as r:
                        if r.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.01)
            async with http.get(f"http://127.0.0.1:{port}/") as r:
                return r.status, (await r.json())["mode"]

    try:
        assert asyncio.run(client()) == (200, "open")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
    out = (tmp_path / "out.txt").read_text()
    assert f"Mixpanel emulator on http://127.0.0.1:{port} (open)" in out
    assert "stopping" in out
    assert proc.returncode == 0


def test_other_commands_go_to_the_full_command_line() -> None:
    done = subprocess.run([str(_script()), "--version"], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.startswith("mixpanel-async ")
    helped = subprocess.run(
        [str(_script()), "emulator", "--help"], capture_output=True, text=True, timeout=120
    )
    assert helped.returncode == 0
    assert "--rate-limits" in helped.stdout
