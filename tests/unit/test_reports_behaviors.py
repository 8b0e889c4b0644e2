"""Metrics over custom events and behaviours: what they refuse and the behaviour JSON."""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import (
    AsyncWorkspace,
    BehaviorRef,
    CustomEventRef,
    Filter,
    FunnelStep,
    Metric,
    ParamValidationError,
    SimpleBehavior,
)

WS = AsyncWorkspace(base_url="http://127.0.0.1:9", project="1")


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: CustomEventRef(0), "CE1_INVALID_ID"),
        (lambda: CustomEventRef(True), "CE1_INVALID_ID"),
        (lambda: BehaviorRef(-2, "simple"), "BR1_INVALID_ID"),
        (lambda: BehaviorRef(2, "flows"), "BR2_INVALID_TYPE"),
        (lambda: SimpleBehavior([]), "BH1_STEP_COUNT"),
        (lambda: SimpleBehavior(["A", " "]), "BH2_EMPTY_EVENT"),
        (lambda: Metric(BehaviorRef(3, "funnel")), "BH5_BEHAVIOR_REF_TYPE"),
        (
            lambda: Metric(SimpleBehavior(["A"]), filters=[Filter.is_set("x")]),
            "MT3_FILTERS_WITH_BEHAVIOR",
        ),
        (lambda: Metric(["A", FunnelStep("B")]), "MT5_INVALID_EVENT_TYPE"),
        (lambda: Metric(7), "MT5_INVALID_EVENT_TYPE"),
    ],
)
def test_refused(build: Any, code: str) -> None:
    with pytest.raises(ParamValidationError) as caught:
        build()
    assert caught.value.code == code


def _behavior(metric: Metric) -> Any:
    return WS.build_params(metric)["sections"]["show"][0]["behavior"]


def test_a_custom_event_is_counted_by_id() -> None:
    assert _behavior(Metric(CustomEventRef(42), math="unique")) == {
        "type": "custom-event", "id": 42, "name": "$custom_event:42", "resourceType": "events",
        "filtersDeterminer": "all", "filters": [],
    }  # fmt: skip


def test_a_saved_behaviour_is_only_its_reference() -> None:
    assert _behavior(Metric(BehaviorRef(9, "simple"))) == {"type": "simple", "id": 9}


def test_a_simple_behaviour_lists_its_events_and_is_named_after_them() -> None:
    step = FunnelStep("Buy", label="Big buy", filters=[Filter.greater_than("amount", 100)])
    behavior = _behavior(Metric(SimpleBehavior([step, CustomEventRef(4), "Log In"])))
    assert behavior["type"] == "simple"
    assert behavior["name"] == "Big buy or $custom_event:4 or Log In"
    kinds = [(b["type"], b["id"], b["name"]) for b in behavior["behaviors"]]
    assert kinds == [("event", None, "Buy"), ("custom-event", 4, "$custom_event:4"),
                     ("event", None, "Log In")]  # fmt: skip
    assert behavior["behaviors"][0]["renamed"] == "Big buy"
    assert behavior["behaviors"][0]["filters"][0]["filterValue"] == 100


def test_a_named_simple_behaviour_keeps_its_name() -> None:
    assert _behavior(Metric(SimpleBehavior(["A", "B"], name="Either")))["name"] == "Either"
