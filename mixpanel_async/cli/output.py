"""Printing a command's answer: `--format json|jsonl|table|csv|parquet`, `--jq`, `--out`.

JSON shapes are the library's: a result's `to_dict()`, a model's wire form. Tables, CSV and
Parquet are made from a result's `.df` when it has one, else from the rows of a list answer.
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import inspect
import io
import sys
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import attrs
import orjson
import polars as pl
import typer

from mixpanel_async._lazy import type_hints
from mixpanel_async.cli.common import usage
from mixpanel_async.results._common import Result
from mixpanel_async.transport import codec

FORMATS = ("json", "jsonl", "table", "csv", "parquet")

Format = Literal["json", "jsonl", "table", "csv", "parquet"]
FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="Output: json, jsonl, table, csv or parquet.")
]
JqOpt = Annotated[
    str | None, typer.Option("--jq", help="A jq filter over the JSON (json or jsonl).")
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write here instead of standard output.")
]


def output_parameters() -> list[inspect.Parameter]:
    """`--format`, `--jq` and `--out` as signature parameters (for commands made at import)."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    return [
        inspect.Parameter("fmt", keyword, annotation=FormatOpt, default="json"),
        inspect.Parameter("jq", keyword, annotation=JqOpt, default=None),
        inspect.Parameter("out", keyword, annotation=OutOpt, default=None),
    ]


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, pl.DataFrame):
        return value.to_dicts()
    if attrs.has(type(value)):
        return plain(value)
    return str(value)


def plain(value: Any) -> Any:
    """An answer as JSON-ready data (results by `to_dict()`, models in their wire form)."""
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if attrs.has(type(value)):
        return codec.unstructure(value)
    return value


def _json(data: Any, *, indent: bool) -> bytes:
    option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_INDENT_2 if indent else 0)
    return orjson.dumps(data, default=_default, option=option)


_ITEMS = (list, tuple, collections.abc.Sequence, collections.abc.AsyncIterator)


def columns_of(hint: Any) -> tuple[str, ...]:
    """The columns of a list answer of type `hint` (`list[Model]`, `AsyncIterator[Model]`, or
    an App API envelope's `results` list): its model's wire keys, so that an empty answer
    still prints its header. Empty when the type does not say."""
    if typing.get_origin(hint) in _ITEMS:
        items = typing.get_args(hint)
        item = items[0] if items else None
        if isinstance(item, type) and attrs.has(item):
            return tuple(codec.wire_name(item, f.name) for f in attrs.fields(item))
        if item in (str, int, float):
            return ("value",)  # as `frame` names a list of scalars
        if item is not None and typing.is_typeddict(item):
            return tuple(type_hints(item))
    return ()


def envelope_columns(response: Any, unwrap: str | None) -> tuple[str, ...]:
    """`columns_of` for an operation's answer: the unwrapped field of its response model."""
    if unwrap is not None and isinstance(response, type) and attrs.has(response):
        hints = type_hints(response)
        name = next((f.name for f in attrs.fields(response) if f.name == unwrap), None)
        return columns_of(hints[name]) if name else ()
    return columns_of(response)


def frame(value: Any, columns: Sequence[str] = ()) -> pl.DataFrame:
    """An answer as a frame: a result's `.df`, list rows, or a mapping's keys and values; an
    empty list answer has `columns` (and no rows)."""
    df = value if isinstance(value, pl.DataFrame) else getattr(value, "df", None)
    if isinstance(df, pl.DataFrame):
        return df
    data = plain(value)
    if isinstance(data, list | dict) and not data:
        return pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
    if isinstance(data, list):
        rows = [item if isinstance(item, dict) else {"value": item} for item in data]
        return pl.DataFrame(
            [_flat_row(row) for row in rows], strict=False, infer_schema_length=None
        )
    if isinstance(data, dict):
        return pl.DataFrame([_flat_row(data)], strict=False)
    return pl.DataFrame({"value": [data]})


def _flat_row(row: dict[str, Any]) -> dict[str, Any]:
    """Nested values as JSON text, so every column is a scalar (tables and CSV)."""
    return {
        key: _json(item, indent=False).decode() if isinstance(item, dict | list) else item
        for key, item in row.items()
    }


def _flat_frame(df: pl.DataFrame) -> pl.DataFrame:
    nested = [name for name, dtype in df.schema.items() if dtype.is_nested()]
    if not nested:
        return df
    return df.with_columns(
        pl.Series(name, [_json(v, indent=False).decode() for v in df[name].to_list()])
        for name in nested
    )


def _program(expression: str) -> Any:
    try:
        import jq  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        usage("--jq needs the jq package: pip install 'mixpanel-async[cli]'")
    try:
        return jq.compile(expression)
    except ValueError as exc:
        usage(f"--jq: {str(exc).splitlines()[0]}")


def check_output(fmt: str, jq: str | None, out: Path | None) -> None:
    """Refuse output options that cannot work, before any request is sent."""
    if jq is not None:
        if fmt.lower() not in ("json", "jsonl"):
            usage("--jq works with --format json or jsonl")
        _program(jq)
    if fmt.lower() == "parquet" and out is None and sys.stdout.isatty():
        usage("Parquet is binary: use --out FILE or redirect standard output")


def _jq(data: Any, expression: str) -> list[Any]:
    text = _json(data, indent=False).decode()
    try:
        return list(_program(expression).input_text(text).all())
    except ValueError as exc:
        usage(f"--jq: {str(exc).splitlines()[0]}")


def _table(df: pl.DataFrame) -> bytes:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        with pl.Config(tbl_rows=-1, tbl_cols=-1):
            return (str(df) + "\n").encode()
    table = Table(show_lines=False)
    for name in df.columns:
        table.add_column(name)
    for row in df.iter_rows():
        table.add_row(*("" if cell is None else str(cell) for cell in row))
    buffer = io.StringIO()
    Console(file=buffer, width=200, force_terminal=False).print(table)
    return buffer.getvalue().encode()


def render(
    value: Any, fmt: str = "json", jq: str | None = None, columns: Sequence[str] = ()
) -> bytes:
    """The bytes to print for an answer in the format asked for (`columns`: the header of an
    empty list answer)."""
    fmt = fmt.lower()
    if jq is not None:
        check_output(fmt, jq, None)
        results = _jq(plain(value), jq)
        if fmt == "json" and len(results) == 1:
            return _json(results[0], indent=True) + b"\n"
        return b"".join(_json(item, indent=fmt == "json") + b"\n" for item in results)
    if fmt == "json":
        return _json(plain(value), indent=True) + b"\n"
    if fmt == "jsonl":
        data = plain(value)
        if not isinstance(data, list):
            df = getattr(value, "df", None)
            data = df.to_dicts() if isinstance(df, pl.DataFrame) else [data]
        return b"".join(_json(item, indent=False) + b"\n" for item in data)
    df = frame(value, columns)
    if fmt == "table":
        return _table(_flat_frame(df))
    if fmt == "csv":
        return _flat_frame(df).write_csv().encode()
    buffer = io.BytesIO()
    df.write_parquet(buffer)
    return buffer.getvalue()


def emit(
    value: Any,
    fmt: str = "json",
    jq: str | None = None,
    out: Path | None = None,
    columns: Sequence[str] = (),
) -> None:
    """Print an answer (None prints nothing), or write it to `out`; `columns` is the header of
    an empty list answer in the table, CSV and Parquet formats."""
    if value is None and jq is None:
        return
    data = render(value, fmt, jq, columns)
    if out is not None:
        out.write_bytes(data)
        typer.echo(f"wrote {out}", err=True)
        return
    check_output(fmt, jq, out)
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
