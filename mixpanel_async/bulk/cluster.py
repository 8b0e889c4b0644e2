"""A partitioned event export run as tasks on a Dask cluster (`distributed`, optional).

Each partition is one task. The worker running it downloads the partition with its own HTTP
session and publishes it straight to the destination (`bulk.destinations`: an object store, or
a disk every worker shares), so no data flows back through the scheduler or the caller; the
caller only harmonises the schemas at the end.

- **Limits across the cluster.** Mixpanel's export concurrency limit is one cluster-wide
  `distributed.Semaphore` (named after the project) held around each partition's download; the
  per-hour and per-second budgets are divided evenly between the workers, each enforcing its
  share, so the cluster as a whole stays within them.
- **Credentials** travel once, inside a worker plugin registered for this export and removed
  after it, never inside task arguments: the task graph holds a random plugin name, the
  partition's dates and the destination URL, nothing secret (storage options included).
- **Warm workers.** `warm_up(client, destination)` readies every worker ahead of the first
  export (imports, the destination's filesystem, the worker's event loop; `bulk.warm`), as a
  long-lived cluster would be; an export on a cold cluster does the same on its first tasks.
- **Failures.** A partition is published atomically (one object, or a directory rename), so a
  worker lost mid-partition leaves nothing behind; Dask reschedules its task on another worker
  (`retries`), and a partition written twice is replaced, not doubled.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import secrets
import sys
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import attrs
from distributed.diagnostics.plugin import WorkerPlugin

from mixpanel_async.api.export_frames import EventsRequest, export_partition
from mixpanel_async.bulk import allocator, tabular, warm
from mixpanel_async.bulk.destinations import (
    Destination,
    LocalDestination,
    RemoteDestination,
    open_destination,
)
from mixpanel_async.bulk.partitions import Partition
from mixpanel_async.config import Session
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.transport.hosts import Hosts
from mixpanel_async.transport.limits import Limit, Limiters
from mixpanel_async.transport.session import Transport
from mixpanel_async.transport.settings import RetryPolicy, Timeouts

TASK_RETRIES = 3
"""Times Dask reruns a partition whose task failed or whose worker died."""

CLOSE_SECONDS = 10.0
"""How long a worker waits for an export's HTTP session to close when the export ends."""

_REGISTRY: dict[str, _Secrets] = {}
_REGISTRY_LOCK = threading.Lock()


@attrs.frozen
class _Secrets:
    """What workers need and task arguments must not carry."""

    session: Session
    hosts: Hosts
    limits: dict[str, Limit]
    retry: RetryPolicy
    timeouts: Timeouts
    storage_options: dict[str, Any]


class _CredentialsPlugin(WorkerPlugin):
    """A worker plugin holding one export's credentials, in each worker's memory only."""

    def __init__(self, name: str, secrets_: _Secrets) -> None:
        self.name = name
        self._secrets = secrets_

    def setup(self, worker: Any) -> None:
        """Keep the credentials where this export's tasks will look."""
        with _REGISTRY_LOCK:
            _REGISTRY[self.name] = self._secrets

    def teardown(self, worker: Any) -> None:
        """Forget them (and close the export's connections) when the export ends."""
        with _REGISTRY_LOCK:
            _REGISTRY.pop(self.name, None)
        if _WORKER_LOOP is not None:
            _WORKER_LOOP.forget(self.name)

    def __repr__(self) -> str:  # never show the session in logs
        return f"<mixpanel-async export credentials {self.name}>"


@attrs.frozen
class _Job:
    """One partition's task arguments: nothing secret."""

    plugin: str
    semaphore: str
    max_leases: int
    destination: str
    layout: str
    manifest: str
    start: dt.date
    end: dt.date
    request: EventsRequest
    chunk_bytes: int


def _share(limit: Limit, workers: int) -> Limit:
    """One worker's part of a per-hour and per-second budget."""
    if workers <= 1:
        return limit
    return attrs.evolve(
        limit,
        rate=None if limit.rate is None else max(limit.rate / workers, 1e-9),
        burst_per_second=(
            None if limit.burst_per_second is None else max(limit.burst_per_second / workers, 1e-9)
        ),
    )


@attrs.define
class _Export:
    """What one export keeps on a worker across its partitions: the transport (connections and
    the worker's share of the limits), the destination (one filesystem instance, so one
    object-store client, and one local staging directory), the parser's type hints and the
    handle on the cluster-wide semaphore."""

    transport: Transport
    dest: Destination
    hints: tabular.Hints
    semaphore: Any


