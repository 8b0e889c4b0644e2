"""How an emulator process sets up Polars' memory allocator, before Polars is loaded.

Polars allocates through its own jemalloc. When it is imported, it sets that to give freed
pages back to the system within half a second (`dirty_decay_ms:500`), then appends whatever
`_RJEM_MALLOC_CONF` already holds, which therefore overrides it. The emulator's engines free
and take again hundreds of megabytes on every query over millions of events, so each query
faulted all of those pages in afresh: on 10M events, 70,000 to 125,000 page faults, and up to
half of a segmentation's time. With freed pages kept for ten seconds, a query reuses the pages
of the one before.

Only the emulator's own process does this (the `mixpanel-async emulator` command and
`python -m mixpanel_async.emulator`). An emulator started inside another program (the pytest
fixture, `Emulator(...)`) leaves that program's allocator as it is.
"""

from __future__ import annotations

import os
import sys

__all__ = ["ENV", "SETTING", "configure"]

ENV = "_RJEM_MALLOC_CONF"
"""The variable Polars' jemalloc reads its options from, once, when Polars is imported."""
SETTING = "dirty_decay_ms:10000"
"""Keep freed pages for ten seconds before giving them back (after Polars' own options)."""


def configure() -> bool:
    """Set `ENV` to `SETTING` for this process, unless Polars is already loaded (too late) or
    the variable is set already (the user's choice wins). Returns whether it was set."""
    if "polars" in sys.modules or ENV in os.environ:
        return False
    os.environ[ENV] = SETTING
    return True
