# Generated from openapi/ingestion.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from mixpanel_async._operation import (
    Body,
    Later,
    LazyModule,
    Operation,
    Param,
    Request,
    build,
)

# The family's models are imported on first use (`Later`), not with the operations.
if TYPE_CHECKING:
    from mixpanel_async._generated.models import ingestion as m
else:
    m = LazyModule("mixpanel_async._generated.models.ingestion")

__all__ = [
    "ENGAGE_PROFILES",
    "engage_profiles",
    "ENGAGE_PROFILES_GET",
    "engage_profiles_get",
    "IMPORT_EVENTS",
    "import_events",
    "IMPORT_EVENTS_GET",
    "import_events_get",
    "TRACK_EVENTS",
    "track_events",
    "TRACK_EVENTS_GET",
    "track_events_get",
    "UPDATE_GROUPS",
    "update_groups",
    "UPDATE_GROUPS_GET",
    "update_groups_get",
    "OPERATIONS",
]

# GET /engage
ENGAGE_PROFILES_GET = Operation(
    operation_id="engage_profiles_get",
    family="ingestion",
    method="GET",
    host="ingestion",
    path="/engage",
    params=(
        Param(name="data", attr="data", location="query", type="string", required=True, json=True),
        Param(name="verbose", attr="verbose", location="query", type="integer", enum=(0, 1)),
        Param(name="ip", attr="ip", location="query", type="integer", enum=(0, 1)),
        Param(name="strict", attr="strict", location="query", type="integer", enum=(0, 1)),
        Param(name="img", attr="img", location="query", type="integer", enum=(0, 1)),
        Param(name="redirect", attr="redirect", location="query", type="string"),
        Param(name="callback", attr="callback", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.VerboseResponse),
    response_media_type="text/plain",
    rate_limit="ingestion",
    paging=None,
    summary="Apply user profile updates given in the query string",
)


def engage_profiles_get(
    *,
    data: Any,
    verbose: Literal[0, 1] | None = None,
    ip: Literal[0, 1] | None = None,
    strict: Literal[0, 1] | None = None,
    img: Literal[0, 1] | None = None,
    redirect: str | None = None,
    callback: str | None = None,
) -> Request[m.VerboseResponse]:
    """GET /engage — Apply user profile updates given in the query string."""
    return build(
        ENGAGE_PROFILES_GET,
        {
            "data": data,
            "verbose": verbose,
            "ip": ip,
            "strict": strict,
            "img": img,
            "redirect": redirect,
            "callback": callback,
        },
        None,
    )


# POST /engage
ENGAGE_PROFILES = Operation(
    operation_id="engage_profiles",
    family="ingestion",
    method="POST",
    host="ingestion",
    path="/engage",
    params=(
        Param(name="verbose", attr="verbose", location="query", type="integer", enum=(0, 1)),
        Param(name="ip", attr="ip", location="query", type="integer", enum=(0, 1)),
        Param(name="strict", attr="strict", location="query", type="integer", enum=(0, 1)),
        Param(name="img", attr="img", location="query", type="integer", enum=(0, 1)),
        Param(name="redirect", attr="redirect", location="query", type="string"),
        Param(name="callback", attr="callback", location="query", type="string"),
    ),
    body=Body(
        media_types=("application/x-www-form-urlencoded", "application/json"),
        model=Later(lambda: m.ProfileUpdateFormRequest),
    ),
    response=Later(lambda: m.VerboseResponse),
    response_media_type="text/plain",
    rate_limit="ingestion",
    paging=None,
    summary="Apply user profile updates ($set, $add, $unset, $delete, ...)",
)


def engage_profiles(
    *,
    verbose: Literal[0, 1] | None = None,
    ip: Literal[0, 1] | None = None,
    strict: Literal[0, 1] | None = None,
    img: Literal[0, 1] | None = None,
    redirect: str | None = None,
    callback: str | None = None,
    body: m.ProfileUpdateFormRequest | Mapping[str, Any],
) -> Request[m.VerboseResponse]:
    """POST /engage — Apply user profile updates ($set, $add, $unset, $delete, ...).

    Each message names a profile by `$distinct_id`, carries the project `$token`, and one
    operation. SDKs send a form with `data` = JSON text of one update or an array of them.
    """
    return build(
        ENGAGE_PROFILES,
        {
            "verbose": verbose,
            "ip": ip,
            "strict": strict,
            "img": img,
            "redirect": redirect,
            "callback": callback,
        },
        body,
    )


# GET /groups
UPDATE_GROUPS_GET = Operation(
    operation_id="update_groups_get",
    family="ingestion",
    method="GET",
    host="ingestion",
    path="/groups",
    params=(
        Param(name="data", attr="data", location="query", type="string", required=True, json=True),
        Param(name="verbose", attr="verbose", location="query", type="integer", enum=(0, 1)),
        Param(name="ip", attr="ip", location="query", type="integer", enum=(0, 1)),
        Param(name="strict", attr="strict", location="query", type="integer", enum=(0, 1)),
        Param(name="img", attr="img", location="query", type="integer", enum=(0, 1)),
        Param(name="redirect", attr="redirect", location="query", type="string"),
        Param(name="callback", attr="callback", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.VerboseResponse),
    response_media_type="text/plain",
    rate_limit="ingestion",
    paging=None,
    summary="Apply group profile updates given in the query string",
)


def update_groups_get(
    *,
    data: Any,
    verbose: Literal[0, 1] | None = None,
    ip: Literal[0, 1] | None = None,
    strict: Literal[0, 1] | None = None,
    img: Literal[0, 1] | None = None,
    redirect: str | None = None,
    callback: str | None = None,
) -> Request[m.VerboseResponse]:
    """GET /groups — Apply group profile updates given in the query string."""
    return build(
        UPDATE_GROUPS_GET,
        {
            "data": data,
            "verbose": verbose,
            "ip": ip,
            "strict": strict,
            "img": img,
            "redirect": redirect,
            "callback": callback,
        },
        None,
    )


# POST /groups
UPDATE_GROUPS = Operation(
    operation_id="update_groups",
    family="ingestion",
    method="POST",
    host="ingestion",
    path="/groups",
    params=(
        Param(name="verbose", attr="verbose", location="query", type="integer", enum=(0, 1)),
        Param(name="ip", attr="ip", location="query", type="integer", enum=(0, 1)),
        Param(name="strict", attr="strict", location="query", type="integer", enum=(0, 1)),
        Param(name="img", attr="img", location="query", type="integer", enum=(0, 1)),
        Param(name="redirect", attr="redirect", location="query", type="string"),
        Param(name="callback", attr="callback", location="query", type="string"),
    ),
    body=Body(
        media_types=("application/x-www-form-urlencoded", "application/json"),
        model=Later(lambda: m.GroupUpdateFormRequest),
    ),
    response=Later(lambda: m.VerboseResponse),
    response_media_type="text/plain",
    rate_limit="ingestion",
    paging=None,
    summary="Apply group profile updates ($set, $set_once, $union, $remove, $unset, $delete)",
)


def update_groups(
    *,
    verbose: Literal[0, 1] | None = None,
    ip: Literal[0, 1] | None = None,
    strict: Literal[0, 1] | None = None,
    img: Literal[0, 1] | None = None,
    redirect: str | None = None,
    callback: str | None = None,
    body: m.GroupUpdateFormRequest | Mapping[str, Any],
) -> Request[m.VerboseResponse]:
    """POST /groups — Apply group profile updates ($set, $set_once, $union, $remove, $unset, $delete).

    Each message names a group by `$group_key` and `$group_id`, carries the project `$token`,
    and one operation. SDKs send a form with `data` = JSON text of one update or an array.
    """
    return build(
        UPDATE_GROUPS,
        {
            "verbose": verbose,
            "ip": ip,
            "strict": strict,
            "img": img,
            "redirect": redirect,
            "callback": callback,
        },
        body,
    )


# GET /import
IMPORT_EVENTS_GET = Operation(
    operation_id="import_events_get",
    family="ingestion",
    method="GET",
    host="ingestion",
    path="/import",
    params=(
        Param(name="data", attr="data", location="query", type="string", required=True, json=True),
        Param(name="project_id", attr="project_id", location="query", type="integer"),
        Param(name="api_key", attr="api_key", location="query", type="string"),
        Param(name="strict", attr="strict", location="query", type="integer", enum=(0, 1)),
        Param(name="verbose", attr="verbose", location="query", type="integer", enum=(0, 1)),
        Param(name="ip", attr="ip", location="query", type="integer", enum=(0, 1)),
    ),
    body=None,
    response=Later(lambda: m.VerboseResponse),
    response_media_type="text/plain",
    rate_limit="ingestion",
    paging=None,
    summary="Import events with the message in the query string (the Node SDK's single import)",
)


def import_events_get(
    *,
    data: Any,
    project_id: int | None = None,
    api_key: str | None = None,
    strict: Literal[0, 1] | None = None,
    verbose: Literal[0, 1] | None = None,
    ip: Literal[0, 1] | None = None,
) -> Request[m.VerboseResponse]:
    """GET /import — Import events with the message in the query string (the Node SDK's single import).

    `data` is base64 (or plain) JSON of one event or an array of events; the answer is the
    live-ingestion one (`1`, or `{status, error}` with `verbose=1`). Authenticated like the
    POST: a service account with `project_id`, the project secret as Basic user name or
    `api_key`, or the token as Basic user name.
    """
    return build(
        IMPORT_EVENTS_GET,
        {
            "data": data,
            "project_id": project_id,
            "api_key": api_key,
            "strict": strict,
            "verbose": verbose,
            "ip": ip,
        },
        None,
    )


# POST /import
IMPORT_EVENTS = Operation(
    operation_id="import_events",
    family="ingestion",
    method="POST",
    host="ingestion",
    path="/import",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            context="project_id",
        ),
        Param(name="strict", attr="strict", location="query", type="integer", enum=(0, 1)),
        Param(name="api_key", attr="api_key", location="query", type="string"),
        Param(name="verbose", attr="verbose", location="query", type="integer", enum=(0, 1)),
        Param(name="ip", attr="ip", location="query", type="integer", enum=(0, 1)),
    ),
    body=Body(
        media_types=(
            "application/json",
            "application/x-ndjson",
            "application/x-www-form-urlencoded",
        ),
        model=None,
    ),
    response=Later(lambda: m.ImportResponse),
    response_media_type="application/json",
    rate_limit="ingestion",
    paging=None,
    summary="Import a batch of events, historical ones included (server-side)",
)


