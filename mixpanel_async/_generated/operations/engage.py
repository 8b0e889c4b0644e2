# Generated from openapi/engage.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

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
    from mixpanel_async._generated.models import engage as m
else:
    m = LazyModule("mixpanel_async._generated.models.engage")

__all__ = [
    "QUERY_PROFILE_STATS",
    "query_profile_stats",
    "QUERY_PROFILES",
    "query_profiles",
    "OPERATIONS",
]

# POST /
QUERY_PROFILES = Operation(
    operation_id="query_profiles",
    family="engage",
    method="POST",
    host="engage",
    path="/",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
    ),
    body=Body(
        media_types=("application/x-www-form-urlencoded", "application/json"),
        model=Later(lambda: m.EngageQueryRequest),
    ),
    response=Later(lambda: m.EngageQueryResponse),
    response_media_type="application/json",
    rate_limit="engage",
    paging={"style": "engage-session"},
    summary="One page of profiles matching a filter",
)


def query_profiles(
    *,
    body: m.EngageQueryRequest | Mapping[str, Any] | None = None,
) -> Request[m.EngageQueryResponse]:
    """POST / — One page of profiles matching a filter.

    Page 0 is asked for without `session_id`; every later page repeats the same filter with the
    `session_id` of the previous answer and `page` one higher. The answer holds at most
    `page_size` profiles; an empty `results` (or no `session_id`) ends the walk. Mixpanel
    documents the form-encoded body; the peer library sends the same fields as a JSON body.
    `behaviors` and `filter_by_cohort` exclude each other, as do `distinct_id` and
    `distinct_ids`.
    """
    return build(QUERY_PROFILES, {}, body)


# POST /stats
QUERY_PROFILE_STATS = Operation(
    operation_id="query_profile_stats",
    family="engage",
    method="POST",
    host="engage",
    path="/stats",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="query",
            type="integer",
            required=True,
            context="project_id",
        ),
        Param(
            name="workspace_id",
            attr="workspace_id",
            location="query",
            type="integer",
            context="workspace_id",
        ),
    ),
    body=Body(
        media_types=("application/json", "application/x-www-form-urlencoded"),
        model=Later(lambda: m.EngageStatsRequest),
    ),
    response=Later(lambda: m.EngageStatsResponse),
    response_media_type="application/json",
    rate_limit="engage",
    paging=None,
    summary="An aggregate over the matching profiles (count, extremes, percentile, summary)",
)


def query_profile_stats(
    *,
    body: m.EngageStatsRequest | Mapping[str, Any],
) -> Request[m.EngageStatsResponse]:
    """POST /stats — An aggregate over the matching profiles (count, extremes, percentile, summary).

    Not in Mixpanel's published specs; the peer library uses it to count profiles
    (`action=count()`) and for other aggregates. The filter field is `selector`, not `where`.
    With `segment_by_cohorts` the result is an object keyed by cohort id.
    """
    return build(QUERY_PROFILE_STATS, {}, body)


OPERATIONS: dict[str, Operation] = {
    "query_profile_stats": QUERY_PROFILE_STATS,
    "query_profiles": QUERY_PROFILES,
}
