"""Discovery analytics over a project's deduplicated event frame: which events, properties and
property values exist, and today's top events.

Frames have the store's schema (`event`, `distinct_id`, `time` in ms, `insert_id`, `properties`
as JSON text). Every function is pure (frame in, plain Python out), so callers may cache
results per store version.

Reading properties without decoding every row: most stored rows are flat JSON objects (no
nested object or list, no escape sequence). In such a row every `"` after `{` or `,` (modulo
whitespace) and followed by `":` is a top-level key, and a string value is the text between two
plain quotes, so keys and values come out of vectorised regexes. Rows holding `[`, `{` or `\\`
past their first character are decoded with orjson, one by one; they are usually a minority,
and the answer is the same either way. (The regex path assumes no key repeats within one
object, which holds because the store writes each event's JSON from a mapping.)
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

import orjson
import polars as pl

from mixpanel_async.emulator.event_text import COLUMN_KEYS, full_texts

__all__ = [
    "RESERVED_KEYS",
    "CountType",
    "event_amounts",
    "event_names",
    "property_counts",
    "property_values",
    "render_value",
    "top_events",
]

CountType = Literal["general", "unique", "average"]

RESERVED_KEYS = frozenset({"distinct_id", "time", "$insert_id"})
"""Keys the store convention puts in every event's JSON that Mixpanel does not report as event
properties: the distinct id and time are fields of the event itself, and `$insert_id` is a
hidden dedup key. Reporting them would also push real properties out of the default top 10."""

DAY_MS = 86_400_000

# A top-level key of a flat JSON object (see the module docstring for why this is exact there).
_FLAT_KEY = r'[{,]\s*"[^"]*"\s*:'
_KEY_IN_MATCH = re.compile(r'[{,]\s*"([^"]*)"\s*:')
# Anything that makes a row "not flat": nesting or an escape sequence after the opening brace.
_NOT_FLAT = r"[\[{\\]"


def render_value(value: Any) -> str | None:
    """A property value as the values endpoint lists it (None for a JSON null).

    Strings as they are; booleans `true`/`false`; numbers in their shortest form, an integral
    float without its `.0` (Mixpanel keeps numbers as doubles, so 3 and 3.0 are one value);
    lists and objects as compact JSON text, which is what clients parse list-of-object values
    from.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return orjson.dumps(value).decode()


def _properties(frame: pl.DataFrame, event: str | None, whole: bool = False) -> pl.Series:
    """The rows' properties texts; `whole`: with the keys kept as columns (`event_text`)."""
    if event is not None:
        frame = frame.filter(pl.col("event") == event)
    return full_texts(frame) if whole else frame["properties"]


def _split_flat(props: pl.Series) -> tuple[pl.Series, pl.Series]:
    """(flat rows, other rows) of a properties column."""
    not_flat = props.str.slice(1).str.contains(_NOT_FLAT).fill_null(False)
    return props.filter(~not_flat), props.filter(not_flat)


def _decoded(rows: Iterable[str]) -> Iterable[dict[str, Any]]:
    """The JSON objects among `rows` (anything else is skipped: the store never holds it)."""
    loads = orjson.loads
    for text in rows:
        try:
            data = loads(text)
        except orjson.JSONDecodeError:
            continue
        if isinstance(data, dict):
            yield data