def import_events(
    *,
    strict: Literal[0, 1] | None = None,
    api_key: str | None = None,
    verbose: Literal[0, 1] | None = None,
    ip: Literal[0, 1] | None = None,
    body: Any,
) -> Request[m.ImportResponse]:
    """POST /import — Import a batch of events, historical ones included (server-side).

    Up to 2000 events and 10 MB of uncompressed JSON per request, as a JSON array or as
    newline-delimited JSON, optionally with `Content-Encoding: gzip`. Every event needs `time`,
    `distinct_id` and `$insert_id`; `time` is seconds or milliseconds since the epoch, not
    before 1971-01-01 and at most 1 hour ahead. With `strict=1` a batch with any invalid event
    answers 400 listing them, while the valid ones are still stored. The official Python SDK
    instead posts a form (`data`, `verbose=1`, `ip=0`, and with the legacy secret also
    `api_key`) and reads the `{status, error}` answer.
    """
    return build(
        IMPORT_EVENTS, {"strict": strict, "api_key": api_key, "verbose": verbose, "ip": ip}, body
    )


# GET /track
TRACK_EVENTS_GET = Operation(
    operation_id="track_events_get",
    family="ingestion",
    method="GET",
    host="ingestion",
    path="/track",
    params=(
        Param(name="data", attr="data", location="query", type="string", required=True, json=True),
        Param(name="verbose", attr="verbose", location="query", type="integer", enum=(0, 1)),
        Param(name="ip", attr="ip", location="query", type="integer", enum=(0, 1)),
        Param(name="img", attr="img", location="query", type="integer", enum=(0, 1)),
        Param(name="redirect", attr="redirect", location="query", type="string"),
        Param(name="callback", attr="callback", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.VerboseResponse),
    response_media_type="text/plain",
    rate_limit="ingestion",
    paging=None,
    summary="Record events with the message in the query string",
)


def track_events_get(
    *,
    data: Any,
    verbose: Literal[0, 1] | None = None,
    ip: Literal[0, 1] | None = None,
    img: Literal[0, 1] | None = None,
    redirect: str | None = None,
    callback: str | None = None,
) -> Request[m.VerboseResponse]:
    """GET /track — Record events with the message in the query string."""
    return build(
        TRACK_EVENTS_GET,
        {
            "data": data,
            "verbose": verbose,
            "ip": ip,
            "img": img,
            "redirect": redirect,
            "callback": callback,
        },
        None,
    )


# POST /track
TRACK_EVENTS = Operation(
    operation_id="track_events",
    family="ingestion",
    method="POST",
    host="ingestion",
    path="/track",
    params=(
        Param(name="verbose", attr="verbose", location="query", type="integer", enum=(0, 1)),
        Param(name="ip", attr="ip", location="query", type="integer", enum=(0, 1)),
        Param(name="img", attr="img", location="query", type="integer", enum=(0, 1)),
        Param(name="redirect", attr="redirect", location="query", type="string"),
        Param(name="callback", attr="callback", location="query", type="string"),
    ),
    body=Body(
        media_types=("application/x-www-form-urlencoded", "application/json"),
        model=Later(lambda: m.TrackFormRequest),
    ),
    response=Later(lambda: m.VerboseResponse),
    response_media_type="text/plain",
    rate_limit="ingestion",
    paging=None,
    summary="Record one or more events (client-side style, token auth)",
)


def track_events(
    *,
    verbose: Literal[0, 1] | None = None,
    ip: Literal[0, 1] | None = None,
    img: Literal[0, 1] | None = None,
    redirect: str | None = None,
    callback: str | None = None,
    body: m.TrackFormRequest | Mapping[str, Any],
) -> Request[m.VerboseResponse]:
    """POST /track — Record one or more events (client-side style, token auth).

    SDKs send a form with `data` = JSON text of one event or an array of events, plus `verbose`
    and `ip`; Mixpanel's spec also allows a JSON array as the body. Only events of the last 5
    days are accepted; older ones belong on `/import`.
    """
    return build(
        TRACK_EVENTS,
        {"verbose": verbose, "ip": ip, "img": img, "redirect": redirect, "callback": callback},
        body,
    )


OPERATIONS: dict[str, Operation] = {
    "engage_profiles": ENGAGE_PROFILES,
    "engage_profiles_get": ENGAGE_PROFILES_GET,
    "import_events": IMPORT_EVENTS,
    "import_events_get": IMPORT_EVENTS_GET,
    "track_events": TRACK_EVENTS,
    "track_events_get": TRACK_EVENTS_GET,
    "update_groups": UPDATE_GROUPS,
    "update_groups_get": UPDATE_GROUPS_GET,
}
