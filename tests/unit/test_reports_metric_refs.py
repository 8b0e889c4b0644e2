"""Saved metrics by reference, funnel and retention metrics and formulas with their own
operands: the checks each block runs when it is made, and the clauses they become."""

# ruff: noqa: E501

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import (
    BehaviorRef,
    Formula,
    FunnelBehavior,
    FunnelMetric,
    Metric,
    MetricRef,
    ParamValidationError,
    RetentionBehavior,
    RetentionMetric,
    SavedBehavior,
    SavedMetric,
)
from mixpanel_async.exceptions import BookmarkValidationError
from mixpanel_async.reports.insights import insights_params

DEFAULTS: dict[str, Any] = {
    "from_date": None, "to_date": None, "last": 30, "unit": "day", "math": "total",
    "math_property": None, "per_user": None, "percentile_value": None, "group_by": None,
    "where": None, "formula": None, "formula_label": None, "rolling": None,
    "cumulative": False, "mode": "timeseries", "time_comparison": None, "data_group_id": None,
}  # fmt: skip


def build(events: Any, **args: Any) -> dict[str, Any]:
    return insights_params(events, **{**DEFAULTS, **args})


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ({"id": 0}, "MR4_INVALID_ID"),
        ({"id": True}, "MR4_INVALID_ID"),
        ({"id": 3, "type": "saved"}, "MR5_INVALID_TYPE"),
        ({"id": 3, "label": " "}, "MR7_INVALID_OVERRIDE"),
        ({"id": 3, "math": "sum"}, "MR7_INVALID_OVERRIDE"),
        ({"id": 3, "percentile_value": float("nan")}, "MR7_INVALID_OVERRIDE"),
        ({"id": 3, "step_index": -1}, "MR7_INVALID_OVERRIDE"),
        ({"id": 3, "overrides": [1]}, "MR7_INVALID_OVERRIDE"),
        ({"id": 3, "segment_method": "last"}, "MT2_INVALID_SEGMENT_METHOD"),
        ({"id": 3, "type": "formula", "math": "unique"}, "MR6_OVERRIDE_NOT_APPLICABLE"),
        ({"id": 3, "math": "unique", "per_user": "total"}, "V3_PER_USER_INCOMPATIBLE"),
        ({"id": 3, "math": "unique", "property": "amount"}, "V14_METRIC_REJECTS_PROPERTY"),
        ({"id": 3, "overrides": {"measurement": {"filters": []}}}, "MR1_FILTER_OVERRIDE"),
    ],
)
def test_a_metric_ref_refuses_bad_overrides(args: dict[str, Any], code: str) -> None:
    ident = args.pop("id")
    with pytest.raises(ParamValidationError) as caught:
        MetricRef(ident, **args)
    assert caught.value.code == code


def test_a_metric_ref_becomes_a_reference_clause_with_overrides() -> None:
    raw = {"measurement": {"percentile": 90}, "name": "raw wins"}
    ref = MetricRef(7, label="Buyers", math="percentile", segment_method="first", overrides=raw)
    (clause,) = build(ref)["sections"]["show"]
    assert clause == {
        "type": "metric", "id": 7,
        "overrides": {
            "name": "raw wins",
            "measurement": {"math": "custom_percentile", "segmentMethod": "first", "percentile": 90},
        },
    }  # fmt: skip
    raw["name"] = "changed later"
    assert build(ref)["sections"]["show"][0]["overrides"]["name"] == "raw wins"


def test_query_measurement_arguments_are_refused_when_only_saved_metrics_get_them() -> None:
    with pytest.raises(BookmarkValidationError) as caught:
        build(MetricRef(7), math="unique")
    assert caught.value.code == "V29_QUERY_MEASUREMENT_IGNORED"
    assert build([MetricRef(7), "Login"], math="unique")["sections"]["show"][1]["measurement"] == {
        "math": "unique"
    }


def test_a_saved_metric_runs_by_reference() -> None:
    saved = SavedMetric(
        id=5, name="Buyers", type="metric", definition={"measurement": {"math": "unique"}}
    )
    assert saved.math == "unique"
    assert build(saved)["sections"]["show"] == [{"type": "metric", "id": 5}]
    with pytest.raises(ParamValidationError) as caught:
        saved.to_ref(math="percentile")
    assert caught.value.code == "V26_PERCENTILE_REQUIRES_VALUE"
    with pytest.raises(ParamValidationError):
        SavedMetric(id=5, name="Old", type="behavior", definition={}).to_ref()


def test_saved_metric_readers() -> None:
    formula = {"formula": {"definition": "A / B", "referencedMetrics": [
        {"id": 4}, {"metric_id": "9"}, {"id": 4}, {"type": "metric", "behavior": {}}]}}  # fmt: skip
    saved = SavedMetric(id=1, name="Ratio", type="formula", definition=formula)
    assert saved.formula_expression == "A / B"
    assert saved.referenced_metric_ids == [4, 9]
    assert saved.behavior_type is None
    behavior = SavedBehavior(
        id=3, name="Checkout", type="funnel", definition={"behavior": {"type": "funnel"}}
    )
    assert behavior.behavior_type == "funnel"
    assert behavior.to_ref() == BehaviorRef(3, "funnel")


