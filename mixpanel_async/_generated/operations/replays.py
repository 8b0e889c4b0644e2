# Generated from openapi/replays.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import replays as m
else:
    m = LazyModule("mixpanel_async._generated.models.replays")

__all__ = [
    "RECORD_REPLAY",
    "record_replay",
    "SIGN_REPLAYS",
    "sign_replays",
    "OPERATIONS",
]

# POST /projects/{project_id}/replays/sign/bulk
SIGN_REPLAYS = Operation(
    operation_id="sign_replays",
    family="replays",
    method="POST",
    host="app",
    path="/projects/{project_id}/replays/sign/bulk",
    params=(
        Param(
            name="project_id",
            attr="project_id",
            location="path",
            type="integer",
            required=True,
            context="project_id",
        ),
    ),
    body=Body(media_types=("application/json",), model=Later(lambda: m.SignReplaysParams)),
    response=Later(lambda: m.SignedReplaysEnvelope),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Sign replays for reading their recording files from the CDN",
    scope="project",
)


def sign_replays(
    *,
    body: m.SignReplaysParams | Mapping[str, Any],
) -> Request[list[m.SignedReplayUrl]]:
    """POST /projects/{project_id}/replays/sign/bulk — Sign replays for reading their recording files from the CDN."""
    return build(SIGN_REPLAYS, {}, body)


# POST /record/
RECORD_REPLAY = Operation(
    operation_id="record_replay",
    family="replays",
    method="POST",
    host="ingestion",
    path="/record/",
    params=(
        Param(name="replay_id", attr="replay_id", location="query", type="string", required=True),
        Param(name="seq", attr="seq", location="query", type="integer", required=True, minimum=0),
        Param(
            name="distinct_id", attr="distinct_id", location="query", type="string", required=True
        ),
        Param(
            name="format",
            attr="format",
            location="query",
            type="string",
            enum=("gzip", "body"),
            default="body",
        ),
        Param(name="batch_start_time", attr="batch_start_time", location="query", type="number"),
        Param(name="replay_start_time", attr="replay_start_time", location="query", type="number"),
        Param(name="replay_length_ms", attr="replay_length_ms", location="query", type="number"),
        Param(name="replay_start_url", attr="replay_start_url", location="query", type="string"),
        Param(name="$current_url", attr="current_url", location="query", type="string"),
        Param(name="$device_id", attr="device_id", location="query", type="string"),
        Param(name="$user_id", attr="user_id", location="query", type="string"),
        Param(name="$lib_version", attr="lib_version", location="query", type="string"),
        Param(name="mp_lib", attr="mp_lib", location="query", type="string"),
    ),
    body=None,
    response=Later(lambda: m.RecordReplayResponse),
    response_media_type="application/json",
    rate_limit="ingestion",
    paging=None,
    summary="Store one batch of a session recording (the browser SDK's recorder)",
)


def record_replay(
    *,
    replay_id: str,
    seq: int,
    distinct_id: str,
    format: Literal["gzip", "body"] | None = "body",
    batch_start_time: float | None = None,
    replay_start_time: float | None = None,
    replay_length_ms: float | None = None,
    replay_start_url: str | None = None,
    current_url: str | None = None,
    device_id: str | None = None,
    user_id: str | None = None,
    lib_version: str | None = None,
    mp_lib: str | None = None,
) -> Request[m.RecordReplayResponse]:
    """POST /record/ — Store one batch of a session recording (the browser SDK's recorder).

    The body is the batch's rrweb events as a JSON array, gzipped when `format=gzip`. The
    project comes from the token, sent as the Basic auth user name.
    """
    return build(
        RECORD_REPLAY,
        {
            "replay_id": replay_id,
            "seq": seq,
            "distinct_id": distinct_id,
            "format": format,
            "batch_start_time": batch_start_time,
            "replay_start_time": replay_start_time,
            "replay_length_ms": replay_length_ms,
            "replay_start_url": replay_start_url,
            "current_url": current_url,
            "device_id": device_id,
            "user_id": user_id,
            "lib_version": lib_version,
            "mp_lib": mp_lib,
        },
        None,
    )


OPERATIONS: dict[str, Operation] = {
    "record_replay": RECORD_REPLAY,
    "sign_replays": SIGN_REPLAYS,
}
