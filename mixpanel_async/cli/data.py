"""`mixpanel-async export ...` and `mixpanel-async import ...`: bulk data on the command line.

    mixpanel-async export events --from 2024-01-01 --to 2024-01-31 --out events.parquet
    mixpanel-async export profiles --out people.parquet
    mixpanel-async import events events.ndjson          # or .jsonl, .json, .parquet
    mixpanel-async import profiles people.parquet

Credentials come from the usual places (`MP_USERNAME`, `MP_SECRET`, `MP_PROJECT_ID`,
`MP_REGION`, `~/.mp/config.toml`); `--base-url` (or `MP_API_BASE_URL`) points at the emulator.
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import orjson
import polars as pl
import typer

from mixpanel_async.api import checks
from mixpanel_async.api.engage import ProfileFilters
from mixpanel_async.bulk.destinations import is_remote
from mixpanel_async.bulk.partitions import concurrency_for, ordered, split
from mixpanel_async.bulk.progress import report
from mixpanel_async.cli.common import AccountOpt, BaseUrl, ProjectOpt, Target, run
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.workspace import AsyncWorkspace

T = TypeVar("T")

export_app = typer.Typer(no_args_is_help=True, help="Export events or profiles to files.")
import_app = typer.Typer(no_args_is_help=True, help="Import events or profiles from files.")

EXPORT_FORMATS = ("parquet", "ndjson")
IMPORT_FORMATS = ("ndjson", "json", "parquet")
_SUFFIXES = {".parquet": "parquet", ".ndjson": "ndjson", ".jsonl": "ndjson", ".json": "json"}

ProgressOpt = Annotated[
    bool | None,
    typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal)."),
]
ConcurrencyOpt = Annotated[
    int | None, typer.Option("--concurrency", help="Requests in flight at once.")
]


StorageOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--storage-option",
        help="KEY=VALUE for the URL's filesystem (repeatable; dotted keys nest, values are "
        "read as JSON when they parse): endpoint_url=http://..., client_kwargs.region_name=...",
    ),
]


def _storage_options(pairs: list[str] | None) -> dict[str, Any]:
    """`KEY=VALUE` pairs as fsspec storage options (`a.b=1` → `{"a": {"b": 1}}`)."""
    options: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, text = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(
                f"expected KEY=VALUE, got {pair!r}", param_hint="--storage-option"
            )
        try:
            value: Any = orjson.loads(text)
        except orjson.JSONDecodeError:
            value = text
        *parents, leaf = key.strip().split(".")
        node = options
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = value
    return options


@contextlib.contextmanager
def _dask(scheduler: str | None) -> Iterator[Any]:
    """A Dask client for `--scheduler` (ADDRESS, or `local:N` worker processes), or None."""
    if scheduler is None:
        yield None
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise typer.BadParameter(
            "--scheduler needs the 'distributed' package", param_hint="--scheduler"
        ) from None
    if scheduler.startswith("local:"):
        count = scheduler.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise typer.BadParameter("use local:N with N >= 1", param_hint="--scheduler")
        # Dask would give each worker cores // N threads (one each on a small machine), so
        # fewer partitions would be in flight than one process keeps; ask for enough of them.
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=int(count),
            threads_per_worker=max(1, math.ceil(8 / int(count))),
            processes=True,
            dashboard_address=":0",
        )
        with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        yield client


def _progress(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return sys.stderr.isatty() and importlib.util.find_spec("rich") is not None


def _run(
    work: Callable[[AsyncWorkspace], Awaitable[T]],
    base_url: str | None,
    project: str | None,
    account: str | None,
) -> T:
    """Run `work` with a workspace; library errors become one line and an exit code."""
    return run(work, Target(base_url=base_url, project=project, account=account))


def _format(path: Path, given: str | None, allowed: tuple[str, ...], *, directory: str) -> str:
    """The file format: `--format`, else from the suffix (a path without one: `directory`)."""
    if given is not None:
        fmt = given.lower()
    elif path.suffix:
        fmt = _SUFFIXES.get(path.suffix.lower(), path.suffix.lower().lstrip("."))
    else:
        fmt = directory
    if fmt not in allowed:
        raise typer.BadParameter(
            f"unknown format {fmt!r} for {path}; use one of {', '.join(allowed)} "
            "(by the file's suffix or --format)",
            param_hint="--format",
        )
    return fmt


def _refuse_existing(out: Path, overwrite: bool) -> None:
    if out.exists() and not overwrite:
        raise ParamValidationError(f"{out} exists; use --overwrite to replace it", param="out")


async def _write_ndjson(
    out: Path, records: AsyncIterator[dict[str, Any]], *, overwrite: bool, progress: bool
) -> int:
    """Write records as JSON lines to `out` (refusing to replace it unless `overwrite`)."""
    _refuse_existing(out, overwrite)
    count = 0
    with out.open("wb") as sink, report(progress, "export", None, "records") as bar:
        async for record in records:
            sink.write(orjson.dumps(record) + b"\n")
            count += 1
            bar.advance(0, rows=1)
    return count


async def _export_events_ndjson(
    ws: AsyncWorkspace,
    out: Path,
    span: tuple[str, str],
    *,
    events: list[str] | None,
    where: str | None,
    partition: str | int,
    concurrency: int | None,
    overwrite: bool,
    progress: bool,
) -> int:
    """Export events as JSON lines: the range cut into partitions fetched `concurrency` at a
    time and written in time order, a progress step per partition."""
    start, end = checks.date_range(*span)
    parts = split(start, end, None if partition == "none" else partition)
    fan_out = concurrency_for(None, concurrency)
    _refuse_existing(out, overwrite)

    async def fetch(part: Any) -> list[bytes]:
        stream = ws.stream_events(
            from_date=part.start, to_date=part.end, events=events, where=where, raw=True
        )
        return [orjson.dumps(record) async for record in stream]

    count = 0
    with out.open("wb") as sink, report(progress, "export events", len(parts), "partitions") as bar:
        async for lines in ordered(parts, fetch, fan_out):
            for line in lines:
                sink.write(line + b"\n")
            count += len(lines)
            bar.advance(1, rows=len(lines))
    return count


@export_app.command("events")
def export_events(
    from_date: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    to_date: Annotated[str, typer.Option("--to", help="Last day, inclusive.")],
    out: Annotated[
        str,
        typer.Option(
            "--out", help="A .parquet file, a directory, .ndjson, or a URL (s3://bucket/events)."
        ),
    ],
    event: Annotated[list[str] | None, typer.Option("--event", help="Only this event.")] = None,
    where: Annotated[str | None, typer.Option(help="A Mixpanel filter expression.")] = None,
    partition: Annotated[str, typer.Option(help="day, week, month, N days or none.")] = "day",
    fmt: Annotated[str | None, typer.Option("--format", help="parquet or ndjson.")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing output.")] = False,
    concurrency: ConcurrencyOpt = None,
    progress: ProgressOpt = None,
    base_url: BaseUrl = None,
    project: ProjectOpt = None,
    account: AccountOpt = None,
    storage_option: StorageOpt = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Run the partitions on a Dask cluster: its scheduler ADDRESS, or local:N for "
            "N local worker processes (needs the 'distributed' extra).",
        ),
    ] = None,
) -> None:
    """Export the events of a date range (resumable for Parquet: re-run to finish)."""
    chosen = _format(Path(out), fmt, EXPORT_FORMATS, directory="parquet")
    storage = _storage_options(storage_option)
    if chosen != "parquet" and (storage or is_remote(out) or scheduler):
        raise typer.BadParameter(
            "URLs, --storage-option and --scheduler need Parquet output", param_hint="--out"
        )
    size: str | int = int(partition) if partition.isdigit() else partition
    started = time.perf_counter()

    options: dict[str, Any] = {
        "events": event,
        "where": where,
        "partition": size,
        "concurrency": concurrency,
        "overwrite": overwrite,
        "progress": _progress(progress),
    }

    async def work(ws: AsyncWorkspace) -> str:
        if chosen == "parquet":
            result = await ws.export_events_to_parquet(
                out,
                from_date,
                to_date,
                storage_options=storage or None,
                dask_client=dask_client,
                **options,
            )
            skipped = f", {len(result.skipped)} already there" if result.skipped else ""
            return (
                f"{result.rows:,} events in {result.path} ({len(result.fetched)} fetched{skipped})"
            )
        count = await _export_events_ndjson(ws, Path(out), (from_date, to_date), **options)
        return f"{count:,} events in {out}"

    with _dask(scheduler) as dask_client:
        summary = _run(work, base_url, project, account)
    typer.echo(f"{summary} in {time.perf_counter() - started:.1f}s")


@export_app.command("profiles")
def export_profiles(
    out: Annotated[
        str,
        typer.Option("--out", help="A .parquet file, a directory, .ndjson, or a URL (s3://...)."),
    ],
    where: Annotated[str | None, typer.Option(help="A profile filter expression.")] = None,
    cohort_id: Annotated[str | None, typer.Option(help="Only this cohort's members.")] = None,
    output_property: Annotated[
        list[str] | None, typer.Option("--output-property", help="Only these properties.")
    ] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="parquet or ndjson.")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing output.")] = False,
    concurrency: ConcurrencyOpt = None,
    progress: ProgressOpt = None,
    base_url: BaseUrl = None,
    project: ProjectOpt = None,
    account: AccountOpt = None,
    storage_option: StorageOpt = None,
) -> None:
    """Export the profiles matching the filters."""
    chosen = _format(Path(out), fmt, EXPORT_FORMATS, directory="parquet")
    storage = _storage_options(storage_option)
    if chosen != "parquet" and (storage or is_remote(out)):
        raise typer.BadParameter(
            "URLs and --storage-option need Parquet output", param_hint="--out"
        )
    filters: ProfileFilters = {
        "where": where,
        "cohort_id": cohort_id,
        "output_properties": output_property,
    }
    started = time.perf_counter()

    async def work(ws: AsyncWorkspace) -> str:
        if chosen == "parquet":
            result = await ws.export_profiles_to_parquet(
                out,
                concurrency=concurrency,
                overwrite=overwrite,
                progress=_progress(progress),
                storage_options=storage or None,
                **filters,
            )
            return f"{result.rows:,} profiles in {result.path}"
        records = ws.stream_profiles(raw=True, concurrency=concurrency, **filters)
        count = await _write_ndjson(
            Path(out), records, overwrite=overwrite, progress=_progress(progress)
        )
        return f"{count:,} profiles in {out}"

    summary = _run(work, base_url, project, account)
    typer.echo(f"{summary} in {time.perf_counter() - started:.1f}s")


def _ndjson(path: Path) -> Iterator[Any]:
    """Records of a JSON-lines file, read lazily (memory stays flat whatever its size)."""
    with path.open("rb") as source:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                yield orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise ParamValidationError(f"{path}:{number} is not JSON: {exc}") from None


def _records(path: Path, fmt: str) -> Any:
    if not path.is_file():
        raise typer.BadParameter(f"{path} is not a file", param_hint="FILE")
    if fmt == "parquet":
        return pl.read_parquet(path)
    if fmt == "json":
        try:
            data = orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError as exc:
            raise typer.BadParameter(f"{path} is not JSON: {exc}", param_hint="FILE") from None
        if not isinstance(data, list):
            raise typer.BadParameter(f"{path} must hold a JSON array", param_hint="FILE")
        return data
    return _ndjson(path)


@import_app.command("events")
def import_events(
    file: Annotated[Path, typer.Argument(help="NDJSON (.ndjson/.jsonl), JSON array, Parquet.")],
    fmt: Annotated[str | None, typer.Option("--format", help="ndjson, json or parquet.")] = None,
    batch_size: Annotated[int, typer.Option(help="Events per request (<= 2000).")] = 2000,
    strict: Annotated[bool, typer.Option(help="Have Mixpanel report invalid events.")] = True,
    concurrency: ConcurrencyOpt = None,
    progress: ProgressOpt = None,
    base_url: BaseUrl = None,
    project: ProjectOpt = None,
    account: AccountOpt = None,
) -> None:
    """Import events (Mixpanel's format, or a frame as `export events` writes it)."""
    chosen = _format(file, fmt, IMPORT_FORMATS, directory="ndjson")
    records = _records(file, chosen)
    started = time.perf_counter()

    async def work(ws: AsyncWorkspace) -> Any:
        return await ws.import_events(
            records,
            batch_size=batch_size,
            concurrency=concurrency,
            strict=strict,
            progress=_progress(progress),
        )

    result = _run(work, base_url, project, account)
    took = time.perf_counter() - started
    typer.echo(f"{result.imported:,} of {result.sent:,} events imported in {took:.1f}s")
    for failure in result.failed[:20]:
        typer.secho(f"  event {failure.index}: {failure.message}", fg=typer.colors.YELLOW)
    if result.failed:
        raise typer.Exit(1)


@import_app.command("profiles")
def import_profiles(
    file: Annotated[Path, typer.Argument(help="NDJSON (.ndjson/.jsonl), JSON array, Parquet.")],
    fmt: Annotated[str | None, typer.Option("--format", help="ndjson, json or parquet.")] = None,
    token: Annotated[
        str | None, typer.Option(envvar="MP_PROJECT_TOKEN", help="The project token.")
    ] = None,
    concurrency: ConcurrencyOpt = None,
    progress: ProgressOpt = None,
    base_url: BaseUrl = None,
    project: ProjectOpt = None,
    account: AccountOpt = None,
) -> None:
    """Set profiles (engage updates, or profiles as `export profiles` writes them)."""
    chosen = _format(file, fmt, IMPORT_FORMATS, directory="ndjson")
    records = _records(file, chosen)

    async def work(ws: AsyncWorkspace) -> Any:
        return await ws.import_profiles(
            records, token=token, concurrency=concurrency, progress=_progress(progress)
        )

    result = _run(work, base_url, project, account)
    typer.echo(f"{result.imported:,} of {result.sent:,} profiles updated")