def test_a_funnel_metric_writes_query_funnels_behaviour() -> None:
    funnel = FunnelBehavior(["Checkout", "Purchase"], conversion_window=7, holding_constant="plan")
    (clause,) = build(FunnelMetric(funnel, label="Checkout rate"))["sections"]["show"]
    assert clause["name"] == "Checkout rate"
    behavior = clause["behavior"]
    assert behavior["type"] == "funnel"
    assert [b["name"] for b in behavior["behaviors"]] == ["Checkout", "Purchase"]
    assert behavior["conversionWindowDuration"] == 7
    assert behavior["aggregateBy"] == [{"value": "plan", "resourceType": "events"}]
    assert clause["measurement"] == {
        "math": "conversion_rate_unique",
        "property": None,
        "stepIndex": None,
    }


def test_a_retention_metric_and_a_saved_behaviour() -> None:
    metric = RetentionMetric(
        RetentionBehavior("Sign Up", "Login", retention_unit="day"), bucket_index=7
    )
    (clause,) = build(metric)["sections"]["show"]
    assert clause["behavior"]["retentionUnit"] == "day"
    assert clause["measurement"] == {"math": "retention_rate", "retentionBucketIndex": 7}
    saved = build(RetentionMetric(BehaviorRef(4, "retention")))["sections"]["show"][0]
    assert saved["behavior"] == {"type": "retention", "id": 4}


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: FunnelBehavior(["Only"]), "BH1_STEP_COUNT"),
        (lambda: FunnelBehavior(["A", " "]), "BH2_EMPTY_EVENT"),
        (lambda: FunnelBehavior(["A", "B"], holding_constant=[" "]), "HC1_EMPTY_PROPERTY"),
        (lambda: RetentionBehavior("A", "\x01"), "EV2_CONTROL_CHAR_EVENT"),
        (lambda: FunnelMetric(BehaviorRef(1, "retention")), "BH5_BEHAVIOR_REF_TYPE"),
        (
            lambda: FunnelMetric(FunnelBehavior(["A", "B"]), math="average"),
            "F10_MATH_MISSING_PROPERTY",
        ),
        (
            lambda: FunnelMetric(FunnelBehavior(["A", "B"]), property="x"),
            "F11_MATH_REJECTS_PROPERTY",
        ),
        (lambda: FunnelMetric(FunnelBehavior(["A", "B"]), step_index=-1), "MT4_INVALID_INDEX"),
        (lambda: RetentionMetric(RetentionBehavior("A", "B"), math="average"), "BH3_PROPERTY_MATH"),
        (lambda: Formula("A / B", metrics=[MetricRef(1), Formula("A")]), "FM3_NESTED_FORMULA"),
        (lambda: Formula("A", metrics=[MetricRef(1, type="warehouse")]), "FM7_WAREHOUSE_OPERAND"),
        (lambda: Formula("A", metrics=[MetricRef(1, label="x")]), "MR2_OPERAND_OVERRIDE"),
        (lambda: Formula("A + C", metrics=[Metric("X"), Metric("Y")]), "FM2_UNKNOWN_LETTER"),
        (lambda: Formula("A * 1E5", metrics=[Metric("X")]), "FM5_UPPER_E"),
        (lambda: Formula("A ^ -A", metrics=[Metric("X")]), "FM4_SYNTAX"),
        (lambda: Formula("2", metrics=[Metric("X")]), "V16_FORMULA_SYNTAX"),
    ],
)
def test_blocks_refuse_what_cannot_run(make: Any, code: str) -> None:
    with pytest.raises(ParamValidationError) as caught:
        make()
    assert caught.value.code == code


def test_a_formula_with_its_own_operands_needs_no_other_metric() -> None:
    funnel = FunnelMetric(FunnelBehavior(["Checkout", "Purchase"]))
    formula = Formula(
        "A / B", label="Per conversion", metrics=[Metric("Purchase"), funnel, MetricRef(9)]
    )
    assert isinstance(formula.metrics, tuple)
    (clause,) = build(formula)["sections"]["show"]
    assert clause["type"] == "formula"
    assert clause["name"] == "Per conversion"
    first, second, third = clause["referencedMetrics"]
    assert first["type"] == "metric"
    assert first["behavior"]["name"] == "Purchase"
    assert second["behavior"]["type"] == "funnel"
    assert third == {"type": "metric", "id": 9}
    shown = build(["Login", formula])["sections"]["show"]
    assert "isHidden" not in shown[0]  # an operand formula hides nothing
