# Generated from openapi/custom_events.yaml by `python -m codegen`. Do not edit by hand:
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
    from mixpanel_async._generated.models import custom_events as m
else:
    m = LazyModule("mixpanel_async._generated.models.custom_events")

__all__ = [
    "CREATE_CUSTOM_EVENT",
    "create_custom_event",
    "OPERATIONS",
]

# POST /projects/{project_id}/custom_events/
CREATE_CUSTOM_EVENT = Operation(
    operation_id="create_custom_event",
    family="custom_events",
    method="POST",
    host="app",
    path="/projects/{project_id}/custom_events/",
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
    body=Body(
        media_types=("application/x-www-form-urlencoded",),
        model=Later(lambda: m.CreateCustomEventForm),
    ),
    response=Later(lambda: m.CustomEventCreatedResponse),
    unwrap="results",
    response_media_type="application/json",
    rate_limit="app",
    paging=None,
    summary="Create a custom event",
    scope="maybe",
)


def create_custom_event(
    *,
    body: m.CreateCustomEventForm | Mapping[str, Any],
) -> Request[m.CustomEventCreated]:
    """POST /projects/{project_id}/custom_events/ — Create a custom event.

    `results` is `{custom_event: {id, name, alternatives}}`. A duplicate name, an empty or
    malformed `alternatives` is a 400.
    """
    return build(CREATE_CUSTOM_EVENT, {}, body)


OPERATIONS: dict[str, Operation] = {
    "create_custom_event": CREATE_CUSTOM_EVENT,
}