class _WorkerLoop:
    """One event loop per worker process, in a thread of its own, and one `_Export` per export
    on it: a worker's tasks share their connections, their destination and, above all, their
    limiters, so the worker's share of the hourly and per-second budgets holds across its
    tasks."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.exports: dict[str, _Export] = {}
        self._lock = threading.Lock()
        self._profiler: tuple[Any, Any] | None = None
        threading.Thread(target=self.loop.run_forever, name="mixpanel-async", daemon=True).start()

    def export(self, job: _Job, secrets_: _Secrets) -> _Export:
        """The export's state on this worker, made by its first task (blocking: called from
        the task's thread, never from the loop); the worker's first export tunes its
        allocator for megabyte buffers (`bulk.allocator`)."""
        with self._lock:
            state = self.exports.get(job.plugin)
            if state is None:
                if not self.exports:
                    allocator.roomy()
                    self._profiler = _pause_profiler()
                state = self.exports[job.plugin] = _open_export(job, secrets_)
            return state

    def forget(self, name: str) -> None:
        """Close the export's transport and drop its staging (when its plugin is removed); the
        worker's last export puts back its allocator settings (`bulk.allocator`)."""
        with self._lock:
            state = self.exports.pop(name, None)
            if state is not None and not self.exports:
                allocator.restore()
                _resume_profiler(self._profiler)
                self._profiler = None
        if state is None:
            return
        closing = asyncio.run_coroutine_threadsafe(state.transport.close(), self.loop)
        # its connections are closed before the plugin's removal returns to the caller
        with contextlib.suppress(Exception):
            closing.result(timeout=CLOSE_SECONDS)
        if isinstance(state.dest, RemoteDestination):
            state.dest.discard_staging()


def _pause_profiler() -> tuple[Any, Any] | None:
    """Stop the worker's statistical profiler while exports run on it, on Python < 3.12; returns
    what `_resume_profiler` needs (None when nothing was stopped).

    The profiler calls `sys._current_frames()` every few milliseconds, and on 3.11 that can
    deadlock the whole process when a garbage collection starts inside it and frees an object
    that needs the interpreter's thread list (CPython gh-106883, fixed in 3.12 only). An export
    allocates and frees a lot across threads, and a 10M-event export on a `LocalCluster` was seen
    frozen that way (every thread waiting for the GIL held by the profiler).
    """
    if sys.version_info >= (3, 12):
        return None
    from distributed import get_worker

    try:
        worker = get_worker()
    except ValueError:  # not in a worker (a test calling the task directly)
        return None
    callback = worker.periodic_callbacks.get("profile")
    if callback is None or not callback.is_running():
        return None
    worker.loop.add_callback(callback.stop)  # tornado's callbacks belong to the worker's loop
    return worker.loop, callback


def _resume_profiler(paused: tuple[Any, Any] | None) -> None:
    """Restart a profiler `_pause_profiler` stopped."""
    if paused is not None:
        loop, callback = paused
        loop.add_callback(callback.start)


def _open_export(job: _Job, secrets_: _Secrets) -> _Export:
    from distributed import Semaphore

    dest = open_destination(
        job.destination,
        job.layout,
        overwrite=False,
        storage_options=secrets_.storage_options or None,
    )
    if isinstance(dest, RemoteDestination):
        dest.prepare_staging(job.manifest)
    else:
        dest.staging.work.mkdir(parents=True, exist_ok=True)
    transport = Transport(
        session=secrets_.session,
        hosts=secrets_.hosts,
        limiters=Limiters(secrets_.limits),
        retry=secrets_.retry,
        timeouts=secrets_.timeouts,
    )
    semaphore = Semaphore(max_leases=job.max_leases, name=job.semaphore)  # type: ignore[no-untyped-call]
    return _Export(transport, dest, tabular.Hints(), semaphore)


_WORKER_LOOP: _WorkerLoop | None = None


def _worker_loop() -> _WorkerLoop:
    global _WORKER_LOOP
    with _REGISTRY_LOCK:
        if _WORKER_LOOP is None:
            _WORKER_LOOP = _WorkerLoop()
        return _WORKER_LOOP


def _warm_worker(destination: str | None, storage_options: dict[str, Any] | None) -> bool:
    """Warm this worker (`bulk.warm`) and start its event loop; False when already done."""
    _worker_loop()
    return warm.warm(destination, storage_options)


