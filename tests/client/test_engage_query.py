"""Typed filters and cohorts in user queries (`query_user` / `build_user_params`): `Filter`s
become the engage selector, answered by the emulator over loopback and checked against counts
worked out here in plain Python; what a selector cannot express is refused before any
request; parallel paging reports the pages it could not read."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pytest
from aiohttp import web

from mixpanel_async import (
    AsyncWorkspace,
    BookmarkValidationError,
    CohortCriteria,
    CohortDefinition,
    Filter,
    ParamValidationError,
)
from mixpanel_async.emulator import Emulator
from mixpanel_async.reports.users import build_user_params
from tests.helpers import serving

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _profile(i: int) -> dict[str, Any]:
    found: dict[str, Any] = {
        "plan": ("free", "pro", "team")[i % 3],
        "n": i,
        "vip": i % 4 == 0,
        "signup": f"2024-01-{1 + i % 10:02d}T{(i * 5) % 24:02d}:30:00",
        "seen": _stamp(NOW - dt.timedelta(hours=(i % 12) * 20 - 30)),
        'odd "name"': "yes" if i % 5 == 0 else "no",
    }
    if i % 7:
        found["email"] = f"u{i}@{'corp' if i % 2 else 'home'}.example"
    return found


@pytest.fixture
def people(mixpanel_emulator: Emulator) -> dict[str, dict[str, Any]]:
    profiles = mixpanel_emulator.state.default.profiles
    for i in range(60):
        profiles[f"u{i:02d}"] = _profile(i)
    mixpanel_emulator.state.default.cohorts.append(
        {"id": 77, "name": "Pro", "where": 'properties["plan"] == "pro"'}
    )
    return dict(profiles)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


# Each case: typed `where`, and the same condition on one profile, written separately.
CASES: list[tuple[Any, Any]] = [
    (Filter.equals("plan", ["pro", "team"]), lambda p: p["plan"] in ("pro", "team")),
    (Filter.not_equals("plan", ["free", "team"]), lambda p: p["plan"] == "pro"),
    (Filter.contains("email", "corp"), lambda p: "corp" in p.get("email", "")),
    (Filter.not_contains("email", "corp"), lambda p: "corp" not in p.get("email", "")),
    (Filter.is_set("email"), lambda p: "email" in p),
    (Filter.is_not_set("email"), lambda p: "email" not in p),
    ([Filter.greater_than("n", 40), Filter.is_true("vip")], lambda p: p["n"] > 40 and p["vip"]),
    (Filter.less_than("n", 5), lambda p: p["n"] < 5),
    (Filter.at_least("n", 58), lambda p: p["n"] >= 58),
    (Filter.at_most("n", 2), lambda p: p["n"] <= 2),
    (Filter.between("n", 10, 20), lambda p: 10 <= p["n"] <= 20),
    (Filter.not_between("n", 10, 50), lambda p: p["n"] < 10 or p["n"] > 50),
    (Filter.is_false("vip"), lambda p: not p["vip"]),
    (Filter.equals('odd "name"', "yes"), lambda p: p['odd "name"'] == "yes"),
    (Filter.on("signup", "2024-01-03"), lambda p: _day(p["signup"]) == dt.date(2024, 1, 3)),
    (Filter.not_on("signup", "2024-01-03"), lambda p: _day(p["signup"]) != dt.date(2024, 1, 3)),
    (Filter.since("signup", "2024-01-08"), lambda p: _day(p["signup"]) >= dt.date(2024, 1, 8)),
    (Filter.before("signup", "2024-01-03"), lambda p: _day(p["signup"]) < dt.date(2024, 1, 3)),
    (
        Filter.date_between("signup", "2024-01-02", "2024-01-04"),
        lambda p: dt.date(2024, 1, 2) <= _day(p["signup"]) <= dt.date(2024, 1, 4),
    ),
    (
        Filter.date_not_between("signup", "2024-01-02", "2024-01-09"),
        lambda p: not dt.date(2024, 1, 2) <= _day(p["signup"]) <= dt.date(2024, 1, 9),
    ),
    (
        Filter.in_the_last("seen", 3, "day"),
        lambda p: NOW - dt.timedelta(days=3) <= _moment(p["seen"]) < NOW,
    ),
    (
        Filter.not_in_the_last("seen", 1, "week"),
        lambda p: not NOW - dt.timedelta(days=7) <= _moment(p["seen"]) < NOW,
    ),
    (
        Filter.in_the_next("seen", 36, "hour"),
        lambda p: NOW <= _moment(p["seen"]) < NOW + dt.timedelta(hours=36),
    ),
]


@pytest.mark.parametrize(("where", "keep"), CASES)
async def test_typed_where_selects_the_profiles_it_says(
    people: dict[str, dict[str, Any]], mixpanel_workspace: AsyncWorkspace, where: Any, keep: Any
) -> None:
    expected = [d for d, p in people.items() if keep(p)]
    assert 0 < len(expected) < len(people)  # each case tells the profiles apart
    count = await mixpanel_workspace.query_user(where=where)
    assert count.value == len(expected)
    rows = await mixpanel_workspace.query_user(where=where, mode="profiles", limit=None)
    assert rows.distinct_ids == expected


async def test_in_cohort_in_where_is_the_cohort(
    people: dict[str, dict[str, Any]], mixpanel_workspace: AsyncWorkspace
) -> None:
    where = [Filter.in_cohort(77, "Pro"), Filter.greater_than("n", 30)]
    params = build_user_params({"where": where, "mode": "profiles"})
    assert params == {
        "where": 'properties["n"] > 30',
        "filter_by_cohort": '{"id": 77}',
        "include_all_users": False,
    }
    rows = await mixpanel_workspace.query_user(where=where, mode="profiles", limit=None)
    assert rows.distinct_ids == [d for d, p in people.items() if p["plan"] == "pro" and p["n"] > 30]
    only = await mixpanel_workspace.query_user(where=Filter.in_cohort(77))
    assert only.value == sum(p["plan"] == "pro" for p in people.values())


def test_a_cohort_definition_is_sent_inline() -> None:
    definition = CohortDefinition(
        CohortCriteria.has_property("plan", "pro"),
        CohortDefinition.any_of(
            CohortCriteria.did_event("Purchase", at_least=1, within_weeks=2),
            CohortCriteria.did_not_do_event("Cancel", from_date="2024-01-01", to_date="2024-01-31"),
        ),
    )
    params = build_user_params({"cohort": definition})
    spec = json.loads(params["filter_by_cohort"])
    assert spec == {
        "raw_cohort": {
            "selector": {"operator": "and", "children": [
                {"property": "user", "value": "plan", "operator": "==", "operand": "pro",
                 "type": "string"},
                {"operator": "or", "children": [
                    {"property": "behaviors", "value": "bhvr_0", "operator": ">=", "operand": 1},
                    {"property": "behaviors", "value": "bhvr_1", "operator": "==", "operand": 0},
                ]},
            ]},
            "behaviors": {
                "bhvr_0": {"count": {"event_selector": {"event": "Purchase"}, "type": "absolute"},
                           "window": {"unit": "week", "value": 2}},
                "bhvr_1": {"count": {"event_selector": {"event": "Cancel"}, "type": "absolute"},
                           "from_date": "2024-01-01", "to_date": "2024-01-31"},
            },
        }
    }  # fmt: skip
    assert params["include_all_users"] is False
    # to_dict() keeps the null selector of a behavior without event conditions.
    assert definition.to_dict()["behaviors"]["bhvr_0"]["count"]["event_selector"] == {
        "event": "Purchase", "selector": None
    }  # fmt: skip


def bad_user(**kwargs: Any) -> Any:
    """A `query_user` call with `kwargs`."""
    return lambda ws: ws.query_user(**kwargs)


@pytest.mark.parametrize(
    ("call", "codes"),
    [
        (bad_user(where=[Filter.equals("plan", "pro"), "plan"]), ["U0"]),
        (bad_user(where=Filter.in_cohort(3), cohort=4), ["U2"]),
        (bad_user(where=Filter.equals(" ", "x")), ["U10"]),
        (bad_user(where=Filter.not_in_cohort(3)), ["U12"]),
        (bad_user(where=[Filter.in_cohort(3), Filter.in_cohort(4)]), ["U13"]),
        (bad_user(where=Filter.starts_with("plan", "p")), ["U_FILTER"]),
        (bad_user(where=Filter.list_contains("cart", sku="a")), ["U_FILTER"]),
        (bad_user(where=Filter.in_the_last("seen", 20000, "day")), ["U_FILTER"]),
        (bad_user(where={"plan": "pro"}), ["U9"]),
        (bad_user(include_all_users=True, where=Filter.equals("plan", "pro")), ["U7"]),
    ],
)  # fmt: skip
async def test_filters_a_user_query_refuses_send_nothing(
    mixpanel_offline_workspace: AsyncWorkspace, call: Any, codes: list[str]
) -> None:
    with pytest.raises(BookmarkValidationError) as info:
        await call(mixpanel_offline_workspace)
    assert [e["code"] for e in info.value.details["errors"]] == codes


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: CohortDefinition(), "CD9_EMPTY_CRITERIA"),
        (lambda: CohortCriteria.did_event("Buy", within_days=3), "CD1_FREQUENCY_PARAM_REQUIRED"),
        (lambda: CohortCriteria.did_event("Buy", at_least=-1, within_days=3),
         "CD2_FREQUENCY_NEGATIVE"),
        (lambda: CohortCriteria.did_event("Buy", at_least=1), "CD3_TIME_CONSTRAINT_REQUIRED"),
        (lambda: CohortCriteria.did_event("Buy", at_least=1, within_days=0),
         "CD3_WINDOW_NOT_POSITIVE"),
        (lambda: CohortCriteria.did_event(" ", at_least=1, within_days=1), "CD4_EMPTY_EVENT"),
        (lambda: CohortCriteria.did_event("Buy", at_least=1, from_date="2024-01-01"),
         "CD5_FROM_REQUIRES_TO"),
        (lambda: CohortCriteria.did_event("Buy", at_least=1, from_date="2024-02-30",
                                          to_date="2024-03-01"), "CD6_DATE_INVALID"),
        (lambda: CohortCriteria.did_event("Buy", at_least=1, from_date="2024-03-02",
                                          to_date="2024-03-01"), "CD6_DATE_ORDER"),
        (lambda: CohortCriteria.did_event("Buy", at_least=1, within_days=1,
                                          where=Filter.ends_with("sku", "x")),
         "CD10_UNSUPPORTED_FILTER_OPERATOR"),
        (lambda: CohortCriteria.did_event("Buy", at_least=1, within_days=1, aggregation="total"),
         "CA1_AGGREGATION_PAIR"),
        (lambda: CohortCriteria.has_property(" ", "x"), "CD7_EMPTY_PROPERTY"),
        (lambda: CohortCriteria.in_cohort(0), "CD8_COHORT_ID_NOT_POSITIVE"),
        (lambda: Filter.in_cohort(CohortDefinition(CohortCriteria.in_cohort(2)), " "),
         "CF2_COHORT_NAME_EMPTY"),
    ],
)  # fmt: skip
def test_cohort_definitions_check_themselves(build: Any, code: str) -> None:
    with pytest.raises(ParamValidationError) as info:
        build()
    assert info.value.code == code


def _engage_server(total: int, page_size: int, broken: set[int]) -> web.Application:
    """An engage endpoint serving `total` profiles in pages of `page_size`; the pages in
    `broken` answer with a body that is not JSON."""

    async def engage(request: web.Request) -> web.Response:
        form = await request.post()
        number = int(str(form.get("page") or 0))
        if number in broken:
            return web.Response(text="<html>gateway</html>", content_type="text/html")
        first = number * page_size
        results = [
            {"$distinct_id": f"d{i}", "$properties": {"i": i}}
            for i in range(first, min(first + page_size, total))
        ]
        return web.json_response(
            {"results": results, "page": number, "session_id": "s1", "page_size": page_size,
             "total": total, "status": "ok"}
        )  # fmt: skip

    app = web.Application()
    app.router.add_post("/{tail:.*}", engage)
    return app


async def test_parallel_paging_lists_the_pages_it_could_not_read(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = _engage_server(total=25, page_size=5, broken={2})
    async with serving(app) as url, AsyncWorkspace(base_url=url, project="1") as ws:
        result = await ws.query_user(mode="profiles", limit=None, parallel=True, workers=2)
    expected = [f"d{i}" for i in range(25) if not 10 <= i < 15]
    assert result.distinct_ids == expected
    assert result.meta["failed_pages"] == [2]
    assert result.meta["pages_fetched"] == 4
    assert result.meta["workers"] == 2
    assert any("page 2" in r.getMessage() for r in caplog.records)


async def test_many_pages_warn_of_the_rate_limit(caplog: pytest.LogCaptureFixture) -> None:
    app = _engage_server(total=49 * 2, page_size=2, broken=set())
    caplog.set_level(logging.WARNING, logger="mixpanel_async")
    async with serving(app) as url, AsyncWorkspace(base_url=url, project="1") as ws:
        many = await ws.query_user(mode="profiles", limit=None, parallel=True)
        assert len(many.distinct_ids) == 98
        assert many.meta == {"session_id": "s1", "pages_fetched": 49, "parallel": True,
                             "failed_pages": [], "workers": 5}  # fmt: skip
        assert any("49 engage pages" in r.getMessage() for r in caplog.records)
        caplog.clear()
        await ws.query_user(mode="profiles", limit=96, parallel=True)  # 48 pages: no warning
    assert not any("engage pages" in r.getMessage() for r in caplog.records)
