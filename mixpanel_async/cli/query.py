"""`mixpanel-async query ...` and `mixpanel-async inspect ...`: the seed's command names.

    mixpanel-async query segmentation -e Signup --from 2024-01-01 --to 2024-01-31 -f table
    mixpanel-async query query Signup --last 30 --math unique
    mixpanel-async inspect top-events --limit 5 --format csv

Each command calls the `AsyncWorkspace` method of the same meaning, so options, checks and
output fields are the library's.
"""

from __future__ import annotations

from collections.abc import Mapping

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

EVENT: tuple[str, ...] = ("--event", "-e")
UNIT: tuple[str, ...] = ("--unit", "-u")
WHERE: tuple[str, ...] = ("--where", "-w")
TYPE: tuple[str, ...] = ("--type", "-t")
LIMIT: tuple[str, ...] = ("--limit", "-l")
PROPERTY: tuple[str, ...] = ("--property", "-p")
_SEGMENTED: Mapping[str, tuple[str, ...]] = {
    "event": EVENT,
    "unit": UNIT,
    "where": WHERE,
    "type": TYPE,
}

QUERY_OPTIONS: dict[str, Mapping[str, tuple[str, ...]]] = {
    "segmentation": _SEGMENTED,
    "segmentation-numeric": _SEGMENTED,
    "segmentation-sum": _SEGMENTED,
    "segmentation-average": _SEGMENTED,
    "funnel": {"unit": UNIT},
    "retention": {
        "born_event": ("--born", "-b"),
        "return_event": ("--return", "-r"),
        "interval": ("--interval", "-i"),
        "interval_count": ("--intervals", "-n"),
        "unit": UNIT,
    },
    "frequency": {"event": EVENT, "unit": UNIT, "where": WHERE},
    "event-counts": {"events": ("--events", "-e"), "type": TYPE, "unit": UNIT},
    "property-counts": {
        "event": EVENT,
        "property_name": PROPERTY,
        "type": TYPE,
        "unit": UNIT,
        "limit": LIMIT,
    },
    "activity-feed": {
        "distinct_ids": ("--users", "-U"),
        "include_events": ("--include-event",),
        "exclude_events": ("--exclude-event",),
    },
}
"""The seed's option names where they differ from `--<parameter>` (and its options where our
default would be an argument): scripts written for `mp query` keep working."""

INSPECT_OPTIONS: dict[str, Mapping[str, tuple[str, ...]]] = {
    "properties": {"event": EVENT},
    "values": {"property_name": PROPERTY, "event": EVENT, "limit": LIMIT},
    "property-values": {"property_name": PROPERTY, "event": EVENT, "limit": LIMIT},
    "subproperties": {
        "property_name": PROPERTY,
        "event": EVENT,
        "sample_size": ("--sample-size", "-s"),
    },
    "top-events": {"limit": LIMIT, "type": TYPE},
    "bookmarks": {"bookmark_type": TYPE},
    "lexicon-schemas": {"entity_type": TYPE},
    "lexicon-schema": {"entity_type": TYPE, "name": ("--name", "-n")},
    "schema-graph": {
        "include_density": ("--density",),
        "include_user_properties": ("--user-properties",),
    },
}
"""As `QUERY_OPTIONS`, for `mp inspect`."""

query_app = method_group(
    QUERY_COMMANDS, "Query Mixpanel data (classic and Insights queries).", QUERY_OPTIONS
)
inspect_app = method_group(
    INSPECT_COMMANDS, "Discover events, properties, funnels, cohorts.", INSPECT_OPTIONS
)
