"""JSON from Mixpanel → Polars: bulk parsing of export JSONL and engage pages, and schemas.

Event frames have the columns `event`, `distinct_id`, `time` (`Datetime("ms", "UTC")`),
`insert_id` and `properties`, a struct holding every other property with the type JSON gave
it; profile frames have `distinct_id`, `last_seen` and `properties`. Parsing is columnar and
multi-threaded (pyarrow's JSON reader, or Polars' when pyarrow refuses a batch), never a Python
loop over lines, and releases the GIL so it overlaps downloads.

Two partitions rarely agree on every property's type (an integer one day, a float the next,
absent on the third), so `merge_dtypes` and `conform` bring frames to one schema: numbers widen
to Float64, structs merge field by field, and a property that is a number in one place and text
or an object in another becomes JSON text, which loses nothing.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import orjson
import polars as pl
import pyarrow as pa
import pyarrow.json as pa_json

from mixpanel_async._generated.models import engage as engage_models
from mixpanel_async._generated.models import export as export_models
from mixpanel_async.bulk.jsonl import TruncatedStream
from mixpanel_async.exceptions import ResponseValidationError
from mixpanel_async.transport.codec import wire_name

# Wire keys, read from the generated models so that no hand-written code restates them.
EVENT = wire_name(export_models.ExportedEvent, "event")
PROPERTIES = wire_name(export_models.ExportedEvent, "properties")
TIME = wire_name(export_models.ExportedEventProperties, "time")
DISTINCT_ID = wire_name(export_models.ExportedEventProperties, "distinct_id")
INSERT_ID = wire_name(export_models.ExportedEventProperties, "insert_id")
RESULTS = wire_name(engage_models.EngageQueryResponse, "results")
PROFILE_ID = wire_name(engage_models.EngageProfile, "distinct_id")
PROFILE_PROPERTIES = wire_name(engage_models.EngageProfile, "properties")
LAST_SEEN = "$last_seen"
"""Mixpanel's reserved profile property for the last activity (a property, not a parameter)."""

TIMESTAMP = pl.Datetime("ms", "UTC")
EVENT_SCHEMA: dict[str, pl.DataType] = {
    "event": pl.String(),
    "distinct_id": pl.String(),
    "time": TIMESTAMP,
    "insert_id": pl.String(),
}
PROFILE_SCHEMA: dict[str, pl.DataType] = {"distinct_id": pl.String(), "last_seen": TIMESTAMP}
_BLOCK = 1 << 22
"""pyarrow JSON block size: large enough for any single event (Mixpanel caps them at 1 MB)."""


# --- parsing ---------------------------------------------------------------------------------


@attrs.define
class Hints:
    """What pyarrow must be told when reading one export's batches.

    pyarrow's JSON reader turns ISO-looking strings into timestamps, rewriting the text (an
    offset is folded into UTC, `T` becomes a space). Fields where that happened are re-read as
    strings, and remembered here so that later batches of the same export read them as strings
    at once. Shared by the worker threads of one export; updates replace the schema whole.
    """

    schema: pa.Schema | None = None
    _lock: threading.Lock = attrs.field(factory=threading.Lock)

    def add(self, overrides: pa.Schema) -> pa.Schema:
        """Merge newly seen column types into the shared schema (thread-safe)."""
        with self._lock:
            merged = overrides if self.schema is None else _merge_arrow(self.schema, overrides)
            self.schema = merged
            return merged


def _string_overrides(tp: pa.DataType) -> pa.DataType | None:
    """The partial type that re-reads every timestamp inside `tp` as a string (None: none)."""
    if pa.types.is_timestamp(tp):
        return pa.string()
    if pa.types.is_struct(tp):
        fields = []
        for i in range(tp.num_fields):
            child = tp.field(i)
            fixed = _string_overrides(child.type)
            if fixed is not None:
                fields.append(pa.field(child.name, fixed))
        return pa.struct(fields) if fields else None
    if pa.types.is_list(tp) or pa.types.is_large_list(tp):
        inner = _string_overrides(tp.value_type)
        return None if inner is None else pa.list_(inner)
    return None


