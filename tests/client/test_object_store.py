"""Exports to an object store and across a Dask cluster, on real parts: moto's S3 server on
loopback as the store, a `LocalCluster` of worker processes, the emulator as Mixpanel. Counts
are exact: nothing lost or doubled, even when a worker dies mid-export."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sys
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
import s3fs
from moto.server import ThreadedMotoServer

from mixpanel_async import AsyncWorkspace, ParamValidationError, PartitionError
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import FAST

DAYS = 6
PER_DAY = 400
FIRST = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
RANGE = ("2024-05-01", "2024-05-06")


def events() -> list[dict[str, Any]]:
    out = []
    for i in range(DAYS * PER_DAY):
        when = FIRST + dt.timedelta(seconds=i * 86400 // PER_DAY)
        props: dict[str, Any] = {
            "time": int(when.timestamp()),
            "distinct_id": f"u{i % 31}",
            "$insert_id": f"e-{i}",
        }
        if i % 2:
            props["plan"] = "pro"  # a property only some days' rows have
        if i >= 4 * PER_DAY:
            props["late"] = i  # columns that appear later: the schemas must be unified
        out.append({"event": "Tick", "properties": props})
    return out


@pytest.fixture(scope="module")
def s3() -> Iterator[dict[str, Any]]:
    """An S3-compatible server on loopback; yields the storage options to reach it."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    options = {
        "key": "testing",
        "secret": "testing-secret",
        "endpoint_url": f"http://{host}:{port}",
        "client_kwargs": {"region_name": "eu-west-1"},
    }
    s3fs.S3FileSystem(**options).mkdir("lake")
    yield options
    server.stop()


@pytest.fixture
def fs(s3: dict[str, Any]) -> s3fs.S3FileSystem:
    return s3fs.S3FileSystem(skip_instance_cache=True, **s3)


@pytest.fixture
def emu(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(events()))
    return mixpanel_emulator


def read_back(fs: s3fs.S3FileSystem, root: str) -> pl.DataFrame:
    frames = []
    for key in sorted(fs.glob(f"{root}/*/part-*.parquet")):
        with fs.open(key, "rb") as handle:
            frames.append(pl.read_parquet(handle))
    return pl.concat(frames, how="vertical")


def exact(frame: pl.DataFrame) -> None:
    assert frame.height == DAYS * PER_DAY
    assert sorted(frame["insert_id"].to_list()) == sorted(f"e-{i}" for i in range(DAYS * PER_DAY))


@pytest.mark.filterwarnings("ignore:The inplace keyword")
async def test_events_to_s3_one_object_per_partition(
    emu: Emulator, fast_workspace: AsyncWorkspace, s3: dict[str, Any], fs: s3fs.S3FileSystem
) -> None:
    result = await fast_workspace.export_events_to_parquet(
        "s3://lake/events", *RANGE, storage_options=s3
    )
    assert result.path == "s3://lake/events"
    assert result.rows == DAYS * PER_DAY
    assert fs.ls("lake/events", detail=False) == [
        f"lake/events/day=2024-05-0{d}" for d in range(1, 7)
    ]
    assert len(result.files) == DAYS
    frame = read_back(fs, "lake/events")
    exact(frame)
    schemas = {str(pl.read_parquet_schema(fs.open(k, "rb"))) for k in fs.glob("lake/events/*/*")}
    assert len(schemas) == 1  # harmonised: every file has the union schema
    # dask reads the Hive-partitioned dataset as it is
    import dask.dataframe as dd

    table = dd.read_parquet("s3://lake/events", storage_options=s3).compute()
    assert len(table) == DAYS * PER_DAY


async def test_a_rerun_resumes_from_the_missing_partitions(
    emu: Emulator, fast_workspace: AsyncWorkspace, s3: dict[str, Any], fs: s3fs.S3FileSystem
) -> None:
    emu.add_fault(operation="export_events", status=503, count=3)  # the first partition fails
    with pytest.raises(PartitionError):
        await fast_workspace.export_events_to_parquet(
            "s3://lake/resume", *RANGE, storage_options=s3, concurrency=1
        )
    emu.clear_faults()
    done_before = fs.ls("lake/resume", detail=False) if fs.exists("lake/resume") else []
    result = await fast_workspace.export_events_to_parquet(
        "s3://lake/resume", *RANGE, storage_options=s3
    )
    assert len(result.skipped) == len(done_before)
    assert len(result.fetched) + len(result.skipped) == DAYS
    exact(read_back(fs, "lake/resume"))
    again = await fast_workspace.export_events_to_parquet(
        "s3://lake/resume", *RANGE, storage_options=s3
    )
    assert again.fetched == []
    assert again.rows == DAYS * PER_DAY


