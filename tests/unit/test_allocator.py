"""The allocator settings a Dask worker gets while an export runs (`bulk.allocator`)."""

from __future__ import annotations

import platform

import pytest

from mixpanel_async.bulk import allocator


def test_nothing_changes_where_glibc_adapts_by_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(allocator.TRIM_VARIABLE, raising=False)
    assert allocator.roomy() is False
    allocator.restore()  # a no-op, not an error


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_a_nanny_environment_is_tuned_and_put_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(allocator.TRIM_VARIABLE, "65536")
    try:
        assert allocator.roomy() is True
        big = [bytearray(8 << 20) for _ in range(3)]  # megabyte buffers come from the heap
        del big
    finally:
        allocator.restore()
