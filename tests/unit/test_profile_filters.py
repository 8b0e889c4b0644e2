"""The profile filters (`ProfileFilters`) are one set of keywords, taken alike by
`stream_profiles`, `stream_profile_batches`, `export_profiles` and `export_profiles_to_parquet`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from mixpanel_async import AsyncWorkspace, ParamValidationError
from mixpanel_async.emulator import Emulator


@pytest.fixture
def people(mixpanel_emulator: Emulator) -> Emulator:
    for i in range(30):
        mixpanel_emulator.state.default.profiles[f"p{i}"] = {"n": i, "plan": ("a", "b")[i % 2]}
    return mixpanel_emulator


def _ids(frame: pl.DataFrame) -> list[str]:
    return sorted(frame["distinct_id"].to_list())


async def test_parquet_export_takes_distinct_id(
    people: Emulator, mixpanel_workspace: AsyncWorkspace, tmp_path: Path
) -> None:
    result = await mixpanel_workspace.export_profiles_to_parquet(
        tmp_path / "one.parquet", distinct_id="p7"
    )
    assert result.rows == 1
    assert _ids(pl.read_parquet(result.path)) == ["p7"]


@pytest.mark.parametrize(
    "filters",
    [
        {"distinct_id": "p3"},
        {"distinct_ids": ["p1", "p2", "p1"]},
        {"where": 'properties["plan"] == "b"', "output_properties": ["plan"]},
        {"distinct_ids": []},
    ],
)
async def test_every_profile_export_filters_alike(
    people: Emulator, mixpanel_workspace: AsyncWorkspace, tmp_path: Path, filters: Any
) -> None:
    ws = mixpanel_workspace
    streamed = sorted([p["distinct_id"] async for p in ws.stream_profiles(**filters)])
    frame = await ws.export_profiles(**filters)
    batches = [b async for b in ws.stream_profile_batches(batch_size=4, **filters)]
    written = await ws.export_profiles_to_parquet(tmp_path / "out.parquet", **filters)
    assert _ids(frame) == streamed
    assert _ids(pl.concat([frame.clear(), *batches])) == streamed
    assert _ids(pl.read_parquet(written.path)) == streamed
    assert written.rows == len(streamed)


async def test_parquet_export_checks_the_filters_before_any_request(
    mixpanel_offline_workspace: AsyncWorkspace, tmp_path: Path
) -> None:
    with pytest.raises(ParamValidationError) as info:
        await mixpanel_offline_workspace.export_profiles_to_parquet(
            tmp_path / "x.parquet", distinct_id="p1", distinct_ids=["p2"]
        )
    assert info.value.code == "AC2_DISTINCT_ID_CONFLICT"
    assert not (tmp_path / "x.parquet").exists()


async def test_an_unknown_filter_is_refused(mixpanel_offline_workspace: AsyncWorkspace) -> None:
    filters: dict[str, Any] = {"distinct": "p1"}
    with pytest.raises(TypeError, match="distinct"):
        await mixpanel_offline_workspace.export_profiles(**filters)
