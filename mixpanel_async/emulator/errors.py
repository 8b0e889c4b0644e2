"""Mixpanel-shaped errors: the exception a handler raises, and every text the emulator answers.

A handler raises `EmulatorError(status, text)`; the errors middleware (`app.py`) renders it in
the shape of the request's host family (`render.error`). The texts live here, as `str.format`
templates named for what went wrong, so that a raise site reads
`raise EmulatorError(400, errors.UNKNOWN_FUNNEL.format(funnel_id=...))` and tests, docs and
routes share one wording. The few errors raised from many places have constructors
(`missing_param`, `bad_param`, `date_order`, `bad_expression`, `bad_timezone`).

This module imports nothing from the emulator, so any module (engine included) may use it.
"""

from __future__ import annotations

from typing import Any


class EmulatorError(Exception):
    """Raised anywhere in a handler to answer with Mixpanel's error shape."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


# --- requests: parameters, bodies, credentials ---------------------------------------------------
MISSING_PARAM = "missing required parameter: {name}"
BAD_PARAM = "invalid value for {name}: {why}"
DATE_ORDER = "from_date ({from_date}) must not be after to_date ({to_date})"
UNAUTHORIZED = "Invalid credentials: authenticate with a service account (Basic auth) or API secret"
FORBIDDEN_PROJECT = "The credentials do not have access to project {project_id}"
UNKNOWN_PROJECT = "Unknown project: {project_id}"
UNKNOWN_TOKEN = "Invalid token"
"""(Never quoting the token: a credential is not echoed.)"""
TOO_MANY_RECORDS = "too many records: at most {limit} per request, got {count}"
TOO_LARGE = "request body too large: at most {limit} bytes uncompressed"
BAD_ENCODING = "body is not valid {encoding} data"
BAD_JSON_BODY = "invalid JSON body: {exc}"
URL_TOO_LONG = "request URL too long: at most {limit} bytes; send large payloads in a POST body"
BODY_NOT_OBJECT = "the JSON body must be an object"
DATA_EMPTY = "data parameter is empty"
DATA_NOT_JSON = "data is not valid JSON: {exc}"
DATA_UNDECODABLE = "data is neither JSON nor base64-encoded JSON"
BAD_TIMEZONE = "project timezone: {exc}"
BAD_EXPRESSION = "invalid {name} expression: {exc}"
ENGINE_EXPRESSION = "invalid expression: {exc}"
INTERNAL = "internal emulator error"
BAD_FAULT = "invalid fault: {exc}"
ADMIN_UNAUTHORIZED = (
    "the emulator's admin routes need its admin token (Authorization: Bearer <--admin-token>)"
)
FLAG_CONTEXT = "context must be a JSON object"
NO_CA = "this emulator has no certificate authority of its own (start it with --tls)"

# --- App API entities (the standard actions) -----------------------------------------------------
UNKNOWN_ENTITY = "{kind} {id} not found"
BAD_ENTITY_ID = "invalid {kind} id: {raw!r}"
REQUEST_NOT_OBJECT = "the request body must be a JSON object"
BAD_BODY = "invalid request body: {problems}"
EMPTY_FIELD = "{field} must not be empty"
NO_ENTITY_ID = "no entity id in the path"
DUPLICATE = "a {kind} with {name} {value!r} already exists"
BAD_ID_LIST = "{field} must be a non-empty list of ids"
BAD_ENTRIES = "{field} must be a list of objects with an id"
BAD_CURSOR = "invalid cursor or page_size: {cursor!r}, {page_size!r}"
BAD_PAGE = "invalid page or page_size: {page!r}, {page_size!r}"

# --- annotations, bookmarks, dashboards, experiments, lexicon, webhooks --------------------------
BAD_ANNOTATION_DATE = "date must look like 2026-03-31 00:00:00, got {text!r}"
UNKNOWN_TAG = "unknown annotation tag {tag_id}"
LONG_DESCRIPTION = "description must be at most 512 characters"
BAD_TAGS = "tags must be comma-separated ids, got {tags!r}"
NO_DASHBOARD = "dashboard_id is required: every report belongs to a dashboard"
NOT_ON_DASHBOARD = "{kind} {content_id} is not on dashboard {dashboard_id}"
CARD_NOT_ON_DASHBOARD = "{kind} card {card_id} is not on dashboard {dashboard_id}"
BAD_CONTENT_ACTION = "unsupported content action {action!r}"
UNKNOWN_BLUEPRINT = "unknown blueprint template {template!r}"
NOT_A_BLUEPRINT = "dashboard {dashboard_id} was not made from a blueprint"
BAD_PATH_ID = "invalid {name}"
BAD_TRANSITION = "cannot {verb} experiment {experiment_id}: it is {status}"
NO_SCHEMA = "no {entity_type} schema named {name!r}"
BAD_WEBHOOK_URL = "url must be an absolute http(s) URL, got {url!r}"

# --- data governance: schema registry, enforcement, audit, anomalies, deletion requests ---------
BAD_SCHEMA = "invalid schema for {entity_type} {name!r}: {why}"
BAD_SCHEMA_ENTITY_TYPE = "unknown entity type {entity_type!r}: expected one of {allowed}"
NO_SCHEMAS = "no schemas defined: create schemas before running an audit"
NO_ENFORCEMENT = "schema enforcement is not initialized for this project"
ENFORCEMENT_EXISTS = "schema enforcement is already initialized for this project"
BAD_RULE = "invalid ruleEvent {rule!r}: expected one of {allowed}"
BAD_ENFORCEMENT_FIELDS = "unknown fields {fields}: expected some of {allowed}"
NO_ANOMALY = "anomaly {anomaly_id} not found"
BAD_ANOMALY_FIELD = "invalid {field} {value!r}: expected one of {allowed}"
ANOMALY_CLASS_MISMATCH = "anomaly {anomaly_id} is of class {actual}, not {given}"
BAD_DELETION_DATE = "invalid {field} {value!r}: expected YYYY-MM-DD (or an ISO datetime)"
BAD_DELETION_FILTERS = "invalid filters: {why}"
NO_DELETION_REQUEST = "deletion request {request_id} not found"
NOT_CANCELLABLE = "deletion request {request_id} cannot be cancelled: it is {status}"

# --- saved reports (bookmarks read by the query host) --------------------------------------------
UNKNOWN_BOOKMARK = "bookmark {bookmark_id} not found in this project"
NO_PARAMS = "bookmark {bookmark_id} has no params object"

# --- report links (unsaved-report slugs, short links) --------------------------------------------
BAD_SLUG = "invalid slug {slug!r}: a slug is 12 characters of [0-9A-Za-z_-]"
UNKNOWN_SLUG = "no report link with slug {slug!r} in this project"
UNKNOWN_SHORT_LINK = "short link {code!r} not found"

# --- query host: discovery, query, flows, insights, stream, export -------------------------------
BAD_YEAR = "invalid date, bad year"
"""Mixpanel's answer to a date before 2000 (as mixpanel-headless records it)."""
UNKNOWN_EVENT = "event {event!r} not found in this project"
UNKNOWN_FUNNEL = "funnel {funnel_id} not found in this project"
BAD_FUNNEL_LENGTH = "funnel {funnel_id} has an invalid length"
NOT_A_LIST = "{name} must be a JSON array of strings"
QUERY_TYPE = (
    "query_type {query_type!r} is not supported by the emulator"
    " (flows_sankey, flows_top_paths and flows are)"
)
BAD_LIMIT = "queryLimits.limit must be an integer from 1 to {max_limit}"
EXCLUSIVE = "include_events and exclude_events are mutually exclusive"
SEARCH_NEEDED = "search_properties requires a search string"
RANGE_NEEDS = "dateRange of type {type} needs {field}"
BAD_DATE_RANGE = "invalid dateRange: {exc}"
EVENTS_NOT_NAMES = 'must be a JSON array of event names, e.g. ["signup","purchase"]'
"""The `why` of `BAD_PARAM` for export's `event`."""

