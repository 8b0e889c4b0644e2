"""What the official-SDK peer tests share: the Node SDK (installed from its lockfile by
`scripts/install-node-peers.sh`), a runner for `tests/peers/node/sdk.js`, and a configured HTTPS
emulator (project 7, token `tok7`, secret `sec7`, service account `svc`/`pw`, strict auth)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.pytest_plugin import fast_retry_policy

ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = Path(__file__).resolve().parent / "node"
INSTALL = ROOT / "scripts" / "install-node-peers.sh"
PROJECT, TOKEN, SECRET, USER, PASSWORD = "7", "tok7", "sec7", "svc", "pw"


def install_node_sdk() -> Path:
    """`npm ci` the Node SDK unless node_modules is newer than the lockfile; the driver's path.

    Fails (never skips) without node and npm: CI must run these tests."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise RuntimeError("the Node SDK peer tests need node and npm on PATH")
    installed = NODE_DIR / "node_modules" / ".package-lock.json"
    lock = NODE_DIR / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(["bash", str(INSTALL)], check=True, timeout=900)
    return NODE_DIR / "sdk.js"


def tls_emulator(tls_dir: Path) -> Emulator:
    """A strict HTTPS emulator with one configured project and service account (not started)."""
    return Emulator(
        port=0,
        tls=True,
        tls_dir=tls_dir,
        projects=[f"{PROJECT}:{TOKEN}:{SECRET}"],
        service_accounts={USER: PASSWORD},
        strict_auth=True,
    )


def run_node(driver: Path, emu: Emulator, scenario: str, **job: Any) -> Any:
    """Run one scenario of the Node driver against `emu`; its JSON answer."""
    job = {
        "scenario": scenario,
        "host": emu.host,
        "port": emu.port,
        "token": TOKEN,
        "secret": SECRET,
        "username": USER,
        "password": PASSWORD,
        "project_id": PROJECT,
        **job,
    }
    env = {**os.environ, **emu.tls_env()}
    done = subprocess.run(
        ["node", str(driver), json.dumps(job)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


def workspace(emu: Emulator) -> AsyncWorkspace:
    """Our client on `emu`'s project, trusting its CA."""
    return AsyncWorkspace(
        base_url=emu.url,
        project=PROJECT,
        username=USER,
        secret=PASSWORD,
        retry=fast_retry_policy(),
        ssl_context=emu.ssl_context(),
    )


def recent_days() -> tuple[str, str]:
    """Yesterday and today (UTC): an export range holding anything sent in the last hours."""
    today = datetime.now(UTC).date()
    return (today - timedelta(days=1)).isoformat(), today.isoformat()
