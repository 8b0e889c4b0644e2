"""`AsyncWorkspace.query_saved_report` for saved insights, funnel and retention reports, over
loopback."""

from __future__ import annotations

import datetime as dt
from typing import Any

import aiohttp
import pytest

from mixpanel_async import AsyncWorkspace, ParamValidationError, QueryError, SavedReportResult
from mixpanel_async.api.insights import funnel_window
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.engine import saved_reports
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import ev, save_report

DAY = 86_400
SEP1 = 1_788_220_800  # 2026-09-01T00:00:00Z


def _steps(*names: str, **extra: Any) -> list[dict[str, Any]]:
    return [{"type": "event", "name": n, "filters": [], **extra} for n in names]


def report(kind: str, steps: list[dict[str, Any]], time: dict[str, Any], **behavior: Any) -> Any:
    return {
        "sections": {
            "show": [{"type": "metric", "behavior": {"type": kind, "behaviors": steps,
                                                     **behavior}}],
            "time": [time],
            "filter": [],
            "group": [],
        },
        "displayOptions": {"chartType": CHARTS[kind]},
    }  # fmt: skip


CHARTS = {"funnel": "funnel-steps", "retention": "retention-curve"}
SEPTEMBER = {"dateRangeType": "between", "unit": "day", "value": ["2026-09-01", "2026-09-14"]}


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    rows = [
        ev("Sign Up", "a", SEP1),
        ev("Purchase", "a", SEP1 + 3600),
        ev("Purchase", "a", SEP1 + 8 * DAY),
        ev("Sign Up", "b", SEP1 + 100),
        ev("Purchase", "b", SEP1 + 20 * DAY),  # outside a one-week window
        ev("Sign Up", "c", SEP1 + DAY),
    ]
    mixpanel_emulator.state.default.events.append(rows_of(rows))
    return mixpanel_emulator


