"""Report definitions: the seed's typed building blocks of Insights, funnel and retention
queries (`Metric`, `Filter`, `GroupBy`, ...) and the pure functions that turn them into the
bookmark JSON that `POST /insights` computes.

Layers. A module imports only from earlier layers (or from modules listed before it in its own
layer), never from a later one, not even inside a function or under `TYPE_CHECKING`; when two
blocks need each other, the piece they share moves down (as `cohort_refs` does for `Filter`
and `CohortDefinition`).

1. `literals`, `bookmark_values`, `problems`: value sets, and the problems a check collects.
2. `arguments`, `custom`, `formulas`, `sorting_rules`, `validation`: argument checks, custom
   properties, formula syntax, `validate_bookmark`.
3. `cohort_refs`, `filters`: how a condition names a cohort (the base of `CohortDefinition`),
   then `Filter`.
4. `filter_json`, `breakdowns`, `behaviors`, `flow_steps`: a filter's clause, breakdowns,
   behaviours and `FunnelStep`, `FlowStep`.
5. `cohorts`, `filter_forms`, `metrics`, `sections`: cohort definitions, the flat filter forms
   of flows and user queries, metrics and their `show` clauses, the shared bookmark sections.
6. `checks`, `metric_refs`, `flow_checks`: checks of query arguments, saved metric references.
7. `funnels`, `retention`, `saved`, `flows`, `users`: the report builders.
8. `behavior_metrics`, `operands`, `insights`: funnel and retention metrics inside Insights
   (built by the funnel and retention builders), `Formula` and the series clauses, and the
   Insights builder on top.
9. `saved_writes`: the definitions saved metrics and behaviours store, compiled by the builders
   above.

`links` (report URLs) stands alone.
"""

from mixpanel_async.reports.behaviors import FunnelStep
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
    HoldingConstant,
    Metric,
    RetentionEvent,
)
from mixpanel_async.reports.operands import Formula

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
