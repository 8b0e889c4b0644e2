"""The demo behind `mixpanel-async demo`: an embedded emulator with a synthetic product, and the
client talking to it over HTTP exactly as it would talk to Mixpanel."""

from __future__ import annotations

import time

from mixpanel_async.emulator import Emulator
from mixpanel_async.workspace import AsyncWorkspace


async def run() -> None:
    started = time.perf_counter()
    async with Emulator(port=0, seed="demo") as emu:
        print(
            f"emulator with demo data on {emu.url} "
            f"({len(emu.state.default.events):,} events, "
            f"{len(emu.state.default.profiles):,} profiles, "
            f"{time.perf_counter() - started:.1f}s)"
        )
        async with AsyncWorkspace(base_url=emu.url) as ws:
            me = await ws.me()
            print(f"signed in as {me.user_name} <{me.user_email}>")
            for project in await ws.projects():
                print(f"  project {project.id}: {project.name} ({project.timezone})")
            for w in await ws.list_workspaces():
                print(f"  workspace {w.id}: {w.name} (global={w.is_global})")
            print(f"resolved workspace id: {await ws.resolve_workspace_id()}")
            stats = await ws.api.raw("POST", "/stats", data={"action": "count()"}, family="engage")
            print(f"profiles counted by the engage API: {stats.get('results')}")