def _ranked(counts: Counter[str], limit: int) -> list[tuple[str, int]]:
    """The `limit` most frequent entries, ties broken by name so answers are stable."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def property_counts(
    frame: pl.DataFrame,
    event: str | None = None,
    limit: int = 10,
    *,
    exclude: frozenset[str] = RESERVED_KEYS,
) -> dict[str, int]:
    """How many events carry each property key (a null value counts as carried).

    Args:
        frame: Events in the store's schema.
        event: Only this event's rows (all rows when None).
        limit: Keep the `limit` most common keys (Mixpanel's default for
            `/events/properties/top` is 10).
        exclude: Keys never reported.

    Returns:
        Key → count, most common first (ties by name).
    """
    whole = not exclude.issuperset(COLUMN_KEYS)
    flat, other = _split_flat(_properties(frame, event, whole))
    counts: Counter[str] = Counter()
    if flat.len():
        # extract_all yields whole matches (`,"key":`); the few distinct ones are trimmed here.
        matches = flat.str.extract_all(_FLAT_KEY).explode().drop_nulls().value_counts()
        for match, n in zip(
            matches[matches.columns[0]].to_list(), matches["count"].to_list(), strict=True
        ):
            found = _KEY_IN_MATCH.fullmatch(match)
            if found is not None:
                counts[found.group(1)] += n
    for data in _decoded(other.to_list()):
        counts.update(data.keys())
    for key in exclude:
        counts.pop(key, None)
    return dict(_ranked(counts, limit))


def _flat_values(flat: pl.Series, name: str) -> pl.Series:
    """Rendered values of `name` in flat rows, one per row that has a non-null value."""
    encoded = orjson.dumps(name).decode()
    if "\\" in encoded:
        return pl.Series([], dtype=pl.String)  # an escaped key cannot occur in a flat row
    # Whole-match extraction then an anchored strip: cheaper than a capture group in polars.
    prefix = r"[{,]\s*" + pl.escape_regex(encoded) + r"\s*:\s*"
    matches = flat.str.extract(prefix + r'(?:"[^"]*"|[^,}\s]+)', 0).drop_nulls()
    tokens = matches.str.replace("^" + prefix, "")
    is_text = tokens.str.starts_with('"')
    texts = tokens.filter(is_text).str.strip_prefix('"').str.strip_suffix('"')
    literals = tokens.filter(~is_text)
    if literals.len():
        # Few distinct number/boolean/null tokens: render each once, then map.
        distinct = literals.unique()
        rendered = [render_value(orjson.loads(t)) for t in distinct.to_list()]
        literals = literals.replace_strict(
            distinct, pl.Series(rendered, dtype=pl.String), return_dtype=pl.String
        )
    return pl.concat([texts, literals.drop_nulls()])


def property_values(
    frame: pl.DataFrame, name: str, event: str | None = None, limit: int = 255
) -> list[str]:
    """The most common values of one property, rendered as strings (see `render_value`).

    Events without the property, or with a null value, contribute nothing.

    Args:
        frame: Events in the store's schema.
        name: The property key.
        event: Only this event's rows (all rows when None).
        limit: Keep the `limit` most common values.

    Returns:
        Values, most common first (ties by value).
    """
    flat, other = _split_flat(_properties(frame, event, name in COLUMN_KEYS))
    counts: Counter[str] = Counter()
    values = _flat_values(flat, name)
    if values.len():
        vc = values.value_counts()
        counts.update(dict(zip(vc[vc.columns[0]].to_list(), vc["count"].to_list(), strict=True)))
    encoded = orjson.dumps(name).decode()
    # A key can only be spelled differently from its canonical JSON through an escape sequence.
    candidates = other.filter(
        other.str.contains(encoded, literal=True) | other.str.contains("\\", literal=True)
    )
    for data in _decoded(candidates.to_list()):
        if name in data:
            text = render_value(data[name])
            if text is not None:
                counts[text] += 1
    return [value for value, _ in _ranked(counts, limit)]


def event_amounts(frame: pl.DataFrame, type: CountType = "general") -> pl.DataFrame:
    """Per event name: `amount` = events (general), distinct users (unique) or events per user
    (average), Mixpanel's three analysis types."""
    grouped = frame.group_by("event").agg(
        pl.len().alias("total"), pl.col("distinct_id").n_unique().alias("users")
    )
    if type == "general":
        amount = pl.col("total").cast(pl.Int64)
    elif type == "unique":
        amount = pl.col("users").cast(pl.Int64)
    elif type == "average":
        amount = pl.col("total") / pl.col("users")
    else:
        raise ValueError(f"unknown analysis type {type!r}")
    return grouped.select("event", amount.alias("amount"))


def _top(amounts: pl.DataFrame, limit: int) -> pl.DataFrame:
    return amounts.sort(["amount", "event"], descending=[True, False]).head(limit)


def _between(frame: pl.DataFrame, start_ms: int, end_ms: int) -> pl.DataFrame:
    """Rows with `start_ms <= time < end_ms`."""
    return frame.filter((pl.col("time") >= start_ms) & (pl.col("time") < end_ms))


def event_names(
    frame: pl.DataFrame,
    from_ms: int,
    to_ms: int,
    limit: int = 255,
    type: CountType = "general",
) -> list[str]:
    """The `limit` most common event names of `[from_ms, to_ms)`, listed alphabetically.

    Mixpanel documents `/events/names` as "the most common events" and its result as a list
    of names in alphabetical order; its example is ordered case-insensitively, so the most
    common names are picked by `type` and then sorted case-insensitively.
    """
    top = _top(event_amounts(_between(frame, from_ms, to_ms), type), limit)
    return sorted(top["event"].to_list(), key=lambda name: (name.casefold(), name))


def top_events(
    frame: pl.DataFrame,
    now_ms: int,
    limit: int = 100,
    type: CountType = "general",
    *,
    today_start_ms: int | None = None,
    yesterday_start_ms: int | None = None,
) -> list[dict[str, Any]]:
    """Today's events ranked by `type`, each with its change since yesterday.

    "Normalized" as Mixpanel says: today so far (`today_start_ms` up to `now_ms`, inclusive)
    is compared with the same stretch of yesterday, so the change does not read as a fall
    every morning. `percent_change` is a fraction ((today - yesterday) / yesterday; 0.5 is
    +50 %), and 1.0 for an event that had no activity in yesterday's stretch.

    Args:
        frame: Events in the store's schema.
        now_ms: The current time.
        limit: Keep the `limit` events with the highest amount (ties by name).
        type: general (events), unique (distinct users) or average (events per user).
        today_start_ms: Midnight starting today in the project timezone (UTC by default).
        yesterday_start_ms: Midnight starting yesterday (default: a day before today's).

    Returns:
        `[{"event", "amount", "percent_change"}]`, highest amount first.
    """
    start = today_start_ms if today_start_ms is not None else now_ms - now_ms % DAY_MS
    before = yesterday_start_ms if yesterday_start_ms is not None else start - DAY_MS
    today = _top(event_amounts(_between(frame, start, now_ms + 1), type), limit)
    if today.height == 0:
        return []
    yesterday = event_amounts(_between(frame, before, before + (now_ms - start) + 1), type)
    previous = dict(zip(yesterday["event"].to_list(), yesterday["amount"].to_list(), strict=True))
    out: list[dict[str, Any]] = []
    for event, amount in zip(today["event"].to_list(), today["amount"].to_list(), strict=True):
        prior = previous.get(event)
        change = (amount - prior) / prior if prior else 1.0
        out.append({"event": event, "amount": amount, "percent_change": change})
    return out
