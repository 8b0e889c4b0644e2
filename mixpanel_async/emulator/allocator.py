"""How an emulator process sets up Polars' memory allocator, before Polars is loaded.

Polars allocates through its own jemalloc. When it is imported, it sets that to give freed
pages back to the system within about a second (`dirty_decay_ms:500,muzzy_decay_ms:1000`),
then appends whatever `_RJEM_MALLOC_CONF` already holds, which therefore overrides it. The
emulator's engines free and take again hundreds of megabytes on every query over millions of
events, so each query faulted all of those pages in afresh: on 10M events, 70,000 to 125,000
page faults, and up to half of a segmentation's time. With freed pages kept for ten seconds
(and lazily freed ones for ten more), a query reuses the pages of the one before: on the query
benchmark, faults went down to a few thousand per query. The memory is still given back once
the process is idle.

Only the emulator's own process does this (the `mixpanel-async emulator` command and
`python -m mixpanel_async.emulator`). An emulator started inside another program (the pytest
fixture, `Emulator(...)`) leaves that program's allocator as it is.
"""

from __future__ import annotations

import os
import sys

__all__ = ["ENV", "SETTING", "configure"]

_POLARS_OWN = {"dirty_decay_ms:500", "muzzy_decay_ms:1000", "thp:always", "metadata_thp:always"}
"""The options Polars itself writes into `ENV` when it is imported (Polars 1.x and 2.x)."""

ENV = "_RJEM_MALLOC_CONF"
"""The variable Polars' jemalloc reads its options from, once, when Polars is imported."""
SETTING = "dirty_decay_ms:10000,muzzy_decay_ms:10000"
"""Keep freed pages for ten seconds, then lazily freed ones for ten more, before giving them
back (after Polars' own options, so these win)."""


def configure() -> bool:
    """Put `SETTING` in `ENV` for this process, before Polars is imported; returns whether it
    did. A value the user chose is left as it is. A value made only of Polars' own options is
    not the user's choice: a parent process that imported Polars passes it on (Polars writes
    its options into the variable), and `SETTING` is appended after it, which overrides it."""
    if "polars" in sys.modules:
        return False  # too late: Polars has read the variable
    current = os.environ.get(ENV)
    if current is None:
        os.environ[ENV] = SETTING
    elif set(current.split(",")) <= _POLARS_OWN:
        os.environ[ENV] = f"{current},{SETTING}"
    else:
        return False
    return True
