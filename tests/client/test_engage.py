"""Profiles (the engage family: `stream_profiles`, `export_profiles`, `stream_profile_batches`)
against the emulator over loopback: page order under concurrent fetching, frames and their
schema, filters, batches, and option conflicts refused before any request. Profiles into
Parquet are with the Parquet tests (test_export_parquet.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from mixpanel_async import AsyncWorkspace, ParamValidationError
from mixpanel_async.emulator import Emulator


@pytest.fixture
def people(mixpanel_emulator: Emulator) -> Emulator:
    profiles = mixpanel_emulator.state.default.profiles
    for i in range(2345):
        profiles[f"user-{i:04d}"] = {
            "plan": ("free", "pro", "team")[i % 3],
            "n": i if i % 2 else i + 0.5,
            "$last_seen": f"2024-01-{1 + i % 28:02d}T10:00:00",
        }
    return mixpanel_emulator


async def test_export_profiles(people: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    df = await mixpanel_workspace.export_profiles(concurrency=3)
    stored = people.state.default.profiles
    assert df.columns == ["distinct_id", "last_seen", "properties"]
    assert df["distinct_id"].to_list() == list(stored)  # page order, every page once
    assert df.schema["last_seen"] == pl.Datetime("ms", "UTC")
    assert df["last_seen"][1] == dt.datetime(2024, 1, 2, 10, tzinfo=dt.UTC)
    assert df["properties"].struct.field("n").to_list() == [p["n"] for p in stored.values()]
    assert df.schema["properties"] == pl.Struct({"n": pl.Float64, "plan": pl.String})


async def test_profile_filters_and_batches(
    people: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    team = await ws.export_profiles(where='properties["plan"] == "team"', output_properties=["n"])
    assert team.height == 781
    assert team.schema["properties"] == pl.Struct({"n": pl.Float64})
    batches = [b async for b in ws.stream_profile_batches(batch_size=1000)]
    assert [b.height for b in batches] == [1000, 1000, 345]
    assert (await ws.export_profiles(distinct_ids=[])).height == 0
    two = await ws.export_profiles(distinct_ids=["user-0002", "user-0001"])
    assert sorted(two["distinct_id"].to_list()) == ["user-0001", "user-0002"]


async def test_stream_profiles_fetches_pages_concurrently_in_order(
    people: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    got = [p async for p in mixpanel_workspace.stream_profiles(raw=True, concurrency=4)]
    assert [p["$distinct_id"] for p in got] == list(people.state.default.profiles)
    normalised = [p async for p in mixpanel_workspace.stream_profiles(concurrency=1)]
    assert normalised[0] == {
        "distinct_id": "user-0000",
        "last_seen": "2024-01-01T10:00:00",
        "properties": {"plan": "free", "n": 0.5},
    }


async def test_empty_profiles(mixpanel_workspace: AsyncWorkspace) -> None:
    df = await mixpanel_workspace.export_profiles()
    assert df.height == 0
    assert df.columns == ["distinct_id", "last_seen", "properties"]


async def test_profile_option_conflicts_fail_before_any_request(
    unreachable: AsyncWorkspace,
) -> None:
    with pytest.raises(ParamValidationError, match="mutually exclusive"):
        await unreachable.export_profiles(distinct_id="a", distinct_ids=["b"])
    with pytest.raises(ParamValidationError, match="batch_size"):
        async for _ in unreachable.stream_profile_batches(batch_size=0):
            pass


async def test_one_profile_by_distinct_id(
    people: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    (one,) = [p async for p in mixpanel_workspace.stream_profiles(distinct_id="user-0007")]
    assert one["distinct_id"] == "user-0007"
    assert one["properties"] == {"plan": "pro", "n": 7}


@pytest.mark.parametrize(
    ("kwargs", "param", "code"),
    [
        ({"distinct_id": "a", "distinct_ids": ["b"]}, "distinct_ids", "AC2_DISTINCT_ID_CONFLICT"),
        ({"behaviors": [], "cohort_id": "1"}, "behaviors", "AC3_BEHAVIORS_COHORT_CONFLICT"),
        ({"include_all_users": True}, "include_all_users", "AC4_INCLUDE_ALL_USERS_REQUIRES_COHORT"),
        ({"behaviors": {"b": 1}}, "behaviors", "AC5_BEHAVIORS_NOT_LIST"),
        ({"as_of_timestamp": 4_102_444_800}, "as_of_timestamp", "AC6_AS_OF_TIMESTAMP_FUTURE"),
        ({"where": " "}, "where", None),
        ({"output_properties": "plan"}, "output_properties", None),
    ],
)
async def test_conflicting_options_send_nothing(
    mixpanel_offline_workspace: AsyncWorkspace,
    kwargs: dict[str, Any],
    param: str,
    code: str | None,
) -> None:
    for call in (
        lambda: anext(aiter(mixpanel_offline_workspace.stream_profiles(**kwargs))),
        lambda: mixpanel_offline_workspace.export_profiles(**kwargs),
    ):
        with pytest.raises(ParamValidationError) as info:
            await call()
        assert info.value.param == param
        if code is not None:
            assert info.value.code == code
