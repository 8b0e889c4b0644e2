"""`--data-dir` durability: an emulator process killed (`kill -9`) or stopped (SIGTERM) during an
import keeps every event it acknowledged, exactly once; damaged files stop it with one line."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import polars as pl
import pytest

from mixpanel_async import AsyncWorkspace, RetryPolicy
from mixpanel_async.emulator import Emulator, State
from mixpanel_async.emulator import wal as wal_module
from mixpanel_async.emulator.event_text import full_texts
from mixpanel_async.emulator.persistence import load
from mixpanel_async.emulator.store import EVENT_SCHEMA
from mixpanel_async.emulator.wal import PersistenceError
from tests.helpers import row

BATCH = 2000
_COMMAND = (sys.executable, "-m", "mixpanel_async.emulator")
WORKERS = 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(data_dir: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [*_COMMAND, "--port", str(port), "--data-dir", str(data_dir), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a loaded machine can be slow to start Python
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the emulator exited: {proc.stderr.read().decode()}")  # type: ignore[union-attr]
        with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return proc, url
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("the emulator did not come up")


@contextmanager
def emulator_process(data_dir: Path, *extra: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """An emulator process on `data_dir`, killed at the end if still running."""
    proc, url = _start(data_dir, *extra)
    try:
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)
        if proc.stderr is not None:
            proc.stderr.close()


def _events(worker: int, batch: int) -> list[dict[str, Any]]:
    base = 1_780_000_000 + batch * 10
    return [
        {
            "event": "Imported",
            "properties": {
                "time": base + i % 7,
                "distinct_id": f"u{i % 50}",
                "$insert_id": f"w{worker}-b{batch}-{i}",
                "n": i,
            },
        }
        for i in range(BATCH)
    ]


async def _import_until(url: str, stop_after: int, stop: Any) -> tuple[set[str], set[str]]:
    """Import batches from `WORKERS` tasks until `stop_after` events are acknowledged, then call
    `stop()` while batches are still in flight; returns the acknowledged and the in-flight
    `$insert_id`s (no retries: a batch is either acknowledged or in flight when it fails)."""
    acked: set[str] = set()
    in_flight: dict[tuple[int, int], set[str]] = {}
    stopped = asyncio.Event()

    async def worker(ws: AsyncWorkspace, w: int) -> None:
        for b in range(10_000):
            if stopped.is_set():
                return
            batch = _events(w, b)
            ids = {e["properties"]["$insert_id"] for e in batch}
            in_flight[(w, b)] = ids
            try:
                result = await ws.import_events(batch)
            except Exception:
                return  # the server went away with this batch unacknowledged
            assert result.imported == BATCH
            del in_flight[(w, b)]
            acked.update(ids)
            if len(acked) >= stop_after and not stopped.is_set():
                stopped.set()
                stop()  # the other workers' batches are on the wire now

    async with AsyncWorkspace(base_url=url, retry=RetryPolicy(attempts=1)) as ws:
        await asyncio.gather(*(worker(ws, w) for w in range(WORKERS)))
    return acked, set().union(*in_flight.values()) if in_flight else set()


async def _stored_ids(url: str) -> list[str]:
    async with aiohttp.ClientSession() as http, http.get(url + "/__emulator/events") as r:
        assert r.status == 200
        events = await r.json()
    return [e["properties"]["$insert_id"] for e in events]


def _stored_raw_count(data_dir: Path) -> int:
    """The number of stored rows, duplicates included (the emulator is stopped)."""
    state = State()
    load(state, data_dir)
    return len(state.default.events)


@pytest.mark.parametrize(
    "how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["kill-9", "sigterm", "sigint"]
)
async def test_acknowledged_events_survive_the_process_ending(tmp_path: Path, how: int) -> None:
    with emulator_process(tmp_path) as (proc, url):
        acked, in_flight = await _import_until(url, 10 * BATCH, lambda: proc.send_signal(how))
        code = await asyncio.to_thread(proc.wait, 120)
    assert code == (-signal.SIGKILL if how == signal.SIGKILL else 0)
    if how != signal.SIGKILL:  # a clean stop saved everything into the snapshot
        assert [wal_module.read(p)[0] for _, p in wal_module.segments(tmp_path)] == [[]]
    with emulator_process(tmp_path) as (_, url):
        stored = await _stored_ids(url)
    stored_set = set(stored)
    assert acked <= stored_set  # nothing acknowledged is lost
    assert stored_set <= acked | in_flight  # nothing invented
    unanswered = stored_set - acked
    assert len(unanswered) % BATCH == 0  # an unanswered batch is stored whole or not at all
    assert len(stored) == len(stored_set) == len(acked) + len(unanswered)
    assert _stored_raw_count(tmp_path) == len(stored)  # no record replayed twice


async def test_every_kind_of_write_survives_kill_9(tmp_path: Path) -> None:
    with emulator_process(tmp_path) as (proc, url):
        async with AsyncWorkspace(base_url=url, retry=RetryPolicy(attempts=1)) as ws:
            await ws.import_events(_events(0, 0)[:10])
            await ws.import_profiles(
                [{"$distinct_id": f"p{i}", "$set": {"plan": "pro", "i": i}} for i in range(30)]
            )
            await ws.import_profiles([{"$distinct_id": "p3", "$delete": ""}])
            dashboard = await ws.create_dashboard({"title": "Kept"})
            gone = await ws.create_dashboard({"title": "Gone"})
            await ws.delete_dashboard(gone.id)
        async with aiohttp.ClientSession() as http:
            body = '[{"$group_key": "company", "$group_id": "acme", "$set": {"seats": 3}}]'
            async with http.post(url + "/groups", data={"data": body}) as r:
                assert r.status == 200, await r.text()
        proc.kill()
        await asyncio.to_thread(proc.wait, 60)
    with emulator_process(tmp_path) as (proc, url):
        async with AsyncWorkspace(base_url=url) as ws:
            assert [d.title for d in await ws.list_dashboards()] == ["Kept"]
            assert (await ws.list_dashboards())[0].id == dashboard.id
        async with aiohttp.ClientSession() as http:
            async with http.get(url + "/__emulator/people") as r:
                people = {p["$distinct_id"]: p["$properties"] for p in await r.json()}
            assert len(await _stored_ids(url)) == 10
            # an admin reset is a write too
            async with http.post(url + "/__emulator/reset") as r:
                assert r.status == 200
        assert set(people) == {f"p{i}" for i in range(30)} - {"p3"}
        assert people["p7"]["i"] == 7
        proc.kill()
        await asyncio.to_thread(proc.wait, 60)
    with emulator_process(tmp_path) as (proc, url):
        assert await _stored_ids(url) == []
        async with AsyncWorkspace(base_url=url) as ws:
            assert await ws.list_dashboards() == []


async def test_groups_and_checkpoints_in_process(tmp_path: Path) -> None:
    async with Emulator(port=0, data_dir=tmp_path) as emu:
        async with aiohttp.ClientSession() as http:
            body = '[{"$group_key": "company", "$group_id": "acme", "$set": {"seats": 3}}]'
            async with http.post(emu.url + "/groups", data={"data": body}) as r:
                assert r.status == 200
        assert emu._durable is not None
        await emu._durable.checkpoint()  # compaction: a new snapshot, older logs deleted
        events = _events(0, 1)[:5]
        for i, event in enumerate(events):
            event["properties"]["text"] = ['ü 😀 "q"\n', i]  # non-ASCII, escapes, nesting
        async with AsyncWorkspace(base_url=emu.url) as ws:
            await ws.import_events(events)
        names = sorted(await asyncio.to_thread(os.listdir, tmp_path))
        names.remove("home")  # the test session's HOME
        assert names == ["LOCK", "MANIFEST.json", "snapshot-000002", "wal-000002.log"]
        emu.state.default.groups.clear()  # not logged before a request commits it
        crashed = State()  # what a crash now would leave: the snapshot plus the log
        load(crashed, tmp_path)
        assert crashed.default.groups == {("company", "acme"): {"seats": 3}}
        assert crashed.default.events.frame().equals(emu.state.default.events.frame())
    after = State()
    load(after, tmp_path)
    assert after.default.groups == {}
    assert len(after.default.events) == 5


def _exit_of(data_dir: Path) -> tuple[int, str]:
    done = subprocess.run(
        [*_COMMAND, "--port", "0", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stderr


def test_corrupt_files_refuse_to_start_with_one_line(tmp_path: Path) -> None:
    with Emulator(port=0, data_dir=tmp_path) as emu:
        emu.state.default.profiles["u"] = {"a": 1}
    snapshot = next(tmp_path.glob("snapshot-*"))
    parquet = snapshot / "1" / "profiles.parquet"
    parquet.write_bytes(parquet.read_bytes()[:40])
    code, err = _exit_of(tmp_path)
    assert code != 0
    assert err.strip().count("\n") == 0, err
    assert str(parquet) in err


def test_damaged_log_record_refuses_to_start(tmp_path: Path) -> None:
    log = tmp_path / "wal-000001.log"
    good = wal_module.encode("profiles", "1", [["a", {"x": 1}]])
    bad = bytearray(wal_module.encode("profiles", "1", [["b", {"x": 2}]]))
    bad[-2] ^= 0xFF  # a flipped byte in a record that is not the last one
    log.write_bytes(wal_module.MAGIC + good + bytes(bad) + good)
    code, err = _exit_of(tmp_path)
    assert code != 0
    assert err.strip().count("\n") == 0, err
    assert str(log) in err
    assert "checksum" in err


async def test_torn_final_record_is_dropped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    log = tmp_path / "wal-000001.log"
    good = wal_module.encode("profiles", "1", [["a", {"x": 1}]])
    torn = wal_module.encode("profiles", "1", [["b", {"x": 2}]])[:-5]
    log.write_bytes(wal_module.MAGIC + good + torn)
    async with Emulator(port=0, data_dir=tmp_path) as emu:
        assert emu.state.default.profiles == {"a": {"x": 1}}
        size = (await asyncio.to_thread(log.stat)).st_size
        assert size == len(wal_module.MAGIC) + len(good)
    assert "torn" in caplog.text
    assert str(log) in caplog.text


async def test_one_emulator_per_data_directory(tmp_path: Path) -> None:
    async with Emulator(port=0, data_dir=tmp_path):
        with pytest.raises(PersistenceError, match="in use by another emulator"):
            await Emulator(port=0, data_dir=tmp_path).start()
    async with Emulator(port=0, data_dir=tmp_path):  # free again once the first stopped
        pass


async def test_a_failed_start_lets_the_directory_go(tmp_path: Path) -> None:
    async with Emulator(port=0) as holder:
        with pytest.raises(OSError, match="in use"):  # the port is taken
            await Emulator(port=holder.port, data_dir=tmp_path).start()
    async with Emulator(port=0, data_dir=tmp_path):
        pass


async def _compacted_after_import(emu: Emulator, data_dir: Path, n: int) -> None:
    """Import `n` events, wait for a checkpoint to supersede the first log, and check that a
    crash then would keep them."""
    async with AsyncWorkspace(base_url=emu.url) as ws:
        await ws.import_events(_events(0, 0)[:n])
    first_log = data_dir / "wal-000001.log"
    for _ in range(600):  # a checkpoint runs in the background
        if not first_log.exists():
            break
        await asyncio.sleep(0.05)
    assert not first_log.exists()
    crashed = State()
    load(crashed, data_dir)
    assert len(crashed.default.events) == n


async def test_periodic_checkpoints_compact_the_log(tmp_path: Path) -> None:
    async with Emulator(port=0, data_dir=tmp_path, checkpoint_interval=0.05) as emu:
        await _compacted_after_import(emu, tmp_path, 3)


async def test_a_log_past_its_size_limit_is_compacted(tmp_path: Path) -> None:
    async with Emulator(port=0, data_dir=tmp_path) as emu:
        assert emu._durable is not None
        emu._durable.checkpoint_bytes = 1_000  # one batch passes it
        await _compacted_after_import(emu, tmp_path, 20)


async def test_every_record_kind_replays(tmp_path: Path) -> None:
    async with Emulator(port=0, data_dir=tmp_path) as emu:
        durable, project = emu._durable, emu.state.default
        assert durable is not None
        project.events.append([row("a", "u1", 1_780_000_000_000, "i1")])
        project.profiles.update({"u1": {"x": 1}, "u2": {"x": 2}})
        project.groups[("company", "acme")] = {"seats": 1}
        await durable.commit(check_meta=False)
        emu.state.reset()  # state-wide: every kind after it starts from nothing
        project.events.append([row("b", "u2", 1_780_000_000_000, "i2")] * 2)
        project.events.clear()
        kept = [row("c", "u3", 1_780_000_000_000, "i3"), row("d", "u3", 1_780_000_000_000)]
        doomed = [row("x", "u9", 1_780_000_000_000, "i9")]
        project.events.replace(pl.DataFrame(doomed + kept, schema=EVENT_SCHEMA, orient="row"))
        project.events.remove(pl.Series([True, False]))  # deletion requests go through here
        project.profiles["u3"] = {"y": 3}
        project.profiles.clear()
        project.profiles["u4"] = {"z": 4}
        project.groups.clear()
        project.groups[("company", "beta")] = {"seats": 2}
        project.timezone = "Europe/Paris"
        await durable.commit(check_meta=True)
        crashed = State()
        load(crashed, tmp_path)
    got = crashed.default
    assert got.events.frame().rows() == project.events.frame().rows()
    whole = full_texts(got.events.frame()).to_list()
    assert [orjson.loads(t) for t in whole] == [orjson.loads(r[4]) for r in kept]
    assert dict(got.profiles) == {"u4": {"z": 4}}
    assert dict(got.groups) == {("company", "beta"): {"seats": 2}}
    assert got.timezone == "Europe/Paris"


@pytest.mark.parametrize("bad", ["file", "interval"])
def test_an_unusable_data_directory_is_one_line(tmp_path: Path, bad: str) -> None:
    target = tmp_path / "taken"
    target.write_text("not a directory")
    args = [*_COMMAND, "--port", "0", "--data-dir", str(target)]
    if bad == "interval":
        args[-1] = str(tmp_path / "fine")
        args += ["--checkpoint-interval", "0"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert ("taken" if bad == "file" else "checkpoint_interval") in done.stderr
    if bad == "file":
        assert done.stderr.strip().count("\n") == 0, done.stderr
