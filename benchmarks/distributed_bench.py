"""Export N events (10M by default) to a local S3 server (moto, on loopback): one process vs a
Dask `LocalCluster` of two worker processes, in the same run, answers compared (rows and a
checksum of every `insert_id`) before the times are printed. Reports throughput and peak
resident memory: the single process's, and each worker's."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from typing import Any

import pyarrow.parquet as pq
import s3fs

from benchmarks._server import emulator_process, synthetic_events
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


def run(n: int = 10_000_000, workers: int = 2) -> dict[str, Any]:
    from distributed import Client, LocalCluster

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
    out: dict[str, Any] = {}
    try:
        with emulator_process() as url:
            started = time.perf_counter()
            asyncio.run(_load(url, n))
            print(f"loaded {n:,} events in {time.perf_counter() - started:.1f}s")
            done = subprocess.run(
                [sys.executable, "-c", CHILD.format(FROM=FROM, TO=TO), url, "s3://bench/one",
                 json.dumps(options)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            one = json.loads(done.stdout.strip().splitlines()[-1])
            with (
                LocalCluster(
                    n_workers=workers, threads_per_worker=4, processes=True, dashboard_address=":0"
                ) as cluster,
                Client(cluster) as client,
            ):
                cpu_before = client.run(_cpu_seconds)
                started, here = time.perf_counter(), time.process_time()
                result = asyncio.run(_distributed(url, "s3://bench/dask", options, client))
                seconds, here = time.perf_counter() - started, time.process_time() - here
                cpu = sum(client.run(_cpu_seconds).values()) - sum(cpu_before.values())
                peaks = client.run(_peak_rss_mib)
            mine, theirs = _checksum(fs, "bench/one"), _checksum(fs, "bench/dask")
            assert mine == theirs, (mine, theirs)
            assert mine[0] == n, mine
            out = {
                "rows": mine[0],
                "checksum": mine[1],
                "one_process": one,
                "cluster": {
                    "seconds": seconds,
                    "rows": result.rows,
                    "worker_peak_rss_mib": peaks,
                    "workers_cpu_seconds": cpu,
                    "scheduler_and_caller_cpu_seconds": here,
                },
            }
    finally:
        server.terminate()
        server.wait()
    speedup = out["one_process"]["seconds"] / out["cluster"]["seconds"]
    verdict = "met" if speedup >= TARGET else "MISSED"
    print(
        f"export {n:,} events to S3: one process {out['one_process']['seconds']:.1f}s "
        f"({n / out['one_process']['seconds']:,.0f} ev/s, peak "
        f"{out['one_process']['peak_rss_mib']:.0f} MiB); LocalCluster of {workers} workers "
        f"{out['cluster']['seconds']:.1f}s ({n / out['cluster']['seconds']:,.0f} ev/s, peaks "
        + ", ".join(f"{v:.0f}" for v in out["cluster"]["worker_peak_rss_mib"].values())
        + f" MiB); cluster vs one process: {speedup:.2f}x (answers equal: {out['rows']:,} rows, "
        f"insert_id checksum {out['checksum']:x}); CPU seconds: one process "
        f"{out['one_process']['cpu_seconds']:.1f}, cluster workers "
        f"{out['cluster']['workers_cpu_seconds']:.1f} + scheduler and caller "
        f"{out['cluster']['scheduler_and_caller_cpu_seconds']:.1f}; "
        f"target >= {TARGET:.2f}x: {verdict}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    out["ratio"] = speedup
    return out