async def test_another_export_is_refused_and_overwrite_replaces(
    emu: Emulator, fast_workspace: AsyncWorkspace, s3: dict[str, Any], fs: s3fs.S3FileSystem
) -> None:
    await fast_workspace.export_events_to_parquet("s3://lake/other", *RANGE, storage_options=s3)
    with pytest.raises(ParamValidationError, match="other filters"):
        await fast_workspace.export_events_to_parquet(
            "s3://lake/other", *RANGE, events=["Tick"], storage_options=s3
        )
    result = await fast_workspace.export_events_to_parquet(
        "s3://lake/other", *RANGE, events=["Tick"], storage_options=s3, overwrite=True
    )
    assert result.skipped == []
    exact(read_back(fs, "lake/other"))


async def test_single_files_and_profiles_to_s3(
    emu: Emulator, fast_workspace: AsyncWorkspace, s3: dict[str, Any], fs: s3fs.S3FileSystem
) -> None:
    emu.state.default.profiles.update({f"u{i}": {"$name": f"n{i}"} for i in range(50)})
    one = await fast_workspace.export_events_to_parquet(
        "s3://lake/all.parquet", *RANGE, storage_options=s3
    )
    assert one.rows == DAYS * PER_DAY
    with fs.open("lake/all.parquet", "rb") as handle:
        exact(pl.read_parquet(handle))
    with pytest.raises(ParamValidationError, match="exists"):
        await fast_workspace.export_events_to_parquet(
            "s3://lake/all.parquet", *RANGE, storage_options=s3
        )
    people = await fast_workspace.export_profiles_to_parquet(
        "s3://lake/people.parquet", storage_options=s3
    )
    assert people.rows == 50
    with fs.open("lake/people.parquet", "rb") as handle:
        assert pl.read_parquet(handle).height == 50


async def test_storage_options_need_a_url(fast_workspace: AsyncWorkspace, tmp_path: Any) -> None:
    with pytest.raises(ParamValidationError, match="storage_options"):
        await fast_workspace.export_events_to_parquet(
            tmp_path / "x", *RANGE, storage_options={"key": "k"}
        )


# --- Dask ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=2, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _filesystems_made() -> int:
    return len(s3fs.S3FileSystem._cache)


def _exports_held() -> int:
    from mixpanel_async.bulk import cluster

    loop = cluster._WORKER_LOOP
    return 0 if loop is None else len(loop.exports)


def _open_transports() -> int:
    import gc

    from mixpanel_async.transport.session import Transport

    return sum(1 for o in gc.get_objects() if isinstance(o, Transport) and o.is_open)


def _profiler_running(dask_worker: Any) -> bool:
    return bool(dask_worker.periodic_callbacks["profile"].is_running())


def _warm_state() -> tuple[bool, frozenset[str]]:
    from mixpanel_async.bulk import cluster, warm

    return cluster._WORKER_LOOP is not None, warm.warmed()


async def test_warm_up_readies_every_worker_once(
    emu: Emulator, s3: dict[str, Any], fs: s3fs.S3FileSystem, dask_client: Any
) -> None:
    from mixpanel_async.bulk import cluster

    workers = set(dask_client.scheduler_info()["workers"])
    first = await asyncio.to_thread(cluster.warm_up, dask_client, "s3://lake/events", s3)
    assert set(first) == workers
    # again (another URL of the same store, the same options): every worker is warm already
    again = await asyncio.to_thread(cluster.warm_up, dask_client, "s3://lake/other", s3)
    assert again == dict.fromkeys(workers, False)
    for loop_started, protocols in dask_client.run(_warm_state).values():
        assert loop_started
        assert "s3" in protocols
        assert any(p.startswith("s3:") for p in protocols)  # the store, by a digest
        assert not any(s3["secret"] in p for p in protocols)
    # an export on the warm cluster reuses each worker's store client: no new filesystem
    before = dask_client.run(_filesystems_made)
    async with AsyncWorkspace(base_url=emu.url, project="1", retry=FAST) as ws:
        result = await ws.export_events_to_parquet(
            "s3://lake/warm", *RANGE, storage_options=s3, dask_client=dask_client
        )
    assert result.rows == DAYS * PER_DAY
    exact(read_back(fs, "lake/warm"))
    assert dask_client.run(_filesystems_made) == before
    await asyncio.to_thread(cluster.warm_up, dask_client)  # a shared disk
    assert all("" in p for _, p in dask_client.run(_warm_state).values())
    with pytest.raises(ParamValidationError, match="destination"):
        cluster.warm_up(dask_client, 42)  # type: ignore[arg-type]
    with pytest.raises(ParamValidationError, match="storage_options"):
        cluster.warm_up(dask_client, "s3://lake", ["key"])  # type: ignore[arg-type]