def _merge_arrow(a: pa.Schema | pa.DataType, b: pa.Schema | pa.DataType) -> Any:
    """Union of two partial override schemas/types (b wins on leaves)."""
    if isinstance(a, pa.Schema) and isinstance(b, pa.Schema):
        fields = {f.name: f.type for f in a}
        for f in b:
            fields[f.name] = _merge_arrow(fields[f.name], f.type) if f.name in fields else f.type
        return pa.schema(list(fields.items()))
    if pa.types.is_struct(a) and pa.types.is_struct(b):
        merged = {a.field(i).name: a.field(i).type for i in range(a.num_fields)}
        for i in range(b.num_fields):
            f = b.field(i)
            merged[f.name] = _merge_arrow(merged[f.name], f.type) if f.name in merged else f.type
        return pa.struct(list(merged.items()))
    if pa.types.is_list(a) and pa.types.is_list(b):
        return pa.list_(_merge_arrow(a.value_type, b.value_type))
    return b


def _read_arrow(buf: bytes, hints: Hints, *, threads: bool = True) -> pa.Table | None:
    """pyarrow's reader (multi-threaded unless `threads` is false); None when it refuses the
    data (mixed types).

    The bytes are read in place: through a Python file object, pyarrow would copy them once
    more, block by block.
    """
    read_options = pa_json.ReadOptions(use_threads=threads, block_size=_BLOCK)
    source = pa.py_buffer(buf)
    for _ in range(3):
        schema = hints.schema
        parse_options = pa_json.ParseOptions(
            explicit_schema=schema, unexpected_field_behavior="infer"
        )
        try:
            table = pa_json.read_json(
                pa.BufferReader(source), read_options=read_options, parse_options=parse_options
            )
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
        overrides = _string_overrides(pa.struct(list(table.schema)))
        if overrides is None:
            return table
        hints.add(pa.schema(list(overrides)))
    return None


def _as_frame(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table, rechunk=False)
    assert isinstance(frame, pl.DataFrame)
    return frame


def parse_jsonl(buf: bytes, hints: Hints) -> pl.DataFrame:
    """Parse complete JSON lines into a frame, all at once (columnar, GIL released).

    Raises:
        ResponseValidationError: the lines are not JSON.
    """
    if buf.isspace() or not buf:  # stops at the first other byte: no copy, unlike strip()
        return pl.DataFrame()
    table = _read_arrow(buf, hints)
    if table is not None:
        return _as_frame(table)
    try:  # mixed types in a field: Polars reads every value, falling back to text
        return pl.read_ndjson(buf, infer_schema_length=None)
    except pl.exceptions.PolarsError as exc:
        raise ResponseValidationError(f"the export is not valid JSON lines: {exc}") from exc


def check_complete(buf: bytes | bytearray) -> None:
    """Raise `TruncatedStream` when a body ends in the middle of a line.

    Mixpanel ends every line with a newline; a final line without one is accepted only if it
    parses, so a connection cut exactly between lines is caught by the transport and one cut
    anywhere else is caught here, never silently dropped.
    """
    if not buf or buf.endswith(b"\n"):
        return
    tail = bytes(buf[buf.rfind(b"\n") + 1 :])
    if not tail.strip():
        return
    try:
        orjson.loads(tail)
    except orjson.JSONDecodeError:
        raise TruncatedStream("the export stream ended in the middle of a line") from None


