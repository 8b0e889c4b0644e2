"""Profiles (the engage family: `stream_profiles`, `export_profiles`, `stream_profile_batches`)
against the emulator over loopback: page order under concurrent fetching, frames and their
schema, filters, batches, and option conflicts refused before any request. Profiles into
Parquet are with the Parquet tests (test_export_parquet.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any, assert_type

import polars as pl
import pytest

from mixpanel_async import (
    AsyncWorkspace,
    BookmarkValidationError,
    ParamValidationError,
    UserQueryResult,
)
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


async def test_export_profiles_of_many_pages_parsed_while_pages_arrive(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    """More pages than are parsed at once, with types that change from page to page: the
    frame keeps page order and one schema, and batches stay whole pages in order."""
    profiles = mixpanel_emulator.state.default.profiles
    for i in range(20_500):  # 21 pages of 1000
        props: dict[str, Any] = {"plan": ("free", "pro")[i % 2], "gone": None}
        props["n"] = i if i < 10_000 else i + 0.25  # integers for ten pages, then floats
        if i >= 19_000:
            props["late"] = f"l{i}"
        profiles[f"p{i:05d}"] = props
    df = await mixpanel_workspace.export_profiles()
    assert df["distinct_id"].to_list() == [f"p{i:05d}" for i in range(20_500)]
    assert df.schema["properties"] == pl.Struct(
        {"gone": pl.Null, "late": pl.String, "n": pl.Float64, "plan": pl.String}
    )
    props_col = df["properties"]
    assert props_col.struct.field("n").to_list() == [
        float(i if i < 10_000 else i + 0.25) for i in range(20_500)
    ]
    late = props_col.struct.field("late").to_list()
    assert late[:19_000] == [None] * 19_000
    assert late[19_000:] == [f"l{i}" for i in range(19_000, 20_500)]
    assert df["last_seen"].null_count() == 20_500
    sizes = [b.height async for b in mixpanel_workspace.stream_profile_batches(batch_size=1)]
    assert sizes == [1000] * 20 + [500]


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


# --- query_user / build_user_params / run_user_params ----------------------------------------


def by_n(profiles: dict[str, dict[str, Any]], *, reverse: bool) -> list[str]:
    """Distinct ids ordered by `n`, computed here in plain Python (ties keep store order)."""
    return [d for d, _ in sorted(profiles.items(), key=lambda kv: kv[1]["n"], reverse=reverse)]


async def test_query_user_profiles(people: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    stored = people.state.default.profiles
    one = await ws.query_user(mode="profiles")
    assert_type(one, UserQueryResult)
    assert (one.mode, one.total, one.distinct_ids) == ("profiles", 1, [next(iter(stored))])
    assert one.df.columns == ["distinct_id", "last_seen", "n", "plan"]
    assert one.df is one.df
    top = await ws.query_user(mode="profiles", sort_by="n", limit=5, properties=["n"])
    assert top.distinct_ids == by_n(stored, reverse=True)[:5]
    assert top.df.columns == ["distinct_id", "last_seen", "n"]
    assert top.params["sort_key"] == 'properties["n"]'
    low = await ws.query_user(mode="profiles", sort_by="n", sort_order="ascending", limit=3)
    assert low.distinct_ids == by_n(stored, reverse=False)[:3]
    team = await ws.query_user(mode="profiles", where='properties["plan"] == "team"', limit=None)
    expected = [d for d, p in stored.items() if p["plan"] == "team"]
    assert team.distinct_ids == expected
    assert team.total == len(expected)
    assert team.meta["pages_fetched"] == 1
    picked = await ws.query_user(
        mode="profiles", distinct_ids=["user-0007", "user-0003"], limit=None
    )
    assert sorted(picked.distinct_ids) == ["user-0003", "user-0007"]


@pytest.mark.parametrize("parallel", [False, True])
async def test_query_user_pages(
    people: Emulator, mixpanel_workspace: AsyncWorkspace, parallel: bool
) -> None:
    ws = mixpanel_workspace
    stored = list(people.state.default.profiles)
    every = await ws.query_user(mode="profiles", limit=None, parallel=parallel, workers=3)
    assert every.distinct_ids == stored  # 2345 profiles: pages of 1000, in order, each once
    assert every.meta["pages_fetched"] == 3
    assert every.meta["parallel"] is parallel
    some = await ws.query_user(mode="profiles", limit=1500, parallel=parallel)
    assert some.distinct_ids == stored[:1500]
    assert some.meta["pages_fetched"] == 2
    params = ws.build_user_params(mode="profiles")
    again = await ws.run_user_params(params, limit=1001, parallel=parallel)
    assert again.distinct_ids == stored[:1001]


async def test_query_user_aggregates(people: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    stored = people.state.default.profiles
    count = await ws.query_user()
    assert (count.mode, count.value, count.total) == ("aggregate", len(stored), len(stored))
    assert count.df.rows() == [("count()", len(stored))]
    pro = await ws.query_user(where='properties["plan"] == "pro"')
    assert pro.value == sum(p["plan"] == "pro" for p in stored.values())
    extremes = await ws.query_user(aggregate="extremes", aggregate_property="n")
    values = [p["n"] for p in stored.values()]
    assert extremes.total == 0
    assert extremes.value is None
    assert extremes.aggregate_data["max"] == max(values)
    assert extremes.aggregate_data["min"] == min(values)
    assert extremes.df["metric"].to_list() == ['extremes(properties["n"])']
    summary = await ws.query_user(aggregate="numeric_summary", aggregate_property="n")
    assert summary.aggregate_data["count"] == len(values)
    assert summary.aggregate_data["mean"] == pytest.approx(sum(values) / len(values))
    pct = await ws.query_user(aggregate="percentile", aggregate_property="n", percentile=50)
    assert pct.params["action"] == 'percentile(properties["n"], 50)'
    ordered_values = sorted(values)
    assert ordered_values[0] <= pct.value <= ordered_values[-1]  # type: ignore[operator]


async def test_query_user_segmented_by_cohort(
    people: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    team_where = 'properties["plan"] == "team"'
    people.state.default.cohorts.append({"id": 77, "name": "Team", "where": team_where})
    stored = people.state.default.profiles
    team = sum(p["plan"] == "team" for p in stored.values())
    result = await ws.query_user(segment_by=[77])
    assert result.meta["segmented"] is True
    assert result.value is None
    assert result.aggregate_data == {str(77): team}
    assert result.df.rows() == [(str(77), team)]
    members = await ws.query_user(cohort=77, mode="profiles", limit=None)
    assert len(members.distinct_ids) == team
    assert members.params["filter_by_cohort"] == f'{{"id": {77}}}'


BVE = BookmarkValidationError
PROFILES: dict[str, Any] = {"mode": "profiles"}


def bad_user(**kwargs: Any) -> Any:
    """A `query_user` call with `kwargs`."""
    return lambda ws: ws.query_user(**kwargs)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (bad_user(distinct_id="a", distinct_ids=["b"], **PROFILES), BVE, "not both"),
        (bad_user(limit=0, **PROFILES), BVE, "limit"),
        (bad_user(distinct_ids=[], **PROFILES), BVE, "distinct_ids is empty"),
        (bad_user(sort_by=" ", **PROFILES), BVE, "sort_by"),
        (bad_user(as_of="2024-02-30", **PROFILES), BVE, "real YYYY-MM-DD"),
        (bad_user(as_of="2999-01-01", **PROFILES), BVE, "future"),
        (bad_user(include_all_users=True), BVE, "needs a cohort"),
        (bad_user(properties=[], **PROFILES), BVE, "properties is empty"),
        (bad_user(properties=[""], **PROFILES), BVE, "non-empty"),
        (bad_user(aggregate="extremes"), BVE, "needs an aggregate_property"),
        (bad_user(aggregate_property="n"), BVE, "takes no aggregate_property"),
        (bad_user(aggregate="percentile", aggregate_property="n"), BVE, "needs a percentile"),
        (bad_user(percentile=5), BVE, "is for aggregate"),
        (bad_user(aggregate="percentile", aggregate_property="n", percentile=100), BVE,
         "strictly between"),
        (bad_user(segment_by=[1], **PROFILES), BVE, "segment_by is for"),
        (bad_user(segment_by=[0]), BVE, "positive integers"),
        (bad_user(parallel=True), BVE, "parallel is for"),
        (bad_user(sort_by="n"), BVE, "sort_by is for"),
        (bad_user(search="x"), BVE, "search is for"),
        (bad_user(distinct_id="x"), BVE, "distinct_id is for"),
        (bad_user(properties=["n"]), BVE, "properties is for"),
        (bad_user(as_of=1), BVE, "as_of is for"),
        (bad_user(workers=6, **PROFILES), BVE, "workers"),
        (bad_user(mode="people"), BVE, "mode must be one of"),
        (bad_user(aggregate="avg"), BVE, "aggregate must be one of"),
        (bad_user(sort_order="up"), BVE, "sort_order"),
        (bad_user(where=["x"]), BVE, "where takes Filters"),
        (bad_user(where=3), BVE, "where takes Filters or a selector"),
        (bad_user(cohort="7"), BVE, "cohort is an id"),
        (bad_user(colour="red"), TypeError, "colour"),
        (lambda ws: ws.run_user_params([]), ParamValidationError, "params"),
        (lambda ws: ws.run_user_params({}, limit=0), ParamValidationError, "limit"),
        (lambda ws: ws.run_user_params({}, workers=9), ParamValidationError, "workers"),
    ],
)  # fmt: skip
async def test_bad_user_arguments_send_nothing(
    mixpanel_offline_workspace: AsyncWorkspace, call: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(mixpanel_offline_workspace)
