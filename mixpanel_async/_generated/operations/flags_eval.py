# Generated from openapi/flags_eval.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.


from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import (
    Later,
    LazyModule,
    Operation,
    Param,
    Request,
    build,
)

# The family's models are imported on first use (`Later`), not with the operations.
if TYPE_CHECKING:
    from mixpanel_async._generated.models import flags_eval as m
else:
    m = LazyModule("mixpanel_async._generated.models.flags_eval")

__all__ = [
    "EVALUATE_FLAGS",
    "evaluate_flags",
    "GET_FLAG_DEFINITIONS",
    "get_flag_definitions",
    "OPERATIONS",
]

# GET /flags
EVALUATE_FLAGS = Operation(
    operation_id="evaluate_flags",
    family="flags_eval",
    method="GET",
    host="ingestion",
    path="/flags",
    params=(
        Param(name="token", attr="token", location="query", type="string", required=True),
        Param(name="project_id", attr="project_id", location="query", type="integer"),
        Param(name="mp_lib", attr="mp_lib", location="query", type="string"),
        Param(
            name="context",
            attr="context",
            location="query",
            type="object",
            required=True,
            json=True,
        ),
        Param(name="flag_key", attr="flag_key", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.RemoteFlagsResponse),
    response_media_type="application/json",
    rate_limit="ingestion",
    paging=None,
    summary="Evaluate the served feature flags for one context",
)


def evaluate_flags(
    *,
    token: str,
    project_id: int | None = None,
    mp_lib: str | None = None,
    context: dict[str, Any],
    flag_key: str | None = None,
) -> Request[m.RemoteFlagsResponse]:
    """GET /flags — Evaluate the served feature flags for one context.

    Answers the variant of every served flag the context is assigned to (or of `flag_key` only);
    a flag whose rollout the context falls outside of is left out. The SDK sends the exposure
    event (`$experiment_started`) itself.
    """
    return build(
        EVALUATE_FLAGS,
        {
            "token": token,
            "project_id": project_id,
            "mp_lib": mp_lib,
            "context": context,
            "flag_key": flag_key,
        },
        None,
    )


# GET /flags/definitions
GET_FLAG_DEFINITIONS = Operation(
    operation_id="get_flag_definitions",
    family="flags_eval",
    method="GET",
    host="ingestion",
    path="/flags/definitions",
    params=(
        Param(name="token", attr="token", location="query", type="string", required=True),
        Param(name="project_id", attr="project_id", location="query", type="integer"),
        Param(name="mp_lib", attr="mp_lib", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.FlagDefinitionsResponse),
    response_media_type="application/json",
    rate_limit="ingestion",
    paging=None,
    summary="Every served feature flag, for SDKs that evaluate locally",
)


def get_flag_definitions(
    *,
    token: str,
    project_id: int | None = None,
    mp_lib: str | None = None,
) -> Request[m.FlagDefinitionsResponse]:
    """GET /flags/definitions — Every served feature flag, for SDKs that evaluate locally."""
    return build(
        GET_FLAG_DEFINITIONS, {"token": token, "project_id": project_id, "mp_lib": mp_lib}, None
    )


OPERATIONS: dict[str, Operation] = {
    "evaluate_flags": EVALUATE_FLAGS,
    "get_flag_definitions": GET_FLAG_DEFINITIONS,
}