class LineChunks:
    """Accumulates a byte stream and hands out chunks of whole lines of about `size` bytes.

    A chunk is handed out as the list of pieces it arrived in (the last one cut after its final
    newline), so that joining them, one copy of each byte, happens in the worker thread that
    parses them: a large `bytes.join` releases the GIL, the event loop does not wait for it.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._pieces: list[bytes] = []
        self._held = 0

    def feed(self, data: bytes) -> list[bytes] | None:
        """Add data; return a chunk of complete lines once `size` bytes have gathered."""
        if not data:
            return None
        self._pieces.append(data)
        self._held += len(data)
        if self._held < self.size:
            return None
        pieces = self._pieces
        for i in range(len(pieces) - 1, -1, -1):  # the last newline, most often in `data`
            cut = pieces[i].rfind(b"\n") + 1
            if cut:
                break
        else:
            return None
        piece = pieces[i]
        if cut == len(piece):
            chunk, self._pieces = pieces[: i + 1], pieces[i + 1 :]
        else:
            chunk, self._pieces = [*pieces[:i], piece[:cut]], [piece[cut:], *pieces[i + 1 :]]
        self._held = sum(map(len, self._pieces))
        return chunk

    def finish(self) -> list[bytes]:
        """What is left at the end of the stream (checked for a truncated final line)."""
        rest, self._pieces, self._held = self._pieces, [], 0
        if rest and not rest[-1].endswith(b"\n"):  # only the text after the last newline
            last = next((i for i in range(len(rest) - 1, -1, -1) if b"\n" in rest[i]), -1)
            head = rest[last][rest[last].rfind(b"\n") + 1 :] if last >= 0 else b""
            check_complete(head + b"".join(rest[last + 1 :]))
        return [piece for piece in rest if piece]


# --- shaping ---------------------------------------------------------------------------------


def schema_of(source: pl.DataFrame | pl.Struct | Mapping[str, Any]) -> dict[str, pl.DataType]:
    """Column (or field) types as `DataType` instances (Polars may hand out classes)."""
    items: Iterable[tuple[str, Any]]
    if isinstance(source, pl.DataFrame):
        items = source.schema.items()
    elif isinstance(source, pl.Struct):
        items = source.to_schema().items()
    else:
        items = source.items()
    return {name: dtype if isinstance(dtype, pl.DataType) else dtype() for name, dtype in items}


def _fields_of(dtype: Any) -> dict[str, pl.DataType]:
    return schema_of(dtype) if isinstance(dtype, pl.Struct) else {}


def _field(struct: pl.Expr, fields: dict[str, pl.DataType], name: str, dtype: pl.DataType) -> Any:
    if name not in fields:
        return pl.lit(None, dtype=dtype)
    return struct.struct.field(name)


def _text(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A value of any type as text: strings as they are, nested values as JSON."""
    if dtype == pl.String:
        return expr
    if isinstance(dtype, pl.Struct):
        encoded = expr.struct.json_encode()
    elif isinstance(dtype, pl.List | pl.Array):
        wrapped = pl.struct(expr.alias("v")).struct.json_encode()
        encoded = wrapped.str.strip_prefix('{"v":').str.strip_suffix("}")
    else:
        return expr.cast(pl.String)
    return pl.when(expr.is_null()).then(pl.lit(None, dtype=pl.String)).otherwise(encoded)


