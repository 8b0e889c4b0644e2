"""Readying a process for Parquet exports ahead of the first one (`warm`).

A fresh process pays, on its first export, for things a long-lived one has already done:
importing the export path (Polars, pyarrow's JSON reader and Parquet writer, aiohttp), importing
the destination's filesystem (`s3fs` pulls in aiobotocore and botocore), and the first call into
each native library (thread pools, kernels). In a Dask worker, that lands on the first
partitions of the first export, which then finish seconds after the others.

`warm` does all of it once per process and destination protocol, with a tiny export-shaped
round trip done in memory (a few JSON lines parsed and written as Parquet), so that an export
started afterwards spends its time on its own data. `cluster.warm_up` runs it on every worker.
"""

from __future__ import annotations

import io
import threading

import orjson

from mixpanel_async.bulk import files, tabular

_DONE: set[str] = set()
_LOCK = threading.Lock()

_SAMPLE = [
    {
        tabular.EVENT: "warm",
        tabular.PROPERTIES: {
            tabular.TIME: 1_700_000_000_000 + i,
            tabular.DISTINCT_ID: f"d{i}",
            tabular.INSERT_ID: f"i{i}",
            "n": i,
            "s": "x",
        },
    }
    for i in range(4)
]
"""A few export lines in Mixpanel's shape (wire keys read from the models, as the parser does)."""


def protocol_of(destination: str | None) -> str:
    """The fsspec protocol of a destination URL; `""` for a local path or none."""
    if destination is None or "://" not in destination:
        return ""
    protocol = destination.split("://", 1)[0].lower()
    return "" if protocol == "file" else protocol


def warm(destination: str | None = None) -> bool:
    """Ready this process for exports to `destination` (a URL, a path, or None for local disk).

    Idempotent: returns False when this process was already warmed for that protocol (nothing
    is done again), True when it did the work now.

    Raises:
        ImportError: the destination's filesystem is not installed (e.g. `s3fs` for `s3://`).
    """
    protocol = protocol_of(destination)
    with _LOCK:
        if protocol in _DONE:
            return False
        if protocol:
            import fsspec

            fsspec.get_filesystem_class(protocol)  # imports its implementation (s3fs, ...)
        lines = b"\n".join(orjson.dumps(event) for event in _SAMPLE) + b"\n"
        frame = tabular.sort_by_time(tabular.parse_events(lines, tabular.Hints()))
        files.storable(frame).write_parquet(io.BytesIO())
        _DONE.add(protocol)
        return True


def warmed() -> frozenset[str]:
    """The protocols this process has been warmed for (`""`: local disk)."""
    with _LOCK:
        return frozenset(_DONE)