def _pause_and_resume() -> tuple[bool, bool, bool]:
    import time

    from distributed import get_worker

    from mixpanel_async.bulk import cluster

    callback = get_worker().periodic_callbacks["profile"]
    paused = cluster._pause_profiler()
    time.sleep(0.3)  # the worker's loop runs the stop
    during = callback.is_running()
    cluster._resume_profiler(paused)
    time.sleep(0.3)
    return paused is not None, during, callback.is_running()


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the profiler is left alone on 3.12+")
def test_the_profiler_is_paused_while_an_export_runs_on_a_worker(dask_client: Any) -> None:
    # Python 3.11's sys._current_frames can deadlock with the garbage collector (gh-106883)
    assert dask_client.submit(_pause_and_resume, pure=False).result() == (True, False, True)


def test_warming_a_process_is_idempotent() -> None:
    from mixpanel_async.bulk import warm

    assert warm.protocol_of("s3://bucket/x") == "s3"
    assert warm.protocol_of("file:///tmp/x") == warm.protocol_of("/tmp/x") == ""
    assert warm.protocol_of(None) == ""
    warm.warm("memory://warm-test")  # True the first time in this process
    assert "memory" in warm.warmed()
    assert warm.warm("memory://elsewhere") is False


async def test_a_cluster_exports_to_s3_exactly(
    emu: Emulator, s3: dict[str, Any], fs: s3fs.S3FileSystem, dask_client: Any
) -> None:
    before = dask_client.run(_filesystems_made)
    async with AsyncWorkspace(
        base_url=emu.url, project="1", username="svc", secret="secret-never-in-graphs", retry=FAST
    ) as ws:
        result = await ws.export_events_to_parquet(
            "s3://lake/dask", *RANGE, storage_options=s3, dask_client=dask_client
        )
    assert result.rows == DAYS * PER_DAY
    assert len(result.fetched) == DAYS
    exact(read_back(fs, "lake/dask"))
    assert pl.scan_parquet  # the dataset is the same Hive layout as a one-process export
    # each worker opened the store once for all its partitions (one client, not one a task)
    after = dask_client.run(_filesystems_made)
    assert all(after[w] - before.get(w, 0) <= 1 for w in after), (before, after)
    assert set(dask_client.run(_exports_held).values()) == {0}  # forgotten when it ended
    assert set(dask_client.run(_open_transports).values()) == {0}  # its connections closed
    assert set(dask_client.run(_profiler_running).values()) == {True}  # resumed after it


async def test_a_worker_killed_mid_export_loses_and_doubles_nothing(
    emu: Emulator, s3: dict[str, Any], fs: s3fs.S3FileSystem, dask_client: Any
) -> None:
    emu.add_fault(operation="export_events", latency=2.0, count=100)
    pids = dask_client.run(os.getpid)
    victim = sorted(pids.values())[0]

    async def kill_soon() -> None:
        await asyncio.sleep(1.5)  # the first partitions are in flight on both workers
        os.kill(victim, signal.SIGKILL)

    async with AsyncWorkspace(base_url=emu.url, project="1", retry=FAST) as ws:
        killer = asyncio.ensure_future(kill_soon())
        result = await ws.export_events_to_parquet(
            "s3://lake/killed", *RANGE, storage_options=s3, dask_client=dask_client
        )
        await killer
    emu.clear_faults()
    assert result.rows == DAYS * PER_DAY
    exact(read_back(fs, "lake/killed"))
    assert victim not in dask_client.run(os.getpid).values()  # it did die (and was replaced)


async def test_a_cluster_export_wants_a_directory(
    emu: Emulator, s3: dict[str, Any], dask_client: Any, fast_workspace: AsyncWorkspace
) -> None:
    with pytest.raises(ParamValidationError, match="directory"):
        await fast_workspace.export_events_to_parquet(
            "s3://lake/one.parquet", *RANGE, storage_options=s3, dask_client=dask_client
        )


def test_the_cli_exports_to_s3_on_a_cluster(
    emu: Emulator, s3: dict[str, Any], fs: s3fs.S3FileSystem, dask_client: Any
) -> None:
    from typer.testing import CliRunner

    from mixpanel_async.cli import app

    args = ["export", "events", "--from", RANGE[0], "--to", RANGE[1], "--out", "s3://lake/cli"]
    args += ["--base-url", emu.url, "--project", "1", "--no-progress"]
    for key, value in (
        ("key", s3["key"]),
        ("secret", s3["secret"]),
        ("endpoint_url", s3["endpoint_url"]),
        ("client_kwargs.region_name", "eu-west-1"),
    ):
        args += ["--storage-option", f"{key}={value}"]
    done = CliRunner().invoke(app, [*args, "--scheduler", dask_client.scheduler.address])
    assert done.exit_code == 0, done.output
    assert f"{DAYS * PER_DAY:,} events in s3://lake/cli" in done.output
    exact(read_back(fs, "lake/cli"))
    bad = CliRunner().invoke(app, [*args[:8], "--storage-option", "nokey"])
    assert bad.exit_code == 2
    assert "KEY=VALUE" in bad.output