def _epoch_ms(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype.is_integer():
        return expr.cast(pl.Int64)
    if dtype.is_float():
        return expr.round(0).cast(pl.Int64)
    return _text(expr, dtype).cast(pl.Float64, strict=False).round(0).cast(pl.Int64)


def _rest(struct: pl.Expr, fields: dict[str, pl.DataType], drop: Iterable[str]) -> pl.Expr:
    skip = set(drop)
    # Sorted, so that the struct's layout does not depend on which property came first.
    kept = [struct.struct.field(name) for name in sorted(fields) if name not in skip]
    if not kept:
        return pl.lit(None, dtype=pl.Struct({}))
    return pl.struct(kept)


def shape_events(raw: pl.DataFrame) -> pl.DataFrame:
    """Raw export rows (`event`, `properties` with `time` in ms) → the event frame."""
    if raw.height == 0 or PROPERTIES not in raw.columns:
        return empty_events()
    columns = schema_of(raw)
    fields = _fields_of(columns[PROPERTIES])
    p = pl.col(PROPERTIES)
    time = _field(p, fields, TIME, pl.Int64())
    return raw.select(
        _text(pl.col(EVENT), columns[EVENT]).alias("event")
        if EVENT in raw.columns
        else pl.lit(None, dtype=pl.String).alias("event"),
        _text(
            _field(p, fields, DISTINCT_ID, pl.String()), fields.get(DISTINCT_ID, pl.String())
        ).alias("distinct_id"),
        _epoch_ms(time, fields.get(TIME, pl.Int64())).cast(TIMESTAMP).alias("time"),
        _text(_field(p, fields, INSERT_ID, pl.String()), fields.get(INSERT_ID, pl.String())).alias(
            "insert_id"
        ),
        _rest(p, fields, (TIME, DISTINCT_ID, INSERT_ID)).alias("properties"),
    )


def sort_by_time(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame in time order (stable; free when it already is, as exports usually are)."""
    if frame.height < 2 or frame["time"].is_sorted():
        return frame
    return frame.sort("time", maintain_order=True)


def empty_events() -> pl.DataFrame:
    """An event frame with no rows (and no properties)."""
    return pl.DataFrame(schema={**EVENT_SCHEMA, "properties": pl.Struct({})})


def parse_events(buf: bytes | Sequence[bytes], hints: Hints) -> pl.DataFrame:
    """Complete export lines (whole, or in pieces as `LineChunks` hands them out) → the event
    frame (run it in a worker thread)."""
    return shape_events(parse_jsonl(buf if isinstance(buf, bytes) else b"".join(buf), hints))


def _page_table(body: bytes, hints: Hints) -> pl.DataFrame:
    """The `results` of one engage page as a frame of `$distinct_id`, `$properties`."""
    # A page is one block for the reader: its thread pool would add work, not parallelism.
    table = _read_arrow(body, hints, threads=False)
    if table is not None and RESULTS in table.column_names:
        flat = table.column(RESULTS).combine_chunks().flatten()
        if isinstance(flat, pa.StructArray):
            return _as_frame(pa.Table.from_struct_array(flat))
    try:  # mixed types: one profile per line, read by Polars
        results = orjson.loads(body).get(RESULTS) or []
    except (orjson.JSONDecodeError, AttributeError) as exc:
        raise ResponseValidationError(f"an engage page is not a JSON object: {exc}") from exc
    if not results:
        return pl.DataFrame()
    lines = b"\n".join(orjson.dumps(r) for r in results)
    return pl.read_ndjson(lines, infer_schema_length=None)


def parse_profiles(body: bytes, hints: Hints) -> pl.DataFrame:
    """One engage page body → the profile frame (run it in a worker thread)."""
    raw = _page_table(body, hints)
    if raw.height == 0:
        return empty_profiles()
    columns = schema_of(raw)
    fields = _fields_of(columns.get(PROFILE_PROPERTIES))
    p = pl.col(PROFILE_PROPERTIES)
    last_seen = _text(_field(p, fields, LAST_SEEN, pl.String()), fields.get(LAST_SEEN, pl.String()))
    return raw.select(
        _text(pl.col(PROFILE_ID), columns[PROFILE_ID]).alias("distinct_id"),
        last_seen.str.to_datetime(time_unit="ms", strict=False)
        .dt.replace_time_zone("UTC")
        .alias("last_seen"),
        _rest(p, fields, (LAST_SEEN,)).alias("properties"),
    )


def empty_profiles() -> pl.DataFrame:
    """A profile frame with no rows but the standard columns."""
    return pl.DataFrame(schema={**PROFILE_SCHEMA, "properties": pl.Struct({})})


_WARM_UP_PAGE = orjson.dumps(
    {RESULTS: [{PROFILE_ID: "w", PROFILE_PROPERTIES: {LAST_SEEN: "2024-01-01T00:00:00", "n": 1}}]}
)


@functools.cache
def warm_up_profiles() -> None:
    """Parse a one-profile page, so that the readers' one-time set-up in a process (pyarrow's
    JSON reader, Polars' thread pool and datetime parsing: tens of milliseconds, partly holding
    the GIL) happens while the first real page is still on its way (run it in a worker thread;
    once per process, later calls return at once)."""
    parse_profiles(_WARM_UP_PAGE, Hints())


# --- one schema for many frames --------------------------------------------------------------


def merge_dtypes(a: pl.DataType, b: pl.DataType) -> pl.DataType:
    """The type that holds values of both `a` and `b` without loss."""
    if a == b:
        return a
    if a == pl.Null:
        return b
    if b == pl.Null:
        return a
    if a.is_numeric() and b.is_numeric():
        return pl.Float64() if a.is_float() or b.is_float() else pl.Int64()
    if isinstance(a, pl.Struct) and isinstance(b, pl.Struct):
        fields = schema_of(a)
        for name, dtype in schema_of(b).items():
            fields[name] = merge_dtypes(fields[name], dtype) if name in fields else dtype
        return pl.Struct(dict(sorted(fields.items())))
    if isinstance(a, pl.List) and isinstance(b, pl.List):
        return pl.List(merge_dtypes(_instance(a.inner), _instance(b.inner)))
    return pl.String()


def conform(expr: pl.Expr, source: pl.DataType, target: pl.DataType) -> pl.Expr:
    """`expr` (of type `source`) as `target`, following `merge_dtypes`' rules."""
    if source == target:
        return expr
    if target == pl.String:
        return _text(expr, source)
    if isinstance(target, pl.Struct):
        have = _fields_of(source)
        if not target.fields:
            return pl.lit(None, dtype=target)
        rebuilt = pl.struct(
            [
                conform(expr.struct.field(name), have[name], dtype).alias(name)
                if name in have
                else pl.lit(None, dtype=dtype).alias(name)
                for name, dtype in schema_of(target).items()
            ]
        )
        if source == pl.Null:
            return pl.lit(None, dtype=target)
        return pl.when(expr.is_null()).then(pl.lit(None, dtype=target)).otherwise(rebuilt)
    if isinstance(target, pl.List) and isinstance(source, pl.List):
        inner = conform(pl.element(), _instance(source.inner), _instance(target.inner))
        return expr.list.eval(inner)
    return expr.cast(target, strict=False)


def _instance(dtype: Any) -> pl.DataType:
    return dtype if isinstance(dtype, pl.DataType) else dtype()


def unified_schema(schemas: Iterable[Mapping[str, Any]]) -> dict[str, pl.DataType]:
    """The schema every frame (or file) of `schemas` can be brought to; columns in order of
    first appearance."""
    out: dict[str, pl.DataType] = {}
    for schema in schemas:
        for name, dtype in schema_of(schema).items():
            out[name] = merge_dtypes(out[name], dtype) if name in out else dtype
    return out


def conform_exprs(schema: dict[str, pl.DataType], target: dict[str, pl.DataType]) -> list[pl.Expr]:
    """Select expressions that turn a frame of `schema` into one of `target`."""
    return [
        conform(pl.col(name), schema[name], dtype).alias(name)
        if name in schema
        else pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in target.items()
    ]


def concat(frames: Sequence[pl.DataFrame], empty: pl.DataFrame | None = None) -> pl.DataFrame:
    """Concatenate frames in order, bringing them to one schema first."""
    frames = [f for f in frames if f.width]
    if not frames:
        return empty if empty is not None else pl.DataFrame()
    target = unified_schema(schema_of(f) for f in frames)
    aligned = [
        f if schema_of(f) == target else f.select(conform_exprs(schema_of(f), target))
        for f in frames
    ]
    if len(aligned) == 1:
        return aligned[0]
    return pl.concat(aligned, how="vertical", rechunk=False)


def batches(frame: pl.DataFrame, size: int) -> Iterable[pl.DataFrame]:
    """Zero-copy slices of at most `size` rows."""
    for offset in range(0, frame.height, size):
        yield frame.slice(offset, size)
