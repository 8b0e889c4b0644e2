"""Report definitions: the seed's typed building blocks of Insights, funnel and retention
queries (`Metric`, `Filter`, `GroupBy`, ...) and the pure functions that turn them into the
bookmark JSON that `POST /insights` computes."""

from mixpanel_async.reports.breakdowns import (
    CohortBreakdown,
    FrequencyBreakdown,
    FrequencyFilter,
    GroupBy,
    ListItemGroupMode,
    TimeComparison,
)
from mixpanel_async.reports.filters import Filter, FilterValue
from mixpanel_async.reports.metrics import (
    CohortMetric,
    Exclusion,
    Formula,
    FunnelStep,
    HoldingConstant,
    Metric,
    RetentionEvent,
)

__all__ = [
    "CohortBreakdown",
    "CohortMetric",
    "Exclusion",
    "Filter",
    "FilterValue",
    "Formula",
    "FrequencyBreakdown",
    "FrequencyFilter",
    "FunnelStep",
    "GroupBy",
    "HoldingConstant",
    "ListItemGroupMode",
    "Metric",
    "RetentionEvent",
    "TimeComparison",
]
