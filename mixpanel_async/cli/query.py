"""`mixpanel-async query ...` and `mixpanel-async inspect ...`: the seed's command names.

    mixpanel-async query segmentation Signup --from 2024-01-01 --to 2024-01-31 --format table
    mixpanel-async query query Signup --last 30 --math unique
    mixpanel-async inspect top-events --limit 5 --format csv

Each command calls the `AsyncWorkspace` method of the same meaning, so options, checks and
output fields are the library's.
"""

from __future__ import annotations

from mixpanel_async.cli.signature import method_group

QUERY_COMMANDS = {
    "segmentation": "segmentation",
    "segmentation-numeric": "segmentation_numeric",
    "segmentation-sum": "segmentation_sum",
    "segmentation-average": "segmentation_average",
    "funnel": "funnel",
    "retention": "retention",
    "frequency": "frequency",
    "event-counts": "event_counts",
    "property-counts": "property_counts",
    "activity-feed": "activity_feed",
    "saved-report": "query_saved_report",
    "flows": "query_saved_flows",
    "query": "query",
    "query-funnel": "query_funnel",
    "query-retention": "query_retention",
    "query-flow": "query_flow",
    "query-user": "query_user",
}
"""Command name -> `AsyncWorkspace` method: classic queries, saved reports, Insights engine."""

INSPECT_COMMANDS = {
    "events": "events",
    "properties": "properties",
    "values": "property_values",
    "property-values": "property_values",
    "subproperties": "subproperties",
    "top-events": "top_events",
    "funnels": "funnels",
    "cohorts": "cohorts",
    "bookmarks": "list_bookmarks",
    "lexicon-schemas": "lexicon_schemas",
    "lexicon-schema": "lexicon_schema",
    "schema-graph": "schema_graph",
}
"""Command name -> `AsyncWorkspace` method: discovery of the project's data."""

query_app = method_group(QUERY_COMMANDS, "Query Mixpanel data (classic and Insights queries).")
inspect_app = method_group(INSPECT_COMMANDS, "Discover events, properties, funnels, cohorts.")
