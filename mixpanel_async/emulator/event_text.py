"""The stored form of an event's properties JSON, and the whole object back from it.

The store (`emulator.store`) keeps each event's `time` (ms), `distinct_id` and `$insert_id` as
columns. Its properties JSON leaves those keys out when they lead the object (in any order, as
sent), which they usually do: they would otherwise be a third of the text. What order they
came in is told by a *tag*: one or two whitespace characters right after the opening brace
(`TAGS`), so the stored text is still a JSON object, with the other keys in the order they were
sent. A text that starts `{"` instead holds the whole object (the keys were not leading, or the
distinct id is not a JSON string, e.g. a number). Every `{"time":` ... is therefore exact to
give back: `full_properties` / `full_texts` return the object exactly as it was stored before,
key order included.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import orjson
import polars as pl

# An event row as the store takes it: (event, distinct_id, time_ms, insert_id, stored json).
EventRow = tuple[str, str, int, str | None, str]

COLUMN_KEYS = ("time", "distinct_id", "$insert_id")
"""Properties the store keeps as columns."""

_T, _D, _I = COLUMN_KEYS
TAGS: dict[tuple[str, ...], str] = {
    (_T, _D, _I): " ", (_D, _T, _I): "\t", (_T, _I, _D): "\n", (_D, _I, _T): "\r",
    (_I, _T, _D): "  ", (_I, _D, _T): " \t",
    (_T, _D): " ", (_D, _T): "\t",
}  # fmt: skip
"""The tag of each order the leading column keys may come in (the last two: no `$insert_id`)."""
_ORDERS = {(tag, len(keys) == 3): keys for keys, tag in TAGS.items()}
_HEADS = {keys: ("{" + tag).encode() for keys, tag in TAGS.items()}
_STARTS = tuple(f'{{"{key}":' for key in COLUMN_KEYS)  # how a whole text led by them starts
_WHITESPACE = " \t\n\r"
_NEEDS_ESCAPE = r'["\\\x00-\x1f]'  # a character JSON escapes inside a string
_dumps = orjson.dumps


def stored_text(props: dict[str, Any]) -> str:
    """The stored text of a whole properties object holding `time` and `distinct_id` (the
    dict is emptied of the column keys when they lead it: pass a copy you own)."""
    # Ingestion's hot path: a few dict operations, no loop.
    keys = iter(props)
    lead = (next(keys), next(keys), next(keys)) if _I in props else (next(keys), next(keys))
    head = _HEADS.get(lead)
    if (
        head is None
        or type(props[_D]) is not str
        or (len(lead) == 3 and type(props[_I]) is not str)
    ):
        return _dumps(props).decode()  # kept whole
    del props[lead[0]], props[lead[1]]
    if len(lead) == 3:
        del props[lead[2]]
    return (head + _dumps(props)[1:]).decode()


def is_whole(text: str) -> bool:
    """Whether a stored text holds the whole properties object."""
    return text[1:2] == '"'


def _tag(text: str) -> str:
    """The tag of a stored text that is not whole: the whitespace right after its brace."""
    return text[1:3] if text[2:3] in _WHITESPACE else text[1:2]


def _order(text: str, with_insert_id: bool) -> tuple[str, ...]:
    return _ORDERS[_tag(text), with_insert_id]


def full_properties(
    text: str, time_ms: int, distinct_id: str, insert_id: str | None
) -> dict[str, Any]:
    """The whole properties object of a stored row, in the order it was sent."""
    rest: dict[str, Any] = orjson.loads(text)
    if is_whole(text):
        return rest
    values = {_T: time_ms // 1000, _D: distinct_id, _I: insert_id}
    out = {key: values[key] for key in _order(text, insert_id is not None)}
    out.update(rest)
    return out


def _lead(keys: Sequence[str], seconds: pl.Expr) -> list[pl.Expr]:
    pieces = {
        _T: [pl.lit('"time":'), seconds.cast(pl.String)],
        _D: [pl.lit('"distinct_id":"'), pl.col("distinct_id"), pl.lit('"')],
        _I: [pl.lit('"$insert_id":"'), pl.col("insert_id"), pl.lit('"')],
    }
    out: list[pl.Expr] = []
    for i, key in enumerate(keys):
        out += [pl.lit(",")] * (i > 0) + pieces[key]
    return out


def needs_escape(texts: pl.Series) -> bool:
    """Whether any text of a String or Categorical series needs escaping inside a JSON string
    (each distinct value checked once)."""
    return bool(texts.unique().cast(pl.String).str.contains(_NEEDS_ESCAPE).any())


class PlainForm(NamedTuple):
    """The one stored form every row of a frame shares (see `plain_form`)."""

    head: str
    """What each stored text starts with: `{` and the tag."""
    keys: tuple[str, ...]
    """The column keys, in the order the tag tells."""


def plain_form(frame: pl.DataFrame) -> PlainForm | None:
    """The common stored form, when every row of `frame` has it: one and the same tag,
    `$insert_id` on every row or on none, at least one other key, and a distinct id written as
    is inside a JSON string. None when any row differs, or the frame is empty."""
    if frame.height == 0:
        return None
    texts = frame["properties"]
    first = texts[0]
    if first is None or is_whole(first):
        return None
    tag = _tag(first)
    missing = frame["insert_id"].null_count()
    keys = _ORDERS.get((tag, missing == 0))
    head = "{" + tag
    if (
        keys is None
        or missing not in (0, frame.height)
        or not texts.str.starts_with(head + '"').all()  # also: one tag, and not `{ }`
        or needs_escape(frame["distinct_id"])
    ):
        return None
    return PlainForm(head, keys)


def plain_pieces(
    frame: pl.DataFrame, *, time_in_ms: bool = False, form: PlainForm | None = None
) -> list[pl.Expr] | None:
    """Expressions whose concatenation is each row's whole properties JSON but its closing
    brace, when every row of `frame` has a common stored form (`form`, when the caller knows
    it already); None otherwise (`full_texts` then decides row by row).

    One concatenation of these pieces builds a row's text without the intermediate columns
    the general path needs; export splices more pieces around them.
    """
    form = form or plain_form(frame)
    if form is None:
        return None
    seconds = pl.col("time") if time_in_ms else pl.col("time") // 1000
    rest = pl.col("properties").str.slice(len(form.head)).str.head(-1)
    return [pl.lit("{"), *_lead(form.keys, seconds), pl.lit(","), rest]


def full_texts(frame: pl.DataFrame, *, time_in_ms: bool = False) -> pl.Series:
    """The whole properties JSON of each row of a frame in the store's schema (`event` and
    `distinct_id` text or categorical), as `full_properties` gives it (compact); `time_in_ms`
    writes `time` in milliseconds."""
    if frame.height == 0:
        return pl.Series("properties", [], dtype=pl.String)
    pieces = plain_pieces(frame, time_in_ms=time_in_ms)
    if pieces is not None:
        whole = pl.concat_str([*pieces, pl.lit("}")]).alias("properties")
        return frame.select(whole).to_series()
    props = pl.col("properties")
    head = props.str.slice(1, 2)
    tagged = frame.select(head.alias("head"), pl.col("insert_id").is_not_null().alias("i"))
    seconds = pl.col("time") if time_in_ms else pl.col("time") // 1000
    rest = props.str.strip_chars_start("{" + _WHITESPACE)
    comma = pl.when(rest.str.len_bytes() > 1).then(pl.lit(",")).otherwise(pl.lit(""))
    branches = []
    for head_text, with_insert_id in tagged.unique().iter_rows():
        if head_text[:1] not in _WHITESPACE:
            continue  # whole (below)
        tag = _tag("{" + head_text)
        keys = _ORDERS[tag, with_insert_id]
        line = pl.concat_str([pl.lit("{"), *_lead(keys, seconds), comma, rest])
        cond = (head == head_text) & (pl.col("insert_id").is_not_null() == with_insert_id)
        branches.append((cond, line))
    whole = ~head.str.contains(f"^[{_WHITESPACE}]")
    odd = whole | pl.col("distinct_id").cast(pl.String).str.contains(_NEEDS_ESCAPE)
    if not branches:
        text: pl.Expr = props
    elif len(branches) == 1:
        text = branches[0][1]
    else:
        chain: Any = pl.when(branches[0][0]).then(branches[0][1])
        for cond, line in branches[1:]:
            chain = chain.when(cond).then(line)
        text = chain.otherwise(props)
    out = frame.select(text.alias("properties"), odd.alias("odd"))
    texts, odd_rows = out["properties"], out["odd"]
    if odd_rows.any():  # rare: whole texts, and distinct ids that need escaping
        index = odd_rows.arg_true()
        fixed = []
        for stored, ms, did, iid in frame[index].select(_COLUMNS).iter_rows():
            props_ = full_properties(stored, ms, did, iid)
            if time_in_ms and _T in props_:
                props_[_T] = ms
            fixed.append(_dumps(props_).decode())
        texts = texts.scatter(index, pl.Series(fixed, dtype=pl.String))
    return texts


_COLUMNS = ("properties", "time", "distinct_id", "insert_id")


def column_key_texts(name: str, frame: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """(raw JSON text or null, whether it is exact) per row of a column key (`COLUMN_KEYS`),
    read from the columns; inexact only for a distinct id in a whole text (read it there)."""
    exact = pl.repeat(True, frame.height, eager=True)
    if name == _T:
        return (frame["time"] // 1000).cast(pl.String), exact
    if name == _I:
        quoted = pl.concat_str([pl.lit('"'), "insert_id", pl.lit('"')])
        return frame.select(quoted).to_series(), exact
    did = frame["distinct_id"]
    text = frame.select(pl.concat_str([pl.lit('"'), "distinct_id", pl.lit('"')])).to_series()
    escaped = did.str.contains(_NEEDS_ESCAPE).arg_true()
    if escaped.len():
        encoded = [_dumps(v).decode() for v in did.gather(escaped).to_list()]
        text = text.scatter(escaped, pl.Series(encoded, dtype=pl.String))
    return text, ~frame["properties"].str.starts_with('{"')


def _restored(text: str, time_ms: int, distinct_id: str, insert_id: str | None) -> str | None:
    """The stored form of a whole text whose column keys lead it and agree with the row's
    columns, else None."""
    props = orjson.loads(text)
    if not (
        isinstance(props, dict)
        and type(props.get(_T)) is int
        and props[_T] == time_ms // 1000
        and props.get(_D) == distinct_id
        and props.get(_I) == insert_id
        and (_I in props) == (insert_id is not None)
    ):
        return None
    restored = stored_text(props)
    return None if is_whole(restored) else restored


def stored_form(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` (store schema) with its whole texts in the stored form where they can be
    (texts written before they were stored without their column keys: old snapshots)."""
    texts = frame["properties"]
    leading = [texts.str.starts_with(start) for start in _STARTS]
    candidates = (leading[0] | leading[1] | leading[2]).arg_true()
    index, fixed = [], []
    rows = frame[candidates].select(_COLUMNS).iter_rows() if candidates.len() else iter(())
    for i, row in zip(candidates.to_list(), rows, strict=True):
        restored = _restored(*row)
        if restored is not None:
            index.append(i)
            fixed.append(restored)
    if not index:
        return frame
    return frame.with_columns(texts.scatter(index, pl.Series(fixed, dtype=pl.String)))


def stored_rows(rows: list[EventRow]) -> list[EventRow]:
    """`rows` with their whole texts in the stored form where they can be (see
    `stored_form`)."""
    out = rows
    for i, row in enumerate(rows):
        if row[4].startswith(_STARTS):
            restored = _restored(row[4], row[2], row[1], row[3])
            if restored is not None:
                out = list(rows) if out is rows else out
                out[i] = (row[0], row[1], row[2], row[3], restored)
    return out
