"""Export N events (10M by default) to a local S3 server (moto, on loopback): one process vs a
Dask `LocalCluster` of two worker processes, in the same run, answers compared (rows and a
checksum of every `insert_id`) before the times are printed. Reports throughput, peak resident
memory (the single process's, and each worker's) and CPU seconds per path: the exporter's own
(the child process, or the workers plus the scheduler and caller) and the whole machine's
(adding the emulator's and the S3 server's).

Both contenders start warm unless `cold=True`: a real cluster is long-lived, so the workers
are readied before the clock starts (`mixpanel_async.bulk.cluster.warm_up`: imports, a first
parse and Parquet write, the S3 client for these storage options); the one-process child does
the same for itself (`mixpanel_async.bulk.warm.warm`) before its clock starts. What each timed
export still pays for itself: its HTTP session to Mixpanel and (the cluster) the plugin
carrying the credentials, the tasks and the cluster-wide semaphore. `rounds` alternates the
two contenders that many times, one ratio per round; each round starts a cluster of its own
after the one-process run, so that no idle cluster takes CPU from the single process."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import pyarrow.parquet as pq
import s3fs

from benchmarks._server import cpu_seconds, emulator_child, synthetic_events
from mixpanel_async import AsyncWorkspace

FROM, TO = "2026-10-02", "2026-10-31"
TARGET = 1.0
"""The issue's target: the cluster is not slower than one process (ratio = one / cluster)."""

