"""Every building block of the seed's query family imports from `mixpanel_async` under the
seed's name, and each named value set allows the same values as the peer's."""

from __future__ import annotations

import enum
import typing

import pytest

import mixpanel_async

headless = pytest.importorskip("mixpanel_headless")

QUERY_FAMILY = [
    # report blocks
    "Metric", "CohortMetric", "Formula", "Filter", "GroupBy", "CohortBreakdown",
    "FrequencyBreakdown", "FrequencyFilter", "ListItemGroupMode", "TimeComparison",
    "FunnelStep", "Exclusion", "HoldingConstant", "RetentionEvent", "FlowStep",
    "CohortCriteria", "CohortDefinition", "PropertyInput", "InlineCustomProperty",
    "CustomPropertyRef", "PropertySpec", "ComposedPropertyValue", "CustomPropertyResourceType",
    "CustomEventRef", "SimpleBehavior", "BehaviorRef", "MetricRef", "SavedMetric",
    "SavedBehavior", "FormulaOperand", "FunnelBehavior", "RetentionBehavior", "FunnelMetric",
    "RetentionMetric",
    # results and their row types
    "QueryResult", "FunnelQueryResult", "RetentionQueryResult", "FlowQueryResult",
    "FlowTreeNode", "UserQueryResult", "SavedReportResult", "QueryMeta", "FunnelStepData",
    "RetentionCohortData", "FlowStepNode", "FlowEdge", "ProfilePageResult", "UserAction",
    # value sets
    "TimeUnit", "QueryTimeUnit", "MathType", "PerUserAggregation", "FunnelMathType",
    "ConversionWindowUnit", "FunnelOrder", "FunnelMode", "FunnelReentryMode",
    "RetentionAlignment", "RetentionMode", "RetentionMathType", "RetentionUnboundedMode",
    "InsightsMode", "SegmentMethod", "TimeComparisonType", "TimeComparisonUnit",
    "FrequencyFilterOperator", "FilterOperator", "FilterPropertyType", "FilterDateUnit",
    "FiltersCombinator", "CustomPropertyType", "CohortAggregationType", "FlowCountType",
    "FlowChartType", "FlowConversionWindowUnit", "FlowNodeType", "FlowAnchorType",
    "FlowSessionEvent", "SavedReportType",
    # errors and the bookmark validator
    "ValidationError", "BookmarkValidationError", "ParamValidationError", "validate_bookmark",
]  # fmt: skip
LITERALS = [
    name
    for name in QUERY_FAMILY
    if typing.get_origin(getattr(headless, name, None)) is typing.Literal
]


@pytest.mark.parametrize("name", QUERY_FAMILY)
def test_the_name_imports_and_is_exported(name: str) -> None:
    assert name in headless.__all__
    assert getattr(mixpanel_async, name) is not None
    assert name in mixpanel_async.__all__


@pytest.mark.parametrize("name", LITERALS)
def test_a_value_set_allows_the_peers_values(name: str) -> None:
    ours = typing.get_args(getattr(mixpanel_async, name))
    theirs = typing.get_args(getattr(headless, name))
    assert sorted(ours) == sorted(theirs)
    assert len(ours) == len(set(ours))


def test_the_value_sets_are_many() -> None:
    assert len(LITERALS) >= 25


def test_custom_property_resource_types_are_the_peers() -> None:
    ours = {m.name: m.value for m in mixpanel_async.CustomPropertyResourceType}
    theirs = {m.name: m.value for m in headless.CustomPropertyResourceType}
    assert ours == theirs
    assert issubclass(mixpanel_async.CustomPropertyResourceType, enum.Enum)
    assert mixpanel_async.CustomPropertyResourceType("people") == "people"


@pytest.mark.parametrize(
    "name", ["QueryMeta", "FunnelStepData", "RetentionCohortData", "FlowStepNode", "FlowEdge"]
)
def test_row_types_have_the_peers_keys(name: str) -> None:
    ours = typing.get_type_hints(getattr(mixpanel_async, name))
    theirs = typing.get_type_hints(getattr(headless, name))
    assert set(ours) == set(theirs)


@pytest.mark.parametrize(
    "name",
    ["PropertyInput", "InlineCustomProperty", "CustomPropertyRef", "ComposedPropertyValue",
     "ProfilePageResult", "UserAction", "ValidationError", "MetricRef", "SavedMetric",
     "SavedBehavior", "FunnelBehavior", "RetentionBehavior", "FunnelMetric", "RetentionMetric",
     "CustomEventRef", "SimpleBehavior", "BehaviorRef"],
)  # fmt: skip
def test_data_types_have_the_peers_fields(name: str) -> None:
    import attrs

    ours = {f.name for f in attrs.fields(getattr(mixpanel_async, name))}
    peer = getattr(headless, name)
    theirs = (
        set(peer.model_fields) if hasattr(peer, "model_fields") else set(peer.__dataclass_fields__)
    )
    assert ours == theirs