def warm_up(
    client: Any, destination: str | None = None, storage_options: Mapping[str, Any] | None = None
) -> dict[str, bool]:
    """Ready every worker of `client`'s cluster for exports to `destination` (a URL such as
    `s3://bucket/events`, or None for a shared disk): imports, a first round of parsing and
    Parquet writing, the worker's event loop and, given the `storage_options` the exports will
    use, the store's client (`bulk.warm`).

    Optional (an export on a cold cluster does the same on its first tasks), and idempotent: a
    worker already warmed for that store does nothing again. Workers that join later warm up on
    their first task. The storage options go to the workers with this call only (not into any
    task graph), and stay in each worker's filesystem cache, as an export's would. Blocking:
    call it from a thread in async code.

    Returns:
        For each worker's address, whether it did the work now (False: it was warm already).

    Raises:
        ParamValidationError: `destination` is not a string, or `storage_options` not a
            mapping.
        OSError: the store refused a worker's request (e.g. bad credentials).
    """
    if destination is not None and not isinstance(destination, str):
        raise ParamValidationError(
            f"destination must be a URL or path string, got {type(destination).__name__}",
            param="destination",
        )
    if storage_options is not None and not isinstance(storage_options, Mapping):
        raise ParamValidationError(
            f"storage_options must be a mapping, got {type(storage_options).__name__}",
            param="storage_options",
        )
    options = dict(storage_options) if storage_options else None
    return dict(client.run(_warm_worker, destination, options))


def run_partition(job: _Job) -> tuple[str, int]:
    """The task: download one partition and publish it (in a worker).

    Raises:
        RuntimeError: the export's credentials are not on this worker.
    """
    with _REGISTRY_LOCK:
        secrets_ = _REGISTRY.get(job.plugin)
    if secrets_ is None:
        raise RuntimeError(f"export credentials {job.plugin} are not registered on this worker")
    worker = _worker_loop()
    state = worker.export(job, secrets_)
    item = (Partition(job.start, job.end), job.request)
    with state.semaphore:
        running = asyncio.run_coroutine_threadsafe(
            export_partition(
                state.transport, state.dest, item, job.manifest, state.hints, job.chunk_bytes
            ),
            worker.loop,
        )
        return running.result()


async def export_partitions(
    client: Any,
    transport: Transport,
    dest: Destination,
    todo: Sequence[tuple[Partition, EventsRequest]],
    manifest: str,
    chunk_bytes: int,
) -> AsyncIterator[tuple[str, int]]:
    """Run the partitions as tasks on `client`'s cluster; yield (label, rows) in order.
    `chunk_bytes`: JSON bytes per staged part, as in a one-process export."""
    if isinstance(dest, RemoteDestination):
        url, layout, options = dest.url, dest.layout, dest.storage_options
    else:
        assert isinstance(dest, LocalDestination)
        url, options = str(dest.staging.root), {}
        layout = "file" if dest.staging.file is not None else "directory"
    if layout != "directory":
        raise ParamValidationError(
            "a distributed export writes a directory of partitions: pass a path without "
            ".parquet (or layout='directory')",
            param="layout",
        )
    workers = max(len(await asyncio.to_thread(lambda: client.scheduler_info()["workers"])), 1)
    limits = {name: _share(limit, workers) for name, limit in transport.limiters.limits.items()}
    export_limit = transport.limiters.limits.get("export") or Limit(concurrency=8)
    name = f"mixpanel-async-export-{secrets.token_hex(8)}"
    plugin = _CredentialsPlugin(
        name,
        _Secrets(
            transport.session, transport.hosts, limits, transport.retry, transport.timeouts, options
        ),
    )
    # A worker that dies while being told makes this raise; its replacement is told at start.
    with contextlib.suppress(OSError):
        await asyncio.to_thread(client.register_plugin, plugin, name=name)
    try:
        futures = []
        for part, request in todo:
            job = _Job(
                plugin=name,
                semaphore=f"mixpanel-async-export-{transport.session.project_id}",
                max_leases=export_limit.concurrency,
                destination=url,
                layout=layout,
                manifest=manifest,
                start=part.start,
                end=part.end,
                request=request,
                chunk_bytes=chunk_bytes,
            )
            futures.append(
                client.submit(
                    run_partition, job, key=f"{name}-{part.label}", retries=TASK_RETRIES, pure=False
                )
            )
        for future in futures:
            yield await asyncio.to_thread(future.result)
    finally:
        # A worker that died meanwhile cannot be told; its replacement got the plugin at start
        # and forgets it with this unregistration, or when it closes.
        with contextlib.suppress(Exception):
            await asyncio.to_thread(client.unregister_worker_plugin, name)
