"""`python -m benchmarks`: run the benchmarks and print figures and ratios.

python -m benchmarks                          # export, import, profiles, emulator, query, insights
python -m benchmarks --only export --events 200000
python -m benchmarks --parquet                # also the 5M-event Parquet peak-RSS run
python -m benchmarks --only distributed       # 10M events to local S3: one process vs Dask
python -m benchmarks --only startup           # import time and emulator /health after launch
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from benchmarks import (
    custom_properties_bench,
    distributed_bench,
    drop_filters_bench,
    emulator_bench,
    export_bench,
    health_bench,
    import_bench,
    insights_concurrency_bench,
    lookup_bench,
    memory_bench,
    parquet_bench,
    profiles_bench,
    replays_bench,
    startup_bench,
    wal_bench,
)

ALL = (
    "export",
    "import",
    "profiles",
    "emulator",
    "query",
    "insights",
    "drop_filters",
    "replays",
    "wal",
    "health",
    "custom_properties",
    "lookup",
    "startup",
    "memory",
    "parquet",
    "distributed",
)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--events", type=int, default=1_000_000, help="events to export/import")
    parser.add_argument("--sdk-events", type=int, default=100_000,
                        help="events for the official SDK's (slow) import path")  # fmt: skip
    parser.add_argument("--profiles", type=int, default=100_000, help="profiles to page through")
    parser.add_argument("--latency", type=float, default=0.02, help="seconds added per page")
    parser.add_argument("--parquet", action="store_true", help="run the Parquet peak-RSS export")
    parser.add_argument("--parquet-events", type=int, default=5_000_000)
    parser.add_argument("--query-events", type=int, default=10_000_000,
                        help="events for segmentation vs DuckDB")  # fmt: skip
    parser.add_argument("--dask-events", type=int, default=10_000_000,
                        help="events for the S3 export, one process vs a Dask cluster")  # fmt: skip
    parser.add_argument("--dask-rounds", type=int, default=1,
                        help="distributed: alternate the two contenders N times")  # fmt: skip
    parser.add_argument("--dask-cold", action="store_true",
                        help="distributed: start both contenders cold (no warm-up)")  # fmt: skip
    parser.add_argument("--memory-events", type=int, default=10_000_000,
                        help="events the emulator holds for the memory figure")  # fmt: skip
    parser.add_argument("--only", default=None, help=f"comma-separated subset of {ALL}")
    parser.add_argument("--no-peer", action="store_true", help="skip the (slow) peer in export")
    parser.add_argument("--contention", type=int, default=2,
                        help="busy processes beside a second export run (0: none)")  # fmt: skip
    args = parser.parse_args()
    chosen = set(args.only.split(",")) if args.only else set(ALL[:-2])
    if args.parquet:
        chosen.add("parquet")
    unknown = chosen - set(ALL)
    if unknown:
        parser.error(f"unknown benchmark(s) {sorted(unknown)}; choose from {ALL}")
    if "export" in chosen:
        export_bench.run(args.events, with_peer=not args.no_peer, contention=args.contention)
    if "import" in chosen:
        import_bench.run(args.events, args.sdk_events)
    if "profiles" in chosen:
        profiles_bench.run(args.profiles, args.latency)
    if "emulator" in chosen:
        emulator_bench.run(args.events)
    if "query" in chosen:
        # The engines run where the emulator runs them: in a process whose allocator is set up
        # as the emulator's own process sets it (`mixpanel_async.emulator.allocator`), which
        # must happen before Polars loads, so not in this one.
        code = (
            "from mixpanel_async.emulator import allocator; allocator.configure(); "
            f"from benchmarks import query_bench; query_bench.run({args.query_events})"
        )
        subprocess.run([sys.executable, "-c", code], check=True)
    if "insights" in chosen:
        insights_concurrency_bench.run()
    if "drop_filters" in chosen:
        drop_filters_bench.run(min(args.events, 200_000))
    if "replays" in chosen:
        replays_bench.run()
    if "wal" in chosen:
        wal_bench.run(min(args.events, 200_000))
    if "health" in chosen:
        health_bench.run()
    if "custom_properties" in chosen:
        custom_properties_bench.run(min(args.events, 200_000))
    if "parquet" in chosen:
        parquet_bench.run(args.parquet_events)
    if "distributed" in chosen:
        distributed_bench.run(args.dask_events, rounds=args.dask_rounds, cold=args.dask_cold)
    if "lookup" in chosen:
        lookup_bench.run(min(args.events, 200_000))
    if "startup" in chosen:
        startup_bench.run()
    if "memory" in chosen:
        memory_bench.run(args.memory_events)


if __name__ == "__main__":
    main()
