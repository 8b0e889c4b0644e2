"""glibc's allocator in a Dask worker, while an export runs there.

A Dask nanny starts its workers with `MALLOC_TRIM_THRESHOLD_=65536` (so that freed memory goes
back to the system at once). Setting that variable also turns off glibc's adaptive mmap
threshold, so every allocation above 128 KiB becomes a fresh `mmap` and every free a `munmap`.
An export moves its bytes through buffers of megabytes (the chunks of JSON lines and their
copies), so in such a worker each of them is page-faulted in anew: measured at 2M events, the
workers' system time was about three times the one-process export's, a third of their CPU.

While an export is running on a worker, `roomy()` lets buffers up to `MMAP_THRESHOLD` come from
the heap and be reused (the thresholds glibc itself would have adapted to); when the worker's
last export ends, `restore()` puts back the nanny's thresholds and returns the free memory to
the system. In a process started without that variable (glibc adapts by itself), or elsewhere
than glibc, both do nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20
"""Largest allocation kept on the heap while an export runs (glibc's own upper bound)."""
DEFAULT_MMAP_THRESHOLD = 128 << 10
TRIM_VARIABLE = "MALLOC_TRIM_THRESHOLD_"


def _libc() -> ctypes.CDLL | None:
    if not os.environ.get(TRIM_VARIABLE, "").isdigit():
        return None  # glibc's adaptive thresholds are on: nothing to do
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    with contextlib.suppress(OSError):
        libc = ctypes.CDLL(name)
        if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim"):
            return libc
    return None


def roomy() -> bool:
    """Keep buffers up to `MMAP_THRESHOLD` on the heap; False when there is nothing to do."""
    libc = _libc()
    if libc is None:
        return False
    libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    libc.mallopt(M_TRIM_THRESHOLD, 2 * MMAP_THRESHOLD)
    return True


def restore() -> None:
    """Put back the thresholds the process started with and return free memory."""
    libc = _libc()
    if libc is None:
        return
    libc.mallopt(M_MMAP_THRESHOLD, DEFAULT_MMAP_THRESHOLD)
    libc.mallopt(M_TRIM_THRESHOLD, int(os.environ[TRIM_VARIABLE]))
    libc.malloc_trim(0)