CHILD = """
import asyncio, json, resource, sys, time
from mixpanel_async import AsyncWorkspace

async def main(url, dest, options):
    async with AsyncWorkspace(base_url=url) as ws:
        return await ws.export_events_to_parquet(dest, "{FROM}", "{TO}", storage_options=options)

if {WARM}:
    import mixpanel_async.api.export_parquet
    from mixpanel_async.bulk import warm
    warm.warm(sys.argv[2], json.loads(sys.argv[3]))
started, cpu = time.perf_counter(), time.process_time()
result = asyncio.run(main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3])))
print(json.dumps({{"seconds": time.perf_counter() - started, "rows": result.rows,
                  "cpu_seconds": time.process_time() - cpu,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def _wait_for(url: str) -> None:
    import urllib.request

    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not start")


def _cpu_seconds() -> float:
    return time.process_time()


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _load(url: str, n: int) -> None:
    async with AsyncWorkspace(base_url=url) as ws:
        result = await ws.import_events(synthetic_events(n))
    assert result.imported == n, result


def _checksum(fs: s3fs.S3FileSystem, root: str) -> tuple[int, int]:
    """(rows, sum of the insert ids' hashes) of a dataset, file by file."""
    rows = total = 0
    for key in sorted(fs.glob(f"{root}/*/part-*.parquet")):
        with fs.open(key, "rb") as handle:
            column = pq.read_table(handle, columns=["insert_id"]).column("insert_id")
        rows += len(column)
        total += sum(hash(v) for v in column.to_pylist()) & 0xFFFFFFFFFFFF
    return rows, total


async def _distributed(url: str, dest: str, options: dict[str, Any], client: Any) -> Any:
    async with AsyncWorkspace(base_url=url) as ws:
        return await ws.export_events_to_parquet(
            dest, FROM, TO, storage_options=options, dask_client=client
        )


def _servers_cpu(pids: tuple[int, ...], fn: Callable[[], Any]) -> tuple[Any, float]:
    """`fn()`'s result and the CPU seconds the server processes spent meanwhile."""
    before = sum(cpu_seconds(pid) for pid in pids)
    result = fn()
    return result, sum(cpu_seconds(pid) for pid in pids) - before


def _one_process(
    url: str, dest: str, options: dict[str, Any], warm: bool, servers: tuple[int, ...]
) -> dict[str, Any]:
    """The export in a child process of its own (timed inside it, after its warm-up), while
    no cluster runs."""
    argv = [sys.executable, "-c", CHILD.format(FROM=FROM, TO=TO, WARM=warm), url, dest]
    done, servers_cpu = _servers_cpu(
        servers,
        lambda: subprocess.run(
            [*argv, json.dumps(options)], capture_output=True, text=True, check=True
        ),
    )
    one: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    one["servers_cpu_seconds"] = servers_cpu
    return one


def _cluster(
    url: str,
    dest: str,
    options: dict[str, Any],
    servers: tuple[int, ...],
    workers: int,
    warm: bool,
) -> dict[str, Any]:
    """The export with the partitions as tasks on a `LocalCluster` started for it (and warmed
    before the clock starts, unless `warm` is False)."""
    from distributed import Client, LocalCluster

    from mixpanel_async.bulk import cluster as dask_export

    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=4, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        if warm:
            dask_export.warm_up(client, "s3://bench", options)
        cpu_before = client.run(_cpu_seconds)
        started, here = time.perf_counter(), time.process_time()
        result, servers_cpu = _servers_cpu(
            servers, lambda: asyncio.run(_distributed(url, dest, options, client))
        )
        seconds, here = time.perf_counter() - started, time.process_time() - here
        return {
            "seconds": seconds,
            "rows": result.rows,
            "worker_peak_rss_mib": client.run(_peak_rss_mib),
            "workers_cpu_seconds": sum(client.run(_cpu_seconds).values())
            - sum(cpu_before.values()),
            "scheduler_and_caller_cpu_seconds": here,
            "servers_cpu_seconds": servers_cpu,
        }


def _report(n: int, workers: int, one: dict[str, Any], dask: dict[str, Any], answer: Any) -> float:
    speedup: float = one["seconds"] / dask["seconds"]
    verdict = "met" if speedup >= TARGET else "MISSED"
    own = dask["workers_cpu_seconds"] + dask["scheduler_and_caller_cpu_seconds"]
    print(
        f"export {n:,} events to S3: one process {one['seconds']:.1f}s "
        f"({n / one['seconds']:,.0f} ev/s, peak {one['peak_rss_mib']:.0f} MiB); LocalCluster of "
        f"{workers} workers {dask['seconds']:.1f}s ({n / dask['seconds']:,.0f} ev/s, peaks "
        + ", ".join(f"{v:.0f}" for v in dask["worker_peak_rss_mib"].values())
        + f" MiB); cluster vs one process: {speedup:.2f}x (answers equal: {answer[0]:,} rows, "
        f"insert_id checksum {answer[1]:x}); CPU seconds: one process {one['cpu_seconds']:.1f} "
        f"(+ emulator and S3 {one['servers_cpu_seconds']:.1f}), cluster workers "
        f"{dask['workers_cpu_seconds']:.1f} + scheduler and caller "
        f"{dask['scheduler_and_caller_cpu_seconds']:.1f} = {own:.1f} (+ emulator and S3 "
        f"{dask['servers_cpu_seconds']:.1f}); target >= {TARGET:.2f}x: {verdict}; "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    return speedup


def run(
    n: int = 10_000_000, workers: int = 2, rounds: int = 1, cold: bool = False
) -> dict[str, Any]:
    """Load `n` events, then export them `rounds` times each way (alternating); one line and
    one ratio per round. `cold`: neither contender is warmed before its clock starts."""
    from benchmarks._server import free_port

    # The S3 server runs in a process of its own, so that neither contender (nor the Dask
    # scheduler, which lives in this process) shares a GIL with it.
    host, port = "127.0.0.1", free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", host, "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(f"http://{host}:{port}/")
    options = {
        "key": "bench",
        "secret": "bench",
        "endpoint_url": f"http://{host}:{port}",
        "client_kwargs": {"region_name": "eu-west-1"},
    }
    fs = s3fs.S3FileSystem(**options)
    fs.mkdir("bench")
    out: dict[str, Any] = {"rounds": []}
    try:
        with emulator_child() as (url, emulator_pid):
            started = time.perf_counter()
            asyncio.run(_load(url, n))
            print(f"loaded {n:,} events in {time.perf_counter() - started:.1f}s")
            servers = (emulator_pid, server.pid)
            for i in range(rounds):
                one = _one_process(url, f"s3://bench/one{i}", options, not cold, servers)
                dask = _cluster(url, f"s3://bench/dask{i}", options, servers, workers, not cold)
                mine = _checksum(fs, f"bench/one{i}")
                theirs = _checksum(fs, f"bench/dask{i}")
                assert mine == theirs, (mine, theirs)
                assert mine[0] == n == one["rows"] == dask["rows"], (mine, one, dask)
                ratio = _report(n, workers, one, dask, mine)
                out["rounds"].append({"one_process": one, "cluster": dask, "ratio": ratio})
                fs.rm(f"bench/one{i}", recursive=True)  # the S3 server holds it in memory
                fs.rm(f"bench/dask{i}", recursive=True)
    finally:
        server.terminate()
        server.wait()
    out["ratio"] = min(r["ratio"] for r in out["rounds"])
    return out
