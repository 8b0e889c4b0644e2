"""`python -m benchmarks [--events N]`: run every benchmark and print figures and ratios."""

from __future__ import annotations

import argparse

from benchmarks import export_bench


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--events", type=int, default=1_000_000, help="events to export")
    args = parser.parse_args()
    export_bench.run(args.events)


if __name__ == "__main__":
    main()
