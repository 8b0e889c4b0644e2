"""Typed filters and breakdowns in flows queries: `where`, `FlowStep.filters` and `segments`
become the bookmark's `filter_by_cohort` / `filter_by_event`, step filter entries and group
entries; what a flow cannot express is refused before anything is sent."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp import web

from mixpanel_async import (
    AsyncWorkspace,
    BookmarkValidationError,
    CohortBreakdown,
    CohortCriteria,
    CohortDefinition,
    Filter,
    FlowStep,
    FrequencyBreakdown,
    GroupBy,
    ParamValidationError,
)
from mixpanel_async.reports.flows import build_flow_params
from tests.helpers import serving


def test_step_filters_take_the_step_filter_form() -> None:
    step = FlowStep(
        "Purchase",
        filters=[
            Filter.equals("plan", ["pro", "team"]),
            Filter.between("amount", 5, 9.5),
            Filter.is_set("coupon", resource_type="people"),
            Filter.is_false("trial"),
            Filter.before("signup", "2024-03-07"),
            Filter.date_between("signup", "2024-01-01", "2024-01-31"),
            Filter.in_the_last("signup", 2, "week"),
        ],
        filters_combinator="any",
    )
    [entry] = build_flow_params(step)["steps"]
    assert entry["bool_op"] == "or"
    found = [(f["property"], f["type"], f["filter"]) for f in entry["property_filter_params_list"]]
    assert found == [
        ({"name": "plan", "source": "properties", "type": "string"}, "string",
         {"operator": "==", "operand": ["pro", "team"]}),
        ({"name": "amount", "source": "properties", "type": "number"}, "number",
         {"operator": "><", "operand": ["5", "9.5"]}),
        ({"name": "coupon", "source": "user", "type": "string"}, "string",
         {"operator": "set", "operand": ""}),
        ({"name": "trial", "source": "properties", "type": "boolean"}, "boolean",
         {"operand": "false"}),
        ({"name": "signup", "source": "properties", "type": "datetime"}, "datetime",
         {"operator": ">", "operand": "03/07/2024"}),
        ({"name": "signup", "source": "properties", "type": "datetime"}, "datetime",
         {"operator": "><", "operand": ["01/01/2024", "01/31/2024"]}),
        ({"name": "signup", "source": "properties", "type": "datetime"}, "datetime",
         {"operator": ">", "operand": 2, "unit": "weeks"}),
    ]  # fmt: skip
    assert all(
        f["selected_property_type"] == f["type"] for f in entry["property_filter_params_list"]
    )


def test_where_splits_cohort_membership_from_property_conditions() -> None:
    params = build_flow_params(
        "Sign Up",
        where=[Filter.not_in_cohort(12, "Bots"), Filter.greater_than("amount", 3)],
    )
    assert params["filter_by_cohort"] == {"id": 12, "name": "Bots", "negated": True}
    assert params["filter_by_event"] == {
        "operator": "and",
        "children": [
            {"resourceType": "events", "filterType": "number", "filterValue": 3,
             "filterOperator": "is greater than", "propertyName": "amount"},
        ],
    }  # fmt: skip
    only_property = build_flow_params("Sign Up", where=Filter.equals("plan", "pro"))
    assert "filter_by_cohort" not in only_property
    assert only_property["filter_by_event"]["children"][0]["filterValue"] == ["pro"]
    assert "filter_by_event" not in build_flow_params("Sign Up", where=[])


def test_an_inline_cohort_filters_a_flow_by_its_definition() -> None:
    definition = CohortDefinition.any_of(
        CohortCriteria.has_property("plan", "pro"),
        CohortCriteria.did_event("Purchase", at_least=2, within_days=30),
    )
    params = build_flow_params("Sign Up", where=Filter.in_cohort(definition, "Buyers"))
    raw = params["filter_by_cohort"]["raw_cohort"]
    assert params["filter_by_cohort"]["name"] == "Buyers"
    assert raw["selector"]["operator"] == "or"
    assert raw["selector"]["children"][1] == {
        "property": "behaviors", "value": "bhvr_0", "operator": ">=", "operand": 2
    }  # fmt: skip
    # No event conditions: the behavior carries no null selector.
    assert raw["behaviors"]["bhvr_0"]["count"]["event_selector"] == {"event": "Purchase"}


def test_segments_take_every_breakdown() -> None:
    params = build_flow_params(
        "Sign Up",
        segments=[
            "plan",
            GroupBy("amount", property_type="number", bucket_size=10, bucket_min=0, bucket_max=50),
            CohortBreakdown(4, "VIP", include_negated=False),
            FrequencyBreakdown("Purchase"),
        ],
    )
    plan, amount, cohort, frequency = params["segments"]
    assert plan == {"value": "plan", "propertyName": "plan", "resourceType": "events",
                    "propertyType": "string", "propertyDefaultType": "string"}  # fmt: skip
    assert amount["customBucket"] == {"bucketSize": 10, "min": 0, "max": 50}
    assert cohort["value"] == ["VIP"]
    assert [c["id"] for c in cohort["cohorts"]] == [4]
    assert frequency["behavior"]["behaviorType"] == "$frequency"
    assert frequency["value"] == "Purchase Frequency"
    assert len(build_flow_params("Sign Up", segments=GroupBy("plan"))["segments"]) == 1


def flow(**kwargs: Any) -> Any:
    """A `query_flow` call from "Sign Up" with `kwargs`."""
    event = kwargs.pop("event", "Sign Up")
    return lambda ws: ws.query_flow(event, **kwargs)


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (flow(where=[Filter.in_cohort(1), Filter.not_in_cohort(2)]), ParamValidationError,
         "BB5_FLOW_MULTIPLE_COHORT_FILTERS"),
        (flow(where=[Filter.equals("plan", "pro"), "plan"]), ParamValidationError,
         "FL_FILTER_TYPE"),
        (flow(event=FlowStep("Sign Up", filters=[Filter.starts_with("plan", "p")])),
         ParamValidationError, "SG1_UNKNOWN_STRING_OPERATOR"),
        (flow(event=FlowStep("Sign Up", filters=[Filter.in_the_next("at", 3, "day")])),
         ParamValidationError, "SG3_UNKNOWN_DATETIME_OPERATOR"),
        (flow(event=FlowStep("Sign Up", filters=[Filter.list_contains("cart", sku="a")])),
         ParamValidationError, "SG4_UNSUPPORTED_PROPERTY_TYPE"),
        (flow(event=FlowStep("Sign Up", filters=[Filter.in_cohort(3)])),
         ParamValidationError, "SG4_UNSUPPORTED_PROPERTY_TYPE"),
        (flow(event=FlowStep("Sign Up", filters=[Filter.equals("pl\x01an", "x")])),
         BookmarkValidationError, "FL_FILTER_CONTROL_CHAR"),
        (flow(segments=[GroupBy("plan"), 7]), ParamValidationError, "BB1_GROUP_BY_ELEMENT_TYPE"),
    ],
)  # fmt: skip
async def test_filters_a_flow_cannot_express_send_nothing(
    mixpanel_offline_workspace: AsyncWorkspace, call: Any, error: type[Exception], code: str
) -> None:
    with pytest.raises(error) as info:
        await call(mixpanel_offline_workspace)
    assert getattr(info.value, "code", None) == code


async def test_query_flow_sends_the_typed_blocks() -> None:
    """Over loopback, to a server that keeps what it is sent: the bookmark in the body is the
    one `build_flow_params` makes, typed blocks included."""
    received: list[dict[str, Any]] = []

    async def arb_funnels(request: web.Request) -> web.Response:
        received.append(json.loads(await request.read()))
        return web.json_response({"computed_at": "2024-01-01T00:00:00", "steps": [], "flows": []})

    app = web.Application()
    app.router.add_post("/{tail:.*}", arb_funnels)
    options: dict[str, Any] = {
        "where": [Filter.in_cohort(5, "Fans"), Filter.equals("plan", "pro")],
        "segments": CohortBreakdown(5, "Fans"),
        "from_date": "2024-01-01",
        "to_date": "2024-01-07",
    }
    step = FlowStep("Sign Up", filters=[Filter.at_least("amount", 2)])
    async with serving(app) as url, AsyncWorkspace(base_url=url, project="1") as ws:
        result = await ws.query_flow(step, **options)
    [body] = received
    assert body["bookmark"] == build_flow_params(step, **options) == result.params
    assert body["bookmark"]["filter_by_cohort"] == {"id": 5, "name": "Fans", "negated": False}
    assert body["bookmark"]["steps"][0]["property_filter_params_list"][0]["filter"] == {
        "operator": ">=", "operand": "2"
    }  # fmt: skip
