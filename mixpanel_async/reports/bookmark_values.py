"""The values bookmark JSON allows where `validate_bookmark` checks them (Mixpanel's own
value sets for the keys of `sections` and `displayOptions`)."""

METRIC_TYPES = frozenset(
    {
        "addiction",
        "cohort",
        "custom-event",
        "event",
        "formula",
        "funnel",
        "metric",
        "people",
        "retention",
        "retention-frequency",
        "saved-metric",
        "simple",
        "verified",
    }
)
CHART_TYPES = frozenset(
    {
        "bar",
        "bar-stacked",
        "column",
        "flows",
        "frequency",
        "frequency-curve",
        "funnel-frequency-bar",
        "funnel-frequency-line",
        "funnel-median-ttc",
        "funnel-steps",
        "funnel-steps-metric",
        "funnel-top-paths",
        "funnel-trend",
        "funnel-ttc-bar",
        "funnel-ttc-line",
        "impact-adoption",
        "impact-propensity",
        "impact-trends",
        "insights-metric",
        "line",
        "line-retention",
        "metric",
        "paths",
        "pie",
        "retention-curve",
        "retention-table",
        "retention-trend",
        "retention-trend-metric",
        "sankey",
        "stacked-column",
        "stacked-line",
        "table",
    }
)
FILTER_OPERATORS = frozenset(
    {
        "before",
        "before the last",
        "between",
        "contains",
        "does not contain",
        "does not equal",
        "ends with",
        "equals",
        "false",
        "in the last",
        "in the next",
        "is at least",
        "is at most",
        "is between",
        "is equal to",
        "is greater than",
        "is greater than or equal to",
        "is less than",
        "is less than or equal to",
        "is not set",
        "is set",
        "not between",
        "not in the last",
        "not on",
        "on",
        "since",
        "starts with",
        "true",
        "was before",
        "was between",
        "was in the",
        "was in the next",
        "was less than",
        "was not between",
        "was not in the",
        "was not on",
        "was on",
        "was since",
    }
)
PROPERTY_TYPES = frozenset(
    {
        "boolean",
        "datetime",
        "dimension",
        "list",
        "number",
        "object",
        "other",
        "string",
        "undefined",
        "unknown",
    }
)
RESOURCE_TYPES = frozenset(
    {"all", "cohort", "cohorts", "event", "events", "formulas", "other", "people", "user"}
)
TIME_UNITS = frozenset(
    {
        "day",
        "day_of_week",
        "hour",
        "hour_of_day",
        "minute",
        "month",
        "quarter",
        "second",
        "session",
        "week",
        "year",
    }
)
INSIGHTS_MATHS = frozenset(
    {
        "average",
        "cumulative_unique",
        "custom_percentile",
        "dau",
        "first_value",
        "histogram",
        "mau",
        "max",
        "median",
        "min",
        "most_frequent",
        "multi_attribution",
        "numeric_summary",
        "p25",
        "p75",
        "p90",
        "p99",
        "sessions",
        "total",
        "unique",
        "unique_values",
        "wau",
    }
)
FUNNEL_MATHS = frozenset(
    {
        "average",
        "conversion_rate",
        "conversion_rate_session",
        "conversion_rate_total",
        "conversion_rate_unique",
        "general",
        "histogram",
        "max",
        "median",
        "min",
        "p25",
        "p75",
        "p90",
        "p99",
        "session",
        "total",
        "unique",
    }
)
RETENTION_MATHS = frozenset({"average", "retention_rate", "total", "unique"})
PER_USER = frozenset({"average", "max", "min", "session_replay_id_value", "total", "unique_values"})
MATHS_NEEDING_PROPERTY = frozenset(
    {
        "average",
        "custom_percentile",
        "first_value",
        "histogram",
        "max",
        "median",
        "min",
        "most_frequent",
        "multi_attribution",
        "numeric_summary",
        "p25",
        "p75",
        "p90",
        "p99",
        "percentile",
        "unique_values",
    }
)
DATE_RANGE_TYPES = frozenset({"between", "in the last", "on", "relative_after", "since"})
FILTERS_DETERMINERS = frozenset({"all", "any"})
