"""Holding Python's cyclic garbage collector off for a synchronous stretch of batch work.

Shared by the client (preparing import batches, decoding profile pages) and the emulator
(parsing `/import` batches, building engage pages).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector off for a synchronous stretch of batch work.

    A batch allocates thousands of small dicts and strings that all stay alive until it is
    done, so each allocation burst would trigger collections that scan every live container
    (the caller's whole input, often millions of dicts), find nothing to free and cost more than
    the work itself. Nothing here creates cycles, and reference counting still frees everything.
    Never hold it across an `await`. Nesting is safe, and a collector the caller had disabled
    stays disabled.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
