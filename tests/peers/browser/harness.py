"""Runs a page in headless Chromium that drives the official browser SDK (npm
`mixpanel-browser`) against an emulator, and returns what the page reported.

`scripts/install-browser.sh` installs Debian's `chromium` and the SDK (`npm ci` here). A small
aiohttp server (another origin than the emulator, so every SDK call is a real cross-origin,
credentialed request) serves `page.html`, `scenario.js` and the SDK's files; the page POSTs its
results to `/report`. Chromium runs as a plain subprocess with a fresh profile and is ended by
its process id when the report is in.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import shutil
import ssl
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tests.helpers import serving

HERE = Path(__file__).parent
SDK_DIST = HERE / "node_modules" / "mixpanel-browser" / "dist"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--enable-logging=stderr", "--log-level=0",
)  # fmt: skip
# A guard against a page that never reports, not a speed check.
REPORT_TIMEOUT = float(os.environ.get("MP_BROWSER_REPORT_TIMEOUT", "120"))


def chromium() -> str:
    """The system Chromium's path; skips the test when it or the SDK is not installed, except
    under CI (`CI` set), where a missing install is a failure."""
    # Debian's /usr/bin/chromium is a shell wrapper that does not exec: run the browser itself,
    # so that ending the process we started ends Chromium.
    real = Path("/usr/lib/chromium/chromium")
    path = str(real) if real.is_file() else shutil.which("chromium")
    missing = []
    if path is None:
        missing.append("chromium")
    if not (SDK_DIST / "mixpanel.module.js").is_file():
        missing.append("npm mixpanel-browser")
    if missing:
        why = f"{', '.join(missing)} not installed: run scripts/install-browser.sh"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    assert path is not None
    return path


def _page_app(report: asyncio.Future[dict[str, Any]]) -> web.Application:
    async def page(_: web.Request) -> web.FileResponse:
        return web.FileResponse(HERE / "page.html")

    async def script(_: web.Request) -> web.FileResponse:
        return web.FileResponse(HERE / "scenario.js", headers={"Content-Type": "text/javascript"})

    async def sink(_: web.Request) -> web.Response:
        return web.Response(text="ok", content_type="text/html")

    async def receive(request: web.Request) -> web.Response:
        if not report.done():
            report.set_result(json.loads(await request.text()))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_get("/scenario.js", script)
    app.router.add_get("/sink", sink)
    app.router.add_post("/report", receive)
    app.router.add_static("/sdk", SDK_DIST)
    return app


async def run_page(
    api: str,
    token: str,
    scenario: str,
    *,
    job: dict[str, Any] | None = None,
    browser_flags: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Load the page with `scenario` against the emulator at `api`; the page's report.

    `job` (JSON) reaches the page as its `job` parameter; `browser_flags` are added to
    Chromium's command line. The report holds `statuses` (what each SDK callback received),
    `values` (ids and settings the page read back) and `errors` (exceptions in the page)."""
    binary = chromium()
    report: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    with tempfile.TemporaryDirectory(prefix="mp-chromium-", ignore_cleanup_errors=True) as profile:
        log_path = Path(profile) / "chromium.log"
        async with serving(_page_app(report)) as page_url:
            query = {"api": api, "token": token, "scenario": scenario}
            if job is not None:
                query["job"] = json.dumps(job)
            url = f"{page_url}/?" + urlencode(query)
            with log_path.open("wb") as log:
                process = await asyncio.create_subprocess_exec(
                    binary, *CHROMIUM_FLAGS, *browser_flags, f"--user-data-dir={profile}/data", url,
                    stdout=log, stderr=log,
                )  # fmt: skip
                exited = asyncio.ensure_future(process.wait())
                try:
                    first = asyncio.FIRST_COMPLETED
                    await asyncio.wait([report, exited], timeout=REPORT_TIMEOUT, return_when=first)
                finally:
                    if process.returncode is None:
                        process.terminate()
                    await exited
            if not report.done():
                text = log_path.read_text(errors="replace")
                tail = "\n".join(x for x in text.splitlines() if "dbus" not in x)[-4000:]
                raise AssertionError(f"the page never reported; Chromium's log:\n{tail}")
    return report.result()


def trust_certificate_of(host: str, port: int) -> tuple[str, ...]:
    """Chromium flags that accept the certificate `host:port` serves now (an HTTPS emulator's,
    issued by its own CA), by the hash of its public key, and nothing else."""
    pem = ssl.get_server_certificate((host, port))
    certificate = x509.load_pem_x509_certificate(pem.encode())
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = base64.b64encode(hashlib.sha256(spki).digest()).decode()
    return (f"--ignore-certificate-errors-spki-list={digest}",)


async def settle(done: Callable[[], bool], seconds: float = 10.0) -> None:
    """Wait (bounded, polling) until `done()` holds: for what the page sent without waiting
    for an answer (exposures, batches on a timer) to be stored. Not a speed check: on timeout
    it returns, and the assertions that follow say what is missing."""
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await asyncio.sleep(0.05)
