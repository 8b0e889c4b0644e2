"""The write-ahead log's cost on /import: the same import (gzip batches of 2000, 8 in flight)
into a fresh emulator process without `--data-dir` and with it under each fsync policy, in the
same run and interleaved (best of `repeat`); then how long a restart takes to replay the log
after `kill -9`.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks._server import free_port
from benchmarks.emulator_bench import _ingest

CONFIGS: dict[str, tuple[str, ...]] = {
    "no --data-dir": (),
    "--data-dir, --fsync never": ("--fsync", "never"),
    "--data-dir, --fsync interval (default)": ("--fsync", "interval"),
    "--data-dir, --fsync always (group commit)": ("--fsync", "always"),
}


def _wait_up(port: int, proc: subprocess.Popen[bytes]) -> float:
    started = time.perf_counter()
    while proc.poll() is None:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return time.perf_counter() - started
        time.sleep(0.01)
    raise RuntimeError("the emulator exited")


@contextlib.contextmanager
def _process(
    args: tuple[str, ...], data_dir: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    extra = ("--data-dir", str(data_dir), *args) if args else ()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mixpanel_async.emulator", "--port", str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_up(port, proc)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=120)


def run(n: int, repeat: int = 3) -> dict[str, float]:
    """Import `n` events per configuration, `repeat` times interleaved; returns the best
    events/s per configuration and prints each against the run without a data directory."""
    rates: dict[str, list[float]] = {label: [] for label in CONFIGS}
    log_bytes = 0
    replays: list[float] = []
    for _ in range(repeat):
        for label, args in CONFIGS.items():
            data_dir = Path(tempfile.mkdtemp(prefix="wal-bench-"))
            try:
                with _process(args, data_dir) as (url, proc):
                    took = asyncio.run(_ingest(url, n))
                    rates[label].append(n / took)
                    if args == ("--fsync", "interval"):
                        log_bytes = sum(p.stat().st_size for p in data_dir.glob("wal-*.log"))
                        proc.send_signal(signal.SIGKILL)
                        proc.wait(timeout=60)
                if args == ("--fsync", "interval"):
                    port = free_port()
                    again = subprocess.Popen(
                        [sys.executable, "-m", "mixpanel_async.emulator", "--port", str(port),
                         "--data-dir", str(data_dir)],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    )  # fmt: skip
                    try:
                        replays.append(_wait_up(port, again))
                    finally:
                        again.kill()
                        again.wait(timeout=60)
            finally:
                shutil.rmtree(data_dir, ignore_errors=True)
    best = {label: max(values) for label, values in rates.items()}
    base = best["no --data-dir"]
    print(f"\nwrite-ahead log cost on /import, {n:,} events (best of {repeat}, interleaved)")
    for label, rate in best.items():
        print(f"  {label:44s} {rate:12,.0f} ev/s  {rate / base:6.1%} of no --data-dir")
    print(f"  log size {log_bytes / 1e6:,.1f} MB ({log_bytes / n:,.0f} B/event)")
    print(f"  restart after kill -9 (replaying that log), until listening: {min(replays):.2f}s")
    per_batch()
    return best


def per_batch(batches: int = 200, repeat: int = 7) -> tuple[float, float]:
    """Server-side milliseconds to parse, validate and store one gzip batch of 2000 events,
    without and with the log (its records written, `--fsync never`), in one process, best of
    `repeat` interleaved rounds: the log's share of /import's work, less exposed to machine
    load than the HTTP figures."""
    import gzip
    import time as clock

    import orjson

    from benchmarks._server import synthetic_events
    from mixpanel_async.emulator import State
    from mixpanel_async.emulator.engine.ingest import import_records
    from mixpanel_async.emulator.persistence import Durability
    from mixpanel_async.emulator.router import _bounded_gunzip

    events = list(synthetic_events(2000))
    body = gzip.compress(orjson.dumps(events), compresslevel=1)
    best = {False: float("inf"), True: float("inf")}

    async def one_round(durable: bool) -> float:
        state = State()
        data_dir = Path(tempfile.mkdtemp(prefix="wal-bench-"))
        log = None
        if durable:
            log = Durability(state, data_dir, fsync="never")
            log.load()
            log.attach()
        try:
            now = int(clock.time() * 1000)
            started = clock.perf_counter()
            for _ in range(batches):
                records = orjson.loads(_bounded_gunzip(body))
                result = import_records(
                    state.default, records, mode="import", strict=True, now_ms=now
                )
                assert not result.failed, result.failed[:1]
                if log is not None:
                    await log.commit(check_meta=False)
            return (clock.perf_counter() - started) / batches * 1000
        finally:
            if log is not None and log.log is not None:
                await log.log.close()
                log.release()
            shutil.rmtree(data_dir, ignore_errors=True)

    for _ in range(repeat):
        for durable in (False, True):
            best[durable] = min(best[durable], asyncio.run(one_round(durable)))
    print(
        f"  per 2000-event batch in-process: {best[False]:.2f} ms without the log, "
        f"{best[True]:.2f} ms with it (+{best[True] / best[False] - 1:.1%})"
    )
    return best[False], best[True]
