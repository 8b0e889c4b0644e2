"""The peer library's ad-hoc `query()` and `query_flow()` (which POST bookmark JSON to
`/insights` and `/arb_funnels`) answered by the emulator, against our client running the same
report saved: the same engines behind both routes must give the same numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from tests.helpers import save_report

mixpanel_headless = pytest.importorskip("mixpanel_headless")
SEPTEMBER = {"from_date": "2026-09-01", "to_date": "2026-09-30"}


@pytest.mark.parametrize(
    "options",
    [
        {"math": "unique", "group_by": "$browser", "unit": "week"},
        {"math": "total", "mode": "total", "group_by": ["platform", "$os"]},
        {"math": "average", "math_property": "amount", "unit": "day"},
        {"where": mixpanel_headless.Filter.equals("plan", ["pro", "starter"]), "unit": "month"},
        {"formula": "B / A * 100", "formula_label": "conversion %", "group_by": "platform"},
        {"math": "median", "math_property": "amount", "per_user": "total", "mode": "total"},
        {"math": "cumulative_unique", "cumulative": True},
        {"rolling": 7},
        {"math": "wau", "unit": "week", "group_by": "platform"},
        {
            "where": mixpanel_headless.Filter.equals("plan", "pro", resource_type="people"),
            "group_by": "platform",
        },
        {"where": mixpanel_headless.Filter.in_cohort(9001, "Paying customers"), "unit": "week"},
        {"group_by": mixpanel_headless.CohortBreakdown(9002, "Pro plan"), "math": "unique"},
        {"where": mixpanel_headless.FrequencyFilter("Log In", value=3), "unit": "week"},
        {"group_by": mixpanel_headless.FrequencyBreakdown("Log In", bucket_max=5), "mode": "total"},
        {"math": "percentile", "math_property": "amount", "percentile_value": 95},
        {"math": "unique_values", "math_property": "plan", "unit": "week"},
        {"math": "histogram", "math_property": "amount", "per_user": "total"},
    ],
    ids=[
        "unique-by-browser",
        "totals-two-levels",
        "average",
        "filtered",
        "formula",
        "per-user",
        "cumulative",
        "rolling",
        "wau",
        "people-filter",
        "in-cohort",
        "cohort-breakdown",
        "frequency-filter",
        "frequency-breakdown",
        "custom-percentile",
        "unique-values",
        "histogram",
    ],
)
async def test_query_matches_the_saved_report(
    ours: AsyncWorkspace, peer: Any, options: dict[str, Any]
) -> None:
    events = ["Purchase"] if "math_property" in options else ["Sign Up", "Purchase"]
    if options.get("math") == "cumulative_unique":
        events = ["Log In"]
    adhoc = peer.query(events, **SEPTEMBER, **options)
    saved = await ours.query_saved_report(await save_report(ours, "insights", adhoc.params))
    assert adhoc.series == saved.series
    assert adhoc.headers == saved.headers
    assert (adhoc.from_date, adhoc.to_date) == (saved.from_date, saved.to_date)
    assert adhoc.df.shape[0] == saved.df.height > 0
    if "formula" in options:
        assert list(saved.series) == ["conversion %"]
    if "time_comparison" in options:
        assert set(saved.series) == {
            f"{e}{suffix}" for e in events for suffix in ("", " (1 month ago)")
        }


async def test_people_and_cohorts_count_what_the_profiles_say(emu: Any, peer: Any) -> None:
    project = emu.state.default
    pro = {did for did, props in project.profiles.items() if props.get("plan") == "pro"}
    start, end = (int(dt.datetime.fromisoformat(f"{day}T00:00:00+00:00").timestamp() * 1000)
                  for day in ("2026-09-01", "2026-10-01"))  # fmt: skip
    events = project.events.deduped()
    in_range = events.filter((events["time"] >= start) & (events["time"] < end))
    signed = set(in_range.filter(in_range["event"] == "Sign Up")["distinct_id"].to_list())
    people = mixpanel_headless.Filter.equals("plan", "pro", resource_type="people")
    for where in (people, mixpanel_headless.Filter.in_cohort(9002, "Pro plan")):
        answer = peer.query("Sign Up", math="unique", mode="total", where=where, **SEPTEMBER)
        assert answer.series["Sign Up"] == {"all": len(signed & pro)}
    sized = peer.query(mixpanel_headless.CohortMetric(9002, "Pro plan"), mode="total", **SEPTEMBER)
    assert sized.series == {"Pro plan": {"all": len(pro)}}


async def test_time_comparison_adds_the_earlier_range(peer: Any) -> None:
    compare = mixpanel_headless.TimeComparison.relative("week")
    both = peer.query("Sign Up", time_comparison=compare, **SEPTEMBER)
    assert both.series["Sign Up"] == peer.query("Sign Up", **SEPTEMBER).series["Sign Up"]
    earlier = peer.query("Sign Up", from_date="2026-08-25", to_date="2026-09-23")
    assert both.series["Sign Up (1 week ago)"] == earlier.series["Sign Up"]
    assert set(both.series) == {"Sign Up", "Sign Up (1 week ago)"}


async def test_query_limit_caps_segments(peer: Any) -> None:
    ask = {"group_by": "page", "mode": "total", **SEPTEMBER}
    full = peer.query("View Page", **ask).series["View Page"]
    capped = peer.query("View Page", limit=2, **ask).series["View Page"]
    pages = {page: leaf["all"] for page, leaf in full.items() if page != "$overall"}
    top = sorted(pages, key=lambda page: -pages[page])[:2]
    assert len(pages) > 2
    assert set(capped) == {"$overall", *top}
    assert capped["$overall"] == full["$overall"]  # the rollup still counts every segment


async def test_query_flow_matches_the_saved_report(ours: AsyncWorkspace, peer: Any) -> None:
    adhoc = peer.query_flow("Sign Up", forward=2, reverse=1, **SEPTEMBER)
    saved = await ours.query_saved_flows(await save_report(ours, "flows", adhoc.params))
    assert adhoc.steps == saved.steps
    assert adhoc.overall_conversion_rate == saved.overall_conversion_rate == 1.0
    assert adhoc.nodes_df["count"].tolist() == saved.df["count"].to_list()


async def test_refusals_reach_the_peer_as_query_errors(peer: Any) -> None:
    with pytest.raises(mixpanel_headless.QueryError, match="the math 'most_frequent'"):
        peer.query("Purchase", math="most_frequent", math_property="plan", **SEPTEMBER)
    with pytest.raises(mixpanel_headless.QueryError, match="the funnel math 'average'"):
        peer.query_funnel(["Sign Up", "Purchase"], math="average", math_property="amount",
                          **SEPTEMBER)  # fmt: skip
