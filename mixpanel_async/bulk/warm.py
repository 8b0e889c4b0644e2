"""Readying a process for Parquet exports ahead of the first one (`warm`).

A fresh process pays, on its first export, for things a long-lived one has already done:
importing the export path (Polars, pyarrow's JSON reader and Parquet writer, aiohttp), importing
the destination's filesystem (`s3fs` pulls in aiobotocore and botocore), and the first call into
each native library (thread pools, kernels). In a Dask worker, that lands on the first
partitions of the first export, which then finish seconds after the others.

`warm` does all of it once per process and destination protocol, with a tiny export-shaped
round trip done in memory (a few JSON lines parsed and written as Parquet); given the storage
options, it also opens the store once (its client is the costliest part of a worker's first
upload). An export started afterwards spends its time on its own data. `cluster.warm_up` runs
it on every worker.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import threading
from collections.abc import Mapping
from typing import Any

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


def _key(protocol: str, storage_options: Mapping[str, Any] | None) -> str:
    """What one warm-up covers: a protocol, and a digest of the options (never the options,
    which may hold secrets)."""
    if not protocol or not storage_options:
        return protocol
    text = orjson.dumps(storage_options, option=orjson.OPT_SORT_KEYS, default=repr)
    return f"{protocol}:{hashlib.sha256(text).hexdigest()[:16]}"


def warm(destination: str | None = None, storage_options: Mapping[str, Any] | None = None) -> bool:
    """Ready this process for exports to `destination` (a URL, a path, or None for local disk).

    For a URL, its filesystem is also opened with `storage_options` and asked whether the
    destination exists, so that its client (an S3 client: a botocore session, its service
    model, connections) is made now; fsspec keeps that filesystem for the export to reuse, as
    an export opening the same URL with the same options does.

    Idempotent: returns False when this process was already warmed for that protocol and those
    options (nothing is done again), True when it did the work now.

    Raises:
        ImportError: the destination's filesystem is not installed (e.g. `s3fs` for `s3://`).
        OSError: the store refused the request (e.g. bad credentials).
    """
    protocol = protocol_of(destination)
    key = _key(protocol, storage_options)
    with _LOCK:
        if key in _DONE:
            return False
        if protocol not in _DONE:
            _warm_code(protocol)
            _DONE.add(protocol)
        if key != protocol:
            import fsspec

            assert destination is not None
            fs, root = fsspec.core.url_to_fs(destination, **dict(storage_options or {}))
            fs.exists(root)
            _DONE.add(key)
        return True


def _warm_code(protocol: str) -> None:
    """Import what exports to `protocol` run, and call each native library once."""
    if protocol:
        import fsspec

        fsspec.get_filesystem_class(protocol)  # imports its implementation (s3fs, ...)
        mimetypes.guess_type("part.parquet")  # uploads name a content type; the table loads once
    lines = b"\n".join(orjson.dumps(event) for event in _SAMPLE) + b"\n"
    frame = tabular.sort_by_time(tabular.parse_events(lines, tabular.Hints()))
    files.storable(frame).write_parquet(io.BytesIO())


def warmed() -> frozenset[str]:
    """What this process has been warmed for: protocols (`""`: local disk), and protocols with
    a digest of their storage options (`"s3:1a2b..."`)."""
    with _LOCK:
        return frozenset(_DONE)