# --- engage: the profile query and its stats -----------------------------------------------------
BAD_JSON_FIELD = "is not valid JSON: {text!r}"
WRONG_TYPE = "has the wrong type ({type})"
NOT_STRINGS = "must be a JSON array of strings"
NOT_INTEGER = "must be an integer, got {value!r}"
TOO_SMALL = "must be >= {minimum}, got {number}"
TOO_LARGE_NUMBER = "is out of the 64-bit integer range: {number}"
NOT_BOOLEAN = "must be true or false, got {value!r}"
NOT_STRING = "must be a string"
BAD_SORT_ORDER = "must be 'ascending' or 'descending', got {order!r}"
"""The `why` of `BAD_PARAM`s of engage fields (above)."""
RAW_COHORT_NEEDS = "raw_cohort needs `distinct_ids` or `where` here"
COHORT_SPEC = 'expects {"id": <cohort id>} or {"raw_cohort": {...}}'
UNKNOWN_COHORT = "cohort {cohort_id} does not exist in this project"
COHORT_IDS_NOT_LIST = "the cohort's distinct_ids is not a list"
IDS_EXCLUSIVE = "distinct_id and distinct_ids are mutually exclusive"
BEHAVIORS_EXCLUSIVE = "behaviors and filter_by_cohort are mutually exclusive"
NO_BEHAVIORS = "behaviors selectors are not supported by the emulator"
SESSION_NEEDED = "session_id is required to read a page after page 0"
BAD_SESSION = "invalid or expired session_id: {session_id}"
BAD_ACTION = "invalid action: {text!r}"
COUNT_ARGS = "count() takes no arguments"
PERCENTILE_NUMBER = "percentile() needs a number as its second argument"
PERCENTILE_RANGE = "percentile must be between 0 and 100, got {number}"
UNKNOWN_ACTION = "unknown action {name}(): use count, extremes, numeric_summary or percentile"

