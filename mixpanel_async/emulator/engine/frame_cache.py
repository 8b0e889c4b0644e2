"""The query engines' cache of values computed from an event frame (event selections, raw
property columns, literal verdicts, compacted texts; see `engine.rows`): kept while the frame
lives (weakly, by its identity), least recently used dropped first, bounded by entries and by
bytes (`CACHE_BYTES`, counted by `footprint`)."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import polars as pl

_LOCK = threading.RLock()  # re-entrant: a weakref callback may run inside a locked section
_CACHE: OrderedDict[tuple[Any, ...], tuple[weakref.ref[pl.DataFrame], Any, int]] = OrderedDict()
"""Per (frame id, key): the frame (weakly), the value and its `footprint`."""
_CACHE_SIZE = 32
CACHE_BYTES = 384 * 2**20
"""What the cached values may hold in all, as `footprint` counts it; the least recently used
go first (the newest stays even alone past the bound, so one large query is still cached)."""
_VIEW = 16  # bytes a row of a Polars string column takes besides its text (the view)


def footprint(value: Any, *, shares_texts: bool = False) -> int:
    """Bytes a cached value holds: Polars' `estimated_size` of each Series or frame column,
    plus 16 bytes a row of text columns (their views, which it leaves out); the texts
    themselves are not counted when `shares_texts` (an event selection points into the
    stored frame's text buffers rather than copying them). Tuples and lists add up."""
    if isinstance(value, pl.DataFrame):
        return sum(footprint(s, shares_texts=shares_texts) for s in value.iter_columns())
    if isinstance(value, pl.Series):
        if value.dtype in (pl.String, pl.Binary):
            return _VIEW * value.len() + (0 if shares_texts else int(value.estimated_size()))
        return int(value.estimated_size())
    if isinstance(value, tuple | list):
        return sum(footprint(v, shares_texts=shares_texts) for v in value)
    return 0


def cache_bytes() -> int:
    """What the cache holds now, as `footprint` counts it."""
    with _LOCK:
        return sum(size for _, _, size in _CACHE.values())


def clear_cache() -> None:
    """Forget every cached selection and raw column (for cold-start measurements)."""
    with _LOCK:
        _CACHE.clear()


def _forget(key: tuple[Any, ...], lock: Any = _LOCK, cache: dict[Any, Any] = _CACHE) -> None:
    # Bound at definition: a frame may die at interpreter exit, after the module's globals.
    with lock:
        cache.pop(key, None)


def hit(frame: pl.DataFrame, key: tuple[Any, ...]) -> Any:
    """The cached value of `key` for `frame`, or None."""
    with _LOCK:
        found = _CACHE.get((id(frame), *key))
        return found[1] if found is not None and found[0]() is frame else None


def cached(frame: pl.DataFrame, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """`compute()`, remembered while `frame` lives (dropped with it; LRU-bounded by entries
    and bytes)."""
    full = (id(frame), *key)
    with _LOCK:
        found = _CACHE.get(full)
        if found is not None and found[0]() is frame:  # the id may have been reused
            _CACHE.move_to_end(full)
            return found[1]
    value = compute()
    size = footprint(value, shares_texts=key[0] == "events")

    def gone(_: object, forget: Callable[[tuple[Any, ...]], None] = _forget) -> None:
        forget(full)  # bound at definition, like `_forget`'s own references

    with _LOCK:
        _CACHE[full] = (weakref.ref(frame, gone), value, size)
        _CACHE.move_to_end(full)
        total = sum(held for _, _, held in _CACHE.values())
        while len(_CACHE) > 1 and (len(_CACHE) > _CACHE_SIZE or total > CACHE_BYTES):
            total -= _CACHE.popitem(last=False)[1][2]
    return value
