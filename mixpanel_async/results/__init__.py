"""Hand-written result types (attrs, frozen) with the seed's field names and a cached `.df`.

One module per API family: `query` (the classic Query API), `insights` (saved reports),
`flows`, `data_definitions` (the schema graph), `stream` (the activity feed), `lexicon`.
"""

from mixpanel_async.results.data_definitions import SchemaGraphResult
from mixpanel_async.results.flows import FlowsResult
from mixpanel_async.results.insights import SavedReportResult
from mixpanel_async.results.lexicon import (
    LexiconDefinition,
    LexiconMetadata,
    LexiconProperty,
    LexiconSchema,
)
from mixpanel_async.results.query import (
    CohortInfo,
    EventCountsResult,
    FrequencyResult,
    FunnelInfo,
    FunnelResult,
    FunnelResultStep,
    NumericAverageResult,
    NumericBucketResult,
    NumericSumResult,
    PropertyCountsResult,
    RetentionResult,
    SavedCohort,
    SegmentationResult,
    SubPropertyInfo,
    TopEvent,
)
from mixpanel_async.results.stream import ActivityFeedResult, UserEvent

__all__ = [
    "ActivityFeedResult",
    "CohortInfo",
    "EventCountsResult",
    "FlowsResult",
    "FrequencyResult",
    "FunnelInfo",
    "FunnelResult",
    "FunnelResultStep",
    "LexiconDefinition",
    "LexiconMetadata",
    "LexiconProperty",
    "LexiconSchema",
    "NumericAverageResult",
    "NumericBucketResult",
    "NumericSumResult",
    "PropertyCountsResult",
    "RetentionResult",
    "SavedCohort",
    "SavedReportResult",
    "SchemaGraphResult",
    "SegmentationResult",
    "SubPropertyInfo",
    "TopEvent",
    "UserEvent",
]