# --- ingestion -----------------------------------------------------------------------------------
VALIDATION_FAILED = "some data points in the request failed validation"
SOME_FAILED = VALIDATION_FAILED + ": {first} (and {more} more)"
BAD_REPLAY_BATCH = "invalid recording batch: {exc}"
"""Several invalid messages: the first one's text and how many more there were."""
NO_RECORDS = "data must hold at least one message"
NOT_MESSAGES = "data must be a JSON object or an array of objects"
MISSING_TOKEN = "missing token: every message needs the project token"
NOT_A_FUNCTION = "not a function name"
"""The `why` of `BAD_PARAM` for a JSONP `callback`."""

# --- rate limits (opt-in) ------------------------------------------------------------------------
QUERY_RATE_LIMITED = "Query rate limit exceeded: at most {limit} {what}. Please retry later."
INGEST_RATE_LIMITED = (
    "Project exceeded rate limits. Please retry the request with exponential backoff."
)


def missing_param(name: str) -> EmulatorError:
    """A 400 for a required parameter that is absent."""
    return EmulatorError(400, MISSING_PARAM.format(name=name))


def bad_param(name: str, why: str) -> EmulatorError:
    """A 400 for a parameter whose value is wrong, saying `why`."""
    return EmulatorError(400, BAD_PARAM.format(name=name, why=why))


def date_order(from_date: Any, to_date: Any) -> EmulatorError:
    """A 400 for a date range that ends before it starts."""
    return EmulatorError(400, DATE_ORDER.format(from_date=from_date, to_date=to_date))


def bad_expression(name: str, exc: Exception) -> EmulatorError:
    """A 400 for a segmentation expression (`where`, `on`, ...) that fails to parse or run."""
    return EmulatorError(400, BAD_EXPRESSION.format(name=name, exc=exc))


def bad_timezone(exc: Exception) -> EmulatorError:
    """A 400 for a project whose configured timezone is unknown."""
    return EmulatorError(400, BAD_TIMEZONE.format(exc=exc))


# --- bounded work (request bodies, dates, report sizes) -----------------------------------------
UNKNOWN_ENCODING = "unsupported Content-Encoding {encoding!r}: send the body plain, gzip or deflate"
BAD_YEAR_OF = "Error in {name}: " + BAD_YEAR
RESULT_TOO_LARGE = (
    "the result is too large ({size:,} bytes; at most {limit:,}): narrow the date range,"
    " the unit or the segments"
)
OUT_OF_RANGE = "a date or number in the report is out of range: {exc}"
# --- custom properties and custom events ---------------------------------------------------------
BAD_FORMULA = "Invalid displayFormula: {why}"
FORMULA_AND_BEHAVIOR = "displayFormula and behavior are mutually exclusive"
NO_FORMULA = "One of displayFormula or behavior is required"
FORMULA_WITHOUT_VARIABLES = "displayFormula requires composedProperties"
IMMUTABLE_FIELD = "{field} cannot be changed after creation"
CUSTOM_PROPERTY_NAME_TAKEN = "A custom property named {name!r} already exists"
BAD_ALTERNATIVES = (
    'alternatives must be JSON text of a non-empty list of {{"event": <name>}}: {why}'
)
CUSTOM_EVENT_NAME_TAKEN = "A custom event named {name!r} already exists"
UNKNOWN_CUSTOM_EVENT = "Custom event {id} not found"
# --- business context ----------------------------------------------------------------------------
BUSINESS_CONTEXT_TOO_LONG = "content exceeds maximum length of {limit} characters"
UNKNOWN_ORGANIZATION = "Organization {organization_id} not found"

# --- lookup tables -------------------------------------------------------------------------------
UNKNOWN_UPLOAD_KEY = "no uploaded file under key {key}: PUT the CSV to the upload URL first"
BAD_LOOKUP_CSV = "the lookup table CSV cannot be read: {why}"
UNKNOWN_LOOKUP_TABLE = "Lookup table {data_group_id} not found"
NO_LOOKUP_TABLE_ID = "no lookup table has id {id}"
LOOKUP_ROWS_INVALID = "Some data points in the request failed validation."
LOOKUP_BLANK_KEY = "primary key is required and cannot be blank"
LOOKUP_ROW_WIDTH = "invalid row: wrong number of fields"

# --- App API error classes (experiments, feature flags) ------------------------------------------
TYPED_ERROR_PATHS = ("/experiments", "/feature-flags")
"""App API paths whose published error body is `{status, type, error}`, not `{status, error}`."""
ERROR_TYPES = {
    400: "validation_error",
    401: "authentication_error",
    403: "permission_denied",
    404: "not_found",
    409: "conflict",
    429: "rate_limited",
}
"""The `type` the emulator sends by HTTP status (Mixpanel publishes the field, not its values);
any other status is a `server_error`."""
