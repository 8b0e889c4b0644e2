"""The named value sets (Literal aliases) of report definitions, with the seed's names."""

from __future__ import annotations

from typing import Literal, get_args

TimeUnit = Literal["day", "week", "month"]
QueryTimeUnit = Literal["hour", "day", "week", "month", "quarter"]
MathType = Literal[
    "total", "unique", "dau", "wau", "mau", "average", "median", "min", "max", "p25", "p75",
    "p90", "p99", "percentile", "histogram", "cumulative_unique", "sessions", "unique_values",
    "most_frequent", "first_value", "multi_attribution", "numeric_summary",
]  # fmt: skip
PerUserAggregation = Literal["unique_values", "total", "average", "min", "max"]
FunnelMathType = Literal[
    "conversion_rate_unique", "conversion_rate_total", "conversion_rate_session", "unique",
    "total", "average", "median", "min", "max", "p25", "p75", "p90", "p99", "histogram",
]  # fmt: skip
ConversionWindowUnit = Literal["second", "minute", "hour", "day", "week", "month", "session"]
FunnelOrder = Literal["loose", "any"]
FunnelMode = Literal["steps", "trends", "table"]
FunnelReentryMode = Literal["default", "basic", "aggressive", "optimized"]
RetentionAlignment = Literal["birth", "interval_start"]
RetentionMode = Literal["curve", "trends", "table"]
RetentionMathType = Literal["retention_rate", "unique", "total", "average"]
RetentionUnboundedMode = Literal["none", "carry_back", "carry_forward", "consecutive_forward"]
InsightsMode = Literal["timeseries", "total", "table"]
SegmentMethod = Literal["all", "first"]
TimeComparisonType = Literal["relative", "absolute-start", "absolute-end"]
TimeComparisonUnit = Literal["day", "week", "month", "quarter", "year"]
FrequencyFilterOperator = Literal[
    "is at least", "is at most", "is greater than", "is less than", "is equal to"
]
FilterPropertyType = Literal["string", "number", "boolean", "datetime", "list", "object"]
CustomPropertyType = Literal["string", "number", "boolean", "datetime"]
FilterDateUnit = Literal["hour", "day", "week", "month"]
FiltersCombinator = Literal["all", "any"]
ResourceType = Literal["events", "people"]
FilterOperator = Literal[
    "equals", "does not equal", "contains", "does not contain", "starts with", "ends with",
    "is greater than", "is less than", "is at least", "is at most", "is between",
    "not between", "is set", "is not set", "true", "false", "was on", "was not on",
    "was before", "was since", "was in the", "was not in the", "was in the next",
    "was between", "was not between", "list_contains",
]  # fmt: skip
CohortAggregationType = Literal["total", "unique", "average", "min", "max", "median"]
FlowCountType = Literal["unique", "total", "session"]
FlowChartType = Literal["sankey", "paths", "tree"]
FlowConversionWindowUnit = Literal["day", "week", "month", "session"]
FlowNodeType = Literal["ANCHOR", "NORMAL", "DROPOFF", "PRUNED", "FORWARD", "REVERSE"]
FlowAnchorType = Literal["NORMAL", "RELATIVE_REVERSE", "RELATIVE_FORWARD"]
FlowSessionEvent = Literal["start", "end"]
PropertyInputType = Literal["string", "number", "boolean", "datetime", "list"]
PropertyInputResource = Literal["event", "user"]


def values(alias: object) -> tuple[str, ...]:
    """The values a Literal alias allows, in order."""
    return tuple(str(v) for v in get_args(alias))