async def test_saved_funnel(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    params = report("funnel", _steps("Sign Up", "Purchase"), SEPTEMBER,
                    conversionWindowDuration=1, conversionWindowUnit="week")  # fmt: skip
    bookmark = await save_report(ws, "funnels", params)
    result = await ws.query_saved_report(
        bookmark, bookmark_type="funnels", from_date="2026-09-01", to_date="2026-09-03"
    )
    assert isinstance(result, SavedReportResult)
    assert result.report_type == "funnel"
    assert (result.from_date, result.to_date) == ("2026-09-01", "2026-09-03")
    first_day = result.df.filter(date="2026-09-01")
    assert first_day.select("step", "event", "count").rows() == [
        (1, "Sign Up", 2),
        (2, "Purchase", 1),
    ]
    assert result.df.filter(date="2026-09-02")["count"].to_list() == [1, 0]
    assert result.to_dict()["report_type"] == "funnel"


async def test_saved_funnel_with_filter_and_breakdown(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    rows = [
        ev("Sign Up", "a", SEP1, plan="pro"),
        ev("Purchase", "a", SEP1 + 60, coupon="X"),
        ev("Sign Up", "b", SEP1 + 100, plan="free"),
        ev("Sign Up", "c", SEP1 + 300, plan="pro", test=True),  # filtered out
        ev("Purchase", "c", SEP1 + 400),
    ]
    mixpanel_emulator.state.default.events.append(rows_of(rows))
    ws = mixpanel_workspace
    params = report("funnel", _steps("Sign Up", "Purchase"), SEPTEMBER)
    params["sections"]["group"] = [{"value": "plan", "resourceType": "events"}]
    params["sections"]["filter"] = [
        {"value": "test", "filterOperator": "is not set", "resourceType": "events"}
    ]
    bookmark = await save_report(ws, "funnels", params)
    result = await ws.query_saved_report(
        bookmark, bookmark_type="funnels", from_date="2026-09-01", to_date="2026-09-01"
    )
    day = result.series["2026-09-01"]
    assert [s["count"] for s in day["$overall"]] == [2, 1]
    assert [s["count"] for s in day["pro"]] == [1, 1]
    assert [s["count"] for s in day["free"]] == [1, 0]
    assert result.df["count"].to_list() == [2, 1]  # the frame holds the `$overall` steps


async def test_saved_retention(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    params = report("retention", _steps("Sign Up", "Purchase"), SEPTEMBER, retentionUnit="week")
    bookmark = await save_report(ws, "retention", params)
    result = await ws.query_saved_report(bookmark, bookmark_type="retention")
    assert result.report_type == "retention"
    assert result.headers == ["$retention"]
    # Week cohorts from Monday 2026-08-31; two weeks of range → intervals 0..2.
    assert list(result.series) == ["2026-08-31", "2026-09-07", "2026-09-14"]
    assert result.series["2026-08-31"] == {"first": 3, "counts": [1, 1, 1]}
    assert result.df.filter(date="2026-08-31").rows() == [
        ("2026-08-31", 3, 0, 1),
        ("2026-08-31", 3, 1, 1),
        ("2026-08-31", 3, 2, 1),
    ]
    assert result.df.height == 9
    assert (result.from_date, result.to_date) == ("2026-08-31", "2026-09-14")


def insights_report(*shown: dict[str, Any], **sections: Any) -> dict[str, Any]:
    return {
        "sections": {
            "show": list(shown),
            "time": [SEPTEMBER | {"unit": sections.pop("unit", "day")}],
            "filter": sections.pop("filter", []),
            "group": sections.pop("group", []),
        },
        "displayOptions": {"chartType": sections.pop("chart", "line"), "analysis": "linear"},
    }


def shown(event: str, math: str = "total", prop: str | None = None) -> dict[str, Any]:
    measurement: dict[str, Any] = {"math": math}
    if prop:
        measurement["property"] = {"name": prop, "resourceType": "events"}
    behavior = {"type": "event", "name": event, "resourceType": "events", "filters": []}
    return {"type": "metric", "behavior": behavior, "measurement": measurement}


async def test_saved_insights(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    params = insights_report(shown("Purchase"), shown("Sign Up", "unique"), unit="week")
    bookmark = await save_report(ws, "insights", params)
    result = await ws.query_saved_report(bookmark)  # insights is the default type
    assert result.report_type == "insights"
    assert result.headers == ["$event"]
    assert result.from_date == "2026-09-01T00:00:00+00:00"
    assert result.to_date == "2026-09-14T23:59:59.999000+00:00"
    assert result.computed_at
    weeks = ["2026-08-31T00:00:00+00:00", "2026-09-07T00:00:00+00:00", "2026-09-14T00:00:00+00:00"]
    assert result.series == {
        "Purchase": dict(zip(weeks, [1, 1, 0], strict=True)),
        "Sign Up": dict(zip(weeks, [3, 0, 0], strict=True)),
    }
    assert result.df.columns == ["date", "event", "count"]
    assert result.df.filter(event="Sign Up")["count"].to_list() == [3, 0, 0]


async def test_saved_insights_breakdown_and_filter(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    rows = [
        ev("Buy", "a", SEP1, country="US", price=10),
        ev("Buy", "a", SEP1 + 60, country="US", price=30),
        ev("Buy", "b", SEP1 + DAY, country="FR", price=5),
        ev("Buy", "c", SEP1 + DAY, price=7),
        ev("Buy", "d", SEP1 + DAY, country="DE", price="n/a"),
    ]
    mixpanel_emulator.state.default.events.append(rows_of(rows))
    ws = mixpanel_workspace
    not_de = {"value": "country", "filterOperator": "does not equal", "filterValue": ["DE"],
              "filterType": "string", "resourceType": "events"}  # fmt: skip
    params = insights_report(
        shown("Buy", "average", "price"),
        group=[{"value": "country", "propertyName": "country", "resourceType": "events"}],
        filter=[not_de],
        chart="bar",
    )
    result = await ws.query_saved_report(await save_report(ws, "insights", params))
    assert result.headers == ["$event", "country"]
    assert result.series == {
        "Buy": {
            "$overall": {"all": 13.0},
            "US": {"all": 20.0},
            "FR": {"all": 5.0},
            "undefined": {"all": 7.0},
        }
    }
    assert result.df.columns == ["event", "segment", "count"]
    assert result.df.filter(segment="$overall")["count"].to_list() == [13.0]


async def test_refusals_are_query_errors(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    retention = await save_report(
        ws, "retention", report("retention", _steps("Sign Up"), SEPTEMBER)
    )
    with pytest.raises(QueryError, match="not a saved funnel report"):
        await ws.query_saved_report(retention, bookmark_type="funnels")
    with pytest.raises(QueryError, match="not found"):
        await ws.query_saved_report(999, bookmark_type="retention")
    filtered = report("funnel", _steps("Sign Up", "Purchase"), SEPTEMBER)
    filtered["sections"]["group"] = [{"value": "$browser"}, {"value": "$os"}]
    funnel = await save_report(ws, "funnels", filtered)
    with pytest.raises(QueryError, match=r"more than one breakdown .* not supported"):
        await ws.query_saved_report(funnel, bookmark_type="funnels")
    with pytest.raises(QueryError, match="not a saved insights report"):
        await ws.query_saved_report(funnel)
    formula = insights_report(shown("A"), {"type": "formula", "definition": "A ** 2"})
    with pytest.raises(QueryError, match=r"may only use \+ - \* /"):
        await ws.query_saved_report(await save_report(ws, "insights", formula))
    with pytest.raises(QueryError, match="not found"):
        await ws.query_saved_report(12345)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"bookmark_id": 0, "bookmark_type": "funnels"}, "bookmark_id"),
        ({"bookmark_id": 1, "from_date": "2026-13-01"}, "from_date"),
        ({"bookmark_id": 1, "bookmark_type": "flows", "to_date": "2026-02-30"}, "to_date"),
        ({"bookmark_id": 1, "bookmark_type": "cohorts"}, "must be one of"),
        ({"bookmark_id": 1, "bookmark_type": "funnels", "from_date": "2026-9-1"}, "from_date"),
        ({"bookmark_id": 1, "bookmark_type": "funnels", "from_date": "2026-09-02",
          "to_date": "2026-09-01"}, "after"),
        ({"bookmark_id": 1, "bookmark_type": "retention", "to_date": "soon"}, "to_date"),
    ],
)  # fmt: skip
async def test_bad_arguments_send_nothing(
    mixpanel_offline_workspace: AsyncWorkspace, kwargs: Any, match: str
) -> None:
    ws: Any = mixpanel_offline_workspace
    with pytest.raises(ParamValidationError, match=match):
        await ws.query_saved_report(**kwargs)


def test_funnel_window_defaults() -> None:
    today = dt.date(2026, 11, 20)
    d = dt.date
    assert funnel_window(None, None, today) == (d(2026, 10, 21), today)
    assert funnel_window(None, "2026-10-10", today) == (d(2026, 9, 10), d(2026, 10, 10))
    assert funnel_window("2026-09-01", None, today) == (d(2026, 9, 1), d(2026, 10, 1))
    assert funnel_window("2026-11-01", None, today) == (d(2026, 11, 1), today)


def test_saved_ranges_and_windows() -> None:
    today = dt.date(2026, 11, 20)
    last = {"dateRangeType": "in the last", "unit": "day", "window": {"unit": "week", "value": 2}}
    assert saved_reports.date_range(report("retention", [], last), today) == (
        dt.date(2026, 11, 6),
        today,
    )
    spec = saved_reports.retention_spec(
        report("retention", _steps("A"), last, retentionUnit="day"), today
    )
    assert (spec["born_event"], spec["event"], spec["interval_count"]) == ("A", None, 15)
    funnel = report("funnel", _steps("A", "B"), last, conversionWindowDuration=2,
                    conversionWindowUnit="hour")  # fmt: skip
    assert saved_reports.funnel_spec(funnel) == {"steps": ["A", "B"], "length": 2,
                                                 "length_unit": "hour", "where": None, "on": None,
                                                 "step_where": [None, None]}  # fmt: skip
    with pytest.raises(ValueError, match="any-order"):
        saved_reports.funnel_spec(report("funnel", _steps("A", "B"), last, funnelOrder="any"))
    with pytest.raises(ValueError, match="names no property"):
        saved_reports.funnel_spec(report("funnel", _steps("A", "B", filters=[{}]), last))


async def test_retention_without_dates_or_bookmark_is_400(seeded: Emulator) -> None:
    async with aiohttp.ClientSession() as http:
        url = f"{seeded.url}/api/query/retention"
        async with http.get(url, params={"project_id": "1", "born_event": "Sign Up"}) as resp:
            assert resp.status == 400
            assert "from_date" in (await resp.json())["error"]
